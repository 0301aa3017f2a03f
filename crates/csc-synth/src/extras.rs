//! The rest of a looked-after child's true history, for the SSDA903 tables besides Header,
//! Episodes, AD1 and PlacedAdoption: looked-after reviews, missing and away incidents, social
//! worker episodes, previous permanence, UASC status and leaving care; and the annual OC2 and OC3
//! rows of a collection year.
//!
//! Everything here is drawn from streams of its own ([`Rng::for_stream`]), after the history of
//! [`crate::history`] is complete, so these tables never change the CIN and care records a seed
//! gives.

use compact_str::CompactString;
use csc_measures::Day;

use crate::codes;
use crate::history::{Child, Horizon, add_wd, age_on};
use crate::rng::Rng;

/// The stream of the child-level draws; the annual rows use [`Extras::annual`].
const STREAM_CHILD: u64 = 1;

/// A looked-after review's first is due within 20 working days of the start of care.
const FIRST_REVIEW_WD: u32 = 20;
/// A first review on time, and a later one (3 months after the first, then every 6 months).
const P_FIRST_REVIEW_ON_TIME: f64 = 0.88;
const P_LATER_REVIEW_ON_TIME: f64 = 0.90;
/// A missing or away incident is an away one (about a third as many as missing ones).
const P_AWAY: f64 = 0.25;
/// A new social worker is the one before the last coming back.
const P_WORKER_RETURNS: f64 = 0.05;
/// A social worker episode recorded without `SW_ID`.
const P_BLANK_SW_ID: f64 = 0.01;
/// Mean days with one social worker (at least [`MIN_TENURE`]).
const MEAN_TENURE: f64 = 270.0;
const MIN_TENURE: i32 = 30;
/// Social workers of the local authority's looked-after teams (`SW_ID` values).
const WORKERS: u32 = 400;
/// A child starting care with a previous permanence order.
const P_PREV_PERM: f64 = 0.035;
/// An AD1 row with `DATE_INT` left blank.
const P_BLANK_DATE_INT: f64 = 0.03;

/// A period of care (short breaks left out): its episodes' first start and last end.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Period {
    pub(crate) start: Day,
    /// `None`: still looked after at the horizon's end.
    pub(crate) end: Option<Day>,
    /// Indexes into [`Child::care`] of its first and one past its last episode.
    first: usize,
    last: usize,
}

impl Period {
    /// Open at `d` (spec 1.1).
    pub(crate) fn open_at(&self, d: Day) -> bool {
        self.start <= d && self.end.is_none_or(|e| e > d)
    }
}

/// A missing (`M`) or away (`A`) incident.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Incident {
    pub(crate) start: Day,
    /// `None`: still missing at the horizon's end.
    pub(crate) end: Option<Day>,
    pub(crate) away: bool,
}

/// A social worker's episode with the child.
#[derive(Clone, Debug)]
pub(crate) struct Worker {
    pub(crate) id: CompactString,
    pub(crate) start: Day,
    pub(crate) end: Option<Day>,
    pub(crate) reason: &'static str,
}

/// A permanence order before care (`PrevPerm`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct PrevPerm {
    pub(crate) code: &'static str,
    pub(crate) la: &'static str,
    pub(crate) date: Day,
    /// The start of the period of care it was recorded at.
    pub(crate) from: Day,
}

/// What a child's history holds for the other tables.
#[derive(Clone, Debug, Default)]
pub(crate) struct Extras {
    /// The seed of the child's annual rows.
    seed: u64,
    pub(crate) periods: Vec<Period>,
    /// Looked-after reviews: date and `REVIEW_CODE`, ascending.
    pub(crate) reviews: Vec<(Day, &'static str)>,
    /// Missing and away incidents, ascending and apart.
    pub(crate) incidents: Vec<Incident>,
    /// Social worker episodes, ascending.
    pub(crate) workers: Vec<Worker>,
    pub(crate) prev_perm: Option<PrevPerm>,
    /// `DUC` of an unaccompanied asylum-seeking child.
    pub(crate) duc: Option<Day>,
    /// The day a care leaver (looked after for 13 weeks after the 14th birthday, leaving care at
    /// 16 or over) left care.
    pub(crate) left_care: Option<Day>,
}

impl Extras {
    /// The stream of the child's annual rows of collection year `year`.
    pub(crate) fn annual(&self, year: i32) -> Rng {
        Rng::for_stream(self.seed, u64::from(year.unsigned_abs()), 2)
    }

    /// The period of care open at `d`.
    pub(crate) fn period_at(&self, d: Day) -> Option<&Period> {
        self.periods.iter().find(|p| p.open_at(d))
    }
}

/// Draws the rest of child `index`'s history into `x` (what the other SSDA903 tables hold:
/// reviews, missing incidents, social workers, ...), after [`crate::history::Sim`].
pub(crate) fn run(seed: u64, index: u64, h: Horizon, child: &mut Child, x: &mut Extras) {
    let mut rng = Rng::for_stream(seed, index, STREAM_CHILD);
    x.seed = rng.next_u64();
    x.periods.clear();
    x.reviews.clear();
    x.incidents.clear();
    x.workers.clear();
    x.prev_perm = None;
    x.duc = None;
    x.left_care = None;
    periods(child, &mut x.periods);
    for p in &x.periods {
        reviews(&mut rng, child, p, h, &mut x.reviews);
    }
    incidents(&mut rng, child, &x.periods, h, &mut x.incidents);
    workers(&mut rng, &x.periods, h, &mut x.workers);
    x.prev_perm = prev_perm(&mut rng, child, &x.periods);
    if child.uasc {
        // An age assessment that found the young person an adult ends the status early.
        let assessed = child
            .care
            .iter()
            .find(|e| e.rec == "E15")
            .and_then(|e| e.dec);
        x.duc = Some(assessed.unwrap_or(child.dob.add_years(18)));
    }
    x.left_care = care_leaver(child, &x.periods);
    for a in &mut child.adoptions {
        a.int_recorded = !rng.chance(P_BLANK_DATE_INT);
    }
}

fn short_break(ls: &str) -> bool {
    matches!(ls, "V3" | "V4")
}

/// The child's periods of care (spec 2.2), short breaks left out.
fn periods(child: &Child, out: &mut Vec<Period>) {
    let mut prev: Option<usize> = None;
    for (i, e) in child.care.iter().enumerate() {
        if short_break(e.ls) {
            continue;
        }
        let continues = prev.is_some_and(|j| {
            let p = &child.care[j];
            p.rec == "X1" && p.dec == Some(e.decom)
        });
        match out.last_mut() {
            Some(last) if continues => {
                last.end = e.dec;
                last.last = i + 1;
            }
            _ => out.push(Period {
                start: e.decom,
                end: e.dec,
                first: i,
                last: i + 1,
            }),
        }
        prev = Some(i);
    }
}

/// Days late of a review held late: days to weeks.
fn late_days(rng: &mut Rng) -> i32 {
    match rng.weighted(&[60, 30, 10]) {
        0 => rng.range(1, 14),
        1 => rng.range(15, 35),
        _ => rng.range(36, 56),
    }
}

/// The reviews of period `p`: the first within 20 working days of its start, the second within 3
/// months of the first, then every 6 months (spec 5.1 `cla_reviews_on_time`); most on time, the
/// rest days to weeks late; none on or after the period's end or after the horizon's.
fn reviews(
    rng: &mut Rng,
    child: &Child,
    p: &Period,
    h: Horizon,
    out: &mut Vec<(Day, &'static str)>,
) {
    let stop = p.end.unwrap_or(Day::MAX);
    let first = if rng.chance(P_FIRST_REVIEW_ON_TIME) {
        add_wd(p.start, rng.range(5, FIRST_REVIEW_WD as i32) as u32)
    } else {
        add_wd(p.start, FIRST_REVIEW_WD).add_days(late_days(rng))
    };
    let mut r = first;
    let mut n = 0;
    loop {
        if r >= stop || r > h.end {
            break;
        }
        let code = if age_on(child.dob, r) < 4 {
            "PN0"
        } else {
            rng.pick(codes::REVIEW_CODE)
        };
        out.push((r, code));
        n += 1;
        let (due, early) = if n == 1 {
            (r.add_months(3), 30)
        } else {
            (r.add_months(6), 45)
        };
        r = if rng.chance(P_LATER_REVIEW_ON_TIME) {
            due.add_days(-rng.range(0, early))
        } else {
            due.add_days(late_days(rng))
        };
    }
}

/// Incidents a year of a child of `age` in placement `place`, given the child's propensity.
fn incident_rate(propensity: f64, age: i32, place: &str) -> f64 {
    let by_age = match age {
        ..=7 => 0.0,
        8..=10 => 0.12,
        11..=12 => 0.45,
        _ => 1.0,
    };
    let by_place = match place {
        "K2" | "H5" | "P2" | "R1" | "S1" => 2.5,
        "K1" | "R5" | "T0" | "T1" | "T2" | "T3" | "T4" => 0.3,
        "P1" => 0.6,
        _ => 1.0,
    };
    propensity * by_age * by_place
}

/// Missing and away incidents while looked after: most children never go missing, a few go
/// missing often (teenagers in children's homes the most). Mostly back within 0 to 3 days, a few
/// longer; an incident still open when the period of care ends closes with it.
fn incidents(
    rng: &mut Rng,
    child: &Child,
    periods: &[Period],
    h: Horizon,
    out: &mut Vec<Incident>,
) {
    let propensity = match rng.weighted(&[11, 22, 67]) {
        0 => 12.0,
        1 => 1.2,
        _ => 0.04,
    };
    let mut free = Day::MIN;
    for p in periods {
        for e in &child.care[p.first..p.last] {
            let end = e.dec.unwrap_or(h.end.add_days(1));
            let mut t = e.decom.max(free);
            loop {
                let rate = incident_rate(propensity, age_on(child.dob, t), e.place);
                if rate <= 0.0 {
                    break;
                }
                t = t.add_days(rng.exp_days(365.0 / rate));
                if t >= end || t > h.end {
                    break;
                }
                let days = match rng.weighted(&[38, 30, 17, 8, 5, 2]) {
                    0 => 0,
                    1 => 1,
                    2 => rng.range(2, 3),
                    3 => rng.range(4, 7),
                    4 => rng.range(8, 30),
                    _ => rng.range(31, 90),
                };
                let back = t.add_days(days);
                let back = p.end.map_or(back, |pe| back.min(pe)).max(t);
                let open = back > h.end;
                out.push(Incident {
                    start: t,
                    end: (!open).then_some(back),
                    away: rng.chance(P_AWAY),
                });
                if open {
                    return;
                }
                free = back.add_days(1);
                t = free;
            }
        }
    }
}

/// A social worker's `SW_ID`, different from `not` (the current one).
fn worker_id(rng: &mut Rng, not: &str) -> CompactString {
    loop {
        let mut id = CompactString::const_new("SW");
        let n = rng.below(WORKERS);
        for d in [n / 1000, n / 100 % 10, n / 10 % 10, n % 10] {
            id.push(char::from(b'0' + d as u8));
        }
        if id != not {
            return id;
        }
    }
}

/// The social workers of each period of care: one from its start, each changing after months
/// (about 270 days on average, at least 30), sometimes one coming back; the last ends with the
/// period.
fn workers(rng: &mut Rng, periods: &[Period], h: Horizon, out: &mut Vec<Worker>) {
    for p in periods {
        let stop = p.end.unwrap_or(Day::MAX);
        let mut id = worker_id(rng, "");
        let mut before = CompactString::default();
        let mut start = p.start;
        let mut reason = "CHCHAN";
        loop {
            let change = start.add_days(rng.exp_days(MEAN_TENURE).max(MIN_TENURE));
            let end = if change >= stop { p.end } else { Some(change) };
            let end = end.filter(|&e| e <= h.end);
            let recorded = if rng.chance(P_BLANK_SW_ID) {
                CompactString::default()
            } else {
                id.clone()
            };
            out.push(Worker {
                id: recorded,
                start,
                end,
                reason,
            });
            let Some(next) = end.filter(|&e| e < stop) else {
                break;
            };
            let back = !before.is_empty() && rng.chance(P_WORKER_RETURNS);
            let new = if back {
                before.clone()
            } else {
                worker_id(rng, &id)
            };
            reason = if back {
                "ABSENC"
            } else {
                rng.pick(codes::SW_REASON)
            };
            before = std::mem::replace(&mut id, new);
            start = next;
        }
    }
}

/// A previous permanence order, for a few children starting care (not asylum seekers, not
/// remands), made at least six months before that start.
fn prev_perm(rng: &mut Rng, child: &Child, periods: &[Period]) -> Option<PrevPerm> {
    let p = periods.first()?;
    let first = &child.care[p.first];
    if child.uasc || first.ls.starts_with('J') || !rng.chance(P_PREV_PERM) {
        return None;
    }
    let from = child.dob.add_days(180);
    let to = p.start.add_days(-180);
    let span = to.days_since(from);
    if span <= 0 {
        return None;
    }
    let date = from.add_days(rng.below(span as u32) as i32);
    Some(PrevPerm {
        code: rng.pick(codes::PREV_PERM),
        la: rng.pick(codes::LA_PERM),
        date,
        from: p.start,
    })
}

/// The day the child left care as a care leaver: its last period of care ended at 16 or over,
/// not by death, transfer or adoption, after 13 weeks or more looked after since the 14th
/// birthday.
fn care_leaver(child: &Child, periods: &[Period]) -> Option<Day> {
    let p = periods.last()?;
    let end = p.end?;
    let last = &child.care[p.last - 1];
    if age_on(child.dob, end) < 16 || matches!(last.rec, "E2" | "E3" | "E11" | "E12") {
        return None;
    }
    let fourteen = child.dob.add_years(14);
    let days: i32 = child
        .care
        .iter()
        .filter(|e| !short_break(e.ls))
        .map(|e| {
            let s = e.decom.max(fourteen);
            let t = e.dec.unwrap_or(end).min(end);
            t.days_since(s).max(0)
        })
        .sum();
    (days >= 91).then_some(end)
}

// ------------------------------------------------------------------------------------------
// Annual rows

/// The OC2 fields of a child looked after for 12 months at `end` (31 March of the year).
#[derive(Clone, Copy, Debug, Default)]
#[allow(clippy::struct_excessive_bools)]
pub(crate) struct Outcomes {
    pub(crate) sdq_score: Option<u32>,
    pub(crate) sdq_reason: &'static str,
    pub(crate) convicted: Option<bool>,
    pub(crate) health_check: Option<bool>,
    pub(crate) immunisations: Option<bool>,
    pub(crate) teeth_check: Option<bool>,
    pub(crate) health_assessment: Option<bool>,
    pub(crate) substance_misuse: Option<bool>,
    pub(crate) intervention_received: Option<bool>,
    pub(crate) intervention_offered: Option<bool>,
}

/// `Some(true)` with probability `p`, else `Some(false)`; `None` (not recorded) with probability
/// `blank` first.
fn flag(rng: &mut Rng, p: f64, blank: f64) -> Option<bool> {
    if rng.chance(blank) {
        None
    } else {
        Some(rng.chance(p))
    }
}

/// A strengths and difficulties score: about normal around 14, 0 to 40.
fn sdq(rng: &mut Rng) -> u32 {
    let z: f64 = (0..6).map(|_| rng.unit()).sum::<f64>() - 3.0;
    let s = 14.0 + z * 1.414 * 7.0;
    s.round().clamp(0.0, 40.0) as u32
}

/// The OC2 row of a child born `dob` for the year to `end`.
pub(crate) fn outcomes(rng: &mut Rng, dob: Day, end: Day) -> Outcomes {
    let age = age_on(dob, end);
    let mut o = Outcomes {
        health_check: (age < 5).then(|| rng.chance(0.88)),
        immunisations: flag(rng, 0.81, 0.01),
        teeth_check: flag(rng, 0.78, 0.01),
        health_assessment: flag(rng, 0.90, 0.005),
        ..Outcomes::default()
    };
    if (4..=16).contains(&age) {
        if rng.chance(0.8) {
            o.sdq_score = Some(sdq(rng));
        } else {
            o.sdq_reason = rng.pick(codes::SDQ_REASON);
        }
    } else {
        o.sdq_reason = "SDQ1";
    }
    if age >= 10 {
        o.convicted = Some(rng.chance(if age >= 14 { 0.05 } else { 0.015 }));
        let misuse = rng.chance(if age >= 14 { 0.08 } else { 0.02 });
        o.substance_misuse = Some(misuse);
        if misuse {
            let offered = rng.chance(0.85);
            o.intervention_offered = Some(offered);
            o.intervention_received = Some(offered && rng.chance(0.65));
        }
    } else {
        o.substance_misuse = Some(false);
    }
    o
}

/// The OC3 fields of a care leaver of age `age` (17 to 21) in the year.
pub(crate) fn leaver(rng: &mut Rng, age: i32) -> (&'static str, &'static str, &'static str) {
    let in_touch = rng.pick(if age <= 18 {
        codes::IN_TOUCH_17_18
    } else {
        codes::IN_TOUCH_19_21
    });
    match in_touch {
        "YES" | "RHOM" => {
            let activ = rng.pick(if age <= 18 {
                codes::ACTIV_17_18
            } else {
                codes::ACTIV_19_21
            });
            let accom = if in_touch == "RHOM" {
                "B1"
            } else {
                rng.pick(if age <= 18 {
                    codes::ACCOM_17_18
                } else {
                    codes::ACCOM_19_21
                })
            };
            (in_touch, activ, accom)
        }
        _ => (in_touch, "0", "0"),
    }
}

/// The ages of a care leaver whose birthday falls in `[start, end]`.
pub(crate) fn leaver_age(dob: Day, left: Day, start: Day, end: Day) -> Option<i32> {
    (17..=21).find(|&n| {
        let b = dob.add_years(n);
        start <= b && b <= end && left <= b
    })
}
