//! The lexicon: the words plans are read with (level words, ordinals, volets, field
//! labels, section headings), loaded from `lexicon.toml` (shipped) or a user's file, and
//! matched on folded text with one leftmost-longest automaton per vocabulary.
//!
//! ```
//! let lexicon = pst_parse::Lexicon::default();
//! assert!(pst_parse::Lexicon::from_toml("[levels]\nstrategic = [\"cap\"]\n").is_ok());
//! # let _ = lexicon;
//! ```

use std::collections::BTreeMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};
use pst_model::Volet;
use serde::Deserialize;

/// The shipped lexicon, as text.
pub const DEFAULT_LEXICON: &str = include_str!("../lexicon.toml");

static DEFAULT: LazyLock<Lexicon> =
    LazyLock::new(|| Lexicon::from_toml(DEFAULT_LEXICON).expect("the shipped lexicon is valid"));

/// A field of an action (or a column of a table) that a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)]
#[non_exhaustive]
pub enum Field {
    Title,
    Code,
    Indicators,
    Pilots,
    Mandataries,
    Service,
    Deadline,
    Start,
    End,
    Progress,
    Status,
    Partners,
    Budget,
    Fte,
    Priority,
    Comments,
    Description,
    Context,
    Deliverables,
    Risks,
    Team,
    Public,
    /// The steps of an action (`Sous-actions`, `Tâches`), one per line or item.
    Tasks,
    Volet,
    Strategic,
    Operational,
}

impl Field {
    /// A field that names or places an entity (its title, code, objective, volet)
    /// rather than describing an action.
    pub(crate) fn names_an_entity(self) -> bool {
        matches!(
            self,
            Field::Title | Field::Code | Field::Strategic | Field::Operational | Field::Volet
        )
    }

    fn from_key(key: &str) -> Option<Field> {
        Some(match key {
            "title" => Field::Title,
            "code" => Field::Code,
            "indicators" => Field::Indicators,
            "pilots" => Field::Pilots,
            "mandataries" => Field::Mandataries,
            "service" => Field::Service,
            "deadline" => Field::Deadline,
            "start" => Field::Start,
            "end" => Field::End,
            "progress" => Field::Progress,
            "status" => Field::Status,
            "partners" => Field::Partners,
            "budget" => Field::Budget,
            "fte" => Field::Fte,
            "priority" => Field::Priority,
            "comments" => Field::Comments,
            "description" => Field::Description,
            "context" => Field::Context,
            "deliverables" => Field::Deliverables,
            "risks" => Field::Risks,
            "team" => Field::Team,
            "public" => Field::Public,
            "tasks" => Field::Tasks,
            "volet" => Field::Volet,
            "strategic" => Field::Strategic,
            "operational" => Field::Operational,
            _ => return None,
        })
    }
}

/// The level a word announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LevelWord {
    Strategic,
    Operational,
    Action,
    /// The level comes from the depth of the code that follows.
    ByDepth,
}

/// What a heading opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    /// Before the plan, or a section such as "Préalables": lists there are not objectives.
    Preamble,
    /// The plan's values.
    Values,
    /// Objectives.
    Plan,
}

/// Why a lexicon file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LexiconError {
    /// Not TOML, or not the lexicon's shape (the message names the line).
    #[error("lexicon is not valid: {0}")]
    Invalid(String),
    /// A key the lexicon does not know (a misspelt field name).
    #[error("lexicon: unknown {0}")]
    UnknownKey(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LexiconFile {
    #[serde(default)]
    levels: Levels,
    #[serde(default)]
    ordinals: BTreeMap<String, u32>,
    #[serde(default)]
    volets: Volets,
    #[serde(default)]
    fields: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    sections: Sections,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Levels {
    #[serde(default)]
    strategic: Vec<String>,
    #[serde(default)]
    operational: Vec<String>,
    #[serde(default)]
    action: Vec<String>,
    #[serde(default)]
    by_depth: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Volets {
    #[serde(default)]
    externe: Vec<String>,
    #[serde(default)]
    interne: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Sections {
    #[serde(default)]
    plan: Vec<String>,
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    preamble: Vec<String>,
}

/// Words of one vocabulary and what each means, matched leftmost-longest at a position.
#[derive(Debug, Clone)]
struct Vocabulary<T: Copy> {
    automaton: AhoCorasick,
    meanings: Vec<T>,
    words: Vec<String>,
}

impl<T: Copy> Vocabulary<T> {
    fn new(entries: Vec<(String, T)>) -> Result<Self, LexiconError> {
        let (words, meanings): (Vec<String>, Vec<T>) = entries
            .into_iter()
            .map(|(word, meaning)| (normalise_word(&word), meaning))
            .filter(|(word, _)| !word.is_empty())
            .unzip();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .build(&words)
            .map_err(|e| LexiconError::Invalid(e.to_string()))?;
        Ok(Vocabulary {
            automaton,
            meanings,
            words,
        })
    }

    /// The longest word at the start of `folded` that ends at a word boundary.
    fn at_start(&self, folded: &str) -> Option<(T, usize)> {
        let found = self
            .automaton
            .find(Input::new(folded).anchored(Anchored::Yes))?;
        let end = found.end();
        let word = &self.words[found.pattern().as_usize()];
        let boundary_ok = !ends_inside_word(folded, end, word);
        boundary_ok.then(|| (self.meanings[found.pattern().as_usize()], end))
    }
}

/// A match of `word` ending at `end` stops inside a word of the text: the text goes on
/// with a letter after a word that ends with a letter.
fn ends_inside_word(folded: &str, end: usize, word: &str) -> bool {
    let next = folded[end..].chars().next();
    let last = word.chars().next_back();
    matches!((last, next), (Some(l), Some(n)) if l.is_alphanumeric() && n.is_alphabetic())
}

/// A lexicon word as it is compared: folded, single spaces.
fn normalise_word(word: &str) -> String {
    fold_prefix(word, usize::MAX).text.trim().to_owned()
}

/// Folded text with, for each folded byte, the end of the original character it came
/// from, so a match in the folded text maps back to the original.
pub(crate) struct Folded {
    pub text: String,
    ends: Vec<usize>,
}

impl Folded {
    /// The original byte offset just after the folded text's first `end` bytes.
    pub(crate) fn original_end(&self, end: usize) -> usize {
        match end.checked_sub(1) {
            Some(last) => self.ends.get(last).copied().unwrap_or(0),
            None => 0,
        }
    }
}

/// Folds at most `max_chars` characters of `text`: lower case, accents removed, `’` as
/// `'`, `°`/`º` kept, runs of whitespace as one space.
pub(crate) fn fold_prefix(text: &str, max_chars: usize) -> Folded {
    let mut folded = String::with_capacity(text.len().min(max_chars.saturating_mul(2)));
    let mut ends = Vec::with_capacity(folded.capacity());
    let mut last_space = false;
    for (index, c) in text.char_indices().take(max_chars) {
        let end = index + c.len_utf8();
        let before = folded.len();
        if c.is_whitespace() {
            if !last_space {
                folded.push(' ');
            }
            last_space = true;
        } else {
            last_space = false;
            if c.is_ascii() {
                folded.push(c.to_ascii_lowercase());
            } else if matches!(c, '’' | '‘' | 'ʼ' | '`') {
                folded.push('\'');
            } else {
                unicode_normalization::char::decompose_canonical(c, |d| {
                    if !unicode_normalization::char::is_combining_mark(d) {
                        folded.extend(d.to_lowercase());
                    }
                });
            }
        }
        ends.resize(folded.len().max(before), end);
    }
    Folded { text: folded, ends }
}

/// The vocabulary `pst` reads plans with. [`Lexicon::default`] is the shipped
/// `lexicon.toml`; [`Lexicon::from_toml`] reads a user's copy.
#[derive(Debug, Clone)]
pub struct Lexicon {
    levels: Vocabulary<LevelWord>,
    ordinals: Vocabulary<u32>,
    volets: Vocabulary<Volet>,
    fields: Vocabulary<Field>,
    sections: Vocabulary<Section>,
}

impl Default for Lexicon {
    fn default() -> Self {
        DEFAULT.clone()
    }
}

impl Lexicon {
    /// The shipped lexicon, shared.
    pub(crate) fn shipped() -> &'static Lexicon {
        &DEFAULT
    }

    /// Reads a lexicon from the text of a TOML file shaped like the shipped
    /// `lexicon.toml`; vocabularies it leaves out are empty.
    pub fn from_toml(text: &str) -> Result<Lexicon, LexiconError> {
        let file: LexiconFile =
            toml::from_str(text).map_err(|e| LexiconError::Invalid(e.to_string()))?;
        let mut levels = Vec::new();
        for (words, level) in [
            (&file.levels.strategic, LevelWord::Strategic),
            (&file.levels.operational, LevelWord::Operational),
            (&file.levels.action, LevelWord::Action),
            (&file.levels.by_depth, LevelWord::ByDepth),
        ] {
            levels.extend(words.iter().map(|w| (w.clone(), level)));
        }
        let mut volets = Vec::new();
        for (words, volet) in [
            (&file.volets.externe, Volet::Externe),
            (&file.volets.interne, Volet::Interne),
        ] {
            volets.extend(words.iter().map(|w| (w.clone(), volet)));
        }
        let mut fields = Vec::new();
        for (key, words) in &file.fields {
            let field = Field::from_key(key)
                .ok_or_else(|| LexiconError::UnknownKey(format!("field «{key}»")))?;
            fields.extend(words.iter().map(|w| (w.clone(), field)));
        }
        let mut sections = Vec::new();
        for (words, section) in [
            (&file.sections.plan, Section::Plan),
            (&file.sections.values, Section::Values),
            (&file.sections.preamble, Section::Preamble),
        ] {
            sections.extend(words.iter().map(|w| (w.clone(), section)));
        }
        Ok(Lexicon {
            levels: Vocabulary::new(levels)?,
            ordinals: Vocabulary::new(file.ordinals.into_iter().collect())?,
            volets: Vocabulary::new(volets)?,
            fields: Vocabulary::new(fields)?,
            sections: Vocabulary::new(sections)?,
        })
    }

    /// The level word at the start of folded text, and where it ends.
    pub(crate) fn level_word(&self, folded: &str) -> Option<(LevelWord, usize)> {
        self.levels.at_start(folded)
    }

    /// The ordinal word at the start of folded text ("deuxieme"), and where it ends.
    pub(crate) fn ordinal(&self, folded: &str) -> Option<(u32, usize)> {
        self.ordinals.at_start(folded)
    }

    /// The volet a folded word names ("externe").
    pub(crate) fn volet_word(&self, folded: &str) -> Option<(Volet, usize)> {
        self.volets.at_start(folded)
    }

    /// The field label at the start of folded text, and where it ends.
    pub(crate) fn field_label(&self, folded: &str) -> Option<(Field, usize)> {
        self.fields.at_start(folded)
    }

    /// The field a folded table header names: a label at its start, else a label of five
    /// or more letters anywhere in it ("Taux d'avancement (%)", "Nom du pilote").
    pub(crate) fn header_field(&self, folded: &str) -> Option<Field> {
        if let Some((field, _)) = self.fields.at_start(folded) {
            return Some(field);
        }
        self.fields.automaton.find_iter(folded).find_map(|m| {
            let word = &self.fields.words[m.pattern().as_usize()];
            let starts_word = folded[..m.start()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            (word.chars().count() >= 5 && starts_word && !ends_inside_word(folded, m.end(), word))
                .then(|| self.fields.meanings[m.pattern().as_usize()])
        })
    }

    /// The section a heading opens, by the words it holds; `None` for a heading that
    /// stays in the current section.
    pub(crate) fn section(&self, folded: &str) -> Option<Section> {
        // Values first: "Nos valeurs et objectifs" is about values.
        let mut found = None;
        for m in self.sections.automaton.find_iter(folded) {
            let starts_word = folded[..m.start()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            if !starts_word {
                continue;
            }
            let section = self.sections.meanings[m.pattern().as_usize()];
            found = match (found, section) {
                (_, Section::Values) => return Some(Section::Values),
                (Some(Section::Plan), _) | (_, Section::Plan) => Some(Section::Plan),
                (previous, Section::Preamble) => previous.or(Some(Section::Preamble)),
            };
        }
        found
    }

    /// Whether `folded` holds a level word ("objectif", "action", "axe") anywhere.
    pub(crate) fn mentions_level(&self, folded: &str) -> bool {
        self.levels.automaton.find_iter(folded).any(|m| {
            let word = &self.levels.words[m.pattern().as_usize()];
            let starts_word = folded[..m.start()]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            word.chars().count() > 2 && starts_word && !ends_inside_word(folded, m.end(), word)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(text: &str) -> Option<Field> {
        let folded = fold_prefix(text, 80);
        Lexicon::shipped()
            .field_label(&folded.text)
            .map(|(field, _)| field)
    }

    #[test]
    fn longest_label_wins_and_words_end_at_a_boundary() {
        assert_eq!(field("Date de fin : 2026"), Some(Field::End));
        assert_eq!(field("Date : 2026"), Some(Field::Deadline));
        assert_eq!(field("État d’avancement : 40 %"), Some(Field::Status));
        assert_eq!(field("Pil. Adm"), Some(Field::Pilots));
        assert_eq!(field("Pilotage du projet"), None);
        assert_eq!(
            field("Indicateurs de résultat : x"),
            Some(Field::Indicators)
        );
    }

    #[test]
    fn headers_name_fields_by_their_start_or_a_long_label_inside() {
        let header = |text: &str| Lexicon::shipped().header_field(&fold_prefix(text, 80).text);
        assert_eq!(header("Taux d'avancement (%)"), Some(Field::Progress));
        assert_eq!(header("Nom du pilote"), Some(Field::Pilots));
        assert_eq!(header("Objectif stratégique"), Some(Field::Strategic));
        assert_eq!(header("Taxe"), None);
    }

    #[test]
    fn sections_match_whole_words() {
        let section = |text: &str| Lexicon::shipped().section(&fold_prefix(text, 200).text);
        assert_eq!(section("Nos valeurs"), Some(Section::Values));
        assert_eq!(section("Préalables"), Some(Section::Preamble));
        assert_eq!(section("Les objectifs du plan"), Some(Section::Plan));
        assert_eq!(section("Taxes communales"), None);
    }

    #[test]
    fn folding_maps_back_to_the_original() {
        let folded = fold_prefix("Échéance  : fin", 80);
        assert_eq!(folded.text, "echeance : fin");
        assert_eq!(folded.original_end(8), "Échéance".len());
    }

    #[test]
    fn a_user_lexicon_replaces_the_vocabulary_and_unknown_fields_are_errors() {
        let lexicon = Lexicon::from_toml("[fields]\npilots = [\"cheffe\"]\n").expect("valid");
        assert_eq!(
            lexicon.field_label("cheffe : x").map(|(f, _)| f),
            Some(Field::Pilots)
        );
        assert!(matches!(
            Lexicon::from_toml("[fields]\npilotes = [\"x\"]\n"),
            Err(LexiconError::UnknownKey(_))
        ));
        assert!(matches!(
            Lexicon::from_toml("[levels]\nstrategique = []\n"),
            Err(LexiconError::Invalid(_))
        ));
    }
}
