//! The recogniser over a large space of layouts: a random plan (OS, OO, actions with a
//! pilot and a deadline) is written in one of many layouts — labelled lines with field
//! lines, Roman/letter/`1)` lists with inline fields, Markdown headings and pipe tables
//! with bare codes, a semicolon CSV, HTML headings with field sub-bullets, an HTML table
//! with row spans, a space-aligned text table, a table with a level column, an
//! evaluation with bracketed statuses, an HTML table with its code column last — and
//! must be read back exactly: every
//! code, title, pilot and deadline.

use proptest::prelude::*;

/// One action: title, pilot, deadline year.
type Action = (String, String, u32);
/// One OO: title and actions.
type Operational = (String, Vec<Action>);
/// One OS: title and OOs.
type Strategic = (String, Vec<Operational>);

const VERBS: &[&str] = &[
    "Renforcer",
    "Développer",
    "Créer",
    "Soutenir",
    "Organiser",
    "Améliorer",
    "Former",
    "Mettre en place",
    "Réduire",
    "Ouvrir",
];
const WORDS: &[&str] = &[
    "le",
    "service",
    "social",
    "des",
    "familles",
    "logement",
    "accueil",
    "public",
    "aînés",
    "énergie",
    "insertion",
    "épicerie",
    "numérique",
    "quartier",
    "jeunes",
    "budget",
    "personnel",
    "partenariat",
    "santé",
    "mobilité",
];

fn title() -> impl Strategy<Value = String> {
    (
        prop::sample::select(VERBS),
        prop::collection::vec(prop::sample::select(WORDS), 2..7),
    )
        .prop_map(|(verb, words)| format!("{verb} {}", words.join(" ")))
}

fn pilot() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "DG",
        "LM",
        "Service social",
        "Cellule énergie",
        "Directrice MR",
        "RH",
    ])
    .prop_map(str::to_owned)
}

fn plan() -> impl Strategy<Value = Vec<Strategic>> {
    let action = (title(), pilot(), 2025u32..2031);
    let operational = (title(), prop::collection::vec(action, 1..4));
    let strategic = (title(), prop::collection::vec(operational, 1..4));
    prop::collection::vec(strategic, 1..4)
}

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];
const LETTERS: [&str; 4] = ["A", "B", "C", "D"];

/// The plan written in layout `layout`, and the file name that says its container.
fn render(plan: &[Strategic], layout: usize) -> (String, &'static str) {
    let mut out = String::from("CPAS de Ciney – Programme stratégique transversal 2025-2030\n\n");
    let each = |f: &mut dyn FnMut(usize, &Strategic)| {
        for (i, os) in plan.iter().enumerate() {
            f(i + 1, os);
        }
    };
    match layout {
        0 => {
            each(&mut |i, (t, oos)| {
                out += &format!("Objectif stratégique {i} : {t}\n");
                for (j, (t, actions)) in oos.iter().enumerate() {
                    out += &format!("Objectif opérationnel {i}.{} : {t}\n", j + 1);
                    for (k, (t, p, y)) in actions.iter().enumerate() {
                        out += &format!(
                            "Action {i}.{}.{} : {t}\n   Pilote : {p}\n   Échéance : {y}\n",
                            j + 1,
                            k + 1
                        );
                    }
                }
                out += "\n";
            });
            (out, "plan.txt")
        }
        1 => {
            each(&mut |i, (t, oos)| {
                out += &format!("{}. {t}\n", ROMAN[i - 1]);
                for (j, (t, actions)) in oos.iter().enumerate() {
                    out += &format!("   {}. {t}\n", LETTERS[j]);
                    for (k, (t, p, y)) in actions.iter().enumerate() {
                        out += &format!("      {}) {t} (pilote : {p}, échéance : {y})\n", k + 1);
                    }
                }
            });
            (out, "plan.txt")
        }
        2 => {
            each(&mut |i, (t, oos)| {
                out += &format!(
                    "### OS {i} – {t}\n\n| Code | Intitulé | Pilote | Échéance |\n|---|---|---|---|\n"
                );
                for (j, (t, actions)) in oos.iter().enumerate() {
                    out += &format!("| **OO {i}.{}** | **{t}** | | |\n", j + 1);
                    for (k, (t, p, y)) in actions.iter().enumerate() {
                        out += &format!("| {i}.{}.{} | {t} | {p} | {y} |\n", j + 1, k + 1);
                    }
                }
                out += "\n";
            });
            (out, "plan.md")
        }
        3 => {
            let mut csv = String::from(
                "Code OS;Objectif stratégique;Code OO;Objectif opérationnel;N° action;Action;Pilote;Échéance\n",
            );
            each(&mut |i, (os, oos)| {
                for (j, (oo, actions)) in oos.iter().enumerate() {
                    for (k, (t, p, y)) in actions.iter().enumerate() {
                        csv += &format!(
                            "OS{i};{os};OO{i}.{};{oo};{i}.{}.{};{t};{p};{y}\n",
                            j + 1,
                            j + 1,
                            k + 1
                        );
                    }
                }
            });
            (csv, "plan.csv")
        }
        4 => {
            out = "<html><body><h1>CPAS de Ciney – Programme stratégique transversal 2025-2030</h1>\n".into();
            each(&mut |i, (t, oos)| {
                out += &format!("<h2>OS.{i} – {t}</h2>\n");
                for (j, (t, actions)) in oos.iter().enumerate() {
                    out += &format!("<h3>OO.{i}.{} – {t}</h3>\n<ul>\n", j + 1);
                    for (t, p, y) in actions {
                        out += &format!(
                            "<li>{t}<ul><li>Pilote : {p}</li><li>Échéance : {y}</li></ul></li>\n"
                        );
                    }
                    out += "</ul>\n";
                }
            });
            out += "</body></html>\n";
            (out, "plan.html")
        }
        5 => {
            out = "<html><body><p>CPAS de Ciney – Programme stratégique transversal 2025-2030</p>\n<table>\n<tr><th>Objectif stratégique</th><th>Objectif opérationnel</th><th>Action</th><th>Pilote</th><th>Échéance</th></tr>\n".into();
            each(&mut |i, (os, oos)| {
                let os_rows: usize = oos.iter().map(|(_, a)| a.len()).sum();
                let mut first_os = true;
                for (j, (oo, actions)) in oos.iter().enumerate() {
                    let mut first_oo = true;
                    for (t, p, y) in actions {
                        out += "<tr>";
                        if first_os {
                            out += &format!("<td rowspan=\"{os_rows}\">OS {i} – {os}</td>");
                            first_os = false;
                        }
                        if first_oo {
                            out += &format!(
                                "<td rowspan=\"{}\">OO {i}.{} – {oo}</td>",
                                actions.len(),
                                j + 1
                            );
                            first_oo = false;
                        }
                        out += &format!("<td>{t}</td><td>{p}</td><td>{y}</td></tr>\n");
                    }
                }
            });
            out += "</table></body></html>\n";
            (out, "plan.html")
        }
        6 => {
            // Columns as wide as the longest title, plus a gap.
            let width = plan
                .iter()
                .flat_map(|(t, oos)| {
                    std::iter::once(t).chain(oos.iter().flat_map(|(t, actions)| {
                        std::iter::once(t).chain(actions.iter().map(|(t, ..)| t))
                    }))
                })
                .map(|t| t.chars().count())
                .max()
                .unwrap_or(0)
                + 3;
            out += &format!(
                "{:<10}{:<width$}{:<19}Échéance\n",
                "Code", "Intitulé", "Pilote"
            );
            each(&mut |i, (t, oos)| {
                out += &format!("OS {i:<6}{t:<width$}\n");
                for (j, (t, actions)) in oos.iter().enumerate() {
                    out += &format!("OO {i}.{:<4}{t:<width$}\n", j + 1);
                    for (k, (t, p, y)) in actions.iter().enumerate() {
                        let code = format!("{i}.{}.{}", j + 1, k + 1);
                        out += &format!("{code:<10}{t:<width$}{p:<19}{y}\n");
                    }
                }
            });
            (out, "plan.txt")
        }
        7 => {
            // A tab-separated follow-up table with a level column.
            out += "Niveau\tCode\tIntitulé\tResponsable\tDélai\n";
            each(&mut |i, (t, oos)| {
                out += &format!("OS\tOS.{i:02}\t{t}\t\t\n");
                for (j, (t, actions)) in oos.iter().enumerate() {
                    out += &format!("OO\tOO.{i:02}.{:02}\t{t}\t\t\n", j + 1);
                    for (k, (t, p, y)) in actions.iter().enumerate() {
                        out += &format!("Action\t{i}.{}.{}\t{t}\t{p}\t{y}\n", j + 1, k + 1);
                    }
                }
            });
            (out, "plan.txt")
        }
        8 => {
            // An evaluation: symbols between label and title, bulleted OOs, actions
            // known only by their bracketed status and inline fields.
            each(&mut |i, (t, oos)| {
                out += &format!("━━━━━━━━━━━━━━━━━━━━\nOS {i} ━ {t}\n━━━━━━━━━━━━━━━━━━━━\n\n");
                for (j, (t, actions)) in oos.iter().enumerate() {
                    out += &format!("  ▸ OO {i}.{}  {t}\n\n", j + 1);
                    for (t, p, y) in actions {
                        out += &format!(
                            "      [En cours | 50 %]  {t} — Porteur : {p} — Échéance : {y}\n"
                        );
                    }
                    out += "\n";
                }
            });
            (out, "plan.txt")
        }
        _ => {
            // One HTML table, columns in another order, the code last, OS and OO rows
            // spanning the table.
            out = "<h1>CPAS de Ciney</h1><h2>Programme stratégique transversal 2025-2030</h2>\n<table>\n<tr><th>Délai</th><th>Action</th><th>Porteur</th><th>Réf.</th></tr>\n".to_owned();
            each(&mut |i, (t, oos)| {
                out += &format!("<tr><td colspan=\"4\">Axe stratégique {i} : {t}</td></tr>\n");
                for (j, (t, actions)) in oos.iter().enumerate() {
                    out += &format!(
                        "<tr><td colspan=\"4\"><i>Objectif opérationnel {i}.{} : {t}</i></td></tr>\n",
                        j + 1
                    );
                    for (k, (t, p, y)) in actions.iter().enumerate() {
                        out += &format!(
                            "<tr><td>{y}</td><td>{t}</td><td>{p}</td><td>{i}.{}.{}</td></tr>\n",
                            j + 1,
                            k + 1
                        );
                    }
                }
            });
            out += "</table>\n";
            (out, "plan.html")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_layout_gives_back_the_plan(plan in plan(), layout in 0usize..10) {
        let (text, name) = render(&plan, layout);
        let document = pst_parse::parse(name, text.as_bytes())
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        // A CSV holds only its table.
        let organisation = (layout != 3).then_some("CPAS de Ciney");
        prop_assert_eq!(document.organisation.as_deref(), organisation, "{}", text);
        let got = &document.strategic_objectives;
        prop_assert_eq!(got.len(), plan.len(), "{}", text);
        for (i, ((os_title, oos), os)) in plan.iter().zip(got).enumerate() {
            prop_assert_eq!(&os.code, &format!("OS{}", i + 1), "{}", text);
            prop_assert_eq!(&os.title, os_title, "{}", text);
            prop_assert_eq!(os.operational_objectives.len(), oos.len(), "{}", text);
            for (j, ((oo_title, actions), oo)) in oos.iter().zip(&os.operational_objectives).enumerate() {
                prop_assert_eq!(&oo.code, &format!("OO{}.{}", i + 1, j + 1), "{}", text);
                prop_assert_eq!(&oo.title, oo_title, "{}", text);
                prop_assert_eq!(oo.actions.len(), actions.len(), "{}", text);
                for ((title, pilot, year), action) in actions.iter().zip(&oo.actions) {
                    prop_assert_eq!(&action.title, title, "{}", text);
                    prop_assert_eq!(&action.pilots, &vec![pilot.clone()], "{}", text);
                    let year = year.to_string();
                    prop_assert_eq!(action.deadline_raw.as_deref(), Some(year.as_str()), "{}", text);
                }
            }
        }
    }
}

/// A table row wrapped onto the next line (first column empty): its cells go on.
#[test]
fn a_wrapped_table_row_continues_its_cells() {
    let text = "Code\tIntitulé\tPilote\tÉchéance\nOS 1\tAider\nOO 1.1\tLoger\n\
                1.1.1\tOuvrir une épicerie\tService\t2026\n\tsociale de quartier\tsocial\t\n\
                1.1.2\tSigner\tDG\t2027\n";
    let document = pst_parse::parse("wrapped.txt", text.as_bytes()).expect("a plan");
    let actions: Vec<_> = document.actions().collect();
    assert_eq!(actions.len(), 2);
    assert_eq!(actions[0].title, "Ouvrir une épicerie sociale de quartier");
    assert_eq!(actions[0].pilots, ["Service social"]);
    assert_eq!(actions[1].pilots, ["DG"]);
}
