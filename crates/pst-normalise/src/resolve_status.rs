//! Status from the document's own words (Réalisé, En cours, Abandonné…), or, for an
//! action with only a percentage, from the buckets the document itself states
//! ("17 sont réalisés (entre 80 à 100%)"). Without either, no status. A status a reader
//! read from a code (eComptes `Statut`, a colour its legend defines) is kept.

use pst_model::{Diagnostic, Severity, Status};
use pst_parse::ParsedDocument;

pub(crate) fn run(document: &mut ParsedDocument, diagnostics: &mut Vec<Diagnostic>) {
    for action in crate::actions_mut(&mut document.strategic_objectives) {
        let Some(raw) = &action.status_raw else {
            // A status the reader gave without words is a code (eComptes `Statut`): kept.
            if action.status.is_none() {
                action.status = action
                    .progress
                    .and_then(|p| crate::check_claims::status_from_buckets(&document.claims, p));
            }
            continue;
        };
        // Words the vocabulary knows; else the status the reader gave from the
        // document's own legend (`orange` → in progress), kept.
        action.status = Status::from_word(raw).or(action.status);
        if action.status.is_none() {
            diagnostics.push(Diagnostic::new(
                Severity::Warning,
                &document.source.path,
                action.provenance.first().map(|p| p.line),
                format!(
                    "status «{raw}» of action {} not recognised: status left empty",
                    action.code
                ),
            ));
        }
    }
}
