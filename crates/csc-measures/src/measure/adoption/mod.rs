//! Adoption measures A1, A10, A2 and A3 (spec section 5), from the SSDA903 episodes and AD1 rows.
//!
//! **Adopted children**: episodes with `REC` E11 or E12 (legacy E1 also accepted) and `DEC` in the
//! period, one row per such episode (short breaks never count). For each, within its period of
//! care (spec 2.2):
//! * *entered care* = `DECOM` of the period's first episode;
//! * *moved in* = `DECOM` of the first episode of the last unbroken run of adoptive episodes
//!   (`PLACE` A3-A6, legacy A1/A2; temporary episodes inside the run do not break it) that ends with
//!   the adopted episode; when the adopted episode is not adoptive itself (a temporary one
//!   included), the period's first adoptive episode; none at all: excluded `no_adoptive_placement`;
//! * *A10 end*: when the moved-in episode has `PLACE` A3 or A5 (placed with the current foster
//!   carer), the start of the placement containing it, else *moved in*;
//! * *court authority* = `DECOM` of the period's first episode with `LS` E1 (placement order) or D1
//!   (freeing order);
//! * *match* = the latest `DATE_MATCH` among the child's AD1 rows on or after *entered care* and on or
//!   before the adoption `DEC`.
//!
//! Source: DfE adoption scorecard methodology (A1, A2, A10, A3); SSDA903 guide.

pub mod adoption_a1;
pub mod adoption_a10;
pub mod adoption_a2;
pub mod adoption_a3;
pub mod adoption_decision_to_match;

use crate::care::{is_adoptive, is_temporary};
use crate::day::Day;
use crate::measure::Cx;
use crate::measure::series::{Facts, Row, Span};
use crate::result::{Extra, Extras, MeasureResult, Reason, RecordRow};

/// One adopted episode and the dates the measures read.
pub(crate) struct Adoption {
    /// The child's index.
    pub child: u32,
    /// The adoption `DEC`.
    pub dec: Day,
    pub entered: Day,
    pub history_truncated: bool,
    pub moved_in: Option<Day>,
    pub a10_end: Option<Day>,
    /// `None` when none counts (none, or the first loaded episode of a truncated period).
    pub court: Option<Day>,
    pub match_date: Option<Day>,
}

/// The adopted episodes with their `DEC` in `span`.
pub(crate) fn adoptions(cx: &Cx<'_>, span: Span) -> Vec<Adoption> {
    let ds = cx.ds;
    let (t, care, periods, ad1) = (
        ds.care_episodes(),
        ds.care(),
        ds.periods_of_care(),
        ds.ad1(),
    );
    let mut out = Vec::new();
    for row in 0..t.len() {
        let Some(dec) = t.dec[row].filter(|&d| span.holds(d)) else {
            continue;
        };
        if care.short_break[row] || !matches!(t.rec[row].as_str(), "E11" | "E12" | "E1") {
            continue;
        }
        let pid = care.period[row];
        let p = &periods[pid as usize];
        let eps: Vec<usize> = (p.first_episode as usize..=p.last_episode as usize)
            .filter(|&i| care.period[i] == pid)
            .collect();
        let k = eps.iter().position(|&i| i == row).unwrap_or(eps.len() - 1);
        let moved_in_row = if is_adoptive(&t.place[row]) {
            let mut first = k;
            let mut j = k;
            while j > 0 && (is_adoptive(&t.place[eps[j - 1]]) || is_temporary(&t.place[eps[j - 1]]))
            {
                j -= 1;
                if is_adoptive(&t.place[eps[j]]) {
                    first = j;
                }
            }
            Some(eps[first])
        } else {
            eps.iter().copied().find(|&i| is_adoptive(&t.place[i]))
        };
        let moved_in = moved_in_row.map(|i| t.decom[i]);
        let a10_end = moved_in_row.map(|i| {
            if matches!(t.place[i].as_str(), "A3" | "A5") {
                care.placement_start[i]
            } else {
                t.decom[i]
            }
        });
        let court = eps
            .iter()
            .copied()
            .find(|&i| matches!(t.ls[i].as_str(), "E1" | "D1"))
            .filter(|&i| !(p.history_truncated && i == eps[0]))
            .map(|i| t.decom[i]);
        let entered = p.start;
        let match_date = ad1
            .of_child(t.child[row])
            .filter_map(|i| ad1.date_match[i])
            .filter(|&m| entered <= m && m <= dec)
            .max();
        out.push(Adoption {
            child: t.child[row],
            dec,
            entered,
            history_truncated: p.history_truncated,
            moved_in,
            a10_end,
            court,
            match_date,
        });
    }
    out
}

/// The facts of an adoption measure: the row `row` makes of each adopted episode of `span` (rows do
/// not depend on the period), dated by the adoption `DEC`, in spec 6.1 order.
pub(crate) fn adoption_rows(cx: &Cx<'_>, span: Span, row: impl Fn(&Adoption) -> Row) -> Facts<Row> {
    let mut v: Vec<(Day, Row)> = adoptions(cx, span)
        .iter()
        .map(|a| (a.dec, row(a)))
        .collect();
    v.sort_by_key(|(_, r)| r.key());
    Facts::dated(v)
}

/// The drill-down rows of `cx.period`, in order.
pub(crate) fn rows_in(cx: &Cx<'_>, facts: &Facts<Row>) -> Vec<RecordRow> {
    facts.collect(cx.period, |(_, r)| r.to_record(cx.ds))
}

/// The row of A1, A10 or A3 for one adoption: `days` from entered care to `end`, with the
/// exclusions `history_truncated` then `no_adoptive_placement`; its `start` is entered care (empty
/// when history-truncated), its `end` is `end`.
pub(crate) fn timeliness_row(
    a: &Adoption,
    end: Option<Day>,
    in_numerator: impl Fn(Day) -> bool,
) -> Row {
    if a.history_truncated {
        // Entered care is unknown: the start stays empty.
        return Row::excluded(a.child, Some(a.dec), Reason::HistoryTruncated).dated(None, end);
    }
    let row = match end {
        None => Row::excluded(a.child, Some(a.dec), Reason::NoAdoptivePlacement),
        Some(e) => Row::included(
            a.child,
            Some(a.dec),
            in_numerator(e),
            Some(i64::from(e.days_since(a.entered))),
        ),
    };
    row.dated(Some(a.entered), end)
}

/// An average measure's result from its rows (in spec 6.1 order): value the rounded mean, extras
/// `mean`, `threshold`, `meets_threshold`.
pub(crate) fn average(cx: &Cx<'_>, rows: Vec<RecordRow>, threshold: i64) -> MeasureResult {
    let mut r = cx.result_ordered(rows, Vec::new(), Extras::new());
    let n = r.denominator.unwrap_or(0);
    let sum: i64 = r
        .rows
        .iter()
        .filter(|x| x.in_numerator)
        .filter_map(|x| x.value)
        .sum();
    r.extras = Extras::new()
        .with("mean", Extra::Float((n > 0).then(|| sum as f64 / n as f64)))
        .with("threshold", Extra::Int(Some(threshold)))
        .with(
            "meets_threshold",
            Extra::Flag(r.value.map(|v| v <= threshold as f64)),
        );
    r
}
