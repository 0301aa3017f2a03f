//! [`Day`]: a calendar date with no time of day, stored as days since 1970-01-01.
//!
//! The representation is the same as Arrow's `date32` and the C ABI's `int32_t` day, so dates cross
//! every boundary without conversion. Calendar arithmetic follows spec section 1.2: months are added
//! with month-end clamping, and durations are plain differences in days.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, ErrorKind};

/// A calendar date, stored as the number of days since 1970-01-01 (negative before it).
///
/// `Display` and `FromStr` use ISO 8601 (`YYYY-MM-DD`). The supported range is the years 1 to 9999,
/// which is what [`Day::from_ymd`] accepts.
///
/// ```
/// use csc_measures::Day;
/// let d: Day = "2024-02-29".parse()?;
/// assert_eq!(d.to_string(), "2024-02-29");
/// assert_eq!(d.add_years(1).to_string(), "2025-02-28");
/// assert_eq!(Day::from_ymd(1970, 1, 1)?.get(), 0);
/// # Ok::<(), csc_measures::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[repr(transparent)]
pub struct Day(i32);

/// The first supported day, 0001-01-01.
const MIN_DAYS: i32 = -719_162;
/// The last supported day, 9999-12-31.
const MAX_DAYS: i32 = 2_932_896;

impl Day {
    /// The earliest supported date, 0001-01-01.
    pub const MIN: Day = Day(MIN_DAYS);
    /// The latest supported date, 9999-12-31.
    pub const MAX: Day = Day(MAX_DAYS);

    /// The day `days` days after 1970-01-01 (before it when negative).
    ///
    /// Returns an error outside 0001-01-01 ..= 9999-12-31.
    pub fn new(days: i32) -> Result<Day, Error> {
        if (MIN_DAYS..=MAX_DAYS).contains(&days) {
            Ok(Day(days))
        } else {
            Err(Error::new(
                ErrorKind::InvalidDate,
                format!("day number {days} is outside 0001-01-01 ..= 9999-12-31"),
            ))
        }
    }

    /// Days since 1970-01-01.
    #[must_use]
    pub const fn get(self) -> i32 {
        self.0
    }

    /// The date as ISO 8601 text, `YYYY-MM-DD` (what [`Display`](fmt::Display) writes), without
    /// the formatting machinery: for writers of many dates.
    ///
    /// ```
    /// use csc_measures::Day;
    /// assert_eq!(&Day::from_ymd(987, 6, 5)?.iso(), b"0987-06-05");
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    #[must_use]
    pub const fn iso(self) -> [u8; 10] {
        const fn digit(n: u32) -> u8 {
            b'0' + (n % 10) as u8
        }
        let (y, m, d) = self.to_ymd();
        // 1 ..= 9999: four digits.
        let y = y.unsigned_abs();
        [
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ]
    }

    /// The date with the given year, month (1-12) and day of month.
    ///
    /// ```
    /// use csc_measures::Day;
    /// assert_eq!(
    ///     Day::from_ymd(2023, 2, 29).unwrap_err().message(),
    ///     "2023-02-29 is not a date: that month has 28 days"
    /// );
    /// assert_eq!(Day::from_ymd(2024, 3, 31)?.to_string(), "2024-03-31");
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Result<Day, Error> {
        let why = if !(1..=9999).contains(&year) {
            Some("the year is outside 0001 to 9999".to_owned())
        } else if !(1..=12).contains(&month) {
            Some(format!("there is no month {month}"))
        } else if day == 0 || day > days_in_month(year, month) {
            Some(format!(
                "that month has {} days",
                days_in_month(year, month)
            ))
        } else {
            None
        };
        if let Some(why) = why {
            return Err(Error::new(
                ErrorKind::InvalidDate,
                format!("{year:04}-{month:02}-{day:02} is not a date: {why}"),
            ));
        }
        Ok(Day(days_from_civil(year, month, day)))
    }

    /// Year, month (1-12) and day of month.
    #[must_use]
    pub const fn to_ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    /// The calendar year.
    #[must_use]
    pub const fn year(self) -> i32 {
        self.to_ymd().0
    }

    /// Day of the week, 0 = Monday .. 6 = Sunday.
    #[must_use]
    pub const fn weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (3).
        (self.0 + 3).rem_euclid(7) as u32
    }

    /// Saturday or Sunday.
    #[must_use]
    pub const fn is_weekend(self) -> bool {
        self.weekday() >= 5
    }

    /// The day `n` days later (earlier when negative), saturating at the supported range.
    #[must_use]
    pub const fn add_days(self, n: i32) -> Day {
        let d = self.0.saturating_add(n);
        Day(if d < MIN_DAYS {
            MIN_DAYS
        } else if d > MAX_DAYS {
            MAX_DAYS
        } else {
            d
        })
    }

    /// Calendar days from `earlier` to `self` (`self - earlier`), negative when `self` is earlier.
    #[must_use]
    pub const fn days_since(self, earlier: Day) -> i32 {
        self.0 - earlier.0
    }

    /// `add_months(d, n)` of spec 1.2: the same day of the month `n` months later (earlier when
    /// negative), clamped to the last day of the target month, and saturating at the supported range.
    ///
    /// ```
    /// use csc_measures::Day;
    /// let d: Day = "2024-01-31".parse()?;
    /// assert_eq!(d.add_months(1).to_string(), "2024-02-29");
    /// assert_eq!(d.add_months(-2).to_string(), "2023-11-30");
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    #[must_use]
    pub fn add_months(self, n: i32) -> Day {
        let (y, m, d) = self.to_ymd();
        let total = i64::from(y) * 12 + i64::from(m - 1) + i64::from(n);
        let ty = total.div_euclid(12);
        if ty < 1 {
            return Day::MIN;
        }
        if ty > 9999 {
            return Day::MAX;
        }
        let ty = ty as i32;
        let tm = total.rem_euclid(12) as u32 + 1;
        Day(days_from_civil(ty, tm, d.min(days_in_month(ty, tm))))
    }

    /// `add_years(d, n) = add_months(d, 12 n)` (29 Feb 2024 + 1 year = 28 Feb 2025).
    #[must_use]
    pub fn add_years(self, n: i32) -> Day {
        self.add_months(n.saturating_mul(12))
    }

    /// Parses a date as a person types one: ISO `YYYY-MM-DD`, or `DD/MM/YYYY` as the SSDA903 files
    /// and UK spreadsheets write dates (day first; one or two digits for day and month, four for
    /// the year). Surrounding whitespace is ignored. Every surface reads the dates a user gives
    /// (periods, series months, working days) with this function; the readers of returns keep
    /// their own, stricter forms.
    ///
    /// Anything else is an [`ErrorKind::InvalidDate`] error naming the value and the two forms:
    /// a two-digit year (`01/10/19`), another separator or order (`2019/10/01`, `01-10-2019`), a
    /// time of day, or a day the calendar lacks (`31/02/2024`). `MM/DD/YYYY` is never tried: a
    /// date like `10/01/2019` is always 10 January.
    ///
    /// ```
    /// use csc_measures::Day;
    /// assert_eq!(Day::parse_user("01/10/2019")?.to_string(), "2019-10-01");
    /// assert_eq!(Day::parse_user("1/10/2019")?, Day::parse_user("2019-10-01")?);
    /// let e = Day::parse_user("01-10-2019").unwrap_err();
    /// assert!(e.message().contains("\"01-10-2019\"") && e.message().contains("DD/MM/YYYY"));
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    pub fn parse_user(s: &str) -> Result<Day, Error> {
        const FORMS: &str = "a date is written YYYY-MM-DD (2019-10-01) or DD/MM/YYYY (01/10/2019)";
        let t = s.trim();
        if let Some(d) = parse_ymd(t).or_else(|| parse_dmy(t)) {
            return Ok(d);
        }
        let parts: Vec<&str> = t.split(['-', '/']).collect();
        let numeric = parts.len() == 3 && parts.iter().all(|p| digits(p).is_some());
        let why = if numeric && (t.split('-').count() == 3 || t.split('/').count() == 3) {
            let year_first = parts[0].len() == 4;
            let (y, m, d) = if year_first {
                (parts[0], parts[1], parts[2])
            } else {
                (parts[2], parts[1], parts[0])
            };
            if y.len() != 4 {
                format!("the year has four digits; {FORMS}")
            } else if t.contains('-') != year_first {
                let order = if year_first {
                    "a year-first date takes hyphens"
                } else {
                    "a day-first date takes slashes"
                };
                format!("{order}; {FORMS}")
            } else {
                format!(
                    "there is no day {d} of month {m} in {y}; {FORMS}",
                    d = digits(d).unwrap_or(0),
                    m = digits(m).unwrap_or(0)
                )
            }
        } else {
            FORMS.to_owned()
        };
        Err(Error::new(
            ErrorKind::InvalidDate,
            format!("{s:?} is not a date: {why}"),
        ))
    }

    /// The first day of the financial year that contains this day (1 April).
    #[must_use]
    pub fn financial_year(self) -> i32 {
        let (y, m, _) = self.to_ymd();
        if m >= 4 { y + 1 } else { y }
    }
}

/// Is `year` a leap year in the proleptic Gregorian calendar?
#[must_use]
pub const fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1-12) of `year`.
#[must_use]
pub const fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

// Howard Hinnant's `days_from_civil` and `civil_from_days`, exact for the proleptic Gregorian calendar.
const fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy as i32;
    era * 146_097 + doe - 719_468
}

const fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let iso = self.iso();
        f.pad(std::str::from_utf8(&iso).map_err(|_| fmt::Error)?)
    }
}

impl fmt::Debug for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Day {
    type Err = Error;

    /// Parses an ISO date, `YYYY-MM-DD`. Month and day may have one or two digits (`YYYY-M-D`, as the
    /// CIN census allows); the year has exactly four. Surrounding whitespace is ignored. Anything else,
    /// a time part included, is an error.
    fn from_str(s: &str) -> Result<Day, Error> {
        parse_ymd(s.trim()).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidDate,
                format!("{s:?} is not a date in the form YYYY-MM-DD"),
            )
        })
    }
}

/// Parses `YYYY-M-D` with one or two digits for month and day; `None` when malformed or impossible.
#[must_use]
pub fn parse_ymd(s: &str) -> Option<Day> {
    let b = s.as_bytes();
    match <&[u8; 10]>::try_from(b) {
        // Ten bytes can only be `YYYY-MM-DD`.
        Ok(b) => fixed::<false>(b),
        Err(_) => general::<false>(b),
    }
}

/// Parses `D/M/YYYY` (SSDA903) with one or two digits for day and month; `None` when malformed or
/// impossible. A two-digit year or a time part is malformed.
///
/// ```
/// use csc_measures::day::parse_dmy;
/// assert_eq!(parse_dmy("1/4/2023").unwrap().to_string(), "2023-04-01");
/// assert!(parse_dmy("01/04/23").is_none());
/// assert!(parse_dmy("31/02/2023").is_none());
/// ```
#[must_use]
pub fn parse_dmy(s: &str) -> Option<Day> {
    let b = s.as_bytes();
    match <&[u8; 10]>::try_from(b) {
        // Ten bytes can only be `DD/MM/YYYY`.
        Ok(b) => fixed::<true>(b),
        Err(_) => general::<true>(b),
    }
}

/// The ten-byte forms (`YYYY-MM-DD`, `DD/MM/YYYY` when `DMY`, the only ones of ten bytes) read
/// without splitting: the date, or `None` when `b` is not such a valid date.
#[inline]
fn fixed<const DMY: bool>(b: &[u8; 10]) -> Option<Day> {
    let (sep, [s1, s2], [year, month, day]) = if DMY {
        (b'/', [2, 5], [6, 3, 0])
    } else {
        (b'-', [4, 7], [0, 5, 8])
    };
    if b[s1] != sep || b[s2] != sep {
        return None;
    }
    let n = |i: usize| u32::from(b[i].wrapping_sub(b'0'));
    let v = [
        n(year),
        n(year + 1),
        n(year + 2),
        n(year + 3),
        n(month),
        n(month + 1),
        n(day),
        n(day + 1),
    ];
    if v.iter().any(|&x| x > 9) {
        return None;
    }
    checked_day(
        v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3],
        v[4] * 10 + v[5],
        v[6] * 10 + v[7],
    )
}

/// The forms of other lengths (`D/M/YYYY`, `YYYY-M-D`), split at the separator, out of the way of
/// the ten-byte ones.
#[inline(never)]
fn general<const DMY: bool>(b: &[u8]) -> Option<Day> {
    if DMY {
        let [d, m, y] = split3(b, b'/')?;
        short(y, m, d)
    } else {
        let [y, m, d] = split3(b, b'-')?;
        short(y, m, d)
    }
}

/// The three parts of `b` split at `sep`; `None` unless there are exactly three.
fn split3(b: &[u8], sep: u8) -> Option<[&[u8]; 3]> {
    let i = b.iter().position(|&c| c == sep)?;
    let rest = &b[i + 1..];
    let j = rest.iter().position(|&c| c == sep)?;
    let last = &rest[j + 1..];
    if last.contains(&sep) {
        return None;
    }
    Some([&b[..i], &rest[..j], last])
}

/// A date given as a four-digit year and a month and day of one or two digits.
fn short(y: &[u8], m: &[u8], d: &[u8]) -> Option<Day> {
    if y.len() != 4 || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
        return None;
    }
    checked_day(part(y)?, part(m)?, part(d)?)
}

/// The day `year-month-day`, or `None` when there is none (what [`Day::from_ymd`] accepts, without
/// building its error).
#[inline]
fn checked_day(year: u32, month: u32, day: u32) -> Option<Day> {
    if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    #[allow(clippy::cast_possible_wrap)] // at most 9999
    let year = year as i32;
    if day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(Day(days_from_civil(year, month, day)))
}

/// A part of at most four ASCII digits as a number (no sign); `None` when empty or not digits.
fn part(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        s.iter()
            .fold(0u32, |acc, &b| acc * 10 + u32::from(b - b'0')),
    )
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.bytes().try_fold(0u32, |acc, b| {
        acc.checked_mul(10)?.checked_add(u32::from(b - b'0'))
    })
}

#[cfg(feature = "serde")]
mod serde_impls {
    use super::Day;

    impl serde::Serialize for Day {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(self)
        }
    }

    impl<'de> serde::Deserialize<'de> for Day {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
            let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
            s.parse().map_err(serde::de::Error::custom)
        }
    }
}

#[cfg(feature = "chrono")]
mod chrono_impls {
    use super::Day;
    use crate::error::{Error, ErrorKind};
    use chrono::{Datelike, NaiveDate};

    impl From<Day> for NaiveDate {
        fn from(d: Day) -> NaiveDate {
            let (y, m, dd) = d.to_ymd();
            // Every Day is within 0001..=9999, which chrono represents.
            NaiveDate::from_ymd_opt(y, m, dd).unwrap_or(NaiveDate::MIN)
        }
    }

    impl TryFrom<NaiveDate> for Day {
        type Error = Error;

        fn try_from(d: NaiveDate) -> Result<Day, Error> {
            Day::from_ymd(d.year(), d.month(), d.day()).map_err(|_| {
                Error::new(
                    ErrorKind::InvalidDate,
                    format!("{d} is outside 0001-01-01 ..= 9999-12-31"),
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Day {
        s.parse().unwrap()
    }

    #[test]
    fn epoch_and_weekday() {
        assert_eq!(Day::from_ymd(1970, 1, 1).unwrap().get(), 0);
        assert_eq!(d("2024-03-29").weekday(), 4); // Good Friday 2024
        assert_eq!(d("2024-03-30").weekday(), 5);
        assert!(d("2024-03-31").is_weekend());
        assert_eq!(d("1969-12-31").get(), -1);
        assert_eq!(d("1969-12-31").weekday(), 2);
        assert_eq!(Day::MIN.to_string(), "0001-01-01");
        assert_eq!(Day::MAX.to_string(), "9999-12-31");
    }

    #[test]
    fn month_end_clamping() {
        assert_eq!(d("2023-01-31").add_months(1), d("2023-02-28"));
        assert_eq!(d("2024-01-31").add_months(1), d("2024-02-29"));
        assert_eq!(d("2024-02-29").add_years(1), d("2025-02-28"));
        assert_eq!(d("2024-02-29").add_years(-4), d("2020-02-29"));
        assert_eq!(d("2024-03-31").add_months(-1), d("2024-02-29"));
        assert_eq!(d("2024-03-31").add_months(-30), d("2021-09-30"));
        assert_eq!(d("2024-05-31").add_months(-15), d("2023-02-28"));
        assert_eq!(d("2023-12-15").add_months(1), d("2024-01-15"));
        assert_eq!(d("0001-01-01").add_months(-1), Day::MIN);
        assert_eq!(d("9999-12-01").add_months(1), Day::MAX);
    }

    #[test]
    fn parsing() {
        assert_eq!(parse_ymd("2024-3-1"), Some(d("2024-03-01")));
        assert_eq!(parse_dmy("01/03/2024"), Some(d("2024-03-01")));
        for bad in [
            "",
            "2024-03",
            "24-03-01",
            "2024-03-01T00:00",
            "2024-13-01",
            "2023-02-29",
            "2024-003-01",
            "2024-+3-01",
        ] {
            assert_eq!(parse_ymd(bad), None, "{bad}");
        }
        for bad in [
            "",
            "01/03/24",
            "31/02/2024",
            "1/3/2024 00:00",
            "03-01-2024",
            "001/3/2024",
            "1/3/02024",
        ] {
            assert_eq!(parse_dmy(bad), None, "{bad}");
        }
        assert!(" 2024-03-01 ".parse::<Day>().is_ok());
        let err = "2024-02-30".parse::<Day>().unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidDate);
        assert!(err.to_string().contains("2024-02-30"));
    }

    #[test]
    fn dates_as_people_type_them() {
        for (typed, iso) in [
            ("2019-10-01", "2019-10-01"),
            ("01/10/2019", "2019-10-01"),
            (" 1/10/2019 ", "2019-10-01"),
            ("10/01/2019", "2019-01-10"),
            ("29/02/2024", "2024-02-29"),
        ] {
            assert_eq!(Day::parse_user(typed).unwrap(), d(iso), "{typed}");
        }
        for (typed, why) in [
            ("01/10/19", "the year has four digits"),
            ("2019/10/01", "a year-first date takes hyphens"),
            ("01-10-2019", "a day-first date takes slashes"),
            ("31/02/2024", "there is no day 31 of month 2 in 2024"),
            ("2023-02-29", "there is no day 29 of month 2 in 2023"),
            ("10/13/2019", "there is no day 10 of month 13 in 2019"),
            (
                "2019-10-01T00:00",
                "YYYY-MM-DD (2019-10-01) or DD/MM/YYYY (01/10/2019)",
            ),
            (
                "1 October 2019",
                "YYYY-MM-DD (2019-10-01) or DD/MM/YYYY (01/10/2019)",
            ),
            ("", "YYYY-MM-DD"),
        ] {
            let e = Day::parse_user(typed).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidDate);
            assert!(e.message().contains(&format!("{typed:?}")), "{e}");
            assert!(e.message().contains(why), "{typed}: {e}");
            assert!(e.message().contains("DD/MM/YYYY"), "{e}");
        }
    }

    #[test]
    fn financial_year() {
        assert_eq!(d("2024-03-31").financial_year(), 2024);
        assert_eq!(d("2024-04-01").financial_year(), 2025);
    }

    #[cfg(feature = "chrono")]
    #[test]
    fn chrono_round_trip() {
        let n = chrono::NaiveDate::from_ymd_opt(2016, 2, 29).unwrap();
        let day = Day::try_from(n).unwrap();
        assert_eq!(day, d("2016-02-29"));
        assert_eq!(chrono::NaiveDate::from(day), n);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        /// Any short string of digits, separators, spaces, signs and other characters (ASCII and
        /// not) reads as it did before the fast paths.
        #[test]
        fn the_parsers_read_any_short_string_as_before(
            s in "[0-9/ +.\\-a\u{e9}\u{663}\u{ff10}\t]{0,14}",
            t in "[0-9]{1,5}[/-][0-9]{0,3}[/-][0-9]{0,5}",
        ) {
            for s in [&s, &t] {
                prop_assert_eq!(parse_ymd(s), before::parse_ymd(s), "{:?}", s);
                prop_assert_eq!(parse_dmy(s), before::parse_dmy(s), "{:?}", s);
            }
        }
    }

    /// `parse_ymd` and `parse_dmy` as they were before their fast paths, to check the new ones
    /// against.
    mod before {
        use super::super::{Day, digits};

        fn fixed(b: &[u8], sep: u8, [year, month, day]: [usize; 3]) -> Option<Day> {
            let num = |from: usize, len: usize| -> Option<u32> {
                b[from..from + len].iter().try_fold(0u32, |n, &c| {
                    c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
                })
            };
            let seps = if year == 0 { [4, 7] } else { [2, 5] };
            if b.len() != 10 || seps.iter().any(|&i| b[i] != sep) {
                return None;
            }
            let (y, m, d) = (num(year, 4)?, num(month, 2)?, num(day, 2)?);
            Day::from_ymd(y as i32, m, d).ok()
        }

        pub(super) fn parse_ymd(s: &str) -> Option<Day> {
            if let Some(d) = fixed(s.as_bytes(), b'-', [0, 5, 8]) {
                return Some(d);
            }
            let mut parts = s.split('-');
            let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some()
                || y.len() != 4
                || !(1..=2).contains(&m.len())
                || !(1..=2).contains(&d.len())
            {
                return None;
            }
            Day::from_ymd(digits(y)? as i32, digits(m)?, digits(d)?).ok()
        }

        pub(super) fn parse_dmy(s: &str) -> Option<Day> {
            if let Some(d) = fixed(s.as_bytes(), b'/', [6, 3, 0]) {
                return Some(d);
            }
            let mut parts = s.split('/');
            let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some()
                || y.len() != 4
                || !(1..=2).contains(&m.len())
                || !(1..=2).contains(&d.len())
            {
                return None;
            }
            Day::from_ymd(digits(y)? as i32, digits(m)?, digits(d)?).ok()
        }
    }

    /// Every date-like string of a grid of years, months and days, in both orders, with every
    /// separator, padded or not, reads as it did before.
    #[test]
    fn the_parsers_read_a_grid_of_dates_as_before() {
        let years = [
            0, 1, 4, 99, 100, 400, 1600, 1900, 2000, 2023, 2024, 2100, 9999,
        ];
        for y in years {
            for m in 0..=13 {
                for d in 0..=32 {
                    for sep in ['-', '/', ' ', '.'] {
                        for s in [
                            format!("{y:04}{sep}{m:02}{sep}{d:02}"),
                            format!("{y:04}{sep}{m}{sep}{d}"),
                            format!("{y}{sep}{m}{sep}{d:02}"),
                            format!("{d:02}{sep}{m:02}{sep}{y:04}"),
                            format!("{d}{sep}{m}{sep}{y:04}"),
                            format!("{d}{sep}{m:02}{sep}{y}"),
                            format!("{d:03}{sep}{m}{sep}{y:04}"),
                            format!("{y:05}{sep}{m}{sep}{d}"),
                        ] {
                            assert_eq!(parse_ymd(&s), before::parse_ymd(&s), "{s:?}");
                            assert_eq!(parse_dmy(&s), before::parse_dmy(&s), "{s:?}");
                        }
                    }
                }
            }
        }
    }

    proptest! {
        #[test]
        fn ymd_round_trip(n in MIN_DAYS..=MAX_DAYS) {
            let day = Day::new(n).unwrap();
            let (y, m, dd) = day.to_ymd();
            prop_assert_eq!(Day::from_ymd(y, m, dd).unwrap(), day);
            prop_assert_eq!(day.to_string().parse::<Day>().unwrap(), day);
        }

        /// The ten-byte fast path reads exactly what splitting on the separator reads.
        #[test]
        fn the_fast_path_agrees_with_the_general_reading(
            y in 0u32..10000,
            m in 0u32..14,
            d in 0u32..33,
            sep in prop::sample::select(vec!['-', '/', ' ']),
            junk in "[0-9/ -]{10}",
        ) {
            fn general(s: &str, sep: char, order: [usize; 3]) -> Option<Day> {
                let parts: Vec<&str> = s.split(sep).collect();
                if parts.len() != 3 {
                    return None;
                }
                let (y, m, d) = (parts[order[0]], parts[order[1]], parts[order[2]]);
                if y.len() != 4 || !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
                    return None;
                }
                let n = |p: &str| -> Option<u32> {
                    if p.bytes().all(|b| b.is_ascii_digit()) { p.parse().ok() } else { None }
                };
                Day::from_ymd(n(y)? as i32, n(m)?, n(d)?).ok()
            }
            for s in [
                format!("{y:04}{sep}{m:02}{sep}{d:02}"),
                format!("{d:02}{sep}{m:02}{sep}{y:04}"),
                junk,
            ] {
                prop_assert_eq!(parse_ymd(&s), general(&s, '-', [0, 1, 2]), "{}", s);
                prop_assert_eq!(parse_dmy(&s), general(&s, '/', [2, 1, 0]), "{}", s);
            }
        }

        #[cfg(feature = "chrono")]
        #[test]
        fn agrees_with_chrono(n in MIN_DAYS..=MAX_DAYS, months in -2000i32..2000) {
            use chrono::Months;
            let day = Day::new(n).unwrap();
            let c = chrono::NaiveDate::from(day);
            prop_assert_eq!(c.to_string(), day.to_string());
            let shifted = if months >= 0 {
                c.checked_add_months(Months::new(months as u32))
            } else {
                c.checked_sub_months(Months::new(months.unsigned_abs()))
            };
            if let Some(s) = shifted.filter(|s| (1..=9999).contains(&chrono::Datelike::year(s))) {
                prop_assert_eq!(day.add_months(months).to_string(), s.to_string());
            }
        }
    }
}
