//! The canonical data model of a Programme Stratégique Transversal: contract `pst/1`.
//!
//! Every parser produces these types, every exporter reads them. Field names are the
//! public contract (`shared/model.md`, `schema/pst-1.schema.json`): new fields may be
//! added, existing ones are never renamed or removed.
//!
//! ```
//! use pst_model::{Pst, Status};
//! let pst = Pst::default();
//! assert_eq!(pst.schema, "pst/1");
//! assert_eq!(Status::from_word("Réalisé"), Some(Status::Done));
//! ```

mod diagnostic;
mod fold;
mod plan;
mod status;

pub use diagnostic::{Diagnostic, Severity};
pub use fold::{fold, folded_words, shorten};
pub use plan::{
    Action, Budget, Claim, ClaimSubject, Comparison, Coverage, EntityPath, Fte, Link,
    OperationalObjective, Period, Plan, Provenance, Pst, ResidueLine, SCHEMA, Source,
    StrategicObjective, Task, ThemeDefinition, ThemeMatch, Volet,
};
pub use status::Status;
