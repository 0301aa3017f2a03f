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

use super::open_at_end_rows;

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let t = cx.ds.cp_plans();
    let end = cx.period.end();
    let rows = open_at_end_rows(
        cx.ds,
        |c| t.of_child(c),
        |i| t.start_date[i].filter(|&s| open_at(s, t.end_date[i], end)),
    );
    cx.result(
        MeasureId::CppAtEnd,
        ReturnKind::Cin,
        rows,
        Vec::new(),
        Extras::default(),
    )
}
