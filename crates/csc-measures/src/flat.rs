//! Results as one long table: one row per result (a measure over a period), its exclusions and
//! extras spread into columns, the shape a series takes for a data frame, a CSV file or a chart.
//!
//! Every surface renders a [`FlatTable`] the same way (JSON objects, CSV, Arrow): after the fixed
//! columns (`measure`, `unit`, `period_start`, `period_end`, `numerator`, `denominator`,
//! `value`, `warnings`, written by the renderers from the results themselves) come
//!
//! * `excluded.<reason>`: the records excluded for each reason any result gives, in the order of
//!   first appearance. A result of the same measure that excluded none for that reason has `0`;
//!   a result of another measure, or a `no_data` result, has null.
//! * the extras, flattened ([`flatten`]): `<name>` for a number or flag, `<name>.<label>` for
//!   each label of counts or labelled numbers (`bands.same_day`, `factors.4B`), and
//!   `<name>.p25`, `<name>.median`, `<name>.p75` for quartiles, in the order of first
//!   appearance. A result that lacks the extra, or for which it cannot be computed (a `no_data`
//!   period), has null.
//!
//! A column's kind follows the extras behind it: whole numbers ([`ColumnKind::Int`]: counts,
//! exclusions) unless one result gives it as a number with fractions ([`ColumnKind::Float`]:
//! rates, means, quartiles; whole numbers then show as floats), or flags ([`ColumnKind::Flag`])
//! when every result gives it as a flag.
//!
//! ```
//! use csc_measures::flat::{Cell, FlatTable};
//! use csc_measures::measure::{MeasureId, Options, compute};
//! use csc_measures::records::{Assessment, CinReturn};
//! use csc_measures::{DatasetBuilder, Period};
//! let mut ret = CinReturn::default();
//! ret.source.collection_year = Some(2024);
//! ret.assessments.push(Assessment {
//!     child: "A".into(),
//!     start_date: Some("2023-06-05".parse()?),
//!     authorisation_date: Some("2023-06-06".parse()?),
//!     ..Assessment::default()
//! });
//! let ds = DatasetBuilder::new().cin(ret).build()?;
//! let r = compute(&ds, MeasureId::Assessments45wd, Period::financial_year(2024)?, &Options::default());
//! let t = FlatTable::of(std::slice::from_ref(&r));
//! let col = t.columns.iter().position(|c| c.name == "bands.1-10").unwrap();
//! assert_eq!(t.cells[0][col], Cell::Int(1));
//! assert!(t.columns.iter().any(|c| c.name == "quartiles.median"));
//! # Ok::<(), csc_measures::Error>(())
//! ```

use std::collections::HashMap;

use crate::result::{Extra, Extras, MeasureResult};

/// One cell of a flattened column.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell {
    /// A whole number.
    Int(i64),
    /// A number.
    Float(f64),
    /// A flag.
    Flag(bool),
    /// Nothing: the result lacks it, or it cannot be computed.
    Null,
}

impl Cell {
    /// The cell as a float (flags and null: `None`).
    #[must_use]
    pub fn as_f64(self) -> Option<f64> {
        match self {
            Cell::Int(n) => Some(n as f64),
            Cell::Float(x) => Some(x),
            Cell::Flag(_) | Cell::Null => None,
        }
    }
}

/// What a flattened column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// Whole numbers.
    Int,
    /// Numbers with fractions.
    Float,
    /// Flags.
    Flag,
}

/// A flattened column: its name and kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlatColumn {
    /// `excluded.<reason>`, `<extra>` or `<extra>.<label>`.
    pub name: String,
    /// What it holds.
    pub kind: ColumnKind,
}

/// The exclusions and extras of results as columns; the rows are the results, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct FlatTable {
    /// The columns, in order of first appearance (exclusions first).
    pub columns: Vec<FlatColumn>,
    /// For each result, a cell per column.
    pub cells: Vec<Vec<Cell>>,
}

fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> Cell) -> Cell {
    v.map_or(Cell::Null, f)
}

/// The extras as `(column, kind, cell)`, in order. An extra that cannot be computed at all
/// ([`Extra::Null`]) gives nothing: its columns come from other results.
#[must_use]
pub fn flatten(extras: &Extras) -> Vec<(String, ColumnKind, Cell)> {
    let mut out = Vec::new();
    for &(key, ref e) in extras.iter() {
        match e {
            Extra::Counts(c) => {
                for &(label, n) in c {
                    out.push((
                        format!("{key}.{label}"),
                        ColumnKind::Int,
                        i64::try_from(n).map_or(Cell::Null, Cell::Int),
                    ));
                }
            }
            Extra::Floats(c) => {
                for &(label, x) in c {
                    out.push((
                        format!("{key}.{label}"),
                        ColumnKind::Float,
                        opt(x, Cell::Float),
                    ));
                }
            }
            Extra::Quartiles(q) => {
                for (part, x) in [("p25", q.p25), ("median", q.median), ("p75", q.p75)] {
                    out.push((
                        format!("{key}.{part}"),
                        ColumnKind::Float,
                        opt(x, Cell::Float),
                    ));
                }
            }
            Extra::Int(n) => out.push((key.to_owned(), ColumnKind::Int, opt(*n, Cell::Int))),
            Extra::Float(x) => out.push((key.to_owned(), ColumnKind::Float, opt(*x, Cell::Float))),
            Extra::Flag(b) => out.push((key.to_owned(), ColumnKind::Flag, opt(*b, Cell::Flag))),
            Extra::Null => {}
        }
    }
    out
}

impl FlatTable {
    /// The exclusions and extras of `results` as columns (see the module docs).
    #[must_use]
    pub fn of(results: &[MeasureResult]) -> FlatTable {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut columns: Vec<FlatColumn> = Vec::new();
        let mut seen_kind: Vec<(bool, bool, bool)> = Vec::new(); // (int, float, flag)
        let mut column = |name: String, index: &mut HashMap<String, usize>| -> usize {
            *index.entry(name.clone()).or_insert_with(|| {
                columns.push(FlatColumn {
                    name,
                    kind: ColumnKind::Int,
                });
                seen_kind.push((false, false, false));
                columns.len() - 1
            })
        };
        // Exclusions first, then extras, each in order of first appearance; a wholly null extra
        // gets its own column only when no result gives it a shape.
        let mut rows: Vec<Vec<(usize, Cell)>> = Vec::with_capacity(results.len());
        let mut excluded_of: HashMap<&str, Vec<usize>> = HashMap::new();
        for r in results {
            for reason in r.excluded.keys() {
                let c = column(format!("excluded.{}", reason.as_str()), &mut index);
                let cols = excluded_of.entry(r.id.as_str()).or_default();
                if !cols.contains(&c) {
                    cols.push(c);
                }
            }
        }
        let flat: Vec<Vec<(String, ColumnKind, Cell)>> =
            results.iter().map(|r| flatten(&r.extras)).collect();
        let mut declared: Vec<(usize, ColumnKind)> = Vec::new();
        for (r, f) in results.iter().zip(&flat) {
            for (name, kind, _) in f {
                declared.push((column(name.clone(), &mut index), *kind));
            }
            // A period without data still declares the columns its extras have on data.
            for (name, kind, _) in flatten(&r.shape) {
                declared.push((column(name, &mut index), kind));
            }
        }
        let has_shape = |key: &str, index: &HashMap<String, usize>| {
            index.contains_key(key)
                || index
                    .keys()
                    .any(|k| k.strip_prefix(key).is_some_and(|s| s.starts_with('.')))
        };
        for r in results {
            for &(key, ref e) in r.extras.iter() {
                if *e == Extra::Null && !has_shape(key, &index) {
                    column(key.to_owned(), &mut index);
                }
            }
        }
        for (r, f) in results.iter().zip(flat) {
            let mut row: Vec<(usize, Cell)> = Vec::new();
            if !r.is_no_data() {
                for &c in excluded_of.get(r.id.as_str()).into_iter().flatten() {
                    row.push((c, Cell::Int(0)));
                }
            }
            for (reason, &n) in &r.excluded {
                let c = index[&format!("excluded.{}", reason.as_str())];
                row.push((c, i64::try_from(n).map_or(Cell::Null, Cell::Int)));
            }
            for (name, _, cell) in f {
                row.push((index[&name], cell));
            }
            rows.push(row);
        }
        for (c, kind) in declared {
            let k = &mut seen_kind[c];
            match kind {
                ColumnKind::Int => k.0 = true,
                ColumnKind::Float => k.1 = true,
                ColumnKind::Flag => k.2 = true,
            }
        }
        for (col, &(int, float, flag)) in columns.iter_mut().zip(&seen_kind) {
            col.kind = if float {
                ColumnKind::Float
            } else if flag && !int {
                ColumnKind::Flag
            } else {
                ColumnKind::Int
            };
        }
        let width = columns.len();
        let cells = rows
            .into_iter()
            .map(|row| {
                let mut out = vec![Cell::Null; width];
                for (c, cell) in row {
                    out[c] = match (columns[c].kind, cell) {
                        (ColumnKind::Float, Cell::Int(n)) => Cell::Float(n as f64),
                        (ColumnKind::Int | ColumnKind::Float, Cell::Flag(_))
                        | (ColumnKind::Flag, Cell::Int(_) | Cell::Float(_)) => Cell::Null,
                        (_, cell) => cell,
                    };
                }
                out
            })
            .collect();
        FlatTable { columns, cells }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::{MeasureId, Options, compute};
    use crate::records::{CinEpisode, CinReturn};
    use crate::{DatasetBuilder, Period};

    #[test]
    fn no_data_rows_are_null_and_exclusions_zero_within_a_measure() {
        let mut ret = CinReturn::default();
        ret.source.collection_year = Some(2024);
        ret.episodes.push(CinEpisode {
            child: "A".into(),
            referral_date: "2023-05-01".parse().unwrap(),
            ..Default::default()
        });
        let ds = DatasetBuilder::new().cin(ret).build().unwrap();
        let o = Options::default();
        let results: Vec<MeasureResult> = [2023, 2024]
            .iter()
            .flat_map(|&y| {
                let p = Period::financial_year(y).unwrap();
                [
                    compute(&ds, MeasureId::Referrals, p, &o),
                    compute(&ds, MeasureId::Assessments45wd, p, &o),
                ]
            })
            .collect();
        assert!(results[0].is_no_data() && !results[2].is_no_data());
        let t = FlatTable::of(&results);
        let col = |n: &str| t.columns.iter().position(|c| c.name == n).unwrap();
        // 2023: no data, so even the bands are null; 2024: zero assessments, zero in each band.
        assert_eq!(t.cells[1][col("bands.same_day")], Cell::Null);
        assert_eq!(t.cells[3][col("bands.same_day")], Cell::Int(0));
        assert_eq!(t.columns[col("quartiles.p25")].kind, ColumnKind::Float);
        assert_eq!(t.cells[3][col("quartiles.p25")], Cell::Null);
        // Referrals have no bands.
        assert_eq!(t.cells[2][col("bands.same_day")], Cell::Null);
        assert!(t.cells.iter().all(|r| r.len() == t.columns.len()));
    }

    #[test]
    fn a_measure_without_data_in_any_period_keeps_its_columns() {
        // Only an SSDA903-shaped gap: no CIN return at all, so every assessments period is
        // no_data; the table still has the bands and quartiles a reader selects by name.
        let ds = DatasetBuilder::new().build().unwrap();
        let o = Options::default();
        let results: Vec<MeasureResult> = [2023, 2024]
            .iter()
            .map(|&y| {
                compute(
                    &ds,
                    MeasureId::Assessments45wd,
                    Period::financial_year(y).unwrap(),
                    &o,
                )
            })
            .collect();
        assert!(results.iter().all(MeasureResult::is_no_data));
        let t = FlatTable::of(&results);
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        for n in ["bands.same_day", "bands.41-45", "quartiles.median"] {
            assert!(names.contains(&n), "{n} missing from {names:?}");
        }
        assert!(!names.contains(&"bands"), "{names:?}");
        assert!(t.cells.iter().flatten().all(|c| *c == Cell::Null));
        let kind = |n: &str| t.columns.iter().find(|c| c.name == n).unwrap().kind;
        assert_eq!(kind("bands.41-45"), ColumnKind::Int);
        assert_eq!(kind("quartiles.median"), ColumnKind::Float);
    }
}
