//! Accent- and case-insensitive matching of French words, and quoting text in messages,
//! shared by every crate.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Lower case without diacritics: "Réalisé" → "realise", "ÉCHÉANCE" → "echeance",
/// "févr" → "fevr". Letters without a decomposition (œ, æ) stay as they are.
///
/// Character by character: ASCII is lowered in place, anything else is decomposed and
/// its combining marks dropped (the order NFD gives marks does not matter once they are
/// dropped), so the common case costs no Unicode table look-up.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            decompose_canonical(c, |d| {
                if !is_combining_mark(d) {
                    out.extend(d.to_lowercase());
                }
            });
        }
    }
    out
}

/// The folded words of `text`: split on anything that is not a letter or a digit, so
/// that punctuation and apostrophes separate words ("l'épicerie" → "l", "epicerie").
pub fn folded_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `text` cut after `max_chars` characters, with `…` when something was cut: for
/// quoting a title or a line in a message.
pub fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{fold, folded_words, is_combining_mark};

    #[test]
    fn folds_like_nfd_without_marks() {
        use unicode_normalization::UnicodeNormalization;
        for text in [
            "Réalisé",
            "ÉCHÉANCE à Noël",
            "Mise en œuvre",
            "e\u{301}\u{327}",
            "Ǆ ﬁ Ⅻ İ",
        ] {
            let reference: String = text
                .nfd()
                .filter(|c| !is_combining_mark(*c))
                .flat_map(char::to_lowercase)
                .collect();
            assert_eq!(fold(text), reference, "{text}");
        }
    }

    #[test]
    fn shortens_on_characters() {
        assert_eq!(super::shorten("Réalisé", 3), "Réa…");
        assert_eq!(super::shorten("Réa", 3), "Réa");
    }

    #[test]
    fn words_split_on_punctuation() {
        assert_eq!(
            folded_words("L'Épicerie — sociale!"),
            ["l", "epicerie", "sociale"]
        );
    }

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Réalisé"), "realise");
        assert_eq!(fold("ÉCHÉANCE à Noël"), "echeance a noel");
        assert_eq!(fold("Mise en œuvre"), "mise en œuvre");
    }
}
