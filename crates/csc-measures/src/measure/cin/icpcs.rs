//! `icpcs`: **Initial child protection conferences held in the period** (count; unit
//! conferences; polarity neither).
//!
//! A *conference* is a record holding a `DateOfInitialCPC`: every section 47 record holding one
//! and, under `icpc_sources = s47_and_transfer_in` (default), every CIN episode holding one (a
//! conference recorded at CIN level, for a child transferring in with a plan); under
//! `icpc_sources = s47`, only the former. The count is of conferences dated in the period, by their
//! `DateOfInitialCPC` alone:
//!
//! * a section 47 record with a blank `S47ActualStartDate` that holds a conference date is counted
//!   (spec 2.6's blank-start rule is about the enquiry's own interval, not its conference);
//! * each record is one conference, so one date recorded on a section 47 and on its CIN episode
//!   (against CIN rule 2884) counts twice;
//! * a conference dated before its section 47 start is counted (volumes keep them;
//!   [`icpc_15wd`](super::icpc_15wd) does not).
//!
//! Extras: `children` (distinct children with a conference counted), `transfer_in` (CIN-level
//! conferences counted), rates per 10,000 children (spec 8): `rate_per_10000` of the count,
//! `children_rate_per_10000` of `children`.
//!
//! Drill-down: one row per conference counted; `record` = the conference date; `value` empty.
//! Source: DfE characteristics of children in need, table C4.

use crate::day::Day;
use crate::measure::series::{Facts, Slices, Span, child_id};
use crate::measure::{Compute, Coverage, Cx, IcpcSources, MeasureSpec, Rate, Window, options};
use crate::records::ReturnKind;
use crate::result::{Extra, Extras, MeasureResult, Polarity, RecordRow, Unit, ValueKind};

use super::counted;

/// What `icpcs` declares of itself.
pub const SPEC: MeasureSpec = MeasureSpec {
    id: "icpcs",
    title: "Initial child protection conferences held in the period",
    unit: Unit::Conferences,
    polarity: Polarity::Neither,
    value_kind: ValueKind::Count,
    source: ReturnKind::Cin,
    window: Window::Year,
    coverage: Coverage::PERIOD,
    options: &[&options::ICPC_SOURCES.def],
    rates: &[Rate::NUMERATOR, Rate::CHILDREN],
    rows: super::ICPC_ROWS,
    compute: Compute::sliced::<Icpcs>(),
};

/// A conference dated in a span.
pub(super) struct Conference {
    /// The child's index.
    pub child: u32,
    /// `DateOfInitialCPC`.
    pub date: Day,
    /// The `CINreferralDate` of the CIN episode it belongs to (the section 47's, or the episode
    /// holding it).
    pub episode: Day,
    /// Recorded on the CIN episode (a transfer-in conference).
    pub transfer_in: bool,
}

/// The conferences dated in `span`, from the sources `icpc_sources` names: what this measure and
/// [`icpc_to_cpp`](super::icpc_to_cpp) share.
pub(super) fn conferences(cx: &Cx<'_>, span: Span) -> Vec<Conference> {
    let ds = cx.ds;
    let s47 = ds.section47s();
    let mut out: Vec<Conference> = (0..s47.len())
        .filter_map(|i| {
            let date = s47.icpc_date[i].filter(|&d| span.holds(d))?;
            Some(Conference {
                child: s47.child[i],
                date,
                episode: s47.episode_referral_date[i],
                transfer_in: false,
            })
        })
        .collect();
    if cx.opt(&options::ICPC_SOURCES) == IcpcSources::S47AndTransferIn {
        let ep = ds.cin_episodes();
        out.extend((0..ep.len()).filter_map(|i| {
            let date = ep.initial_cpc_date[i].filter(|&d| span.holds(d))?;
            Some(Conference {
                child: ep.child[i],
                date,
                episode: ep.referral_date[i],
                transfer_in: true,
            })
        }));
    }
    out
}

/// The measure, as facts and finish: the conferences of the span, dated, in child then date order,
/// each with whether it was a transfer-in.
pub(crate) struct Icpcs;

impl Slices for Icpcs {
    type Facts = Facts<(u32, bool)>;

    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts {
        let mut v: Vec<(Day, (u32, bool))> = conferences(cx, span)
            .into_iter()
            .map(|c| (c.date, (c.child, c.transfer_in)))
            .collect();
        v.sort_by_key(|&(d, (c, _))| (c, d));
        Facts::dated(v)
    }

    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult {
        let (mut transfer_in, mut children, mut last) = (0_i64, 0_i64, None);
        let rows: Vec<RecordRow> = facts.collect(cx.period, |(d, &(c, t))| {
            transfer_in += i64::from(t);
            children += i64::from(last.replace(c) != Some(c));
            counted(child_id(cx.ds, c), Some(d))
        });
        let extras = Extras::new()
            .with("children", Extra::Int(Some(children)))
            .with("transfer_in", Extra::Int(Some(transfer_in)));
        cx.result_ordered(rows, Vec::new(), extras)
    }
}
