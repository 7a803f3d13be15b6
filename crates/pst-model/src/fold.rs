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

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Réalisé"), "realise");
        assert_eq!(fold("ÉCHÉANCE à Noël"), "echeance a noel");
        assert_eq!(fold("Mise en œuvre"), "mise en œuvre");
    }
}
