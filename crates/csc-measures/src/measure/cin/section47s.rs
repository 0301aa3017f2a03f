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

use crate::day::Day;
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, MeasureSpec, Rate, Window};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, RecordRow, Unit, ValueKind};

use super::counted;

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
    rows: super::S47_ROWS,
    compute: Compute::sliced::<Section47s>(),
};

/// The measure, as facts and finish: the section 47s starting in the span, dated by their start, in
/// child then start order, each with whether its conference was not required.
pub(crate) struct Section47s;

impl Slices for Section47s {
    type Facts = Facts<(u32, bool)>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        let t = cx.ds.section47s();
        let mut v: Vec<(Day, (u32, bool))> = (0..t.len())
            .filter_map(|i| {
                let s = t.start_date[i].filter(|&s| span.holds(s))?;
                Some((s, (t.child[i], t.icpc_not_required[i] == Some(true))))
            })
            .collect();
        v.sort_by_key(|&(s, (c, _))| (c, s));
        Facts::dated(v)
    }

    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult {
        let (mut not_required, mut children, mut last) = (0_i64, 0_i64, None);
        let rows: Vec<RecordRow> = facts.collect(cx.period, |(s, &(c, nr))| {
            not_required += i64::from(nr);
            children += i64::from(last.replace(c) != Some(c));
            counted(child_id(cx.ds, c), Some(s))
        });
        let extras = Extras::new()
            .with("children", Extra::Int(Some(children)))
            .with("icpc_not_required", Extra::Int(Some(not_required)));
        cx.result_ordered(rows, Vec::new(), extras)
    }
}
