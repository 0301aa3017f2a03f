//! Periods and interval tests (spec 1.1).
//!
//! A [`Period`] is `[start, end]` with both ends inclusive. An interval record (an episode, a plan, an
//! assessment) with start `s` and optional end `e` is *open at* `D` when `s <= D` and `e` is absent or
//! `e > D`, and *overlaps* a period when `s <= period.end` and `e` is absent or `e > period.start`.

use std::fmt;

use crate::day::Day;
use crate::error::{Error, ErrorKind};

/// A reporting period `[start, end]`, both days inclusive.
///
/// ```
/// use csc_measures::{Day, Period};
/// let p = Period::financial_year(2024)?;
/// assert_eq!(p.to_string(), "2023-04-01..=2024-03-31");
/// assert!(p.contains("2024-03-31".parse()?));
/// assert!(!p.contains("2024-04-01".parse()?));
/// # Ok::<(), csc_measures::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    start: Day,
    end: Day,
}

impl Period {
    /// The period `[start, end]`; an error when `end < start`.
    pub fn new(start: Day, end: Day) -> Result<Period, Error> {
        if end < start {
            return Err(Error::new(
                ErrorKind::InvalidPeriod,
                format!("the period ends on {end}, before it starts on {start}"),
            ));
        }
        Ok(Period { start, end })
    }

    /// Financial year `year` ("2023-24" is `financial_year(2024)`): `[year-1-04-01, year-03-31]`.
    pub fn financial_year(year: i32) -> Result<Period, Error> {
        if !(2..=9999).contains(&year) {
            return Err(Error::new(
                ErrorKind::InvalidPeriod,
                format!("financial year {year} is outside 2 ..= 9999"),
            ));
        }
        Ok(Period {
            start: Day::from_ymd(year - 1, 4, 1)?,
            end: Day::from_ymd(year, 3, 31)?,
        })
    }

    /// The first day.
    #[must_use]
    pub const fn start(self) -> Day {
        self.start
    }

    /// The last day (inclusive).
    #[must_use]
    pub const fn end(self) -> Day {
        self.end
    }

    /// `start <= d <= end`.
    #[must_use]
    pub fn contains(self, d: Day) -> bool {
        self.start <= d && d <= self.end
    }

    /// Does the interval record `[s, e)` overlap this period? `s <= end` and (`e` absent or
    /// `e > start`). A zero-length episode on the period's first day does not overlap it.
    ///
    /// ```
    /// use csc_measures::Period;
    /// let fy = Period::financial_year(2024)?;
    /// let first = fy.start();
    /// assert!(!fy.overlaps(first, Some(first)));
    /// assert!(fy.overlaps(first.add_days(1), Some(first.add_days(1))));
    /// assert!(fy.overlaps(first.add_days(-400), None));
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    #[must_use]
    pub fn overlaps(self, s: Day, e: Option<Day>) -> bool {
        s <= self.end && e.is_none_or(|e| e > self.start)
    }

    /// The number of days in the period, both ends counted.
    #[must_use]
    pub fn len_days(self) -> i32 {
        self.end.days_since(self.start) + 1
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..={}", self.start, self.end)
    }
}

/// Is the interval record with start `s` and optional end `e` open at `d`? `s <= d` and (`e` absent
/// or `e > d`). A plan that ended on 31 March is not open at 31 March.
///
/// ```
/// use csc_measures::{Day, period::open_at};
/// let mar31: Day = "2024-03-31".parse()?;
/// assert!(!open_at(mar31.add_days(-10), Some(mar31), mar31));
/// assert!(open_at(mar31.add_days(-10), None, mar31));
/// assert!(open_at(mar31, Some(mar31.add_days(1)), mar31));
/// # Ok::<(), csc_measures::Error>(())
/// ```
#[must_use]
pub fn open_at(s: Day, e: Option<Day>, d: Day) -> bool {
    s <= d && e.is_none_or(|e| e > d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Day {
        s.parse().unwrap()
    }

    #[test]
    fn financial_year_bounds() {
        let p = Period::financial_year(2024).unwrap();
        assert_eq!((p.start(), p.end()), (d("2023-04-01"), d("2024-03-31")));
        assert_eq!(p.len_days(), 366);
        assert!(Period::financial_year(1).is_err());
        assert!(Period::financial_year(10_000).is_err());
    }

    #[test]
    fn end_before_start_is_an_error() {
        let e = Period::new(d("2024-01-02"), d("2024-01-01")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidPeriod);
        assert!(e.to_string().contains("2024-01-01"));
        assert!(Period::new(d("2024-01-01"), d("2024-01-01")).is_ok());
    }

    #[test]
    fn open_at_and_overlaps_follow_the_spec_wording() {
        let p = Period::financial_year(2024).unwrap();
        let (s, e) = (p.start(), p.end());
        // ceasing on 31 March: not open at 31 March
        assert!(!open_at(d("2023-01-01"), Some(e), e));
        assert!(open_at(e, None, e));
        assert!(!open_at(e.add_days(1), None, e));
        // zero-length on 1 April does not overlap the year that starts that day; on 2 April it does
        assert!(!p.overlaps(s, Some(s)));
        assert!(p.overlaps(s.add_days(1), Some(s.add_days(1))));
        // ending on the first day does not overlap; ending the day after does
        assert!(!p.overlaps(d("2022-01-01"), Some(s)));
        assert!(p.overlaps(d("2022-01-01"), Some(s.add_days(1))));
        // starting on the last day overlaps; after it does not
        assert!(p.overlaps(e, None));
        assert!(!p.overlaps(e.add_days(1), None));
        assert!(p.contains(s) && p.contains(e) && !p.contains(s.add_days(-1)));
    }
}
