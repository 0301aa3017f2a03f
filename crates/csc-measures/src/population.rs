//! The population input and rates per 10,000 children (spec 8).
//!
//! A [`Population`] holds, for mid-years `M` (calendar years), the ONS mid-year estimate of children
//! aged 0 to 17 in the authority. A result whose `period.end` lies in financial year `Y` divides by
//! the estimate for mid-year `Y-1` (the year ending 31 March 2025 uses mid-2024), and no other:
//! no interpolation, no carrying forward; a period shorter or longer than a year divides its own
//! count by that estimate, nothing annualised. `rate = (10000.0 * n) / population` in IEEE double,
//! unrounded. A total of 0 counts as absent.
//!
//! ```
//! use csc_measures::population::Population;
//! let mut p = Population::new();
//! p.insert(2023, 63_051)?;
//! p.insert(2023, 63_051)?; // the same total again is no conflict
//! assert!(p.insert(2023, 64_000).is_err());
//! assert_eq!(p.for_year_ending(2024), Some((2023, 63_051)));
//! assert_eq!(p.for_year_ending(2025), None);
//! assert_eq!("2022=61000".parse::<Population>()?.for_year_ending(2023), Some((2022, 61_000)));
//! # Ok::<(), csc_measures::Error>(())
//! ```

use std::collections::BTreeMap;
use std::str::FromStr;

use crate::error::{Error, ErrorKind};

/// Mid-year estimates of the children aged 0 to 17 in the authority, by mid-year.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Population {
    totals: BTreeMap<i32, u64>,
}

impl Population {
    /// No estimates.
    #[must_use]
    pub fn new() -> Population {
        Population::default()
    }

    /// Adds the estimate `total` for mid-year `midyear`. A year outside 1900..=2200 is
    /// `population_invalid`; a second, different total for one year is `population_conflict` (both
    /// [`ErrorKind::InvalidInput`] errors naming the year and totals).
    pub fn insert(&mut self, midyear: i32, total: u64) -> Result<(), Error> {
        if !(1900..=2200).contains(&midyear) {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("population_invalid: mid-year {midyear} is not a year from 1900 to 2200"),
            ));
        }
        match self.totals.get(&midyear) {
            Some(&t) if t != total => Err(Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "population_conflict: two totals for mid-{midyear}, {t} and {total}; give one"
                ),
            )),
            _ => {
                self.totals.insert(midyear, total);
                Ok(())
            }
        }
    }

    /// Adds the estimate `total` for `midyear`, as they are written (`2023`, `63051`): a total that
    /// is not a non-negative whole number, or a year that is not one, is `population_invalid`.
    pub fn insert_text(&mut self, midyear: &str, total: &str) -> Result<(), Error> {
        let invalid = |what: &str, v: &str| {
            Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "population_invalid: {what} {:?} is not a {}",
                    v.trim(),
                    match what {
                        "mid-year" => "year",
                        _ => "non-negative whole number",
                    }
                ),
            )
        };
        let y: i32 = midyear
            .trim()
            .parse()
            .map_err(|_| invalid("mid-year", midyear))?;
        let t = total.trim();
        let n: u64 = t
            .strip_suffix(".0")
            .unwrap_or(t)
            .parse()
            .map_err(|_| invalid("total", total))?;
        self.insert(y, n)
    }

    /// No estimate at all?
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.totals.is_empty()
    }

    /// Every estimate, by mid-year.
    pub fn iter(&self) -> impl Iterator<Item = (i32, u64)> + '_ {
        self.totals.iter().map(|(&y, &t)| (y, t))
    }

    /// The estimate a result whose period ends in the financial year ending 31 March `year` uses:
    /// mid-year `year - 1`, when given and not 0.
    #[must_use]
    pub fn for_year_ending(&self, year: i32) -> Option<(i32, u64)> {
        let m = year - 1;
        self.totals.get(&m).filter(|&&t| t > 0).map(|&t| (m, t))
    }
}

impl FromStr for Population {
    type Err = Error;

    /// `MIDYEAR=TOTAL`, several separated by commas (`2023=63051,2024=63420`).
    fn from_str(s: &str) -> Result<Population, Error> {
        let mut p = Population::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (y, t) = part.split_once('=').ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidInput,
                    format!("population_invalid: {part:?} is not MIDYEAR=TOTAL, as in 2023=63051"),
                )
            })?;
            p.insert_text(y, t)?;
        }
        Ok(p)
    }
}

/// `rate = (10000.0 * n) / population`, in exactly that order (spec 8).
#[must_use]
pub fn rate_per_10000(n: u64, population: u64) -> f64 {
    (10000.0 * n as f64) / population as f64
}
