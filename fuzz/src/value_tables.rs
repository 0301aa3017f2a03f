//! The `value_tables` fuzz target's body, without the rendering: decodes the fuzz input into
//! tables of plain values and builds a dataset from them. Only `csc-arrow` and `csc-measures` are
//! used, so `crates/csc-arrow/tests/fuzz_regressions.rs` includes this file to replay the saved
//! inputs exactly as the target runs them.

use csc_arrow::values::{Value, Zone, table};
use csc_measures::measure::{Options, compute_many};
use csc_measures::records::ReturnKind;
use csc_measures::schema::TABLES;
use csc_measures::{Dataset, Error, MeasureResult, Period};

/// An error must say something.
fn check_error(e: &Error) {
    assert!(!e.message().is_empty(), "an error without a message: {e:?}");
}

/// Reads bytes of a `value_tables` input, giving zeros when they run out.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        let Some((&b, rest)) = self.0.split_first() else {
            return 0;
        };
        self.0 = rest;
        b
    }

    fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0; N];
        for b in &mut out {
            *b = self.u8();
        }
        out
    }

    fn text(&mut self) -> String {
        let n = usize::from(self.u8() % 24);
        let take = n.min(self.0.len());
        let (s, rest) = self.0.split_at(take);
        self.0 = rest;
        String::from_utf8_lossy(s).into_owned()
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One value of a `value_tables` column: its tag byte picks the kind.
fn value(b: &mut Bytes<'_>, depth: u8) -> Value {
    match b.u8() % 10 {
        0 => Value::Null,
        1 => Value::Bool(b.u8() & 1 == 1),
        2 => Value::Int(i64::from_le_bytes(b.array())),
        3 => Value::Int(i64::from(b.u8())),
        4 => Value::BigInt(format!("{}{}", u64::from_le_bytes(b.array()), b.u8())),
        5 => Value::Float(f64::from_le_bytes(b.array())),
        6 => Value::Text(b.text()),
        7 => Value::Date(i32::from_le_bytes(b.array())),
        8 => Value::DateTime {
            micros: i64::from_le_bytes(b.array()),
            zone: match b.u8() % 4 {
                0 => Zone::Naive,
                1 => Zone::Fixed(i32::from_le_bytes(b.array())),
                2 => Zone::Named("Europe/London".into()),
                _ => Zone::Named(b.text()),
            },
        },
        _ if depth < 2 => {
            let n = b.u8() % 4;
            Value::List((0..n).map(|_| value(b, depth + 1)).collect())
        }
        _ => Value::Text(b.text()),
    }
}

/// Tables as a host without Arrow hands them over (a pandas frame without pyarrow, a dict of
/// lists: [`csc_arrow::values`]), made Arrow arrays of the type their values share and read
/// through [`csc_arrow::input`] like any Arrow table, C stream or Python frame.
///
/// The input is a flags byte, then up to 6 tables, each a byte choosing its name (a table of the
/// schema, one of its aliases, or a made-up name), a byte for its columns (1 to 8, each a byte
/// choosing a field of that table, of another table, or a made-up name) and a byte for its rows
/// (0 to 15), then each row's values, a tag byte each (null, bool, int, big int, float, text,
/// date, date-time with a zone, list). Flags: bit 0 strict, bits 1-2 the return kind (none, CIN
/// census, SSDA903), bit 3 the collection year 2024 given. The tables are built with
/// [`csc_arrow::build`] and, when that succeeds, every measure is computed over the latest year;
/// the first table is also read as a population table. Nothing may panic; an error must say
/// something. Returns the dataset and the results when the tables built one.
#[must_use]
pub fn run(data: &[u8]) -> Option<(Dataset, Vec<MeasureResult>)> {
    let mut b = Bytes(data);
    let flags = b.u8();
    let strict = flags & 1 != 0;
    let kind = match flags >> 1 & 3 {
        1 => Some(ReturnKind::Cin),
        2 => Some(ReturnKind::Ssda903),
        _ => None,
    };
    let year = (flags & 8 != 0).then_some(2024);
    let mut tables = Vec::new();
    while !b.is_empty() && tables.len() < 6 {
        let pick = usize::from(b.u8());
        let schema = TABLES[pick % TABLES.len()];
        let name = match pick / TABLES.len() {
            0..=3 => schema.name.to_owned(),
            4 if !schema.aliases.is_empty() => {
                schema.aliases[pick % schema.aliases.len()].to_owned()
            }
            _ => b.text(),
        };
        let n_cols = usize::from(b.u8() % 8) + 1;
        let n_rows = usize::from(b.u8() % 16);
        let mut names = Vec::with_capacity(n_cols);
        for _ in 0..n_cols {
            let f = usize::from(b.u8());
            let from = if f & 0x80 == 0 {
                schema
            } else {
                TABLES[f % TABLES.len()]
            };
            let name = if f % 17 == 16 {
                b.text()
            } else if f & 0x40 != 0 {
                from.fields[f % from.fields.len()].column.to_owned()
            } else {
                from.fields[f % from.fields.len()].name.to_owned()
            };
            names.push(name);
        }
        let mut columns: Vec<(String, Vec<Value>)> = names
            .into_iter()
            .map(|n| (n, Vec::with_capacity(n_rows)))
            .collect();
        for _ in 0..n_rows {
            for (_, col) in &mut columns {
                col.push(value(&mut b, 0));
            }
        }
        match table(&name, columns) {
            Ok(t) => tables.push(t),
            Err(e) => check_error(&e),
        }
    }
    if let Some(first) = tables.first()
        && let Err(e) = csc_arrow::population(first)
    {
        check_error(&e);
    }
    let ds = match csc_arrow::build(
        vec![csc_arrow::ReturnInput::new(kind, year, tables)],
        strict,
    ) {
        Ok(ds) => ds,
        Err(e) => {
            check_error(&e);
            return None;
        }
    };
    let _ = ds.summary();
    let mut years = ds.collection_years(ReturnKind::Cin);
    years.extend(ds.collection_years(ReturnKind::Ssda903));
    let year = years.into_iter().max().unwrap_or(2024);
    let results = Period::financial_year(year)
        .map(|period| compute_many(&ds, &[], period, &Options::default()))
        .unwrap_or_default();
    Some((ds, results))
}
