//! One Excel workbook: a sheet per CSV table (the same columns, read from the CSV
//! writer so that the two never disagree), typed cells (percentages as numbers shown as
//! %, dates as dates shown with the precision the document gave, counts as numbers), the
//! header row frozen, an autofilter and column widths; plus a `suivi` sheet with one row
//! per OS → OO → action, the layout PST follow-up tools use.
//!
//! Excel's limits are kept by cutting, never by losing the file: a cell holds at most
//! 32 767 characters and a sheet 1 048 576 rows; what is cut is said in a warning. Text
//! goes through the same rule as the eComptes XML for characters XML 1.0 cannot hold. The
//! creation time is fixed, so the same plans give the same bytes.

use pst_model::{Diagnostic, Pst, Severity};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::{ExportError, Table, write_csv, xml_text};

/// Excel's longest cell text, in characters.
const CELL_MAX: usize = 32_767;
/// Excel's rows per sheet, the header included.
const ROWS_MAX: usize = 1_048_576;

impl From<XlsxError> for ExportError {
    fn from(error: XlsxError) -> Self {
        ExportError::Xlsx(error.to_string())
    }
}

/// What a column holds, by its CSV header.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Number,
    Percent,
    /// A fraction (0.25), shown as a percentage.
    Share,
    StartDate,
    EndDate,
}

fn kind(header: &str) -> Kind {
    match header {
        "progress" | "progress_min" | "progress_max" | "progress_mean" | "progress_median" => {
            Kind::Percent
        }
        "start" => Kind::StartDate,
        "end" => Kind::EndDate,
        "period_start" | "period_end" | "line" | "stated" | "extracted" | "position"
        | "budget_eur" | "fte" => Kind::Number,
        _ if header.starts_with("share_") => Kind::Share,
        "os" | "oo" | "actions" | "actions_externe" | "actions_interne" | "claims_disagreeing" => {
            Kind::Number
        }
        _ if header.starts_with("status_") || header.starts_with("theme_") => Kind::Number,
        _ => Kind::Text,
    }
}

struct Formats {
    header: Format,
    percent: Format,
    year: Format,
    month: Format,
    day: Format,
}

/// What cutting to Excel's limits did, per sheet.
#[derive(Default)]
struct Cuts {
    cells: usize,
    rows: usize,
    characters: usize,
}

/// The whole workbook, as bytes, and warnings about what had to be cut to fit Excel's
/// limits or XML's characters.
pub fn write_xlsx(pst: &Pst) -> Result<(Vec<u8>, Vec<Diagnostic>), ExportError> {
    write_xlsx_within(pst, ROWS_MAX)
}

fn write_xlsx_within(
    pst: &Pst,
    rows_max: usize,
) -> Result<(Vec<u8>, Vec<Diagnostic>), ExportError> {
    let mut notes = Vec::new();
    let formats = Formats {
        header: Format::new().set_bold(),
        percent: Format::new().set_num_format("0%"),
        year: Format::new().set_num_format("yyyy"),
        month: Format::new().set_num_format("mm/yyyy"),
        day: Format::new().set_num_format("dd/mm/yyyy"),
    };
    let mut workbook = Workbook::new();
    // A fixed creation time: the same plans give byte-identical files.
    let epoch = ExcelDateTime::from_ymd(2000, 1, 1)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&epoch));
    let mut sheet_cuts = Vec::new();
    let cuts = write_follow_up(workbook.add_worksheet(), pst, &formats, rows_max)?;
    sheet_cuts.push(("suivi", cuts));
    for table in Table::ALL {
        let mut csv = Vec::new();
        write_csv(pst, table, &mut csv)?;
        let mut reader = csv::Reader::from_reader(csv.as_slice());
        let headers: Vec<String> = reader.headers()?.iter().map(str::to_owned).collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            rows.push(record?.iter().map(str::to_owned).collect::<Vec<_>>());
        }
        let sheet = workbook.add_worksheet();
        let name = table.file_name().trim_end_matches(".csv");
        sheet.set_name(name)?;
        sheet_cuts.push((
            name,
            write_sheet(sheet, &headers, &rows, &formats, rows_max)?,
        ));
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("comparaison")?;
    let cuts = write_sheet(
        sheet,
        &crate::compare::header(pst),
        &crate::compare::rows(pst),
        &formats,
        rows_max,
    )?;
    sheet_cuts.push(("comparaison", cuts));
    for (sheet, cuts) in sheet_cuts {
        let mut say = |message: String| {
            notes.push(Diagnostic::new(
                Severity::Warning,
                "pst.xlsx",
                None,
                message,
            ));
        };
        if cuts.cells > 0 {
            say(format!(
                "sheet {sheet}: {} cell(s) longer than Excel's {CELL_MAX} characters cut to {CELL_MAX}",
                cuts.cells
            ));
        }
        if cuts.rows > 0 {
            say(format!(
                "sheet {sheet}: {} row(s) beyond Excel's {rows_max} rows left out (they are in the CSV tables)",
                cuts.rows
            ));
        }
        if cuts.characters > 0 {
            say(format!(
                "sheet {sheet}: {} character(s) that XML 1.0 cannot hold replaced by U+FFFD",
                cuts.characters
            ));
        }
    }
    Ok((workbook.save_to_buffer()?, notes))
}

/// `value` as Excel can hold it: XML characters only, at most [`CELL_MAX`] characters.
fn cell_text<'v>(value: &'v str, cuts: &mut Cuts) -> std::borrow::Cow<'v, str> {
    let (mut text, replaced) = xml_text(value);
    cuts.characters += replaced;
    if let Some((end, _)) = text.char_indices().nth(CELL_MAX) {
        cuts.cells += 1;
        text = std::borrow::Cow::Owned(text[..end].to_owned());
    }
    text
}

fn write_sheet(
    sheet: &mut Worksheet,
    headers: &[String],
    rows: &[Vec<String>],
    formats: &Formats,
    rows_max: usize,
) -> Result<Cuts, ExportError> {
    let mut cuts = Cuts::default();
    let kept = rows.len().min(rows_max.saturating_sub(1));
    cuts.rows = rows.len() - kept;
    let rows = &rows[..kept];
    let kinds: Vec<Kind> = headers.iter().map(|h| kind(h)).collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for (col, header) in headers.iter().enumerate() {
        let header = cell_text(header, &mut cuts);
        sheet.write_string_with_format(0, col_num(col), header.as_ref(), &formats.header)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let row_num = u32::try_from(index + 1).unwrap_or(u32::MAX);
        for (col, value) in row.iter().enumerate() {
            if value.is_empty() {
                continue;
            }
            let value = cell_text(value, &mut cuts);
            let value = value.as_ref();
            let c = col_num(col);
            if let Some(width) = widths.get_mut(col) {
                *width = (*width).max(value.chars().count().min(60));
            }
            match kinds.get(col).copied().unwrap_or(Kind::Text) {
                Kind::Percent => match value.parse::<f64>() {
                    Ok(p) => {
                        sheet.write_number_with_format(row_num, c, p / 100.0, &formats.percent)?;
                    }
                    Err(_) => {
                        sheet.write_string(row_num, c, value)?;
                    }
                },
                Kind::Share => match value.parse::<f64>() {
                    Ok(share) => {
                        sheet.write_number_with_format(row_num, c, share, &formats.percent)?;
                    }
                    Err(_) => {
                        sheet.write_string(row_num, c, value)?;
                    }
                },
                Kind::Number => match value.parse::<f64>() {
                    Ok(n) => {
                        sheet.write_number(row_num, c, n)?;
                    }
                    Err(_) => {
                        sheet.write_string(row_num, c, value)?;
                    }
                },
                kind @ (Kind::StartDate | Kind::EndDate) => {
                    match date(value, kind == Kind::EndDate, formats) {
                        Some((datetime, format)) => {
                            sheet.write_datetime_with_format(row_num, c, &datetime, format)?;
                        }
                        None => {
                            sheet.write_string(row_num, c, value)?;
                        }
                    }
                }
                Kind::Text => {
                    sheet.write_string(row_num, c, value)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let last_col = col_num(headers.len().saturating_sub(1));
    sheet.autofilter(0, 0, last_row, last_col)?;
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col_num(col), (*width as f64 + 2.0).min(62.0))?;
    }
    Ok(cuts)
}

fn col_num(col: usize) -> u16 {
    u16::try_from(col).unwrap_or(u16::MAX)
}

/// An ISO 8601 prefix as a date, shown with the precision it has.
fn date<'f>(iso: &str, end: bool, formats: &'f Formats) -> Option<(ExcelDateTime, &'f Format)> {
    let mut parts = iso.split('-');
    let year: u16 = parts.next()?.parse().ok()?;
    let month: Option<u8> = parts.next().and_then(|m| m.parse().ok());
    let day: Option<u8> = parts.next().and_then(|d| d.parse().ok());
    let (month, day, format) = match (month, day) {
        (Some(m), Some(d)) => (m, d, &formats.day),
        (Some(m), None) => (m, if end { last_day(year, m) } else { 1 }, &formats.month),
        (None, _) => (
            if end { 12 } else { 1 },
            if end { 31 } else { 1 },
            &formats.year,
        ),
    };
    ExcelDateTime::from_ymd(year, month, day)
        .ok()
        .map(|d| (d, format))
}

fn last_day(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// One row per action with its OS and OO: what a follow-up table shows.
fn write_follow_up(
    sheet: &mut Worksheet,
    pst: &Pst,
    formats: &Formats,
    rows_max: usize,
) -> Result<Cuts, ExportError> {
    sheet.set_name("suivi")?;
    let headers: Vec<String> = [
        "plan",
        "volet",
        "os_code",
        "os_title",
        "oo_code",
        "oo_title",
        "action_code",
        "action_title",
        "status",
        "pilots",
        "deadline_raw",
        "end",
        "progress",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    let mut rows = Vec::new();
    for plan in &pst.plans {
        for os in &plan.strategic_objectives {
            for oo in &os.operational_objectives {
                for action in &oo.actions {
                    rows.push(vec![
                        plan.organisation.clone().unwrap_or_else(|| plan.id.clone()),
                        os.volet.map_or("", |v| v.as_str()).to_owned(),
                        os.code.clone(),
                        os.title.clone(),
                        oo.code.clone(),
                        oo.title.clone(),
                        action.code.clone(),
                        action.title.clone(),
                        action.status.map_or("", |s| s.as_str()).to_owned(),
                        action.pilots.join(" | "),
                        action.deadline_raw.clone().unwrap_or_default(),
                        action.end.clone().unwrap_or_default(),
                        action.progress.map(|p| p.to_string()).unwrap_or_default(),
                    ]);
                }
            }
        }
    }
    write_sheet(sheet, &headers, &rows, formats, rows_max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_beyond_the_limit_are_left_out_with_a_warning() {
        let pst = Pst {
            diagnostics: (0..10)
                .map(|i| Diagnostic::new(Severity::Info, "a", Some(i), "m"))
                .collect(),
            ..Pst::default()
        };
        let (bytes, notes) = write_xlsx_within(&pst, 5).expect("workbook");
        assert!(!bytes.is_empty());
        let messages: Vec<&str> = notes.iter().map(|n| n.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "sheet diagnostics: 6 row(s) beyond Excel's 5 rows left out (they are in the CSV tables)"
            ]
        );
    }
}
