//! PDF input: the text layer, page by page, through pdf-extract driven by our own
//! [`OutputDev`], then rebuilt into lines and tab-separated cells so that the text
//! readers see what they see in a text export.
//!
//! pdf-extract's own text output inserts a space at every glyph gap above 0.1 em and
//! ignores columns. Here each glyph is kept with its position; lines are glyphs whose
//! baselines are within half a font size, ordered left to right; a gap wider than
//! [`WORD_GAP`] font sizes is a space, one wider than [`CELL_GAP`] is a cell boundary
//! (a tab). The library panics on some malformed files and can loop on others: every
//! call runs under `catch_unwind` in a worker thread with a time budget, and a page that
//! fails is a diagnostic, not the end of the document.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::time::Duration;

use pdf_extract::{MediaBox, Object, ObjectId, OutputDev, OutputError, Transform};
use rayon::prelude::*;

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
    /// The pages' content streams inflate beyond [`CONTENT_BUDGET`].
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
    for page in pages {
        any_glyph |= !page.lines.is_empty();
        if let Some(why) = page.failure {
            out.failed_pages.push((page.number, why));
        }
        for line in page.lines {
            out.text.push_str(&line);
            out.text.push('\n');
            out.pages.push(page.number);
        }
        // A blank line between pages, as text exports put a page break.
        out.text.push('\n');
        out.pages.push(page.number);
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
    lines: Vec<String>,
    failure: Option<String>,
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
        for (index, glyphs) in collector.pages.into_iter().enumerate() {
            let failure = (index + 1 == done).then(|| failure.clone()).flatten();
            read.push(PageText {
                number: readable[index].0,
                lines: lines_of(glyphs),
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

/// The glyphs of each page pdf-extract began, in order.
#[derive(Default)]
struct GlyphCollector {
    flip: Option<Transform>,
    pages: Vec<Vec<Glyph>>,
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
        self.pages.push(Vec::new());
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
        let Some(page) = self.pages.last_mut() else {
            return Ok(());
        };
        page.push(Glyph {
            x: position.m31,
            y: position.m32,
            width: width * size,
            size,
            text: text.to_owned(),
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
}

/// Glyphs of one page → text lines, top to bottom, cells separated by tabs.
pub(crate) fn lines_of(mut glyphs: Vec<Glyph>) -> Vec<String> {
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
            line.trim_end().to_owned()
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
