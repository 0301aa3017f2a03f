//! Working days and the England and Wales bank-holiday calendar (spec 1.3 and 7).
//!
//! A working day is Monday to Friday and not a bank holiday. [`Calendar::wd`] counts working days
//! between two dates under one of three [`WorkingDays`] conventions in O(1): the calendar keeps a
//! prefix sum of working days over the years it covers (1900-2199 for the built-in one, more when a
//! caller's list reaches further) and counts by weekday arithmetic and the standard rules outside them.
//!
//! The built-in list is the official gov.uk list for 2012-2027 and, for other years, the standard
//! rules with the one-off changes the spec names. Years after the last official year (2027 for the
//! built-in list) are provisional: a count that examined such a day says so, and measures turn that
//! into the `calendar_provisional` warning.
//!
//! ```
//! use csc_measures::{Calendar, Day, WorkingDays};
//! let cal = Calendar::england_and_wales();
//! let a: Day = "2024-03-28".parse()?; // Thursday before Easter
//! let b: Day = "2024-04-02".parse()?; // Tuesday after Easter Monday
//! assert_eq!(cal.wd(a, b, WorkingDays::AfterStart)?.days, 1);
//! assert_eq!(cal.wd(a, b, WorkingDays::BusdayCount)?.days, 1);
//! assert_eq!(cal.wd(a, a, WorkingDays::AfterStart)?.days, 0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use crate::day::Day;
use crate::error::{Error, ErrorKind};

/// How working days between a start `a` and an end `b >= a` are counted (option `working_days`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum WorkingDays {
    /// Working days `d` with `a < d <= b` (the default; same day = 0, as DfE's published bands).
    #[default]
    AfterStart,
    /// `max(0, NETWORKDAYS(a, b) - 1)`, with Excel's `NETWORKDAYS` counting `a <= d <= b`.
    Networkdays,
    /// Working days `d` with `a <= d < b`, as numpy's `busday_count`.
    BusdayCount,
}

impl WorkingDays {
    /// Every convention, the default first.
    pub const ALL: [WorkingDays; 3] = [
        WorkingDays::AfterStart,
        WorkingDays::Networkdays,
        WorkingDays::BusdayCount,
    ];

    /// The option value: `after_start`, `networkdays` or `busday_count`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            WorkingDays::AfterStart => "after_start",
            WorkingDays::Networkdays => "networkdays",
            WorkingDays::BusdayCount => "busday_count",
        }
    }
}

impl fmt::Display for WorkingDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for WorkingDays {
    type Err = Error;

    fn from_str(s: &str) -> Result<WorkingDays, Error> {
        WorkingDays::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidOption,
                format!(
                    "working_days={s:?} is not a convention; use after_start, networkdays or busday_count"
                ),
            )
        })
    }
}

/// The result of a working-day count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkingDayCount {
    /// The number of working days.
    pub days: u32,
    /// Some day examined lies in a year after the calendar's last official year.
    pub provisional: bool,
}

/// Why a working-day count could not be made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WdError {
    /// The end is before the start: a data error that measures exclude as `negative_duration`.
    NegativeDuration,
}

impl fmt::Display for WdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the end date is before the start date (negative_duration)")
    }
}

impl std::error::Error for WdError {}

impl From<WdError> for Error {
    fn from(e: WdError) -> Error {
        Error::new(ErrorKind::InvalidPeriod, e.to_string())
    }
}

/// The first year the built-in calendar precomputes.
const BUILTIN_FIRST_YEAR: i32 = 1900;
/// The last year the built-in calendar precomputes.
const BUILTIN_LAST_YEAR: i32 = 2199;
/// The last year of the official gov.uk list built in.
pub const BUILTIN_LAST_OFFICIAL_YEAR: i32 = 2027;

/// A working-day calendar: a bank-holiday list, the last year it is official for, and a prefix sum
/// of working days that makes [`Calendar::wd`] O(1).
///
/// A `Calendar` is immutable and `Send + Sync`; share one across threads.
#[derive(Clone)]
pub struct Calendar {
    /// Sorted, distinct holidays the caller's list (or the built-in one) declares.
    listed: Vec<Day>,
    /// The years that `listed` rules; outside them the standard rules apply.
    listed_years: (i32, i32),
    last_official_year: i32,
    /// Day number of 1 January of the first covered year.
    base: i32,
    /// `cum[i]` = working days in `[base, base + i)`.
    cum: Vec<u32>,
}

impl fmt::Debug for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Calendar")
            .field("holidays", &self.listed.len())
            .field("listed_years", &self.listed_years)
            .field("last_official_year", &self.last_official_year)
            .finish_non_exhaustive()
    }
}

impl Calendar {
    /// The built-in England and Wales calendar, built once and shared.
    #[must_use]
    pub fn england_and_wales() -> &'static Calendar {
        static CAL: OnceLock<Calendar> = OnceLock::new();
        CAL.get_or_init(|| {
            let mut days = Vec::new();
            for y in BUILTIN_FIRST_YEAR..=BUILTIN_LAST_YEAR {
                days.extend(builtin_holidays(y));
            }
            Calendar::build(
                days,
                (BUILTIN_FIRST_YEAR, BUILTIN_LAST_YEAR),
                BUILTIN_LAST_OFFICIAL_YEAR,
            )
        })
    }

    /// A calendar that replaces the built-in list with `holidays`.
    ///
    /// The list rules every year from its earliest holiday's to `last_official_year`, which defaults
    /// to the year of its latest holiday; outside those years the standard England and Wales rules
    /// give the holidays, and years after `last_official_year` are provisional. Weekend dates in the
    /// list are accepted and change nothing. A `last_official_year` after 9999, the last year a
    /// [`Day`] can be, is taken as 9999 (every year there is official), and one before year 1 as 0
    /// (none is): the calendar covers at most the years 1 to 9999, so it is built in milliseconds
    /// whatever year a caller gives.
    ///
    /// ```
    /// use csc_measures::{Calendar, Day, WorkingDays};
    /// // A list with one extra holiday on Friday 2024-05-10 and no others in 2024.
    /// let cal = Calendar::with_holidays(vec!["2024-05-10".parse()?], None);
    /// let (a, b): (Day, Day) = ("2024-05-06".parse()?, "2024-05-13".parse()?);
    /// assert_eq!(cal.wd(a, b, WorkingDays::AfterStart)?.days, 4);
    /// assert!(cal.wd(a, "2025-01-02".parse()?, WorkingDays::AfterStart)?.provisional);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_holidays(holidays: Vec<Day>, last_official_year: Option<i32>) -> Calendar {
        let last_official_year = last_official_year.map(official_year);
        let mut listed = holidays;
        listed.sort_unstable();
        listed.dedup();
        let (Some(first), Some(last)) = (listed.first(), listed.last()) else {
            // An empty list: nothing is listed, so the standard rules hold everywhere and every year
            // after the caller's declared year (or every year at all) is provisional.
            let official = last_official_year.unwrap_or(i32::MIN);
            return Calendar::from_listed(Vec::new(), (1, 0), official);
        };
        let official = last_official_year.unwrap_or(last.year());
        let years = (first.year(), official.max(last.year()));
        Calendar::from_listed(listed, years, official)
    }

    /// The built-in calendar with `extra` holidays added (a new one-off day, say).
    ///
    /// The last official year becomes the later of the built-in one (2027) and `last_official_year`,
    /// which defaults to the year of the latest extra holiday; a year after 9999 is taken as 9999,
    /// as in [`Calendar::with_holidays`].
    #[must_use]
    pub fn extended(extra: &[Day], last_official_year: Option<i32>) -> Calendar {
        let last_official_year = last_official_year.map(official_year);
        let base = Calendar::england_and_wales();
        let mut listed = base.listed.clone();
        listed.extend_from_slice(extra);
        listed.sort_unstable();
        listed.dedup();
        let declared = last_official_year.or_else(|| extra.iter().max().map(|d| d.year()));
        let official = declared.map_or(base.last_official_year, |y| y.max(base.last_official_year));
        let first = listed
            .first()
            .map_or(base.listed_years.0, |d| d.year().min(base.listed_years.0));
        let last = listed
            .last()
            .map_or(base.listed_years.1, |d| d.year().max(base.listed_years.1));
        Calendar::from_listed(listed, (first, last), official)
    }

    /// Builds from a caller's list: rules outside `years`, the list inside.
    fn from_listed(listed: Vec<Day>, years: (i32, i32), official: i32) -> Calendar {
        let first = years.0.min(BUILTIN_FIRST_YEAR);
        let last = years.1.max(BUILTIN_LAST_YEAR);
        let mut days = Vec::new();
        for y in first..=last {
            if y < years.0 || y > years.1 {
                days.extend(builtin_holidays(y));
            }
        }
        days.extend_from_slice(&listed);
        let mut cal = Calendar::build(days, (first, last), official);
        cal.listed = listed;
        cal.listed_years = years;
        cal
    }

    /// Builds the prefix sum over `covered` years from every holiday in them.
    fn build(mut holidays: Vec<Day>, covered: (i32, i32), official: i32) -> Calendar {
        holidays.sort_unstable();
        holidays.dedup();
        let start = Day::from_ymd(covered.0, 1, 1).unwrap_or(Day::MIN);
        let end = Day::from_ymd(covered.1, 12, 31).unwrap_or(Day::MAX);
        let n = end.days_since(start) as usize + 1;
        let mut cum = Vec::with_capacity(n + 1);
        cum.push(0u32);
        let mut h = holidays.iter().peekable();
        let mut total = 0u32;
        for i in 0..n {
            let day = start.add_days(i as i32);
            while h.next_if(|&&x| x < day).is_some() {}
            let holiday = h.next_if(|&&x| x == day).is_some();
            if !day.is_weekend() && !holiday {
                total += 1;
            }
            cum.push(total);
        }
        Calendar {
            listed: holidays,
            listed_years: covered,
            last_official_year: official,
            base: start.get(),
            cum,
        }
    }

    /// The last year whose holidays are official; later years are provisional.
    #[must_use]
    pub fn last_official_year(&self) -> i32 {
        self.last_official_year
    }

    /// The bank holidays in `year`, in date order.
    #[must_use]
    pub fn holidays_in(&self, year: i32) -> Vec<Day> {
        if year >= self.listed_years.0 && year <= self.listed_years.1 {
            self.listed
                .iter()
                .copied()
                .filter(|d| d.year() == year)
                .collect()
        } else {
            builtin_holidays(year)
        }
    }

    /// Is `d` a bank holiday?
    #[must_use]
    pub fn is_holiday(&self, d: Day) -> bool {
        self.holidays_in_year_contains(d)
    }

    fn holidays_in_year_contains(&self, d: Day) -> bool {
        let y = d.year();
        if y >= self.listed_years.0 && y <= self.listed_years.1 {
            self.listed.binary_search(&d).is_ok()
        } else {
            builtin_holidays(y).contains(&d)
        }
    }

    /// Is `d` a working day (Monday to Friday and not a bank holiday)?
    #[must_use]
    pub fn is_working_day(&self, d: Day) -> bool {
        match self.index(d) {
            Some(i) => self.cum[i + 1] > self.cum[i],
            None => !d.is_weekend() && !self.holidays_in_year_contains(d),
        }
    }

    fn index(&self, d: Day) -> Option<usize> {
        let i = d.get() - self.base;
        (i >= 0 && (i as usize) < self.cum.len() - 1).then_some(i as usize)
    }

    /// Working days in `[first covered day, x)`, negative for `x` before it.
    fn before(&self, x: i64) -> i64 {
        let base = i64::from(self.base);
        let len = (self.cum.len() - 1) as i64;
        if x < base {
            -working_days_by_rules(x, base)
        } else if x <= base + len {
            i64::from(self.cum[(x - base) as usize])
        } else {
            i64::from(self.cum[len as usize]) + working_days_by_rules(base + len, x)
        }
    }

    /// Working days `d` with `lo <= d < hi` (day numbers).
    fn half_open(&self, lo: i64, hi: i64) -> u32 {
        (self.before(hi) - self.before(lo)) as u32
    }

    /// `wd(a, b)` of spec 1.3 under `convention`, for `b >= a`; `b < a` is
    /// [`WdError::NegativeDuration`].
    ///
    /// `provisional` is set when a day examined (`(a, b]` for `after_start`, `[a, b]` for
    /// `networkdays`, `[a, b)` for `busday_count`) lies after the last official year.
    pub fn wd(&self, a: Day, b: Day, convention: WorkingDays) -> Result<WorkingDayCount, WdError> {
        if b < a {
            return Err(WdError::NegativeDuration);
        }
        let (a64, b64) = (i64::from(a.get()), i64::from(b.get()));
        let after_start = self.half_open(a64 + 1, b64 + 1);
        let (days, last_examined) = match convention {
            WorkingDays::AfterStart => (after_start, (b > a).then_some(b)),
            WorkingDays::Networkdays => {
                let a_working = u32::from(self.is_working_day(a));
                ((after_start + a_working).saturating_sub(1), Some(b))
            }
            WorkingDays::BusdayCount => (self.half_open(a64, b64), (b > a).then(|| b.add_days(-1))),
        };
        let provisional = last_examined.is_some_and(|d| d.year() > self.last_official_year);
        Ok(WorkingDayCount { days, provisional })
    }
}

/// Working days `lo <= d < hi` by weekday arithmetic and the standard rules, for days outside the
/// precomputed years (rarely reached: typing errors such as 1023 for 2023).
fn working_days_by_rules(lo: i64, hi: i64) -> i64 {
    if hi <= lo {
        return 0;
    }
    // Weekdays in [lo, hi): whole weeks plus the remainder, 1970-01-01 being a Thursday.
    let weekdays_before = |x: i64| {
        let shifted = x + 3; // days since Monday 1969-12-29
        let weeks = shifted.div_euclid(7);
        let rem = shifted.rem_euclid(7);
        weeks * 5 + rem.min(5)
    };
    let mut n = weekdays_before(hi) - weekdays_before(lo);
    let (ylo, yhi) = (clamp_day(lo).year(), clamp_day(hi - 1).year());
    for y in ylo..=yhi {
        for h in builtin_holidays(y) {
            let x = i64::from(h.get());
            if x >= lo && x < hi && !h.is_weekend() {
                n -= 1;
            }
        }
    }
    n
}

fn clamp_day(x: i64) -> Day {
    Day::new(x.clamp(i64::from(Day::MIN.get()), i64::from(Day::MAX.get())) as i32)
        .unwrap_or(Day::MIN)
}

/// Easter Sunday of `year` (anonymous Gregorian algorithm).
fn easter_sunday(year: i32) -> Day {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(year, month as u32, day as u32)
}

fn ymd(y: i32, m: u32, d: u32) -> Day {
    Day::from_ymd(y, m, d).unwrap_or(if y < 1 { Day::MIN } else { Day::MAX })
}

/// A caller's last official year within the years a [`Day`] can be: 0 (no year official) to 9999.
fn official_year(year: i32) -> i32 {
    year.clamp(0, 9999)
}

/// The first Monday on or after `d`.
fn monday_on_or_after(d: Day) -> Day {
    d.add_days(((7 - d.weekday()) % 7) as i32)
}

/// The last Monday on or before `d`.
fn monday_on_or_before(d: Day) -> Day {
    d.add_days(-(d.weekday() as i32))
}

/// The standard England and Wales rules for `year`, without one-off changes.
#[must_use]
pub fn standard_holidays(year: i32) -> Vec<Day> {
    if !(1..=9999).contains(&year) {
        return Vec::new();
    }
    let mut v = Vec::with_capacity(8);
    let new_year = ymd(year, 1, 1);
    v.push(if new_year.is_weekend() {
        monday_on_or_after(new_year)
    } else {
        new_year
    });
    let easter = easter_sunday(year);
    v.push(easter.add_days(-2));
    v.push(easter.add_days(1));
    v.push(monday_on_or_after(ymd(year, 5, 1)));
    v.push(monday_on_or_before(ymd(year, 5, 31)));
    v.push(monday_on_or_before(ymd(year, 8, 31)));
    let christmas = ymd(year, 12, 25);
    match christmas.weekday() {
        5 => v.extend([ymd(year, 12, 27), ymd(year, 12, 28)]), // Saturday
        6 => v.extend([ymd(year, 12, 26), ymd(year, 12, 27)]), // Sunday
        4 => v.extend([christmas, ymd(year, 12, 28)]),         // Friday: Boxing Day on Saturday
        _ => v.extend([christmas, ymd(year, 12, 26)]),
    }
    v.sort_unstable();
    v
}

/// (year, (month, day)s removed, (month, day)s added).
type OneOff = (i32, &'static [(u32, u32)], &'static [(u32, u32)]);

/// One-off changes to the standard rules: (`year`, days removed, days added). Those before 2012 are
/// the spec's list; those from 2012 make the rules reproduce the official 2012-2027 list.
const ONE_OFFS: &[OneOff] = &[
    (1995, &[(5, 1)], &[(5, 8)]),
    (1999, &[], &[(12, 31)]),
    (2002, &[(5, 27)], &[(6, 3), (6, 4)]),
    (2011, &[], &[(4, 29)]),
    (2012, &[(5, 28)], &[(6, 4), (6, 5)]),
    (2020, &[(5, 4)], &[(5, 8)]),
    (2022, &[(5, 30)], &[(6, 2), (6, 3), (9, 19)]),
    (2023, &[], &[(5, 8)]),
];

/// The built-in England and Wales bank holidays of `year`: the standard rules with the one-off
/// changes (official for 2012-2027, the standard rules projected for later years).
///
/// ```
/// use csc_measures::calendar::builtin_holidays;
/// let y2022: Vec<String> = builtin_holidays(2022).iter().map(|d| d.to_string()).collect();
/// assert!(y2022.contains(&"2022-09-19".to_string())); // the Queen's state funeral
/// assert_eq!(y2022.len(), 10);
/// ```
#[must_use]
pub fn builtin_holidays(year: i32) -> Vec<Day> {
    let mut v = standard_holidays(year);
    if let Some((_, removed, added)) = ONE_OFFS.iter().find(|(y, _, _)| *y == year) {
        v.retain(|d| {
            let (_, m, dd) = d.to_ymd();
            !removed.contains(&(m, dd))
        });
        v.extend(added.iter().map(|&(m, d)| ymd(year, m, d)));
        v.sort_unstable();
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Spec section 7, copied as written there.
    const TRUTH: &[(i32, &str)] = &[
        (
            2012,
            "01-02 (s), 04-06, 04-09, 05-07, 06-04, 06-05, 08-27, 12-25, 12-26",
        ),
        (
            2013,
            "01-01, 03-29, 04-01, 05-06, 05-27, 08-26, 12-25, 12-26",
        ),
        (
            2014,
            "01-01, 04-18, 04-21, 05-05, 05-26, 08-25, 12-25, 12-26",
        ),
        (
            2015,
            "01-01, 04-03, 04-06, 05-04, 05-25, 08-31, 12-25, 12-28 (s)",
        ),
        (
            2016,
            "01-01, 03-25, 03-28, 05-02, 05-30, 08-29, 12-26, 12-27 (s)",
        ),
        (
            2017,
            "01-02 (s), 04-14, 04-17, 05-01, 05-29, 08-28, 12-25, 12-26",
        ),
        (
            2018,
            "01-01, 03-30, 04-02, 05-07, 05-28, 08-27, 12-25, 12-26",
        ),
        (
            2019,
            "01-01, 04-19, 04-22, 05-06, 05-27, 08-26, 12-25, 12-26",
        ),
        (
            2020,
            "01-01, 04-10, 04-13, 05-08, 05-25, 08-31, 12-25, 12-28 (s)",
        ),
        (
            2021,
            "01-01, 04-02, 04-05, 05-03, 05-31, 08-30, 12-27 (s), 12-28 (s)",
        ),
        (
            2022,
            "01-03 (s), 04-15, 04-18, 05-02, 06-02, 06-03, 08-29, 09-19, 12-26, 12-27 (s)",
        ),
        (
            2023,
            "01-02 (s), 04-07, 04-10, 05-01, 05-08, 05-29, 08-28, 12-25, 12-26",
        ),
        (
            2024,
            "01-01, 03-29, 04-01, 05-06, 05-27, 08-26, 12-25, 12-26",
        ),
        (
            2025,
            "01-01, 04-18, 04-21, 05-05, 05-26, 08-25, 12-25, 12-26",
        ),
        (
            2026,
            "01-01, 04-03, 04-06, 05-04, 05-25, 08-31, 12-25, 12-28 (s)",
        ),
        (
            2027,
            "01-01, 03-26, 03-29, 05-03, 05-31, 08-30, 12-27 (s), 12-28 (s)",
        ),
    ];

    fn truth(year: i32, dates: &str) -> Vec<Day> {
        dates
            .split(", ")
            .map(|s| {
                format!("{year}-{}", s.trim_end_matches(" (s)"))
                    .parse()
                    .unwrap()
            })
            .collect()
    }

    fn d(s: &str) -> Day {
        s.parse().unwrap()
    }

    #[test]
    fn reproduces_the_official_table_exactly() {
        let cal = Calendar::england_and_wales();
        for &(year, dates) in TRUTH {
            let expected = truth(year, dates);
            assert_eq!(cal.holidays_in(year), expected, "{year}");
            let first = ymd(year, 1, 1);
            for i in 0..366 {
                let day = first.add_days(i);
                if day.year() != year {
                    break;
                }
                assert_eq!(cal.is_holiday(day), expected.contains(&day), "{day}");
                assert_eq!(
                    cal.is_working_day(day),
                    !day.is_weekend() && !expected.contains(&day),
                    "{day}"
                );
            }
        }
    }

    #[test]
    fn one_offs_before_2012() {
        let cal = Calendar::england_and_wales();
        assert!(cal.is_holiday(d("1995-05-08")) && !cal.is_holiday(d("1995-05-01")));
        assert!(cal.is_holiday(d("1999-12-31")));
        assert!(cal.is_holiday(d("2002-06-03")) && cal.is_holiday(d("2002-06-04")));
        assert!(!cal.is_holiday(d("2002-05-27")));
        assert!(cal.is_holiday(d("2011-04-29")));
        // standard rules: 2010 has Christmas on Saturday, Boxing Day on Sunday
        assert_eq!(
            cal.holidays_in(2010)
                .iter()
                .filter(|d| d.to_ymd().1 == 12)
                .copied()
                .collect::<Vec<_>>(),
            vec![d("2010-12-27"), d("2010-12-28")]
        );
        // 2028 projected by the rules: 25 December a Monday
        assert!(cal.is_holiday(d("2028-12-25")) && cal.is_holiday(d("2028-12-26")));
        assert!(cal.is_holiday(d("2028-01-03"))); // 1 January 2028 is a Saturday
    }

    #[test]
    fn conventions_on_known_cases() {
        use WorkingDays::{AfterStart as A, BusdayCount as B, Networkdays as N};
        let cal = Calendar::england_and_wales();
        let c = |a: &str, b: &str, conv| cal.wd(d(a), d(b), conv).unwrap().days;
        // Friday to Monday: one working day after the start
        assert_eq!(c("2024-01-05", "2024-01-08", A), 1);
        assert_eq!(c("2024-01-05", "2024-01-08", N), 1);
        assert_eq!(c("2024-01-05", "2024-01-08", B), 1);
        // Saturday to Monday
        assert_eq!(c("2024-01-06", "2024-01-08", A), 1);
        assert_eq!(c("2024-01-06", "2024-01-08", N), 0);
        assert_eq!(c("2024-01-06", "2024-01-08", B), 0);
        // Same day
        for conv in WorkingDays::ALL {
            assert_eq!(c("2024-01-08", "2024-01-08", conv), 0);
        }
        // Across Christmas 2023 and New Year 2024: Fri 22 Dec to Tue 2 Jan
        assert_eq!(c("2023-12-22", "2024-01-02", A), 4); // 27, 28, 29 Dec, 2 Jan
        // 45 working days from 2023-04-03 (Monday): Good Friday 7 Apr and Easter Monday 10 Apr,
        // the 1, 8 and 29 May holidays all fall inside.
        assert_eq!(c("2023-04-03", "2023-06-12", A), 45);
        assert_eq!(c("2023-04-03", "2023-06-13", A), 46);
        assert!(cal.wd(d("2024-01-02"), d("2024-01-01"), A).is_err());
    }

    #[test]
    fn provisional_after_the_last_official_year() {
        let cal = Calendar::england_and_wales();
        let (a, b) = (d("2027-12-20"), d("2028-01-05"));
        for conv in WorkingDays::ALL {
            assert!(cal.wd(a, b, conv).unwrap().provisional);
            assert!(!cal.wd(a, d("2027-12-31"), conv).unwrap().provisional);
        }
        let jan1 = d("2028-01-01");
        assert!(
            !cal.wd(d("2027-12-31"), jan1, WorkingDays::BusdayCount)
                .unwrap()
                .provisional
        );
        assert!(
            cal.wd(d("2027-12-31"), jan1, WorkingDays::AfterStart)
                .unwrap()
                .provisional
        );
        assert!(
            cal.wd(jan1, jan1, WorkingDays::Networkdays)
                .unwrap()
                .provisional
        );
        assert!(
            !cal.wd(jan1, jan1, WorkingDays::AfterStart)
                .unwrap()
                .provisional
        );
    }

    #[test]
    fn callers_replace_or_extend_the_list() {
        let extra = d("2030-05-10"); // a Friday
        let cal = Calendar::extended(&[extra], None);
        assert_eq!(cal.last_official_year(), 2030);
        assert!(cal.is_holiday(extra) && cal.is_holiday(d("2024-12-25")));
        assert!(
            !cal.wd(d("2030-05-09"), extra, WorkingDays::AfterStart)
                .unwrap()
                .provisional
        );
        assert_eq!(
            cal.wd(d("2030-05-09"), d("2030-05-13"), WorkingDays::AfterStart)
                .unwrap()
                .days,
            1
        );

        let replaced = Calendar::with_holidays(vec![d("2024-01-01")], Some(2024));
        assert!(!replaced.is_holiday(d("2024-12-25")));
        assert!(replaced.is_holiday(d("2025-12-25"))); // rules after the list
        assert!(replaced.is_holiday(d("2023-12-25"))); // and before it
        assert!(
            replaced
                .wd(d("2024-12-30"), d("2025-01-02"), WorkingDays::AfterStart)
                .unwrap()
                .provisional
        );

        let empty = Calendar::with_holidays(Vec::new(), Some(2030));
        assert_eq!(empty.last_official_year(), 2030);
        assert!(empty.is_holiday(d("2024-12-25")));
    }

    #[test]
    fn counts_outside_the_precomputed_years() {
        let cal = Calendar::england_and_wales();
        // 1023 is a typing error for 2023 in real data: it must count, not fail.
        let a = d("1023-03-01");
        let b = d("2023-03-01");
        let direct = cal.wd(a, b, WorkingDays::AfterStart).unwrap().days;
        let split = cal
            .wd(a, d("1900-01-01"), WorkingDays::AfterStart)
            .unwrap()
            .days
            + cal
                .wd(d("1900-01-01"), b, WorkingDays::AfterStart)
                .unwrap()
                .days;
        assert_eq!(direct, split);
        let far = cal
            .wd(d("2190-01-01"), d("2300-06-01"), WorkingDays::AfterStart)
            .unwrap();
        assert!(far.provisional);
        let slow = {
            let mut n = 0;
            let mut x = d("2190-01-02");
            while x <= d("2300-06-01") {
                n += u32::from(!x.is_weekend() && !builtin_holidays(x.year()).contains(&x));
                x = x.add_days(1);
            }
            n
        };
        assert_eq!(far.days, slow);
    }

    fn day_in(lo: &str, hi: &str) -> impl Strategy<Value = Day> {
        (d(lo).get()..=d(hi).get()).prop_map(|n| Day::new(n).unwrap())
    }

    proptest! {
        #[test]
        fn additive(x in day_in("1850-01-01", "2250-12-31"), y in day_in("1850-01-01", "2250-12-31"), z in day_in("1850-01-01", "2250-12-31")) {
            let mut v = [x, y, z];
            v.sort();
            let [a, b, c] = v;
            let cal = Calendar::england_and_wales();
            for conv in [WorkingDays::AfterStart, WorkingDays::BusdayCount] {
                let ab = cal.wd(a, b, conv).unwrap().days;
                let bc = cal.wd(b, c, conv).unwrap().days;
                prop_assert_eq!(ab + bc, cal.wd(a, c, conv).unwrap().days);
            }
        }

        #[test]
        fn weekends_never_count(a in day_in("2000-01-01", "2040-12-31"), len in 0i32..40) {
            let cal = Calendar::england_and_wales();
            let b = a.add_days(len);
            let mut brute = 0;
            let mut x = a.add_days(1);
            while x <= b {
                if x.is_weekend() { prop_assert!(!cal.is_working_day(x)); }
                brute += u32::from(!x.is_weekend() && !cal.is_holiday(x));
                x = x.add_days(1);
            }
            prop_assert_eq!(cal.wd(a, b, WorkingDays::AfterStart).unwrap().days, brute);
        }

        #[test]
        fn documented_relations_between_conventions(a in day_in("2005-01-01", "2035-12-31"), len in 0i32..400) {
            let cal = Calendar::england_and_wales();
            let b = a.add_days(len);
            let after = cal.wd(a, b, WorkingDays::AfterStart).unwrap().days;
            let net = cal.wd(a, b, WorkingDays::Networkdays).unwrap().days;
            let bus = cal.wd(a, b, WorkingDays::BusdayCount).unwrap().days;
            let (wa, wb) = (u32::from(cal.is_working_day(a)), u32::from(cal.is_working_day(b)));
            prop_assert_eq!(net, if wa == 1 { after } else { after.saturating_sub(1) });
            prop_assert_eq!(bus + wb, after + wa);
        }
    }

    #[test]
    fn a_huge_last_official_year_is_taken_as_9999_and_builds_at_once() {
        // D19: i32::MAX once made the builder walk two thousand million years (seconds of CPU).
        let started = std::time::Instant::now();
        let listed = Calendar::with_holidays(vec![d("2024-05-10")], Some(i32::MAX));
        let extended = Calendar::extended(&[d("2024-05-10")], Some(i32::MAX));
        let empty = Calendar::with_holidays(Vec::new(), Some(i32::MAX));
        let early = Calendar::with_holidays(vec![d("2024-05-10")], Some(i32::MIN));
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        for cal in [&listed, &extended, &empty] {
            assert_eq!(cal.last_official_year(), 9999);
        }
        assert_eq!(early.last_official_year(), 0);
        let n = listed
            .wd(d("2024-05-06"), d("9999-12-31"), WorkingDays::AfterStart)
            .unwrap();
        assert!(!n.provisional);
        // Under the list, 2024-05-10 is the only holiday of its week.
        let week = listed
            .wd(d("2024-05-06"), d("2024-05-13"), WorkingDays::AfterStart)
            .unwrap();
        assert_eq!(week.days, 4);
        assert!(
            early
                .wd(d("2024-05-06"), d("2024-05-13"), WorkingDays::AfterStart)
                .unwrap()
                .provisional
        );
    }
}
