//! `cla_started`: **Children who started to be looked after in the period** (count; unit children;
//! polarity neither).
//!
//! Count of children with at least one period of care (spec 2.2, short breaks removed) whose start,
//! the `DECOM` of its first episode, is in the period; a child counts once, at its first such
//! start. A history-truncated period (its first loaded episode has `RNE` other than S and starts
//! before the earliest loaded SSDA903 year) has no known start and never counts. Any other period
//! counts whatever the `RNE` of its first episode: a child whose full-care episode follows a
//! removed short break starts a period there.
//!
//! Extras: `uasc`, the counted children unaccompanied asylum-seeking at that start (spec 2.6, the
//! deciding return's UASC row, `uasc_at`); `rate_per_10000` of the count and
//! `uasc_rate_per_10000` of `uasc`, with `population` and `population_year` (spec 8).
//!
//! The UASC table is read for the extra only: a return of the period without it gives
//! `table_missing` (spec 3.1), and `uasc` is then null when the deciding return of any counted child
//! does not hold the table (the count is unknown, not 0).
//!
//! Drill-down: one row per child counted; `record` = the start of its first period of care starting
//! in the period; `value` empty. Source: DfE children looked after in England, table C1 ("children
//! who started to be looked after during the year").

use crate::day::Day;
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Rate, RateOf, Window};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, RecordRow, Unit, ValueKind};

use super::cla_uasc_at_end::uasc_at;
use crate::measure::cin::counted;

/// What `cla_started` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cla_started",
    title: "Children who started to be looked after in the period",
    unit: Unit::Children,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Count,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::PERIOD.reads(&["UASC"]),
    options: &[],
    rates: &[
        Rate::NUMERATOR,
        Rate {
            of: RateOf::Extra("uasc"),
            key: "uasc_rate_per_10000",
        },
    ],
    rows: crate::measure::RowDoc {
        per: "child counted",
        record: "start of its first period of care starting in the period",
        value: "empty",
        start: None,
        end: None,
    },
    compute: Compute::sliced::<ClaStarted>(),
};

/// The measure, as facts and finish: the periods of care with a known start in the span, dated by
/// it, in child then start order, each with the child's UASC status at that start. A child's first
/// fact in a period is its first start there.
pub(crate) struct ClaStarted;

impl Slices for ClaStarted {
    type Facts = Facts<(u32, Option<bool>)>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        let ds = cx.ds;
        let mut v: Vec<(Day, (u32, Option<bool>))> = ds
            .periods_of_care()
            .iter()
            .filter(|p| !p.history_truncated && span.holds(p.start))
            .map(|p| (p.start, (p.child, uasc_at(ds, p.child, p.start))))
            .collect();
        v.sort_by_key(|&(start, (c, _))| (c, start));
        Facts::dated(v)
    }

    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult {
        let starts = facts.of_dated(cx.period);
        let mut rows: Vec<RecordRow> = Vec::with_capacity(starts.len());
        let mut uasc = Some(0i64);
        let mut last_child = u32::MAX;
        for (start, &(c, u)) in starts {
            if c == last_child {
                continue;
            }
            last_child = c;
            rows.push(counted(child_id(cx.ds, c), Some(start)));
            uasc = match (uasc, u) {
                (Some(n), Some(u)) => Some(n + i64::from(u)),
                _ => None,
            };
        }
        cx.result_ordered(
            rows,
            Vec::new(),
            Extras::new().with("uasc", Extra::Int(uasc)),
        )
    }
}
