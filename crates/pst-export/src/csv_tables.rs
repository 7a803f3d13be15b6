//! The flat CSV tables: one row per entity, ids as join keys, lists joined with ` | `.

use std::io::Write;

use pst_model::{Pst, ResidueLine, Volet};

use crate::ExportError;

/// One of the CSV tables of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Table {
    /// `plans.csv`
    Plans,
    /// `objectives.csv`: OS and OO rows.
    Objectives,
    /// `actions.csv`
    Actions,
    /// `indicators.csv`
    Indicators,
    /// `diagnostics.csv`
    Diagnostics,
    /// `links.csv`: links from the plan's entities to another plan (the communal PST).
    Links,
    /// `tasks.csv`: the tasks of each action, with their evaluation.
    Tasks,
    /// `claims.csv`: figures the documents state, beside the extracted counts.
    Claims,
}

impl Table {
    /// Every table, in the order they are written.
    pub const ALL: [Table; 8] = [
        Table::Plans,
        Table::Objectives,
        Table::Actions,
        Table::Indicators,
        Table::Diagnostics,
        Table::Links,
        Table::Tasks,
        Table::Claims,
    ];

    /// The file name, e.g. `actions.csv`.
    pub fn file_name(self) -> &'static str {
        match self {
            Table::Plans => "plans.csv",
            Table::Objectives => "objectives.csv",
            Table::Actions => "actions.csv",
            Table::Indicators => "indicators.csv",
            Table::Diagnostics => "diagnostics.csv",
            Table::Links => "links.csv",
            Table::Tasks => "tasks.csv",
            Table::Claims => "claims.csv",
        }
    }

    fn header(self) -> &'static [&'static str] {
        match self {
            Table::Plans => &[
                "plan_id",
                "organisation",
                "period_start",
                "period_end",
                "sources",
            ],
            Table::Objectives => &[
                "plan_id",
                "id",
                "level",
                "volet",
                "code",
                "parent_id",
                "title",
            ],
            Table::Actions => &[
                "plan_id",
                "id",
                "volet",
                "os_code",
                "oo_code",
                "code",
                "title",
                "indicators",
                "pilots",
                "service",
                "start",
                "end",
                "deadline_raw",
                "progress",
                "status",
                "source",
                "line",
                "priority",
                "risks",
                "team",
                "partners",
                "deliverables",
                "budget_eur",
                "budget_raw",
                "fte",
                "comments",
                "themes",
            ],
            Table::Tasks => &[
                "plan_id",
                "action_id",
                "position",
                "description",
                "evaluation",
            ],
            Table::Claims => &[
                "plan_id",
                "subject",
                "status",
                "progress_min",
                "progress_max",
                "comparison",
                "stated",
                "extracted",
                "agrees",
                "scope",
                "text",
                "source",
                "line",
            ],
            Table::Indicators => &["plan_id", "action_id", "indicator"],
            Table::Diagnostics => &["severity", "source", "line", "message"],
            Table::Links => &[
                "plan_id",
                "from",
                "volet",
                "os_code",
                "oo_code",
                "action_code",
                "from_title",
                "to_code",
                "to_title",
                "source",
                "line",
            ],
        }
    }
}

const LIST_SEPARATOR: &str = " | ";

fn text(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("")
}

fn number<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn volet(value: Option<Volet>) -> &'static str {
    value.map_or("", Volet::as_str)
}

/// Writes one table, header row first (RFC 4180, UTF-8, `\n` line ends).
pub fn write_csv(pst: &Pst, table: Table, out: impl Write) -> Result<(), ExportError> {
    write_csv_with(pst, table, CsvDialect::Rfc4180, out)
}

/// How CSV files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum CsvDialect {
    /// RFC 4180: `,`, LF, no BOM, every cell as it is (byte-faithful).
    #[default]
    Rfc4180,
    /// What French-locale Excel opens correctly: `;`, CRLF, a UTF-8 BOM; a cell that
    /// starts with `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'`, so that a
    /// spreadsheet never runs it as a formula.
    Excel,
}

/// A cell a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab
/// or a CR) with a leading `'`, so that it is shown as text.
pub(crate) fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A CSV writer in a dialect.
struct TableWriter<W: Write> {
    inner: csv::Writer<W>,
    dialect: CsvDialect,
}

impl<W: Write> TableWriter<W> {
    fn new(mut out: W, dialect: CsvDialect) -> Result<Self, ExportError> {
        let mut builder = csv::WriterBuilder::new();
        if dialect == CsvDialect::Excel {
            out.write_all("\u{feff}".as_bytes())?;
            builder.delimiter(b';').terminator(csv::Terminator::CRLF);
        }
        Ok(TableWriter {
            inner: builder.from_writer(out),
            dialect,
        })
    }

    fn write_record<I, T>(&mut self, record: I) -> Result<(), ExportError>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        let dialect = self.dialect;
        let cells = record.into_iter().map(|cell| {
            let cell = cell.as_ref();
            if dialect == CsvDialect::Excel {
                neutralise(cell).into_owned()
            } else {
                cell.to_owned()
            }
        });
        self.inner.write_record(cells)?;
        Ok(())
    }

    fn flush(&mut self) -> Result<(), ExportError> {
        self.inner.flush()?;
        Ok(())
    }
}

/// Writes one table in `dialect`.
pub fn write_csv_with(
    pst: &Pst,
    table: Table,
    dialect: CsvDialect,
    out: impl Write,
) -> Result<(), ExportError> {
    let mut writer = TableWriter::new(out, dialect)?;
    writer.write_record(table.header().iter().copied())?;
    match table {
        Table::Plans => {
            for plan in &pst.plans {
                let sources: Vec<&str> = plan.sources.iter().map(|s| s.path.as_str()).collect();
                writer.write_record([
                    plan.id.as_str(),
                    text(&plan.organisation),
                    &number(plan.period.map(|p| p.start)),
                    &number(plan.period.map(|p| p.end)),
                    &sources.join(LIST_SEPARATOR),
                ])?;
            }
        }
        Table::Objectives => {
            for plan in &pst.plans {
                for os in &plan.strategic_objectives {
                    writer.write_record([
                        &plan.id,
                        &os.id,
                        "os",
                        volet(os.volet),
                        &os.code,
                        "",
                        &os.title,
                    ])?;
                    for oo in &os.operational_objectives {
                        writer.write_record([
                            &plan.id,
                            &oo.id,
                            "oo",
                            volet(os.volet),
                            &oo.code,
                            &os.id,
                            &oo.title,
                        ])?;
                    }
                }
            }
        }
        Table::Actions => {
            for plan in &pst.plans {
                for os in &plan.strategic_objectives {
                    for oo in &os.operational_objectives {
                        for action in &oo.actions {
                            let first = action.provenance.first();
                            writer.write_record([
                                plan.id.as_str(),
                                &action.id,
                                volet(os.volet),
                                &os.code,
                                &oo.code,
                                &action.code,
                                &action.title,
                                &action.indicators.join(LIST_SEPARATOR),
                                &action.pilots.join(LIST_SEPARATOR),
                                text(&action.service),
                                text(&action.start),
                                text(&action.end),
                                text(&action.deadline_raw),
                                &number(action.progress),
                                action.status.map_or("", |s| s.as_str()),
                                first.map_or("", |p| p.source.as_str()),
                                &number(first.map(|p| p.line)),
                                text(&action.priority),
                                &action.risks.join(LIST_SEPARATOR),
                                &action.team.join(LIST_SEPARATOR),
                                &action.partners.join(LIST_SEPARATOR),
                                &action.deliverables.join(LIST_SEPARATOR),
                                &number(action.budget.as_ref().and_then(|b| b.amount_eur)),
                                action.budget.as_ref().map_or("", |b| b.raw.as_str()),
                                &number(action.fte.as_ref().and_then(|f| f.value)),
                                text(&action.comments),
                                &action
                                    .themes
                                    .iter()
                                    .map(|m| m.theme.as_str())
                                    .collect::<Vec<_>>()
                                    .join(LIST_SEPARATOR),
                            ])?;
                        }
                    }
                }
            }
        }
        Table::Indicators => {
            for plan in &pst.plans {
                for action in plan.actions() {
                    for indicator in &action.indicators {
                        writer.write_record([&plan.id, &action.id, indicator])?;
                    }
                }
            }
        }
        Table::Tasks => {
            for plan in &pst.plans {
                for action in plan.actions() {
                    for (position, task) in action.tasks.iter().enumerate() {
                        writer.write_record([
                            plan.id.as_str(),
                            &action.id,
                            &(position + 1).to_string(),
                            &task.description,
                            text(&task.evaluation),
                        ])?;
                    }
                }
            }
        }
        Table::Claims => {
            for plan in &pst.plans {
                for claim in &plan.claims {
                    let at = claim.provenance.first();
                    let subject = serde_json::to_value(claim.subject)?;
                    let comparison = serde_json::to_value(claim.comparison)?;
                    writer.write_record([
                        plan.id.as_str(),
                        subject.as_str().unwrap_or_default(),
                        claim.status.map_or("", |s| s.as_str()),
                        &number(claim.progress_range.map(|[lo, _]| lo)),
                        &number(claim.progress_range.map(|[_, hi]| hi)),
                        comparison.as_str().unwrap_or_default(),
                        &claim.stated.to_string(),
                        &claim.extracted.to_string(),
                        if claim.agrees { "true" } else { "false" },
                        text(&claim.scope),
                        &claim.text,
                        at.map_or("", |p| p.source.as_str()),
                        &number(at.map(|p| p.line)),
                    ])?;
                }
            }
        }
        Table::Links => {
            for plan in &pst.plans {
                for link in &plan.links {
                    let path = &link.from_path;
                    let at = link.provenance.first();
                    writer.write_record([
                        plan.id.as_str(),
                        text(&link.from),
                        volet(path.volet),
                        &path.os,
                        text(&path.oo),
                        text(&path.action),
                        &link.from_title,
                        text(&link.to_code),
                        text(&link.to_title),
                        at.map_or("", |p| p.source.as_str()),
                        &number(at.map(|p| p.line)),
                    ])?;
                }
            }
        }
        Table::Diagnostics => {
            for diagnostic in &pst.diagnostics {
                writer.write_record([
                    diagnostic.severity.as_str(),
                    &diagnostic.source,
                    &number(diagnostic.line),
                    &diagnostic.message,
                ])?;
            }
        }
    }
    writer.flush()?;
    Ok(())
}

/// Writes `residue.csv`: the lines of the documents that were read into nothing (source,
/// line, page, text), in `dialect`.
pub fn write_residue(
    residue: &[ResidueLine],
    dialect: CsvDialect,
    out: impl Write,
) -> Result<(), ExportError> {
    let mut writer = TableWriter::new(out, dialect)?;
    writer.write_record(["source", "line", "page", "text"])?;
    for line in residue {
        writer.write_record([
            line.source.as_str(),
            &line.line.to_string(),
            &number(line.page),
            &line.text,
        ])?;
    }
    writer.flush()
}
