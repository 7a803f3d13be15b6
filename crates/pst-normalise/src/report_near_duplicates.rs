//! Actions of one plan whose titles are the same sentence, or the same but for one word,
//! once case, accents and punctuation are folded away ("Alimenter la page…" and
//! "Alimenter trimestriellement la page…"): reported as info diagnostics, nothing merged.
//!
//! Each title of n words is indexed under its folded words and under the n variants with
//! one word left out; two titles sharing a key differ by at most one word. The cost is
//! O(n²) per title and linear in the number of actions; a title longer than
//! [`MAX_WORDS_FOR_VARIANTS`] words (a paragraph, not a title) is compared whole only, so
//! that the cost stays linear in the input whatever it holds.

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use pst_model::{Action, Diagnostic, Plan, Severity};

/// Titles shorter than this are too generic to call duplicates ("Créer un pôle").
const MIN_WORDS: usize = 4;
/// Titles longer than this are compared whole only.
const MAX_WORDS_FOR_VARIANTS: usize = 50;

/// Base of the polynomial hash of a word sequence.
const BASE: u64 = 0x100_0000_01b3;

/// A key: the number of words and a polynomial hash of the sequence. Sequences that share
/// a key are compared word by word before anything is reported.
type Key = (usize, u64);

fn word_hash(word: &str) -> u64 {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    word.hash(&mut hasher);
    hasher.finish()
}

/// The key of the whole sequence and, for a title short enough, the key of each sequence
/// with one word left out: O(n) per title with prefix and suffix hashes.
fn keys(words: &[String]) -> Vec<Key> {
    let n = words.len();
    let hashes: Vec<u64> = words.iter().map(|w| word_hash(w)).collect();
    let mut prefix = vec![0u64; n + 1];
    for i in 0..n {
        prefix[i + 1] = prefix[i].wrapping_mul(BASE).wrapping_add(hashes[i]);
    }
    let mut keys = vec![(n, prefix[n])];
    if n > MAX_WORDS_FOR_VARIANTS {
        return keys;
    }
    // suffix[i] = hash of words[i..], powers[k] = BASE^k.
    let mut suffix = vec![0u64; n + 1];
    let mut powers = vec![1u64; n + 1];
    for i in (0..n).rev() {
        powers[n - i] = powers[n - i - 1].wrapping_mul(BASE);
        suffix[i] = hashes[i]
            .wrapping_mul(powers[n - i - 1])
            .wrapping_add(suffix[i + 1]);
    }
    for skip in 0..n {
        let after = n - skip - 1;
        let key = prefix[skip]
            .wrapping_mul(powers[after])
            .wrapping_add(suffix[skip + 1]);
        keys.push((n - 1, key));
    }
    keys
}

/// Equal, or one word replaced, inserted or removed.
fn one_word_apart(a: &[String], b: &[String]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let common_prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    let common_suffix = short
        .iter()
        .rev()
        .zip(long.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    common_prefix + common_suffix >= long.len() - 1
}

pub(crate) fn run(plan: &Plan, diagnostics: &mut Vec<Diagnostic>) {
    let actions: Vec<&Action> = plan.actions().collect();
    let titles: Vec<Vec<String>> = actions.iter().map(|a| words(&a.title)).collect();
    let mut first_with_key: HashMap<Key, usize> = HashMap::new();
    for (index, action) in actions.iter().enumerate() {
        let words = &titles[index];
        if words.len() < MIN_WORDS {
            continue;
        }
        let mut earlier = BTreeSet::new();
        for key in keys(words) {
            match first_with_key.get(&key) {
                Some(&other) => {
                    earlier.insert(other);
                }
                None => {
                    first_with_key.insert(key, index);
                }
            }
        }
        for other_index in earlier {
            let other = actions[other_index];
            let other_words = &titles[other_index];
            if !one_word_apart(other_words, words) {
                continue;
            }
            let same = other_words == words;
            let how = if same {
                "have the same title".to_owned()
            } else {
                format!(
                    "have titles that differ by one word («{}» / «{}»)",
                    other.title, action.title
                )
            };
            let at = action.provenance.first();
            diagnostics.push(Diagnostic::new(
                Severity::Info,
                at.map_or("", |p| p.source.as_str()),
                at.map(|p| p.line),
                format!(
                    "possible duplicate: actions {} and {} {how}",
                    other.id, action.id
                ),
            ));
        }
    }
}

use pst_model::folded_words as words;

#[cfg(test)]
mod tests {
    use super::*;
    use pst_model::{OperationalObjective, StrategicObjective};

    fn plan(titles: &[&str]) -> Plan {
        let actions = titles
            .iter()
            .enumerate()
            .map(|(i, title)| Action {
                id: format!("A{}", i + 1),
                title: (*title).to_owned(),
                ..Action::default()
            })
            .collect();
        Plan {
            strategic_objectives: vec![StrategicObjective {
                operational_objectives: vec![OperationalObjective {
                    actions,
                    ..OperationalObjective::default()
                }],
                ..StrategicObjective::default()
            }],
            ..Plan::default()
        }
    }

    fn report(titles: &[&str]) -> Vec<String> {
        let mut diagnostics = Vec::new();
        run(&plan(titles), &mut diagnostics);
        diagnostics.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn same_sentence_and_one_word_apart_are_reported() {
        let got = report(&[
            "Alimenter la page des réseaux sociaux",
            "Créer un pôle logement",
            "Alimenter trimestriellement la page des réseaux sociaux.",
            "alimenter la page des RESEAUX sociaux",
            "Créer un pôle",
        ]);
        // A4 is paired with the first title it matches (A1), not again with A3.
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].starts_with(
            "possible duplicate: actions A1 and A3 have titles that differ by one word"
        ));
        assert_eq!(
            got[1],
            "possible duplicate: actions A1 and A4 have the same title"
        );
    }

    #[test]
    fn different_sentences_and_short_titles_are_not() {
        assert!(
            report(&[
                "Créer un pôle",
                "Créer un pôle",
                "Signer la convention logement",
                "Signer la convention énergie climat"
            ])
            .is_empty()
        );
    }

    #[test]
    fn paragraphs_are_compared_whole() {
        let long = "mot ".repeat(MAX_WORDS_FOR_VARIANTS + 1);
        let one_word_more = format!("{long} encore");
        assert_eq!(
            report(&[&long, &long]),
            ["possible duplicate: actions A1 and A2 have the same title"]
        );
        assert!(report(&[&long, &one_word_more]).is_empty());
    }
}
