//! `cpp_at_end`: **Children subject of a CP plan at the period end** (count; unit children;
//! polarity neither).
//!
//! Children with a CP plan open at `period.end` (`CPPstartDate <= end` and `CPPendDate` blank or
//! after it). A plan with a blank start is never open.
//!
//! Drill-down: one row per child counted; `record` = the `CPPstartDate` of the earliest open plan.
//! Source: DfE characteristics of children in need, table D1.

use crate::measure::{Cx, MeasureId};
use crate::period::open_at;
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult};

use super::counted;

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let t = ds.cp_plans();
    let end = cx.period.end();
    let rows = (0..ds.children().len() as u32)
        .filter_map(|c| {
            let s = t
                .of_child(c)
                .filter_map(|i| t.start_date[i].filter(|&s| open_at(s, t.end_date[i], end)))
                .min()?;
            Some(counted(&ds.children()[c as usize], Some(s)))
        })
        .collect();
    let id = MeasureId::CppAtEnd;
    MeasureResult::from_rows(
        id,
        cx.period,
        cx.options(id),
        rows,
        cx.period_warnings(ReturnKind::Cin),
        Extras::default(),
    )
}
