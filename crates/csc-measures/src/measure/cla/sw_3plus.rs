//! `sw_3plus`: **Children looked after at the period end with 3 or more social workers in the
//! previous 12 months** (percentage; unit children; polarity lower). DfE social worker stability.
//!
//! Window `W = [add_years(period.end, -1) + 1 day, period.end]`.
//!
//! * Population: the children counted by [`cla_at_end`](super::cla_at_end) (short-break children
//!   have no row).
//! * A child's social worker episodes in `W`: its SWEpisodes rows with `SW_DECOM <= period.end` and
//!   (`SW_DEC` blank or `SW_DEC > W.start`), whether or not the child was looked after then (an
//!   episode ending on `W.start` is not in `W`; one starting on it is). Rows with a reversed interval
//!   (kept by spec 2.3) are tested as written; rows sharing a key are all read.
//! * Exclusion: `no_sw_episodes` (no such row).
//! * Social workers: the distinct non-blank `SW_ID` values of those rows (a worker who returns
//!   counts once; a blank `SW_ID` adds none, so a child with only blank ids has 0 workers and stays
//!   in the denominator).
//! * Numerator: social workers `>= 3`.
//! * Extras: `distribution` (children in the denominator by workers: `0`, `1`, `2`, `3+`).
//! * Warning `insufficient_history` unless the loaded SSDA903 returns that hold an SWEpisodes table
//!   (with a known collection year) cover `W`. When no loaded SSDA903 return has a known year (the
//!   spec does not say; decided as for `stability_3plus_placements_2y`): unless the earliest
//!   `SW_DECOM` loaded is on or before `W.start`.
//! * Coverage (spec 3.1): the return covering `period.end` must hold an SWEpisodes table (XML
//!   returns never do), else the result is `no_data`.
//!
//! Drill-down: one row per child counted by `cla_at_end`, the `no_sw_episodes` exclusions included;
//! `record` = `DECOM` of the episode open at the end; `value` = the distinct social workers in `W`
//! (empty when excluded). Source: DfE children looked after in England, social worker changes (the
//! SWEpisodes table, collected from 2023-24).

use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Window};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, Reason, Unit, ValueKind, Warning};

use super::{looked_after_at, open_episodes};
use crate::measure::cin::{excluded, included};
use crate::measure::years_cover;

/// What `sw_3plus` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "sw_3plus",
    title: "Children looked after at the period end with 3 or more social workers in the previous 12 months",
    unit: Unit::Children,
    polarity: Polarity::Lower,
    value_kind: ValueKind::Percentage,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::END.requires(&["SWEpisodes"]),
    options: &[],
    rates: &[],
    rows: crate::measure::RowDoc {
        per: "child counted by `cla_at_end`",
        record: "`DECOM` of the episode open at the end",
        value: "distinct social workers in `W` (empty when excluded)",
        start: None,
        end: None,
    },
    compute: Compute::sliced::<Sw3plus>(),
};

/// The measure, as facts and finish: the care episodes open at some period end of the span; each
/// period reads those open at its end, and the social workers of its window.
pub(crate) struct Sw3plus;

impl Slices for Sw3plus {
    type Facts = Facts<u32>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<u32> {
        open_episodes(cx, span, |i| i as u32)
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<u32>) -> MeasureResult {
        let ds = cx.ds;
        let (t, sw) = (ds.care_episodes(), &ds.ssda903().sw_episodes);
        let end = cx.period.end();
        let w_start = end.add_years(-1).add_days(1);
        let mut dist = [("0", 0u64), ("1", 0), ("2", 0), ("3+", 0)];
        let mut rows = Vec::new();
        let mut ids: Vec<&str> = Vec::new();
        for (c, open) in looked_after_at(ds, facts, cx.period, |&i| i as usize) {
            let Ok(&open) = open else {
                continue;
            };
            let child = child_id(ds, c);
            let record = Some(t.decom[open as usize]);
            let mut in_w = sw
                .of_child(c)
                .filter(|&i| sw.sw_decom[i] <= end && sw.sw_dec[i].is_none_or(|e| e > w_start))
                .peekable();
            if in_w.peek().is_none() {
                rows.push(excluded(child, record, Reason::NoSwEpisodes));
                continue;
            }
            ids.clear();
            ids.extend(
                in_w.map(|i| sw.sw_id[i].as_str())
                    .filter(|id| !id.is_empty()),
            );
            ids.sort_unstable();
            ids.dedup();
            let workers = ids.len() as i64;
            dist[workers.min(3) as usize].1 += 1;
            rows.push(included(child, record, workers >= 3, Some(workers)));
        }
        let covered = if ds.collection_years(ReturnKind::Ssda903).is_empty() {
            sw.sw_decom.iter().min().is_some_and(|&d| d <= w_start)
        } else {
            let mut with_sw: Vec<i32> = ds
                .returns()
                .iter()
                .filter(|r| r.kind == ReturnKind::Ssda903 && r.holds("SWEpisodes"))
                .filter_map(|r| r.collection_year)
                .collect();
            with_sw.sort_unstable();
            with_sw.dedup();
            years_cover(&with_sw, w_start, end)
        };
        let warnings = if covered {
            Vec::new()
        } else {
            vec![Warning::InsufficientHistory]
        };
        let extras = Extras::new().with("distribution", Extra::Counts(dist.to_vec()));
        cx.result_ordered(rows, warnings, extras)
    }
}
