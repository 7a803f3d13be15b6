//! Themes of actions from a taxonomy of keyword rules kept as data (`themes.toml`), so
//! that analysts can read, predict and change why an action has a theme.
//!
//! Texts and keywords are folded (case, accents) and each word is stemmed with Snowball's
//! French stemmer ([`words`]): a keyword's words match the same stems, in order, so that
//! plurals and inflections match ("eaux de pluie" is "eau de pluie"); a word of a keyword
//! ending in `*` matches any word starting so; a word of three letters or fewer matches
//! itself only (and its plural); a word starting with "re" also matches as the rest
//! ("réinsertion" is "insertion"). Keywords are strong, weak (they count only with
//! another cue) or exclusions (words that never count for their theme, such as
//! "environnement professionnel"); a keyword in brackets or after "notamment", "tels
//! que", "par exemple" or "au sein de" counts as weak. An action combines its title's
//! themes with those of its OO and OS by the rule of [`Taxonomy::classify_action`].
//! Cost: one pass over the text to fold and stem it, then hash look-ups per word (and
//! per prefix of it, for `*` keywords): linear in the text.

mod words;

use std::collections::HashMap;

use pst_model::{Plan, Pst, ThemeDefinition, ThemeMatch};
use serde::Deserialize;

use words::{Word, stem};

/// The taxonomy shipped with `pst`: about a dozen themes of CPAS plans.
pub const DEFAULT_THEMES: &str = include_str!("../themes.toml");

/// A set of themes, each with its keyword rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Taxonomy {
    themes: Vec<Theme>,
    keywords: Vec<Keyword>,
    /// Keywords by the stem of their first word, so that a text is matched by looking up
    /// its words, not by trying every keyword.
    by_stem: HashMap<String, Vec<usize>>,
    /// Keywords whose first word ends in `*`, by that word (without the `*`).
    by_prefix: HashMap<String, Vec<usize>>,
    /// Keywords whose first word is short ([`SHORT_WORD`]), by that word.
    by_word: HashMap<String, Vec<usize>>,
}

/// One theme of a taxonomy.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Short id, e.g. `logement`.
    pub id: String,
    /// The name shown to people, e.g. "Logement".
    pub label: String,
    /// The F1 score the taxonomy's authors measured for this theme against labels
    /// written blind (`measured_f1` in the file), if stated.
    measured_f1: Option<f64>,
}

impl Theme {
    /// The F1 score measured for this theme against labels written blind, as the
    /// taxonomy file states it (`measured_f1`); `None` when it states none.
    pub fn measured_f1(&self) -> Option<f64> {
        self.measured_f1
    }
}

/// What a keyword does when found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// Gives its theme.
    Strong,
    /// Gives its theme only with another cue.
    Weak,
    /// The words it covers give nothing to its theme.
    Exclusion,
}

impl Role {
    /// How `matched` and `pst.json`'s taxonomy mark a keyword of this role.
    fn marker(self) -> &'static str {
        match self {
            Role::Strong => "",
            Role::Weak => "weak: ",
            Role::Exclusion => "not: ",
        }
    }
}

/// Keyword words this short match themselves only (and their plural), not a stem:
/// Snowball makes "led" of "ledit".
const SHORT_WORD: usize = 3;

/// A word of a keyword.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Pattern {
    /// This word (folded), or it with a plural "s" or "x".
    Word(String),
    /// Any word with this stem.
    Stem(String),
    /// Any word starting with this (folded).
    Prefix(String),
}

impl Pattern {
    fn matches(&self, word: &Word) -> bool {
        match self {
            Pattern::Word(short) => word
                .folded
                .strip_prefix(short.as_str())
                .is_some_and(|rest| matches!(rest, "" | "s" | "x")),
            Pattern::Stem(stem) => word.stem == *stem || word.unprefixed.as_ref() == Some(stem),
            Pattern::Prefix(prefix) => word.folded.starts_with(prefix.as_str()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Keyword {
    theme: usize,
    role: Role,
    /// As written in the file.
    written: String,
    words: Vec<Pattern>,
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
    #[serde(default)]
    weak: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
    measured_f1: Option<f64>,
}

impl Default for Taxonomy {
    fn default() -> Self {
        Taxonomy::from_toml(DEFAULT_THEMES).expect("the shipped taxonomy is valid")
    }
}

/// The words of a keyword: folded, split like a text's words, each a stem or, ending in
/// `*`, a prefix.
fn patterns(keyword: &str) -> Vec<Pattern> {
    pst_model::fold(keyword)
        .replace('œ', "oe")
        .replace('æ', "ae")
        .split(|c: char| !c.is_alphanumeric() && c != '*')
        .filter_map(|word| match word.strip_suffix('*') {
            Some(prefix) if !prefix.is_empty() && !prefix.contains('*') => {
                Some(Pattern::Prefix(prefix.to_owned()))
            }
            _ => {
                let word = word.replace('*', "");
                match word.chars().count() {
                    0 => None,
                    n if n <= SHORT_WORD => Some(Pattern::Word(word)),
                    _ => Some(Pattern::Stem(stem(&word))),
                }
            }
        })
        .collect()
}

/// What a text says of one theme: the keywords found, by role (each once).
#[derive(Debug, Clone, Default)]
struct Evidence {
    strong: Vec<usize>,
    weak: Vec<usize>,
    /// Where the weak keywords start (each word once): two cues are two places.
    weak_at: Vec<usize>,
}

/// What a text says of every theme of a taxonomy.
#[derive(Debug, Clone)]
struct Reading {
    evidence: Vec<Evidence>,
    any_strong: bool,
}

impl Reading {
    /// Per theme: the text has a strong keyword of it (outside brackets and lists).
    fn named(&self) -> Vec<bool> {
        self.evidence.iter().map(|e| !e.strong.is_empty()).collect()
    }
}

impl Taxonomy {
    /// Reads a taxonomy written as `themes.toml` is.
    pub fn from_toml(text: &str) -> Result<Taxonomy, ThemesError> {
        let file: File = toml::from_str(text).map_err(|e| ThemesError::Syntax(e.to_string()))?;
        let mut themes: Vec<Theme> = Vec::new();
        let mut keywords: Vec<Keyword> = Vec::new();
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
            let theme = themes.len();
            let before = keywords.len();
            for (role, list) in [
                (Role::Strong, entry.keywords),
                (Role::Weak, entry.weak),
                (Role::Exclusion, entry.exclude),
            ] {
                for written in list {
                    let words = patterns(&written);
                    if !words.is_empty() {
                        keywords.push(Keyword {
                            theme,
                            role,
                            written,
                            words,
                        });
                    }
                }
            }
            if !keywords[before..].iter().any(|k| k.role != Role::Exclusion) {
                return Err(ThemesError::Invalid(format!(
                    "theme {} has no keyword",
                    entry.id
                )));
            }
            themes.push(Theme {
                id: entry.id,
                label: entry.label,
                measured_f1: entry.measured_f1,
            });
        }
        let mut by_stem: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_prefix: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_word: HashMap<String, Vec<usize>> = HashMap::new();
        for (k, keyword) in keywords.iter().enumerate() {
            let (index, key) = match &keyword.words[0] {
                Pattern::Word(word) => (&mut by_word, word),
                Pattern::Stem(stem) => (&mut by_stem, stem),
                Pattern::Prefix(prefix) => (&mut by_prefix, prefix),
            };
            index.entry(key.clone()).or_default().push(k);
        }
        Ok(Taxonomy {
            themes,
            keywords,
            by_stem,
            by_prefix,
            by_word,
        })
    }

    /// The themes, in the file's order.
    pub fn themes(&self) -> &[Theme] {
        &self.themes
    }

    /// The taxonomy as the model records it (`pst.json`'s `themes`): each theme's
    /// keywords as written, weak ones marked `weak: `, exclusions `not: `.
    pub fn definitions(&self) -> Vec<ThemeDefinition> {
        self.themes
            .iter()
            .enumerate()
            .map(|(t, theme)| ThemeDefinition {
                id: theme.id.clone(),
                label: theme.label.clone(),
                keywords: self
                    .keywords
                    .iter()
                    .filter(|k| k.theme == t)
                    .map(|k| format!("{}{}", k.role.marker(), k.written))
                    .collect(),
            })
            .collect()
    }

    /// The themes `text` speaks of, in the taxonomy's order, with the keywords found
    /// (weak ones marked `weak: `). A theme is given by a strong keyword outside
    /// brackets and lists ("notamment…"), or by weak ones (or strong ones in brackets)
    /// when there are two of them or when no theme has a strong keyword.
    pub fn classify(&self, text: &str) -> Vec<ThemeMatch> {
        let reading = self.read(text);
        let given = self.given(&reading, &[]);
        self.explain(&reading, &given, "")
    }

    /// The themes of an action, from its title and those of its OO and OS:
    /// - the action's title gives its themes as [`Taxonomy::classify`] says, a weak
    ///   keyword also counting when the OO's or the OS's title has a strong keyword of
    ///   its theme;
    /// - a title that gives no theme takes the OO's (its matched words marked `OO: `),
    ///   which the OO's title gives the same way, the OS's title as its context.
    ///
    /// The OS's themes are never taken alone: its titles are too broad.
    pub fn classify_action(&self, title: &str, oo_title: &str, os_title: &str) -> Vec<ThemeMatch> {
        let context = self.context(oo_title, os_title);
        self.classify_in(&context, title)
    }

    fn context(&self, oo_title: &str, os_title: &str) -> Context {
        let os = self.read(os_title);
        let oo = self.read(oo_title);
        let oo_given = self.given(&oo, &os.named());
        let named = oo
            .named()
            .into_iter()
            .zip(os.named())
            .map(|(a, b)| a || b)
            .collect();
        Context {
            oo: self.explain(&oo, &oo_given, "OO: "),
            named,
        }
    }

    fn classify_in(&self, context: &Context, title: &str) -> Vec<ThemeMatch> {
        let reading = self.read(title);
        let given = self.given(&reading, &context.named);
        let own = self.explain(&reading, &given, "");
        if own.is_empty() {
            context.oo.clone()
        } else {
            own
        }
    }

    /// The keywords `text` holds, per theme, exclusions applied.
    fn read(&self, text: &str) -> Reading {
        let words = words::words(text);
        // (keyword, first word, end, aside)
        let mut hits: Vec<(usize, usize, usize, bool)> = Vec::new();
        for (at, word) in words.iter().enumerate() {
            let by_stem = [Some(&word.stem), word.unprefixed.as_ref()]
                .into_iter()
                .flatten()
                .filter_map(|stem| self.by_stem.get(stem))
                .flatten();
            let by_prefix = word
                .folded
                .char_indices()
                .skip(1)
                .map(|(end, _)| end)
                .chain([word.folded.len()])
                .filter_map(|end| self.by_prefix.get(&word.folded[..end]))
                .flatten();
            let singular = word
                .folded
                .strip_suffix(['s', 'x'])
                .filter(|s| !s.is_empty());
            let by_word = [Some(word.folded.as_str()), singular]
                .into_iter()
                .flatten()
                .filter_map(|w| self.by_word.get(w))
                .flatten();
            for &k in by_stem.chain(by_prefix).chain(by_word) {
                let pattern = &self.keywords[k].words;
                let end = at + pattern.len();
                if end <= words.len()
                    && pattern[1..]
                        .iter()
                        .zip(&words[at + 1..end])
                        .all(|(p, w)| p.matches(w))
                {
                    let aside = words[at..end].iter().any(|w| w.aside);
                    hits.push((k, at, end, aside));
                }
            }
        }
        let excluded: Vec<(usize, usize, usize)> = hits
            .iter()
            .filter(|(k, ..)| self.keywords[*k].role == Role::Exclusion)
            .map(|&(k, from, to, _)| (self.keywords[k].theme, from, to))
            .collect();
        let mut evidence = vec![Evidence::default(); self.themes.len()];
        let mut any_strong = false;
        for (k, from, to, aside) in hits {
            let keyword = &self.keywords[k];
            if excluded
                .iter()
                .any(|&(theme, a, b)| theme == keyword.theme && from < b && a < to)
            {
                continue;
            }
            let evidence = &mut evidence[keyword.theme];
            let list = match keyword.role {
                Role::Strong if !aside => {
                    any_strong = true;
                    &mut evidence.strong
                }
                Role::Strong | Role::Weak => {
                    if !evidence.weak_at.contains(&from) {
                        evidence.weak_at.push(from);
                    }
                    &mut evidence.weak
                }
                Role::Exclusion => continue,
            };
            if !list.contains(&k) {
                list.push(k);
            }
        }
        Reading {
            evidence,
            any_strong,
        }
    }

    /// Which themes `reading` gives, given the themes of its context (empty: none).
    fn given(&self, reading: &Reading, context: &[bool]) -> Vec<bool> {
        reading
            .evidence
            .iter()
            .enumerate()
            .map(|(t, e)| {
                !e.strong.is_empty()
                    || e.weak_at.len() >= 2
                    || (!e.weak.is_empty()
                        && (!reading.any_strong || context.get(t).copied().unwrap_or(false)))
            })
            .collect()
    }

    /// The given themes of `reading` with their keywords, each marked `mark`.
    fn explain(&self, reading: &Reading, given: &[bool], mark: &str) -> Vec<ThemeMatch> {
        reading
            .evidence
            .iter()
            .zip(given)
            .enumerate()
            .filter(|(_, (_, given))| **given)
            .map(|(t, (evidence, _))| ThemeMatch {
                theme: self.themes[t].id.clone(),
                matched: evidence
                    .strong
                    .iter()
                    .map(|&k| format!("{mark}{}", self.keywords[k].written))
                    .chain(
                        evidence
                            .weak
                            .iter()
                            .filter(|k| !evidence.strong.contains(k))
                            .map(|&k| {
                                format!("{mark}{}{}", Role::Weak.marker(), self.keywords[k].written)
                            }),
                    )
                    .collect(),
            })
            .collect()
    }
}

/// The themes of an OO and its OS, read once for all the OO's actions.
struct Context {
    /// The OO's themes, matched words marked `OO: `.
    oo: Vec<ThemeMatch>,
    /// Per theme: the OO or the OS has a strong keyword of it.
    named: Vec<bool>,
}

/// Gives every action the themes of [`Taxonomy::classify_action`], and records the
/// taxonomy in `pst`.
pub fn assign_themes(pst: &mut Pst, taxonomy: &Taxonomy) {
    for plan in &mut pst.plans {
        assign_plan(plan, taxonomy);
    }
    pst.themes = taxonomy.definitions();
}

/// Gives every action of `plan` its themes ([`Taxonomy::classify_action`]), each OO
/// and OS title read once.
pub(crate) fn assign_plan(plan: &mut Plan, taxonomy: &Taxonomy) {
    for os in &mut plan.strategic_objectives {
        for oo in &mut os.operational_objectives {
            let context = taxonomy.context(&oo.title, &os.title);
            for action in &mut oo.actions {
                action.themes = taxonomy.classify_in(&context, &action.title);
            }
        }
    }
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

    fn pair(theme: &str, matched: &[&str]) -> (String, Vec<String>) {
        (
            theme.to_owned(),
            matched.iter().map(|m| (*m).to_owned()).collect(),
        )
    }

    const SMALL: &str = r#"
        [[theme]]
        id = "energie"
        label = "Énergie"
        keywords = ["energ*", "led"]
        [[theme]]
        id = "aines"
        label = "Aînés"
        keywords = ["maison de repos"]
        [[theme]]
        id = "environnement"
        label = "Environnement"
        keywords = ["tri", "eau de pluie", "environnement"]
        exclude = ["environnement professionnel"]
        [[theme]]
        id = "insertion"
        label = "Insertion"
        keywords = ["insertion", "emploi"]
        [[theme]]
        id = "rh"
        label = "Ressources humaines"
        keywords = ["recrutement"]
        weak = ["personnel", "agent"]
        measured_f1 = 0.8
    "#;

    #[test]
    fn keywords_match_stems_in_order_and_prefixes_when_starred() {
        let taxonomy = Taxonomy::from_toml(SMALL).expect("taxonomy");
        assert_eq!(
            themes(&taxonomy, "Audit ÉNERGÉTIQUE des Maisons de Repos"),
            [
                pair("energie", &["energ*"]),
                pair("aines", &["maison de repos"])
            ]
        );
        assert!(themes(&taxonomy, "Réunion trimestrielle, ledit comité").is_empty());
        assert_eq!(
            themes(
                &taxonomy,
                "Récupérer les eaux de pluie, tri et éclairage LED"
            ),
            [
                pair("energie", &["led"]),
                pair("environnement", &["eau de pluie", "tri"])
            ]
        );
        assert!(themes(&taxonomy, "la maison de quartier").is_empty());
        assert_eq!(
            themes(&taxonomy, "Projets de réinsertion"),
            [pair("insertion", &["insertion"])]
        );
    }

    #[test]
    fn exclusions_weak_words_and_asides() {
        let taxonomy = Taxonomy::from_toml(SMALL).expect("taxonomy");
        assert!(themes(&taxonomy, "Un environnement professionnel serein").is_empty());
        assert_eq!(
            themes(
                &taxonomy,
                "Respect de l'environnement et environnement professionnel"
            ),
            [pair("environnement", &["environnement"])]
        );
        // Weak alone: counts when nothing strong matched, or with another cue.
        assert_eq!(
            themes(&taxonomy, "Former le personnel"),
            [pair("rh", &["weak: personnel"])]
        );
        assert_eq!(
            themes(&taxonomy, "Former le personnel à l'insertion"),
            [pair("insertion", &["insertion"])]
        );
        assert_eq!(
            themes(&taxonomy, "Former le personnel et les agents à l'insertion"),
            [
                pair("insertion", &["insertion"]),
                pair("rh", &["weak: personnel", "weak: agent"])
            ]
        );
        // In brackets or after "notamment", a strong keyword is weak.
        assert_eq!(
            themes(
                &taxonomy,
                "Audit énergétique des services (emploi, personnel)"
            ),
            [pair("energie", &["energ*"])]
        );
        assert_eq!(
            themes(&taxonomy, "Recruter du personnel, notamment pour l'emploi"),
            [pair("rh", &["recrutement", "weak: personnel"])]
        );
    }

    #[test]
    fn an_action_combines_its_title_with_its_oo_and_os() {
        let taxonomy = Taxonomy::from_toml(SMALL).expect("taxonomy");
        let action = |title, oo, os| -> Vec<(String, Vec<String>)> {
            taxonomy
                .classify_action(title, oo, os)
                .into_iter()
                .map(|m| (m.theme, m.matched))
                .collect()
        };
        assert_eq!(
            action("Organiser une réunion", "Favoriser l'emploi", "Les LED"),
            [pair("insertion", &["OO: emploi"])]
        );
        assert!(action("Organiser une réunion", "Se réunir", "Les LED").is_empty());
        // A weak word counts when the OS names its theme.
        assert_eq!(
            action(
                "Former le personnel à l'insertion",
                "Se réunir",
                "Recrutement"
            ),
            [
                pair("insertion", &["insertion"]),
                pair("rh", &["weak: personnel"])
            ]
        );
        assert_eq!(
            action(
                "Former le personnel à l'insertion",
                "Se réunir",
                "Le personnel"
            ),
            [pair("insertion", &["insertion"])]
        );
        // A weak word counts when the OO has its theme.
        assert_eq!(
            action(
                "Former le personnel à l'insertion",
                "Un recrutement",
                "Soutenir"
            ),
            [
                pair("insertion", &["insertion"]),
                pair("rh", &["weak: personnel"])
            ]
        );
    }

    #[test]
    fn the_taxonomy_records_roles_and_measures() {
        let taxonomy = Taxonomy::from_toml(SMALL).expect("taxonomy");
        let definitions = taxonomy.definitions();
        assert_eq!(
            definitions[2].keywords,
            [
                "tri",
                "eau de pluie",
                "environnement",
                "not: environnement professionnel"
            ]
        );
        assert_eq!(
            definitions[4].keywords,
            ["recrutement", "weak: personnel", "weak: agent"]
        );
        assert_eq!(taxonomy.themes()[4].measured_f1(), Some(0.8));
        assert_eq!(taxonomy.themes()[0].measured_f1(), None);
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
        assert_eq!(
            Taxonomy::from_toml(
                "[[theme]]\nid = \"a\"\nlabel = \"A\"\nkeywords = []\nexclude = [\"x\"]\n"
            ),
            Err(ThemesError::Invalid("theme a has no keyword".into()))
        );
    }
}
