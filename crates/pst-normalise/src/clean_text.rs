//! Clean every text field: no markup, Unicode NFC, single spaces, no trailing
//! punctuation artefacts. Nothing else is rewritten.

use pst_parse::{ParsedDocument, strip_markup};
use unicode_normalization::UnicodeNormalization;

/// Cleans one text: markup and entities removed, NFC, whitespace runs (including
/// non-breaking spaces) collapsed to one space, trimmed, trailing separators (`-`, `–`,
/// `:`, `;`, `,`) removed. Idempotent.
pub fn clean_text(text: &str) -> String {
    let stripped = strip_markup(text);
    let normalised: String = stripped.nfc().collect();
    let mut out = String::with_capacity(normalised.len());
    for word in normalised.split(|c: char| c.is_whitespace() || c == '\u{200b}') {
        if !word.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    let trimmed = out.trim_end_matches([' ', '-', '–', '—', ':', ';', ',']);
    let trimmed = trimmed.trim_start_matches([' ', '-', '–', '—', ':', ';', ',']);
    trimmed.to_owned()
}

fn clean_all(values: &mut Vec<String>) {
    for value in values.iter_mut() {
        *value = clean_text(value);
    }
    values.retain(|value| !value.is_empty());
}

fn clean_option(value: &mut Option<String>) {
    if let Some(text) = value {
        let cleaned = clean_text(text);
        *value = (!cleaned.is_empty()).then_some(cleaned);
    }
}

pub(crate) fn run(document: &mut ParsedDocument) {
    clean_option(&mut document.organisation);
    clean_all(&mut document.values);
    for os in &mut document.strategic_objectives {
        os.title = clean_text(&os.title);
        for oo in &mut os.operational_objectives {
            oo.title = clean_text(&oo.title);
            for action in &mut oo.actions {
                action.title = clean_text(&action.title);
                clean_all(&mut action.indicators);
                clean_all(&mut action.pilots);
                clean_option(&mut action.service);
                clean_option(&mut action.deadline_raw);
                clean_option(&mut action.status_raw);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::clean_text;
    use proptest::prelude::*;

    #[test]
    fn cleans() {
        let table = [
            ("<b>O. S. 1 - Etre un CPAS</b>", "O. S. 1 - Etre un CPAS"),
            ("  Etre\u{a0}un   CPAS\t ", "Etre un CPAS"),
            ("E\u{301}tre", "Étre"),
            ("Titre :", "Titre"),
            ("**Titre** -", "Titre"),
            ("l&#39;accès", "l'accès"),
            ("référent qualité/", "référent qualité/"),
        ];
        for (input, want) in table {
            assert_eq!(clean_text(input), want, "{input:?}");
        }
    }

    proptest! {
        #[test]
        fn cleaning_twice_equals_cleaning_once(text in "\\PC{0,60}") {
            let once = clean_text(&text);
            prop_assert_eq!(clean_text(&once), once.clone());
        }
    }
}
