//! Parsers that read PST documents of every format into the canonical model.
//!
//! [`parse`] takes a document's path (for provenance only) and its bytes, decodes them,
//! recognises the format from the content, and returns what it could read with
//! diagnostics. Parsing never fails on content it half understands: only empty,
//! binary and unrecognised documents are errors.
//!
//! ```
//! let doc = pst_parse::parse("plan.tsv", "O.S. 1 - Aider\nO.O. 1.1.\tLoger\naction 1\tSigner\n".as_bytes())?;
//! assert_eq!(doc.source.format, "tsv-catalogue");
//! let oo = &doc.strategic_objectives[0].operational_objectives[0];
//! assert_eq!((oo.code.as_str(), oo.actions[0].title.as_str()), ("OO1.1", "Signer"));
//! # Ok::<(), pst_parse::ParseError>(())
//! ```

mod claims;
mod columns;
mod decode;
mod document;
mod docx;
mod ecomptes_xml;
mod fiches;
mod html;
mod lexicon;
mod lines;
mod links;
mod markdown;
mod markup;
mod metadata;
mod nested_list;
mod nesting;
mod numbering;
mod odt;
mod office;
mod outline;
mod pdf;
mod recognise;
mod rows;
mod sheet;
mod tabbed_text;
mod text;
mod tree;
mod tsv_catalogue;

use pst_model::{
    Claim, Coverage, Diagnostic, Link, Period, ResidueLine, Source, StrategicObjective,
};
use sha2::{Digest, Sha256};

pub use decode::{Decoded, decode};
pub use lexicon::{DEFAULT_LEXICON, Field, Lexicon, LexiconError};
pub use markup::strip_markup;
pub use pdf::{PdfCell, PdfError, PdfRow, PdfText};

/// A document format that `pst` can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Tab-separated action catalogue: one labelled row per volet, OS, OO and action.
    TsvCatalogue,
    /// Headings and nested numbered or bulleted lists in plain text (a web page as text).
    NestedList,
    /// Headings and nested `ol`/`ul` lists in an HTML page.
    Html,
    /// Markdown: labelled headings, tab-separated rows, pipe tables, recap tables.
    Markdown,
    /// Prose with tab-separated tables (a PST as text from a PDF or Word file): summary
    /// tables, a catalogue, links to the communal PST.
    Narrative,
    /// One "fiche action" per project, the hierarchy in a table of contents.
    Fiches,
    /// A CSV table with a header row naming its columns.
    Csv,
    /// A Word document (Office Open XML): headings, numbered lists, tables.
    Docx,
    /// An OpenDocument text: headings, numbered lists, tables.
    Odt,
    /// An Excel workbook (Office Open XML): one table per sheet.
    Xlsx,
    /// An OpenDocument spreadsheet: one table per sheet.
    Ods,
    /// A legacy Excel workbook (BIFF): one table per sheet.
    Xls,
    /// Any other plain text: headings, lists, paragraphs, fields and tables read by the
    /// recogniser.
    Text,
    /// The region's eComptes XML exchange file (schema `201805V1`), as `pst export --to
    /// ecomptes` writes it.
    Ecomptes,
}

impl Format {
    /// The name written in `sources[].format`.
    pub fn name(self) -> &'static str {
        match self {
            Format::TsvCatalogue => "tsv-catalogue",
            Format::NestedList => "nested-list",
            Format::Html => "html",
            Format::Markdown => "markdown",
            Format::Narrative => "narrative",
            Format::Fiches => "fiches",
            Format::Text => "text",
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Ods => "ods",
            Format::Xls => "xls",
            Format::Ecomptes => "ecomptes-xml",
        }
    }
}

/// Why a document could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// No bytes, or only whitespace.
    #[error("empty document")]
    Empty,
    /// The bytes are not text in any supported encoding.
    #[error("binary content: not a text document in a supported encoding")]
    Binary,
    /// Text, but in no format that `pst` recognises.
    #[error("unrecognised format: no PST structure (objectives, actions) found")]
    UnknownFormat,
    /// Text in which no objective or action was recognised; the lines that came nearest
    /// (they name a level or a field) are quoted, so a user can see what was not read.
    #[error(
        "unrecognised format: no PST structure (objectives, actions) found; nearest lines: {0}"
    )]
    NoPlan(String),
    /// A PDF that does not parse (truncated, damaged) or that the PDF library fails on.
    #[error("PDF could not be read: {0}")]
    UnreadablePdf(String),
    /// A PDF encrypted with a password.
    #[error("encrypted PDF: it needs a password to be read")]
    EncryptedPdf,
    /// A PDF whose pages hold no text (a scan).
    #[error("PDF without a text layer (a scanned document?): no text to read")]
    NoTextLayer,
    /// A PDF that took longer than the time budget.
    #[error("PDF reading stopped: it took longer than the time budget")]
    PdfTooSlow,
    /// A Word or OpenDocument text file: not read yet.
    #[error(
        "{0} document: not read yet (save it as PDF, HTML or text, or its tables as a spreadsheet)"
    )]
    UnsupportedOffice(String),
    /// A workbook or Office file that does not open (corrupt, encrypted, too large).
    #[error("Office file could not be read: {0}")]
    UnreadableOffice(String),
    /// A PDF whose page contents inflate beyond the memory budget.
    #[error("PDF reading stopped: its page contents inflate beyond the memory budget of 100 MB")]
    PdfTooLarge,
    /// The PDF reader was stopped from outside: it crashed, or went past a limit of the
    /// process it ran in.
    #[error("PDF reading stopped: {0}")]
    PdfStopped(String),
    /// An XML document that is refused (it declares entities) or broken before anything
    /// could be read.
    #[error("XML could not be read: {0}")]
    UnreadableXml(String),
}

impl From<pdf::PdfError> for ParseError {
    fn from(error: pdf::PdfError) -> Self {
        match error {
            pdf::PdfError::Unreadable(why) => ParseError::UnreadablePdf(why),
            pdf::PdfError::Encrypted => ParseError::EncryptedPdf,
            pdf::PdfError::NoTextLayer => ParseError::NoTextLayer,
            pdf::PdfError::TooSlow => ParseError::PdfTooSlow,
            pdf::PdfError::TooLarge => ParseError::PdfTooLarge,
            pdf::PdfError::Stopped(why) => ParseError::PdfStopped(why),
        }
    }
}

/// Everything read from one document.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDocument {
    /// Path, format, checksum, size and encoding of the document.
    pub source: Source,
    /// The organisation the document names, if any.
    pub organisation: Option<String>,
    /// The period the document states, if any.
    pub period: Option<Period>,
    /// The objectives tree, ids not yet assigned.
    pub strategic_objectives: Vec<StrategicObjective>,
    /// What could not be read or looked doubtful.
    pub diagnostics: Vec<Diagnostic>,
    /// The values the plan states ("Humanité", "Respect"…), not objectives.
    pub values: Vec<String>,
    /// Links to another plan (the communal PST), `from` not yet resolved.
    pub links: Vec<Link>,
    /// Figures the document states about itself, not yet compared.
    pub claims: Vec<Claim>,
    /// Lines with text that were read into nothing (prose, cover pages, contents).
    pub residue: Vec<ResidueLine>,
    /// The municipality's 5-digit NIS (INS) code, when the document states it (eComptes).
    pub ins: Option<String>,
}

impl ParsedDocument {
    /// Every action read, in document order.
    pub fn actions(&self) -> impl Iterator<Item = &pst_model::Action> {
        self.strategic_objectives
            .iter()
            .flat_map(|os| &os.operational_objectives)
            .flat_map(|oo| &oo.actions)
    }
}

/// What a format's parser returns.
pub(crate) struct Body {
    organisation: Option<String>,
    period: Option<Period>,
    strategic_objectives: Vec<StrategicObjective>,
    diagnostics: Vec<Diagnostic>,
    values: Vec<String>,
    links: Vec<Link>,
    /// Lines read into the tree or a plan field beyond the entities' provenance lines
    /// (volet headings, header rows, wrapped titles, fiche fields), unordered.
    used_lines: Vec<u32>,
}

impl Body {
    /// Any objective or action read (partial plans are read, with warnings).
    fn holds_structure(&self) -> bool {
        self.strategic_objectives
            .iter()
            .any(|os| !os.placeholder || !os.operational_objectives.is_empty())
    }

    /// How many fields of actions were read (indicators, pilots, deadline, progress,
    /// status, service, partners, budget…), one per filled field.
    fn field_count(&self) -> usize {
        self.strategic_objectives
            .iter()
            .flat_map(|os| &os.operational_objectives)
            .flat_map(|oo| &oo.actions)
            .map(|a| {
                usize::from(!a.indicators.is_empty())
                    + usize::from(!a.pilots.is_empty())
                    + usize::from(a.deadline_raw.is_some())
                    + usize::from(a.progress.is_some())
                    + usize::from(a.status_raw.is_some())
                    + usize::from(a.service.is_some())
                    + usize::from(!a.partners.is_empty())
                    + usize::from(a.budget.is_some())
                    + usize::from(a.comments.is_some())
                    + usize::from(!a.mandataries.is_empty())
            })
            .sum()
    }

    /// At least one action under a real OO under a real OS (not placeholders).
    fn holds_plan(&self) -> bool {
        self.strategic_objectives.iter().any(|os| {
            !os.placeholder
                && os
                    .operational_objectives
                    .iter()
                    .any(|oo| !oo.placeholder && !oo.actions.is_empty())
        })
    }

    /// Fills the organisation and period from what numbered `lines` state; the lines
    /// they came from are read into the plan.
    fn with_metadata<'a>(mut self, lines: impl Iterator<Item = (u32, &'a str)> + Clone) -> Body {
        if let Some((line, organisation)) = metadata::find_organisation(lines.clone()) {
            self.organisation = Some(organisation);
            self.used_lines.push(line);
        }
        if let Some((line, period)) = metadata::find_period(lines) {
            self.period = Some(period);
            self.used_lines.push(line);
        }
        self
    }
}

/// The text layer of a PDF as `pst` reads it: lines top to bottom, cells separated by
/// tabs, a blank line after each page.
pub fn pdf_text(bytes: &[u8]) -> Result<String, ParseError> {
    Ok(pdf::extract(bytes, pdf::TIME_BUDGET)?.text)
}

/// Extracts the text layer of a PDF in this process, pages on worker threads, giving up
/// after `budget`. A hostile PDF can still exhaust this process's stack or memory: a
/// program that must survive any input runs this in a child process and gives the
/// result to [`parse_with_pdf_reader`].
pub fn extract_pdf(bytes: &[u8], budget: std::time::Duration) -> Result<PdfText, PdfError> {
    pdf::extract(bytes, budget)
}

/// Recognises the format of decoded `text`, from its content only.
pub fn detect(text: &str) -> Option<Format> {
    if ecomptes_xml::is_ecomptes(text.as_bytes()) {
        return Some(Format::Ecomptes);
    }
    read("", text, Lexicon::shipped()).map(|(format, _)| format)
}

/// What `text` holds: its blocks read by the recogniser, or, for the corpus layouts that
/// still have a reader of their own (catalogue, narrative, fiches, the first Markdown and
/// nested-list readers), that reader's plan when it reads at least as many lines.
fn read(path: &str, text: &str, lexicon: &Lexicon) -> Option<(Format, Body)> {
    read_blocks(path, text, lexicon, None)
}

/// [`read`], with the text's blocks when its container gives them (a PDF's tables).
fn read_blocks(
    path: &str,
    text: &str,
    lexicon: &Lexicon,
    blocks: Option<document::Document>,
) -> Option<(Format, Body)> {
    if html::looks_like_html(text) {
        let body = html::parse_with(path, text, lexicon);
        return body.holds_structure().then_some((Format::Html, body));
    }
    if let Some(document) = sheet::csv_document(lexicon, text) {
        let body = recognise::recognise(path, lexicon, &document)
            .with_metadata(lines::numbered_lines(text));
        if body.holds_structure() {
            return Some((Format::Csv, body));
        }
    }
    let markdown = markdown::is_markdown(text);
    // The catalogue, narrative and fiche readers answer only to their strong cues (most
    // lines labelled rows, tab-separated `Action N` rows, `FICHE ACTION` lines): when one
    // holds, its reading is the document's and the recogniser is not run. The first
    // Markdown and nested-list readers are kept where they read as many action fields.
    let corpus = corpus_layout(path, text, markdown);
    if let Some((format, body, true)) = corpus {
        return Some((format, body));
    }
    let document = match blocks {
        Some(blocks) => blocks,
        None if markdown => markdown::document(text),
        None => text::blocks(text),
    };
    let generic =
        recognise::recognise(path, lexicon, &document).with_metadata(lines::numbered_lines(text));
    let generic_format = if markdown {
        Format::Markdown
    } else {
        Format::Text
    };
    match corpus {
        Some((format, body, _)) if body.field_count() >= generic.field_count() => {
            Some((format, body))
        }
        _ if generic.holds_structure() => Some((generic_format, generic)),
        corpus => corpus.map(|(format, body, _)| (format, body)),
    }
}

/// The corpus layouts' own readers, tried in turn (being moved onto the recogniser).
fn corpus_layout(path: &str, text: &str, markdown: bool) -> Option<(Format, Body, bool)> {
    if markdown && let Some(body) = markdown::read(path, text) {
        return Some((Format::Markdown, body, false));
    }
    if tsv_catalogue::recognise(text) {
        return Some((Format::TsvCatalogue, tsv_catalogue::parse(path, text), true));
    }
    if let Some(body) = tabbed_text::read_narrative(path, text) {
        return Some((Format::Narrative, body, true));
    }
    if let Some(body) = fiches::read(path, text) {
        return Some((Format::Fiches, body, true));
    }
    nested_list::read(path, text).map(|body| (Format::NestedList, body, false))
}

/// Reads one text document as `format`, without recognising its format first (the
/// readers' own tests of their format are skipped). Fails as [`parse`] does, and with
/// [`ParseError::UnknownFormat`] when the reader finds no plan structure.
///
/// ```
/// use pst_parse::{Format, ParseError, parse_as};
/// let text = "VOLET EXTERNE\nO.S. 1 - Aider\nO.O. 1.1.\tLoger\naction 1\tSigner\n";
/// let doc = parse_as("plan.txt", text.as_bytes(), Format::TsvCatalogue)?;
/// assert_eq!(doc.source.format, "tsv-catalogue");
/// assert_eq!(
///     parse_as("notes.txt", "Rien à lire ici".as_bytes(), Format::TsvCatalogue).err(),
///     Some(ParseError::UnknownFormat)
/// );
/// # Ok::<(), ParseError>(())
/// ```
pub fn parse_as(path: &str, bytes: &[u8], format: Format) -> Result<ParsedDocument, ParseError> {
    let container = match format {
        Format::Xlsx => Some(office::Container::Xlsx),
        Format::Ods => Some(office::Container::Ods),
        Format::Xls => Some(office::Container::Xls),
        Format::Docx => Some(office::Container::Docx),
        Format::Odt => Some(office::Container::Odt),
        _ => None,
    };
    if let Some(container) = container {
        return parse_office(path, bytes, container, Lexicon::shipped());
    }
    if format == Format::Ecomptes {
        return parse_ecomptes(path, bytes);
    }
    let decoded = decode(bytes)?;
    let text = decoded.text.as_str();
    let body = match format {
        Format::Xlsx
        | Format::Ods
        | Format::Xls
        | Format::Docx
        | Format::Odt
        | Format::Ecomptes => unreachable_text_format(),
        Format::Csv => sheet::csv_document(Lexicon::shipped(), text)
            .map(|document| recognise::recognise(path, Lexicon::shipped(), &document))
            .unwrap_or_else(|| recognise::recognise(path, Lexicon::shipped(), &Default::default())),
        Format::Text => recognise::recognise(path, Lexicon::shipped(), &text::blocks(text))
            .with_metadata(lines::numbered_lines(text)),
        Format::TsvCatalogue => tsv_catalogue::parse(path, text),
        Format::Narrative => tabbed_text::parse(path, text, tabbed_text::Unlabelled::Prose),
        Format::Fiches => fiches::parse(path, text),
        Format::Markdown => markdown::parse(path, text),
        Format::NestedList => nested_list::parse(path, text),
        Format::Html => html::parse(path, text),
    };
    if !body.holds_structure() {
        return Err(ParseError::UnknownFormat);
    }
    let claims = claims::find_claims(path, lines::numbered_lines(text));
    Ok(document(
        path,
        bytes,
        (format, text),
        decoded.encoding,
        body,
        claims,
    ))
}

impl Format {
    /// Every format, in the order they are tried.
    pub const ALL: [Format; 14] = [
        Format::Ecomptes,
        Format::Docx,
        Format::Odt,
        Format::Xlsx,
        Format::Ods,
        Format::Xls,
        Format::Html,
        Format::Csv,
        Format::Text,
        Format::Markdown,
        Format::TsvCatalogue,
        Format::Narrative,
        Format::Fiches,
        Format::NestedList,
    ];
}

/// Reads one document with the shipped lexicon. `path` is used for provenance and
/// diagnostics only.
pub fn parse(path: &str, bytes: &[u8]) -> Result<ParsedDocument, ParseError> {
    parse_with(path, bytes, Lexicon::shipped())
}

/// Reads one document with `lexicon`'s vocabulary.
pub fn parse_with(
    path: &str,
    bytes: &[u8],
    lexicon: &Lexicon,
) -> Result<ParsedDocument, ParseError> {
    parse_with_pdf_reader(path, bytes, lexicon, &|bytes| {
        pdf::extract(bytes, pdf::TIME_BUDGET)
    })
}

/// Reads one document with `lexicon`'s vocabulary; a PDF's text layer comes from
/// `read_pdf` (for instance [`extract_pdf`] run in a child process).
pub fn parse_with_pdf_reader(
    path: &str,
    bytes: &[u8],
    lexicon: &Lexicon,
    read_pdf: &dyn Fn(&[u8]) -> Result<PdfText, PdfError>,
) -> Result<ParsedDocument, ParseError> {
    if pdf::is_pdf(bytes) {
        return parse_pdf(path, bytes, read_pdf(bytes)?, lexicon);
    }
    if let Some(container) = office::container(bytes) {
        return parse_office(path, bytes, container, lexicon);
    }
    if ecomptes_xml::is_ecomptes(bytes) {
        return parse_ecomptes(path, bytes);
    }
    let decoded = decode(bytes)?;
    let (format, body) =
        read(path, &decoded.text, lexicon).ok_or_else(|| no_plan(&decoded.text, lexicon))?;
    let claims = claims::find_claims(path, lines::numbered_lines(&decoded.text));
    Ok(document(
        path,
        bytes,
        (format, &decoded.text),
        decoded.encoding,
        body,
        claims,
    ))
}

/// An eComptes XML file: its tree read element by element; lines are the XML's, and the
/// text for coverage and residue is each line's text content (tags are not text).
fn parse_ecomptes(path: &str, bytes: &[u8]) -> Result<ParsedDocument, ParseError> {
    let decoded = decode(bytes)?;
    let reading = ecomptes_xml::read(path, &decoded.text).map_err(ParseError::UnreadableXml)?;
    if !reading.body.holds_structure() {
        return Err(ParseError::UnknownFormat);
    }
    // An exchange file states no figures about itself: no claims.
    let mut document = document(
        path,
        bytes,
        (Format::Ecomptes, &reading.text),
        decoded.encoding,
        reading.body,
        Vec::new(),
    );
    document.ins = reading.ins;
    Ok(document)
}

/// A PDF: its text layer, read as text, its bordered tables' rows with the cells the
/// page's rules give; every provenance gets its page.
fn parse_pdf(
    path: &str,
    bytes: &[u8],
    extracted: PdfText,
    lexicon: &Lexicon,
) -> Result<ParsedDocument, ParseError> {
    let blocks = (!extracted.rows.is_empty())
        .then(|| text::blocks_with_rows(&extracted.text, &given_rows(&extracted)));
    let (format, body) =
        read_blocks(path, &extracted.text, lexicon, blocks).ok_or(ParseError::UnknownFormat)?;
    let claims = claims::find_claims(path, lines::numbered_lines(&extracted.text));
    let mut document = document(
        path,
        bytes,
        (format, &extracted.text),
        "pdf-text-layer".to_owned(),
        body,
        claims,
    );
    let page_of = |line: u32| {
        extracted
            .pages
            .get((line as usize).saturating_sub(1))
            .copied()
    };
    let set_pages = |provenance: &mut Vec<pst_model::Provenance>| {
        for p in provenance.iter_mut().filter(|p| p.source == path) {
            p.page = page_of(p.line);
        }
    };
    for os in &mut document.strategic_objectives {
        set_pages(&mut os.provenance);
        for oo in &mut os.operational_objectives {
            set_pages(&mut oo.provenance);
            for action in &mut oo.actions {
                set_pages(&mut action.provenance);
            }
        }
    }
    for link in &mut document.links {
        set_pages(&mut link.provenance);
    }
    for residue in &mut document.residue {
        residue.page = page_of(residue.line);
    }
    for claim in &mut document.claims {
        set_pages(&mut claim.provenance);
    }
    for (page, why) in extracted.failed_pages {
        document.diagnostics.push(Diagnostic::new(
            pst_model::Severity::Warning,
            path,
            None,
            format!("PDF page {page} could not be read ({why}): its text is missing"),
        ));
    }
    Ok(document)
}

/// The table rows of a PDF's text layer as the text builder takes them.
fn given_rows(extracted: &PdfText) -> Vec<text::GivenRow> {
    extracted
        .rows
        .iter()
        .map(|row| text::GivenRow {
            line: row.line,
            table: row.table,
            cells: row
                .cells
                .iter()
                .filter(|c| !text::is_blank_cell(&c.text))
                .map(|c| document::Cell {
                    column: c.column as usize,
                    text: document::cell_text(&c.text),
                    strong: false,
                    spanned: c.spanned,
                })
                .collect(),
        })
        .collect()
}

/// A workbook (XLSX, ODS, XLS): each sheet a table; every provenance gets its sheet and
/// row. Word and OpenDocument text files are named, not yet read.
fn parse_office(
    path: &str,
    bytes: &[u8],
    container: office::Container,
    lexicon: &Lexicon,
) -> Result<ParsedDocument, ParseError> {
    let format = match container {
        office::Container::Xlsx => Format::Xlsx,
        office::Container::Ods => Format::Ods,
        office::Container::Xls => Format::Xls,
        office::Container::Docx => {
            office::check_bounds(bytes)?;
            return parse_word(path, bytes, Format::Docx, lexicon);
        }
        office::Container::Odt => {
            office::check_bounds(bytes)?;
            return parse_word(path, bytes, Format::Odt, lexicon);
        }
    };
    office::check_bounds(bytes)?;
    let workbook = sheet::workbook(bytes, lexicon).map_err(ParseError::UnreadableOffice)?;
    // The cells as text, one line per row, so that coverage and residue work as for text.
    let last = workbook.document.blocks.last().map_or(0, |b| b.line);
    let mut lines = vec![String::new(); last as usize];
    for block in &workbook.document.blocks {
        if let document::BlockKind::Row(row) = &block.kind
            && let Some(slot) = lines.get_mut(block.line as usize - 1)
        {
            *slot = row
                .cells
                .iter()
                .map(|c| c.text.replace(['\n', '\r', '\t'], " "))
                .collect::<Vec<_>>()
                .join("\t");
        }
    }
    let text = lines.join("\n");
    let body = recognise::recognise(path, lexicon, &workbook.document)
        .with_metadata(lines::numbered_lines(&text));
    if !body.holds_structure() {
        return Err(no_plan(&text, lexicon));
    }
    let claims = claims::find_claims(path, lines::numbered_lines(&text));
    let mut document = document(
        path,
        bytes,
        (format, &text),
        format.name().to_owned(),
        body,
        claims,
    );
    let locate = |provenance: &mut Vec<pst_model::Provenance>| {
        for p in provenance.iter_mut().filter(|p| p.source == path) {
            if let Some((sheet, row)) = workbook.locate(p.line) {
                p.sheet = Some(sheet.to_owned());
                p.line = row;
            }
        }
    };
    for os in &mut document.strategic_objectives {
        locate(&mut os.provenance);
        for oo in &mut os.operational_objectives {
            locate(&mut oo.provenance);
            for action in &mut oo.actions {
                locate(&mut action.provenance);
            }
        }
    }
    if !workbook.own_tables.is_empty() {
        document.diagnostics.push(Diagnostic::new(
            pst_model::Severity::Info,
            path,
            None,
            format!(
                "sheets «{}» are pst's own tables (a plan_id column): not read, the follow-up sheet is",
                workbook.own_tables.join("», «")
            ),
        ));
    }
    for name in &workbook.cut {
        document.diagnostics.push(Diagnostic::new(
            pst_model::Severity::Warning,
            path,
            None,
            format!(
                "sheet «{name}» has more than {} rows: the rest is not read",
                sheet::MAX_SHEET_ROWS
            ),
        ));
    }
    Ok(document)
}

/// A Word or OpenDocument text: its blocks read by the recogniser; lines are paragraph
/// numbers.
fn parse_word(
    path: &str,
    bytes: &[u8],
    format: Format,
    lexicon: &Lexicon,
) -> Result<ParsedDocument, ParseError> {
    let blocks = if format == Format::Odt {
        odt::blocks(bytes)
    } else {
        docx::blocks(bytes)
    }
    .map_err(ParseError::UnreadableOffice)?;
    // The paragraphs as text, one line each, for metadata, coverage and residue.
    let last = blocks.blocks.last().map_or(0, |b| b.line);
    let mut lines = vec![String::new(); last as usize];
    for block in &blocks.blocks {
        if let Some(slot) = lines.get_mut(block.line as usize - 1) {
            let text = match &block.kind {
                document::BlockKind::Heading { text, .. }
                | document::BlockKind::Paragraph { text, .. }
                | document::BlockKind::ListItem { text, .. } => text.clone(),
                document::BlockKind::Row(row) => row
                    .cells
                    .iter()
                    .map(|c| c.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\t"),
            };
            *slot = text.replace(['\n', '\r'], " ");
        }
    }
    let text = lines.join("\n");
    let body =
        recognise::recognise(path, lexicon, &blocks).with_metadata(lines::numbered_lines(&text));
    if !body.holds_structure() {
        return Err(no_plan(&text, lexicon));
    }
    let claims = claims::find_claims(path, lines::numbered_lines(&text));
    Ok(document(
        path,
        bytes,
        (Format::Docx, &text),
        "docx".to_owned(),
        body,
        claims,
    ))
}

/// Workbook formats are read from bytes above, never as text.
fn unreachable_text_format() -> Body {
    Body {
        organisation: None,
        period: None,
        strategic_objectives: Vec::new(),
        diagnostics: Vec::new(),
        values: Vec::new(),
        links: Vec::new(),
        used_lines: Vec::new(),
    }
}

/// The error for a text with no plan: up to three lines that name a level or a field.
fn no_plan(text: &str, lexicon: &Lexicon) -> ParseError {
    let nearest: Vec<String> = lines::numbered_lines(text)
        .filter(|(_, line)| {
            let folded = lexicon::fold_prefix(line.trim(), 120);
            !folded.text.is_empty()
                && (lexicon.mentions_level(&folded.text)
                    || lexicon.field_label(&folded.text).is_some())
        })
        .take(3)
        .map(|(number, line)| format!("{number} «{}»", pst_model::shorten(line.trim(), 60)))
        .collect();
    if nearest.is_empty() {
        ParseError::UnknownFormat
    } else {
        ParseError::NoPlan(nearest.join(", "))
    }
}

/// Share of a document's lines with text that must be read into the plan before a
/// warning says how many are residue.
const COVERAGE_WARNING_PERCENT: u32 = 80;

fn document(
    path: &str,
    bytes: &[u8],
    (format, text): (Format, &str),
    encoding: String,
    mut body: Body,
    claims: Vec<Claim>,
) -> ParsedDocument {
    let (coverage, residue) = residue(path, text, &mut body, &claims);
    if coverage.lines > 0 && coverage.attributed * 100 < coverage.lines * COVERAGE_WARNING_PERCENT {
        body.diagnostics.push(Diagnostic::new(
            pst_model::Severity::Warning,
            path,
            None,
            format!(
                "{} of {} lines with text were not read into the plan (prose, or a layout not recognised): `pst ingest --residue` lists them",
                coverage.lines - coverage.attributed,
                coverage.lines
            ),
        ));
    }
    let source = Source {
        path: path.to_owned(),
        format: format.name().to_owned(),
        sha256: hex(&Sha256::digest(bytes)),
        bytes: bytes.len() as u64,
        encoding,
        coverage: Some(coverage),
    };
    ParsedDocument {
        source,
        organisation: body.organisation,
        period: body.period,
        strategic_objectives: body.strategic_objectives,
        diagnostics: body.diagnostics,
        values: body.values,
        links: body.links,
        claims,
        residue,
        ins: None,
    }
}

/// Which lines of `text` with text (markup removed) were read into the plan: an
/// entity's, link's or stated figure's line, or a line a reader used for a field or a
/// heading. The others are residue. Linear in the text.
fn residue(
    path: &str,
    text: &str,
    body: &mut Body,
    claims: &[Claim],
) -> (Coverage, Vec<ResidueLine>) {
    let mut used: Vec<u32> = std::mem::take(&mut body.used_lines);
    let mut provenance_lines = |provenance: &[pst_model::Provenance]| {
        used.extend(
            provenance
                .iter()
                .filter(|p| p.source == path)
                .map(|p| p.line),
        );
    };
    for os in &body.strategic_objectives {
        provenance_lines(&os.provenance);
        for oo in &os.operational_objectives {
            provenance_lines(&oo.provenance);
            for action in &oo.actions {
                provenance_lines(&action.provenance);
            }
        }
    }
    for link in &body.links {
        provenance_lines(&link.provenance);
    }
    for claim in claims {
        provenance_lines(&claim.provenance);
    }
    let last = used.iter().copied().max().unwrap_or(0) as usize;
    let mut attributed = vec![false; last + 1];
    for line in used {
        if let Some(slot) = attributed.get_mut(line as usize) {
            *slot = true;
        }
    }
    let mut coverage = Coverage {
        lines: 0,
        attributed: 0,
    };
    let mut residue = Vec::new();
    for (number, line) in lines::numbered_lines(text) {
        if line.trim().is_empty() {
            continue;
        }
        let plain = markup::plain_text(line);
        // Table rules (`| --- |`, `+----+`) are syntax, not text.
        if plain.is_empty()
            || plain
                .chars()
                .all(|c| matches!(c, '|' | '-' | ':' | '+' | '=' | ' '))
        {
            continue;
        }
        coverage.lines += 1;
        if attributed.get(number as usize).copied().unwrap_or(false) {
            coverage.attributed += 1;
        } else {
            residue.push(ResidueLine {
                source: path.to_owned(),
                line: number,
                page: None,
                text: plain,
            });
        }
    }
    (coverage, residue)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blocks a PDF's tables give, read by the recogniser alone (whatever reader
    /// `read` would keep): the table's rows are whole, with their cells.
    fn recognised(bytes: &[u8]) -> Vec<(String, String, Vec<String>, Vec<String>)> {
        let extracted = pdf::extract(bytes, pdf::TIME_BUDGET).expect("text layer");
        assert!(!extracted.rows.is_empty());
        let rows: Vec<text::GivenRow> = given_rows(&extracted);
        let blocks = text::blocks_with_rows(&extracted.text, &rows);
        let body = recognise::recognise("t.pdf", Lexicon::shipped(), &blocks);
        body.strategic_objectives
            .iter()
            .flat_map(|os| &os.operational_objectives)
            .flat_map(|oo| &oo.actions)
            .map(|a| {
                (
                    a.code.clone(),
                    a.title.clone(),
                    a.indicators.clone(),
                    a.pilots.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn the_recogniser_reads_a_two_page_pdf_table_whole() {
        let actions = recognised(include_bytes!("../../../fixtures/pdf/two-page-table.pdf"));
        assert_eq!(actions.len(), 32);
        let cut = actions
            .iter()
            .find(|a| a.0 == "2.1.3")
            .expect("the action cut by the page break");
        assert!(cut.1.ends_with("et les services communaux"), "{cut:?}");
        assert!(actions.iter().all(|a| a.2.len() == 1 && !a.3.is_empty()));
    }

    #[test]
    fn the_recogniser_reads_the_frameries_recap_pdf_whole() {
        let actions = recognised(include_bytes!("../../../fixtures/pdf/frameries-recap.pdf"));
        assert_eq!(actions.len(), 127);
        assert!(actions.iter().all(|a| !a.2.is_empty() && !a.3.is_empty()));
    }
}
