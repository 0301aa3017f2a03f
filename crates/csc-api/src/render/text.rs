//! Text for people: the results as aligned columns, and the load report (what each file held,
//! the returns, what was loaded, and every data-quality entry grouped by code).
//!
//! Every value that comes from the input (a child id, a file name, a code, header text inside a
//! message) is written through [`printable`]: a control character in it (an escape sequence, a
//! NUL, a line end that could forge a report line) is shown as an escape (`\u{1b}`, `\n`) and
//! never reaches the terminal.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

pub use csc_measures::cell::printable;
use csc_measures::quality::{Issue, IssueCode};
use csc_measures::result::{MeasureResult, Polarity, ValueKind};

use crate::load::Loaded;
use crate::run::Response;

/// What every surface shows where the value of a `no_data` result would be (spec 3.1): words,
/// never a blank or a 0 that reads as "none".
pub use csc_measures::result::NO_DATA_TEXT;

/// A value for people: `22.9%`, `1234`, `412 days` (one decimal place for percentages; rounding is
/// for presentation only); [`NO_DATA_TEXT`], "no data loaded for this period", when the returns
/// loaded do not cover the period (spec 3.1); `-` when the value is null on data that is loaded
/// (a zero denominator).
#[must_use]
pub fn value_text(r: &MeasureResult) -> String {
    match (r.value, r.value_kind()) {
        (None, _) if r.is_no_data() => NO_DATA_TEXT.to_owned(),
        (None, _) => "-".to_owned(),
        (Some(v), ValueKind::Percentage) => format!("{v:.1}%"),
        (Some(v), ValueKind::Count) => format!("{v:.0}"),
        (Some(v), ValueKind::MeanDays) => format!("{v:.0} days"),
        (Some(v), ValueKind::Mean) => format!("{v:.1}"),
    }
}

/// `↑` higher is better, `↓` lower is better, `·` neither.
#[must_use]
pub fn arrow(p: Polarity) -> &'static str {
    match p {
        Polarity::Higher => "↑",
        Polarity::Lower => "↓",
        _ => "·",
    }
}

fn opt(n: Option<u64>) -> String {
    n.map_or_else(String::new, |n| n.to_string())
}

/// The warnings and the count of exclusions of a result, for people.
fn notes(r: &MeasureResult) -> String {
    let warnings: Vec<&str> = r.warnings.iter().map(|w| w.as_str()).collect();
    let excluded: u64 = r.excluded.values().sum();
    let mut notes = warnings.join(", ");
    if excluded > 0 {
        if !notes.is_empty() {
            notes.push_str("; ");
        }
        let _ = write!(notes, "{excluded} excluded");
    }
    notes
}

/// The results as aligned columns (measure, value, numerator, denominator, unit, polarity,
/// warnings), after a line saying where the data came from; a series gets one block per period.
/// The last line counts the data-quality entries and ends with `hint` (where the caller can read
/// them).
pub fn measures(
    source: &str,
    response: &Response,
    issues: usize,
    hint: &str,
    w: &mut impl Write,
) -> io::Result<()> {
    writeln!(w, "{}", printable(source))?;
    if let Some(s) = response.series {
        writeln!(
            w,
            "Series {s}: {} periods from {} to {}",
            response.periods.len(),
            response.span.start(),
            response.span.end()
        )?;
    }
    for &p in &response.periods {
        writeln!(w, "Period {} to {}\n", p.start(), p.end())?;
        let iw = response
            .results
            .iter()
            .map(|r| r.id.as_str().len())
            .max()
            .unwrap_or(0)
            .max(7);
        // Wide enough for "no data loaded for this period" when a result has no data.
        let vw = response
            .results
            .iter()
            .filter(|r| r.period == p)
            .map(|r| value_text(r).chars().count())
            .max()
            .unwrap_or(0)
            .max(10);
        writeln!(
            w,
            "{:<iw$} {:>vw$} {:>10} {:>11}  {:<12} {:<2} warnings",
            "measure", "value", "numerator", "denominator", "unit", ""
        )?;
        for r in response.results.iter().filter(|r| r.period == p) {
            writeln!(
                w,
                "{:<iw$} {:>vw$} {:>10} {:>11}  {:<12} {:<2} {}",
                r.id.as_str(),
                value_text(r),
                opt(r.numerator),
                opt(r.denominator),
                r.unit.as_str(),
                arrow(r.id.polarity()),
                notes(r)
            )?;
        }
        if response.series.is_some() {
            writeln!(w)?;
        }
    }
    writeln!(
        w,
        "\n↑ higher is better, ↓ lower is better, · neither. {issues} data-quality entries{hint}."
    )
}

/// A response as an HTML table, captioned with its period or series: what a notebook shows.
#[must_use]
pub fn response_html(r: &Response) -> String {
    let caption = match r.series {
        Some(s) => format!(
            "Series {s}: {} periods from {} to {}",
            r.periods.len(),
            r.span.start(),
            r.span.end()
        ),
        None => format!(
            "{} measures, {} to {}",
            r.results.len(),
            r.span.start(),
            r.span.end()
        ),
    };
    measures_html(&r.results, &caption)
}

/// The results as an HTML table (measure, value, numerator, denominator, unit, excluded,
/// warnings), every cell escaped.
#[must_use]
pub fn measures_html(results: &[MeasureResult], caption: &str) -> String {
    let mut s = String::from("<table>");
    if !caption.is_empty() {
        let _ = write!(s, "<caption>{}</caption>", escape(caption));
    }
    s.push_str("<thead><tr>");
    for h in [
        "id",
        "period",
        "value",
        "numerator",
        "denominator",
        "unit",
        "excluded",
        "warnings",
    ] {
        let _ = write!(s, "<th>{h}</th>");
    }
    s.push_str("</tr></thead><tbody>");
    for r in results {
        let excluded: u64 = r.excluded.values().sum();
        let warnings: Vec<&str> = r.warnings.iter().map(|w| w.as_str()).collect();
        let cells = [
            r.id.as_str().to_owned(),
            format!("{} to {}", r.period.start(), r.period.end()),
            value_text(r),
            opt(r.numerator),
            opt(r.denominator),
            r.unit.as_str().to_owned(),
            if excluded > 0 {
                excluded.to_string()
            } else {
                String::new()
            },
            warnings.join(", "),
        ];
        s.push_str("<tr>");
        for c in cells {
            let _ = write!(s, "<td>{}</td>", escape(&c));
        }
        s.push_str("</tr>");
    }
    s.push_str("</tbody></table>");
    s
}

/// Escapes text for HTML.
#[must_use]
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The load report for people: each code with its count, severity and meaning, then up to
/// `examples` entries with their location.
pub fn issues(issues: &[Issue], examples: usize, w: &mut impl Write) -> io::Result<()> {
    let mut by_code: BTreeMap<IssueCode, Vec<&Issue>> = BTreeMap::new();
    for i in issues {
        by_code.entry(i.code).or_default().push(i);
    }
    if by_code.is_empty() {
        return writeln!(w, "\nno data-quality issues");
    }
    writeln!(w, "\ndata-quality report: {} entries", issues.len())?;
    for (code, list) in by_code {
        writeln!(
            w,
            "\n{code} ({}): {}\n  {}",
            code.severity().as_str(),
            list.len(),
            code.description()
        )?;
        for i in list.iter().take(examples) {
            writeln!(w, "  - {}", Example(i))?;
        }
        if list.len() > examples && examples > 0 {
            writeln!(
                w,
                "  ... and {} more (--all shows every entry)",
                list.len() - examples
            )?;
        }
    }
    Ok(())
}

/// What was loaded: each file with its table, rows and skipped rows; each return with its year;
/// the counts after the merge; then the data-quality report as a work list ([`crate::check`]):
/// the entries to read first (a table that loads nothing, a return probably given the wrong year),
/// then each grade (fix in the source system, check what was loaded, expected from the data you
/// loaded) with its codes, each with its count, children, the measures it touches, its meaning and
/// up to `examples` entries with their location.
///
/// ```
/// use csc_api::{Request, load, render};
/// let req = Request::from_json(r#"{"sample": {"children": 300}}"#)?;
/// let loaded = load(&req.inputs, &|_| {})?;
/// let mut out = Vec::new();
/// render::text::check(&loaded, 1, &mut out).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.contains("data-quality report"));
/// assert!(text.contains("== expected from the data you loaded"));
/// # Ok::<(), csc_measures::Error>(())
/// ```
pub fn check(loaded: &Loaded, examples: usize, w: &mut impl Write) -> io::Result<()> {
    use csc_measures::quality::Grade;
    let ds = &loaded.dataset;
    let list = crate::check::WorkList::new(loaded);
    writeln!(w, "{}\n", printable(&loaded.description))?;
    if !list.prominent.is_empty() {
        writeln!(w, "READ THIS FIRST")?;
        for i in &list.prominent {
            writeln!(w, "  ! [{}] {}", i.code, Located(i, list.location(i)))?;
        }
        writeln!(w)?;
    }
    if !loaded.files.is_empty() {
        writeln!(
            w,
            "{:<60} {:<16} {:>8} {:>8}",
            "file", "table", "rows", "skipped"
        )?;
        for f in &loaded.files {
            let flag = if f.rows > 0 && f.skipped == f.rows {
                "  <- nothing loaded"
            } else {
                ""
            };
            writeln!(
                w,
                "{:<60} {:<16} {:>8} {:>8}{flag}",
                printable(&f.path),
                printable(&f.table),
                f.rows,
                f.skipped
            )?;
        }
        writeln!(w)?;
    }
    for r in ds.returns() {
        let year = r
            .collection_year
            .map_or_else(|| "unknown".to_owned(), |y| y.to_string());
        let files: Vec<&str> = r.files.iter().map(|&i| &*ds.files()[i as usize]).collect();
        writeln!(
            w,
            "{} return, collection year {year}: {}",
            r.kind.as_str(),
            printable(&files.join(", "))
        )?;
    }
    writeln!(w, "\nloaded after the merge\n{}", ds.summary())?;
    if list.codes.is_empty() {
        return writeln!(w, "\nno data-quality issues");
    }
    let per_grade: Vec<String> = Grade::ALL
        .iter()
        .map(|&g| {
            let n: usize = list.of_grade(g).map(|c| c.entries.len()).sum();
            format!("{n} {}", g.label())
        })
        .collect();
    writeln!(
        w,
        "\ndata-quality report: {} entries ({})",
        list.entries(),
        per_grade.join("; ")
    )?;
    for &g in Grade::ALL {
        let n: usize = list.of_grade(g).map(|c| c.entries.len()).sum();
        if n == 0 {
            continue;
        }
        writeln!(w, "\n== {}: {} ==", g.label(), count(n, "entry", "entries"))?;
        for group in list.of_grade(g) {
            let code = group.code;
            let measures = measure_list(&group.measures);
            writeln!(
                w,
                "\n{code} ({}): {}, {}{measures}\n  {}",
                code.severity().as_str(),
                count(group.entries.len(), "entry", "entries"),
                count(group.children, "child", "children"),
                code.description()
            )?;
            for i in group.entries.iter().take(examples) {
                writeln!(w, "  - {}", Located(i, list.location(i)))?;
            }
            if group.entries.len() > examples && examples > 0 {
                writeln!(
                    w,
                    "  ... and {} more (--all shows every entry; --format csv lists them all)",
                    group.entries.len() - examples
                )?;
            }
        }
    }
    Ok(())
}

/// `1 entry`, `2 entries`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `; touches 3 measures: a, b, c` (the first eight, then how many more), or nothing.
fn measure_list(ids: &[csc_measures::MeasureId]) -> String {
    if ids.is_empty() {
        return String::new();
    }
    let shown: Vec<&str> = ids.iter().take(8).map(|m| m.as_str()).collect();
    let more = if ids.len() > 8 {
        format!(" and {} more", ids.len() - 8)
    } else {
        String::new()
    };
    format!(
        "; touches {}: {}{more}",
        count(ids.len(), "measure", "measures"),
        shown.join(", ")
    )
}

/// An entry without its code, at the location the work list gives it.
struct Located<'a>(&'a Issue, Option<csc_measures::quality::Location>);

impl std::fmt::Display for Located<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut i = self.0.clone();
        i.location.clone_from(&self.1);
        write!(f, "{}", Example(&i))
    }
}

/// The counts of what a dataset holds, then its entries counted by code.
pub fn summary(loaded: &Loaded, w: &mut impl Write) -> io::Result<()> {
    let ds = &loaded.dataset;
    writeln!(w, "{}\n", printable(&loaded.description))?;
    write!(w, "{}", ds.summary())?;
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for i in ds.issues() {
        *by_code.entry(i.code.as_str()).or_default() += 1;
    }
    if !by_code.is_empty() {
        writeln!(w, "\ndata-quality issues by code")?;
        for (code, n) in by_code {
            writeln!(w, "  {code:<24}{n:>10}")?;
        }
    }
    Ok(())
}

/// An entry without its code, which the heading gives; its location, child and message
/// [`printable`].
struct Example<'a>(&'a Issue);

impl std::fmt::Display for Example<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let i = self.0;
        if let Some(loc) = &i.location {
            write!(f, "{}: ", printable(&loc.to_string()))?;
        }
        if let Some(c) = &i.child {
            write!(f, "child {}", printable(c))?;
            if let Some(r) = i.record {
                write!(f, ", record {r}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", printable(&i.message))
    }
}
