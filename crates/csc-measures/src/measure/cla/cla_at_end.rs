//! `cla_at_end`: **Children looked after at the period end (short breaks excluded)** (count; unit
//! children; polarity neither).
//!
//! Children with a care episode open at `period.end` (`DECOM <= end` and `DEC` blank or after it;
//! an episode ceasing on 31 March is not open at 31 March). A child whose open episode is a short
//! break (`LS` V3 or V4) is excluded (`short_break`): DfE excludes short-break care.
//!
//! Drill-down: one row per child looked after at the end, the short-break exclusions included;
//! `record` = `DECOM` of the episode open at the end. Source: DfE children looked after in England,
//! SSDA903 guide; LG Inform metric 3217.

use crate::measure::{Coverage, Cx, MeasureSpec, Rate, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Reason, Unit, ValueKind};

use super::looked_after;
use crate::measure::cin::{counted, excluded};

/// What `cla_at_end` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "cla_at_end",
    title: "Children looked after at the period end (short breaks excluded)",
    unit: Unit::Children,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Count,
    source: ReturnKind::Ssda903,
    window: Window::Year,
    coverage: Coverage::END,
    options: &[],
    rates: &[Rate::NUMERATOR],
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let t = ds.care_episodes();
    let end = cx.period.end();
    let rows = (0..ds.children().len() as u32)
        .filter_map(|c| {
            let child = &ds.children()[c as usize];
            Some(match looked_after(ds, c, end)? {
                Ok(row) => counted(child, Some(t.decom[row])),
                Err(row) => excluded(child, Some(t.decom[row]), Reason::ShortBreak),
            })
        })
        .collect();
    cx.result(rows, Vec::new(), Extras::new())
}
