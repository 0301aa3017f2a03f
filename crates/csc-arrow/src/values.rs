//! Tables given as plain values: a column is a list of [`Value`]s (what a host language without
//! Arrow holds: Python's `str`, `int`, `float`, `bool`, `datetime.date`, `datetime.datetime`,
//! `None`), made an Arrow array of the type its values share, and then read by [`crate::input`]
//! like any other table. So a pandas frame handed over without pyarrow, or a dict of lists, is
//! read by the same rules as an Arrow table.
//!
//! The type of a column, from its values other than nulls:
//!
//! | values | Arrow type |
//! | --- | --- |
//! | none (every value null, or no rows) | null: blank for every field |
//! | booleans | boolean |
//! | whole numbers within `i64` | int64 |
//! | whole numbers and floats | float64 |
//! | text | utf8 |
//! | dates | date32 |
//! | date-times of one zone (none, one fixed offset, or one named zone) | timestamp (microseconds, with that zone) |
//! | lists | a list of the type of their items |
//! | any other mix (or a whole number outside `i64`) | utf8: each value as text |
//!
//! As text, a boolean is `true` or `false`; a float holding a whole number is that number (`7`, as
//! [`crate::input`] reads a float column), NaN is null, and another float is its shortest decimal
//! (`2.5`); a date is `YYYY-MM-DD`, and so is a date-time (its date on its own clock). A list among
//! single values, or a list of lists, is an error naming the row.
//!
//! ```
//! use csc_arrow::values::{Value, Zone, table};
//! use csc_arrow::{ReturnInput, build};
//! use csc_measures::records::ReturnKind;
//! let episodes = table("Episodes", vec![
//!     ("CHILD".into(), vec![Value::Int(7), Value::Int(8)]),
//!     ("DECOM".into(), vec![Value::Text("01/05/2023".into()), Value::Date(19_478)]),
//!     ("DEC".into(), vec![Value::Float(f64::NAN), Value::Null]),
//! ])?;
//! let ds = build(vec![ReturnInput::new(Some(ReturnKind::Ssda903), Some(2024), vec![episodes])], false)?;
//! assert_eq!(ds.summary().care_episodes, 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, ListArray, NullArray, RecordBatch};
use arrow_buffer::{NullBuffer, OffsetBuffer};
use arrow_schema::{Field, Schema};
use csc_measures::{Day, Error, ErrorKind};

use crate::column::{Owned, float};
use crate::input::TableInput;

/// The zone of a date-time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Zone {
    /// No zone: a wall-clock time.
    Naive,
    /// A fixed offset east of UTC, in seconds (UTC is `Fixed(0)`).
    Fixed(i32),
    /// A named zone (`Europe/London`), whose offset changes through the year: refused for dates,
    /// as an Arrow timestamp of a named zone is.
    Named(String),
}

/// One value of a column.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Missing: `None`, NaN in a column of objects, `NaT`, `pd.NA`.
    Null,
    /// A boolean.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A whole number outside `i64`, as its decimal digits.
    BigInt(String),
    /// A float (NaN is blank).
    Float(f64),
    /// Text.
    Text(String),
    /// A date, as days since 1970-01-01.
    Date(i32),
    /// A date-time: microseconds since 1970-01-01 00:00 on its own clock, and its zone.
    DateTime {
        /// Microseconds since 1970-01-01 00:00 on the value's own (wall) clock.
        micros: i64,
        /// Its zone.
        zone: Zone,
    },
    /// Several values in one row (a set of codes or of dates).
    List(Vec<Value>),
}

/// What kinds of values a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Bool,
    Int,
    Float,
    Text,
    Date,
    DateTime,
    List,
    /// Needs text: a whole number outside `i64`.
    Big,
}

impl Value {
    fn kind(&self) -> Option<Kind> {
        Some(match self {
            Value::Null => return None,
            Value::Bool(_) => Kind::Bool,
            Value::Int(_) => Kind::Int,
            Value::BigInt(_) => Kind::Big,
            Value::Float(_) => Kind::Float,
            Value::Text(_) => Kind::Text,
            Value::Date(_) => Kind::Date,
            Value::DateTime { .. } => Kind::DateTime,
            Value::List(_) => Kind::List,
        })
    }

    /// The value as text, in a column of mixed values (`None` for null and NaN).
    fn text(&self) -> Option<String> {
        match self {
            Value::Null | Value::List(_) => None,
            Value::Bool(b) => Some(if *b { "true" } else { "false" }.to_owned()),
            Value::Int(n) => Some(n.to_string()),
            Value::BigInt(s) | Value::Text(s) => Some(s.clone()),
            Value::Float(v) => match float(*v) {
                Owned::Null => None,
                Owned::Int(n) => Some(n.to_string()),
                Owned::Text(s) | Owned::Fraction(s) => Some(s.into()),
            },
            Value::Date(d) => Some(day_text(i64::from(*d))),
            Value::DateTime { micros, .. } => Some(day_text(micros.div_euclid(MICROS_PER_DAY))),
        }
    }
}

const MICROS_PER_DAY: i64 = 86_400_000_000;

/// A day number as `YYYY-MM-DD`, or as the number when no [`Day`] holds it.
fn day_text(days: i64) -> String {
    i32::try_from(days)
        .ok()
        .and_then(|d| Day::new(d).ok())
        .map_or_else(|| days.to_string(), |d| d.to_string())
}

/// The zone of a timestamp column, as Arrow writes it.
fn zone_name(zone: &Zone) -> Option<Arc<str>> {
    match zone {
        Zone::Naive => None,
        Zone::Fixed(s) => {
            let sign = if *s < 0 { '-' } else { '+' };
            let a = s.unsigned_abs();
            Some(Arc::from(format!(
                "{sign}{:02}:{:02}",
                a / 3600,
                a % 3600 / 60
            )))
        }
        Zone::Named(n) => Some(Arc::from(n.as_str())),
    }
}

/// The Arrow array of `values` (see the [module docs](self)); `Err` names the 1-based row of a
/// list among single values or of a list of lists.
///
/// ```
/// use arrow_schema::DataType;
/// use csc_arrow::values::{Value, array};
/// let a = array(&[Value::Int(1), Value::Float(2.5), Value::Null])?;
/// assert_eq!(a.data_type(), &DataType::Float64);
/// let b = array(&[Value::Int(1), Value::Text("A".into())])?;
/// assert_eq!(b.data_type(), &DataType::Utf8);
/// assert!(array(&[Value::Int(1), Value::List(vec![])]).is_err());
/// # Ok::<(), String>(())
/// ```
pub fn array(values: &[Value]) -> Result<ArrayRef, String> {
    let mut kinds: Vec<Kind> = Vec::new();
    for v in values {
        if let Some(k) = v.kind() {
            if !kinds.contains(&k) {
                kinds.push(k);
            }
        }
    }
    if kinds.contains(&Kind::List) {
        return if kinds.len() == 1 {
            list(values)
        } else {
            let row = values
                .iter()
                .position(|v| !matches!(v, Value::List(_) | Value::Null))
                .unwrap_or(0);
            Err(format!(
                "row {}: a single value in a column of lists (give every row a list, or None)",
                row + 1
            ))
        };
    }
    let zones: Vec<&Zone> = values
        .iter()
        .filter_map(|v| match v {
            Value::DateTime { zone, .. } => Some(zone),
            _ => None,
        })
        .collect();
    let one_zone = zones.windows(2).all(|w| w[0] == w[1]);
    Ok(match kinds.as_slice() {
        [] => Arc::new(NullArray::new(values.len())),
        [Kind::Bool] => {
            let mut b = BooleanBuilder::with_capacity(values.len());
            for v in values {
                b.append_option(match v {
                    Value::Bool(x) => Some(*x),
                    _ => None,
                });
            }
            Arc::new(b.finish())
        }
        [Kind::Int] => {
            let mut b = Int64Builder::with_capacity(values.len());
            for v in values {
                b.append_option(match v {
                    Value::Int(x) => Some(*x),
                    _ => None,
                });
            }
            Arc::new(b.finish())
        }
        [Kind::Float] | [Kind::Int, Kind::Float] | [Kind::Float, Kind::Int] => {
            let mut b = Float64Builder::with_capacity(values.len());
            for v in values {
                #[allow(clippy::cast_precision_loss)] // as pandas and pyarrow make a mixed column
                b.append_option(match v {
                    Value::Float(x) => Some(*x),
                    Value::Int(x) => Some(*x as f64),
                    _ => None,
                });
            }
            Arc::new(b.finish())
        }
        [Kind::Date] => {
            let mut b = Date32Builder::with_capacity(values.len());
            for v in values {
                b.append_option(match v {
                    Value::Date(x) => Some(*x),
                    _ => None,
                });
            }
            Arc::new(b.finish())
        }
        [Kind::DateTime] if one_zone => {
            let zone = zones.first().map_or(Zone::Naive, |z| (*z).clone());
            let shift = match zone {
                Zone::Fixed(s) => i64::from(s) * 1_000_000,
                _ => 0,
            };
            let mut b = TimestampMicrosecondBuilder::with_capacity(values.len())
                .with_timezone_opt(zone_name(&zone));
            for v in values {
                b.append_option(match v {
                    // Arrow holds the instant (UTC); its zone gives the wall clock back.
                    Value::DateTime { micros, .. } => Some(micros.saturating_sub(shift)),
                    _ => None,
                });
            }
            Arc::new(b.finish())
        }
        _ => {
            let mut b = StringBuilder::with_capacity(values.len(), values.len() * 8);
            for v in values {
                b.append_option(v.text());
            }
            Arc::new(b.finish())
        }
    })
}

/// A column of lists (and nulls): a list array of the items' type.
fn list(values: &[Value]) -> Result<ArrayRef, String> {
    let mut items: Vec<Value> = Vec::new();
    let mut offsets: Vec<usize> = Vec::with_capacity(values.len());
    let mut valid: Vec<bool> = Vec::with_capacity(values.len());
    for (i, v) in values.iter().enumerate() {
        if let Value::List(xs) = v {
            if xs.iter().any(|x| matches!(x, Value::List(_))) {
                return Err(format!(
                    "row {}: a list of lists (give a list of values)",
                    i + 1
                ));
            }
            items.extend(xs.iter().cloned());
        }
        offsets.push(match v {
            Value::List(xs) => xs.len(),
            _ => 0,
        });
        valid.push(!matches!(v, Value::Null));
    }
    let child = array(&items)?;
    let field = Arc::new(Field::new_list_field(child.data_type().clone(), true));
    let nulls = valid.iter().any(|v| !v).then(|| NullBuffer::from(valid));
    ListArray::try_new(field, OffsetBuffer::from_lengths(offsets), child, nulls)
        .map(|a| Arc::new(a) as ArrayRef)
        .map_err(|e| e.to_string())
}

/// The table `name` of `columns` (each a name and its values, in order): one batch whose columns
/// are [`array()`]s. Columns of unequal lengths, or a column [`array()`] refuses, are an
/// [`ErrorKind::InvalidInput`] error naming the table, the column and the row.
///
/// # Errors
/// As above.
pub fn table(name: &str, columns: Vec<(String, Vec<Value>)>) -> Result<TableInput, Error> {
    let rows = columns.first().map_or(0, |(_, v)| v.len());
    let mut fields = Vec::with_capacity(columns.len());
    let mut arrays = Vec::with_capacity(columns.len());
    for (col, values) in columns {
        if values.len() != rows {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "table {name}: column {col} has {} values where the first column has {rows}",
                    values.len()
                ),
            ));
        }
        let a = array(&values).map_err(|e| {
            Error::new(
                ErrorKind::InvalidInput,
                format!("table {name}: column {col}: {e}"),
            )
        })?;
        fields.push(Field::new(col, a.data_type().clone(), true));
        arrays.push(a);
    }
    let schema = Arc::new(Schema::new(fields));
    let options = arrow_array::RecordBatchOptions::new().with_row_count(Some(rows));
    let batch = RecordBatch::try_new_with_options(schema.clone(), arrays, &options)
        .map_err(|e| Error::new(ErrorKind::InvalidInput, format!("table {name}: {e}")))?;
    Ok(TableInput::new(name, schema, vec![batch]))
}
