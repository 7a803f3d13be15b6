//! Link tables: the CPAS's PST beside the communal PST ("Synergie PST CPAS et PST
//! communal"). A header row names both plans; then each row gives a CPAS OS, OO or action
//! (label and title) and, in later cells, the communal code (`1.9.2.1`) and title it
//! meets. A row with only a communal code adds a link from the CPAS entity at the code's
//! level (communal codes are volet.OS, volet.OS.OO, volet.OS.OO.action); a row with only
//! text continues the CPAS title above it.
//!
//! OS and OO rows without a communal code are context for the rows below them; an action
//! row without one is still a link (the table says the action is in synergy) with no code.

use std::sync::LazyLock;

use pst_model::{EntityPath, Link, Provenance, Severity, Volet};
use regex::Regex;

use crate::numbering::{Label, parse_label};
use crate::rows::Row;
use crate::tree::{TreeBuilder, truncate};

static OTHER_PLAN_CODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\d{1,2}(?:\.\d{1,3}){1,4}\.?$").expect("valid regex"));

/// Levels of the CPAS tree, as indices.
const OS: usize = 0;
const OO: usize = 1;
const ACTION: usize = 2;

/// The state of one link table being read.
#[derive(Debug, Default)]
pub(crate) struct LinkTable {
    volet: Option<Volet>,
    /// The latest CPAS entity of each level, with its title as the table writes it.
    entities: [Option<(EntityPath, String)>; 3],
    /// Links made by the latest CPAS row (a continuation line extends their title).
    row_links: std::ops::Range<usize>,
}

impl LinkTable {
    /// A header row: one cell names the CPAS's plan, another the commune's.
    pub(crate) fn is_header(row: &Row) -> bool {
        if row.cells.len() < 2 || row.cells.len() > 4 {
            return false;
        }
        let folded: Vec<String> = row
            .cells
            .iter()
            .map(|(_, cell)| pst_model::fold(cell))
            .collect();
        let plan_word = |cell: &String| cell.contains("pst") || cell.contains("programme");
        let cpas = folded
            .iter()
            .position(|c| plan_word(c) && c.contains("cpas"));
        let commune = folded
            .iter()
            .position(|c| plan_word(c) && (c.contains("commun") || c.contains("ville")));
        matches!((cpas, commune), (Some(a), Some(b)) if a != b)
    }

    /// Reads a row of the table; false when the row ends the table (an untabbed line).
    pub(crate) fn read(
        &mut self,
        row: &Row,
        line: u32,
        tree: &mut TreeBuilder<'_>,
        links: &mut Vec<Link>,
    ) -> bool {
        let Some((first_index, first)) = row.cells.first() else {
            return true;
        };
        let label = (*first_index == 0).then(|| parse_label(first)).flatten();
        if !row.tabbed && !matches!(label.as_ref().map(|l| &l.label), Some(Label::Volet(_))) {
            return false;
        }
        let provenance = vec![Provenance {
            source: tree.source().to_owned(),
            line,
            page: None,
            sheet: None,
        }];
        if let Some(labelled) = label {
            let mut rest = &row.cells[1..];
            let title = if labelled.rest.is_empty() {
                match rest.first() {
                    Some((_, cell)) if !OTHER_PLAN_CODE.is_match(cell) => {
                        rest = &rest[1..];
                        cell.clone()
                    }
                    _ => String::new(),
                }
            } else {
                labelled.rest.to_owned()
            };
            let level = match labelled.label {
                Label::Volet(volet) => {
                    *self = LinkTable {
                        volet: Some(volet),
                        ..LinkTable::default()
                    };
                    return true;
                }
                Label::Strategic(number) => {
                    self.enter(OS, self.path(format!("OS{number}"), None, None), title);
                    OS
                }
                Label::Operational(os, own) => {
                    let os = os.or_else(|| self.os_number()).unwrap_or_default();
                    let path = self.path(format!("OS{os}"), Some(format!("OO{os}.{own}")), None);
                    self.enter(OO, path, title);
                    OO
                }
                Label::Action(code) => {
                    let Some((oo_path, _)) = &self.entities[OO] else {
                        tree.diagnose(
                            Severity::Warning,
                            line,
                            format!("link table: action {code} comes before any operational objective: no link"),
                        );
                        return true;
                    };
                    let path = EntityPath {
                        action: Some(code),
                        ..oo_path.clone()
                    };
                    self.enter(ACTION, path, title);
                    ACTION
                }
            };
            let start = links.len();
            let target = other_plan_target(rest);
            if target.is_some() || level == ACTION {
                let (to_code, to_title) = target.unzip();
                self.push(level, to_code, to_title.flatten(), provenance, links);
            }
            self.row_links = start..links.len();
            return true;
        }
        if let Some((code, title)) = other_plan_target(&row.cells) {
            let depth = code.split('.').count();
            let level = depth.saturating_sub(2).min(ACTION);
            let Some(level) = (0..=level).rev().find(|&l| self.entities[l].is_some()) else {
                tree.diagnose(
                    Severity::Info,
                    line,
                    format!(
                        "link table: communal code {code} «{}» is listed with no CPAS objective beside it: no link",
                        truncate(title.as_deref().unwrap_or_default(), 60)
                    ),
                );
                return true;
            };
            self.push(level, Some(code), title, provenance, links);
            self.row_links = links.len() - 1..links.len();
            return true;
        }
        // Text only: the CPAS title of the row above goes on.
        let text: Vec<&str> = row.cells.iter().map(|(_, cell)| cell.as_str()).collect();
        let text = text.join(" ");
        if self.row_links.is_empty() {
            tree.diagnose(
                Severity::Info,
                line,
                format!(
                    "link table: row «{}» names no CPAS entity and no communal code: not read",
                    truncate(&text, 60)
                ),
            );
        }
        for link in &mut links[self.row_links.clone()] {
            link.from_title.push(' ');
            link.from_title.push_str(&text);
            link.provenance.push(Provenance {
                source: tree.source().to_owned(),
                line,
                page: None,
                sheet: None,
            });
        }
        true
    }

    fn path(&self, os: String, oo: Option<String>, action: Option<String>) -> EntityPath {
        EntityPath {
            volet: self.volet,
            os,
            oo,
            action,
        }
    }

    fn os_number(&self) -> Option<u32> {
        let (path, _) = self.entities[OS].as_ref()?;
        path.os.trim_start_matches("OS").parse().ok()
    }

    /// A CPAS row of `level`: it replaces that level's entity and clears those below.
    fn enter(&mut self, level: usize, path: EntityPath, title: String) {
        self.entities[level] = Some((path, title));
        for below in &mut self.entities[level + 1..] {
            *below = None;
        }
    }

    fn push(
        &self,
        level: usize,
        to_code: Option<String>,
        to_title: Option<String>,
        provenance: Vec<Provenance>,
        links: &mut Vec<Link>,
    ) {
        let Some((path, title)) = &self.entities[level] else {
            return;
        };
        links.push(Link {
            from: None,
            from_path: path.clone(),
            from_title: title.clone(),
            to_code: to_code.map(|code| code.trim_end_matches('.').to_owned()),
            to_title,
            provenance,
        });
    }
}

/// The first cell holding another plan's code, and the cell after it as its title.
fn other_plan_target(cells: &[(usize, String)]) -> Option<(String, Option<String>)> {
    let position = cells
        .iter()
        .position(|(_, cell)| OTHER_PLAN_CODE.is_match(cell))?;
    let title = cells.get(position + 1).map(|(_, cell)| cell.clone());
    Some((cells[position].1.clone(), title))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::split_row;

    fn read(lines: &[&str]) -> (Vec<Link>, Vec<pst_model::Diagnostic>) {
        let mut tree = TreeBuilder::new("t");
        let mut table = LinkTable::default();
        let mut links = Vec::new();
        for (index, line) in lines.iter().enumerate() {
            let row = split_row(line);
            if LinkTable::is_header(&row) {
                continue;
            }
            assert!(
                table.read(&row, index as u32 + 1, &mut tree, &mut links),
                "{line}"
            );
        }
        (links, tree.finish().diagnostics)
    }

    #[test]
    fn headers_name_both_plans() {
        assert!(LinkTable::is_header(&split_row(
            "PST CPAS\t\tPST COMMUNAL\t"
        )));
        assert!(LinkTable::is_header(&split_row(
            "Programme du CPAS\tPST de la Ville"
        )));
        assert!(!LinkTable::is_header(&split_row("PST CPAS")));
        assert!(!LinkTable::is_header(&split_row("Intitulé\tPilote")));
    }

    #[test]
    fn rows_link_cpas_entities_to_communal_codes() {
        let (links, diagnostics) = read(&[
            "volet externe\t\t\t",
            "OS 3\tLoger\t1.9\tCommune qui loge",
            "OO 3.3\tMarchands\t1.9.2\tLutter",
            "action 1\tSigner\t1.9.2.1\tÉtudier",
            "\t\t1.9.2.2\tIdentifier",
            "\t\t1.9.3\tAutre OO",
            "action 2\tSans code",
            "\tsuite du titre\t\t",
            "volet interne\t\t\t",
            "\t\t2.3\tSeul",
        ]);
        let got: Vec<(String, Option<&str>, &str)> = links
            .iter()
            .map(|l| {
                let p = &l.from_path;
                let path = format!(
                    "{}/{}/{}/{}",
                    p.volet.map_or("-", Volet::as_str),
                    p.os,
                    p.oo.as_deref().unwrap_or("-"),
                    p.action.as_deref().unwrap_or("-")
                );
                (path, l.to_code.as_deref(), l.from_title.as_str())
            })
            .collect();
        assert_eq!(
            got,
            vec![
                ("externe/OS3/-/-".to_owned(), Some("1.9"), "Loger"),
                ("externe/OS3/OO3.3/-".to_owned(), Some("1.9.2"), "Marchands"),
                ("externe/OS3/OO3.3/1".to_owned(), Some("1.9.2.1"), "Signer"),
                ("externe/OS3/OO3.3/1".to_owned(), Some("1.9.2.2"), "Signer"),
                ("externe/OS3/OO3.3/-".to_owned(), Some("1.9.3"), "Marchands"),
                (
                    "externe/OS3/OO3.3/2".to_owned(),
                    None,
                    "Sans code suite du titre"
                ),
            ]
        );
        assert_eq!(links[1].to_title.as_deref(), Some("Lutter"));
        assert_eq!(diagnostics.len(), 1);
        assert!(diagnostics[0].message.contains("communal code 2.3"));
    }

    #[test]
    fn an_untabbed_line_ends_the_table() {
        let mut tree = TreeBuilder::new("t");
        let mut table = LinkTable::default();
        let mut links = Vec::new();
        assert!(!table.read(&split_row("CONCLUSION"), 1, &mut tree, &mut links));
        assert!(table.read(&split_row("Volet interne"), 2, &mut tree, &mut links));
    }
}
