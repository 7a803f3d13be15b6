//! The plan tree: plan → strategic objectives → operational objectives → actions.

use serde::{Deserialize, Serialize};

use crate::{Diagnostic, Status};

/// The value of the `schema` field of every `pst.json`.
pub const SCHEMA: &str = "pst/1";

/// The whole output of one ingestion: plans plus everything worth telling about them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pst {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// One entry per plan, in a stable order.
    pub plans: Vec<Plan>,
    /// Everything that could not be read or looked doubtful, with its location.
    pub diagnostics: Vec<Diagnostic>,
    /// The theme taxonomy the actions' `themes` come from, rules included.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<ThemeDefinition>,
}

/// A theme of the taxonomy in use: its id, its name and its keyword rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeDefinition {
    /// Short id, e.g. `logement`.
    pub id: String,
    /// The name shown to people, e.g. "Logement".
    pub label: String,
    /// The keywords, as written in the taxonomy.
    pub keywords: Vec<String>,
}

impl Default for Pst {
    fn default() -> Self {
        Pst {
            schema: SCHEMA.to_owned(),
            plans: Vec::new(),
            diagnostics: Vec::new(),
            themes: Vec::new(),
        }
    }
}

/// One CPAS's plan, possibly read from several documents.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Stable identifier, e.g. `cpas-virton-2018-2024`.
    pub id: String,
    /// The organisation as the documents name it; `None` if none does.
    pub organisation: Option<String>,
    /// The plan's period; `None` if no document states it.
    pub period: Option<Period>,
    /// The municipality's 5-digit NIS (INS) code, from the plan's manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ins: Option<String>,
    /// The documents this plan was read from.
    pub sources: Vec<Source>,
    /// The values the plan states (e.g. "HUMANITE", "RESPECT"): not objectives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// The strategic objectives, in document order.
    pub strategic_objectives: Vec<StrategicObjective>,
    /// Links from this plan's objectives and actions to another plan (the commune's PST).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Figures the documents state about themselves, beside what was extracted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub claims: Vec<Claim>,
}

impl Plan {
    /// Every action of the plan, in document order.
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.strategic_objectives
            .iter()
            .flat_map(|os| &os.operational_objectives)
            .flat_map(|oo| &oo.actions)
    }
}

/// A figure a document states about the plan ("47 projets composent notre PST", "17 sont
/// réalisés (entre 80 à 100%)"), and the same figure counted in what was extracted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    /// What is counted.
    pub subject: ClaimSubject,
    /// For `actions_with_status`: the status the document names.
    pub status: Option<Status>,
    /// For `actions_with_status`: the progress range the document gives, in percent.
    pub progress_range: Option<[u8; 2]>,
    /// How the document compares: `exactly`, `at_least` ("plus de"), `at_most`
    /// ("moins de"), `about` ("environ", "près de": within 10 %).
    pub comparison: Comparison,
    /// The number the document states.
    pub stated: u32,
    /// The number counted in the extracted plan.
    pub extracted: u32,
    /// Whether the two agree under `comparison`.
    pub agrees: bool,
    /// When the figure is about one objective rather than the plan (the sentence does not
    /// name the plan and only that objective's count fits): its id; `extracted` is then
    /// that objective's count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The sentence the figure was read from.
    pub text: String,
    /// Where it was read.
    pub provenance: Vec<Provenance>,
}

/// What a claim counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimSubject {
    /// Strategic objectives.
    StrategicObjectives,
    /// Operational objectives.
    OperationalObjectives,
    /// Actions (projets, fiches).
    Actions,
    /// Actions in a status bucket (with its progress range when stated).
    ActionsWithStatus,
}

/// How a stated figure compares with the count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// The figure is the count.
    Exactly,
    /// "plus de N".
    AtLeast,
    /// "moins de N".
    AtMost,
    /// "environ N", "près de N": within 10 %.
    About,
}

impl Comparison {
    /// Whether `extracted` satisfies "`self` `stated`".
    pub fn holds(self, stated: u32, extracted: u32) -> bool {
        match self {
            Comparison::Exactly => stated == extracted,
            Comparison::AtLeast => extracted >= stated,
            Comparison::AtMost => extracted <= stated,
            Comparison::About => extracted.abs_diff(stated) * 10 <= stated,
        }
    }
}

/// A link from an OS, OO or action of the plan to an objective of another plan, as a
/// synergy table states it ("OO 3.3 ↔ PST communal 1.9.2").
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Link {
    /// The id of the plan's entity; `None` when the plan has no entity at `from_path`.
    pub from: Option<String>,
    /// The entity as the link table names it.
    pub from_path: EntityPath,
    /// The entity's title as the link table writes it.
    pub from_title: String,
    /// The other plan's code, e.g. `1.9.2.1`; `None` when the table gives none.
    pub to_code: Option<String>,
    /// The other plan's title for that code.
    pub to_title: Option<String>,
    /// Where the link was read.
    pub provenance: Vec<Provenance>,
}

/// An entity named by codes: volet, OS code, and OO and action codes below it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EntityPath {
    /// The volet, if the document has volets.
    pub volet: Option<Volet>,
    /// `OS<n>`.
    pub os: String,
    /// `OO<os>.<n>`, for an OO or an action.
    pub oo: Option<String>,
    /// The action's code, for an action.
    pub action: Option<String>,
}

/// The years a plan covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// First year.
    pub start: i32,
    /// Last year.
    pub end: i32,
}

/// One input document of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    /// The path as given on the command line (joined with the file's relative path).
    pub path: String,
    /// The recognised format, e.g. `tsv-catalogue`.
    pub format: String,
    /// Hex SHA-256 of the raw bytes.
    pub sha256: String,
    /// Size of the raw bytes.
    pub bytes: u64,
    /// The character encoding the text was decoded from, e.g. `UTF-8`, `windows-1252`.
    pub encoding: String,
    /// How much of the document's text was read into the plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
}

/// Lines of a document's text (without markup) that hold something, and how many of them
/// were read into the plan: structure, a field, a link, a stated figure. The others are
/// residue (prose, cover pages, tables of contents), listed by `pst ingest --residue`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    /// Lines with text.
    pub lines: u32,
    /// Of those, lines read into the plan.
    pub attributed: u32,
}

/// A line of a document that was read into nothing: `pst ingest --residue` lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidueLine {
    /// The document.
    pub source: String,
    /// 1-based line of its text.
    pub line: u32,
    /// The page, for a PDF.
    pub page: Option<u32>,
    /// The line's text, markup removed.
    pub text: String,
}

/// `externe` (policies for the public) or `interne` (the administration itself).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Volet {
    /// Policies for the public.
    Externe,
    /// The administration itself.
    Interne,
}

impl Volet {
    /// The letter used in ids: `E` or `I` (`X` stands for no volet).
    pub fn letter(volet: Option<Volet>) -> char {
        match volet {
            Some(Volet::Externe) => 'E',
            Some(Volet::Interne) => 'I',
            None => 'X',
        }
    }

    /// The contract's spelling: `externe` or `interne`.
    pub fn as_str(self) -> &'static str {
        match self {
            Volet::Externe => "externe",
            Volet::Interne => "interne",
        }
    }
}

/// Where an entity was read: source path, 1-based line, and page for PDFs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Provenance {
    /// The source's `path`.
    pub source: String,
    /// 1-based line in the decoded text.
    pub line: u32,
    /// 1-based page, for paginated sources.
    pub page: Option<u32>,
    /// The sheet, for spreadsheets (then `line` is the row in that sheet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

/// An objectif stratégique (OS).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StrategicObjective {
    /// Stable id, e.g. `cpas-virton-2018-2024/E/OS1`.
    pub id: String,
    /// `OS<n>`.
    pub code: String,
    /// The volet it belongs to, if the document has volets.
    pub volet: Option<Volet>,
    /// Clean title.
    pub title: String,
    /// Other titles the documents give this entity (the losers of reconciliation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub title_variants: Vec<String>,
    /// True when the document gave no OS and this one was made to hold its content.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub placeholder: bool,
    /// Where it was read.
    pub provenance: Vec<Provenance>,
    /// Its operational objectives, in document order.
    pub operational_objectives: Vec<OperationalObjective>,
}

/// An objectif opérationnel (OO).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OperationalObjective {
    /// Stable id, e.g. `…/E/OS1/OO1.2`.
    pub id: String,
    /// `OO<os>.<n>`.
    pub code: String,
    /// Clean title.
    pub title: String,
    /// Other titles the documents give this entity (the losers of reconciliation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub title_variants: Vec<String>,
    /// True when the document gave no OO and this one was made to hold its actions.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub placeholder: bool,
    /// Where it was read.
    pub provenance: Vec<Provenance>,
    /// Its actions, in document order.
    pub actions: Vec<Action>,
}

/// An action (or projet).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// Stable id, e.g. `…/E/OS1/OO1.2/A3`.
    pub id: String,
    /// The document's own identifier, digits and dots only.
    pub code: String,
    /// Clean title.
    pub title: String,
    /// Other titles the documents give this entity (the losers of reconciliation).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub title_variants: Vec<String>,
    /// One entry per indicator.
    pub indicators: Vec<String>,
    /// Pilots: people (often initials) or services.
    pub pilots: Vec<String>,
    /// Service or department in charge.
    pub service: Option<String>,
    /// ISO 8601 prefix: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub start: Option<String>,
    /// ISO 8601 prefix: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub end: Option<String>,
    /// The text the dates came from.
    pub deadline_raw: Option<String>,
    /// Completion percentage 0..=100.
    pub progress: Option<u8>,
    /// Status, from the document's words or its stated thresholds.
    pub status: Option<Status>,
    /// The text the status came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_raw: Option<String>,
    /// Priority as the document writes it ("Très haute").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// Tasks of the action, each with its evaluation when the document gives one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tasks: Vec<Task>,
    /// Why the action exists (Contexte).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// The department or service a fiche's Département/Service field names (`service` is
    /// the fiche's heading, "FICHE ACTION - JURIDIQUE", when it has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Further description under the title (Libellé lines after the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Objectives of the policy declaration (D.P.S) the action serves.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub policy_objectives: Vec<String>,
    /// Risks, one per entry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub risks: Vec<String>,
    /// Project team (équipe projet, agents).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub team: Vec<String>,
    /// Elected officials in charge (mandataire).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mandataries: Vec<String>,
    /// Partners outside the CPAS.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partners: Vec<String>,
    /// Expected deliverables (livrables attendus).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deliverables: Vec<String>,
    /// Budget (ressources budgétaires).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Budget>,
    /// Human resources in full-time equivalents (ressources humaines, ETP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fte: Option<Fte>,
    /// Comments (commentaires).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comments: Option<String>,
    /// The themes of the shared taxonomy its title speaks of, with the words that
    /// matched (so that anyone can see why).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub themes: Vec<ThemeMatch>,
    /// Where it was read.
    pub provenance: Vec<Provenance>,
}

/// A theme an action was given, and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThemeMatch {
    /// The theme's id in the taxonomy, e.g. `logement`.
    pub theme: String,
    /// The keywords of the theme found in the title, as the taxonomy writes them.
    pub matched: Vec<String>,
}

/// A task of an action and its evaluation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// What is to be done.
    pub description: String,
    /// How it went, if evaluated.
    pub evaluation: Option<String>,
}

/// A budget: the amount in euros when the text states one, and the text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    /// The amount in euros, when the text gives exactly one.
    pub amount_eur: Option<f64>,
    /// The text as written.
    pub raw: String,
}

/// Human resources: full-time equivalents when the text gives a number, and the text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fte {
    /// Full-time equivalents.
    pub value: Option<f64>,
    /// The text as written.
    pub raw: String,
}
