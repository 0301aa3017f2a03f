//! Views of Arrow columns as the row rules' [`Cell`]s, whatever Arrow type the caller's library
//! chose: text (string, large string, string view, dictionaries of them), whole numbers, floats,
//! booleans, dates (date32, date64, timestamps without a time zone or with a fixed one), and lists
//! of these. A float column may also stand for dates: pandas reads an all-blank date column as
//! float64 NaN.
//!
//! [`check`] says whether a column of a given Arrow type can hold what a field needs ([`Want`]); a
//! [`Column`] is then made once per batch and column, and reading a cell is a match and an index.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
    TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType,
    TimestampSecondType, UInt8Type, UInt16Type, UInt32Type, UInt64Type,
};
use arrow_array::{
    Array, BooleanArray, Date32Array, Int64Array, LargeStringArray, OffsetSizeTrait, StringArray,
    StringViewArray,
};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, TimeUnit};
use compact_str::{CompactString, format_compact};
use csc_measures::Day;
use csc_measures::rows::Cell;
use csc_measures::schema::FieldKind;

/// What a field needs of its column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Want {
    /// Text: identifiers, codes, free text, postcodes.
    Text,
    /// A date.
    Date,
    /// A flag.
    Flag,
    /// A count or score.
    Count,
    /// A set of codes: a list of text, or text (one code).
    Codes,
    /// A set of dates: a list of dates, or a date.
    Dates,
}

impl Want {
    /// What a field of `kind` needs.
    pub(crate) fn of(kind: FieldKind) -> Want {
        match kind {
            FieldKind::Child | FieldKind::Text | FieldKind::Code { .. } | FieldKind::Postcode => {
                Want::Text
            }
            FieldKind::ParentKey | FieldKind::Date(_) => Want::Date,
            FieldKind::Flag(_) => Want::Flag,
            FieldKind::Count | FieldKind::Score(_) => Want::Count,
            FieldKind::Codes(_) => Want::Codes,
            FieldKind::Dates => Want::Dates,
        }
    }

    /// What one value (one item of a list) needs.
    fn item(self) -> Want {
        match self {
            Want::Codes => Want::Text,
            Want::Dates => Want::Date,
            w => w,
        }
    }

    /// The Arrow types it takes, for messages.
    pub(crate) fn expected(self) -> &'static str {
        match self {
            Want::Text => "text, whole numbers or booleans",
            Want::Date => "dates, timestamps, or text as YYYY-MM-DD or DD/MM/YYYY",
            Want::Flag => "booleans, 1 and 0, or text",
            Want::Count => "whole numbers or text",
            Want::Codes => "a list of text, or text",
            Want::Dates => "a list of dates, or dates",
        }
    }
}

/// The offset in seconds of a fixed time zone (`UTC`, `Z`, `+01:00`, `-0530`); `None` for a named
/// zone, whose offset changes through the year and needs a time-zone database.
fn fixed_offset(tz: &str) -> Option<i64> {
    let t = tz.trim();
    if t.eq_ignore_ascii_case("utc")
        || t.eq_ignore_ascii_case("z")
        || t.eq_ignore_ascii_case("etc/utc")
        || t.eq_ignore_ascii_case("gmt")
    {
        return Some(0);
    }
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i64 = digits[..2].parse().ok()?;
    let m: i64 = digits[2..].parse().ok()?;
    Some(sign * (h * 3600 + m * 60))
}

/// Can a column of type `dt` hold what `want` needs? `Err` says what the type is, for the message
/// `column X of table T is {err}: expected ...`.
pub(crate) fn check(dt: &DataType, want: Want) -> Result<(), String> {
    let item = match dt {
        DataType::List(f)
        | DataType::LargeList(f)
        | DataType::FixedSizeList(f, _)
        | DataType::ListView(f)
        | DataType::LargeListView(f)
            if matches!(want, Want::Codes | Want::Dates) =>
        {
            f.data_type()
        }
        _ => dt,
    };
    if scalar_ok(item, want.item()) {
        return Ok(());
    }
    if let DataType::Timestamp(_, Some(tz)) = item {
        if want.item() == Want::Date && fixed_offset(tz).is_none() {
            return Err(format!(
                "{dt} (a named time zone: convert it to dates or to naive timestamps in local time first)"
            ));
        }
    }
    Err(dt.to_string())
}

fn scalar_ok(dt: &DataType, want: Want) -> bool {
    match dt {
        DataType::Null | DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, values) => scalar_ok(values, want),
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => matches!(want, Want::Text | Want::Flag | Want::Count),
        // A date column that pandas read blank (`pd.read_csv` makes an all-blank column float64 of
        // NaN): NaN is a blank date, any other number an unreadable one, as the row rules read them.
        DataType::Float32 | DataType::Float64 => {
            matches!(want, Want::Text | Want::Flag | Want::Count | Want::Date)
        }
        DataType::Boolean => matches!(want, Want::Text | Want::Flag),
        DataType::Date32 | DataType::Date64 => want == Want::Date,
        DataType::Timestamp(_, tz) => {
            want == Want::Date && tz.as_deref().is_none_or(|z| fixed_offset(z).is_some())
        }
        _ => false,
    }
}

/// A number read ahead of time: floats and the integer types that are not `i64`.
pub(crate) enum Owned {
    Null,
    Int(i64),
    /// A whole number outside `i64`, as text.
    Text(CompactString),
    /// A float that is not a whole number, as text: an unreadable code ([`Column::fraction`]).
    Fraction(CompactString),
}

/// One value per row.
pub(crate) enum Scalar<'a> {
    /// Every row null (an Arrow `null` column, or a dictionary without values).
    Null,
    Utf8(&'a StringArray),
    Large(&'a LargeStringArray),
    View(&'a StringViewArray),
    /// A dictionary (pandas categoricals, polars enums): keys into the values.
    Dict {
        keys: Vec<usize>,
        nulls: Option<&'a NullBuffer>,
        values: Box<Scalar<'a>>,
    },
    Bool(&'a BooleanArray),
    Int64(&'a Int64Array),
    Owned(Vec<Owned>),
    Date32(&'a Date32Array),
    /// `date64` (milliseconds) and timestamps: `(value + offset) / per_day`, floored.
    Ticks {
        values: &'a [i64],
        nulls: Option<&'a NullBuffer>,
        per_day: i64,
        offset: i64,
    },
}

/// The cells of a primitive column of type `$t`, each non-null value made a cell by `$cell`.
macro_rules! owned {
    ($a:expr, $t:ty, $cell:expr) => {{
        let p = $a.as_primitive::<$t>();
        let cell = $cell;
        Scalar::Owned(
            (0..p.len())
                .map(|i| {
                    if p.is_null(i) {
                        Owned::Null
                    } else {
                        cell(p.value(i))
                    }
                })
                .collect(),
        )
    }};
}

/// A whole number as a cell.
macro_rules! owned_ints {
    ($a:expr, $t:ty) => {
        owned!($a, $t, |v| Owned::Int(i64::from(v)))
    };
}

/// A float as a cell: a whole one is a whole number (`7`, not `7.0`: pandas makes a column of
/// whole numbers float when one is blank), NaN is null, any other is text (a fraction). For a
/// date field both a whole number and text are unreadable dates.
#[allow(clippy::cast_possible_truncation)] // whole and within 9e15: exact
pub(crate) fn float(v: f64) -> Owned {
    if v.is_nan() {
        Owned::Null
    } else if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
        Owned::Int(v as i64)
    } else {
        Owned::Fraction(format_compact!("{v}"))
    }
}

fn ticks<'a>(values: &'a [i64], a: &'a dyn Array, per_sec: i64, tz: Option<&str>) -> Scalar<'a> {
    Scalar::Ticks {
        values,
        nulls: a.nulls(),
        per_day: per_sec * 86_400,
        offset: tz.and_then(fixed_offset).unwrap_or(0) * per_sec,
    }
}

impl<'a> Scalar<'a> {
    /// The view of `a`, whose type [`check`] accepted.
    fn new(a: &'a dyn Array) -> Scalar<'a> {
        match a.data_type() {
            DataType::Utf8 => Scalar::Utf8(a.as_string::<i32>()),
            DataType::LargeUtf8 => Scalar::Large(a.as_string::<i64>()),
            DataType::Utf8View => Scalar::View(a.as_string_view()),
            DataType::Dictionary(_, _) => {
                let d = a.as_any_dictionary();
                if d.values().is_empty() {
                    return Scalar::Null;
                }
                Scalar::Dict {
                    keys: d.normalized_keys(),
                    nulls: a.nulls(),
                    values: Box::new(Scalar::new(d.values().as_ref())),
                }
            }
            DataType::Boolean => Scalar::Bool(a.as_boolean()),
            DataType::Int64 => Scalar::Int64(a.as_primitive::<Int64Type>()),
            DataType::Int8 => owned_ints!(a, Int8Type),
            DataType::Int16 => owned_ints!(a, Int16Type),
            DataType::Int32 => owned_ints!(a, Int32Type),
            DataType::UInt8 => owned_ints!(a, UInt8Type),
            DataType::UInt16 => owned_ints!(a, UInt16Type),
            DataType::UInt32 => owned_ints!(a, UInt32Type),
            DataType::UInt64 => owned!(a, UInt64Type, |v: u64| {
                i64::try_from(v).map_or_else(|_| Owned::Text(format_compact!("{v}")), Owned::Int)
            }),
            DataType::Float32 => owned!(a, Float32Type, |v: f32| float(f64::from(v))),
            DataType::Float64 => owned!(a, Float64Type, float),
            DataType::Date32 => Scalar::Date32(a.as_primitive::<Date32Type>()),
            DataType::Date64 => ticks(a.as_primitive::<Date64Type>().values(), a, 1_000, None),
            DataType::Timestamp(unit, tz) => {
                let tz = tz.as_deref();
                match unit {
                    TimeUnit::Second => {
                        ticks(a.as_primitive::<TimestampSecondType>().values(), a, 1, tz)
                    }
                    TimeUnit::Millisecond => ticks(
                        a.as_primitive::<TimestampMillisecondType>().values(),
                        a,
                        1_000,
                        tz,
                    ),
                    TimeUnit::Microsecond => ticks(
                        a.as_primitive::<TimestampMicrosecondType>().values(),
                        a,
                        1_000_000,
                        tz,
                    ),
                    TimeUnit::Nanosecond => ticks(
                        a.as_primitive::<TimestampNanosecondType>().values(),
                        a,
                        1_000_000_000,
                        tz,
                    ),
                }
            }
            _ => Scalar::Null,
        }
    }

    /// Row `i`. A date outside the years a [`Day`] holds is its day number ([`Cell::Int`]), which
    /// no date field reads.
    fn cell(&self, i: usize) -> Cell<'_> {
        match self {
            Scalar::Null => Cell::Null,
            Scalar::Utf8(a) => text(a.is_valid(i).then(|| a.value(i))),
            Scalar::Large(a) => text(a.is_valid(i).then(|| a.value(i))),
            Scalar::View(a) => text(a.is_valid(i).then(|| a.value(i))),
            Scalar::Dict {
                keys,
                nulls,
                values,
            } => {
                if nulls.is_some_and(|n| n.is_null(i)) {
                    Cell::Null
                } else {
                    values.cell(keys[i])
                }
            }
            Scalar::Bool(a) => {
                if a.is_valid(i) {
                    Cell::Bool(a.value(i))
                } else {
                    Cell::Null
                }
            }
            Scalar::Int64(a) => {
                if a.is_valid(i) {
                    Cell::Int(a.value(i))
                } else {
                    Cell::Null
                }
            }
            Scalar::Owned(v) => match &v[i] {
                Owned::Null => Cell::Null,
                Owned::Int(n) => Cell::Int(*n),
                Owned::Text(s) | Owned::Fraction(s) => Cell::Text(s),
            },
            Scalar::Date32(a) => {
                if a.is_null(i) {
                    return Cell::Null;
                }
                let v = a.value(i);
                Day::new(v).map_or(Cell::Int(i64::from(v)), Cell::Day)
            }
            Scalar::Ticks {
                values,
                nulls,
                per_day,
                offset,
            } => {
                if nulls.is_some_and(|n| n.is_null(i)) {
                    return Cell::Null;
                }
                let days = values[i].saturating_add(*offset).div_euclid(*per_day);
                i32::try_from(days)
                    .ok()
                    .and_then(|d| Day::new(d).ok())
                    .map_or(Cell::Int(days), Cell::Day)
            }
        }
    }
}

/// Is every value of `a` null (an all-blank column of any type: pandas' all-`None` object
/// column, an all-`NA` `Int64` one, polars' `Null`)? A column without rows is.
pub(crate) fn all_null(a: &dyn Array) -> bool {
    a.logical_null_count() == a.len()
}

fn text(s: Option<&str>) -> Cell<'_> {
    s.map_or(Cell::Null, Cell::Text)
}

fn ranges<O: OffsetSizeTrait>(offsets: &[O]) -> Vec<(usize, usize)> {
    offsets
        .windows(2)
        .map(|w| (w[0].as_usize(), w[1].as_usize()))
        .collect()
}

fn view_ranges<O: OffsetSizeTrait>(offsets: &[O], sizes: &[O]) -> Vec<(usize, usize)> {
    offsets
        .iter()
        .zip(sizes)
        .map(|(o, s)| (o.as_usize(), o.as_usize() + s.as_usize()))
        .collect()
}

/// A column of one batch, as cells.
pub(crate) enum Column<'a> {
    /// One value per row.
    Scalar(Scalar<'a>),
    /// Several values per row: row `i`'s items are `items[ranges[i].0..ranges[i].1]`.
    List {
        ranges: Vec<(usize, usize)>,
        nulls: Option<&'a NullBuffer>,
        items: Scalar<'a>,
    },
}

impl<'a> Column<'a> {
    /// The view of `a` for a field that needs `want`; `Err` as [`check`], unless every value of
    /// `a` is null ([`all_null`]): a blank column, whatever its type.
    pub(crate) fn new(a: &'a dyn Array, want: Want) -> Result<Column<'a>, String> {
        if let Err(is) = check(a.data_type(), want) {
            return if all_null(a) {
                Ok(Column::Scalar(Scalar::Null))
            } else {
                Err(is)
            };
        }
        if !matches!(want, Want::Codes | Want::Dates) {
            return Ok(Column::Scalar(Scalar::new(a)));
        }
        let (ranges, values) = match a.data_type() {
            DataType::List(_) => {
                let l = a.as_list::<i32>();
                (ranges(l.value_offsets()), l.values())
            }
            DataType::LargeList(_) => {
                let l = a.as_list::<i64>();
                (ranges(l.value_offsets()), l.values())
            }
            DataType::ListView(_) => {
                let l = a.as_list_view::<i32>();
                (view_ranges(l.value_offsets(), l.value_sizes()), l.values())
            }
            DataType::LargeListView(_) => {
                let l = a.as_list_view::<i64>();
                (view_ranges(l.value_offsets(), l.value_sizes()), l.values())
            }
            DataType::FixedSizeList(_, n) => {
                let l = a.as_fixed_size_list();
                let n = usize::try_from(*n).unwrap_or(0);
                let r = (0..l.len())
                    .map(|i| {
                        let s = usize::try_from(l.value_offset(i)).unwrap_or(0);
                        (s, s + n)
                    })
                    .collect();
                (r, l.values())
            }
            _ => return Ok(Column::Scalar(Scalar::new(a))),
        };
        Ok(Column::List {
            ranges,
            nulls: a.nulls(),
            items: Scalar::new(values.as_ref()),
        })
    }

    /// Is it a column of floats, whose values may be fractions ([`Column::fraction`])?
    pub(crate) fn may_hold_fractions(&self) -> bool {
        matches!(self, Column::Scalar(Scalar::Owned(_)))
    }

    /// The text of row `i` when it is a float that is not a whole number (`2.5`): no code reads
    /// as such, and its text may not be what the file held (`1.10` is `1.1`).
    pub(crate) fn fraction(&self, i: usize) -> Option<&str> {
        match self {
            Column::Scalar(Scalar::Owned(v)) => match &v[i] {
                Owned::Fraction(s) => Some(s),
                _ => None,
            },
            _ => None,
        }
    }

    /// The `k`-th value of row `i` (a null row of a list column has none; a null scalar is
    /// [`Cell::Null`]).
    pub(crate) fn get(&self, i: usize, k: usize) -> Option<Cell<'_>> {
        match self {
            Column::Scalar(s) => (k == 0).then(|| s.cell(i)),
            Column::List {
                ranges,
                nulls,
                items,
            } => {
                if nulls.is_some_and(|n| n.is_null(i)) {
                    return None;
                }
                let (start, end) = ranges[i];
                let j = start + k;
                (j < end).then(|| items.cell(j))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_offsets_and_named_zones() {
        assert_eq!(fixed_offset("UTC"), Some(0));
        assert_eq!(fixed_offset("+01:00"), Some(3600));
        assert_eq!(fixed_offset("-0530"), Some(-(5 * 3600 + 30 * 60)));
        assert_eq!(fixed_offset("Europe/London"), None);
    }

    #[test]
    fn floats_are_whole_numbers_text_or_null() {
        assert!(matches!(float(7.0), Owned::Int(7)));
        assert!(matches!(float(-0.0), Owned::Int(0)));
        assert!(matches!(float(f64::NAN), Owned::Null));
        assert!(matches!(float(2.5), Owned::Fraction(ref s) if s == "2.5"));
        assert!(matches!(float(1e20), Owned::Fraction(_)));
    }
}
