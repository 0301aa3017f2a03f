//! Slicing a child's true history into the annual returns a local authority would submit.
//!
//! The return for collection year `Y` (period `P = [Y-1-04-01, Y-03-31]`) holds what was known on
//! 31 March `Y`: every record open at some point in `P`, with any date after `P.end` blanked (an
//! episode that closed later is still open in this return) and nothing that started after `P.end`.

use compact_str::CompactString;
use csc_measures::Day;
use csc_measures::records::{
    Ad1, Assessment, CareEpisode, CinChild, CinEpisode, CinPlan, CinReturn, CpPlan, Header,
    PlacedAdoption, Section47, Ssda903Return,
};

use crate::history::{Child, CinEp};

/// One collection year's period.
#[derive(Clone, Copy, Debug)]
pub(crate) struct YearPeriod {
    pub(crate) year: i32,
    pub(crate) start: Day,
    pub(crate) end: Day,
}

/// The two returns of one collection year, as one worker builds them.
#[derive(Clone, Debug, Default)]
pub(crate) struct YearOut {
    pub(crate) cin: CinReturn,
    pub(crate) ssda903: Ssda903Return,
}

fn code(s: &'static str) -> CompactString {
    CompactString::const_new(s)
}

/// `d` when it is on or before `end`.
fn upto(d: Option<Day>, end: Day) -> Option<Day> {
    d.filter(|&d| d <= end)
}

/// Appends `child`'s rows to every year's returns.
pub(crate) fn emit(child: &Child, years: &[YearPeriod], out: &mut [YearOut]) {
    for (p, o) in years.iter().zip(out.iter_mut()) {
        emit_cin(child, *p, &mut o.cin);
        emit_903(child, *p, &mut o.ssda903);
    }
}

fn emit_cin(child: &Child, p: YearPeriod, r: &mut CinReturn) {
    let mut any = false;
    for ep in &child.cin {
        if ep.referral > p.end {
            break;
        }
        if ep.closure.is_some_and(|c| c < p.start) {
            continue;
        }
        any = true;
        let closure = upto(ep.closure, p.end);
        r.episodes.push(CinEpisode {
            child: child.id.clone(),
            referral_date: ep.referral,
            referral_source: code(ep.source),
            primary_need: code(ep.need),
            closure_date: closure,
            reason_for_closure: if closure.is_some() {
                code(ep.reason_for_closure)
            } else {
                CompactString::default()
            },
            referral_nfa: Some(ep.nfa),
            initial_cpc_date: upto(ep.transfer_cpc, p.end),
            ..Default::default()
        });
        emit_nested(child, ep, p, r);
    }
    if any {
        r.children.push(CinChild {
            child: child.id.clone(),
            upn: child.upn.clone(),
            birth_date: Some(child.dob),
            expected_birth_date: None,
            death_date: upto(child.death, p.end),
            sex: code(child.sex),
            ethnicity: code(child.ethnic),
            disabilities: child.disability.map(|d| vec![code(d)]).unwrap_or_default(),
            ..Default::default()
        });
    }
}

/// The assessment, CIN plans, section 47 enquiry and CP plan of `ep` that the year holds. A CP
/// plan carries the reviews held in the year only (spec 2.4: the returns' review dates are taken
/// together).
fn emit_nested(child: &Child, ep: &CinEp, p: YearPeriod, r: &mut CinReturn) {
    if let Some(a) = &ep.assessment {
        if a.start <= p.end && a.auth >= p.start {
            let auth = upto(Some(a.auth), p.end);
            let factors = if auth.is_some() {
                a.factors[..usize::from(a.n_factors)]
                    .iter()
                    .map(|&f| code(f))
                    .collect()
            } else {
                Vec::new()
            };
            r.assessments.push(Assessment {
                child: child.id.clone(),
                episode_referral_date: ep.referral,
                start_date: Some(a.start),
                internal_review_date: None,
                authorisation_date: auth,
                factors,
                ..Default::default()
            });
        }
    }
    for c in ep.cin_plans.iter().flatten() {
        if c.start <= p.end && c.end.is_none_or(|e| e >= p.start) {
            r.cin_plans.push(CinPlan {
                child: child.id.clone(),
                episode_referral_date: ep.referral,
                start_date: Some(c.start),
                end_date: upto(c.end, p.end),
                ..Default::default()
            });
        }
    }
    if let Some(s) = &ep.s47 {
        let last = s.icpc.map_or(s.start, |c| c.max(s.start));
        if s.start <= p.end && last >= p.start {
            let icpc = upto(s.icpc, p.end);
            r.section47s.push(Section47 {
                child: child.id.clone(),
                episode_referral_date: ep.referral,
                start_date: Some(s.start),
                icpc_target_date: Some(crate::history::add_wd(s.start, 15)),
                icpc_date: icpc,
                icpc_not_required: if s.icpc.is_some() && icpc.is_none() {
                    Some(false)
                } else {
                    s.not_required
                },
                ..Default::default()
            });
        }
    }
    if let Some(pl) = &ep.plan {
        if pl.start <= p.end && pl.end.is_none_or(|e| e >= p.start) {
            let end = upto(pl.end, p.end);
            let latest = if pl.change.is_some_and(|c| c <= p.end) {
                pl.latest
            } else {
                pl.initial
            };
            let first = pl.reviews as usize;
            let reviews = child.reviews[first..first + usize::from(pl.n_reviews)]
                .iter()
                .copied()
                .filter(|&d| d >= p.start && d <= p.end)
                .collect();
            r.plans.push(CpPlan {
                child: child.id.clone(),
                episode_referral_date: ep.referral,
                start_date: Some(pl.start),
                end_date: end,
                initial_category: code(pl.initial),
                latest_category: code(latest),
                previous_plans: pl.previous,
                review_dates: reviews,
                ..Default::default()
            });
        }
    }
}

fn emit_903(child: &Child, p: YearPeriod, r: &mut Ssda903Return) {
    let mut any = false;
    for e in &child.care {
        if e.decom > p.end {
            break;
        }
        if e.dec.is_some_and(|d| d < p.start) {
            continue;
        }
        any = true;
        let dec = upto(e.dec, p.end);
        let carer = &child.carers[e.carer as usize];
        r.episodes.push(CareEpisode {
            child: child.id.clone(),
            decom: e.decom,
            rne: code(e.rne),
            ls: code(e.ls),
            cin: code(e.cin),
            place: code(e.place),
            place_provider: code(carer.provider),
            dec,
            rec: if dec.is_some() {
                code(e.rec)
            } else {
                CompactString::default()
            },
            reason_place_change: code(e.reason_place_change),
            home_post: child.homes[e.home as usize].clone(),
            pl_post: carer.post.clone(),
            urn: carer.urn.clone(),
            ..Default::default()
        });
    }
    if !any {
        return;
    }
    let mother = upto(child.mc_dob, p.end);
    r.headers.push(Header {
        child: child.id.clone(),
        sex: code(child.sex),
        dob: Some(child.dob),
        ethnic: code(child.ethnic),
        upn: child.upn.clone(),
        mother: match (child.sex, mother) {
            ("2", Some(_)) => code("1"),
            ("2", None) => code("0"),
            _ => CompactString::default(),
        },
        mc_dob: mother,
        ..Default::default()
    });
    for a in &child.adoptions {
        let Some(ceased) = a.ceased.filter(|&c| c >= p.start && c <= p.end) else {
            continue;
        };
        if a.adopted {
            r.ad1.push(Ad1 {
                child: child.id.clone(),
                dob: Some(child.dob),
                date_int: Some(a.date_int),
                date_match: a.date_match,
                foster_care: code(if a.foster_carer { "1" } else { "0" }),
                nb_adoptr: code(if a.adopters == 1 { "1" } else { "2" }),
                sex_adoptr: code(a.sex_adoptr),
                ls_adoptr: code(a.ls_adoptr),
                ..Default::default()
            });
        }
        r.placed_adoption.push(PlacedAdoption {
            child: child.id.clone(),
            dob: Some(child.dob),
            date_placed: Some(a.date_int),
            date_placed_ceased: Some(ceased),
            reason_placed_ceased: code(a.reason),
            ..Default::default()
        });
    }
}
