//! `adoption_a3`: **A3: children who waited less than 14 months from entering care to moving in
//! with adopters** (percentage; unit children; polarity higher).
//!
//! Denominator: the adoptions included in [`adoption_a1`](super::adoption_a1) (same exclusions).
//! Numerator: *moved in* `< add_months(entered care, a3_months)` (option `a3_months`, default 14).
//!
//! Drill-down: one row per adopted episode; `record` = adoption `DEC`; `value` = A1 days.

use crate::measure::{Cx, MeasureId};
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult};

use super::{adoptions, timeliness_row};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let months = cx.opts.a3_months.0 as i32;
    let rows = adoptions(cx)
        .iter()
        .map(|a| timeliness_row(a, a.moved_in, |m| m < a.entered.add_months(months)))
        .collect();
    cx.result(
        MeasureId::AdoptionA3,
        ReturnKind::Ssda903,
        rows,
        Vec::new(),
        Extras::default(),
    )
}
