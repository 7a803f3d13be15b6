//! Office containers recognised by their bytes: a zip holding `xl/workbook.xml` (XLSX),
//! an OpenDocument zip whose `mimetype` names a spreadsheet (ODS) or a text (ODT), a zip
//! holding `word/document.xml` (DOCX), and a compound file (`D0 CF 11 E0`: a legacy XLS,
//! or a Word file, or a password-protected Office file). Bounds are checked on the zip's
//! own directory before anything is inflated.

use crate::ParseError;

/// What an Office file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Container {
    Xlsx,
    Ods,
    Xls,
    Docx,
    Odt,
}

const ZIP: &[u8] = b"PK\x03\x04";
const COMPOUND_FILE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// One entry may inflate to this much at most, all entries together to four times it.
pub(crate) const MAX_ENTRY_BYTES: u64 = 256 * 1024 * 1024;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The name of the stream that holds a password-protected OOXML file inside its compound
/// file, as the compound file's directory writes it (UTF-16LE).
const ENCRYPTED_PACKAGE: &[u8] = b"E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e\0";

/// The Office container `bytes` are, if any.
pub(crate) fn container(bytes: &[u8]) -> Option<Container> {
    if bytes.starts_with(COMPOUND_FILE) {
        return Some(Container::Xls);
    }
    if !bytes.starts_with(ZIP) {
        return None;
    }
    // The mimetype entry of an OpenDocument file is stored first, uncompressed.
    let head = &bytes[..bytes.len().min(256)];
    if contains(head, b"application/vnd.oasis.opendocument.spreadsheet") {
        return Some(Container::Ods);
    }
    if contains(head, b"application/vnd.oasis.opendocument.text") {
        return Some(Container::Odt);
    }
    // Entry names are stored uncompressed in the zip's directory.
    if contains(bytes, b"xl/workbook.xml") {
        return Some(Container::Xlsx);
    }
    if contains(bytes, b"word/document.xml") {
        return Some(Container::Docx);
    }
    None
}

/// Refuses a zip whose entries declare more than [`MAX_ENTRY_BYTES`] each (or four times
/// that together): a zip bomb is named before it is inflated.
pub(crate) fn check_bounds(bytes: &[u8]) -> Result<(), ParseError> {
    if bytes.starts_with(COMPOUND_FILE) && contains(bytes, ENCRYPTED_PACKAGE) {
        return Err(ParseError::UnreadableOffice(
            "password-protected (an encrypted Word or Excel file): save it without a \
             password to read it"
                .to_owned(),
        ));
    }
    if !bytes.starts_with(ZIP) {
        return Ok(());
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ParseError::UnreadableOffice(format!("not a valid zip: {e}")))?;
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|e| ParseError::UnreadableOffice(format!("not a valid zip: {e}")))?;
        let size = entry.size();
        total = total.saturating_add(size);
        if size > MAX_ENTRY_BYTES || total > 4 * MAX_ENTRY_BYTES {
            return Err(ParseError::UnreadableOffice(format!(
                "zip entry «{}» inflates to {size} bytes, past the bound of {MAX_ENTRY_BYTES} bytes per entry",
                entry.name()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_by_their_bytes() {
        assert_eq!(
            container(b"PK\x03\x04....xl/workbook.xml"),
            Some(Container::Xlsx)
        );
        assert_eq!(
            container(b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.spreadsheet"),
            Some(Container::Ods)
        );
        assert_eq!(
            container(b"PK\x03\x04...word/document.xml"),
            Some(Container::Docx)
        );
        assert_eq!(container(COMPOUND_FILE), Some(Container::Xls));
        assert_eq!(container(b"Objectif 1"), None);
    }

    #[test]
    fn a_zip_bomb_is_named_before_it_inflates() {
        use std::io::Write;
        let mut bytes = Vec::new();
        {
            let mut zip = zip::ZipWriter::new(std::io::Cursor::new(&mut bytes));
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            zip.start_file("xl/workbook.xml", options).expect("entry");
            let zeros = vec![0u8; 1 << 20];
            for _ in 0..=(MAX_ENTRY_BYTES >> 20) {
                zip.write_all(&zeros).expect("write");
            }
            zip.finish().expect("zip");
        }
        assert!(bytes.len() < 1 << 20, "{} bytes", bytes.len());
        let parsed = crate::parse("bomb.xlsx", &bytes);
        assert!(
            matches!(&parsed, Err(ParseError::UnreadableOffice(why)) if why.contains("past the bound")),
            "{parsed:?}"
        );
    }
}
