//! The scorecard: every measure for a year, with its value, numerator and denominator, unit,
//! threshold where one exists, and the direction of travel against the previous year.
//!
//! The adoption measures use the adoption scorecard's 3-year window (`[Y-3-04-01, Y-03-31]`, and
//! the window ending a year earlier for the comparison); every other measure uses the financial
//! year. The scorecard renders as a terminal table, as Markdown and as JSON.
//!
//! ```
//! use csc_api::Scorecard;
//! use csc_measures::measure::Options;
//! use csc_measures::records::{CinEpisode, CinReturn};
//! use csc_measures::DatasetBuilder;
//! let mut ret = CinReturn::default();
//! ret.source.collection_year = Some(2024);
//! ret.episodes.push(CinEpisode { child: "A".into(), referral_date: "2023-06-01".parse()?, ..Default::default() });
//! let ds = DatasetBuilder::new().cin(ret).build()?;
//! let card = Scorecard::new(&ds, None, &Options::default())?;
//! assert_eq!(card.year, 2024);
//! assert!(card.to_markdown().contains("| referrals |"));
//! # Ok::<(), csc_measures::Error>(())
//! ```

use std::fmt::Write as _;

use serde_json::{Value, json};

use csc_measures::measure::{MeasureId, Options};
use csc_measures::result::{MeasureResult, Polarity};
use csc_measures::{Dataset, Error, Period};

use crate::render::text::value_text;
use crate::run::{compute_pairs, latest_year};

/// How a value moved against the previous year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Better, by the measure's polarity.
    Improved,
    /// Worse, by the measure's polarity.
    Worsened,
    /// Up, for a measure with no better direction.
    Up,
    /// Down, for a measure with no better direction.
    Down,
    /// Unchanged.
    Same,
    /// One of the two values is null.
    NotComparable,
}

impl Direction {
    /// `improved`, `worsened`, `up`, `down`, `same`, `not_comparable`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Direction::Improved => "improved",
            Direction::Worsened => "worsened",
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Same => "same",
            Direction::NotComparable => "not_comparable",
        }
    }

    /// The direction from `previous` to `current` for a measure of `polarity`.
    #[must_use]
    pub fn of(polarity: Polarity, current: Option<f64>, previous: Option<f64>) -> Direction {
        let (Some(c), Some(p)) = (current, previous) else {
            return Direction::NotComparable;
        };
        if (c - p).abs() < 1e-9 {
            return Direction::Same;
        }
        match (polarity, c > p) {
            (Polarity::Higher, true) | (Polarity::Lower, false) => Direction::Improved,
            (Polarity::Higher, false) | (Polarity::Lower, true) => Direction::Worsened,
            (_, true) => Direction::Up,
            (_, false) => Direction::Down,
        }
    }

    fn arrow(self) -> &'static str {
        match self {
            Direction::Improved => "better",
            Direction::Worsened => "worse",
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::Same => "same",
            Direction::NotComparable => "-",
        }
    }
}

/// One line of the scorecard.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreLine {
    /// This year's result (over the measure's window).
    pub current: MeasureResult,
    /// The previous year's result over the window ending a year earlier.
    pub previous: MeasureResult,
    /// The direction of travel.
    pub direction: Direction,
}

/// The scorecard for the year ending 31 March `year`.
#[derive(Clone, Debug, PartialEq)]
pub struct Scorecard {
    /// The financial year (ending 31 March).
    pub year: i32,
    /// One line per measure, in registry order.
    pub lines: Vec<ScoreLine>,
}

/// The window a scorecard for `year` uses for `id`: its spec's (three years for A1, A10, A2 and
/// A3, else one).
pub fn window(id: MeasureId, year: i32) -> Result<Period, Error> {
    id.spec().window.period(year)
}

impl Scorecard {
    /// Computes the scorecard for `year` (default: the latest collection year loaded), every
    /// (measure, year) pair on all cores with the `parallel` feature.
    pub fn new(ds: &Dataset, year: Option<i32>, options: &Options) -> Result<Scorecard, Error> {
        let year = match year {
            Some(y) => y,
            None => latest_year(ds)?,
        };
        let mut pairs = Vec::with_capacity(2 * MeasureId::ALL.len());
        for &id in MeasureId::ALL {
            pairs.push((id, window(id, year)?));
            pairs.push((id, window(id, year - 1)?));
        }
        let mut results = compute_pairs(ds, &pairs, options).into_iter();
        let mut lines = Vec::new();
        while let (Some(mut current), Some(mut previous)) = (results.next(), results.next()) {
            current.rows = Vec::new();
            previous.rows = Vec::new();
            let direction = Direction::of(current.id.polarity(), current.value, previous.value);
            lines.push(ScoreLine {
                current,
                previous,
                direction,
            });
        }
        Ok(Scorecard { year, lines })
    }

    /// The scorecard as JSON: `{"year", "lines": [{"id", "title", "unit", "polarity", "period",
    /// "value", "numerator", "denominator", "threshold", "previous": {...}, "direction",
    /// "warnings"}]}`.
    #[must_use]
    pub fn to_json(&self) -> Value {
        let lines: Vec<Value> = self
            .lines
            .iter()
            .map(|l| {
                let c = crate::render::json::result(&l.current);
                let p = crate::render::json::result(&l.previous);
                json!({
                    "id": c["id"], "title": c["title"], "unit": c["unit"], "polarity": c["polarity"],
                    "period": c["period"], "value": c["value"], "numerator": c["numerator"],
                    "denominator": c["denominator"],
                    "rate_per_10000": l.current.extras.float("rate_per_10000"),
                    "threshold": l.current.extras.int("threshold"),
                    "meets_threshold": l.current.extras.flag("meets_threshold"),
                    "previous": {"period": p["period"], "value": p["value"], "numerator": p["numerator"], "denominator": p["denominator"]},
                    "direction": l.direction.as_str(),
                    "warnings": c["warnings"],
                })
            })
            .collect();
        json!({"year": self.year, "lines": lines})
    }

    fn rows(&self) -> Vec<[String; 9]> {
        self.lines
            .iter()
            .map(|l| {
                let r = &l.current;
                let threshold = r
                    .extras
                    .int("threshold")
                    .map_or_else(String::new, |t| format!("<= {t}"));
                let warnings: Vec<&str> = r.warnings.iter().map(|w| w.as_str()).collect();
                [
                    r.id.as_str().to_owned(),
                    value_text(r),
                    format!("{}/{}", opt(r.numerator), opt(r.denominator)),
                    r.extras
                        .float("rate_per_10000")
                        .map_or_else(String::new, |x| format!("{x:.1}")),
                    r.unit.as_str().to_owned(),
                    threshold,
                    value_text(&l.previous),
                    l.direction.arrow().to_owned(),
                    warnings.join(", "),
                ]
            })
            .collect()
    }

    /// The scorecard as Markdown, for a report to a scrutiny panel.
    #[must_use]
    pub fn to_markdown(&self) -> String {
        let mut s = format!(
            "# Children's social care scorecard, {}-{:02}\n\n",
            self.year - 1,
            self.year % 100
        );
        s.push_str("Adoption measures (A1, A10, A2, A3) cover the three years to 31 March; the rest the financial year.\n\n");
        s.push_str("| measure | value | numerator/denominator | per 10,000 children | unit | threshold | previous year | direction | warnings |\n");
        s.push_str("|---|---:|---:|---:|---|---|---:|---|---|\n");
        for r in self.rows() {
            let _ = writeln!(s, "| {} |", r.join(" | "));
        }
        s
    }

    /// The scorecard as an aligned terminal table.
    #[must_use]
    pub fn to_text(&self) -> String {
        let header = [
            "measure",
            "value",
            "num/den",
            "per 10k",
            "unit",
            "threshold",
            "previous",
            "direction",
            "warnings",
        ];
        let rows = self.rows();
        let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for r in &rows {
            for (w, c) in widths.iter_mut().zip(r) {
                *w = (*w).max(c.chars().count());
            }
        }
        let mut s = format!(
            "Scorecard for {}-{:02} (adoption measures over the three years to 31 March {})\n\n",
            self.year - 1,
            self.year % 100,
            self.year
        );
        let line = |cells: &[String], s: &mut String| {
            for (k, (c, w)) in cells.iter().zip(&widths).enumerate() {
                let pad = w.saturating_sub(c.chars().count());
                if k == 1 || k == 2 || k == 3 || k == 6 {
                    let _ = write!(s, "{}{c}  ", " ".repeat(pad));
                } else if k + 1 == cells.len() {
                    let _ = write!(s, "{c}");
                } else {
                    let _ = write!(s, "{c}{}  ", " ".repeat(pad));
                }
            }
            s.push('\n');
        };
        line(&header.map(String::from), &mut s);
        for r in &rows {
            line(r, &mut s);
        }
        s
    }
}

fn opt(n: Option<u64>) -> String {
    n.map_or_else(|| "-".to_owned(), |n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_follows_polarity() {
        assert_eq!(
            Direction::of(Polarity::Higher, Some(2.0), Some(1.0)),
            Direction::Improved
        );
        assert_eq!(
            Direction::of(Polarity::Lower, Some(2.0), Some(1.0)),
            Direction::Worsened
        );
        assert_eq!(
            Direction::of(Polarity::Neither, Some(2.0), Some(1.0)),
            Direction::Up
        );
        assert_eq!(
            Direction::of(Polarity::Lower, Some(1.0), Some(1.0)),
            Direction::Same
        );
        assert_eq!(
            Direction::of(Polarity::Lower, None, Some(1.0)),
            Direction::NotComparable
        );
    }

    #[test]
    fn equal_ratios_are_the_same_and_a_year_without_data_is_not_comparable() {
        // EDGE_SCORE_SAME (spec 6.2): 1/3 and 2/6 are one value.
        use csc_measures::DatasetBuilder;
        use csc_measures::records::{CinEpisode, CinReturn, Section47};
        let one_return = |year: i32, converted: usize, of: usize| {
            let mut r = CinReturn::default();
            r.source.collection_year = Some(year);
            for k in 0..of {
                let child = format!("{year}-{k}");
                let start = csc_measures::Day::from_ymd(year - 1, 6, 1).unwrap();
                r.episodes.push(CinEpisode {
                    child: child.as_str().into(),
                    referral_date: start,
                    ..Default::default()
                });
                r.section47s.push(Section47 {
                    child: child.as_str().into(),
                    episode_referral_date: start,
                    start_date: Some(start),
                    icpc_date: (k < converted).then(|| start.add_days(10)),
                    ..Default::default()
                });
            }
            r
        };
        let ds = DatasetBuilder::new()
            .cin(one_return(2023, 1, 3))
            .cin(one_return(2024, 2, 6))
            .build()
            .unwrap();
        let card = Scorecard::new(&ds, Some(2024), &Options::default()).unwrap();
        let line = |id| card.lines.iter().find(|l| l.current.id == id).unwrap();
        let s47 = line(MeasureId::S47ToIcpc);
        assert_eq!(
            (s47.current.numerator, s47.current.denominator),
            (Some(2), Some(6))
        );
        assert_eq!(
            (s47.previous.numerator, s47.previous.denominator),
            (Some(1), Some(3))
        );
        assert_eq!(s47.direction, Direction::Same);
        // No SSDA903 return: both years are no_data, so not comparable; and 2022 has no CIN data.
        assert_eq!(
            line(MeasureId::ClaAtEnd).direction,
            Direction::NotComparable
        );
        let earlier = Scorecard::new(&ds, Some(2023), &Options::default()).unwrap();
        let s47 = earlier
            .lines
            .iter()
            .find(|l| l.current.id == MeasureId::S47ToIcpc)
            .unwrap();
        assert!(s47.previous.is_no_data());
        assert_eq!(s47.direction, Direction::NotComparable);
    }

    #[test]
    fn adoption_windows_are_three_years() {
        assert_eq!(
            window(MeasureId::AdoptionA2, 2024).unwrap().to_string(),
            "2021-04-01..=2024-03-31"
        );
        assert_eq!(
            window(MeasureId::Referrals, 2024).unwrap().to_string(),
            "2023-04-01..=2024-03-31"
        );
    }
}
