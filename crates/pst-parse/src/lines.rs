//! Lines of a text with their 1-based numbers, whatever the line endings (LF, CRLF, CR).

/// Splits `text` into lines on `\n`, `\r\n` or a lone `\r`; numbers start at 1.
pub(crate) fn numbered_lines(text: &str) -> impl Iterator<Item = (u32, &str)> + Clone {
    let mut rest = Some(text);
    let mut number = 0u32;
    std::iter::from_fn(move || {
        let current = rest?;
        number = number.saturating_add(1);
        match current.find(['\n', '\r']) {
            Some(end) => {
                let after = if current[end..].starts_with("\r\n") {
                    end + 2
                } else {
                    end + 1
                };
                rest = Some(&current[after..]);
                Some((number, &current[..end]))
            }
            None => {
                rest = None;
                (!current.is_empty()).then_some((number, current))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::numbered_lines;

    #[test]
    fn every_line_ending_counts_once() {
        let lines: Vec<_> = numbered_lines("a\nb\r\nc\rd\n\ne").collect();
        assert_eq!(
            lines,
            vec![(1, "a"), (2, "b"), (3, "c"), (4, "d"), (5, ""), (6, "e")]
        );
        assert_eq!(numbered_lines("a\n").count(), 1);
        assert_eq!(numbered_lines("").count(), 0);
    }
}
