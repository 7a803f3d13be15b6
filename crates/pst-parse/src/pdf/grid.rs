//! Bordered tables from a page's geometry, after pdfplumber's table finder: the ruling
//! segments drawn on the page (stroked lines, rectangle sides, thin filled rectangles)
//! are snapped and merged, rules that cross form a grid, and a grid rectangle whose inner
//! border is missing belongs to its neighbour (a cell spanning columns or rows). Each
//! glyph goes to the cell holding its centre; a cell's text is its lines joined.
//!
//! Cost: rules are sorted once per page and capped ([`MAX_RULES`], [`MAX_CELLS`],
//! [`MAX_TABLES`]); a glyph finds its table by the tables' vertical extents, then its row
//! band and column by binary search.

use super::Glyph;
use crate::document::CELL_BREAK;

/// Marks that start a list item in a cell (not a dash: a wrapped line may start with
/// one).
const BULLETS: [char; 7] = ['•', '◦', '▪', '▫', '●', '○', '■'];

/// Coordinates within this many points are one rule position.
pub(crate) const SNAP: f64 = 2.0;
/// A filled rectangle thinner than this is a rule.
pub(crate) const THIN: f64 = 2.0;
/// Above this many merged rules of one direction a page is drawing, not a table.
const MAX_RULES: usize = 4000;
/// Above this many grid rectangles a table is not read as one.
const MAX_CELLS: usize = 100_000;
/// Above this many tables a page is a form or a drawing: its glyphs stay lines. Each
/// table looks at the glyphs within its vertical extent, so this bounds the cost per
/// glyph.
const MAX_TABLES: usize = 64;

/// A horizontal rule at `at` from `from` to `to` (x), or a vertical one at `at` (x) from
/// `from` to `to` (y, top-down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rule {
    pub at: f64,
    pub from: f64,
    pub to: f64,
}

/// The ruling segments of one page, top-down coordinates.
#[derive(Debug, Default, Clone)]
pub(crate) struct Rules {
    pub horizontal: Vec<Rule>,
    pub vertical: Vec<Rule>,
}

impl Rules {
    /// Adds the segment from `a` to `b` when it is horizontal or vertical.
    pub(crate) fn segment(&mut self, a: (f64, f64), b: (f64, f64)) {
        let finite = [a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite());
        if !finite {
            return;
        }
        if (a.1 - b.1).abs() < 1.0 && (a.0 - b.0).abs() >= SNAP {
            self.horizontal.push(Rule {
                at: (a.1 + b.1) / 2.0,
                from: a.0.min(b.0),
                to: a.0.max(b.0),
            });
        } else if (a.0 - b.0).abs() < 1.0 && (a.1 - b.1).abs() >= SNAP {
            self.vertical.push(Rule {
                at: (a.0 + b.0) / 2.0,
                from: a.1.min(b.1),
                to: a.1.max(b.1),
            });
        }
    }

    /// Adds a filled box (x0, y0, x1, y1) when it is thin enough to be a rule.
    pub(crate) fn thin_box(&mut self, (x0, y0, x1, y1): (f64, f64, f64, f64)) {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        let (width, height) = (x1 - x0, y1 - y0);
        if !(width.is_finite() && height.is_finite()) {
            return;
        }
        if height < THIN && width >= SNAP {
            let y = (y0 + y1) / 2.0;
            self.segment((x0, y), (x1, y));
        } else if width < THIN && height >= SNAP {
            let x = (x0 + x1) / 2.0;
            self.segment((x, y0), (x, y1));
        }
    }
}

/// One cell of a table row: its first grid column, its text, and whether it is a copy
/// of a cell spanning from the row above.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GridCell {
    pub column: usize,
    pub text: String,
    pub spanned: bool,
}

/// A table row found on a page: the top of its band and its cells.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GridRow {
    pub top: f64,
    pub cells: Vec<GridCell>,
}

/// A table found on a page: its column boundaries and rows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GridTable {
    pub columns: Vec<f64>,
    pub rows: Vec<GridRow>,
}

/// Rules of one direction snapped to shared positions and merged where they touch or
/// overlap; sorted by position, then start.
fn merge(mut rules: Vec<Rule>) -> Vec<Rule> {
    rules.retain(|r| r.at.is_finite() && r.from.is_finite() && r.to.is_finite());
    rules.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    let mut merged: Vec<Rule> = Vec::with_capacity(rules.len());
    let mut start = 0;
    while start < rules.len() {
        // One position: rules within SNAP of the first of the run.
        let first = rules[start].at;
        let mut end = start;
        while end < rules.len() && rules[end].at - first <= SNAP {
            end += 1;
        }
        let run = &mut rules[start..end];
        let at = run.iter().map(|r| r.at).sum::<f64>() / run.len() as f64;
        run.sort_by(|a, b| a.from.total_cmp(&b.from));
        let mut open: Option<Rule> = None;
        for rule in run.iter() {
            match &mut open {
                Some(current) if rule.from <= current.to + SNAP => {
                    current.to = current.to.max(rule.to);
                }
                _ => {
                    merged.extend(open.take());
                    open = Some(Rule { at, ..*rule });
                }
            }
        }
        merged.extend(open);
        start = end;
    }
    merged
}

/// Union-find root with path halving.
fn root(parents: &mut [usize], mut node: usize) -> usize {
    while parents[node] != node {
        parents[node] = parents[parents[node]];
        node = parents[node];
    }
    node
}

/// Sorted distinct positions.
fn positions(rules: &[&Rule]) -> Vec<f64> {
    let mut at: Vec<f64> = rules.iter().map(|r| r.at).collect();
    at.sort_by(f64::total_cmp);
    at.dedup_by(|a, b| (*a - *b).abs() <= SNAP);
    at
}

/// Index of the position within SNAP of `value` at or after `from`, if any.
fn index_of(positions: &[f64], value: f64) -> Option<usize> {
    let at = positions.partition_point(|&p| p < value - SNAP);
    positions
        .get(at)
        .is_some_and(|&p| (p - value).abs() <= SNAP)
        .then_some(at)
}

/// Calls `mark(line, piece)` for each inner grid line `line` (an index of `at`) a rule
/// lies on and each piece between consecutive `span` positions the rule covers.
fn drawn(rules: &[&Rule], at: &[f64], span: &[f64], mut mark: impl FnMut(usize, usize)) {
    for rule in rules {
        let Some(line) = index_of(at, rule.at) else {
            continue;
        };
        if line == 0 || line + 1 == at.len() {
            continue;
        }
        let first = span.partition_point(|&p| p < rule.from - SNAP);
        for piece in first..span.len().saturating_sub(1) {
            if span[piece + 1] > rule.to + SNAP {
                break;
            }
            mark(line, piece);
        }
    }
}

/// One grid: its positions and which rectangle owns each grid rectangle.
struct Grid {
    xs: Vec<f64>,
    ys: Vec<f64>,
    /// `owner[band * columns + column]`: the grid rectangle (band, column) whose cell
    /// covers this one.
    owner: Vec<(usize, usize)>,
}

impl Grid {
    fn columns(&self) -> usize {
        self.xs.len() - 1
    }
    fn bands(&self) -> usize {
        self.ys.len() - 1
    }

    /// The grid of one connected set of rules; `None` for a single column (a framed
    /// box or a stack of them: its lines stay lines) or a single rectangle.
    fn new(horizontal: &[&Rule], vertical: &[&Rule]) -> Option<Grid> {
        let xs = positions(vertical);
        let ys = positions(horizontal);
        if xs.len() < 3 || ys.len() < 2 {
            return None;
        }
        let (columns, bands) = (xs.len() - 1, ys.len() - 1);
        let size = columns.checked_mul(bands)?;
        if !(2..=MAX_CELLS).contains(&size) {
            return None;
        }
        // Which inner borders are drawn: a vertical rule covers the bands between its
        // ends, a horizontal one the columns between its ends.
        let mut left_border = vec![false; size];
        drawn(vertical, &xs, &ys, |column, band| {
            left_border[band * columns + column] = true;
        });
        let mut top_border = vec![false; size];
        drawn(horizontal, &ys, &xs, |band, column| {
            top_border[band * columns + column] = true;
        });
        let mut owner = Vec::with_capacity(size);
        for band in 0..bands {
            for column in 0..columns {
                let index = band * columns + column;
                let cell = if column > 0 && !left_border[index] {
                    owner[index - 1]
                } else if band > 0 && !top_border[index] {
                    owner[index - columns]
                } else {
                    (band, column)
                };
                owner.push(cell);
            }
        }
        Some(Grid { xs, ys, owner })
    }
}

/// Finds the bordered tables of a page. Returns the tables, top to bottom, and the
/// glyphs outside them.
pub(crate) fn tables(rules: Rules, glyphs: Vec<Glyph>) -> (Vec<GridTable>, Vec<Glyph>) {
    let horizontal = merge(rules.horizontal);
    let mut vertical = merge(rules.vertical);
    if horizontal.len() < 2
        || vertical.len() < 2
        || horizontal.len() > MAX_RULES
        || vertical.len() > MAX_RULES
    {
        return (Vec::new(), glyphs);
    }
    vertical.sort_by(|a, b| a.at.total_cmp(&b.at));
    // Rules that cross are one table: union-find over horizontal then vertical rules.
    let count = horizontal.len() + vertical.len();
    let mut parents: Vec<usize> = (0..count).collect();
    for (h, rule) in horizontal.iter().enumerate() {
        let first = vertical.partition_point(|v| v.at < rule.from - SNAP);
        for (offset, v) in vertical[first..].iter().enumerate() {
            if v.at > rule.to + SNAP {
                break;
            }
            if v.from - SNAP <= rule.at && rule.at <= v.to + SNAP {
                let (a, b) = (
                    root(&mut parents, h),
                    root(&mut parents, horizontal.len() + first + offset),
                );
                parents[a] = b;
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<&Rule>, Vec<&Rule>)> =
        std::collections::BTreeMap::new();
    for (index, rule) in horizontal.iter().enumerate() {
        groups
            .entry(root(&mut parents, index))
            .or_default()
            .0
            .push(rule);
    }
    for (index, rule) in vertical.iter().enumerate() {
        groups
            .entry(root(&mut parents, horizontal.len() + index))
            .or_default()
            .1
            .push(rule);
    }
    let mut grids: Vec<Grid> = groups
        .into_values()
        .filter_map(|(h, v)| Grid::new(&h, &v))
        .collect();
    grids.sort_by(|a, b| {
        a.ys[0]
            .total_cmp(&b.ys[0])
            .then(a.xs[0].total_cmp(&b.xs[0]))
    });
    if grids.is_empty() || grids.len() > MAX_TABLES {
        return (Vec::new(), glyphs);
    }
    // Glyphs by the vertical centre of their line, so that each table takes its range.
    let centre = |g: &Glyph| (g.x + g.width / 2.0, g.y - 0.3 * g.size);
    let mut glyphs: Vec<(f64, f64, Glyph)> = glyphs
        .into_iter()
        .map(|g| {
            let (x, y) = centre(&g);
            (x, y, g)
        })
        .collect();
    glyphs.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut taken = vec![false; glyphs.len()];
    let mut found = Vec::with_capacity(grids.len());
    for grid in &grids {
        let (top, bottom) = (grid.ys[0], grid.ys[grid.bands()]);
        let (left, right) = (grid.xs[0], grid.xs[grid.columns()]);
        let mut buckets: Vec<Vec<Glyph>> = vec![Vec::new(); grid.owner.len()];
        let first = glyphs.partition_point(|g| g.1 < top);
        for (index, (x, y, glyph)) in glyphs.iter().enumerate().skip(first) {
            if *y > bottom {
                break;
            }
            if taken[index] || *x < left || *x > right {
                continue;
            }
            let band = grid.ys.partition_point(|&p| p <= *y).saturating_sub(1);
            let column = grid.xs.partition_point(|&p| p <= *x).saturating_sub(1);
            let band = band.min(grid.bands() - 1);
            let column = column.min(grid.columns() - 1);
            let (b, c) = grid.owner[band * grid.columns() + column];
            buckets[b * grid.columns() + c].push(glyph.clone());
            taken[index] = true;
        }
        let texts: Vec<String> = buckets.into_iter().map(cell_text).collect();
        let mut rows = Vec::new();
        for band in 0..grid.bands() {
            let mut cells = Vec::new();
            let mut own = false;
            for column in 0..grid.columns() {
                let (b, c) = grid.owner[band * grid.columns() + column];
                if c != column {
                    continue;
                }
                let text = &texts[b * grid.columns() + c];
                if text.is_empty() {
                    continue;
                }
                own |= b == band;
                cells.push(GridCell {
                    column,
                    text: text.clone(),
                    spanned: b != band,
                });
            }
            if own {
                rows.push(GridRow {
                    top: grid.ys[band],
                    cells,
                });
            }
        }
        if !rows.is_empty() {
            found.push(GridTable {
                columns: grid.xs.clone(),
                rows,
            });
        }
    }
    let rest = glyphs
        .into_iter()
        .zip(taken)
        .filter(|(_, taken)| !taken)
        .map(|((_, _, g), _)| g)
        .collect();
    (found, rest)
}

/// A cell's glyphs as one text: its lines, top to bottom, joined with spaces; a line
/// starting with a bullet starts a new line of the cell ([`CELL_BREAK`]).
fn cell_text(glyphs: Vec<Glyph>) -> String {
    if glyphs.is_empty() {
        return String::new();
    }
    let mut text = String::new();
    for line in super::lines_of(glyphs) {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            continue;
        }
        // A line ending in a hyphen or a slash after a letter or digit broke a compound
        // word or a range there ("socio-|professionnelle", "2019-|2024").
        let compound = text.ends_with(['-', '/'])
            && text.chars().rev().nth(1).is_some_and(char::is_alphanumeric);
        let bullet = line.starts_with(BULLETS);
        if !text.is_empty() && bullet {
            text.push(CELL_BREAK);
        } else if !text.is_empty() && !compound {
            text.push(' ');
        }
        text.push_str(&line);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A word's glyphs, one per character, 10 pt, 5 wide, baseline `y`.
    fn word(x: f64, y: f64, text: &str) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x: x + 5.0 * i as f64,
                y,
                width: 5.0,
                size: 10.0,
                text: c.to_string(),
            })
            .collect()
    }

    fn grid_rules(xs: &[f64], ys: &[f64]) -> Rules {
        let mut rules = Rules::default();
        for &y in ys {
            rules.segment((xs[0], y), (xs[xs.len() - 1], y));
        }
        for &x in xs {
            rules.segment((x, ys[0]), (x, ys[ys.len() - 1]));
        }
        rules
    }

    fn texts(table: &GridTable) -> Vec<Vec<(usize, &str, bool)>> {
        table
            .rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| (c.column, c.text.as_str(), c.spanned))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_three_by_three_grid() {
        let rules = grid_rules(&[0.0, 100.0, 200.0, 300.0], &[0.0, 20.0, 40.0, 60.0]);
        let mut glyphs = Vec::new();
        for (row, y) in [15.0, 35.0, 55.0].into_iter().enumerate() {
            for (column, x) in [5.0, 105.0, 205.0].into_iter().enumerate() {
                glyphs.extend(word(x, y, &format!("r{row}c{column}")));
            }
        }
        glyphs.extend(word(0.0, 100.0, "dehors"));
        let (found, rest) = tables(rules, glyphs);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].columns, [0.0, 100.0, 200.0, 300.0]);
        assert_eq!(
            texts(&found[0]),
            [
                [(0, "r0c0", false), (1, "r0c1", false), (2, "r0c2", false)],
                [(0, "r1c0", false), (1, "r1c1", false), (2, "r1c2", false)],
                [(0, "r2c0", false), (1, "r2c1", false), (2, "r2c2", false)],
            ]
        );
        assert_eq!(rest.len(), "dehors".len());
    }

    #[test]
    fn a_row_without_inner_borders_is_one_cell() {
        // The middle row has no inner vertical rules: one cell across the table.
        let mut rules = Rules::default();
        for y in [0.0, 20.0, 40.0, 60.0] {
            rules.segment((0.0, y), (300.0, y));
        }
        for x in [0.0, 300.0] {
            rules.segment((x, 0.0), (x, 60.0));
        }
        for x in [100.0, 200.0] {
            rules.segment((x, 0.0), (x, 20.0));
            // Drawn as thin filled boxes, as some producers do.
            rules.thin_box((x - 0.25, 40.0, x + 0.25, 60.0));
        }
        let mut glyphs = word(5.0, 15.0, "a");
        glyphs.extend(word(105.0, 15.0, "b"));
        glyphs.extend(word(5.0, 35.0, "Objectif opérationnel 1.1 : un titre long"));
        glyphs.extend(word(5.0, 55.0, "c"));
        glyphs.extend(word(205.0, 55.0, "d"));
        let (found, _) = tables(rules, glyphs);
        assert_eq!(
            texts(&found[0]),
            vec![
                vec![(0, "a", false), (1, "b", false)],
                vec![(0, "Objectif opérationnel 1.1 : un titre long", false)],
                vec![(0, "c", false), (2, "d", false)],
            ]
        );
    }

    #[test]
    fn a_wrapped_cell_is_one_text_and_a_rowspan_is_copied() {
        let mut rules = grid_rules(&[0.0, 100.0, 200.0], &[0.0, 40.0, 60.0]);
        // The first column spans both rows: its inner border is missing there.
        rules.horizontal.clear();
        for y in [0.0, 60.0] {
            rules.segment((0.0, y), (200.0, y));
        }
        rules.segment((100.0, 40.0), (200.0, 40.0));
        let mut glyphs = word(5.0, 12.0, "Un");
        glyphs.extend(word(105.0, 12.0, "premier"));
        glyphs.extend(word(105.0, 24.0, "long"));
        glyphs.extend(word(105.0, 36.0, "texte"));
        glyphs.extend(word(105.0, 55.0, "suite"));
        let (found, rest) = tables(rules, glyphs);
        assert!(rest.is_empty());
        assert_eq!(
            texts(&found[0]),
            vec![
                vec![(0, "Un", false), (1, "premier long texte", false)],
                vec![(0, "Un", true), (1, "suite", false)],
            ]
        );
    }

    #[test]
    fn a_flood_of_rules_or_tables_is_no_table() {
        // 2 000 × 2 000 crossing rules: four million rectangles, over the cap.
        let positions: Vec<f64> = (0..2000).map(|i| f64::from(i) * 3.0).collect();
        let rules = grid_rules(&positions, &positions);
        let glyphs = word(1.0, 2.5, "x");
        let (found, rest) = tables(rules, glyphs);
        assert!(found.is_empty());
        assert_eq!(rest.len(), 1);
        // Eighty small tables side by side: a form, its glyphs stay lines.
        let mut rules = Rules::default();
        for table in 0..80 {
            let x = f64::from(table) * 20.0;
            let small = grid_rules(&[x, x + 4.0, x + 8.0], &[0.0, 20.0]);
            rules.horizontal.extend(small.horizontal);
            rules.vertical.extend(small.vertical);
        }
        assert!(tables(rules, word(1.0, 15.0, "y")).0.is_empty());
    }

    #[test]
    fn bulleted_lines_in_a_cell_are_its_lines() {
        let rules = grid_rules(&[0.0, 100.0, 300.0], &[0.0, 60.0]);
        let mut glyphs = word(5.0, 15.0, "Pilotes");
        glyphs.extend(word(105.0, 15.0, "• LM"));
        glyphs.extend(word(105.0, 30.0, "• MR"));
        glyphs.extend(word(105.0, 45.0, "et DB"));
        let (found, _) = tables(rules, glyphs);
        assert_eq!(
            texts(&found[0]),
            [[(0, "Pilotes", false), (1, "• LM\u{2028}• MR et DB", false)]]
        );
    }

    #[test]
    fn a_single_box_and_loose_lines_are_no_table() {
        // A framed box, and a stack of boxes one column wide: lines, not a table.
        let rules = grid_rules(&[0.0, 300.0], &[0.0, 30.0, 60.0]);
        let glyphs = word(5.0, 15.0, "encadré");
        let (found, rest) = tables(rules, glyphs);
        assert!(found.is_empty());
        assert_eq!(rest.len(), "encadré".chars().count());
        let mut rules = Rules::default();
        rules.segment((0.0, 10.0), (100.0, 10.0));
        rules.segment((0.0, 30.0), (100.0, 30.0));
        rules.segment((f64::NAN, 0.0), (5.0, 0.0));
        assert!(tables(rules, Vec::new()).0.is_empty());
    }
}
