//! Care episodes, periods of care and placements (spec 2.2).
//!
//! These functions work on one child's episodes, ordered as in spec 2.1 (by `DECOM`, then `DEC`
//! ascending with blank last, then file order), after the 2.1 repairs. The [`crate::Dataset`] applies
//! them when it is built and keeps the results as columns of its care-episode table; they are public
//! so that a reader can check a child's history by hand.
//!
//! ```
//! use csc_measures::care::{new_placements, period_starts};
//! use csc_measures::records::CareEpisode;
//! let ep = |decom: &str, dec: Option<&str>, rne: &str, place: &str, rec: &str| CareEpisode {
//!     child: "A1".into(), decom: decom.parse().unwrap(), dec: dec.map(|d| d.parse().unwrap()),
//!     rne: rne.into(), ls: "C2".into(), place: place.into(), rec: rec.into(),
//!     ..CareEpisode::default()
//! };
//! let eps = [
//!     ep("2023-01-01", Some("2023-02-01"), "S", "U1", "X1"),
//!     ep("2023-02-01", Some("2023-02-10"), "L", "U1", "X1"), // legal status only: same placement
//!     ep("2023-02-10", Some("2023-02-20"), "P", "T0", "X1"), // hospital: temporary
//!     ep("2023-02-20", None, "P", "U1", ""),                 // back to the same carer: no move
//! ];
//! assert_eq!(period_starts(&eps), vec![true, false, false, false]);
//! assert_eq!(new_placements(&eps), vec![true, false, false, false]);
//! ```

use std::borrow::Borrow;

use crate::day::Day;
use crate::records::CareEpisode;

/// `LS` V3 or V4: a short break. Short breaks are removed before periods of care and placements
/// are built.
#[must_use]
pub fn is_short_break(ls: &str) -> bool {
    matches!(ls, "V3" | "V4")
}

/// `PLACE` T0-T4: a temporary placement (hospital, holiday, a carer's absence).
#[must_use]
pub fn is_temporary(place: &str) -> bool {
    matches!(place, "T0" | "T1" | "T2" | "T3" | "T4")
}

/// `PLACE` A3-A6 or the legacy A1/A2: placed for adoption.
#[must_use]
pub fn is_adoptive(place: &str) -> bool {
    matches!(place, "A3" | "A4" | "A5" | "A6" | "A1" | "A2")
}

/// Does `cur` continue the period of care of `prev`? Exactly when `prev` has `REC = X1` and its `DEC`
/// equals `cur`'s `DECOM`.
#[must_use]
pub fn continues_period(prev: &CareEpisode, cur: &CareEpisode) -> bool {
    prev.rec == "X1" && prev.dec == Some(cur.decom)
}

/// For each episode, whether it starts a new period of care (the first always does).
#[must_use]
pub fn period_starts<E: Borrow<CareEpisode>>(episodes: &[E]) -> Vec<bool> {
    (0..episodes.len())
        .map(|i| i == 0 || !continues_period(episodes[i - 1].borrow(), episodes[i].borrow()))
        .collect()
}

/// The placement of an episode: (`PLACE`, `URN`, `PLACE_PROVIDER`, `PL_POST`) after normalisation.
#[must_use]
pub fn placement_of(e: &CareEpisode) -> (&str, &str, &str, &str) {
    (&e.place, &e.urn, &e.place_provider, &e.pl_post)
}

/// For each episode, whether it starts a new placement (spec 2.2 rules 1-4):
/// 1. it starts a period of care: yes;
/// 2. else it is temporary: no;
/// 3. else the previous episode is temporary: find, within the period, the last non-temporary episode
///    before that temporary run; none: no; found: yes only when this episode's placement differs;
/// 4. else: yes exactly when `RNE` is S, P or B (L, T and U are not moves).
#[must_use]
pub fn new_placements<E: Borrow<CareEpisode>>(episodes: &[E]) -> Vec<bool> {
    let starts = period_starts(episodes);
    let mut period_first = 0;
    let mut out = Vec::with_capacity(episodes.len());
    for (i, e) in episodes.iter().map(Borrow::borrow).enumerate() {
        if starts[i] {
            period_first = i;
            out.push(true);
        } else if is_temporary(&e.place) {
            out.push(false);
        } else if is_temporary(&episodes[i - 1].borrow().place) {
            let before = episodes[period_first..i - 1]
                .iter()
                .map(Borrow::borrow)
                .rev()
                .find(|p: &&CareEpisode| !is_temporary(&p.place));
            out.push(before.is_some_and(|p| placement_of(p) != placement_of(e)));
        } else {
            out.push(matches!(e.rne.as_str(), "S" | "P" | "B"));
        }
    }
    out
}

/// One period of care of a child, as indices into the child's episode list (short breaks removed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeriodOfCare {
    /// Index of the first episode.
    pub first: usize,
    /// Index of the last episode (inclusive).
    pub last: usize,
    /// `DECOM` of the first episode.
    pub start: Day,
    /// `DEC` of the last episode, blank while the period is open.
    pub end: Option<Day>,
    /// The first loaded episode has `RNE` other than S and starts before the earliest loaded
    /// collection year: the true start is unknown.
    pub history_truncated: bool,
}

/// The periods of care of one child's episodes (short breaks already removed). `data_start` is the
/// first day of the earliest loaded SSDA903 collection year, when known.
#[must_use]
pub fn periods_of_care<E: Borrow<CareEpisode>>(
    episodes: &[E],
    data_start: Option<Day>,
) -> Vec<PeriodOfCare> {
    let starts = period_starts(episodes);
    let mut out: Vec<PeriodOfCare> = Vec::new();
    for (i, e) in episodes.iter().map(Borrow::borrow).enumerate() {
        if starts[i] {
            let truncated = e.rne != "S" && data_start.is_some_and(|d| e.decom < d);
            out.push(PeriodOfCare {
                first: i,
                last: i,
                start: e.decom,
                end: e.dec,
                history_truncated: truncated,
            });
        } else if let Some(p) = out.last_mut() {
            p.last = i;
            p.end = e.dec;
        }
    }
    out
}

/// Which episodes disagree with their place in a period of care (`rne_inconsistent`): a period's
/// first episode with `RNE` other than S that starts within the loaded years, or a continuing
/// episode with `RNE = S`.
#[must_use]
pub fn rne_inconsistent<E: Borrow<CareEpisode>>(
    episodes: &[E],
    data_start: Option<Day>,
) -> Vec<usize> {
    let starts = period_starts(episodes);
    episodes
        .iter()
        .map(Borrow::borrow)
        .enumerate()
        .filter(|&(i, e)| {
            if starts[i] {
                e.rne != "S" && data_start.is_none_or(|d| e.decom >= d)
            } else {
                e.rne == "S"
            }
        })
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Day {
        s.parse().unwrap()
    }

    struct E<'a>(&'a str, Option<&'a str>, &'a str, &'a str, &'a str, &'a str);

    fn eps(v: &[E<'_>]) -> Vec<CareEpisode> {
        v.iter()
            .map(|E(decom, dec, rne, place, rec, urn)| CareEpisode {
                child: "C1".into(),
                decom: d(decom),
                dec: dec.map(d),
                rne: (*rne).into(),
                ls: "C2".into(),
                place: (*place).into(),
                rec: (*rec).into(),
                urn: (*urn).into(),
                place_provider: "PR1".into(),
                pl_post: "AB12CD".into(),
                ..CareEpisode::default()
            })
            .collect()
    }

    #[test]
    fn period_continues_only_on_x1_with_equal_dates() {
        let v = eps(&[
            E("2020-01-01", Some("2020-02-01"), "S", "U1", "X1", "A"),
            E("2020-02-01", Some("2020-03-01"), "P", "U2", "E13", "B"), // continues
            E("2020-03-01", Some("2020-04-01"), "S", "U1", "X1", "A"),  // E13 before: new period
            E("2020-04-02", None, "P", "U1", "", "A"),                  // gap after X1: new period
        ]);
        assert_eq!(period_starts(&v), vec![true, false, true, true]);
        let p = periods_of_care(&v, Some(d("2019-04-01")));
        assert_eq!(p.len(), 3);
        assert_eq!(
            (p[0].first, p[0].last, p[0].end),
            (0, 1, Some(d("2020-03-01")))
        );
        assert!(p.iter().all(|p| !p.history_truncated));
        // the fourth episode starts a period with RNE P inside the loaded years
        assert_eq!(rne_inconsistent(&v, Some(d("2019-04-01"))), vec![3]);
    }

    #[test]
    fn history_truncated_before_the_earliest_year() {
        let v = eps(&[E("2015-01-01", None, "P", "U1", "", "A")]);
        assert!(periods_of_care(&v, Some(d("2016-04-01")))[0].history_truncated);
        assert!(rne_inconsistent(&v, Some(d("2016-04-01"))).is_empty());
        assert!(!periods_of_care(&v, Some(d("2014-04-01")))[0].history_truncated);
        assert_eq!(rne_inconsistent(&v, Some(d("2014-04-01"))), vec![0]);
        // S is never truncated
        let s = eps(&[E("2015-01-01", None, "S", "U1", "", "A")]);
        assert!(!periods_of_care(&s, Some(d("2016-04-01")))[0].history_truncated);
    }

    #[test]
    fn rule_4_rne_decides_between_non_temporary_episodes() {
        let v = eps(&[
            E("2020-01-01", Some("2020-02-01"), "S", "U1", "X1", "A"),
            E("2020-02-01", Some("2020-03-01"), "L", "U1", "X1", "A"),
            E("2020-03-01", Some("2020-04-01"), "T", "U1", "X1", "A"),
            E("2020-04-01", Some("2020-05-01"), "U", "A3", "X1", "A"), // placed for adoption with own carer
            E("2020-05-01", Some("2020-06-01"), "P", "U2", "X1", "B"),
            E("2020-06-01", Some("2020-07-01"), "B", "U3", "X1", "C"),
            E("2020-07-01", None, "S", "U4", "", "D"), // S continuing is a move (and rne_inconsistent)
        ]);
        assert_eq!(
            new_placements(&v),
            vec![true, false, false, false, true, true, true]
        );
        assert_eq!(rne_inconsistent(&v, None), vec![6]);
    }

    #[test]
    fn rule_3_temporary_run_then_same_or_other_placement() {
        let base = [
            E("2020-01-01", Some("2020-02-01"), "S", "U1", "X1", "A"),
            E("2020-02-01", Some("2020-02-05"), "P", "T1", "X1", "H"),
            E("2020-02-05", Some("2020-02-09"), "P", "T2", "X1", "H"),
        ];
        let mut same = eps(&base);
        same.extend(eps(&[E("2020-02-09", None, "P", "U1", "", "A")]));
        assert_eq!(new_placements(&same), vec![true, false, false, false]);
        let mut moved = eps(&base);
        moved.extend(eps(&[E("2020-02-09", None, "T", "U1", "", "Z")])); // other URN, even with RNE T
        assert_eq!(new_placements(&moved), vec![true, false, false, true]);
    }

    #[test]
    fn rule_3_period_starting_temporary_forms_one_placement() {
        let v = eps(&[
            E("2020-01-01", Some("2020-01-05"), "S", "T0", "X1", "H"),
            E("2020-01-05", None, "P", "U1", "", "A"),
        ]);
        // rule 1 for the first; for the second no non-temporary episode precedes the run: no
        assert_eq!(new_placements(&v), vec![true, false]);
    }

    #[test]
    fn rule_1_new_period_is_always_a_new_placement() {
        let v = eps(&[
            E("2020-01-01", Some("2020-01-05"), "S", "U1", "E13", "A"),
            E("2020-03-01", None, "L", "U1", "", "A"),
        ]);
        assert_eq!(new_placements(&v), vec![true, true]);
    }

    #[test]
    fn short_breaks_and_kinds() {
        assert!(is_short_break("V3") && is_short_break("V4") && !is_short_break("V2"));
        assert!(is_temporary("T4") && !is_temporary("T5") && !is_temporary("U1"));
        assert!(is_adoptive("A5") && is_adoptive("A1") && !is_adoptive("U1"));
    }
}
