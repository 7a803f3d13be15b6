//! Two-column pages in plain text (a brochure saved by `pdftotext -layout`): the left
//! column's lines are read first, then the right column's, page by page, each half
//! keeping its line number. A page is two columns when many of its lines have text
//! starting at one column after a gap of three spaces or more, no text runs across that
//! column, and the lines are not a table (few have three pieces or more).

/// Gap between two columns, in spaces.
const GUTTER: usize = 3;
/// How far left of the most common start a column's own start may be.
const COLUMN_INDENT: usize = 4;
/// Lines with text on both sides of the gutter needed to call a page two columns.
const MIN_SUPPORT: usize = 6;
/// The same on a page of a document whose other pages are two columns.
const MIN_SUPPORT_BESIDE: usize = 3;

/// The lines of `text` in reading order, when some page of it is set in two columns;
/// `None` when no page is.
pub(crate) fn reading_order(text: &str) -> Option<Vec<(u32, String)>> {
    // Cheap first look: enough lines with a gap of three spaces before more text.
    let gapped = crate::lines::numbered_lines(text)
        .filter(|(_, line)| {
            line.trim_start()
                .find("   ")
                .is_some_and(|at| !line.trim_start()[at..].trim().is_empty())
        })
        .take(MIN_SUPPORT_BESIDE)
        .count();
    if gapped < MIN_SUPPORT_BESIDE {
        return None;
    }
    let lines: Vec<(u32, &str)> = crate::lines::numbered_lines(text).collect();
    // Pages: a form feed starts one.
    let mut pages: Vec<&[(u32, &str)]> = Vec::new();
    let mut start = 0;
    for (index, (_, line)) in lines.iter().enumerate() {
        if index > start && line.contains('\u{c}') {
            pages.push(&lines[start..index]);
            start = index;
        }
    }
    pages.push(&lines[start..]);
    // A page of few lines takes the columns of the document's other pages.
    let cuts: Vec<Option<usize>> = pages.iter().map(|p| gutter(p, MIN_SUPPORT)).collect();
    let known: Vec<usize> = cuts.iter().flatten().copied().collect();
    let mut any = false;
    let mut out = Vec::with_capacity(lines.len());
    for (page, cut) in pages.into_iter().zip(cuts) {
        let cut = cut.or_else(|| {
            gutter(page, MIN_SUPPORT_BESIDE)
                .filter(|cut| known.iter().any(|k| k.abs_diff(*cut) <= COLUMN_INDENT))
        });
        match cut {
            Some(cut) => {
                any = true;
                let mut right = Vec::new();
                for &(number, line) in page {
                    let chars: Vec<char> = line.replace('\u{c}', "").chars().collect();
                    let split = cut.min(chars.len());
                    let left: String = chars[..split].iter().collect();
                    out.push((number, left.trim_end().to_owned()));
                    let rest: String = chars[split..].iter().collect();
                    right.push((number, rest.trim_end().to_owned()));
                }
                out.push((page.last().map_or(0, |&(n, _)| n), String::new()));
                out.extend(right);
            }
            None => out.extend(page.iter().map(|&(n, l)| (n, l.to_owned()))),
        }
    }
    any.then_some(out)
}

/// Where the right column starts on a page set in two columns.
fn gutter(page: &[(u32, &str)], min_support: usize) -> Option<usize> {
    let mut starts: Vec<usize> = Vec::new();
    let mut pieces_of_three = 0;
    let mut with_text = 0;
    for (_, line) in page {
        let chars: Vec<char> = line.chars().collect();
        let pieces = pieces(&chars);
        if pieces.is_empty() {
            continue;
        }
        with_text += 1;
        if pieces.len() >= 3 {
            pieces_of_three += 1;
        }
        // A right-hand piece: after a gap, or a line that starts far right.
        starts.extend(pieces.iter().skip(1).map(|&(start, _)| start));
        if let [(start, _)] = pieces.as_slice()
            && *start >= 25
        {
            starts.push(*start);
        }
    }
    if with_text == 0 || pieces_of_three * 5 > with_text {
        return None;
    }
    // The most common start; the column starts there or a little to its left (the
    // column's indented lines are the most common).
    let mut counts = std::collections::HashMap::<usize, usize>::new();
    for &start in &starts {
        *counts.entry(start).or_default() += 1;
    }
    let (&mode, _) = counts
        .iter()
        .max_by_key(|&(&start, &count)| (count, start))?;
    let near: Vec<usize> = starts
        .iter()
        .copied()
        .filter(|&s| s + COLUMN_INDENT >= mode && s <= mode + 1)
        .collect();
    let cut = near.iter().copied().min()?;
    if near.len() < min_support || !(25..=120).contains(&cut) {
        return None;
    }
    let long = page.iter().filter(|(_, l)| l.chars().count() > cut).count();
    if near.len() * 10 < long * 4 {
        return None;
    }
    // No text runs across the gutter.
    let crossing = page
        .iter()
        .filter(|(_, line)| {
            let chars: Vec<char> = line.chars().collect();
            chars.len() > cut && !chars[cut - 1].is_whitespace() && !chars[cut].is_whitespace()
        })
        .count();
    (crossing <= 1).then_some(cut)
}

/// The pieces of a line: runs of text separated by `GUTTER` spaces or more, as (start,
/// end) columns.
fn pieces(chars: &[char]) -> Vec<(usize, usize)> {
    let mut pieces = Vec::new();
    let mut start: Option<usize> = None;
    let mut spaces = 0;
    for (column, c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            spaces += 1;
            continue;
        }
        match start {
            None => start = Some(column),
            Some(begin) if spaces >= GUTTER => {
                pieces.push((begin, column - spaces));
                start = Some(column);
            }
            Some(_) => {}
        }
        spaces = 0;
    }
    if let Some(begin) = start {
        pieces.push((begin, chars.len() - spaces));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_columns_read_left_then_right() {
        let mut text = String::new();
        for i in 0..8 {
            let (left, right) = (format!("gauche {i} texte"), format!("droite {i} texte"));
            text += &format!("{left:<40}{right}\n");
        }
        let order = reading_order(&text).expect("two columns");
        let texts: Vec<&str> = order
            .iter()
            .map(|(_, l)| l.as_str())
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(texts[0], "gauche 0 texte");
        assert_eq!(texts[7], "gauche 7 texte");
        assert_eq!(texts[8], "droite 0 texte");
        assert_eq!(order.iter().filter(|(n, _)| *n == 1).count(), 2);
    }

    #[test]
    fn a_table_and_prose_are_not_columns() {
        let mut table = String::new();
        for i in 0..8 {
            table += &format!(
                "{:<10}{:<30}{:<20}2026\n",
                format!("1.1.{i}"),
                "Titre",
                "Pilote"
            );
        }
        assert!(reading_order(&table).is_none());
        assert!(reading_order("Une ligne.\nUne autre ligne de prose.\n").is_none());
    }
}
