//! Bytes → text: byte-order marks, UTF-16 without BOM, UTF-8, Windows-1252 fallback.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use unicode_normalization::UnicodeNormalization;

use crate::ParseError;

/// Text decoded from a document's bytes, with the encoding it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, line endings untouched.
    pub text: String,
    /// The encoding's name, e.g. `UTF-8`, `UTF-8 (BOM)`, `UTF-16LE (BOM)`, `windows-1252`.
    pub encoding: String,
}

/// Decodes `bytes`, recognising the encoding from the bytes alone.
///
/// Order: byte-order mark; an HTML `<meta charset>` (or `http-equiv` content type) in the
/// first 1024 bytes; UTF-16 without BOM (zero bytes at every other position); valid
/// UTF-8; otherwise Windows-1252 (a superset of Latin-1's printable range).
/// Empty or whitespace-only input and binary data are errors.
pub fn decode(bytes: &[u8]) -> Result<Decoded, ParseError> {
    let (encoding, bom_len, bom) = match Encoding::for_bom(bytes) {
        Some((encoding, len)) => (encoding, len, true),
        None => match meta_charset(bytes) {
            Some(encoding) if encoding != UTF_8 => {
                let text = encoding.decode_without_bom_handling(bytes).0.into_owned();
                return finish(text, encoding, false);
            }
            _ => (sniff_without_bom(bytes), 0, false),
        },
    };
    let body = &bytes[bom_len..];
    let text = if encoding == UTF_8 {
        match std::str::from_utf8(body) {
            Ok(text) => text.to_owned(),
            Err(_) if !bom => {
                return finish(
                    WINDOWS_1252
                        .decode_without_bom_handling(body)
                        .0
                        .into_owned(),
                    WINDOWS_1252,
                    false,
                );
            }
            Err(_) => UTF_8.decode_without_bom_handling(body).0.into_owned(),
        }
    } else {
        encoding.decode_without_bom_handling(body).0.into_owned()
    };
    finish(text, encoding, bom)
}

fn finish(text: String, encoding: &'static Encoding, bom: bool) -> Result<Decoded, ParseError> {
    if text.trim().is_empty() {
        return Err(ParseError::Empty);
    }
    if looks_binary(&text) {
        return Err(ParseError::Binary);
    }
    let name = if bom {
        format!("{} (BOM)", encoding.name())
    } else {
        encoding.name().to_owned()
    };
    // One spelling per character (é, not e + ◌́), so that the readers' patterns and
    // every comparison see the same text whatever produced the file.
    let text = match unicode_normalization::is_nfc_quick(text.chars()) {
        unicode_normalization::IsNormalized::Yes => text,
        _ => text.nfc().collect(),
    };
    Ok(Decoded {
        text,
        encoding: name,
    })
}

/// The encoding an HTML document declares in a `meta` tag near its start, if any.
/// A declared UTF-16 is ignored: a document whose declaration is readable as ASCII is not
/// UTF-16.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    if !head.contains("<meta") {
        return None;
    }
    let after = &head[head.find("charset=")? + "charset=".len()..];
    let label: String = after
        .trim_start_matches(['"', '\'', ' '])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    Encoding::for_label(label.as_bytes()).filter(|e| *e != UTF_16LE && *e != UTF_16BE)
}

/// UTF-16 shows as zero bytes at odd (LE) or even (BE) positions in mostly-ASCII text.
fn sniff_without_bom(bytes: &[u8]) -> &'static Encoding {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return UTF_8;
    }
    let pairs = sample.len() / 2;
    let (mut even_zeros, mut odd_zeros) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even_zeros += usize::from(pair[0] == 0);
        odd_zeros += usize::from(pair[1] == 0);
    }
    if odd_zeros * 10 >= pairs * 4 && even_zeros * 20 < pairs {
        UTF_16LE
    } else if even_zeros * 10 >= pairs * 4 && odd_zeros * 20 < pairs {
        UTF_16BE
    } else {
        UTF_8
    }
}

/// More than 1 % control characters (other than tab, line feed, carriage return, form
/// feed) or replacement characters means the bytes were not text.
fn looks_binary(text: &str) -> bool {
    let (mut total, mut bad) = (0usize, 0usize);
    for c in text.chars() {
        total += 1;
        let control = c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}');
        bad += usize::from(control || c == '\u{fffd}');
    }
    bad * 100 > total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = std::iter::once(0xfeff_u16)
            .filter(|_| bom)
            .chain(text.encode_utf16());
        for unit in units {
            out.extend(if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            });
        }
        out
    }

    #[test]
    fn decomposed_accents_are_composed() {
        let decoded = decode("Re\u{301}alise\u{301} a\u{300} 80 %".as_bytes()).expect("text");
        assert_eq!(decoded.text, "Réalisé à 80 %");
        assert_eq!(decoded.encoding, "UTF-8");
    }

    #[test]
    fn recognises_each_encoding() {
        let text = "Objectif stratégique 1 : Être un CPAS";
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (text.as_bytes().to_vec(), "UTF-8"),
            (
                [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat(),
                "UTF-8 (BOM)",
            ),
            (utf16(text, false, true), "UTF-16LE (BOM)"),
            (utf16(text, true, true), "UTF-16BE (BOM)"),
            (utf16(text, false, false), "UTF-16LE"),
            (utf16(text, true, false), "UTF-16BE"),
            (WINDOWS_1252.encode(text).0.into_owned(), "windows-1252"),
        ];
        for (bytes, want) in cases {
            let decoded = decode(&bytes).expect("decodes");
            assert_eq!(decoded.encoding, want);
            assert_eq!(decoded.text, text, "{want}");
        }
    }

    #[test]
    fn html_meta_charset_is_obeyed() {
        let html = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\"></head><body>Réalisé</body></html>";
        let bytes = WINDOWS_1252.encode(html).0.into_owned();
        let decoded = decode(&bytes).expect("decodes");
        assert_eq!(decoded.encoding, "windows-1252");
        assert!(decoded.text.contains("Réalisé"));
        let utf8 = "<meta charset=\"utf-8\"><p>Réalisé</p>";
        assert_eq!(decode(utf8.as_bytes()).expect("decodes").encoding, "UTF-8");
    }

    #[test]
    fn empty_and_binary_are_errors() {
        assert!(matches!(decode(b""), Err(ParseError::Empty)));
        assert!(matches!(decode(b" \n\r\n\t"), Err(ParseError::Empty)));
        let garbage: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(decode(&garbage), Err(ParseError::Binary)));
        assert!(matches!(
            decode(b"%PDF-1.4\n\x00\x01\x02\x03\x04\x05\x06"),
            Err(ParseError::Binary)
        ));
    }
}
