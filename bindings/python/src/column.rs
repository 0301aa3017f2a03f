//! Typed views of one input column of an Arrow table, whatever Arrow type the caller's library
//! chose for it: text (string, large string, string view, dictionary of strings, integers, floats,
//! booleans), dates (date32, date64, timestamps, or text in ISO `YYYY-MM-DD` or `DD/MM/YYYY`),
//! booleans, counts, and lists of codes or dates.
//!
//! A view is made once per column and batch ([`Text::new`], [`Dates::new`], ...), which checks the
//! type; reading a row is then a match and an index. Date text goes through the core's
//! [`parse_ymd`] and [`parse_dmy`], so a date reads the same from a frame as from a file.

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow_array::{
    Array, BooleanArray, LargeStringArray, OffsetSizeTrait, StringArray, StringViewArray,
};
use arrow_buffer::NullBuffer;
use arrow_schema::{DataType, TimeUnit};
use compact_str::{CompactString, format_compact};
use csc_measures::Day;
use csc_measures::day::{parse_dmy, parse_ymd};

/// Why a column cannot be read as asked: its Arrow type, for the message.
#[derive(Debug)]
pub struct WrongType(pub String);

fn wrong(dt: &DataType) -> WrongType {
    WrongType(dt.to_string())
}

/// A value that could not be read, as it stood.
#[derive(Debug)]
pub struct Unreadable(pub String);

/// A column read as text: codes and identifiers.
pub enum Text<'a> {
    /// No such column, or an all-null one.
    Null,
    /// `utf8`.
    Utf8(&'a StringArray),
    /// `large_utf8`.
    Large(&'a LargeStringArray),
    /// `utf8_view`.
    View(&'a StringViewArray),
    /// A dictionary (pandas categoricals, polars enums): keys into the values' text.
    Dict {
        /// The key of each row, normalised to an index into `values`.
        keys: Vec<usize>,
        /// Which rows are null.
        nulls: Option<&'a NullBuffer>,
        /// The dictionary's values.
        values: Box<Text<'a>>,
    },
    /// Numbers and booleans, rendered once (`1234`, not `1234.0`, for a whole float).
    Rendered(Vec<Option<CompactString>>),
}

macro_rules! render {
    ($a:expr, $t:ty, $f:expr) => {{
        let a = $a.as_primitive::<$t>();
        (0..a.len())
            .map(|i| a.is_valid(i).then(|| $f(a.value(i))))
            .collect()
    }};
}

fn float_text(v: f64) -> CompactString {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
        format_compact!("{}", v as i64)
    } else {
        format_compact!("{v}")
    }
}

impl<'a> Text<'a> {
    /// A text view of `a`; dates are rendered as `DD/MM/YYYY`, the SSDA903 form.
    pub fn new(a: &'a dyn Array) -> Result<Text<'a>, WrongType> {
        let dt = a.data_type();
        Ok(match dt {
            DataType::Null => Text::Null,
            DataType::Utf8 => Text::Utf8(a.as_string::<i32>()),
            DataType::LargeUtf8 => Text::Large(a.as_string::<i64>()),
            DataType::Utf8View => Text::View(a.as_string_view()),
            DataType::Dictionary(_, _) => {
                let d = a.as_any_dictionary();
                let values = Text::new(d.values().as_ref())?;
                let keys = if d.values().is_empty() {
                    vec![0; a.len()]
                } else {
                    d.normalized_keys()
                };
                Text::Dict {
                    keys,
                    nulls: d.keys().nulls(),
                    values: Box::new(values),
                }
            }
            DataType::Int8 => Text::Rendered(render!(a, Int8Type, |v| format_compact!("{v}"))),
            DataType::Int16 => Text::Rendered(render!(a, Int16Type, |v| format_compact!("{v}"))),
            DataType::Int32 => Text::Rendered(render!(a, Int32Type, |v| format_compact!("{v}"))),
            DataType::Int64 => Text::Rendered(render!(a, Int64Type, |v| format_compact!("{v}"))),
            DataType::UInt8 => Text::Rendered(render!(a, UInt8Type, |v| format_compact!("{v}"))),
            DataType::UInt16 => Text::Rendered(render!(a, UInt16Type, |v| format_compact!("{v}"))),
            DataType::UInt32 => Text::Rendered(render!(a, UInt32Type, |v| format_compact!("{v}"))),
            DataType::UInt64 => Text::Rendered(render!(a, UInt64Type, |v| format_compact!("{v}"))),
            DataType::Float32 => {
                Text::Rendered(render!(a, Float32Type, |v: f32| float_text(f64::from(v))))
            }
            DataType::Float64 => Text::Rendered(render!(a, Float64Type, float_text)),
            DataType::Boolean => {
                let b: &BooleanArray = a.as_boolean();
                Text::Rendered(
                    (0..b.len())
                        .map(|i| {
                            b.is_valid(i).then(|| {
                                CompactString::const_new(if b.value(i) { "true" } else { "false" })
                            })
                        })
                        .collect(),
                )
            }
            DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, _) => {
                let d = Dates::new(a)?;
                Text::Rendered(
                    (0..a.len())
                        .map(|i| {
                            d.get(i).ok().flatten().map(|day| {
                                let (y, m, dd) = day.to_ymd();
                                format_compact!("{dd:02}/{m:02}/{y:04}")
                            })
                        })
                        .collect(),
                )
            }
            _ => return Err(wrong(dt)),
        })
    }

    /// Row `i`, trimmed; `None` when null or blank.
    pub fn get(&self, i: usize) -> Option<&str> {
        let s = match self {
            Text::Null => None,
            Text::Utf8(a) => a.is_valid(i).then(|| a.value(i)),
            Text::Large(a) => a.is_valid(i).then(|| a.value(i)),
            Text::View(a) => a.is_valid(i).then(|| a.value(i)),
            Text::Dict {
                keys,
                nulls,
                values,
            } => {
                if nulls.is_some_and(|n| n.is_null(i)) {
                    None
                } else {
                    values.get(keys[i])
                }
            }
            Text::Rendered(v) => v[i].as_deref(),
        }?;
        let t = s.trim();
        (!t.is_empty()).then_some(t)
    }

    /// Row `i` as a [`CompactString`], blank when null.
    pub fn compact(&self, i: usize) -> CompactString {
        self.get(i).map(CompactString::from).unwrap_or_default()
    }
}

/// A column read as dates.
pub enum Dates<'a> {
    /// No such column, or an all-null one.
    Null,
    /// `date32`: days since 1970-01-01, the core's own [`Day`].
    Date32(&'a [i32], Option<&'a NullBuffer>),
    /// `date64` (milliseconds) and timestamps: `(value + offset) / per_day`, floored.
    Ticks {
        /// The raw values.
        values: &'a [i64],
        /// Which rows are null.
        nulls: Option<&'a NullBuffer>,
        /// Ticks per day.
        per_day: i64,
        /// Ticks to add for the time zone's offset (local wall time).
        offset: i64,
    },
    /// Text in ISO `YYYY-MM-DD` or `DD/MM/YYYY`.
    Text(Text<'a>),
}

/// The offset in seconds of a fixed time zone (`UTC`, `Z`, `+01:00`, `-0530`); `None` for a named
/// zone, whose offset changes through the year and needs a time-zone database.
fn fixed_offset(tz: &str) -> Option<i64> {
    let t = tz.trim();
    if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") || t == "Etc/UTC" || t == "GMT"
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

impl<'a> Dates<'a> {
    /// A date view of `a`. A timestamp with a named time zone is refused (its local date needs a
    /// time-zone database): the caller converts it to dates or naive timestamps first.
    pub fn new(a: &'a dyn Array) -> Result<Dates<'a>, WrongType> {
        let dt = a.data_type();
        let ticks = |values: &'a [i64], per_sec: i64, tz: &Option<std::sync::Arc<str>>| {
            let offset = match tz {
                None => 0,
                Some(z) => fixed_offset(z).ok_or_else(|| {
                    WrongType(format!(
                        "{dt} (a named time zone: convert it to dates or to naive timestamps in local time first)"
                    ))
                })?,
            };
            Ok::<Dates<'a>, WrongType>(Dates::Ticks {
                values,
                nulls: a.nulls(),
                per_day: per_sec * 86_400,
                offset: offset * per_sec,
            })
        };
        Ok(match dt {
            DataType::Null => Dates::Null,
            DataType::Date32 => {
                let p = a.as_primitive::<arrow_array::types::Date32Type>();
                Dates::Date32(p.values(), p.nulls())
            }
            DataType::Date64 => Dates::Ticks {
                values: a.as_primitive::<arrow_array::types::Date64Type>().values(),
                nulls: a.nulls(),
                per_day: 86_400_000,
                offset: 0,
            },
            DataType::Timestamp(unit, tz) => match unit {
                TimeUnit::Second => ticks(a.as_primitive::<TimestampSecondType>().values(), 1, tz)?,
                TimeUnit::Millisecond => ticks(
                    a.as_primitive::<TimestampMillisecondType>().values(),
                    1_000,
                    tz,
                )?,
                TimeUnit::Microsecond => ticks(
                    a.as_primitive::<TimestampMicrosecondType>().values(),
                    1_000_000,
                    tz,
                )?,
                TimeUnit::Nanosecond => ticks(
                    a.as_primitive::<TimestampNanosecondType>().values(),
                    1_000_000_000,
                    tz,
                )?,
            },
            DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Dictionary(_, _) => Dates::Text(Text::new(a)?),
            _ => return Err(wrong(dt)),
        })
    }

    /// Row `i`: `Ok(None)` when null or blank, `Err` with the text when it is not a date.
    pub fn get(&self, i: usize) -> Result<Option<Day>, Unreadable> {
        let out_of_range = |n: i64| Unreadable(format!("day number {n}"));
        match self {
            Dates::Null => Ok(None),
            Dates::Date32(v, nulls) => {
                if nulls.is_some_and(|n| n.is_null(i)) {
                    return Ok(None);
                }
                Day::new(v[i])
                    .map(Some)
                    .map_err(|_| out_of_range(i64::from(v[i])))
            }
            Dates::Ticks {
                values,
                nulls,
                per_day,
                offset,
            } => {
                if nulls.is_some_and(|n| n.is_null(i)) {
                    return Ok(None);
                }
                let days = values[i].saturating_add(*offset).div_euclid(*per_day);
                i32::try_from(days)
                    .ok()
                    .and_then(|d| Day::new(d).ok())
                    .map(Some)
                    .ok_or_else(|| out_of_range(days))
            }
            Dates::Text(t) => match t.get(i) {
                None => Ok(None),
                Some(s) => parse_ymd(s)
                    .or_else(|| parse_dmy(s))
                    .map(Some)
                    .ok_or_else(|| Unreadable(s.to_owned())),
            },
        }
    }
}

/// A column read as booleans: `bool`, integers 0 and 1, or text `true`/`false`/`1`/`0` in any
/// case (the CIN census's rule).
pub enum Flags<'a> {
    /// `bool`.
    Bool(&'a BooleanArray),
    /// Anything else, through its text.
    Text(Text<'a>),
}

impl<'a> Flags<'a> {
    /// A boolean view of `a`.
    pub fn new(a: &'a dyn Array) -> Result<Flags<'a>, WrongType> {
        match a.data_type() {
            DataType::Boolean => Ok(Flags::Bool(a.as_boolean())),
            _ => Text::new(a).map(Flags::Text),
        }
    }

    /// Row `i`: `Ok(None)` when null or blank.
    pub fn get(&self, i: usize) -> Result<Option<bool>, Unreadable> {
        match self {
            Flags::Bool(b) => Ok(b.is_valid(i).then(|| b.value(i))),
            Flags::Text(t) => match t.get(i) {
                None => Ok(None),
                Some(s) => csc_returns::field::cin_bool(s).map_err(|_| Unreadable(s.to_owned())),
            },
        }
    }
}

/// A column read as a non-negative count (`NumberOfPreviousCPP`): integers, whole floats, or
/// digits.
pub struct Counts<'a>(Text<'a>);

impl<'a> Counts<'a> {
    /// A count view of `a`.
    pub fn new(a: &'a dyn Array) -> Result<Counts<'a>, WrongType> {
        match a.data_type() {
            DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, _) => {
                Err(wrong(a.data_type()))
            }
            _ => Text::new(a).map(Counts),
        }
    }

    /// Row `i`: `Ok(None)` when null or blank.
    pub fn get(&self, i: usize) -> Result<Option<u32>, Unreadable> {
        match self.0.get(i) {
            None => Ok(None),
            Some(s) => csc_returns::field::count(s).map_err(|_| Unreadable(s.to_owned())),
        }
    }
}

/// The items of a list column: a `list` or `large_list` of text or dates, or text separated by
/// commas, semicolons or spaces (`"2A, 3B"`).
pub enum Items<'a> {
    /// A list array: offsets into the flattened values.
    List {
        /// `offsets[i]..offsets[i + 1]` are row `i`'s items.
        offsets: Vec<usize>,
        /// Which rows are null.
        nulls: Option<&'a NullBuffer>,
        /// The flattened values as text (dates as ISO, for date items).
        values: Text<'a>,
        /// The flattened values as dates, when they are dates or text.
        dates: Option<Dates<'a>>,
    },
    /// Separated text.
    Text(Text<'a>),
}

fn offsets<O: OffsetSizeTrait>(o: &[O]) -> Vec<usize> {
    o.iter().map(|x| x.as_usize()).collect()
}

impl<'a> Items<'a> {
    /// An items view of `a`.
    pub fn new(a: &'a dyn Array) -> Result<Items<'a>, WrongType> {
        let (offs, values) = match a.data_type() {
            DataType::List(_) => {
                let l = a.as_list::<i32>();
                (offsets(l.value_offsets()), l.values())
            }
            DataType::LargeList(_) => {
                let l = a.as_list::<i64>();
                (offsets(l.value_offsets()), l.values())
            }
            _ => return Text::new(a).map(Items::Text),
        };
        let dates = Dates::new(values.as_ref()).ok();
        Ok(Items::List {
            offsets: offs,
            nulls: a.nulls(),
            values: Text::new(values.as_ref())?,
            dates,
        })
    }

    /// The codes of row `i`.
    pub fn codes(&self, i: usize) -> Vec<CompactString> {
        match self {
            Items::List {
                offsets,
                nulls,
                values,
                ..
            } => {
                if nulls.is_some_and(|n| n.is_null(i)) {
                    return Vec::new();
                }
                (offsets[i]..offsets[i + 1])
                    .filter_map(|j| values.get(j).map(CompactString::from))
                    .collect()
            }
            Items::Text(t) => split(t.get(i)).map(CompactString::from).collect(),
        }
    }

    /// The dates of row `i`; the first unreadable one is the error.
    pub fn dates(&self, i: usize) -> Result<Vec<Day>, Unreadable> {
        let mut out = Vec::new();
        match self {
            Items::List {
                offsets,
                nulls,
                dates,
                values,
            } => {
                if nulls.is_some_and(|n| n.is_null(i)) {
                    return Ok(out);
                }
                for j in offsets[i]..offsets[i + 1] {
                    match dates {
                        Some(d) => out.extend(d.get(j)?),
                        None => {
                            return Err(Unreadable(values.get(j).unwrap_or_default().to_owned()));
                        }
                    }
                }
            }
            Items::Text(t) => {
                for s in split(t.get(i)) {
                    out.push(
                        parse_ymd(s)
                            .or_else(|| parse_dmy(s))
                            .ok_or_else(|| Unreadable(s.to_owned()))?,
                    );
                }
            }
        }
        Ok(out)
    }
}

fn split(s: Option<&str>) -> impl Iterator<Item = &str> {
    s.unwrap_or_default()
        .split([',', ';', ' ', '\t'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
}
