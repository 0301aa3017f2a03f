//! `stability_3plus_placements_2y`: **Children looked after at both year ends with 3 or more
//! placements in the 2 years to the period end** (percentage; unit children; polarity lower). DfE
//! "CLA 2 years on 31 March with 3 or more placements during the previous 2 years".
//!
//! Window `W = [add_years(period.end, -2) + 1 day, period.end]`.
//!
//! * Cohort, by option `stability_2y_cohort`:
//!   * `both_year_ends` (default): children counted by [`cla_at_end`](super::cla_at_end) at
//!     `period.end` who are also counted by `cla_at_end` at `add_years(period.end, -1)` (a gap
//!     between the two dates does not matter; a short break open at either date leaves the child
//!     out);
//!   * `continuous`: children counted by `cla_at_end` whose current period of care (the one
//!     containing the episode open at `period.end`, short breaks removed) starts on `s` with `s <=
//!     W.start`. A history-truncated period is tested with its first loaded `DECOM`; when that test
//!     fails the child is excluded `history_truncated`.
//!
//!   Others have no row.
//! * Placements: the child's episodes, short breaks removed, that overlap `W` (`DECOM <= W.end` and
//!   `DEC` blank or after `W.start`: an episode ending on `W.start` does not overlap), in order: 1
//!   for the first of them, plus 1 for each later one that starts a new placement (spec 2.2, judged
//!   against the child's whole loaded history), exactly as
//!   [`stability_3plus_placements`](super::stability_3plus_placements) counts over its period.
//! * Numerator: placements `>= 3`.
//! * Extras: `placements_distribution` (`1`, `2`, `3+`) over the denominator.
//! * Warning `insufficient_history` unless the loaded SSDA903 returns with a known collection year
//!   cover `W` (every day of it lies in a loaded collection year); when no loaded SSDA903 return has
//!   a known year, unless the earliest `DECOM` of the loaded care episodes (short breaks included)
//!   is on or before `W.start`.
//!
//! Drill-down: one row per cohort child, and per `history_truncated` exclusion; `record` = `DECOM`
//! of the episode open at the end; `value` = placements in `W` (empty when excluded). Source: DfE
//! children looked after in England, placement stability tables.
//!
//! Dates to check `value` by hand (columns after the spec's): `start` = start of the first
//! placement counted in `W` (which may start before it); `end` = start of the last placement
//! counted in `W`.

use crate::measure::options::{self, Stability2yCohort};
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, Reason, Unit, ValueKind, Warning};

use super::{looked_after, looked_after_at, open_episodes, placements_in};
use crate::measure::cin::{excluded, included};
use crate::measure::years_cover;

/// What `stability_3plus_placements_2y` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "stability_3plus_placements_2y",
    title: "Children looked after at both year ends with 3 or more placements in the 2 years to the period end",
    unit: Unit::Children,
    polarity: Polarity::Lower,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::END,
    options: &[&options::STABILITY_2Y_COHORT.def],
    rates: &[],
    rows: crate::measure::RowDoc {
        per: "cohort child, and `history_truncated` exclusions",
        record: "`DECOM` of the episode open at the end",
        value: "placements in `W` (empty when excluded)",
        start: Some("start of the first placement counted in `W` (which may start before it)"),
        end: Some("start of the last placement counted in `W`"),
    },
    compute: Compute::sliced::<Stability3plusPlacements2y>(),
};

/// The measure, as facts and finish: the care episodes open at some period end of the span; each
/// period reads those open at its end, and counts placements over its window.
pub(crate) struct Stability3plusPlacements2y;

impl Slices for Stability3plusPlacements2y {
    type Facts = Facts<u32>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<u32> {
        open_episodes(cx, span, |i| i as u32)
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<u32>) -> MeasureResult {
        let ds = cx.ds;
        let (t, care, periods) = (ds.care_episodes(), ds.care(), ds.periods_of_care());
        let end = cx.period.end();
        let w_start = end.add_years(-2).add_days(1);
        let previous_end = end.add_years(-1);
        let cohort = cx.opt(&options::STABILITY_2Y_COHORT);
        let mut dist = [("1", 0u64), ("2", 0), ("3+", 0)];
        let mut rows = Vec::new();
        for (c, open) in looked_after_at(ds, facts, cx.period, |&i| i as usize) {
            let Ok(&open) = open else {
                continue;
            };
            let open = open as usize;
            let child = child_id(ds, c);
            match cohort {
                Stability2yCohort::BothYearEnds => {
                    if !matches!(looked_after(ds, c, previous_end), Some(Ok(_))) {
                        continue;
                    }
                }
                Stability2yCohort::Continuous => {
                    let p = &periods[care.period[open] as usize];
                    if p.start > w_start {
                        if p.history_truncated {
                            rows.push(excluded(
                                child,
                                Some(t.decom[open]),
                                Reason::HistoryTruncated,
                            ));
                        }
                        continue;
                    }
                }
            }
            let p = placements_in(ds, c, w_start, end);
            dist[(p.count.clamp(1, 3) - 1) as usize].1 += 1;
            rows.push(
                included(child, Some(t.decom[open]), p.count >= 3, Some(p.count))
                    .dated(p.first_start, p.last_start),
            );
        }
        let years = ds.collection_years(ReturnKind::Ssda903);
        let covered = if years.is_empty() {
            t.decom.iter().min().is_some_and(|&e| e <= w_start)
        } else {
            years_cover(&years, w_start, end)
        };
        let warnings = if covered {
            Vec::new()
        } else {
            vec![Warning::InsufficientHistory]
        };
        let extras = Extras::new().with("placements_distribution", Extra::Counts(dist.to_vec()));
        cx.result_ordered(rows, warnings, extras)
    }
}
