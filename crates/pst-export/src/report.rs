//! A self-contained HTML report comparing plans: summary cards, actions per theme (a heat
//! map), statuses, a progress histogram, data quality and the documents' own figures that
//! the extraction contradicts. Inline SVG and CSS, no script, no network; French labels;
//! prints on A4 landscape.

use std::fmt::Write as _;
use std::io::Write;

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

fn escape(text: &str) -> String {
    html_escape::encode_text(text).into_owned()
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
    let mut html = String::new();
    html.push_str(HEAD);
    let actions: usize = figures.iter().map(|f| f.actions).sum();
    let _ = write!(
        html,
        "<h1>Programmes stratégiques transversaux : comparaison</h1>\n<p class=\"lead\">{} plan(s), {} actions. Chaque chiffre vient des documents ; la provenance de chaque action est dans <code>pst.json</code>.</p>\n",
        figures.len(),
        actions
    );
    cards(&mut html, &figures);
    heat_map(&mut html, pst, &figures);
    status_bars(&mut html, &figures);
    histograms(&mut html, &figures);
    quality_table(&mut html, &figures);
    audit(&mut html, pst, &figures);
    html.push_str("</body>\n</html>\n");
    out.write_all(html.as_bytes())?;
    Ok(())
}

const HEAD: &str = r#"<!DOCTYPE html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>PST : comparaison des CPAS</title>
<style>
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #222; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; line-height: 1.4; }
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
</style>
</head>
<body>
"#;

fn cards(html: &mut String, figures: &[PlanFigures<'_>]) {
    html.push_str("<h2>Les plans</h2>\n<div class=\"cards\">\n");
    for f in figures {
        let period = f
            .plan
            .period
            .map(|p| format!("{}–{}", p.start, p.end))
            .unwrap_or_else(|| "période non indiquée".to_owned());
        let progress = f
            .progress_mean
            .map(|m| format!("{m:.0} %"))
            .unwrap_or_else(|| "—".to_owned());
        let _ = writeln!(
            html,
            "<div class=\"card\" data-plan=\"{id}\"><h3>{name}</h3><div>{period}</div>\
             <div class=\"big\">{actions} actions</div><div>{os} OS · {oo} OO · {volets}</div>\
             <dl><dt>avec indicateurs</dt><dd>{ind}</dd><dt>avec pilote</dt><dd>{pil}</dd>\
             <dt>avec échéance</dt><dd>{dl}</dd><dt>avancement moyen</dt><dd>{progress}</dd></dl></div>",
            id = escape(&f.plan.id),
            name = escape(&name(f)),
            actions = f.actions,
            os = f.os,
            oo = f.oo,
            volets = if f.externe + f.interne == 0 {
                "sans volets".to_owned()
            } else {
                format!("{} externes · {} internes", f.externe, f.interne)
            },
            ind = percent(f.share(f.with_indicators)),
            pil = percent(f.share(f.with_pilots)),
            dl = percent(f.share(f.with_deadline)),
        );
    }
    html.push_str("</div>\n");
}

/// Themes in rows, plans in columns; a cell's shade is the plan's share of actions.
fn heat_map(html: &mut String, pst: &Pst, figures: &[PlanFigures<'_>]) {
    html.push_str("<h2>Actions par thème</h2>\n<p>Nombre d'actions de chaque plan par thème (une action peut en avoir plusieurs) ; la teinte suit la part des actions du plan. Les thèmes viennent de règles de mots-clés lisibles (<code>themes.toml</code>).</p>\n");
    let (label_width, cell_width, cell_height, top) = (330.0, 130.0, 26.0, 60.0);
    let width = label_width + cell_width * figures.len() as f64 + 10.0;
    let height = top + cell_height * pst.themes.len() as f64 + 10.0;
    let _ = writeln!(
        html,
        "<figure><svg id=\"heat-map\" role=\"img\" aria-label=\"Actions par thème et par CPAS\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">"
    );
    for (column, f) in figures.iter().enumerate() {
        let x = label_width + cell_width * column as f64 + cell_width / 2.0;
        let _ = writeln!(
            html,
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\">{}</text>",
            top - 12.0,
            escape(&shorten(&name(f), 18))
        );
    }
    for (row, theme) in pst.themes.iter().enumerate() {
        let y = top + cell_height * row as f64;
        let _ = writeln!(
            html,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text>",
            label_width - 8.0,
            y + cell_height * 0.65,
            escape(&theme.label)
        );
        for (column, f) in figures.iter().enumerate() {
            let count = f.themes.get(row).copied().unwrap_or(0);
            let share = f.share(count);
            // White to dark blue; the share is capped at 40 % for contrast.
            let strength = (share / 0.4).min(1.0);
            let channel = |from: f64, to: f64| (from + (to - from) * strength).round() as u8;
            let fill = format!(
                "#{:02x}{:02x}{:02x}",
                channel(255.0, 8.0),
                channel(255.0, 69.0),
                channel(255.0, 148.0)
            );
            let text_colour = if strength > 0.5 { "#fff" } else { "#222" };
            let x = label_width + cell_width * column as f64;
            let _ = writeln!(
                html,
                "<rect class=\"cell\" x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{fill}\" stroke=\"#fff\"><title>{} · {} : {count} actions ({})</title></rect>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" fill=\"{text_colour}\">{count}</text>",
                cell_width - 2.0,
                cell_height - 2.0,
                escape(&name(f)),
                escape(&theme.label),
                percent(share),
                x + cell_width / 2.0,
                y + cell_height * 0.65
            );
        }
    }
    html.push_str("</svg></figure>\n");
}

/// One stacked bar per plan: its actions by status.
fn status_bars(html: &mut String, figures: &[PlanFigures<'_>]) {
    html.push_str("<h2>Statut des actions</h2>\n<div class=\"legend\">");
    for (index, status) in STATUSES.iter().enumerate() {
        let _ = write!(
            html,
            "<span><i style=\"background:{}\"></i>{}</span>",
            STATUS_COLOURS[index],
            status_label(*status)
        );
    }
    let _ = writeln!(
        html,
        "<span><i style=\"background:{}\"></i>Sans statut dans le document</span></div>",
        STATUS_COLOURS[6]
    );
    let (label_width, bar_width, bar_height) = (220.0, 760.0, 28.0);
    let width = label_width + bar_width + 20.0;
    let height = bar_height * 1.4 * figures.len() as f64 + 10.0;
    let _ = writeln!(
        html,
        "<figure><svg id=\"statuses\" role=\"img\" aria-label=\"Statut des actions par CPAS\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">"
    );
    for (row, f) in figures.iter().enumerate() {
        let y = bar_height * 1.4 * row as f64 + 5.0;
        let _ = writeln!(
            html,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"12\">{}</text>",
            label_width - 8.0,
            y + bar_height * 0.65,
            escape(&shorten(&name(f), 30))
        );
        let mut x = label_width;
        for (index, &count) in f.statuses.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let w = bar_width * f.share(count);
            let label = STATUSES
                .get(index)
                .map_or("Sans statut", |s| status_label(*s));
            let _ = writeln!(
                html,
                "<rect class=\"bar\" x=\"{x:.1}\" y=\"{y}\" width=\"{w:.1}\" height=\"{bar_height}\" fill=\"{}\"><title>{} : {count} actions</title></rect>",
                STATUS_COLOURS[index], label
            );
            if w > 28.0 {
                let _ = writeln!(
                    html,
                    "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">{count}</text>",
                    x + w / 2.0,
                    y + bar_height * 0.65
                );
            }
            x += w;
        }
    }
    html.push_str("</svg></figure>\n");
}

/// Per plan with progress figures: actions per band of 10 % (100 % in the last band).
fn histograms(html: &mut String, figures: &[PlanFigures<'_>]) {
    html.push_str("<h2>Taux d'avancement</h2>\n");
    let with_progress: Vec<&PlanFigures<'_>> =
        figures.iter().filter(|f| !f.progress.is_empty()).collect();
    if with_progress.is_empty() {
        html.push_str("<p>Aucun plan n'indique de taux d'avancement.</p>\n");
        return;
    }
    html.push_str("<p>Nombre d'actions par tranche de 10 % d'avancement, pour les plans qui en donnent.</p>\n");
    for f in with_progress {
        let mut bins = [0usize; 10];
        for &p in &f.progress {
            bins[usize::from(p.min(99) / 10)] += 1;
        }
        let highest = bins.iter().copied().max().unwrap_or(1).max(1) as f64;
        let (bin_width, chart_height, left, top) = (60.0, 160.0, 40.0, 20.0);
        let width = left + bin_width * 10.0 + 10.0;
        let height = top + chart_height + 40.0;
        let _ = writeln!(
            html,
            "<figure><figcaption>{} ({} actions avec un taux sur {})</figcaption><svg class=\"histogram\" role=\"img\" aria-label=\"Avancement\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">",
            escape(&name(f)),
            f.progress.len(),
            f.actions
        );
        for (index, &count) in bins.iter().enumerate() {
            let h = chart_height * count as f64 / highest;
            let x = left + bin_width * index as f64;
            let y = top + chart_height - h;
            let _ = writeln!(
                html,
                "<rect class=\"bin\" x=\"{x}\" y=\"{y:.1}\" width=\"{}\" height=\"{h:.1}\" fill=\"#0072B2\"><title>{}–{} % : {count}</title></rect>\
                 <text x=\"{}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{count}</text>\
                 <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">{}–{}</text>",
                bin_width - 4.0,
                index * 10,
                index * 10 + 9 + usize::from(index == 9),
                x + bin_width / 2.0 - 2.0,
                y - 4.0,
                x + bin_width / 2.0 - 2.0,
                top + chart_height + 16.0,
                index * 10,
                index * 10 + 9 + usize::from(index == 9)
            );
        }
        let _ = writeln!(
            html,
            "<line x1=\"{left}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#444\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">% d'avancement</text></svg></figure>",
            left + bin_width * 10.0,
            left + bin_width * 5.0,
            top + chart_height + 34.0,
            y = top + chart_height
        );
    }
}

fn quality_table(html: &mut String, figures: &[PlanFigures<'_>]) {
    html.push_str("<h2>Qualité des données</h2>\n<p>Part des actions pour lesquelles le document donne chaque information.</p>\n<table id=\"quality\"><thead><tr><th>CPAS</th><th>Actions</th><th>Indicateurs</th><th>Pilote</th><th>Échéance</th><th>Taux d'avancement</th><th>Statut</th></tr></thead><tbody>\n");
    for f in figures {
        let with_status = f.actions - f.statuses[6];
        let _ = writeln!(
            html,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&name(f)),
            f.actions,
            percent(f.share(f.with_indicators)),
            percent(f.share(f.with_pilots)),
            percent(f.share(f.with_deadline)),
            percent(f.share(f.with_progress)),
            percent(f.share(with_status)),
        );
    }
    html.push_str("</tbody></table>\n");
}

/// The documents' own figures that the extraction contradicts, and the other warnings.
fn audit(html: &mut String, pst: &Pst, figures: &[PlanFigures<'_>]) {
    html.push_str("<h2>Audit : ce que les documents annoncent</h2>\n");
    let mut any = false;
    html.push_str("<ul class=\"warnings\" id=\"claims\">\n");
    for f in figures {
        for claim in f.plan.claims.iter().filter(|c| !c.agrees) {
            any = true;
            let _ = writeln!(
                html,
                "<li><strong>{}</strong> : le document annonce « {} » ; {} action(s) trouvée(s) au lieu de {}.</li>",
                escape(&name(f)),
                escape(&claim.text),
                claim.extracted,
                claim.stated
            );
        }
    }
    html.push_str("</ul>\n");
    if !any {
        html.push_str("<p>Les chiffres annoncés par les documents correspondent à ce qui a été extrait.</p>\n");
    }
    let warnings: Vec<_> = pst
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    let _ = writeln!(
        html,
        "<h2>Avertissements de lecture</h2>\n<p>{} avertissement(s) ou erreur(s) ; le détail, avec fichier et ligne, est dans <code>diagnostics.csv</code>.</p>",
        warnings.len()
    );
    if !warnings.is_empty() {
        html.push_str("<ul class=\"warnings\">\n");
        for d in warnings.iter().take(50) {
            let at = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            let _ = writeln!(
                html,
                "<li><code>{}{}</code> {}</li>",
                escape(&d.source),
                at,
                escape(&shorten(&d.message, 300))
            );
        }
        if warnings.len() > 50 {
            let _ = writeln!(html, "<li>… et {} autres.</li>", warnings.len() - 50);
        }
        html.push_str("</ul>\n");
    }
}
