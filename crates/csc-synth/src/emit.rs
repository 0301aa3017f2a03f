//! Slicing a child's true history into the annual returns a local authority would submit.
//!
//! The return for collection year `Y` (period `P = [Y-1-04-01, Y-03-31]`) holds what was known on
//! 31 March `Y`: every record open at some point in `P`, with any date after `P.end` blanked (an
//! episode that closed later is still open in this return) and nothing that started after `P.end`.

use compact_str::CompactString;
use csc_measures::Day;
use csc_measures::records::{
    Ad1, Assessment, CareEpisode, CinChild, CinEpisode, CinPlan, CinReturn, CpPlan, Header,
    Missing, Oc2, Oc3, PlacedAdoption, PrevPerm, Review, Section47, Ssda903Return, SwEpisode, Uasc,
};

use crate::extras::{self, Extras};
use crate::history::{Child, CinEp};

/// The first collection year whose SSDA903 return holds SWEpisodes (2023-24).
pub(crate) const SW_EPISODES_FROM: i32 = 2024;

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
pub(crate) fn emit(child: &Child, extra: &Extras, years: &[YearPeriod], out: &mut [YearOut]) {
    for (p, o) in years.iter().zip(out.iter_mut()) {
        emit_cin(child, *p, &mut o.cin);
        emit_903(child, extra, *p, &mut o.ssda903);
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

fn emit_903(child: &Child, extra: &Extras, p: YearPeriod, r: &mut Ssda903Return) {
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
    // A care leaver whose 17th to 21st birthday is in the year is in the return (OC3) whether or
    // not looked after in it.
    let leaver_age = extra
        .left_care
        .and_then(|left| extras::leaver_age(child.dob, left, p.start, p.end));
    if !any && leaver_age.is_none() {
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
                date_int: a.int_recorded.then_some(a.date_int),
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
    emit_903_more(child, extra, p, leaver_age, r);
}

/// The rows of the tables besides Header, Episodes, AD1 and PlacedAdoption of a child in the
/// return (its Header pushed).
fn emit_903_more(
    child: &Child,
    x: &Extras,
    p: YearPeriod,
    leaver_age: Option<i32>,
    r: &mut Ssda903Return,
) {
    let dob = Some(child.dob);
    let in_year = |d: Day| d >= p.start && d <= p.end;
    // Unaccompanied asylum-seeking children, while looked after and the year after they turn 18.
    if let Some(duc) = x.duc.filter(|&d| d >= p.start.add_years(-1)) {
        r.uasc.push(Uasc {
            child: child.id.clone(),
            sex: code(child.sex),
            dob,
            duc: Some(duc),
            ..Default::default()
        });
    }
    for &(d, c) in x.reviews.iter().filter(|(d, _)| in_year(*d)) {
        r.reviews.push(Review {
            child: child.id.clone(),
            dob,
            review: d,
            review_code: code(c),
            ..Default::default()
        });
    }
    for i in &x.incidents {
        if i.start > p.end || i.end.is_some_and(|e| e < p.start) {
            continue;
        }
        r.missing.push(Missing {
            child: child.id.clone(),
            dob,
            missing: code(if i.away { "A" } else { "M" }),
            mis_start: i.start,
            mis_end: upto(i.end, p.end),
            ..Default::default()
        });
    }
    if p.year >= SW_EPISODES_FROM {
        for w in &x.workers {
            if w.start > p.end || w.end.is_some_and(|e| e < p.start) {
                continue;
            }
            r.sw_episodes.push(SwEpisode {
                child: child.id.clone(),
                dob,
                sw_id: w.id.clone(),
                sw_decom: w.start,
                sw_dec: upto(w.end, p.end),
                sw_reason: code(w.reason),
                ..Default::default()
            });
        }
    }
    if let Some(pp) = x.prev_perm.filter(|pp| pp.from <= p.end) {
        r.prev_perm.push(PrevPerm {
            child: child.id.clone(),
            dob,
            prev_perm: code(pp.code),
            la_perm: code(pp.la),
            date_perm: Some(pp.date),
            ..Default::default()
        });
    }
    // Looked after continuously for 12 months at 31 March (spec 2.6 `cla_12m`).
    let twelve_months = x
        .period_at(p.end)
        .is_some_and(|c| c.start <= p.end.add_years(-1).add_days(1));
    if twelve_months || leaver_age.is_some() {
        let mut rng = x.annual(p.year);
        if twelve_months {
            let o = extras::outcomes(&mut rng, child.dob, p.end);
            r.oc2.push(Oc2 {
                child: child.id.clone(),
                dob,
                sdq_score: o.sdq_score,
                sdq_reason: code(o.sdq_reason),
                convicted: o.convicted,
                health_check: o.health_check,
                immunisations: o.immunisations,
                teeth_check: o.teeth_check,
                health_assessment: o.health_assessment,
                substance_misuse: o.substance_misuse,
                intervention_received: o.intervention_received,
                intervention_offered: o.intervention_offered,
                ..Default::default()
            });
        }
        if let Some(age) = leaver_age {
            let (in_touch, activ, accom) = extras::leaver(&mut rng, age);
            r.oc3.push(Oc3 {
                child: child.id.clone(),
                dob,
                in_touch: code(in_touch),
                activ: code(activ),
                accom: code(accom),
                ..Default::default()
            });
        }
    }
}
