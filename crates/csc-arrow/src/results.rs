//! Results out as tables: the measures' results, their drill-down rows, the load report and the
//! scorecard as Arrow record batches, the same for every surface (Python's tables are these).
//!
//! * [`measures`]: one row per result (per measure, and per period for a series): `id`, `title`,
//!   `unit`, `polarity`, `period_start`, `period_end`, `numerator`, `denominator`, `value`,
//!   `note` (the value in words when there is none: "no data loaded for this period" when the
//!   returns loaded do not cover the period, "none in the denominator" for a ratio over nothing;
//!   [`MeasureResult::note`]), `excluded`, `warnings`, `extras`, `options`;
//! * [`records`]: one row per record a result looked at (spec 6): `measure`, `period_start`,
//!   `period_end`, `child`, `record`, `in_denominator`, `in_numerator`, `value`, `reason`, then
//!   `start` and `end` (the dates that check `value` by hand), with what each measure's columns
//!   hold in the metadata;
//! * [`issues`]: one row per data-quality entry: `code`, `severity`, `child`, `record`,
//!   `message`, `file`, `line`, `path`, `column`, `value`;
//! * [`scorecard`]: one row per line of a scorecard, this year's result and the previous year's.
//!
//! Dates are `date32`, counts and line numbers `int64` (signed, so that pandas' `fillna(-1)` and
//! differences of counts work), values `float64` (null when absent), flags `bool`, lists of
//! warnings `list<utf8>`. The columns whose values are objects of varying shape (`excluded`,
//! `extras`, `options`) are JSON text, marked with the field metadata [`JSON`]` = "true"`, written
//! by [`csc_measures::json`] in the shape of the JSON response: `excluded` an object of counts by reason; `options` the values in
//! force by key (whole numbers as numbers, the rest as strings); `extras` each extra by its kind
//! (counts an object of integers, quartiles `{"p25", "median", "p75"}`, numbers and flags as
//! themselves, absent values `null`), whatever its name.
//!
//! ```
//! use csc_measures::measure::{MeasureId, Options, compute};
//! use csc_measures::records::{CinEpisode, CinReturn};
//! use csc_measures::{DatasetBuilder, Period};
//! let mut ret = CinReturn::default();
//! ret.episodes.push(CinEpisode { child: "A".into(), referral_date: "2023-05-01".parse()?, ..Default::default() });
//! let ds = DatasetBuilder::new().cin(ret).build()?;
//! let r = compute(&ds, MeasureId::Referrals, Period::financial_year(2024)?, &Options::default());
//! let table = csc_arrow::results::measures(std::slice::from_ref(&r));
//! assert_eq!(table.num_rows(), 1);
//! assert_eq!(table.schema().field(0).name(), "id");
//! let records = csc_arrow::results::records(std::slice::from_ref(&r));
//! assert_eq!(records.num_rows(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use csc_measures::Day;
use csc_measures::json;
use csc_measures::quality::{Issue, Location};
use csc_measures::result::{MeasureResult, Reason};

/// The field metadata key that marks a column of JSON text.
pub const JSON: &str = "csc_measures.json";

/// Columns being assembled into a record batch.
#[derive(Default)]
pub(crate) struct Columns {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
}

impl Columns {
    fn push(&mut self, field: Field, array: ArrayRef) -> &mut Columns {
        self.fields.push(field);
        self.arrays.push(array);
        self
    }

    /// A text column.
    pub(crate) fn text<'a>(
        &mut self,
        name: &str,
        v: impl IntoIterator<Item = Option<&'a str>>,
    ) -> &mut Columns {
        let mut b = StringBuilder::new();
        for x in v {
            b.append_option(x);
        }
        self.push(Field::new(name, DataType::Utf8, true), Arc::new(b.finish()))
    }

    /// A JSON text column.
    pub(crate) fn json(&mut self, name: &str, v: impl IntoIterator<Item = String>) -> &mut Columns {
        let mut b = StringBuilder::new();
        for x in v {
            b.append_value(x);
        }
        let meta = HashMap::from([(JSON.to_owned(), "true".to_owned())]);
        self.push(
            Field::new(name, DataType::Utf8, false).with_metadata(meta),
            Arc::new(b.finish()),
        )
    }

    /// A date column.
    pub(crate) fn date(
        &mut self,
        name: &str,
        v: impl IntoIterator<Item = Option<Day>>,
    ) -> &mut Columns {
        let mut b = Date32Builder::new();
        for x in v {
            b.append_option(x.map(Day::get));
        }
        self.push(
            Field::new(name, DataType::Date32, true),
            Arc::new(b.finish()),
        )
    }

    /// A count column, signed (`int64`): a count never exceeds `i64::MAX`, and a signed type lets
    /// analysts subtract counts and fill gaps with `-1`.
    pub(crate) fn count(
        &mut self,
        name: &str,
        v: impl IntoIterator<Item = Option<u64>>,
    ) -> &mut Columns {
        self.int(
            name,
            v.into_iter()
                .map(|x| x.map(|n| i64::try_from(n).unwrap_or(i64::MAX))),
        )
    }

    /// A line-number column, signed (`int64`) like the counts.
    pub(crate) fn line(
        &mut self,
        name: &str,
        v: impl IntoIterator<Item = Option<u32>>,
    ) -> &mut Columns {
        self.int(name, v.into_iter().map(|x| x.map(i64::from)))
    }

    /// A signed whole-number column.
    pub(crate) fn int(
        &mut self,
        name: &str,
        v: impl IntoIterator<Item = Option<i64>>,
    ) -> &mut Columns {
        let mut b = Int64Builder::new();
        for x in v {
            b.append_option(x);
        }
        self.push(
            Field::new(name, DataType::Int64, true),
            Arc::new(b.finish()),
        )
    }

    /// A float column.
    pub(crate) fn float(
        &mut self,
        name: &str,
        v: impl IntoIterator<Item = Option<f64>>,
    ) -> &mut Columns {
        let mut b = Float64Builder::new();
        for x in v {
            b.append_option(x);
        }
        self.push(
            Field::new(name, DataType::Float64, true),
            Arc::new(b.finish()),
        )
    }

    /// A boolean column.
    pub(crate) fn flag(
        &mut self,
        name: &str,
        v: impl IntoIterator<Item = Option<bool>>,
    ) -> &mut Columns {
        let mut b = BooleanBuilder::new();
        for x in v {
            b.append_option(x);
        }
        self.push(
            Field::new(name, DataType::Boolean, true),
            Arc::new(b.finish()),
        )
    }

    /// A list-of-text column (no null lists).
    pub(crate) fn list<I, S>(&mut self, name: &str, v: impl IntoIterator<Item = I>) -> &mut Columns
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let item = Arc::new(Field::new_list_field(DataType::Utf8, true));
        let mut b = ListBuilder::new(StringBuilder::new()).with_field(item);
        for row in v {
            for s in row {
                b.values().append_value(s);
            }
            b.append(true);
        }
        let array = b.finish();
        let field = Field::new(name, array.data_type().clone(), false);
        self.push(field, Arc::new(array))
    }

    /// The record batch.
    pub(crate) fn finish(self) -> RecordBatch {
        let schema = Arc::new(Schema::new(self.fields));
        RecordBatch::try_new(schema, self.arrays).unwrap_or_else(|e| {
            unreachable!("columns are built with equal lengths and their own types: {e}")
        })
    }
}

/// One row per result: the long format of results (a series has one row per measure and period).
#[must_use]
pub fn measures(results: &[MeasureResult]) -> RecordBatch {
    let mut c = Columns::default();
    // The title under the options in force ("within 20 working days").
    let titles: Vec<_> = results
        .iter()
        .map(|r| csc_measures::measure::options::title(r.id, &r.options))
        .collect();
    c.text("id", results.iter().map(|r| Some(r.id.as_str())))
        .text("title", titles.iter().map(|t| Some(t.as_ref())))
        .text("unit", results.iter().map(|r| Some(r.unit.as_str())))
        .text(
            "polarity",
            results.iter().map(|r| Some(r.id.polarity().as_str())),
        )
        .date(
            "period_start",
            results.iter().map(|r| Some(r.period.start())),
        )
        .date("period_end", results.iter().map(|r| Some(r.period.end())))
        .count("numerator", results.iter().map(|r| r.numerator))
        .count("denominator", results.iter().map(|r| r.denominator))
        .float("value", results.iter().map(|r| r.value))
        .text("note", results.iter().map(MeasureResult::note))
        .json(
            "excluded",
            results.iter().map(|r| json::excluded(r).to_string()),
        )
        .list(
            "warnings",
            results
                .iter()
                .map(|r| r.warnings.iter().map(|w| w.as_str()).collect::<Vec<_>>()),
        )
        .json(
            "extras",
            results.iter().map(|r| json::extras(r).to_string()),
        )
        .json(
            "options",
            results.iter().map(|r| json::options(r).to_string()),
        );
    c.finish()
}

/// The long table of a series (or of any results): one row per result, `measure`, `unit`,
/// `period_start`, `period_end`, `numerator`, `denominator`, `value`, `warnings`, then the
/// exclusions and extras flattened into columns ([`csc_measures::flat`]: `excluded.<reason>`,
/// `bands.same_day`, `quartiles.median`, `rate_per_10000`, ...; whole numbers `int64`, numbers
/// `float64`, flags `bool`, null where a result lacks the column or has no data).
///
/// ```
/// use csc_measures::measure::{MeasureId, Options, compute};
/// use csc_measures::records::{CinEpisode, CinReturn};
/// use csc_measures::{DatasetBuilder, Period};
/// let mut ret = CinReturn::default();
/// ret.source.collection_year = Some(2024);
/// ret.episodes.push(CinEpisode { child: "A".into(), referral_date: "2023-05-01".parse()?, ..Default::default() });
/// let ds = DatasetBuilder::new().cin(ret).build()?;
/// let o = Options::default();
/// let results: Vec<_> = [2023, 2024].iter()
///     .map(|&y| compute(&ds, MeasureId::Assessments45wd, Period::financial_year(y).unwrap(), &o))
///     .collect();
/// let t = csc_arrow::results::series(&results);
/// assert_eq!(t.num_rows(), 2);
/// assert!(t.schema().field_with_name("bands.41-45").is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn series(results: &[MeasureResult]) -> RecordBatch {
    use csc_measures::flat::{Cell, ColumnKind, FlatTable};
    let flat = FlatTable::of(results);
    let mut c = Columns::default();
    c.text("measure", results.iter().map(|r| Some(r.id.as_str())))
        .text("unit", results.iter().map(|r| Some(r.unit.as_str())))
        .date(
            "period_start",
            results.iter().map(|r| Some(r.period.start())),
        )
        .date("period_end", results.iter().map(|r| Some(r.period.end())))
        .count("numerator", results.iter().map(|r| r.numerator))
        .count("denominator", results.iter().map(|r| r.denominator))
        .float("value", results.iter().map(|r| r.value))
        .list(
            "warnings",
            results
                .iter()
                .map(|r| r.warnings.iter().map(|w| w.as_str()).collect::<Vec<_>>()),
        );
    for (k, col) in flat.columns.iter().enumerate() {
        let cells = flat.cells.iter().map(|row| row[k]);
        match col.kind {
            ColumnKind::Int => c.int(
                &col.name,
                cells.map(|x| match x {
                    Cell::Int(n) => Some(n),
                    _ => None,
                }),
            ),
            ColumnKind::Float => c.float(&col.name, cells.map(Cell::as_f64)),
            ColumnKind::Flag => c.flag(
                &col.name,
                cells.map(|x| match x {
                    Cell::Flag(b) => Some(b),
                    _ => None,
                }),
            ),
        };
    }
    c.finish()
}

/// Writes `batch` as an Arrow IPC file (the format `pyarrow.ipc.open_file`, `polars.read_ipc` and
/// `arrow::ipc::reader::FileReader` read).
///
/// # Errors
/// What writing to `w` gives, as an [`std::io::Error`].
///
/// ```
/// use csc_arrow::results::{series, write_ipc};
/// let mut out = Vec::new();
/// write_ipc(&series(&[]), &mut out)?;
/// assert!(out.starts_with(b"ARROW1"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_ipc(batch: &RecordBatch, w: &mut impl std::io::Write) -> std::io::Result<()> {
    let io = |e: arrow_schema::ArrowError| match e {
        arrow_schema::ArrowError::IoError(_, e) => e,
        other => std::io::Error::other(other.to_string()),
    };
    let mut writer = arrow_ipc::writer::FileWriter::try_new(w, &batch.schema()).map_err(io)?;
    writer.write(batch).map_err(io)?;
    writer.finish().map_err(io)
}

/// One row per record the results looked at (spec 6), result by result, each with its measure and
/// period, then `start` and `end`, the dates that check `value` by hand. What `record`, `value`,
/// `start` and `end` hold differs by measure: the schema and field metadata say it
/// ([`crate::docs::with_row_docs`]).
#[must_use]
pub fn records<'a, I>(results: I) -> RecordBatch
where
    I: IntoIterator<Item = &'a MeasureResult>,
    I::IntoIter: Clone,
{
    let results = results.into_iter();
    let rows = || {
        results
            .clone()
            .flat_map(|r| r.rows.iter().map(move |row| (r, row)))
    };
    let mut c = Columns::default();
    c.text("measure", rows().map(|(r, _)| Some(r.id.as_str())))
        .date("period_start", rows().map(|(r, _)| Some(r.period.start())))
        .date("period_end", rows().map(|(r, _)| Some(r.period.end())))
        .text("child", rows().map(|(_, x)| Some(x.child.as_str())))
        .date("record", rows().map(|(_, x)| x.record))
        .flag(
            "in_denominator",
            rows().map(|(_, x)| Some(x.in_denominator)),
        )
        .flag("in_numerator", rows().map(|(_, x)| Some(x.in_numerator)))
        .int("value", rows().map(|(_, x)| x.value))
        .text("reason", rows().map(|(_, x)| x.reason.map(Reason::as_str)))
        .date("start", rows().map(|(_, x)| x.start))
        .date("end", rows().map(|(_, x)| x.end));
    crate::docs::with_row_docs(c.finish(), results.map(|r| r.id))
}

/// The load report: one row per data-quality entry.
#[must_use]
pub fn issues(issues: &[Issue]) -> RecordBatch {
    fn loc(i: &Issue) -> Option<&Location> {
        i.location.as_ref()
    }
    let mut c = Columns::default();
    c.text("code", issues.iter().map(|i| Some(i.code.as_str())))
        .text(
            "severity",
            issues.iter().map(|i| Some(i.code.severity().as_str())),
        )
        .text("child", issues.iter().map(|i| i.child.as_deref()))
        .date("record", issues.iter().map(|i| i.record))
        .text("message", issues.iter().map(|i| Some(i.message.as_str())))
        .text(
            "file",
            issues
                .iter()
                .map(|i| loc(i).and_then(|l| l.file.as_deref())),
        )
        .line("line", issues.iter().map(|i| loc(i).and_then(|l| l.line)))
        .text(
            "path",
            issues
                .iter()
                .map(|i| loc(i).and_then(|l| l.path.as_deref())),
        )
        .text(
            "column",
            issues
                .iter()
                .map(|i| loc(i).and_then(|l| l.column.as_deref())),
        )
        .text(
            "value",
            issues
                .iter()
                .map(|i| loc(i).and_then(|l| l.value.as_deref())),
        );
    c.finish()
}

/// One line of a scorecard: a measure's result for the year, the previous year's over the window
/// ending a year earlier, and the direction of travel (`improved`, `worsened`, `up`, `down`,
/// `same`, `not_comparable`).
#[derive(Clone, Copy, Debug)]
pub struct ScoreRow<'a> {
    /// This year's result.
    pub current: &'a MeasureResult,
    /// The previous year's result.
    pub previous: &'a MeasureResult,
    /// The direction of travel.
    pub direction: &'a str,
}

/// The scorecard: one row per line, with the columns `id`, `title`, `unit`, `polarity`,
/// `period_start`, `period_end`, `value`, `note` (as in [`measures`]), `numerator`,
/// `denominator`, `rate_per_10000`,
/// `threshold`, `meets_threshold`, `previous_value`, `previous_numerator`, `previous_denominator`,
/// `direction`, `warnings` (the rate and threshold columns are the extras of those names, null for
/// a measure without them).
#[must_use]
pub fn scorecard(lines: &[ScoreRow<'_>]) -> RecordBatch {
    let l = lines;
    let mut c = Columns::default();
    let titles: Vec<_> = l
        .iter()
        .map(|x| csc_measures::measure::options::title(x.current.id, &x.current.options))
        .collect();
    c.text("id", l.iter().map(|x| Some(x.current.id.as_str())))
        .text("title", titles.iter().map(|t| Some(t.as_ref())))
        .text("unit", l.iter().map(|x| Some(x.current.unit.as_str())))
        .text(
            "polarity",
            l.iter().map(|x| Some(x.current.id.polarity().as_str())),
        )
        .date(
            "period_start",
            l.iter().map(|x| Some(x.current.period.start())),
        )
        .date("period_end", l.iter().map(|x| Some(x.current.period.end())))
        .float("value", l.iter().map(|x| x.current.value))
        .text("note", l.iter().map(|x| x.current.note()))
        .count("numerator", l.iter().map(|x| x.current.numerator))
        .count("denominator", l.iter().map(|x| x.current.denominator))
        .float(
            "rate_per_10000",
            l.iter().map(|x| x.current.extras.float("rate_per_10000")),
        )
        .int(
            "threshold",
            l.iter().map(|x| x.current.extras.int("threshold")),
        )
        .flag(
            "meets_threshold",
            l.iter().map(|x| x.current.extras.flag("meets_threshold")),
        )
        .float("previous_value", l.iter().map(|x| x.previous.value))
        .count("previous_numerator", l.iter().map(|x| x.previous.numerator))
        .count(
            "previous_denominator",
            l.iter().map(|x| x.previous.denominator),
        )
        .text("direction", l.iter().map(|x| Some(x.direction)))
        .list(
            "warnings",
            l.iter().map(|x| {
                x.current
                    .warnings
                    .iter()
                    .map(|w| w.as_str())
                    .collect::<Vec<_>>()
            }),
        );
    c.finish()
}
