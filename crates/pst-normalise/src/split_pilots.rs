//! Pilots: one entry per person or service, split on `/`, `+`, `,` and `;`.

use pst_parse::ParsedDocument;

pub(crate) fn run(document: &mut ParsedDocument) {
    for action in crate::actions_mut(&mut document.strategic_objectives) {
        action.pilots = split(&action.pilots);
    }
}

fn split(pilots: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in pilots.iter().flat_map(|p| p.split(['/', '+', ',', ';'])) {
        let part = part.trim();
        if !part.is_empty() && !out.iter().any(|seen| seen == part) {
            out.push(part.to_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn splits_on_separators_and_keeps_names_whole() {
        let table: [(&[&str], &[&str]); 4] = [
            (&["LM/MR"], &["LM", "MR"]),
            (&["LM / MR + MAC, DB"], &["LM", "MR", "MAC", "DB"]),
            (&["chefs de service"], &["chefs de service"]),
            (&["LM", "LM/DB"], &["LM", "DB"]),
        ];
        for (input, want) in table {
            let input: Vec<String> = input.iter().map(|s| s.to_string()).collect();
            assert_eq!(split(&input), want);
        }
    }
}
