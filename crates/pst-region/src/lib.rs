//! A synthetic region of CPAS plans for benchmarks, and a check that an ingest of it
//! gives the counts it expects. Not part of the `pst` binary.
//!
//! Four plans in five are the corpus plans varied (an OS dropped, one duplicated, the OS
//! reordered, an action dropped per OO, renumbered, the CPAS renamed), written anew as a
//! tab-separated catalogue, a nested-list text or an HTML page, in UTF-8 (with or without
//! BOM), UTF-16 or Windows-1252, LF or CRLF: their expected counts come from the varied
//! tree, not from `pst`. The others are the corpus documents with the CPAS renamed, and
//! the PDF fixtures: their expected counts are those of the originals.
//!
//! ```text
//! cargo run --release -p pst-region -- generate --plans 250 region/
//! cargo run --release -- ingest region/plans --out out/
//! cargo run --release -p pst-region -- check region/expected.json out/pst.json
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use pst_model::{Plan, Volet};
use pst_normalise::PlanInput;
use serde_json::{Value, json};

/// A small deterministic generator (xorshift64*), so that a seed gives the same region.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// An OS of a plan as the generator varies it.
#[derive(Debug, Clone)]
struct Os {
    volet: Option<Volet>,
    title: String,
    oos: Vec<(String, Vec<String>)>,
}

/// A corpus plan: its tree and its documents.
struct Source {
    tree: Vec<Os>,
    organisation: Option<String>,
    files: Vec<(PathBuf, Vec<u8>)>,
    counts: Counts,
}

/// OS, OO and actions of a plan.
type Counts = (usize, usize, usize);

fn counts(plan: &Plan) -> Counts {
    let oo = plan
        .strategic_objectives
        .iter()
        .map(|os| os.operational_objectives.len())
        .sum();
    (plan.strategic_objectives.len(), oo, plan.actions().count())
}

fn read_plan(name: &str, files: &[(PathBuf, Vec<u8>)]) -> Option<Plan> {
    let documents: Vec<_> = files
        .iter()
        .filter_map(|(path, bytes)| pst_parse::parse(&path.display().to_string(), bytes).ok())
        .collect();
    if documents.is_empty() {
        return None;
    }
    pst_normalise::build(vec![PlanInput::new(name, documents)], Vec::new())
        .plans
        .into_iter()
        .next()
}

fn load_corpus(corpus: &Path) -> anyhow::Result<Vec<Source>> {
    let mut folders: Vec<PathBuf> = std::fs::read_dir(corpus)
        .with_context(|| format!("cannot read {}", corpus.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    let mut sources = Vec::new();
    for folder in folders {
        let mut files = Vec::new();
        for entry in walkdir::WalkDir::new(&folder).sort_by_file_name() {
            let entry = entry?;
            if entry.file_type().is_file() {
                files.push((entry.path().to_path_buf(), std::fs::read(entry.path())?));
            }
        }
        let name = folder.display().to_string();
        let Some(plan) = read_plan(&name, &files) else {
            continue;
        };
        let tree = plan
            .strategic_objectives
            .iter()
            .map(|os| Os {
                volet: os.volet,
                title: os.title.clone(),
                oos: os
                    .operational_objectives
                    .iter()
                    .map(|oo| {
                        let actions = oo.actions.iter().map(|a| a.title.clone()).collect();
                        (oo.title.clone(), actions)
                    })
                    .collect(),
            })
            .collect();
        sources.push(Source {
            counts: counts(&plan),
            tree,
            organisation: plan.organisation.clone(),
            files,
        });
    }
    if sources.is_empty() {
        bail!("no plan read in {}", corpus.display());
    }
    Ok(sources)
}

/// Names for the synthetic CPAS.
const NAMES: &[&str] = &[
    "Andenne",
    "Arlon",
    "Aubange",
    "Bastogne",
    "Beauraing",
    "Braine-le-Comte",
    "Ciney",
    "Comines",
    "Couvin",
    "Dinant",
    "Durbuy",
    "Enghien",
    "Eupen",
    "Fleurus",
    "Florenville",
    "Gembloux",
    "Hannut",
    "Huy",
    "Jodoigne",
    "Marche-en-Famenne",
    "Mouscron",
    "Nivelles",
    "Ottignies",
    "Péruwelz",
    "Rochefort",
    "Soignies",
    "Spa",
    "Thuin",
    "Tubize",
    "Waremme",
];

/// Writes `plans` plans into `out/plans` (one folder each) and `out/expected.json`,
/// varying the plans of `corpus` and copying the PDF plans of `pdfs`.
pub fn generate(
    corpus: &Path,
    pdfs: &Path,
    plans: usize,
    seed: u64,
    out: &Path,
) -> anyhow::Result<()> {
    let sources = load_corpus(corpus)?;
    let mut pdf_plans: Vec<(PathBuf, Vec<u8>, Counts)> = Vec::new();
    let mut pdf_paths: Vec<PathBuf> = std::fs::read_dir(pdfs)
        .with_context(|| format!("cannot read {}", pdfs.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    pdf_paths.sort();
    for path in pdf_paths {
        let bytes = std::fs::read(&path)?;
        if let Some(plan) = read_plan("pdf", &[(path.clone(), bytes.clone())]) {
            pdf_plans.push((path, bytes, counts(&plan)));
        }
    }
    std::fs::create_dir_all(out)?;
    let mut rng = Rng(seed.max(1).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut expected = Vec::new();
    let mut bytes_written = 0usize;
    for index in 0..plans {
        let folder = format!("plan-{:03}", index + 1);
        let dir = out.join("plans").join(&folder);
        std::fs::create_dir_all(&dir)?;
        let name = format!("{} {}", NAMES[index % NAMES.len()], index / NAMES.len() + 1);
        let organisation = format!("CPAS de {name}");
        let (kind, counts) = match index % 25 {
            24 if !pdf_plans.is_empty() => {
                let (path, bytes, counts) = &pdf_plans[(index / 25) % pdf_plans.len()];
                let file = path.file_name().map(PathBuf::from).unwrap_or_default();
                std::fs::write(dir.join(file), bytes)?;
                bytes_written += bytes.len();
                ("pdf", *counts)
            }
            20..=24 => {
                let source = &sources[index % sources.len()];
                bytes_written += copy_renamed(source, &dir, &name)?;
                ("corpus copy", source.counts)
            }
            _ => {
                let source = &sources[index % sources.len()];
                let tree = vary(&source.tree, &mut rng);
                let format = ["tsv", "txt", "html"][(index / 3) % 3];
                let text = render(&tree, format, &organisation);
                let bytes = encode(&text, format, &mut rng);
                bytes_written += bytes.len();
                std::fs::write(dir.join(format!("pst.{format}")), bytes)?;
                let os = tree.len();
                let oo = tree.iter().map(|o| o.oos.len()).sum();
                let actions = tree.iter().flat_map(|o| &o.oos).map(|(_, a)| a.len()).sum();
                ("synthetic", (os, oo, actions))
            }
        };
        expected.push(json!({
            "folder": folder, "kind": kind,
            "os": counts.0, "oo": counts.1, "actions": counts.2,
        }));
    }
    let summary = json!({"plans": expected, "bytes": bytes_written, "seed": seed});
    std::fs::write(
        out.join("expected.json"),
        serde_json::to_string_pretty(&summary)?,
    )?;
    eprintln!(
        "pst-region: {plans} plan(s), {:.1} MB of documents in {}",
        bytes_written as f64 / 1e6,
        out.display()
    );
    Ok(())
}

/// The corpus plan's documents with its CPAS renamed (text files; other files as they
/// are). Returns the bytes written.
fn copy_renamed(source: &Source, dir: &Path, name: &str) -> anyhow::Result<usize> {
    let old = source
        .organisation
        .as_deref()
        .and_then(|o| o.rsplit(' ').next())
        .unwrap_or_default()
        .to_owned();
    let mut written = 0;
    for (path, bytes) in &source.files {
        let file = path.file_name().map(PathBuf::from).unwrap_or_default();
        let renamed = match std::str::from_utf8(bytes) {
            Ok(text) if !old.is_empty() => text
                .replace(&old, name)
                .replace(&old.to_uppercase(), &name.to_uppercase())
                .into_bytes(),
            _ => bytes.clone(),
        };
        written += renamed.len();
        std::fs::write(dir.join(file), renamed)?;
    }
    Ok(written)
}

/// Drops an OS, duplicates one, reorders, drops an action per OO, each at random.
fn vary(tree: &[Os], rng: &mut Rng) -> Vec<Os> {
    let mut tree = tree.to_vec();
    if tree.len() > 1 && rng.chance(30) {
        let index = rng.below(tree.len());
        tree.remove(index);
    }
    if rng.chance(30) {
        let copy = tree[rng.below(tree.len())].clone();
        tree.push(copy);
    }
    if rng.chance(50) {
        tree.reverse();
    }
    if rng.chance(30) {
        for os in &mut tree {
            for (_, actions) in &mut os.oos {
                if actions.len() > 1 {
                    let index = rng.below(actions.len());
                    actions.remove(index);
                }
            }
        }
    }
    // Externe, interne, then without volet: each volet's OS numbered from 1.
    tree.sort_by_key(|os| match os.volet {
        Some(Volet::Externe) => 0,
        Some(Volet::Interne) => 1,
        None => 2,
    });
    tree
}

fn volet_heading(volet: Option<Volet>) -> Option<&'static str> {
    match volet {
        Some(Volet::Externe) => Some("VOLET EXTERNE"),
        Some(Volet::Interne) => Some("VOLET INTERNE"),
        None => None,
    }
}

/// The tree written as a catalogue (`tsv`), a nested-list text (`txt`) or HTML (`html`).
fn render(tree: &[Os], format: &str, organisation: &str) -> String {
    let mut out = String::new();
    let title = format!("Programme stratégique transversal du {organisation} 2019-2024");
    match format {
        "html" => {
            out.push_str("<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>PST</title></head><body>\n");
            out.push_str(&format!("<h1>{}</h1>\n", escape(&title)));
        }
        _ => out.push_str(&format!("{title}\n\n")),
    }
    let mut volet = None;
    let mut number = 0;
    for os in tree {
        if os.volet != volet || number == 0 {
            volet = os.volet;
            number = 0;
            if let Some(heading) = volet_heading(os.volet) {
                match format {
                    "html" => out.push_str(&format!("<h2>{heading}</h2>\n")),
                    _ => out.push_str(&format!("{heading}\n\n")),
                }
            }
        }
        number += 1;
        match format {
            "tsv" => {
                out.push_str(&format!("O.S. {number} - {}\n", os.title));
                for (index, (oo, actions)) in os.oos.iter().enumerate() {
                    out.push_str(&format!("O.O. {number}.{}.\t{oo}\n", index + 1));
                    for (a, action) in actions.iter().enumerate() {
                        out.push_str(&format!("action {}\t{action}\n", a + 1));
                    }
                }
            }
            "txt" => {
                out.push_str(&format!("Objectif stratégique {number} : {}\n\n", os.title));
                for (index, (oo, actions)) in os.oos.iter().enumerate() {
                    out.push_str(&format!("{}. {oo}\n", index + 1));
                    for action in actions {
                        out.push_str(&format!("    • {action}\n"));
                    }
                }
                out.push('\n');
            }
            _ => {
                out.push_str(&format!(
                    "<h3>Objectif stratégique {number} : {}</h3>\n<ol>\n",
                    escape(&os.title)
                ));
                for (oo, actions) in &os.oos {
                    out.push_str(&format!("<li>{}<ul>\n", escape(oo)));
                    for action in actions {
                        out.push_str(&format!("<li>{}</li>\n", escape(action)));
                    }
                    out.push_str("</ul></li>\n");
                }
                out.push_str("</ol>\n");
            }
        }
    }
    if format == "html" {
        out.push_str("</body></html>\n");
    }
    out
}

fn escape(text: &str) -> std::borrow::Cow<'_, str> {
    html_escape::encode_text(text)
}

/// `text` in an encoding (UTF-8 with or without BOM, UTF-16 LE or BE, Windows-1252 when
/// it can hold the text) and a line ending (LF, CRLF) drawn at random.
fn encode(text: &str, format: &str, rng: &mut Rng) -> Vec<u8> {
    let text = if rng.chance(30) {
        text.replace('\n', "\r\n")
    } else {
        text.to_owned()
    };
    match rng.below(5) {
        0 => {
            let mut bytes = "\u{feff}".as_bytes().to_vec();
            bytes.extend_from_slice(text.as_bytes());
            bytes
        }
        1 => {
            let mut bytes = vec![0xff, 0xfe];
            bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            bytes
        }
        2 => {
            let mut bytes = vec![0xfe, 0xff];
            bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
            bytes
        }
        3 => {
            let labelled = if format == "html" {
                text.replace("charset=\"utf-8\"", "charset=\"windows-1252\"")
            } else {
                text.clone()
            };
            let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&labelled);
            if unmappable {
                text.into_bytes()
            } else {
                bytes.into_owned()
            }
        }
        _ => text.into_bytes(),
    }
}

/// Compares `expected` (written by [`generate`]) with a `pst.json` of `pst ingest`;
/// fails naming every plan off its counts.
pub fn check(expected: &Path, pst: &Path) -> anyhow::Result<()> {
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(expected)
            .with_context(|| format!("cannot read {}", expected.display()))?,
    )?;
    let pst: Value = serde_json::from_str(
        &std::fs::read_to_string(pst).with_context(|| format!("cannot read {}", pst.display()))?,
    )?;
    let empty = Vec::new();
    let plans = pst["plans"].as_array().unwrap_or(&empty);
    let mut wrong = 0;
    let wanted = expected["plans"].as_array().unwrap_or(&empty);
    for want in wanted {
        let folder = format!("/{}/", want["folder"].as_str().unwrap_or_default());
        let found = plans.iter().find(|plan| {
            plan["sources"].as_array().is_some_and(|s| {
                s.iter()
                    .any(|s| s["path"].as_str().is_some_and(|p| p.contains(&folder)))
            })
        });
        let got = found.map(|plan| {
            let os = plan["strategic_objectives"].as_array().unwrap_or(&empty);
            let oos: Vec<&Value> = os
                .iter()
                .flat_map(|o| o["operational_objectives"].as_array().unwrap_or(&empty))
                .collect();
            let actions: usize = oos
                .iter()
                .map(|oo| oo["actions"].as_array().map_or(0, Vec::len))
                .sum();
            (os.len() as u64, oos.len() as u64, actions as u64)
        });
        let want_counts = (
            want["os"].as_u64().unwrap_or(0),
            want["oo"].as_u64().unwrap_or(0),
            want["actions"].as_u64().unwrap_or(0),
        );
        if got != Some(want_counts) {
            wrong += 1;
            eprintln!(
                "{} ({}): expected {want_counts:?}, got {got:?}",
                want["folder"].as_str().unwrap_or_default(),
                want["kind"].as_str().unwrap_or_default()
            );
        }
    }
    eprintln!(
        "pst-region: {} of {} plans with the expected counts",
        wanted.len() - wrong,
        wanted.len()
    );
    if wrong > 0 {
        bail!("{wrong} plan(s) off their expected counts");
    }
    Ok(())
}
