//! The words of a text as theme rules see them: folded (case and accents), stemmed with
//! Snowball's French stemmer, and marked "aside" when they are in brackets or follow
//! "notamment", "tels que", "par exemple" or "au sein de" in the same sentence (a list
//! of examples, a place in passing). One pass over the text.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

static FRENCH: LazyLock<Stemmer> = LazyLock::new(|| Stemmer::create(Algorithm::French));

/// Prefixes a word may carry in front of a keyword: "réinsertion" is "insertion" again.
const PREFIXES: [&str; 1] = ["re"];

/// What is left after a prefix must be this long for the prefix to be taken off.
const MIN_AFTER_PREFIX: usize = 5;

/// One word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Word {
    /// Folded: lower case, no accents ("Énergétiques" → "energetiques").
    pub folded: String,
    /// The Snowball stem of the folded word ("energetiques" → "energet").
    pub stem: String,
    /// The stem of the word without a prefix of [`PREFIXES`], when it has one.
    pub unprefixed: Option<String>,
    /// In brackets, or after "notamment", "tels que", "par exemple", "au sein de" in its
    /// sentence.
    pub aside: bool,
}

/// The stem of one folded word: Snowball's, less a plural "s" it keeps after a vowel
/// ("emplois" → "emploi", as "emploi").
pub(super) fn stem(folded: &str) -> String {
    let mut stem = FRENCH.stem(folded).into_owned();
    let bytes = stem.as_bytes();
    if bytes.len() > 3
        && bytes.ends_with(b"s")
        && matches!(
            bytes[bytes.len() - 2],
            b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
        )
    {
        stem.pop();
    }
    stem
}

/// The words of `text`, in order. Letters and digits make words; anything else separates
/// them ("l'épicerie" → "l", "epicerie"; "MR-MRS" → "mr", "mrs").
pub(super) fn words(text: &str) -> Vec<Word> {
    let folded = pst_model::fold(text);
    let mut words: Vec<Word> = Vec::new();
    let mut brackets = 0usize;
    // After a cue ("notamment"…): Some(number of words read since).
    let mut after_cue: Option<usize> = None;
    let mut start: Option<usize> = None;
    let mut push = |word: &str, brackets: usize, after_cue: &mut Option<usize>| {
        let word = word.replace('œ', "oe").replace('æ', "ae");
        let aside = brackets > 0 || after_cue.is_some();
        if let Some(count) = after_cue.as_mut() {
            *count += 1;
        }
        let previous = words.last().map(|w| w.folded.as_str());
        let cue = word == "notamment"
            || (word == "que" && matches!(previous, Some("tel" | "tels" | "telle" | "telles")))
            || (word == "exemple" && previous == Some("par"))
            || (word == "sein" && previous == Some("au"));
        let unprefixed = PREFIXES
            .iter()
            .find_map(|prefix| word.strip_prefix(prefix))
            .filter(|rest| rest.chars().count() >= MIN_AFTER_PREFIX)
            .map(stem);
        words.push(Word {
            stem: stem(&word),
            folded: word,
            unprefixed,
            aside,
        });
        if cue {
            *after_cue = Some(0);
        }
    };
    for (at, c) in folded.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(at);
            continue;
        }
        if let Some(from) = start.take() {
            push(&folded[from..at], brackets, &mut after_cue);
        }
        match c {
            '(' | '[' | '{' => brackets += 1,
            ')' | ']' | '}' => {
                brackets = brackets.saturating_sub(1);
                after_cue = None;
            }
            // The end of a sentence ends what a cue introduced (a colon right after the
            // cue does not: "notamment : le logement").
            '.' | ';' | ':' | '!' | '?' | '\n' if after_cue.is_some_and(|n| n > 0) => {
                after_cue = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        push(&folded[from..], brackets, &mut after_cue);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        words(text).into_iter().map(|w| w.stem).collect()
    }

    fn asides(text: &str) -> Vec<String> {
        words(text)
            .into_iter()
            .filter(|w| w.aside)
            .map(|w| w.folded)
            .collect()
    }

    #[test]
    fn plurals_and_inflections_share_a_stem() {
        assert_eq!(stems("Logements"), stems("logement"));
        assert_eq!(stems("eaux de pluie"), stems("eau de pluies"));
        assert_eq!(stems("projets de vie"), stems("projet de vie"));
        assert_eq!(stems("Énergétiques"), stems("energetique"));
        assert_eq!(stems("emplois"), stems("emploi"));
        // Snowball's stems are short: "communication" is "commun", as "commune" is.
        assert_eq!(stems("communication"), stems("commune"));
    }

    #[test]
    fn a_prefix_is_taken_off_long_words_only() {
        let w = &words("réinsertion")[0];
        assert_eq!(w.unprefixed.as_deref(), Some(stem("insertion").as_str()));
        assert_eq!(words("repas")[0].unprefixed, None);
    }

    #[test]
    fn brackets_and_lists_after_a_cue_are_aside() {
        assert_eq!(
            asides("Accueil des publics (logement, emploi) et des aînés"),
            ["logement", "emploi"]
        );
        assert_eq!(
            asides("Des partenaires, notamment : le Forem, la commune. Un site"),
            ["le", "forem", "la", "commune"]
        );
        assert_eq!(
            asides("des services tels que l'épicerie; la crèche"),
            ["l", "epicerie"]
        );
        assert_eq!(
            asides("Une permanence GRH au sein de nos maisons de repos"),
            ["de", "nos", "maisons", "de", "repos"]
        );
    }
}
