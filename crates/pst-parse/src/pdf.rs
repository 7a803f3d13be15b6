//! PDF input: the text layer, page by page, through pdf-extract driven by our own
//! [`OutputDev`], then rebuilt into lines and tab-separated cells so that the text
//! readers see what they see in a text export.
//!
//! pdf-extract's own text output inserts a space at every glyph gap above 0.1 em and
//! ignores columns. Here each glyph is kept with its position; lines are glyphs whose
//! baselines are within half a font size, ordered left to right; a gap wider than
//! [`WORD_GAP`] font sizes is a space, one wider than [`CELL_GAP`] is a cell boundary
//! (a tab). Bordered tables are read from the page's geometry first ([`grid`]): each
//! table row is one line, its cells joined by tabs, and is also recorded with its cells
//! in [`PdfText::rows`], so that a cell wrapped over several lines stays one cell; a
//! table continued on the next page (the same columns) is one table, its repeated
//! header row skipped. The library panics on some malformed files and can loop on others: every
//! call runs under `catch_unwind` in a worker thread with a time budget, and a page that
//! fails is a diagnostic, not the end of the document.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::time::Duration;

use pdf_extract::{
    ColorSpace, MediaBox, Object, ObjectId, OutputDev, OutputError, Path, PathOp, Transform,
};
use rayon::prelude::*;

mod grid;

/// A gap wider than this many font sizes between glyphs of a line is a word space.
pub(crate) const WORD_GAP: f64 = 0.15;
/// A gap wider than this many font sizes is a cell boundary, written as a tab.
pub(crate) const CELL_GAP: f64 = 1.2;
/// How long one document may take, unless told otherwise.
pub(crate) const TIME_BUDGET: Duration = Duration::from_secs(20);
/// How many bytes the pages' content streams may hold once decompressed: a stream that
/// inflates without end (a "zip bomb") is refused before pdf-extract inflates it whole.
/// A 100-page report holds a few MB.
pub(crate) const CONTENT_BUDGET: u64 = 100 * 1024 * 1024;

/// Why a PDF gave no text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PdfError {
    /// The file does not parse as a PDF (truncated, damaged).
    Unreadable(String),
    /// Encrypted with a password we do not have.
    Encrypted,
    /// Pages, but no text on any of them (a scan).
    NoTextLayer,
    /// The time budget ran out.
    TooSlow,
    /// The pages' content streams inflate beyond the content budget (100 MB).
    TooLarge,
    /// The reader was stopped from outside (it crashed, or went past a memory or time
    /// limit of the process it ran in); why, in words.
    Stopped(String),
}

/// The text layer of a PDF as `pst` reads it: one entry per line, with the page each
/// line is on. Serialisable, so that it can be extracted in another process.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PdfText {
    /// Lines top to bottom, cells separated by tabs, a blank line after each page.
    pub text: String,
    /// `pages[i]` is the page of line `i + 1`.
    pub pages: Vec<u32>,
    /// Pages that could not be read, with the reason.
    pub failed_pages: Vec<(u32, String)>,
    /// The lines of `text` that are rows of bordered tables, with their cells.
    #[serde(default)]
    pub rows: Vec<PdfRow>,
}

/// A row of a bordered table, read from the page's rules: one line of [`PdfText::text`].
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PdfRow {
    /// The row's 1-based line in [`PdfText::text`].
    pub line: u32,
    /// Which table of the document (0, 1, …); a table continued over pages keeps its
    /// number.
    pub table: u32,
    /// The row's cells, left to right.
    pub cells: Vec<PdfCell>,
}

/// One cell of a [`PdfRow`].
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PdfCell {
    /// 0-based column of the table's grid where the cell starts.
    pub column: u32,
    /// The cell's lines joined with spaces.
    pub text: String,
    /// A copy of a cell spanning from a row above.
    pub spanned: bool,
}

/// True when the bytes start like a PDF (after optional garbage, as readers allow).
pub(crate) fn is_pdf(bytes: &[u8]) -> bool {
    bytes.len() >= 5
        && bytes[..bytes.len().min(1024)]
            .windows(5)
            .any(|w| w == b"%PDF-")
}

/// Extracts the text layer, within `budget`.
pub(crate) fn extract(bytes: &[u8], budget: Duration) -> Result<PdfText, PdfError> {
    let (sender, receiver) = mpsc::channel();
    let owned = bytes.to_vec();
    let spawned = std::thread::Builder::new()
        .name("pdf-extract".into())
        .spawn(move || {
            let result = catch_unwind(AssertUnwindSafe(|| extract_now(&owned)))
                .unwrap_or_else(|panic| Err(PdfError::Unreadable(panic_message(&panic))));
            let _ = sender.send(result);
        });
    if spawned.is_err() {
        return Err(PdfError::Unreadable(
            "could not start the PDF reader".into(),
        ));
    }
    receiver
        .recv_timeout(budget)
        .unwrap_or(Err(PdfError::TooSlow))
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    let text = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown fault".to_owned());
    format!(
        "the PDF library failed: {}",
        crate::tree::truncate(&text, 80)
    )
}

fn extract_now(bytes: &[u8]) -> Result<PdfText, PdfError> {
    let mut document = pdf_extract::Document::load_mem(bytes)
        .map_err(|e| PdfError::Unreadable(crate::tree::truncate(&e.to_string(), 80)))?;
    if document.is_encrypted() && document.decrypt("").is_err() {
        return Err(PdfError::Encrypted);
    }
    let page_ids: Vec<(u32, ObjectId)> = document.get_pages().into_iter().collect();
    if page_ids.is_empty() {
        return Err(PdfError::Unreadable(
            "no pages (the page tree is empty or refers to itself)".into(),
        ));
    }
    check_content_size(&document)?;
    // Pages on worker threads, each worker a contiguous run of pages read in one pass
    // (pdf-extract's one-page call walks the whole page tree: quadratic in pages).
    let workers = rayon::current_num_threads().max(1);
    let run = page_ids.len().div_ceil(workers);
    let pages: Vec<PageText> = page_ids
        .par_chunks(run)
        .flat_map_iter(|pages| read_pages(&document, pages))
        .collect();
    let mut out = PdfText::default();
    let mut any_glyph = false;
    let mut tables = Tables::default();
    for page in pages {
        any_glyph |= !page.lines.is_empty();
        if let Some(why) = page.failure {
            out.failed_pages.push((page.number, why));
        }
        tables.begin_page(page.number, &page.tables);
        for line in page.lines {
            match line {
                PageLine::Text(text) => {
                    out.text.push_str(&text);
                    out.text.push('\n');
                    out.pages.push(page.number);
                }
                PageLine::Row { table, cells } => tables.row(&mut out, page.number, table, cells),
            }
        }
        // A blank line between pages, as text exports put a page break.
        out.text.push('\n');
        out.pages.push(page.number);
    }
    if tables.mended {
        tables.finish(&mut out);
    }
    // Release what lopdf holds before returning the text.
    document.objects.clear();
    if !any_glyph {
        return Err(if out.failed_pages.is_empty() {
            PdfError::NoTextLayer
        } else {
            PdfError::Unreadable(out.failed_pages[0].1.clone())
        });
    }
    Ok(out)
}

/// What one page gave.
struct PageText {
    number: u32,
    lines: Vec<PageLine>,
    /// The column boundaries of each table of the page.
    tables: Vec<Vec<f64>>,
    failure: Option<String>,
}

/// A line of a page: text, or a row of the page's `table`-th table.
enum PageLine {
    Text(String),
    Row {
        table: usize,
        cells: Vec<grid::GridCell>,
    },
}

/// The page's lines: its tables' rows and the other glyphs' lines, top to bottom.
fn page_lines(glyphs: Vec<Glyph>, rules: grid::Rules) -> (Vec<PageLine>, Vec<Vec<f64>>) {
    let (tables, rest) = grid::tables(rules, glyphs);
    let mut lines: Vec<(f64, PageLine)> = line_groups(rest)
        .into_iter()
        .map(|(y, text)| (y, PageLine::Text(text)))
        .collect();
    let mut columns = Vec::with_capacity(tables.len());
    for (index, table) in tables.into_iter().enumerate() {
        columns.push(table.columns);
        lines.extend(table.rows.into_iter().map(|row| {
            (
                row.top,
                PageLine::Row {
                    table: index,
                    cells: row.cells,
                },
            )
        }));
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    (lines.into_iter().map(|(_, line)| line).collect(), columns)
}

/// Table rows as they come, page after page: numbers tables across the document, joins
/// a table continued on the next page, skips its repeated header row and mends a row
/// the page break cut.
#[derive(Default)]
struct Tables {
    /// Document table number of each table of the current page.
    numbers: Vec<Option<u32>>,
    /// The previous page's last table: its page, number and columns.
    last: Option<(u32, u32, Vec<f64>)>,
    /// The current page's tables' columns.
    columns: Vec<Vec<f64>>,
    page: u32,
    count: u32,
    /// The first row (header) of each document table.
    headers: Vec<Vec<String>>,
    /// The current page continues a table whose next row is the first of the page.
    continued: Option<u32>,
    /// A row was mended: the text's row lines are rewritten at the end.
    mended: bool,
}

impl Tables {
    fn begin_page(&mut self, page: u32, columns: &[Vec<f64>]) {
        // The last table of the page before becomes `last`.
        if let Some((index, Some(number))) = self
            .numbers
            .iter()
            .enumerate()
            .rev()
            .find(|(_, n)| n.is_some())
        {
            self.last = Some((self.page, *number, self.columns[index].clone()));
        }
        self.page = page;
        self.columns = columns.to_vec();
        self.numbers = vec![None; columns.len()];
        self.continued = None;
    }

    fn row(&mut self, out: &mut PdfText, page: u32, table: usize, cells: Vec<grid::GridCell>) {
        let Some(slot) = self.numbers.get(table).copied() else {
            return;
        };
        let number = match slot {
            Some(number) => number,
            None => {
                let same_columns = |a: &[f64], b: &[f64]| {
                    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= grid::SNAP)
                };
                let continues = table == 0
                    && self.last.as_ref().is_some_and(|(last_page, _, columns)| {
                        last_page.checked_add(1) == Some(page)
                            && same_columns(columns, self.columns.get(table).map_or(&[], |c| c))
                    });
                let number = match (&self.last, continues) {
                    (Some((_, number, _)), true) => {
                        self.continued = Some(*number);
                        *number
                    }
                    _ => {
                        self.count += 1;
                        self.count - 1
                    }
                };
                self.numbers[table] = Some(number);
                number
            }
        };
        let texts: Vec<String> = cells.iter().map(|c| c.text.clone()).collect();
        if self.continued == Some(number) {
            // The first rows of a continued table: its header repeated, or the rest of a
            // row the page break cut (its every cell starts in lower case).
            if self.headers.get(number as usize) == Some(&texts) {
                return;
            }
            self.continued = None;
            if cells
                .iter()
                .all(|c| !c.spanned && c.text.chars().next().is_some_and(char::is_lowercase))
                && self.mend(out, number, &cells)
            {
                self.mended = true;
                return;
            }
        }
        if self.headers.len() <= number as usize {
            self.headers.resize(number as usize + 1, Vec::new());
            self.headers[number as usize] = texts;
        }
        let line = out.pages.len() as u32 + 1;
        out.text.push_str(&row_text(
            cells.iter().map(|c| (c.column, c.text.as_str(), c.spanned)),
        ));
        out.text.push('\n');
        out.pages.push(page);
        out.rows.push(PdfRow {
            line,
            table: number,
            cells: cells
                .into_iter()
                .map(|c| PdfCell {
                    column: c.column as u32,
                    text: c.text,
                    spanned: c.spanned,
                })
                .collect(),
        });
    }

    /// Adds `cells` to the last row of `table`, each to the cell of its column; the text
    /// line of that row is rewritten at the end ([`Tables::finish`]).
    fn mend(&mut self, out: &mut PdfText, table: u32, cells: &[grid::GridCell]) -> bool {
        let Some(row) = out.rows.last_mut().filter(|r| r.table == table) else {
            return false;
        };
        for cell in cells {
            match row
                .cells
                .iter_mut()
                .find(|c| c.column == cell.column as u32)
            {
                Some(own) => {
                    own.text.push(' ');
                    own.text.push_str(&cell.text);
                }
                None => {
                    let at = row.cells.partition_point(|c| c.column < cell.column as u32);
                    row.cells.insert(
                        at,
                        PdfCell {
                            column: cell.column as u32,
                            text: cell.text.clone(),
                            spanned: false,
                        },
                    );
                }
            }
        }
        true
    }

    /// Rewrites every row's line from its cells (a mended row has grown).
    fn finish(&mut self, out: &mut PdfText) {
        let mut lines: Vec<&str> = out.text.split('\n').collect();
        let texts: Vec<(usize, String)> = out
            .rows
            .iter()
            .map(|row| {
                let cells = row
                    .cells
                    .iter()
                    .map(|c| (c.column as usize, c.text.as_str(), c.spanned));
                (row.line.saturating_sub(1) as usize, row_text(cells))
            })
            .collect();
        for (index, text) in &texts {
            if let Some(slot) = lines.get_mut(*index) {
                *slot = text;
            }
        }
        out.text = lines.join("\n");
    }
}

/// A row's line from its cells (column, text, spanned): its own cells (not the copies
/// of a cell spanning from above: a row has one of its own) at their columns, joined by
/// tabs.
fn row_text<'a>(cells: impl Iterator<Item = (usize, &'a str, bool)>) -> String {
    let mut line = String::new();
    let mut at = 0;
    for (column, text, _) in cells.filter(|&(_, _, spanned)| !spanned) {
        while at < column {
            line.push('\t');
            at += 1;
        }
        line.push_str(&text.replace(['\t', '\n', '\r', crate::document::CELL_BREAK], " "));
    }
    line
}

/// Reads `pages` (page number, object) in one pass over a copy of the document whose
/// page tree holds only them. A page that fails or panics is recorded with what it gave
/// so far, and the pass resumes after it; a page whose ancestors loop is not read.
fn read_pages(document: &pdf_extract::Document, pages: &[(u32, ObjectId)]) -> Vec<PageText> {
    let mut read = Vec::with_capacity(pages.len());
    let Some(root) = page_tree_root(document) else {
        return pages
            .iter()
            .map(|&(number, _)| failed(number, "the document has no page tree".into()))
            .collect();
    };
    // Pages whose parents loop would make pdf-extract loop forever.
    let loops: Vec<bool> = pages
        .iter()
        .map(|&(_, id)| parents_loop(document, id))
        .collect();
    let mut copy = document.clone();
    let mut rest = pages;
    while !rest.is_empty() {
        let start = pages.len() - rest.len();
        let (readable, looping) = match loops[start..].iter().position(|&looping| looping) {
            Some(0) => {
                read.push(failed(rest[0].0, "its page tree refers to itself".into()));
                rest = &rest[1..];
                continue;
            }
            Some(at) => (&rest[..at], true),
            None => (rest, false),
        };
        set_kids(&mut copy, root, readable);
        let mut collector = GlyphCollector::default();
        let result = catch_unwind(AssertUnwindSafe(|| {
            pdf_extract::output_doc(&copy, &mut collector)
        }));
        let failure = match result {
            Ok(Ok(())) => None,
            Ok(Err(error)) => Some(error.to_string()),
            Err(panic) => Some(panic_message(&panic)),
        };
        let done = collector.pages.len();
        for (index, (glyphs, rules)) in collector.pages.into_iter().enumerate() {
            let failure = (index + 1 == done).then(|| failure.clone()).flatten();
            let (lines, tables) = page_lines(glyphs, rules);
            read.push(PageText {
                number: readable[index].0,
                lines,
                tables,
                failure,
            });
        }
        if failure.is_some() && done == 0 {
            read.push(failed(readable[0].0, failure.clone().unwrap_or_default()));
        }
        let next = if failure.is_some() {
            done.max(1)
        } else {
            readable.len()
        };
        rest = &rest[next.min(rest.len())..];
        if !looping && failure.is_none() {
            break;
        }
    }
    read
}

fn failed(number: u32, why: String) -> PageText {
    PageText {
        number,
        lines: Vec::new(),
        tables: Vec::new(),
        failure: Some(why),
    }
}

/// The catalog's page tree root.
fn page_tree_root(document: &pdf_extract::Document) -> Option<ObjectId> {
    document
        .catalog()
        .ok()?
        .get(b"Pages")
        .ok()?
        .as_reference()
        .ok()
}

/// Makes the root's kids exactly `pages`.
fn set_kids(document: &mut pdf_extract::Document, root: ObjectId, pages: &[(u32, ObjectId)]) {
    if let Ok(dictionary) = document.get_dictionary_mut(root) {
        let kids = pages.iter().map(|&(_, id)| Object::Reference(id)).collect();
        dictionary.set("Kids", Object::Array(kids));
        dictionary.set("Count", Object::Integer(pages.len() as i64));
    }
}

/// True when following `/Parent` from `page` comes back to a node already seen.
fn parents_loop(document: &pdf_extract::Document, page: ObjectId) -> bool {
    let mut seen = vec![page];
    let mut node = page;
    while let Some(parent) = document
        .get_dictionary(node)
        .ok()
        .and_then(|d| d.get(b"Parent").ok())
        .and_then(|p| p.as_reference().ok())
    {
        if seen.contains(&parent) || seen.len() > 64 {
            return true;
        }
        seen.push(parent);
        node = parent;
    }
    false
}

/// Refuses a document whose pages' content streams inflate beyond [`CONTENT_BUDGET`],
/// counting inflated bytes without keeping them (at most the budget is ever decoded).
fn check_content_size(document: &pdf_extract::Document) -> Result<(), PdfError> {
    use std::io::Read;
    let mut remaining = CONTENT_BUDGET;
    for page_id in document.get_pages().into_values() {
        for stream_id in document.get_page_contents(page_id) {
            let Ok(pdf_extract::Object::Stream(stream)) = document.get_object(stream_id) else {
                continue;
            };
            // Every Flate filter of the chain undone in turn, streaming: two chained
            // filters multiply the ratio of one.
            let flates = stream.filters().map_or(0, |filters| {
                filters.iter().take_while(|f| *f == b"FlateDecode").count()
            });
            let mut reader: Box<dyn Read + '_> = Box::new(stream.content.as_slice());
            for _ in 0..flates {
                reader = Box::new(flate2::read::ZlibDecoder::new(reader));
            }
            // Damaged data ends the count early; pdf-extract reports it later.
            let size =
                std::io::copy(&mut reader.take(remaining + 1), &mut std::io::sink()).unwrap_or(0);
            remaining = remaining.checked_sub(size).ok_or(PdfError::TooLarge)?;
        }
    }
    Ok(())
}

/// One glyph: position of its origin (top-down y), advance width and size, text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Glyph {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub size: f64,
    pub text: String,
}

/// The glyphs and ruling segments of each page pdf-extract began, in order.
#[derive(Default)]
struct GlyphCollector {
    flip: Option<Transform>,
    pages: Vec<(Vec<Glyph>, grid::Rules)>,
    /// Segments kept on the current page (bounded by [`MAX_SEGMENTS`]).
    segments: usize,
}

/// At most this many ruling segments are kept per page: past it, the page is drawing.
const MAX_SEGMENTS: usize = 100_000;

impl GlyphCollector {
    /// The path's points in top-down page space, sub-path by sub-path: each as points
    /// with whether the path is made of straight lines only.
    fn subpaths(&self, ctm: &Transform, path: &Path) -> Vec<(Vec<(f64, f64)>, bool)> {
        let to_page = ctm.post_transform(&self.flip.unwrap_or_else(Transform::identity));
        let point = |x: f64, y: f64| {
            let p = to_page.transform_point(euclid::point2(x, y));
            (p.x, p.y)
        };
        let mut subpaths: Vec<(Vec<(f64, f64)>, bool)> = Vec::new();
        for op in &path.ops {
            match *op {
                PathOp::MoveTo(x, y) => subpaths.push((vec![point(x, y)], true)),
                PathOp::LineTo(x, y) => match subpaths.last_mut() {
                    Some((points, _)) => points.push(point(x, y)),
                    None => subpaths.push((vec![point(x, y)], true)),
                },
                PathOp::CurveTo(_, _, _, _, x, y) => match subpaths.last_mut() {
                    Some((points, straight)) => {
                        points.push(point(x, y));
                        *straight = false;
                    }
                    None => subpaths.push((vec![point(x, y)], false)),
                },
                PathOp::Rect(x, y, width, height) => {
                    let corners = vec![
                        point(x, y),
                        point(x + width, y),
                        point(x + width, y + height),
                        point(x, y + height),
                        point(x, y),
                    ];
                    subpaths.push((corners, true));
                    // Drawing goes on from the rectangle's corner.
                    subpaths.push((vec![point(x, y)], true));
                }
                PathOp::Close => {
                    if let Some((points, _)) = subpaths.last_mut()
                        && let Some(&first) = points.first()
                    {
                        points.push(first);
                    }
                }
            }
        }
        subpaths
    }

    /// The rules a painted path draws: a stroked path's straight segments, a filled
    /// straight path's box when it is thin.
    fn add_rules(&mut self, ctm: &Transform, path: &Path, paint: Paint) {
        if self.segments >= MAX_SEGMENTS {
            return;
        }
        let subpaths = self.subpaths(ctm, path);
        let Some((_, rules)) = self.pages.last_mut() else {
            return;
        };
        let mut added = 0;
        for (points, straight) in &subpaths {
            match paint {
                Paint::Stroke => {
                    for pair in points.windows(2) {
                        rules.segment(pair[0], pair[1]);
                        added += 1;
                    }
                }
                Paint::Fill if *straight && points.len() > 1 => {
                    let (mut x0, mut y0) = (f64::INFINITY, f64::INFINITY);
                    let (mut x1, mut y1) = (f64::NEG_INFINITY, f64::NEG_INFINITY);
                    for &(x, y) in points {
                        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
                    }
                    rules.thin_box((x0, y0, x1, y1));
                    added += 1;
                }
                Paint::Fill => {}
            }
        }
        self.segments += added;
    }
}

/// How a path is painted.
#[derive(Clone, Copy)]
enum Paint {
    Stroke,
    Fill,
}

impl OutputDev for GlyphCollector {
    fn begin_page(
        &mut self,
        _: u32,
        media_box: &MediaBox,
        _: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.flip = Some(Transform::row_major(
            1.,
            0.,
            0.,
            -1.,
            0.,
            media_box.ury - media_box.lly,
        ));
        self.pages.push((Vec::new(), grid::Rules::default()));
        self.segments = 0;
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let flip = self.flip.unwrap_or_else(Transform::identity);
        let position = trm.post_transform(&flip);
        let scaled = trm.transform_vector(euclid::vec2(font_size, font_size));
        let size = (scaled.x * scaled.y).abs().sqrt();
        if !size.is_finite()
            || size <= 0.0
            || !position.m31.is_finite()
            || !position.m32.is_finite()
        {
            return Ok(());
        }
        let Some((page, _)) = self.pages.last_mut() else {
            return Ok(());
        };
        // A line break in a glyph's text would shift the lines of the text after it.
        let text = if text.contains(['\n', '\r']) {
            text.replace(['\n', '\r'], " ")
        } else {
            text.to_owned()
        };
        page.push(Glyph {
            x: position.m31,
            y: position.m32,
            width: width * size,
            size,
            text,
        });
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn stroke(
        &mut self,
        ctm: &Transform,
        _: &ColorSpace,
        _: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.add_rules(ctm, path, Paint::Stroke);
        Ok(())
    }
    fn fill(
        &mut self,
        ctm: &Transform,
        _: &ColorSpace,
        _: &[f64],
        path: &Path,
    ) -> Result<(), OutputError> {
        self.add_rules(ctm, path, Paint::Fill);
        Ok(())
    }
}

/// Glyphs of one page → text lines, top to bottom, cells separated by tabs.
pub(crate) fn lines_of(glyphs: Vec<Glyph>) -> Vec<String> {
    line_groups(glyphs)
        .into_iter()
        .map(|(_, line)| line)
        .collect()
}

/// Glyphs → text lines with the baseline of each, top to bottom.
fn line_groups(mut glyphs: Vec<Glyph>) -> Vec<(f64, String)> {
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    // Baselines within half a font size are one line.
    let mut rows: Vec<Vec<Glyph>> = Vec::new();
    for glyph in glyphs {
        match rows.last_mut() {
            Some(row)
                if row.last().is_some_and(|last| {
                    (glyph.y - last.y).abs() <= 0.5 * last.size.max(glyph.size)
                }) =>
            {
                row.push(glyph)
            }
            _ => rows.push(vec![glyph]),
        }
    }
    rows.into_iter()
        .map(|mut row| {
            let baseline = row.first().map_or(0.0, |g| g.y);
            row.sort_by(|a, b| a.x.total_cmp(&b.x));
            let mut line = String::new();
            let mut end: Option<f64> = None;
            for glyph in row {
                if let Some(end) = end {
                    let gap = glyph.x - end;
                    if gap > CELL_GAP * glyph.size {
                        line.push('\t');
                    } else if gap > WORD_GAP * glyph.size && !line.ends_with(' ') {
                        line.push(' ');
                    }
                }
                if glyph.text.trim().is_empty() {
                    if !line.ends_with([' ', '\t']) && !line.is_empty() {
                        line.push(' ');
                    }
                } else {
                    line.push_str(&glyph.text);
                }
                end = Some(glyph.x + glyph.width);
            }
            (baseline, line.trim_end().to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyphs(spec: &[(f64, f64, &str)]) -> Vec<Glyph> {
        // Every glyph 10 units tall and 5 wide.
        spec.iter()
            .map(|&(x, y, text)| Glyph {
                x,
                y,
                width: 5.0,
                size: 10.0,
                text: text.to_owned(),
            })
            .collect()
    }

    #[test]
    fn kerning_is_not_a_space_and_columns_are_tabs() {
        // "SEC URITIES" in pdf-extract's output: a 1-unit kerning gap (0.1 em).
        let line = lines_of(glyphs(&[
            (0.0, 100.0, "S"),
            (5.0, 100.0, "E"),
            (10.0, 100.0, "C"),
            (16.0, 100.0, "U"),
            (21.0, 100.0, "R"),
        ]));
        assert_eq!(line, ["SECUR"]);
        let line = lines_of(glyphs(&[
            (0.0, 100.0, "a"),
            (8.0, 100.0, "b"),
            (40.0, 100.0, "c"),
        ]));
        assert_eq!(line, ["a b\tc"]);
    }

    #[test]
    fn lines_are_ordered_top_to_bottom_whatever_the_drawing_order() {
        let lines = lines_of(glyphs(&[
            (0.0, 200.0, "2"),
            (0.0, 100.0, "1"),
            (5.0, 101.0, "x"),
        ]));
        assert_eq!(lines, ["1x", "2"]);
    }

    fn cells(texts: &[&str]) -> Vec<grid::GridCell> {
        texts
            .iter()
            .enumerate()
            .filter(|(_, text)| !text.is_empty())
            .map(|(column, text)| grid::GridCell {
                column,
                text: (*text).to_owned(),
                spanned: false,
            })
            .collect()
    }

    #[test]
    fn a_table_continued_on_the_next_page_skips_its_header_and_mends_a_cut_row() {
        let columns = vec![vec![0.0, 100.0, 200.0]];
        let mut out = PdfText::default();
        let mut tables = Tables::default();
        tables.begin_page(1, &columns);
        let header = cells(&["Intitulé", "Pilote"]);
        tables.row(&mut out, 1, 0, header.clone());
        tables.row(&mut out, 1, 0, cells(&["Action 1 : ouvrir", "LM"]));
        tables.row(&mut out, 1, 0, cells(&["Action 2 : signer une", "MR"]));
        out.text.push('\n');
        out.pages.push(1);
        // Page 2: the same columns, the header again, then the rest of action 2.
        tables.begin_page(2, &columns);
        tables.row(&mut out, 2, 0, header);
        tables.row(&mut out, 2, 0, cells(&["convention", ""]));
        tables.row(&mut out, 2, 0, cells(&["Action 3 : évaluer", "DB"]));
        // Page 3: other columns, another table.
        tables.begin_page(3, &[vec![0.0, 50.0, 300.0]]);
        tables.row(&mut out, 3, 0, cells(&["a", "b"]));
        tables.finish(&mut out);
        assert_eq!(
            out.text,
            "Intitulé\tPilote\nAction 1 : ouvrir\tLM\nAction 2 : signer une convention\tMR\n\nAction 3 : évaluer\tDB\na\tb\n"
        );
        let rows: Vec<(u32, u32, Vec<&str>)> = out
            .rows
            .iter()
            .map(|r| {
                (
                    r.line,
                    r.table,
                    r.cells.iter().map(|c| c.text.as_str()).collect(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (1, 0, vec!["Intitulé", "Pilote"]),
                (2, 0, vec!["Action 1 : ouvrir", "LM"]),
                (3, 0, vec!["Action 2 : signer une convention", "MR"]),
                (5, 0, vec!["Action 3 : évaluer", "DB"]),
                (6, 1, vec!["a", "b"]),
            ]
        );
        assert_eq!(out.pages, [1, 1, 1, 1, 2, 3]);
    }

    #[test]
    fn not_a_pdf_and_broken_pdfs() {
        assert!(!is_pdf(b"hello"));
        assert!(is_pdf(b"%PDF-1.7\n"));
        assert!(matches!(
            extract(b"%PDF-1.7\n1 0 obj", TIME_BUDGET),
            Err(PdfError::Unreadable(_))
        ));
    }
}
