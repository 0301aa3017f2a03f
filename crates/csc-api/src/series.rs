//! Series of periods: what a panel reads month by month and quarter by quarter.
//!
//! A series runs over the months from a start to an end (any day of each; they stand for their
//! months) and is written `KIND`:
//!
//! * `rolling:N`: for each month-end, the N months ending there (`rolling:12` is the rolling year);
//! * `month_end`: for each month, the month itself (the "at end" counts read its last day);
//! * `fytd`: for each month-end, the financial year to date (1 April to that day);
//! * `quarters`: each quarter (April-June, July-September, October-December, January-March) that
//!   ends within the months;
//! * `years`: each financial year that ends within the months.
//!
//! ```
//! use csc_api::Series;
//! let s = Series::new("rolling:12", "2023-04-15".parse()?, "2023-06-30".parse()?)?;
//! let p: Vec<String> = s.periods().iter().map(ToString::to_string).collect();
//! assert_eq!(p, ["2022-05-01..=2023-04-30", "2022-06-01..=2023-05-31", "2022-07-01..=2023-06-30"]);
//! let q = Series::new("quarters", "2023-04-01".parse()?, "2024-03-31".parse()?)?;
//! assert_eq!(q.periods()[3].to_string(), "2024-01-01..=2024-03-31");
//! # Ok::<(), csc_measures::Error>(())
//! ```

use std::fmt;

use csc_measures::{Day, Error, ErrorKind, Period};

/// A malformed series: the request layer's error kind.
fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidRequest, message)
}

/// What each period of a series is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeriesKind {
    /// The `n` months ending at each month-end.
    Rolling(u32),
    /// Each month.
    MonthEnd,
    /// The financial year to each month-end.
    FinancialYearToDate,
    /// Each quarter ending within the months.
    Quarters,
    /// Each financial year ending within the months.
    Years,
}

/// A series of periods over the months from `from` to `to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Series {
    /// What each period is.
    pub kind: SeriesKind,
    /// The last day of the first month.
    pub from: Day,
    /// The last day of the last month.
    pub to: Day,
}

/// The most month-ends a series may run over (a hundred years).
const MAX_MONTHS: i32 = 1200;

pub(crate) fn month_end(d: Day) -> Day {
    let (y, m, _) = d.to_ymd();
    Day::from_ymd(y, m, csc_measures::day::days_in_month(y, m)).unwrap_or(d)
}

pub(crate) fn month_start(d: Day) -> Day {
    let (y, m, _) = d.to_ymd();
    Day::from_ymd(y, m, 1).unwrap_or(d)
}

impl std::str::FromStr for SeriesKind {
    type Err = Error;

    /// `rolling:N` (N from 1 to 600), `month_end`, `fytd`, `quarters` or `years`; anything else
    /// is an [`ErrorKind::InvalidRequest`] error.
    fn from_str(kind: &str) -> Result<SeriesKind, Error> {
        let k = kind.trim();
        Ok(match k {
            "month_end" => SeriesKind::MonthEnd,
            "fytd" => SeriesKind::FinancialYearToDate,
            "quarters" => SeriesKind::Quarters,
            "years" => SeriesKind::Years,
            _ => match k.strip_prefix("rolling:").map(str::parse::<u32>) {
                Some(Ok(n)) if (1..=600).contains(&n) => SeriesKind::Rolling(n),
                _ => {
                    return Err(invalid(format!(
                        "series {kind:?} is not one of rolling:N (N months, 1 to 600), month_end, \
                         fytd, quarters, years"
                    )));
                }
            },
        })
    }
}

/// Months a series runs over when no start and end are given: the two years to the latest
/// collection year's 31 March.
pub const DEFAULT_MONTHS: u32 = 24;

impl Series {
    /// The series `kind` (`rolling:N`, `month_end`, `fytd`, `quarters`, `years`) over the months
    /// of `from` to `to`. An unknown kind, `rolling:0`, or more than 1,200 months is an
    /// [`ErrorKind::InvalidRequest`] error; `to` before `from` an [`ErrorKind::InvalidPeriod`] one.
    pub fn new(kind: &str, from: Day, to: Day) -> Result<Series, Error> {
        Series::of(kind.parse()?, from, to)
    }

    /// The series of the [`DEFAULT_MONTHS`] months to 31 March of collection year `year`.
    ///
    /// ```
    /// use csc_api::{Series, SeriesKind};
    /// let s = Series::to_year_end(SeriesKind::Rolling(12), 2024)?;
    /// assert_eq!(s.periods().len(), 24);
    /// assert_eq!(s.periods()[0].to_string(), "2021-05-01..=2022-04-30");
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    pub fn to_year_end(kind: SeriesKind, year: i32) -> Result<Series, Error> {
        let end = Period::financial_year(year)?.end();
        let from = month_start(end).add_months(1 - DEFAULT_MONTHS as i32);
        Series::of(kind, from, end)
    }

    /// As [`Series::new`], with the kind parsed.
    pub fn of(kind: SeriesKind, from: Day, to: Day) -> Result<Series, Error> {
        if to < from {
            return Err(Error::new(
                ErrorKind::InvalidPeriod,
                format!("the series ends on {to}, before it starts on {from}"),
            ));
        }
        let (fy, fm, _) = from.to_ymd();
        let (ty, tm, _) = to.to_ymd();
        let months = (ty - fy) * 12 + (tm as i32 - fm as i32) + 1;
        if months > MAX_MONTHS {
            return Err(invalid(format!(
                "a series of {months} months is more than the {MAX_MONTHS} it may have"
            )));
        }
        let s = Series {
            kind,
            from: month_end(from),
            to: month_end(to),
        };
        if s.periods().is_empty() {
            return Err(invalid(format!(
                "the series {s} from {from} to {to} has no period: quarters end in June, \
                 September, December and March, financial years in March"
            )));
        }
        Ok(s)
    }

    /// Every month-end of the series, in order.
    fn month_ends(&self) -> Vec<Day> {
        let mut out = Vec::new();
        let mut m = self.from;
        while m <= self.to {
            out.push(m);
            m = month_end(month_start(m).add_months(1));
        }
        out
    }

    /// The periods, in order.
    #[must_use]
    pub fn periods(&self) -> Vec<Period> {
        let ends = self.month_ends();
        let p = |s: Day, e: Day| Period::new(s, e).ok();
        match self.kind {
            SeriesKind::Rolling(n) => ends
                .iter()
                .filter_map(|&e| p(month_start(e).add_months(1 - n as i32), e))
                .collect(),
            SeriesKind::MonthEnd => ends.iter().filter_map(|&e| p(month_start(e), e)).collect(),
            SeriesKind::FinancialYearToDate => ends
                .iter()
                .filter_map(|&e| {
                    Period::financial_year(e.financial_year())
                        .ok()
                        .and_then(|fy| p(fy.start(), e))
                })
                .collect(),
            SeriesKind::Quarters => ends
                .iter()
                .filter(|e| matches!(e.to_ymd().1, 3 | 6 | 9 | 12))
                .filter_map(|&e| p(month_start(e).add_months(-2), e))
                .collect(),
            SeriesKind::Years => ends
                .iter()
                .filter(|e| e.to_ymd().1 == 3)
                .filter_map(|&e| Period::financial_year(e.financial_year()).ok())
                .collect(),
        }
    }
}

impl fmt::Display for Series {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            SeriesKind::Rolling(n) => write!(f, "rolling:{n}"),
            SeriesKind::MonthEnd => f.write_str("month_end"),
            SeriesKind::FinancialYearToDate => f.write_str("fytd"),
            SeriesKind::Quarters => f.write_str("quarters"),
            SeriesKind::Years => f.write_str("years"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn periods(kind: &str, from: &str, to: &str) -> Vec<String> {
        Series::new(kind, from.parse().unwrap(), to.parse().unwrap())
            .unwrap()
            .periods()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn every_kind_over_a_year() {
        assert_eq!(
            periods("rolling:12", "2024-03-01", "2024-03-31"),
            ["2023-04-01..=2024-03-31"]
        );
        assert_eq!(
            periods("month_end", "2024-02-01", "2024-02-01"),
            ["2024-02-01..=2024-02-29"]
        );
        assert_eq!(
            periods("fytd", "2024-03-05", "2024-04-05"),
            ["2023-04-01..=2024-03-31", "2024-04-01..=2024-04-30"]
        );
        assert_eq!(
            periods("quarters", "2023-04-01", "2023-12-31"),
            [
                "2023-04-01..=2023-06-30",
                "2023-07-01..=2023-09-30",
                "2023-10-01..=2023-12-31"
            ]
        );
        assert_eq!(
            periods("years", "2022-01-01", "2024-03-31"),
            [
                "2021-04-01..=2022-03-31",
                "2022-04-01..=2023-03-31",
                "2023-04-01..=2024-03-31"
            ]
        );
        assert_eq!(periods("rolling:12", "2024-05-01", "2024-07-31").len(), 3);
    }

    #[test]
    fn bad_series_are_refused() {
        let d = |s: &str| s.parse::<Day>().unwrap();
        for bad in ["rolling:0", "rolling", "weekly", "rolling:601"] {
            let e = Series::new(bad, d("2024-01-01"), d("2024-02-01")).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidRequest, "{bad}");
        }
        let e = Series::new("quarters", d("2024-02-01"), d("2024-01-01")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidPeriod);
        let e = Series::new("month_end", d("1900-01-01"), d("2024-01-01")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest);
        let e = Series::new("quarters", d("2024-01-01"), d("2024-02-01")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidRequest);
    }
}
