//! `section47s`: **Section 47 enquiries starting in the period** (count; unit enquiries; polarity
//! neither).
//!
//! The section 47 records with `S47ActualStartDate` in the period: every record after the merge of
//! spec 2.1, so two records of one child sharing a start both count; the same records form the
//! denominator of [`s47_to_icpc`](super::s47_to_icpc). A record with a blank start is never counted
//! (spec 2.6).
//!
//! Extras: `children` (distinct children counted), `icpc_not_required` (counted records whose
//! `ICPCnotRequired` is true: `true` or `1`, any case; anything else is unknown, reported as
//! `unknown_code`, and not true), rates per 10,000 children (spec 8): `rate_per_10000` of the
//! count, `children_rate_per_10000` of `children`.
//!
//! Drill-down: one row per enquiry counted; `record` = `S47ActualStartDate`; `value` empty.
//! Source: DfE characteristics of children in need, table C4.

use crate::measure::{Coverage, Cx, MeasureSpec, Rate, Window};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, Unit, ValueKind};

use super::{counted, distinct_children};

/// What `section47s` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "section47s",
    title: "Section 47 enquiries starting in the period",
    unit: Unit::Enquiries,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Count,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::PERIOD,
    options: &[],
    rates: &[Rate::NUMERATOR, Rate::CHILDREN],
    compute,
};

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let t = ds.section47s();
    let mut rows = Vec::new();
    let mut not_required = 0_i64;
    for i in 0..t.len() {
        let Some(s) = t.start_date[i].filter(|&s| cx.period.contains(s)) else {
            continue;
        };
        not_required += i64::from(t.icpc_not_required[i] == Some(true));
        rows.push(counted(&ds.children()[t.child[i] as usize], Some(s)));
    }
    let extras = Extras::new()
        .with("children", Extra::Int(Some(distinct_children(&rows))))
        .with("icpc_not_required", Extra::Int(Some(not_required)));
    cx.result(rows, Vec::new(), extras)
}
