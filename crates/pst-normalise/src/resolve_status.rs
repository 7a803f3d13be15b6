//! Status from the document's own words (Réalisé, En cours, Abandonné…).

use pst_model::{Diagnostic, Severity, Status};
use pst_parse::ParsedDocument;

pub(crate) fn run(document: &mut ParsedDocument, diagnostics: &mut Vec<Diagnostic>) {
    for os in &mut document.strategic_objectives {
        for oo in &mut os.operational_objectives {
            for action in &mut oo.actions {
                let Some(raw) = &action.status_raw else {
                    continue;
                };
                action.status = Status::from_word(raw);
                if action.status.is_none() {
                    let line = action.provenance.first().map(|p| p.line);
                    diagnostics.push(Diagnostic::new(
                        Severity::Warning,
                        &document.source.path,
                        line,
                        format!(
                            "status «{raw}» of action {} not recognised: status left empty",
                            action.code
                        ),
                    ));
                }
            }
        }
    }
}
