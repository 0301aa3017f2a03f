//! CSV: one row per measure (per period, for a series), and the drill-down rows.
//!
//! Every text cell is written through [`csc_measures::cell::csv_field`]: a cell a spreadsheet
//! would run as a formula (a child id `=1+1`, `@SUM(..)`, `+cmd|..`, `-..`) gets a `'` before it,
//! as the OWASP guidance on CSV injection advises, so that opening a file in Excel or `LibreOffice`
//! never runs what a return held. [`records_with`] and [`check_with`] write the cells raw on
//! request ([`CsvCells::Raw`], the command line's `--csv-raw`), for programs.

use std::borrow::Cow;
use std::io::{self, Write};

pub use csc_measures::cell::CsvCells;
use csc_measures::cell::csv_field;
use csc_measures::result::{MeasureResult, Reason, RecordRow, ValueKind};

/// The drill-down CSV header of `--records`: the columns of spec 6, then `start` and `end`, the
/// dates a reader needs to check `value` by hand (what they are for each measure:
/// [`RowDoc`](csc_measures::measure::RowDoc), `csc-measures measures`).
pub const RECORDS_HEADER: &str =
    "measure,child,record,in_denominator,in_numerator,value,reason,start,end";

/// Writes the drill-down rows of `results` as CSV (header first; dates ISO; booleans true/false):
/// the columns of [`RECORDS_HEADER`], and, `with_period` (a series, where a measure has a result
/// per period), `period_start,period_end` after `measure`. A child id a spreadsheet would run as a
/// formula is written with a `'` before it ([`CsvCells::Neutralised`]).
///
/// ```
/// use csc_api::render::csv::{CsvCells, records, records_with};
/// use csc_measures::{MeasureId, Period, measure};
/// let ds = csc_synth::dataset(&csc_synth::Config { children: 300, ..Default::default() })?;
/// let year = Period::financial_year(2024)?;
/// let mut r = measure::compute(&ds, MeasureId::ClaAtEnd, year, &Default::default());
/// r.rows.truncate(1);
/// r.rows[0].child = "=1+1".into();
/// let mut out = Vec::new();
/// records(std::slice::from_ref(&r), false, &mut out).unwrap();
/// assert!(String::from_utf8(out).unwrap().contains("\ncla_at_end,'=1+1,"));
/// let mut raw = Vec::new();
/// records_with(&[r], false, CsvCells::Raw, &mut raw).unwrap();
/// assert!(String::from_utf8(raw).unwrap().contains("\ncla_at_end,=1+1,"));
/// # Ok::<(), csc_measures::Error>(())
/// ```
pub fn records(results: &[MeasureResult], with_period: bool, w: &mut impl Write) -> io::Result<()> {
    records_with(results, with_period, CsvCells::Neutralised, w)
}

/// [`records`], each text cell written as `cells` says.
pub fn records_with(
    results: &[MeasureResult],
    with_period: bool,
    cells: CsvCells,
    w: &mut impl Write,
) -> io::Result<()> {
    if with_period {
        writeln!(
            w,
            "measure,period_start,period_end,{}",
            &RECORDS_HEADER["measure,".len()..]
        )?;
    } else {
        writeln!(w, "{RECORDS_HEADER}")?;
    }
    for r in results {
        let id = if with_period {
            format!("{},{},{}", r.id.as_str(), r.period.start(), r.period.end())
        } else {
            r.id.as_str().to_owned()
        };
        for row in &r.rows {
            record_row(&id, row, cells, w)?;
        }
    }
    Ok(())
}

fn record_row(id: &str, row: &RecordRow, cells: CsvCells, w: &mut impl Write) -> io::Result<()> {
    let child = csv_field(&row.child, cells);
    let record = row.record.map(|d| d.to_string()).unwrap_or_default();
    let value = row.value.map(|v| v.to_string()).unwrap_or_default();
    let reason = row.reason.map(Reason::as_str).unwrap_or_default();
    let start = row.start.map(|d| d.to_string()).unwrap_or_default();
    let end = row.end.map(|d| d.to_string()).unwrap_or_default();
    writeln!(
        w,
        "{id},{child},{record},{},{},{value},{reason},{start},{end}",
        row.in_denominator, row.in_numerator
    )
}

/// One CSV text cell: a `'` before a cell a spreadsheet would run as a formula, then quoted when
/// it needs it ([`csv_field`] with [`CsvCells::Neutralised`]).
///
/// ```
/// assert_eq!(csc_api::render::csv::field("@SUM(1+1)"), "'@SUM(1+1)");
/// assert_eq!(csc_api::render::csv::field("a,b"), "\"a,b\"");
/// ```
#[must_use]
pub fn field(s: &str) -> Cow<'_, str> {
    csv_field(s, CsvCells::Neutralised)
}

fn opt(n: Option<u64>) -> String {
    n.map_or_else(String::new, |n| n.to_string())
}

/// One CSV row per result: id, title, unit, polarity, period, numerator, denominator, value,
/// exclusions (`reason=n;...`) and warnings (`;`-separated).
pub fn measures(results: &[MeasureResult], w: &mut impl Write) -> io::Result<()> {
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
            field(&csc_measures::measure::options::title(r.id, &r.options)),
            r.unit.as_str(),
            r.id.polarity().as_str(),
            r.period.start(),
            r.period.end(),
            opt(r.numerator),
            opt(r.denominator),
            value.unwrap_or_default(),
            field(&excluded.join(";")),
            field(&warnings.join(";"))
        )?;
    }
    Ok(())
}

/// The long table of a series (or of any results) as CSV: `measure,unit,period_start,period_end,
/// numerator,denominator,value,warnings` (`;`-separated), then the exclusions and extras
/// flattened ([`csc_measures::flat`]); empty for null. The same columns as the Arrow table
/// `csc_arrow::results::series` and the JSON rows of [`crate::render::json::series`].
pub fn series(results: &[MeasureResult], w: &mut impl Write) -> io::Result<()> {
    use csc_measures::flat::{Cell, FlatTable};
    let flat = FlatTable::of(results);
    write!(
        w,
        "measure,unit,period_start,period_end,numerator,denominator,value,warnings"
    )?;
    for c in &flat.columns {
        write!(w, ",{}", field(&c.name))?;
    }
    writeln!(w)?;
    for (r, cells) in results.iter().zip(&flat.cells) {
        let warnings: Vec<&str> = r.warnings.iter().map(|w| w.as_str()).collect();
        write!(
            w,
            "{},{},{},{},{},{},{},{}",
            r.id.as_str(),
            r.unit.as_str(),
            r.period.start(),
            r.period.end(),
            opt(r.numerator),
            opt(r.denominator),
            r.value.map(|v| v.to_string()).unwrap_or_default(),
            field(&warnings.join(";"))
        )?;
        for cell in cells {
            match cell {
                Cell::Int(n) => write!(w, ",{n}")?,
                Cell::Float(x) => write!(w, ",{x}")?,
                Cell::Flag(b) => write!(w, ",{b}")?,
                Cell::Null => write!(w, ",")?,
            }
        }
        writeln!(w)?;
    }
    Ok(())
}

/// The header of [`check`]'s CSV.
pub const CHECK_HEADER: &str =
    "grade,severity,code,file,line,path,column,value,child,record,message";

/// The work list of `check --format csv`: one row per data-quality entry, in work-list order (by
/// grade, fix in the source system first, then by code; each code's entries in load order), with
/// the columns of [`CHECK_HEADER`]; empty for none. The path of an entry the merge found in an XML
/// file is its child's element ([`WorkList::location`](crate::check::WorkList::location)).
///
/// ```
/// use csc_api::{Request, check::WorkList, load, render};
/// let req = Request::from_json(r#"{"sample": {"children": 300}}"#)?;
/// let loaded = load(&req.inputs, &|_| {})?;
/// let mut out = Vec::new();
/// render::csv::check(&WorkList::new(&loaded), &mut out).unwrap();
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with("grade,severity,code,file,line,path,column,value,child,record,message\n"));
/// assert_eq!(text.lines().count(), 1 + loaded.dataset.issues().len());
/// # Ok::<(), csc_measures::Error>(())
/// ```
pub fn check(list: &crate::check::WorkList<'_>, w: &mut impl Write) -> io::Result<()> {
    check_with(list, CsvCells::Neutralised, w)
}

/// [`check`], each text cell written as `cells` says.
pub fn check_with(
    list: &crate::check::WorkList<'_>,
    cells: CsvCells,
    w: &mut impl Write,
) -> io::Result<()> {
    let field = |s: &str| csv_field(s, cells).into_owned();
    writeln!(w, "{CHECK_HEADER}")?;
    for group in &list.codes {
        for i in &group.entries {
            let loc = list.location(i).unwrap_or_default();
            writeln!(
                w,
                "{},{},{},{},{},{},{},{},{},{},{}",
                i.code.grade().as_str(),
                i.code.severity().as_str(),
                i.code.as_str(),
                field(loc.file.as_deref().unwrap_or_default()),
                loc.line.map(|l| l.to_string()).unwrap_or_default(),
                field(loc.path.as_deref().unwrap_or_default()),
                field(loc.column.as_deref().unwrap_or_default()),
                field(loc.value.as_deref().unwrap_or_default()),
                field(i.child.as_deref().unwrap_or_default()),
                i.record.map(|d| d.to_string()).unwrap_or_default(),
                field(&i.message),
            )?;
        }
    }
    Ok(())
}
