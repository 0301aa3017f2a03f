//! Care episodes, periods of care and placements (spec 2.1 rules 2 and 3, 2.2): what the SSDA903
//! family adds to the build.
//!
//! The public functions work on one child's episodes, ordered as in spec 2.1 (by `DECOM`, then `DEC`
//! ascending with blank last, then file order), after the 2.1 repairs. The [`crate::Dataset`] applies
//! them when it is built (the repairs, then `derive`) and keeps the results as columns of its
//! care-episode table ([`crate::dataset::CareColumns`], [`crate::dataset::PeriodOfCare`]); they are
//! public so that a reader can check a child's history by hand.
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

use compact_str::CompactString;

use super::merge::{Report, Staged, Tagged, day_key};
use super::report::{Meta, Reporter};
use super::{CareColumns, PeriodOfCare as DatasetPeriod};
use crate::day::Day;
use crate::quality::{Issue, IssueCode};
use crate::records::{CareEpisode, Header};

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

/// Drops the care episodes whose `DEC` is before their `DECOM` (`reversed_interval`), and reports a
/// `DEC` after the end of its return's collection year (`date_after_return_end`).
pub(super) fn drop_reversed(
    care: &mut Staged<CareEpisode>,
    metas: &[Meta],
    rep: &mut Reporter<'_>,
) {
    let mut order = std::mem::take(&mut care.order);
    order.retain(|&i| {
        let t = care.get(i);
        let e = t.row;
        let year = metas.get(t.ret as usize).and_then(|m| m.year);
        let end = year.and_then(|y| Day::from_ymd(y, 3, 31).ok());
        if let Some(end) = end.filter(|&end| e.decom > end) {
            // A DECOM after the return's year: the DEC after it goes without saying.
            let msg = format!(
                "DECOM {} is after 31 March {}, the end of the return's collection year: a date \
                 the return cannot yet hold; kept as it stands",
                e.decom,
                end.year()
            );
            rep.report(
                t.ret,
                e.origin,
                Issue::new(IssueCode::DateAfterReturnEnd, msg)
                    .child(&e.child)
                    .record(Some(e.decom)),
            );
        }
        let Some(dec) = e.dec else {
            return true;
        };
        if dec < e.decom {
            let msg = format!("DEC {dec} is before DECOM {}; episode dropped", e.decom);
            rep.report(
                t.ret,
                e.origin,
                Issue::new(IssueCode::ReversedInterval, msg)
                    .child(&e.child)
                    .record(Some(e.decom)),
            );
            return false;
        }
        if let Some(y) = year.filter(|_| end.is_some_and(|end| dec > end && e.decom <= end)) {
            let msg =
                format!("DEC {dec} is after 31 March {y}, the end of the return's collection year");
            rep.report(
                t.ret,
                e.origin,
                Issue::new(IssueCode::DateAfterReturnEnd, msg)
                    .child(&e.child)
                    .record(Some(e.decom)),
            );
        }
        true
    });
    care.order = order;
}

/// Puts one child's care episodes in the order of spec 2.1: `DECOM`, then `DEC` ascending with
/// blank last, then file order (return, origin; rows that tie stay in table order).
fn episode_order(care: &mut Staged<CareEpisode>) {
    let key = |(at, &i): (usize, &u32)| {
        let t = care.get(i);
        let e = t.row;
        let dec = e.dec.map_or(u32::MAX, |d| day_key(Some(d)));
        (
            (u64::from(t.child) << 32) | u64::from(day_key(Some(e.decom))),
            (u64::from(dec) << 32) | u64::from(t.ret),
            (u64::from(e.origin.file) << 32) | u64::from(e.origin.line),
            at as u32,
        )
    };
    let keys: Vec<(u64, u64, u64, u32)> = care.order.iter().enumerate().map(key).collect();
    if keys.is_sorted() {
        return;
    }
    let mut keys = keys;
    keys.sort_unstable();
    care.order = keys.into_iter().map(|k| care.order[k.3 as usize]).collect();
}

/// The repairs of spec 2.1 (rules 2 and 3) on every child's episodes, which are left in episode
/// order.
pub(super) fn repair(care: &mut Staged<CareEpisode>, rep: &mut Reporter<'_>) {
    episode_order(care);
    let order = std::mem::take(&mut care.order);
    let mut i = 0;
    while i < order.len() {
        let child = care.get(order[i]).child;
        let mut j = i + 1;
        while j < order.len() && care.get(order[j]).child == child {
            j += 1;
        }
        repair_child(care, &order[i..j], rep);
        i = j;
    }
    care.order = order;
}

/// Repairs of one child's care episodes, the rows at `eps` in episode order.
fn repair_child(care: &mut Staged<CareEpisode>, eps: &[u32], rep: &mut dyn Report) {
    for w in eps.windows(2) {
        let next = care.get(w[1]).row;
        let (next_decom, next_rne_s) = (next.decom, next.rne == "S");
        let ret = care.get(w[0]).ret;
        let e = care.row_mut(w[0]);
        let (code, msg) = match e.dec {
            Some(dec) if e.rec == "X1" && dec < next_decom && !next_rne_s => {
                let msg = format!(
                    "REC X1 but DEC {dec} is before the next DECOM {next_decom}; DEC set to {next_decom}"
                );
                e.dec = Some(next_decom);
                (IssueCode::X1GapClosed, msg)
            }
            None => {
                let msg = format!(
                    "open episode followed by one starting {next_decom}; closed on {next_decom}"
                );
                e.dec = Some(next_decom);
                if !next_rne_s {
                    e.rec = CompactString::const_new("X1");
                }
                (IssueCode::OpenEpisodeClosed, msg)
            }
            Some(dec) if dec > next_decom => {
                let msg = format!(
                    "DEC {dec} is after the next DECOM {next_decom}; cut back to {next_decom}"
                );
                e.dec = Some(next_decom);
                if !next_rne_s {
                    e.rec = CompactString::const_new("X1");
                }
                (IssueCode::OverlapTruncated, msg)
            }
            _ => continue,
        };
        let issue = Issue::new(code, msg).child(&e.child).record(Some(e.decom));
        let origin = e.origin;
        // The end is the repair's, no longer the one `not_resubmitted_closed` set.
        care.tags[w[0] as usize].closed = false;
        rep.report(ret, origin, issue);
    }
}

/// Spec 2.2 for every child: short breaks, periods of care, placements; `history_truncated`,
/// `rne_inconsistent` and `dob_after_care_start` entries. `care` is in episode order, `headers`
/// one row per child; `n_children` children in all.
#[allow(clippy::too_many_lines)] // one child at a time: short breaks, placements, periods, then their issues
pub(super) fn derive(
    care: &Staged<CareEpisode>,
    headers: Option<&Staged<Header>>,
    n_children: usize,
    data_start: Option<Day>,
    rep: &mut Reporter<'_>,
) -> (CareColumns, Vec<DatasetPeriod>) {
    let mut dob: Vec<Option<Day>> = vec![None; n_children];
    for h in headers.into_iter().flat_map(Staged::iter) {
        if let Some(d) = h.row.dob {
            dob[h.child as usize] = Some(d);
        }
    }
    let care: Vec<Tagged<'_, CareEpisode>> = care.iter().collect();
    let n = care.len();
    let mut cols = CareColumns {
        short_break: Vec::with_capacity(n),
        closed_by_repair: care.iter().map(|t| t.closed).collect(),
        period: vec![u32::MAX; n],
        new_placement: vec![false; n],
        placement_start: Vec::with_capacity(n),
    };
    let mut periods = Vec::new();
    let mut i = 0;
    let mut kept: Vec<&CareEpisode> = Vec::new();
    let mut kept_rows: Vec<usize> = Vec::new();
    while i < n {
        let c = care[i].child;
        let child = &care[i].row.child;
        let mut j = i + 1;
        while j < n && care[j].child == c {
            j += 1;
        }
        kept.clear();
        kept_rows.clear();
        for (k, t) in care[i..j].iter().enumerate() {
            let sb = is_short_break(&t.row.ls);
            cols.short_break.push(sb);
            cols.placement_start.push(t.row.decom);
            if !sb {
                kept.push(t.row);
                kept_rows.push(i + k);
            }
        }
        let new_pl = new_placements(&kept);
        let mut start = Day::MIN;
        for (k, &row) in kept_rows.iter().enumerate() {
            if new_pl[k] {
                start = kept[k].decom;
            }
            cols.new_placement[row] = new_pl[k];
            cols.placement_start[row] = start;
        }
        for p in periods_of_care(&kept, data_start) {
            let id = periods.len() as u32;
            for &row in &kept_rows[p.first..=p.last] {
                cols.period[row] = id;
            }
            if p.history_truncated {
                let t = care[kept_rows[p.first]];
                let msg = format!(
                    "the period of care's first loaded episode starts {} with RNE {} before the earliest loaded SSDA903 year; its true start is unknown",
                    p.start, t.row.rne
                );
                rep.report(
                    t.ret,
                    t.row.origin,
                    Issue::new(IssueCode::HistoryTruncated, msg)
                        .child(child)
                        .record(Some(p.start)),
                );
            }
            periods.push(DatasetPeriod {
                child: c,
                first_episode: kept_rows[p.first] as u32,
                last_episode: kept_rows[p.last] as u32,
                start: p.start,
                end: p.end,
                history_truncated: p.history_truncated,
            });
        }
        for k in rne_inconsistent(&kept, data_start) {
            let t = care[kept_rows[k]];
            let msg = if t.row.rne == "S" {
                "RNE S on an episode that continues a period of care (the previous one has REC X1 and ends on this DECOM)".to_owned()
            } else {
                format!(
                    "RNE {} on the first episode of a period of care that starts within the loaded years; expected S",
                    t.row.rne
                )
            };
            rep.report(
                t.ret,
                t.row.origin,
                Issue::new(IssueCode::RneInconsistent, msg)
                    .child(child)
                    .record(Some(t.row.decom)),
            );
        }
        if let Some(dob) = dob[c as usize] {
            if let Some(t) = care[i..j].iter().find(|t| t.row.decom < dob) {
                let msg = format!(
                    "date of birth {dob} is after the care episode starting {}",
                    t.row.decom
                );
                rep.report(
                    t.ret,
                    t.row.origin,
                    Issue::new(IssueCode::DobAfterCareStart, msg)
                        .child(child)
                        .record(Some(t.row.decom)),
                );
            }
        }
        i = j;
    }
    (cols, periods)
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
