//! Themes of actions from a taxonomy of keyword rules kept as data (`themes.toml`), so
//! that analysts can read, predict and change why an action has a theme.
//!
//! Titles and keywords are folded (case, accents, punctuation); a keyword matches at the
//! start of a word and may end inside one ("energ" → "énergétique"), several words match
//! in order, and a keyword of one to three letters matches a whole word only ("tri" is
//! not "trimestriel"). Cost: linear in the title for each keyword.

use std::collections::HashMap;

use pst_model::{Plan, Pst, ThemeDefinition, ThemeMatch};
use serde::Deserialize;

/// The taxonomy shipped with `pst`: about a dozen themes of CPAS plans.
pub const DEFAULT_THEMES: &str = include_str!("../themes.toml");

/// Keywords this short match whole words only.
const SHORT_KEYWORD: usize = 3;

/// A set of themes, each with its keyword rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Taxonomy {
    themes: Vec<Theme>,
    /// Keywords (theme index, keyword index) by their first folded word, so that a title
    /// is matched by looking up its words and their prefixes, not by trying every keyword.
    by_first_word: HashMap<String, Vec<(usize, usize)>>,
}

/// One theme of a taxonomy.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Short id, e.g. `logement`.
    pub id: String,
    /// The name shown to people, e.g. "Logement".
    pub label: String,
    /// Keywords as written, and as folded words.
    keywords: Vec<(String, Vec<String>)>,
}

/// Why a taxonomy file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ThemesError {
    /// Not TOML of the expected shape.
    #[error("not a theme taxonomy: {0}")]
    Syntax(String),
    /// Two themes share an id, or a theme has no id or no keyword.
    #[error("invalid theme taxonomy: {0}")]
    Invalid(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    theme: Vec<ThemeEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeEntry {
    id: String,
    label: String,
    keywords: Vec<String>,
}

impl Default for Taxonomy {
    fn default() -> Self {
        Taxonomy::from_toml(DEFAULT_THEMES).expect("the shipped taxonomy is valid")
    }
}

impl Taxonomy {
    /// Reads a taxonomy written as `themes.toml` is.
    pub fn from_toml(text: &str) -> Result<Taxonomy, ThemesError> {
        let file: File = toml::from_str(text).map_err(|e| ThemesError::Syntax(e.to_string()))?;
        let mut themes: Vec<Theme> = Vec::new();
        for entry in file.theme {
            if entry.id.trim().is_empty() {
                return Err(ThemesError::Invalid("a theme has no id".into()));
            }
            if themes.iter().any(|t| t.id == entry.id) {
                return Err(ThemesError::Invalid(format!(
                    "theme id {} is used twice",
                    entry.id
                )));
            }
            let keywords: Vec<(String, Vec<String>)> = entry
                .keywords
                .into_iter()
                .map(|keyword| {
                    let words = words(&keyword);
                    (keyword, words)
                })
                .filter(|(_, words)| !words.is_empty())
                .collect();
            if keywords.is_empty() {
                return Err(ThemesError::Invalid(format!(
                    "theme {} has no keyword",
                    entry.id
                )));
            }
            themes.push(Theme {
                id: entry.id,
                label: entry.label,
                keywords,
            });
        }
        let mut by_first_word: HashMap<String, Vec<(usize, usize)>> = HashMap::new();
        for (t, theme) in themes.iter().enumerate() {
            for (k, (_, words)) in theme.keywords.iter().enumerate() {
                by_first_word
                    .entry(words[0].clone())
                    .or_default()
                    .push((t, k));
            }
        }
        Ok(Taxonomy {
            themes,
            by_first_word,
        })
    }

    /// The themes, in the file's order.
    pub fn themes(&self) -> &[Theme] {
        &self.themes
    }

    /// The taxonomy as the model records it (`pst.json`'s `themes`).
    pub fn definitions(&self) -> Vec<ThemeDefinition> {
        self.themes
            .iter()
            .map(|theme| ThemeDefinition {
                id: theme.id.clone(),
                label: theme.label.clone(),
                keywords: theme.keywords.iter().map(|(k, _)| k.clone()).collect(),
            })
            .collect()
    }

    /// The themes `text` speaks of, in the taxonomy's order, with the keywords found.
    pub fn classify(&self, text: &str) -> Vec<ThemeMatch> {
        let words = words(text);
        // Candidates: keywords whose first word is a title word or a prefix of one.
        let mut found: Vec<(usize, usize)> = Vec::new();
        for word in &words {
            for (end, _) in word.char_indices().skip(1).chain([(word.len(), ' ')]) {
                if let Some(keywords) = self.by_first_word.get(&word[..end]) {
                    found.extend(
                        keywords
                            .iter()
                            .copied()
                            .filter(|&(t, k)| contains(&words, &self.themes[t].keywords[k].1)),
                    );
                }
            }
        }
        found.sort_unstable();
        found.dedup();
        let mut matches: Vec<ThemeMatch> = Vec::new();
        for (t, k) in found {
            let theme = &self.themes[t];
            let written = theme.keywords[k].0.clone();
            match matches.last_mut() {
                Some(last) if last.theme == theme.id => last.matched.push(written),
                _ => matches.push(ThemeMatch {
                    theme: theme.id.clone(),
                    matched: vec![written],
                }),
            }
        }
        matches
    }
}

/// Gives every action the themes of its title, and records the taxonomy in `pst`.
pub fn assign_themes(pst: &mut Pst, taxonomy: &Taxonomy) {
    for plan in &mut pst.plans {
        assign_plan(plan, taxonomy);
    }
    pst.themes = taxonomy.definitions();
}

/// Gives every action of `plan` the themes of its title; an action whose title names no
/// theme takes those of its OO's title, its matched words marked `OO:`.
pub(crate) fn assign_plan(plan: &mut Plan, taxonomy: &Taxonomy) {
    for os in &mut plan.strategic_objectives {
        for oo in &mut os.operational_objectives {
            let from_oo: Vec<ThemeMatch> = taxonomy
                .classify(&oo.title)
                .into_iter()
                .map(|m| ThemeMatch {
                    theme: m.theme,
                    matched: m.matched.into_iter().map(|w| format!("OO: {w}")).collect(),
                })
                .collect();
            for action in &mut oo.actions {
                action.themes = taxonomy.classify(&action.title);
                if action.themes.is_empty() {
                    action.themes = from_oo.clone();
                }
            }
        }
    }
}

use pst_model::folded_words as words;

/// `keyword` (folded words) occurs in `words`: every word equal but the last, which is a
/// prefix (or equal, for a short keyword of one word).
fn contains(words: &[String], keyword: &[String]) -> bool {
    let Some((last, leading)) = keyword.split_last() else {
        return false;
    };
    let whole_word = keyword.len() == 1 && last.chars().count() <= SHORT_KEYWORD;
    words.windows(keyword.len()).any(|window| {
        window[..leading.len()] == *leading && {
            let candidate = &window[leading.len()];
            if whole_word {
                candidate == last
            } else {
                candidate.starts_with(last.as_str())
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn themes(taxonomy: &Taxonomy, title: &str) -> Vec<(String, Vec<String>)> {
        taxonomy
            .classify(title)
            .into_iter()
            .map(|m| (m.theme, m.matched))
            .collect()
    }

    #[test]
    fn keywords_match_word_starts_in_order_and_short_ones_whole() {
        let taxonomy = Taxonomy::from_toml(
            r#"
            [[theme]]
            id = "energie"
            label = "Énergie"
            keywords = ["energ", "led"]
            [[theme]]
            id = "aines"
            label = "Aînés"
            keywords = ["maison de repos"]
            [[theme]]
            id = "environnement"
            label = "Environnement"
            keywords = ["tri"]
            "#,
        )
        .expect("taxonomy");
        assert_eq!(
            themes(&taxonomy, "Audit ÉNERGÉTIQUE de la Maison-de-Repos"),
            [
                ("energie".to_owned(), vec!["energ".to_owned()]),
                ("aines".to_owned(), vec!["maison de repos".to_owned()]),
            ]
        );
        assert!(themes(&taxonomy, "Réunion trimestrielle, ledit comité").is_empty());
        assert_eq!(
            themes(
                &taxonomy,
                "Poubelles pour le tri différencié, éclairage LED"
            ),
            [
                ("energie".to_owned(), vec!["led".to_owned()]),
                ("environnement".to_owned(), vec!["tri".to_owned()]),
            ]
        );
        assert!(themes(&taxonomy, "la maison de quartier").is_empty());
    }

    #[test]
    fn the_shipped_taxonomy_has_thirteen_themes() {
        let taxonomy = Taxonomy::default();
        let ids: Vec<&str> = taxonomy.themes().iter().map(|t| t.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "logement",
                "energie",
                "insertion",
                "aines",
                "enfance",
                "sante",
                "precarite",
                "numerique",
                "rh",
                "finances",
                "communication",
                "environnement",
                "gouvernance"
            ]
        );
    }

    #[test]
    fn bad_taxonomies_are_refused_with_a_reason() {
        assert!(matches!(
            Taxonomy::from_toml("theme = 3"),
            Err(ThemesError::Syntax(_))
        ));
        let twice = "[[theme]]\nid = \"a\"\nlabel = \"A\"\nkeywords = [\"x\"]\n".repeat(2);
        assert_eq!(
            Taxonomy::from_toml(&twice),
            Err(ThemesError::Invalid("theme id a is used twice".into()))
        );
        assert_eq!(
            Taxonomy::from_toml("[[theme]]\nid = \"a\"\nlabel = \"A\"\nkeywords = [\"'\"]\n"),
            Err(ThemesError::Invalid("theme a has no keyword".into()))
        );
    }
}
