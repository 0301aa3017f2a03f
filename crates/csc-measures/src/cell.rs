//! Text from the input as it is written for people: a CSV cell a spreadsheet will not run as a
//! formula ([`csv_field`]), and text a terminal will not obey ([`printable`]).
//!
//! Child identifiers, codes, file names and header text come from files that someone else
//! wrote. Every CSV the project writes for people (the drill-down rows of `--records`, the work
//! list of `check --format csv`, the cleaned tables of `csc-measures tables`, the measures and
//! series tables) writes each text cell through [`csv_field`], and every text rendering for a
//! terminal writes each input value through [`printable`].

use std::borrow::Cow;

/// How a CSV writer treats a text cell that a spreadsheet would read as a formula.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum CsvCells {
    /// A cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is written with a
    /// `'` before it, as the OWASP guidance on CSV injection advises: Excel and `LibreOffice` then
    /// show it as text (`'=1+1` shows as `=1+1`) instead of evaluating it. The default, since the
    /// files are meant to be opened by analysts.
    #[default]
    Neutralised,
    /// Every cell exactly as it is (quoted when it must be): for a program that reads the file,
    /// which would otherwise see the `'` (`--csv-raw`).
    Raw,
}

/// Whether a spreadsheet may read a cell that begins with `c` as a formula (OWASP: `=`, `+`,
/// `-`, `@`, tab, carriage return).
fn formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// One CSV text cell: a cell a spreadsheet could run as a formula gets a `'` before it (under
/// [`CsvCells::Neutralised`]); then a cell holding a comma, a double quote or a line end is
/// quoted, its quotes doubled (RFC 4180).
///
/// ```
/// use csc_measures::cell::{CsvCells, csv_field};
/// assert_eq!(csv_field("C123", CsvCells::Neutralised), "C123");
/// assert_eq!(csv_field("=1+1", CsvCells::Neutralised), "'=1+1");
/// assert_eq!(csv_field("@SUM(1+1)", CsvCells::Neutralised), "'@SUM(1+1)");
/// assert_eq!(csv_field("+cmd|' /C calc'!A0", CsvCells::Neutralised), "'+cmd|' /C calc'!A0");
/// assert_eq!(csv_field("-2+3,4", CsvCells::Neutralised), "\"'-2+3,4\"");
/// assert_eq!(csv_field("a \"b\"", CsvCells::Neutralised), "\"a \"\"b\"\"\"");
/// assert_eq!(csv_field("=1+1", CsvCells::Raw), "=1+1");
/// ```
#[must_use]
pub fn csv_field(s: &str, cells: CsvCells) -> Cow<'_, str> {
    let guarded: Cow<'_, str> =
        if cells == CsvCells::Neutralised && s.chars().next().is_some_and(formula_start) {
            Cow::Owned(format!("'{s}"))
        } else {
            Cow::Borrowed(s)
        };
    if guarded.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", guarded.replace('"', "\"\"")))
    } else {
        guarded
    }
}

/// Whether a terminal may act on `c` rather than show it: the C0 and C1 control characters and
/// DEL (escape sequences, NUL, line ends that could forge a report line), and the Unicode
/// direction overrides and isolates that reorder what is shown.
fn unprintable(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every character a terminal would act on written as an escape instead (`\n`, `\r`,
/// `\t`, `\0`, and `\u{1b}` for the others), so that a value from a file shows what it holds and
/// can never colour, move or forge what the terminal shows. Text without such characters comes
/// back as it is.
///
/// ```
/// use csc_measures::cell::printable;
/// assert_eq!(printable("C123"), "C123");
/// assert_eq!(printable("\u{1b}[31mRED\u{1b}[0m"), "\\u{1b}[31mRED\\u{1b}[0m");
/// assert_eq!(printable("A1\nfake: 0 issues"), "A1\\nfake: 0 issues");
/// assert_eq!(printable("x\u{0}y\u{202e}z"), "x\\0y\\u{202e}z");
/// ```
#[must_use]
pub fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unprintable) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if unprintable(c) => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_formula_start_is_neutralised_and_nothing_else() {
        for start in ['=', '+', '-', '@', '\t', '\r'] {
            let s = format!("{start}1");
            let out = csv_field(&s, CsvCells::Neutralised);
            assert!(out.trim_start_matches('"').starts_with('\''), "{out:?}");
            assert_eq!(csv_field(&s, CsvCells::Raw).trim_matches('"'), s);
        }
        for s in ["", "A1", "1=1", "'quoted", " =x"] {
            assert_eq!(csv_field(s, CsvCells::Neutralised), s);
        }
    }

    #[test]
    fn printable_escapes_each_control_character() {
        for c in (0u32..0x20).chain(0x7f..0xa0).filter_map(char::from_u32) {
            let s = format!("a{c}b");
            let out = printable(&s);
            assert!(!out.chars().any(char::is_control), "{out:?}");
            assert!(out.starts_with("a\\") && out.ends_with('b'), "{out:?}");
        }
        assert_eq!(printable("Zoë 😀"), "Zoë 😀");
    }
}
