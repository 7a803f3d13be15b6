//! A self-contained HTML report comparing plans: summary cards, actions per theme (a heat
//! map), statuses, a progress histogram, data quality and the documents' own figures that
//! the extraction contradicts. Inline SVG and CSS, no script, no network; French labels;
//! prints on A4 landscape.
//!
//! The page is built with maud: every value goes in through the template, which escapes
//! it for where it lands (text or a quoted attribute); no value is ever pasted into markup,
//! and the page has no script, no URL and no event handler for a value to reach.

use std::io::Write;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use pst_model::{Pst, Severity, Status, shorten};

use crate::ExportError;
use crate::compare::{PlanFigures, STATUSES, figures};

/// Colours of the statuses (then "sans statut"), colour-blind safe (Okabe–Ito).
const STATUS_COLOURS: [&str; 7] = [
    "#009E73", "#56B4E9", "#E69F00", "#F0E442", "#D55E00", "#CC79A7", "#BBBBBB",
];

fn status_label(status: Status) -> &'static str {
    match status {
        Status::Done => "Réalisé",
        Status::InProgress => "En cours",
        Status::ToReorient => "À réorienter",
        Status::OnHold => "En attente",
        Status::Abandoned => "Abandonné",
        Status::NotStarted => "Non commencé",
    }
}

fn name(figures: &PlanFigures<'_>) -> String {
    figures
        .plan
        .organisation
        .clone()
        .unwrap_or_else(|| figures.plan.id.clone())
}

fn percent(share: f64) -> String {
    format!("{:.0} %", share * 100.0)
}

/// Writes the report.
pub fn write_report(pst: &Pst, mut out: impl Write) -> Result<(), ExportError> {
    let figures = figures(pst);
    let actions: usize = figures.iter().map(|f| f.actions).sum();
    let page = html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "PST : comparaison des CPAS" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { "Programmes stratégiques transversaux : comparaison" }
                p.lead {
                    (figures.len()) " plan(s), " (actions) " actions. Chaque chiffre vient des documents ; la provenance de chaque action est dans "
                    code { "pst.json" } "."
                }
                (cards(&figures))
                (heat_map(pst, &figures))
                (status_bars(&figures))
                (histograms(&figures))
                (quality_table(&figures))
                (audit(pst, &figures))
            }
        }
    };
    out.write_all(page.into_string().as_bytes())?;
    out.write_all(b"\n")?;
    Ok(())
}

fn cards(figures: &[PlanFigures<'_>]) -> Markup {
    html! {
        h2 { "Les plans" }
        div.cards {
            @for f in figures {
                div.card data-plan=(f.plan.id) {
                    h3 { (name(f)) }
                    div {
                        @match f.plan.period {
                            Some(p) => { (p.start) "–" (p.end) }
                            None => { "période non indiquée" }
                        }
                    }
                    div.big { (f.actions) " actions" }
                    div {
                        (f.os) " OS · " (f.oo) " OO · "
                        @if f.externe + f.interne == 0 {
                            "sans volets"
                        } @else {
                            (f.externe) " externes · " (f.interne) " internes"
                        }
                    }
                    dl {
                        dt { "avec indicateurs" } dd { (percent(f.share(f.with_indicators))) }
                        dt { "avec pilote" } dd { (percent(f.share(f.with_pilots))) }
                        dt { "avec échéance" } dd { (percent(f.share(f.with_deadline))) }
                        dt { "avancement moyen" }
                        dd {
                            @match f.progress_mean {
                                Some(m) => { (format!("{m:.0} %")) }
                                None => { "—" }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Themes in rows, plans in columns; a cell's shade is the plan's share of actions.
fn heat_map(pst: &Pst, figures: &[PlanFigures<'_>]) -> Markup {
    let (label_width, cell_width, cell_height, top) = (330.0, 130.0, 26.0, 60.0);
    let width = label_width + cell_width * figures.len() as f64 + 10.0;
    let height = top + cell_height * pst.themes.len() as f64 + 10.0;
    html! {
        h2 { "Actions par thème" }
        p {
            "Nombre d'actions de chaque plan par thème (une action peut en avoir plusieurs) ; la teinte suit la part des actions du plan. Les thèmes viennent de règles de mots-clés lisibles ("
            code { "themes.toml" } ")."
        }
        figure {
            svg #heat-map role="img" aria-label="Actions par thème et par CPAS" width=(width) height=(height) viewBox=(format!("0 0 {width} {height}")) {
                @for (column, f) in figures.iter().enumerate() {
                    text x=(label_width + cell_width * column as f64 + cell_width / 2.0) y=(top - 12.0) text-anchor="middle" font-size="12" {
                        (shorten(&name(f), 18))
                    }
                }
                @for (row, theme) in pst.themes.iter().enumerate() {
                    @let y = top + cell_height * row as f64;
                    text x=(label_width - 8.0) y=(y + cell_height * 0.65) text-anchor="end" font-size="12" { (theme.label) }
                    @for (column, f) in figures.iter().enumerate() {
                        @let count = f.themes.get(row).copied().unwrap_or(0);
                        @let share = f.share(count);
                        // White to dark blue; the share is capped at 40 % for contrast.
                        @let strength = (share / 0.4).min(1.0);
                        @let channel = |from: f64, to: f64| (from + (to - from) * strength).round() as u8;
                        @let fill = format!("#{:02x}{:02x}{:02x}", channel(255.0, 8.0), channel(255.0, 69.0), channel(255.0, 148.0));
                        @let x = label_width + cell_width * column as f64;
                        rect.cell x=(x) y=(y) width=(cell_width - 2.0) height=(cell_height - 2.0) fill=(fill) stroke="#fff" {
                            title { (name(f)) " · " (theme.label) " : " (count) " actions (" (percent(share)) ")" }
                        }
                        text x=(x + cell_width / 2.0) y=(y + cell_height * 0.65) text-anchor="middle" font-size="12" fill=(if strength > 0.5 { "#fff" } else { "#222" }) {
                            (count)
                        }
                    }
                }
            }
        }
    }
}

/// One stacked bar per plan: its actions by status.
fn status_bars(figures: &[PlanFigures<'_>]) -> Markup {
    let (label_width, bar_width, bar_height) = (220.0, 760.0, 28.0);
    let width = label_width + bar_width + 20.0;
    let height = bar_height * 1.4 * figures.len() as f64 + 10.0;
    html! {
        h2 { "Statut des actions" }
        div.legend {
            @for (index, status) in STATUSES.iter().enumerate() {
                span { i style=(format!("background:{}", STATUS_COLOURS[index])) {} (status_label(*status)) }
            }
            span { i style=(format!("background:{}", STATUS_COLOURS[6])) {} "Sans statut dans le document" }
        }
        figure {
            svg #statuses role="img" aria-label="Statut des actions par CPAS" width=(width) height=(height) viewBox=(format!("0 0 {width} {height}")) {
                @for (row, f) in figures.iter().enumerate() {
                    @let y = bar_height * 1.4 * row as f64 + 5.0;
                    text x=(label_width - 8.0) y=(y + bar_height * 0.65) text-anchor="end" font-size="12" {
                        (shorten(&name(f), 30))
                    }
                    @for (x, w, index, count) in bars(f, label_width, bar_width) {
                        rect.bar x=(format!("{x:.1}")) y=(y) width=(format!("{w:.1}")) height=(bar_height) fill=(STATUS_COLOURS[index]) {
                            title { (STATUSES.get(index).map_or("Sans statut", |s| status_label(*s))) " : " (count) " actions" }
                        }
                        @if w > 28.0 {
                            text x=(format!("{:.1}", x + w / 2.0)) y=(y + bar_height * 0.65) text-anchor="middle" font-size="11" { (count) }
                        }
                    }
                }
            }
        }
    }
}

/// The segments of one plan's bar: left edge, width, status index and count.
fn bars(f: &PlanFigures<'_>, left: f64, bar_width: f64) -> Vec<(f64, f64, usize, usize)> {
    let mut x = left;
    let mut segments = Vec::new();
    for (index, &count) in f.statuses.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let w = bar_width * f.share(count);
        segments.push((x, w, index, count));
        x += w;
    }
    segments
}

/// Per plan with progress figures: actions per band of 10 % (100 % in the last band).
fn histograms(figures: &[PlanFigures<'_>]) -> Markup {
    let with_progress: Vec<&PlanFigures<'_>> =
        figures.iter().filter(|f| !f.progress.is_empty()).collect();
    let (bin_width, chart_height, left, top) = (60.0, 160.0, 40.0, 20.0);
    let width = left + bin_width * 10.0 + 10.0;
    let height = top + chart_height + 40.0;
    html! {
        h2 { "Taux d'avancement" }
        @if with_progress.is_empty() {
            p { "Aucun plan n'indique de taux d'avancement." }
        } @else {
            p { "Nombre d'actions par tranche de 10 % d'avancement, pour les plans qui en donnent." }
            @for f in with_progress {
                @let bins = bins(&f.progress);
                @let highest = bins.iter().copied().max().unwrap_or(1).max(1) as f64;
                figure {
                    figcaption { (name(f)) " (" (f.progress.len()) " actions avec un taux sur " (f.actions) ")" }
                    svg.histogram role="img" aria-label="Avancement" width=(width) height=(height) viewBox=(format!("0 0 {width} {height}")) {
                        @for (index, &count) in bins.iter().enumerate() {
                            @let h = chart_height * count as f64 / highest;
                            @let x = left + bin_width * index as f64;
                            @let y = top + chart_height - h;
                            @let (low, high) = (index * 10, index * 10 + 9 + usize::from(index == 9));
                            rect.bin x=(x) y=(format!("{y:.1}")) width=(bin_width - 4.0) height=(format!("{h:.1}")) fill="#0072B2" {
                                title { (low) "–" (high) " % : " (count) }
                            }
                            text x=(x + bin_width / 2.0 - 2.0) y=(format!("{:.1}", y - 4.0)) text-anchor="middle" font-size="11" { (count) }
                            text x=(x + bin_width / 2.0 - 2.0) y=(top + chart_height + 16.0) text-anchor="middle" font-size="11" { (low) "–" (high) }
                        }
                        line x1=(left) y1=(top + chart_height) x2=(left + bin_width * 10.0) y2=(top + chart_height) stroke="#444" {}
                        text x=(left + bin_width * 5.0) y=(top + chart_height + 34.0) text-anchor="middle" font-size="11" { "% d'avancement" }
                    }
                }
            }
        }
    }
}

fn bins(progress: &[u8]) -> [usize; 10] {
    let mut bins = [0usize; 10];
    for &p in progress {
        bins[usize::from(p.min(99) / 10)] += 1;
    }
    bins
}

fn quality_table(figures: &[PlanFigures<'_>]) -> Markup {
    html! {
        h2 { "Qualité des données" }
        p { "Part des actions pour lesquelles le document donne chaque information." }
        table #quality {
            thead { tr { th { "CPAS" } th { "Actions" } th { "Indicateurs" } th { "Pilote" } th { "Échéance" } th { "Taux d'avancement" } th { "Statut" } } }
            tbody {
                @for f in figures {
                    tr {
                        td { (name(f)) }
                        td { (f.actions) }
                        td { (percent(f.share(f.with_indicators))) }
                        td { (percent(f.share(f.with_pilots))) }
                        td { (percent(f.share(f.with_deadline))) }
                        td { (percent(f.share(f.with_progress))) }
                        td { (percent(f.share(f.actions - f.statuses[6]))) }
                    }
                }
            }
        }
    }
}

/// The documents' own figures that the extraction contradicts, and the other warnings.
fn audit(pst: &Pst, figures: &[PlanFigures<'_>]) -> Markup {
    let disagreeing: Vec<_> = figures
        .iter()
        .flat_map(|f| {
            f.plan
                .claims
                .iter()
                .filter(|c| !c.agrees)
                .map(move |c| (f, c))
        })
        .collect();
    let warnings: Vec<_> = pst
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    html! {
        h2 { "Audit : ce que les documents annoncent" }
        ul.warnings #claims {
            @for (f, claim) in &disagreeing {
                li {
                    strong { (name(f)) } " : le document annonce « " (claim.text) " » ; "
                    (claim.extracted) " action(s) trouvée(s) au lieu de " (claim.stated) "."
                }
            }
        }
        @if disagreeing.is_empty() {
            p { "Les chiffres annoncés par les documents correspondent à ce qui a été extrait." }
        }
        h2 { "Avertissements de lecture" }
        p {
            (warnings.len()) " avertissement(s) ou erreur(s) ; le détail, avec fichier et ligne, est dans "
            code { "diagnostics.csv" } "."
        }
        @if !warnings.is_empty() {
            ul.warnings {
                @for d in warnings.iter().take(50) {
                    li {
                        code { (d.source) @if let Some(line) = d.line { ":" (line) } }
                        " " (shorten(&d.message, 300))
                    }
                }
                @if warnings.len() > 50 {
                    li { "… et " (warnings.len() - 50) " autres." }
                }
            }
        }
    }
}

const STYLE: &str = r#"body { font-family: "DejaVu Sans", Arial, sans-serif; color: #222; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; line-height: 1.4; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.2rem; border-bottom: 2px solid #ddd; padding-bottom: .2rem; margin-top: 2rem; }
.lead { color: #555; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: .8rem; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: .7rem .9rem; break-inside: avoid; }
.card h3 { margin: 0 0 .3rem; font-size: 1rem; }
.card .big { font-size: 1.5rem; font-weight: bold; }
.card dl { display: grid; grid-template-columns: auto auto; margin: .3rem 0 0; font-size: .85rem; }
.card dd { margin: 0; text-align: right; }
table { border-collapse: collapse; font-size: .85rem; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
svg text { font-family: "DejaVu Sans", Arial, sans-serif; }
.legend span { display: inline-block; margin-right: 1rem; font-size: .85rem; }
.legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: middle; }
.warnings li { font-size: .85rem; margin-bottom: .3rem; }
figure { margin: 0; break-inside: avoid; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } @page { size: A4 landscape; margin: 12mm; } }
"#;
