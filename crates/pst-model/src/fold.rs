//! Accent- and case-insensitive matching of French words, shared by every crate.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case without diacritics: "Réalisé" → "realise", "ÉCHÉANCE" → "echeance",
/// "févr" → "fevr". Letters without a decomposition (œ, æ) stay as they are.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
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

#[cfg(test)]
mod tests {
    use super::{fold, folded_words};

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
