//! The table and CSV forms of results.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use csc_measures::quality::{Issue, IssueCode};

use csc_measures::Period;
use csc_measures::json::csv_field;
use csc_measures::report::value_text;
use csc_measures::result::{MeasureResult, Polarity, ValueKind};

/// `↑ higher is better`, `↓ lower is better`, `· neither`.
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

/// Aligned columns: id, value, numerator, denominator, unit, polarity, warnings.
pub fn write_table(
    period: Period,
    source: &str,
    results: &[MeasureResult],
    issues: usize,
    w: &mut impl Write,
) -> io::Result<()> {
    writeln!(w, "{source}")?;
    writeln!(w, "Period {} to {}\n", period.start(), period.end())?;
    writeln!(
        w,
        "{:<27} {:>10} {:>10} {:>11}  {:<12} {:<2} warnings",
        "measure", "value", "numerator", "denominator", "unit", ""
    )?;
    for r in results {
        let warnings: Vec<&str> = r.warnings.iter().map(|w| w.as_str()).collect();
        let excluded: u64 = r.excluded.values().sum();
        let mut notes = warnings.join(", ");
        if excluded > 0 {
            if !notes.is_empty() {
                notes.push_str("; ");
            }
            let _ = write!(notes, "{excluded} excluded");
        }
        writeln!(
            w,
            "{:<27} {:>10} {:>10} {:>11}  {:<12} {:<2} {}",
            r.id.as_str(),
            value_text(r),
            opt(r.numerator),
            opt(r.denominator),
            r.id.unit().as_str(),
            arrow(r.id.polarity()),
            notes
        )?;
    }
    writeln!(
        w,
        "\n↑ higher is better, ↓ lower is better, · neither. {issues} data-quality entries (--format json lists them)."
    )
}

/// One CSV row per measure.
pub fn write_csv(results: &[MeasureResult], w: &mut impl Write) -> io::Result<()> {
    writeln!(
        w,
        "id,title,unit,polarity,period_start,period_end,numerator,denominator,value,excluded,warnings"
    )?;
    for r in results {
        let excluded: Vec<String> = r.excluded.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let warnings: Vec<&str> = r.warnings.iter().map(|w| w.as_str()).collect();
        let value = r.value.map(|v| match r.value_kind() {
            ValueKind::Percentage => v.to_string(),
            _ => format!("{v:.0}"),
        });
        writeln!(
            w,
            "{},{},{},{},{},{},{},{},{},{},{}",
            r.id.as_str(),
            csv_field(r.id.title()),
            r.id.unit().as_str(),
            r.id.polarity().as_str(),
            r.period.start(),
            r.period.end(),
            opt(r.numerator),
            opt(r.denominator),
            value.unwrap_or_default(),
            csv_field(&excluded.join(";")),
            csv_field(&warnings.join(";"))
        )?;
    }
    Ok(())
}

/// The load report for people: each code with its count, severity and meaning, then up to
/// `examples` entries with their location.
pub fn write_issue_report(issues: &[Issue], examples: usize, w: &mut impl Write) -> io::Result<()> {
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

/// An entry without its code, which the heading gives.
struct Example<'a>(&'a Issue);

impl std::fmt::Display for Example<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let i = self.0;
        if let Some(loc) = &i.location {
            write!(f, "{loc}: ")?;
        }
        if let Some(c) = &i.child {
            write!(f, "child {c}")?;
            if let Some(r) = i.record {
                write!(f, ", record {r}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", i.message)
    }
}
