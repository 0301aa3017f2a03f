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

use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Rate, Window};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult, Polarity, Reason, RecordRow, Unit, ValueKind};

use super::{looked_after_at, open_episodes};
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
    rows: crate::measure::RowDoc {
        per: "child looked after at the end (short-break exclusions too)",
        record: "`DECOM` of the episode open at the end",
        value: "empty",
        start: None,
        end: None,
    },
    compute: Compute::sliced::<ClaAtEnd>(),
};

/// The measure, as facts and finish: the care episodes open at some period end of the span, each
/// period reading those open at its end.
pub(crate) struct ClaAtEnd;

impl Slices for ClaAtEnd {
    type Facts = Facts<u32>;

    fn facts(cx: &Cx<'_>, span: Span) -> Facts<u32> {
        open_episodes(cx, span, |i| i as u32)
    }

    fn finish(cx: &Cx<'_>, facts: &Facts<u32>) -> MeasureResult {
        let ds = cx.ds;
        let decom = &ds.care_episodes().decom;
        let rows: Vec<RecordRow> = looked_after_at(ds, facts, cx.period, |&i| i as usize)
            .map(|(c, open)| match open {
                Ok(&i) => counted(child_id(ds, c), Some(decom[i as usize])),
                Err(&i) => excluded(child_id(ds, c), Some(decom[i as usize]), Reason::ShortBreak),
            })
            .collect();
        cx.result_ordered(rows, Vec::new(), Extras::new())
    }
}
