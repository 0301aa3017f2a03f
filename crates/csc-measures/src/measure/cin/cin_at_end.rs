//! `cin_at_end`: **Children in need at the period end** (count; unit children; polarity neither).
//!
//! Children with a CIN episode open at `period.end` (`CINreferralDate <= end` and
//! `CINclosureDate` blank or after it) whose `ReferralNFA` is not true (unknown counts as not true).
//!
//! Drill-down: one row per child counted; `record` = the `CINreferralDate` of the child's earliest
//! open non-NFA episode. Source: DfE characteristics of children in need, table A1.

use crate::measure::{Cx, MeasureId};
use crate::period::open_at;
use crate::records::ReturnKind;
use crate::result::{Extras, MeasureResult};

use super::counted;

pub(crate) fn compute(cx: &Cx<'_>) -> MeasureResult {
    let ds = cx.ds;
    let t = ds.cin_episodes();
    let end = cx.period.end();
    let rows = (0..ds.children().len() as u32)
        .filter_map(|c| {
            let first = t.of_child(c).find(|&i| {
                t.referral_nfa[i] != Some(true)
                    && open_at(t.referral_date[i], t.closure_date[i], end)
            })?;
            Some(counted(
                &ds.children()[c as usize],
                Some(t.referral_date[first]),
            ))
        })
        .collect();
    let id = MeasureId::CinAtEnd;
    MeasureResult::from_rows(
        id,
        cx.period,
        cx.options(id),
        rows,
        cx.period_warnings(ReturnKind::Cin),
        Extras::default(),
    )
}
