//! A child's whole true history: CIN episodes with their assessments, section 47 enquiries and
//! child protection plans, periods of care made of episodes, and adoption decisions.
//!
//! The history runs from the horizon's start (eighteen years before the first collection year)
//! to its end (31 March of the last collection year). Dates after the horizon's end are either kept
//! as they would fall (an assessment completed next year) or left open (`None`): nothing after the
//! end is ever returned, so the difference does not show.

use compact_str::CompactString;
use csc_measures::{Calendar, Day};

use crate::codes::{self, Weighted};
use crate::rng::Rng;

/// The span of the true history.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Horizon {
    /// First day of the history.
    pub(crate) start: Day,
    /// Last day of the last collection year.
    pub(crate) end: Day,
}

/// An assessment.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Assess {
    pub(crate) start: Day,
    pub(crate) auth: Day,
    pub(crate) factors: [&'static str; 3],
    pub(crate) n_factors: u8,
}

/// A section 47 enquiry.
#[derive(Clone, Copy, Debug)]
pub(crate) struct S47 {
    pub(crate) start: Day,
    pub(crate) icpc: Option<Day>,
    pub(crate) not_required: Option<bool>,
}

/// A child protection plan.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Plan {
    pub(crate) start: Day,
    pub(crate) end: Option<Day>,
    pub(crate) initial: &'static str,
    pub(crate) latest: &'static str,
    /// When the latest category replaced the initial one.
    pub(crate) change: Option<Day>,
    /// `NumberOfPreviousCPP` as recorded.
    pub(crate) previous: Option<u32>,
    /// The review conferences: `n_reviews` dates of [`Child::reviews`] from index `reviews`, in
    /// ascending order, each after the start and before the end.
    pub(crate) reviews: u32,
    /// How many reviews (see `reviews`).
    pub(crate) n_reviews: u8,
}

impl Plan {
    /// Forgets a category change that would fall on or after the plan's end.
    fn fix_change(&mut self) {
        if let (Some(c), Some(e)) = (self.change, self.end) {
            if c >= e {
                self.change = None;
                self.latest = self.initial;
            }
        }
    }
}

/// A CIN plan (`CINPlanDates`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CinPlanSpan {
    pub(crate) start: Day,
    /// `None`: still open at the horizon's end.
    pub(crate) end: Option<Day>,
}

/// A CIN episode and what is nested in it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CinEp {
    pub(crate) referral: Day,
    pub(crate) closure: Option<Day>,
    pub(crate) source: &'static str,
    pub(crate) need: &'static str,
    pub(crate) reason_for_closure: &'static str,
    pub(crate) nfa: bool,
    /// A transfer-in conference recorded on the episode.
    pub(crate) transfer_cpc: Option<Day>,
    pub(crate) assessment: Option<Assess>,
    pub(crate) s47: Option<S47>,
    pub(crate) plan: Option<Plan>,
    /// CIN plans, in start order: one before a CP plan or care, one after (a step down from a CP
    /// plan, or support after a return home), or one for the whole episode.
    pub(crate) cin_plans: [Option<CinPlanSpan>; 2],
}

/// A carer or establishment: what a placement's provider, URN and postcode describe.
#[derive(Clone, Debug)]
pub(crate) struct Carer {
    pub(crate) provider: &'static str,
    pub(crate) urn: CompactString,
    pub(crate) post: CompactString,
}

/// One care episode.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CareEp {
    pub(crate) decom: Day,
    pub(crate) dec: Option<Day>,
    pub(crate) rne: &'static str,
    pub(crate) ls: &'static str,
    pub(crate) cin: &'static str,
    pub(crate) place: &'static str,
    /// Index into [`Child::carers`].
    pub(crate) carer: u32,
    /// Index into [`Child::homes`].
    pub(crate) home: u32,
    pub(crate) rec: &'static str,
    pub(crate) reason_place_change: &'static str,
}

/// A decision that the child should be placed for adoption, and how it ended.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Adoption {
    /// `DATE_INT` (and `DATE_PLACED`).
    pub(crate) date_int: Day,
    pub(crate) date_match: Option<Day>,
    /// The adoption order or the reversal of the decision.
    pub(crate) ceased: Option<Day>,
    /// `REASON_PLACED_CEASED`: E11, E12 or RD1.
    pub(crate) reason: &'static str,
    pub(crate) adopted: bool,
    /// `DATE_INT` is recorded on the AD1 row (a few are left blank).
    pub(crate) int_recorded: bool,
    pub(crate) foster_carer: bool,
    pub(crate) adopters: u8,
    pub(crate) sex_adoptr: &'static str,
    pub(crate) ls_adoptr: &'static str,
}

/// A child and its whole history. One value is reused for every child a worker generates, so its
/// vectors keep their capacity.
#[derive(Clone, Debug, Default)]
pub(crate) struct Child {
    pub(crate) id: CompactString,
    pub(crate) dob: Day,
    pub(crate) sex: &'static str,
    pub(crate) ethnic: &'static str,
    pub(crate) upn: CompactString,
    pub(crate) disability: Option<&'static str>,
    pub(crate) death: Option<Day>,
    /// Date of birth of the young person's own child (`MC_DOB`).
    pub(crate) mc_dob: Option<Day>,
    pub(crate) cin: Vec<CinEp>,
    pub(crate) care: Vec<CareEp>,
    pub(crate) carers: Vec<Carer>,
    pub(crate) homes: Vec<CompactString>,
    pub(crate) adoptions: Vec<Adoption>,
    /// The review dates of every CP plan ([`Plan::reviews`]).
    pub(crate) reviews: Vec<Day>,
    /// An unaccompanied asylum-seeking child on arrival.
    pub(crate) uasc: bool,
}

/// The child's path into the system.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Referrals only (perhaps care later, by re-entry chance alone).
    Ordinary,
    /// Comes into care from its `n`-th CIN episode.
    FromCin(u32),
    /// An unaccompanied asylum-seeking child, in care from arrival.
    Uasc,
    /// A young person remanded to local authority accommodation.
    Remand,
    /// A disabled child with short breaks.
    ShortBreaks,
}

/// How a child comes into care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Entry {
    /// After or during a section 47 enquiry or CP plan.
    Protection,
    /// Planned, from a CIN plan.
    Planned,
    Uasc,
    Remand,
}

/// How a period of care is planned to end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ExitPlan {
    Home,
    Sgo,
    Cao,
    Adoption,
    LongTerm,
    Remand,
    AgeAssessed,
}

/// How a period of care ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Exit {
    Home,
    Sgo,
    Cao,
    Adopted,
    AgeOut,
    Died,
    Other,
}

/// How often a child moves to new carers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stability {
    Stable,
    Moderate,
    Unstable,
}

/// The planned steps of an adoption.
#[derive(Clone, Copy, Debug)]
#[allow(clippy::struct_excessive_bools)] // independent facts about one adoption
struct AdoptPlan {
    /// Index into [`Child::adoptions`].
    record: usize,
    /// Court authority: the placement or freeing order, with its legal status; `None` when placed
    /// with parental consent.
    order: Option<(Day, &'static str)>,
    order_done: bool,
    placed: Day,
    placed_done: bool,
    /// The placement order is made the day the child is placed (after the match).
    combined: bool,
    with_foster_carer: bool,
    reversal: Option<Day>,
}

/// The working-day calendar the generator counts with.
fn calendar() -> &'static Calendar {
    Calendar::england_and_wales()
}

/// `d` plus `n` working days (`n = 0` is `d` itself).
pub(crate) fn add_wd(d: Day, n: u32) -> Day {
    let cal = calendar();
    let mut d = d;
    let mut n = n;
    while n > 0 {
        d = d.add_days(1);
        if cal.is_working_day(d) {
            n -= 1;
        }
    }
    d
}

/// The last day (31 March) of the collection year holding `d`.
fn year_end(d: Day) -> Day {
    let (y, m, _) = d.to_ymd();
    let y = if m >= 4 { y + 1 } else { y };
    Day::from_ymd(y, 3, 31).unwrap_or(d)
}

/// Whole years of age on `d` of a child born on `dob`.
pub(crate) fn age_on(dob: Day, d: Day) -> i32 {
    let (y0, m0, d0) = dob.to_ymd();
    let (y, m, dd) = d.to_ymd();
    y - y0 - i32::from((m, dd) < (m0, d0))
}

/// The child id of child `index` (0-based): `C` and the 1-based number, zero padded to 7 digits.
pub(crate) fn child_id(index: u64) -> CompactString {
    let mut buf = [b'0'; 24];
    buf[0] = b'C';
    let mut n = index + 1;
    let mut digits = [0u8; 20];
    let mut len = 0;
    while n > 0 {
        digits[len] = b'0' + (n % 10) as u8;
        n /= 10;
        len += 1;
    }
    let width = len.max(7);
    for i in 0..len {
        buf[width - i] = digits[i];
    }
    // Only ASCII digits and 'C' were written.
    CompactString::from_utf8(&buf[..=width]).unwrap_or_default()
}

/// Referral source, need and other draws by child risk (low, medium, high).
const P_NFA: [f64; 3] = [0.11, 0.07, 0.04];
const P_ASSESS: [f64; 3] = [0.62, 0.70, 0.76];
const P_S47: [f64; 3] = [0.23, 0.48, 0.78];
const P_ICPC: [f64; 3] = [0.31, 0.40, 0.47];
/// An episode kept open for support after the assessment (mostly on a CIN plan).
const P_CIN_PLAN: [f64; 3] = [0.40, 0.55, 0.68];
/// The same after a section 47 enquiry that led to no CP plan.
const P_CIN_PLAN_AFTER_S47: f64 = 0.65;
const P_REREFER: [f64; 3] = [0.30, 0.52, 0.72];
/// The same for a child who has had a child protection plan.
const P_S47_AFTER_PLAN: f64 = 0.5;
const P_ICPC_AFTER_PLAN: f64 = 0.6;
const P_REREFER_AFTER_PLAN: f64 = 0.7;
const P_FROM_CIN: [f64; 3] = [0.019, 0.095, 0.34];
/// A referral of a medium or high risk child that is a transfer in with a CP plan, its conference
/// recorded on the CIN episode (about 2% of CP plans start so).
const P_TRANSFER_IN: f64 = 0.0028;
/// A conference after a section 47 enquiry that makes the child subject of a CP plan that day.
const P_PLAN_AT_ICPC: f64 = 0.79;
/// An episode kept open for support after its assessment that has a CIN plan.
const P_CIN_PLAN_LONG: f64 = 0.95;
/// A step down to a CIN plan when the episode stays open after a CP plan ends.
const P_CIN_PLAN_STEP_DOWN: f64 = 0.75;
/// A CIN plan between the assessment and a later CP plan or period of care.
const P_CIN_PLAN_BEFORE: f64 = 0.5;
/// A CIN plan after a return home, while the episode stays open.
const P_CIN_PLAN_AFTER_CARE: f64 = 0.5;
/// A CIN plan that ends before its episode closes (the rest end with it).
const P_CIN_PLAN_ENDS_EARLY: f64 = 0.2;
/// A CIN plan left open after its episode closed (a recording slip).
const P_CIN_PLAN_LEFT_OPEN: f64 = 0.024;
/// A CP plan's first review within three months of its start, and a later review within six
/// months of the one before.
const P_FIRST_REVIEW_ON_TIME: f64 = 0.9;
const P_LATER_REVIEW_ON_TIME: f64 = 0.92;
/// An assessment that identified no factors (`21`): one that ended the episode, and one that led
/// to more.
const P_NO_FACTORS: [f64; 2] = [0.24, 0.01];
/// Working days from a section 47 start to a timely conference.
const ICPC_WITHIN_15: &[(u32, u32)] = &[
    (1, 2),
    (2, 3),
    (3, 4),
    (4, 5),
    (5, 6),
    (6, 7),
    (7, 8),
    (8, 9),
    (9, 10),
    (10, 10),
    (11, 10),
    (12, 10),
    (13, 9),
    (14, 8),
    (15, 7),
];

/// The generator of one child's history.
pub(crate) struct Sim<'a> {
    rng: Rng,
    h: Horizon,
    child: &'a mut Child,
    risk: usize,
    age_out: Day,
    plans_so_far: u32,
}

impl<'a> Sim<'a> {
    /// Generates child `index` into `child` (cleared first).
    pub(crate) fn run(seed: u64, index: u64, h: Horizon, child: &'a mut Child) {
        child.cin.clear();
        child.care.clear();
        child.carers.clear();
        child.homes.clear();
        child.adoptions.clear();
        child.reviews.clear();
        child.death = None;
        child.mc_dob = None;
        child.disability = None;
        child.uasc = false;
        child.id = child_id(index);
        let mut sim = Sim {
            rng: Rng::for_child(seed, index),
            h,
            child,
            risk: 0,
            age_out: Day::MAX,
            plans_so_far: 0,
        };
        sim.life();
    }

    fn pick(&mut self, table: Weighted) -> &'static str {
        self.rng.pick(table)
    }

    /// A uniform day in `[a, b)` (`a` when empty).
    fn day_between(&mut self, a: Day, b: Day) -> Day {
        let n = b.days_since(a);
        if n <= 0 {
            a
        } else {
            a.add_days(self.rng.below(n as u32) as i32)
        }
    }

    fn life(&mut self) {
        self.risk = self.rng.weighted(&[55, 30, 15]);
        let roll = self.rng.below(1000);
        let kind = match roll {
            0..=6 => Kind::ShortBreaks,
            7..=14 => Kind::Uasc,
            15..=20 => Kind::Remand,
            _ if self.rng.chance(P_FROM_CIN[self.risk]) => {
                Kind::FromCin(self.rng.pick(&[(0u32, 55), (1, 30), (2, 15)]))
            }
            _ => Kind::Ordinary,
        };
        if kind == Kind::Remand {
            self.risk = 2;
        }
        self.child.uasc = kind == Kind::Uasc;
        // First contact: uniform over the whole history, so the collection years see a steady
        // flow of new children as well as those known before.
        let c0 = self.day_between(self.h.start, self.h.end.add_days(1));
        let age0 = match kind {
            // Mostly 15 to 17 on arrival (one draw, as a uniform age would take).
            Kind::Uasc => 14 + self.rng.weighted(&[8, 27, 35, 30]) as i32,
            Kind::Remand => self.rng.range(12, 17),
            Kind::ShortBreaks => self.rng.range(2, 13),
            // Children who come into care are younger at first contact (many at birth).
            Kind::FromCin(_) => self
                .rng
                .weighted(&[22, 7, 6, 6, 5, 5, 4, 4, 4, 4, 4, 4, 5, 6, 6, 5, 4, 1])
                as i32,
            Kind::Ordinary => self
                .rng
                .weighted(&[14, 6, 6, 6, 6, 6, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 5, 2])
                as i32,
        };
        let kind = match kind {
            Kind::FromCin(_) if age0 == 0 => Kind::FromCin(0),
            k => k,
        };
        let extra = match (kind, age0) {
            (Kind::FromCin(_), 0) => self.rng.range(0, 90),
            (_, 17..) => self.rng.range(0, 240),
            _ => self.rng.range(0, 364),
        };
        let dob = c0.add_years(-age0).add_days(-extra);
        self.child.dob = dob;
        self.age_out = dob.add_years(18);
        self.child.sex = if self.rng.chance(if kind == Kind::Uasc { 0.9 } else { 0.52 }) {
            "1"
        } else {
            "2"
        };
        self.child.ethnic = self.pick(codes::ETHNIC);
        self.child.upn = if self.rng.chance(0.92) {
            self.upn()
        } else {
            CompactString::default()
        };
        if kind == Kind::ShortBreaks || self.rng.chance(0.07) {
            self.child.disability = Some(self.pick(codes::DISABILITY));
        }
        if kind == Kind::ShortBreaks {
            self.short_breaks(c0);
        } else {
            self.referrals(c0, kind);
        }
    }

    fn upn(&mut self) -> CompactString {
        let mut b = [0u8; 13];
        b[0] = b"ABCDEFGHJKLMNPQRTUVWXYZ"[self.rng.below(23) as usize];
        for x in &mut b[1..] {
            *x = b'0' + self.rng.below(10) as u8;
        }
        CompactString::from_utf8(&b[..]).unwrap_or_default()
    }

    /// A random postcode like `NE12 3AB`.
    fn postcode(&mut self) -> CompactString {
        random_postcode(&mut self.rng)
    }

    /// A postcode fixed by `key` (the same establishment always has the same postcode).
    fn postcode_for(key: u64) -> CompactString {
        random_postcode(&mut Rng::for_child(0x5EED_0FC0_DE00, key))
    }

    // ----------------------------------------------------------------------------------------
    // CIN

    /// Referrals from `c0` on, while the child is under 18 (new referrals stop at 17 years 9
    /// months) and within the horizon.
    fn referrals(&mut self, c0: Day, kind: Kind) {
        let last_referral = self.child.dob.add_months(17 * 12 + 9);
        let mut t = c0;
        let mut n = 0u32;
        let mut care_due = matches!(kind, Kind::FromCin(_) | Kind::Uasc | Kind::Remand);
        let mut reentry = 0.0;
        loop {
            if t > self.h.end || t >= last_referral {
                break;
            }
            let entry = match kind {
                _ if !care_due && reentry > 0.0 => {
                    self.rng.chance(reentry).then_some(Entry::Planned)
                }
                Kind::FromCin(k) if care_due && n >= k => Some(Entry::Planned),
                Kind::Uasc if n == 0 => Some(Entry::Uasc),
                Kind::Remand if n == 0 => Some(Entry::Remand),
                _ => None,
            };
            if entry.is_some() {
                care_due = false;
            }
            reentry = 0.0;
            let (closure, home) = self.cin_episode(t, entry);
            n += 1;
            let Some(closed) = closure else { break };
            if self.child.death.is_some() {
                break;
            }
            if home {
                reentry = 0.3;
            }
            let p = if care_due {
                1.0
            } else if self.plans_so_far > 0 {
                P_REREFER_AFTER_PLAN
            } else {
                P_REREFER[self.risk]
            };
            if !self.rng.chance(p) {
                break;
            }
            let gap = match self.rng.weighted(&[42, 30, 28]) {
                0 => self.rng.range(1, 120),
                1 => self.rng.range(121, 365),
                _ => self.rng.range(366, 1500),
            };
            t = closed.add_days(gap);
        }
    }

    fn assessment_wd(&mut self) -> u32 {
        let (lo, hi) = match self.rng.weighted(&[3, 20, 20, 18, 17, 8, 6, 4, 3, 1]) {
            0 => (0, 0),
            1 => (1, 10),
            2 => (11, 20),
            3 => (21, 30),
            4 => (31, 40),
            5 => (41, 45),
            6 => (46, 50),
            7 => (51, 60),
            8 => (61, 100),
            _ => (101, 160),
        };
        self.rng.range(lo, hi) as u32
    }

    fn plan_days(&mut self) -> i32 {
        match self.rng.weighted(&[15, 30, 30, 18, 7]) {
            0 => self.rng.range(14, 90),
            1 => self.rng.range(91, 182),
            2 => self.rng.range(183, 365),
            3 => self.rng.range(366, 730),
            _ => self.rng.range(731, 1100),
        }
    }

    fn new_plan(&mut self, start: Day, earlier_elsewhere: u32) -> Plan {
        let end = start.add_days(self.plan_days()).min(self.age_out);
        let history = self.plans_so_far + earlier_elsewhere;
        self.plans_so_far += 1;
        let previous = match self.rng.weighted(&[88, 8, 4]) {
            0 => Some(history),
            1 => None,
            _ => Some(history + 1),
        };
        let initial = self.pick(codes::CATEGORY);
        let (latest, change) = if self.rng.chance(0.1) {
            (
                self.pick(codes::CATEGORY),
                Some(start.add_days(self.rng.range(60, 300))),
            )
        } else {
            (initial, None)
        };
        Plan {
            start,
            end: Some(end),
            initial,
            latest,
            change: change.filter(|&c| c < end),
            previous,
            reviews: 0,
            n_reviews: 0,
        }
    }

    /// Draws the review conferences of `plan` (whose dates are final) into [`Child::reviews`].
    /// The first is due within 3 months of the start, each later one within 6 months of the one
    /// before (spec 2.6); most are held in time, a few are days to weeks late. Reviews are held
    /// before the plan ends and up to the horizon's end.
    fn plan_reviews(&mut self, plan: &mut Plan) {
        let stop = plan.end.unwrap_or(Day::MAX);
        plan.reviews = self.child.reviews.len() as u32;
        plan.n_reviews = 0;
        let mut due = plan.start.add_months(3);
        let mut on_time = P_FIRST_REVIEW_ON_TIME;
        let mut early = (0, 30);
        loop {
            let r = if self.rng.chance(on_time) {
                due.add_days(-self.rng.range(early.0, early.1))
            } else {
                due.add_days(match self.rng.weighted(&[60, 30, 10]) {
                    0 => self.rng.range(1, 14),
                    1 => self.rng.range(15, 35),
                    _ => self.rng.range(36, 56),
                })
            };
            if r >= stop || r > self.h.end || plan.n_reviews == u8::MAX {
                break;
            }
            self.child.reviews.push(r);
            plan.n_reviews += 1;
            due = r.add_months(6);
            on_time = P_LATER_REVIEW_ON_TIME;
            early = (0, 45);
        }
    }

    /// The factors identified at the end of an assessment starting `start`: `21` alone (with
    /// probability `no_factors`), or one to three distinct codes drawn by [`codes::FACTORS`], the
    /// first of them from `first` when given. Domestic abuse is drawn as one finding, of one to
    /// three of the codes 3A-3C ([`codes::DOMESTIC_ABUSE`]).
    fn assessment_factors(
        &mut self,
        start: Day,
        no_factors: f64,
        first: Option<Weighted>,
    ) -> ([&'static str; 3], u8) {
        let mut out = [""; 3];
        if first.is_none() && self.rng.chance(no_factors) {
            out[0] = "21";
            return (out, 1);
        }
        let age = age_on(self.child.dob, start);
        let n = 1 + self.rng.weighted(&[20, 30, 50]);
        let mut k = 0;
        if let Some(t) = first {
            out[0] = self.pick(t);
            k = 1;
        }
        let mut domestic = false;
        while k < n {
            let eligible =
                |&(c, _, min_age): &(&str, u32, i32)| age >= min_age && !out[..k].contains(&c);
            let group = if domestic {
                0
            } else {
                codes::DOMESTIC_ABUSE_WEIGHT
            };
            let total: u32 = group
                + codes::FACTORS
                    .iter()
                    .filter(|f| eligible(f))
                    .map(|f| f.1)
                    .sum::<u32>();
            let mut x = self.rng.below(total);
            if x < group {
                domestic = true;
                let m = (1 + self.rng.weighted(&[30, 40, 30])).min(n - k);
                for _ in 0..m {
                    let left = |&&(c, _): &&(&str, u32)| !out[..k].contains(&c);
                    let total: u32 = codes::DOMESTIC_ABUSE.iter().filter(left).map(|f| f.1).sum();
                    let mut x = self.rng.below(total);
                    for &(c, w) in codes::DOMESTIC_ABUSE.iter().filter(left) {
                        if x < w {
                            out[k] = c;
                            break;
                        }
                        x -= w;
                    }
                    k += 1;
                }
                continue;
            }
            x -= group;
            for f in codes::FACTORS.iter().filter(|f| eligible(f)) {
                if x < f.1 {
                    out[k] = f.0;
                    break;
                }
                x -= f.1;
            }
            k += 1;
        }
        (out, n as u8)
    }

    /// One CIN episode from referral `t`, and care when `entry` says so. Returns the closure date
    /// (`None`: still open at the horizon's end) and whether the child left care to go home.
    #[allow(clippy::too_many_lines)] // one referral's path, step by step
    fn cin_episode(&mut self, t: Day, entry: Option<Entry>) -> (Option<Day>, bool) {
        let risk = self.risk;
        let need = match entry {
            Some(Entry::Uasc) => "N8",
            Some(Entry::Remand) => "N6",
            Some(_) => self.pick(codes::NEED_CARE),
            None => self.pick(codes::NEED),
        };
        let mut ep = CinEp {
            referral: t,
            closure: None,
            source: self.pick(codes::REFERRAL_SOURCE),
            need,
            reason_for_closure: "",
            nfa: entry.is_none() && self.rng.chance(P_NFA[risk]),
            transfer_cpc: None,
            assessment: None,
            s47: None,
            plan: None,
            cin_plans: [None; 2],
        };
        if ep.nfa {
            let c = t.add_days(if self.rng.chance(0.75) {
                0
            } else {
                self.rng.range(1, 5)
            });
            ep.closure = Some(c);
            ep.reason_for_closure = "RC8";
            self.child.cin.push(ep);
            return (Some(c), false);
        }
        let transfer = entry.is_none() && risk > 0 && self.rng.chance(P_TRANSFER_IN);
        if !(entry.is_some() || transfer || self.rng.chance(P_ASSESS[risk])) {
            let c = t.add_days(self.rng.range(1, 40));
            ep.closure = Some(c);
            ep.reason_for_closure = self.rng.pick(&[("RC7", 70), ("RC5", 15), ("RC8", 15)]);
            self.child.cin.push(ep);
            return (Some(c), false);
        }
        // Assessment.
        let a_start = t.add_days(match self.rng.weighted(&[35, 35, 22, 8]) {
            0 => 0,
            1 => self.rng.range(1, 3),
            2 => self.rng.range(4, 10),
            _ => self.rng.range(11, 30),
        });
        let len = self.assessment_wd();
        let mut auth = add_wd(a_start, len);
        if self.rng.chance(0.04) && !calendar().is_working_day(auth.add_days(1)) {
            auth = auth.add_days(1);
        }
        // The factors are drawn at the end, when the assessment's outcome is known.
        let mut assessment = Assess {
            start: a_start,
            auth,
            factors: [""; 3],
            n_factors: 0,
        };
        let mut last = auth;
        // Transfer-in conference, or section 47 and conference.
        if transfer {
            let cpc = add_wd(t, self.rng.range(3, 15) as u32);
            ep.transfer_cpc = Some(cpc);
            let plan = self.new_plan(cpc, 1);
            last = last.max(plan.end.unwrap_or(cpc));
            ep.plan = Some(plan);
        } else if matches!(entry, Some(Entry::Planned | Entry::Protection)) && self.rng.chance(0.7)
            || entry.is_none()
                && self.rng.chance(if self.plans_so_far > 0 {
                    P_S47_AFTER_PLAN
                } else {
                    P_S47[risk]
                })
        {
            let s_start = match self.rng.weighted(&[10, 50, 40]) {
                0 => t,
                1 => a_start,
                _ => a_start
                    .add_days(self.rng.range(1, 10))
                    .min(auth.max(a_start)),
            };
            let conference = self.rng.chance(if entry.is_some() {
                0.55
            } else if self.plans_so_far > 0 {
                P_ICPC_AFTER_PLAN
            } else {
                P_ICPC[risk]
            });
            let icpc = conference.then(|| {
                let x = self.rng.below(100);
                if x < 2 && s_start.days_since(t) >= 1 {
                    s_start.add_days(-self.rng.range(1, s_start.days_since(t).min(5)))
                } else if x < 82 {
                    add_wd(s_start, self.rng.pick(ICPC_WITHIN_15))
                } else {
                    add_wd(s_start, self.rng.range(16, 45) as u32)
                }
            });
            let not_required = if icpc.is_some() {
                Some(false)
            } else {
                self.rng
                    .pick(&[(Some(true), 85), (None, 10), (Some(false), 5)])
            };
            ep.s47 = Some(S47 {
                start: s_start,
                icpc,
                not_required,
            });
            if let Some(c) = icpc {
                last = last.max(c);
                if self.rng.chance(P_PLAN_AT_ICPC) {
                    let plan = self.new_plan(c, 0);
                    last = last.max(plan.end.unwrap_or(c));
                    ep.plan = Some(plan);
                }
            }
        }
        // Care.
        let mut home = false;
        // A CIN plan may run until care starts (a planned entry), or from the return home.
        let mut until_care: Option<Day> = None;
        let mut after_care: Option<Day> = None;
        // The episode stays open for support after its assessment.
        let mut support = false;
        let closure = if let Some(entry) = entry {
            let care_start = match (entry, ep.plan, ep.s47) {
                (Entry::Uasc | Entry::Remand, _, _) => t.add_days(self.rng.range(0, 2)),
                (_, Some(p), _) => p.start.add_days(if self.rng.chance(0.25) {
                    self.rng.range(0, 14)
                } else {
                    self.rng.range(15, 450)
                }),
                (_, None, Some(s)) => s.start.add_days(self.rng.range(0, 20)),
                _ => a_start.add_days(self.rng.range(0, 120)),
            };
            let entry = if entry == Entry::Planned && (ep.s47.is_some() || ep.plan.is_some()) {
                Entry::Protection
            } else {
                entry
            };
            if entry == Entry::Planned {
                until_care = Some(care_start);
            }
            if let Some(p) = ep.plan.as_mut() {
                if p.end.is_none_or(|e| e > care_start) {
                    p.end = Some(care_start.add_days(self.rng.range(0, 7)).max(p.start));
                    p.fix_change();
                }
            }
            if care_start > self.h.end {
                None
            } else if care_start >= self.age_out {
                ep.reason_for_closure = "RC7";
                Some(self.age_out.max(last))
            } else {
                match self.care_period(care_start, entry, need) {
                    None => None,
                    Some((d, exit)) => {
                        let (after, rfc) = match exit {
                            Exit::Adopted => (0, "RC1"),
                            Exit::Sgo => (0, "RC4"),
                            Exit::Cao => (0, "RC3"),
                            Exit::AgeOut => (0, if self.rng.chance(0.3) { "RC6" } else { "RC7" }),
                            Exit::Died => (0, "RC2"),
                            Exit::Home => {
                                home = true;
                                after_care = Some(d);
                                (
                                    if self.rng.chance(0.3) {
                                        0
                                    } else {
                                        self.rng.range(14, 365)
                                    },
                                    "RC7",
                                )
                            }
                            Exit::Other => (self.rng.range(0, 30), "RC7"),
                        };
                        ep.reason_for_closure = rfc;
                        Some(d.add_days(after).min(self.age_out).max(d))
                    }
                }
            }
        } else {
            let c = if let Some(p) = ep.plan {
                let e = p.end.unwrap_or(p.start);
                e.add_days(if self.rng.chance(0.3) {
                    0
                } else {
                    self.rng.range(1, 200)
                })
            } else if self.rng.chance(if ep.s47.is_some() {
                P_CIN_PLAN_AFTER_S47
            } else {
                P_CIN_PLAN[risk]
            }) {
                support = true;
                auth.add_days(self.rng.range(30, 600))
            } else {
                auth.add_days(if self.rng.chance(0.6) {
                    0
                } else {
                    self.rng.range(1, 21)
                })
            };
            ep.reason_for_closure = if ep.plan.is_some() {
                self.rng
                    .pick(&[("RC7", 85), ("RC3", 5), ("RC4", 5), ("RC5", 5)])
            } else {
                self.rng
                    .pick(&[("RC8", 45), ("RC7", 45), ("RC5", 6), ("RC3", 2), ("RC4", 2)])
            };
            Some(c.max(last))
        };
        // Nothing outlives the episode or the child's eighteenth birthday.
        let closure = closure.map(|c| c.min(self.age_out));
        if let Some(c) = closure {
            assessment.auth = assessment.auth.min(c);
            if let Some(p) = ep.plan.as_mut() {
                p.end = p.end.map(|e| e.min(c));
                p.fix_change();
            }
            if let Some(s) = ep.s47.as_mut() {
                if s.icpc.is_some_and(|x| x > c) {
                    s.icpc = None;
                    s.not_required = Some(true);
                    ep.plan = None;
                }
            }
            if ep.transfer_cpc.is_some_and(|x| x > c) {
                ep.transfer_cpc = None;
                ep.plan = None;
            }
        }
        ep.closure = closure;
        // CIN plans: for an episode kept open for support, the whole of it after the assessment;
        // otherwise before a CP plan or care and after them, never while the child is subject of a
        // CP plan.
        let auth = assessment.auth;
        if support {
            if self.rng.chance(P_CIN_PLAN_LONG) {
                ep.cin_plans[0] = self.cin_plan(auth, closure, closure, false);
            }
        } else {
            let (before, after, p_after) = match ep.plan {
                Some(p) if entry.is_none() => (Some(p.start), p.end, P_CIN_PLAN_STEP_DOWN),
                _ => (until_care, after_care, P_CIN_PLAN_AFTER_CARE),
            };
            if let Some(to) = before {
                if self.rng.chance(P_CIN_PLAN_BEFORE) {
                    ep.cin_plans[0] = self.cin_plan(auth, Some(to), closure, false);
                }
            }
            if let Some(from) = after {
                if closure.is_none_or(|c| c.days_since(from) >= 14) && self.rng.chance(p_after) {
                    ep.cin_plans[1] = self.cin_plan(from.max(auth), closure, closure, true);
                }
            }
        }
        if let Some(mut p) = ep.plan {
            self.plan_reviews(&mut p);
            ep.plan = Some(p);
        }
        // The factors, knowing what the assessment led to: `21` (no factors identified) mostly
        // when the episode closed after it.
        let first: Option<Weighted> = match entry {
            Some(Entry::Uasc) => Some(&[("9A", 1)]),
            Some(Entry::Remand) => Some(codes::FACTORS_REMAND),
            _ => None,
        };
        let ended = entry.is_none()
            && !support
            && ep.s47.is_none()
            && ep.plan.is_none()
            && ep.cin_plans.iter().all(Option::is_none);
        let (factors, n_factors) =
            self.assessment_factors(a_start, P_NO_FACTORS[usize::from(!ended)], first);
        assessment.factors = factors;
        assessment.n_factors = n_factors;
        ep.assessment = Some(assessment);
        self.child.cin.push(ep);
        (closure, home)
    }

    /// A CIN plan from soon after `from` (the same day or within weeks of an assessment, mostly
    /// the same day after a CP plan or care, `step`) to `to` (`None`: open at the horizon's end),
    /// when there is a week or more between them. A few end before `to`; when `to` is the
    /// episode's `closure`, a few are left open after it (to the end of that collection year at
    /// the latest, so the episode is in every return that holds the plan).
    fn cin_plan(
        &mut self,
        from: Day,
        to: Option<Day>,
        closure: Option<Day>,
        step: bool,
    ) -> Option<CinPlanSpan> {
        let delay = if step {
            match self.rng.weighted(&[70, 30]) {
                0 => 0,
                _ => self.rng.range(1, 14),
            }
        } else {
            match self.rng.weighted(&[40, 40, 20]) {
                0 => 0,
                1 => self.rng.range(1, 10),
                _ => self.rng.range(11, 30),
            }
        };
        let start = from.add_days(delay);
        if start > self.h.end {
            return None;
        }
        let Some(to) = to.filter(|&x| x <= self.h.end) else {
            return Some(CinPlanSpan { start, end: None });
        };
        let len = to.days_since(start);
        if len < 7 {
            return None;
        }
        let end = if self.rng.chance(P_CIN_PLAN_ENDS_EARLY) {
            to.add_days(-self.rng.range(1, (len / 3).clamp(1, 90)))
        } else if Some(to) == closure && self.rng.chance(P_CIN_PLAN_LEFT_OPEN) {
            to.add_days(self.rng.range(1, 60)).min(year_end(to))
        } else {
            to
        };
        Some(CinPlanSpan {
            start,
            end: Some(end),
        })
    }

    // ----------------------------------------------------------------------------------------
    // Care

    fn new_carer(&mut self, place: &'static str) -> u32 {
        let provider = match place {
            "U1" | "U2" | "U3" => self.rng.pick(&[("PR1", 90), ("PR4", 10)]),
            "U4" | "U5" | "U6" | "A3" | "A5" | "T3" | "T4" => {
                self.rng.pick(&[("PR1", 60), ("PR4", 35), ("PR5", 5)])
            }
            "A4" | "A6" => self.rng.pick(&[("PR1", 55), ("PR2", 20), ("PR5", 25)]),
            "K1" => self.rng.pick(&[("PR1", 40), ("PR2", 40), ("PR4", 20)]),
            "K2" => self.rng.pick(&[("PR1", 25), ("PR4", 70), ("PR5", 5)]),
            "H5" => self.rng.pick(&[("PR4", 55), ("PR1", 25), ("PR5", 20)]),
            "P1" | "T2" => "PR0",
            "P2" => self.rng.pick(&[("PR1", 50), ("PR4", 50)]),
            "R1" => self.rng.pick(&[("PR4", 70), ("PR3", 30)]),
            "R2" | "R5" | "T1" => "PR3",
            "R3" => self.rng.pick(&[("PR3", 50), ("PR4", 50)]),
            "S1" => self.rng.pick(&[("PR4", 40), ("PR5", 30), ("PR2", 30)]),
            "T0" => "PR1",
            _ => "PR4",
        };
        let (urn, post) = match place {
            // Registered children's homes: a pool of establishments, each with its own URN and
            // postcode, shared by the children placed there.
            "K1" | "K2" => {
                let home = u64::from(self.rng.below(if place == "K1" { 12 } else { 140 }));
                let key = if place == "K1" { 10_000 + home } else { home };
                let mut urn = CompactString::const_new("SC");
                let n = 100_000 + (key * 7919) % 900_000;
                push_digits(&mut urn, n);
                (urn, Self::postcode_for(key))
            }
            "S1" => {
                let school = u64::from(self.rng.below(40));
                let mut urn = CompactString::default();
                push_digits(&mut urn, 100_000 + (school * 104_729) % 900_000);
                (urn, Self::postcode_for(20_000 + school))
            }
            "P1" => {
                let home = self.child.homes.last().cloned().unwrap_or_default();
                (CompactString::const_new("XXXXXXX"), home)
            }
            _ => {
                let current = self.child.carers.last().map(|c| c.post.clone());
                let mut post = self.postcode();
                while Some(&post) == current.as_ref() {
                    post = self.postcode();
                }
                (CompactString::const_new("XXXXXXX"), post)
            }
        };
        self.child.carers.push(Carer {
            provider,
            urn,
            post,
        });
        (self.child.carers.len() - 1) as u32
    }

    fn place_for_age(&mut self, age: i32) -> &'static str {
        let table = match age {
            ..=0 => codes::PLACE_INFANT,
            1..=4 => codes::PLACE_YOUNG,
            5..=10 => codes::PLACE_CHILD,
            11..=15 => codes::PLACE_TEEN,
            _ => codes::PLACE_OLDER,
        };
        self.pick(table)
    }

    fn home_duration(&mut self) -> i32 {
        match self.rng.weighted(&[7, 25, 35, 33]) {
            0 => self.rng.range(1, 6),
            1 => self.rng.range(7, 56),
            2 => self.rng.range(57, 365),
            _ => self.rng.range(366, 1460),
        }
    }

    /// The next legal status after `ls`, and when.
    fn next_ls(&mut self, ls: &'static str, t: Day, plan: ExitPlan) -> Option<(Day, &'static str)> {
        match ls {
            "L1" => Some((
                t.add_days(self.rng.range(1, 3)),
                if self.rng.chance(0.6) { "C1" } else { "V2" },
            )),
            "L2" => Some((t.add_days(self.rng.range(2, 8)), "C1")),
            "L3" => Some((t.add_days(self.rng.range(2, 7)), "V2")),
            "V2" if plan != ExitPlan::Home && self.rng.chance(0.5) => {
                Some((t.add_days(self.rng.range(20, 200)), "C1"))
            }
            "C1" if self.rng.chance(0.8) => Some((t.add_days(self.rng.range(100, 400)), "C2")),
            _ => None,
        }
    }

    fn move_gap(&mut self, stability: Stability) -> i32 {
        match stability {
            Stability::Stable => self.rng.exp_days(4000.0),
            Stability::Moderate => self.rng.exp_days(1200.0),
            Stability::Unstable => self.rng.exp_days(140.0).max(10),
        }
    }

    /// Chooses the home postcode of a new period of care (the last one, or a new one).
    fn period_home(&mut self) -> u32 {
        if self.child.homes.is_empty() || self.rng.chance(0.3) {
            let p = self.postcode();
            self.child.homes.push(p);
        }
        (self.child.homes.len() - 1) as u32
    }

    /// Pushes the current episode closed at `t` with `rec` and makes `next` current.
    fn close(&mut self, cur: &mut CareEp, t: Day, rec: &'static str, next: CareEp) {
        cur.dec = Some(t);
        cur.rec = rec;
        self.child.care.push(*cur);
        *cur = next;
    }

    /// One period of care from `start`. Returns its end and how it ended, or `None` when the child
    /// is still looked after at the horizon's end.
    #[allow(clippy::too_many_lines)] // the event loop of a period of care
    fn care_period(&mut self, start: Day, entry: Entry, need: &'static str) -> Option<(Day, Exit)> {
        let age = age_on(self.child.dob, start);
        let home = self.period_home();
        if self.child.sex == "2"
            && age >= 14
            && self.child.mc_dob.is_none()
            && self.rng.chance(0.06)
        {
            let d = start.add_days(self.rng.range(-60, 300));
            self.child.mc_dob = Some(d.max(self.child.dob.add_years(14)));
        }
        let mut plan = match entry {
            Entry::Remand => ExitPlan::Remand,
            Entry::Uasc => {
                if self.rng.chance(0.05) {
                    ExitPlan::AgeAssessed
                } else {
                    ExitPlan::LongTerm
                }
            }
            _ => match age {
                ..=0 => self.rng.pick(&[
                    (ExitPlan::Adoption, 48),
                    (ExitPlan::Home, 27),
                    (ExitPlan::Sgo, 17),
                    (ExitPlan::Cao, 3),
                    (ExitPlan::LongTerm, 5),
                ]),
                1..=4 => self.rng.pick(&[
                    (ExitPlan::Adoption, 36),
                    (ExitPlan::Home, 29),
                    (ExitPlan::Sgo, 18),
                    (ExitPlan::Cao, 5),
                    (ExitPlan::LongTerm, 12),
                ]),
                5..=12 => self.rng.pick(&[
                    (ExitPlan::Home, 45),
                    (ExitPlan::Sgo, 10),
                    (ExitPlan::Cao, 5),
                    (ExitPlan::LongTerm, 40),
                ]),
                13..=15 => self
                    .rng
                    .pick(&[(ExitPlan::Home, 45), (ExitPlan::LongTerm, 55)]),
                _ => self
                    .rng
                    .pick(&[(ExitPlan::Home, 40), (ExitPlan::LongTerm, 60)]),
            },
        };
        let (mut exit, mut exit_rec, mut exit_kind) = match plan {
            ExitPlan::Home => {
                let rec = self.pick(codes::REC_HOME);
                let kind = match rec {
                    "E2" => Exit::Died,
                    "E3" | "E16" | "E9" | "E8" => Exit::Other,
                    _ => Exit::Home,
                };
                (start.add_days(self.home_duration()), rec, kind)
            }
            ExitPlan::Sgo => (
                start.add_days(self.rng.range(300, 1100)),
                self.pick(codes::REC_SGO),
                Exit::Sgo,
            ),
            ExitPlan::Cao => (start.add_days(self.rng.range(250, 800)), "E41", Exit::Cao),
            // The adoption order date is set below; the age-out end is a placeholder.
            ExitPlan::Adoption | ExitPlan::LongTerm => (self.age_out, "", Exit::AgeOut),
            ExitPlan::Remand => {
                let rec = self
                    .rng
                    .pick(&[("E14", 60), ("E9", 15), ("E4A", 10), ("E8", 15)]);
                (start.add_days(self.rng.range(2, 100)), rec, Exit::Other)
            }
            ExitPlan::AgeAssessed => (start.add_days(self.rng.range(20, 200)), "E15", Exit::Other),
        };
        let mut ls = match entry {
            Entry::Protection => {
                self.rng
                    .pick(&[("L1", 10), ("L2", 12), ("L3", 1), ("C1", 40), ("V2", 37)])
            }
            Entry::Planned => self.rng.pick(&[("V2", 65), ("C1", 30), ("C2", 5)]),
            Entry::Uasc => "V2",
            Entry::Remand => self.rng.pick(&[("J1", 70), ("J2", 20), ("J3", 10)]),
        };
        if plan == ExitPlan::Home && ls == "C2" {
            ls = "V2";
        }
        let place = match entry {
            Entry::Uasc => self.pick(codes::PLACE_UASC),
            Entry::Remand => self.pick(codes::PLACE_REMAND),
            _ => self.place_for_age(age),
        };
        let carer = self.new_carer(place);
        let mut cur = CareEp {
            decom: start,
            dec: None,
            rne: "S",
            ls,
            cin: need,
            place,
            carer,
            home,
            rec: "",
            reason_place_change: "",
        };
        let stability = {
            let w: &[(Stability, u32)] = if age >= 13 {
                &[
                    (Stability::Stable, 40),
                    (Stability::Moderate, 42),
                    (Stability::Unstable, 18),
                ]
            } else {
                &[
                    (Stability::Stable, 62),
                    (Stability::Moderate, 31),
                    (Stability::Unstable, 7),
                ]
            };
            self.rng.pick(w)
        };
        let mut next_ls = self.next_ls(ls, start, plan);
        let mut next_move =
            start.add_days(if stability == Stability::Stable && self.rng.chance(0.25) {
                self.rng.range(10, 120)
            } else {
                self.move_gap(stability)
            });
        let mut next_temp = start.add_days(self.rng.exp_days(900.0));
        let mut next_switch = (plan == ExitPlan::LongTerm && age < 14 && self.rng.chance(0.5))
            .then(|| start.add_days(self.rng.range(200, 700)));
        let mut adopt = if plan == ExitPlan::Adoption {
            Some(self.plan_adoption(start, place))
        } else {
            None
        };
        if let Some(a) = &adopt {
            exit = a.placed.add_days(self.rng.range(70, 420));
            exit_rec = if self.rng.chance(0.7) { "E11" } else { "E12" };
            exit_kind = Exit::Adopted;
            if a.order.is_some() {
                // The court authority replaces the interim path.
                next_ls = next_ls.filter(|&(d, _)| d < a.order.map_or(d, |o| o.0));
            }
        }
        // Leaving care at 18 at the latest.
        if exit >= self.age_out || plan == ExitPlan::LongTerm {
            exit = self.age_out;
            exit_rec = self.pick(codes::REC_AGE_OUT);
            exit_kind = Exit::AgeOut;
        }
        let mut in_adoptive = false;
        // (return date, back to the same placement, the placement left)
        let mut pending_return: Option<(Day, bool, &'static str, u32)> = None;
        loop {
            let after = cur.decom.add_days(1);
            let exit_at = exit.max(after);
            // The next event: a return from a temporary placement blocks all but the exit.
            let mut t = exit_at;
            let mut what = 0u8;
            if let Some((r, _, _, _)) = pending_return {
                let r = r.max(after);
                if r < t {
                    t = r;
                    what = 1;
                }
            } else {
                let consider = |d: Day, w: u8, t: &mut Day, what: &mut u8| {
                    let d = d.max(after);
                    if d < *t {
                        *t = d;
                        *what = w;
                    }
                };
                if let Some(a) = &adopt {
                    if let Some(r) = a.reversal.filter(|_| !a.placed_done) {
                        consider(r, 2, &mut t, &mut what);
                    }
                    if let Some((d, _)) = a.order.filter(|_| !a.order_done && !a.combined) {
                        consider(d, 3, &mut t, &mut what);
                    }
                    if !a.placed_done && a.reversal.is_none() {
                        consider(a.placed, 4, &mut t, &mut what);
                    }
                }
                if let Some((d, _)) = next_ls {
                    consider(d, 5, &mut t, &mut what);
                }
                if !in_adoptive {
                    consider(next_move, 6, &mut t, &mut what);
                }
                consider(next_temp, 7, &mut t, &mut what);
                if let Some(d) = next_switch {
                    consider(d, 8, &mut t, &mut what);
                }
            }
            if t > self.h.end {
                cur.dec = None;
                self.child.care.push(cur);
                return None;
            }
            if what == 0 {
                let last = cur;
                self.close(&mut cur, t, exit_rec, last);
                if exit_kind == Exit::Died {
                    self.child.death = Some(t);
                }
                if let (Exit::Adopted, Some(a)) = (exit_kind, &adopt) {
                    let rec = &mut self.child.adoptions[a.record];
                    rec.adopted = true;
                    rec.ceased = Some(t);
                    rec.reason = exit_rec;
                }
                return Some((t, exit_kind));
            }
            let same = CareEp {
                decom: t,
                rne: "L",
                reason_place_change: "",
                ..cur
            };
            match what {
                1 => {
                    // Back from a temporary placement: to the same carer, or to new ones.
                    let Some((_, back, place, carer)) = pending_return.take() else {
                        continue;
                    };
                    let next = if back {
                        CareEp {
                            rne: "P",
                            place,
                            carer,
                            ..same
                        }
                    } else {
                        let place = if is_adoptive(place) {
                            place
                        } else {
                            self.place_for_age(age_on(self.child.dob, t))
                        };
                        let carer = self.new_carer(place);
                        CareEp {
                            rne: "P",
                            place,
                            carer,
                            reason_place_change: self.pick(codes::PLACE_CHANGE),
                            ..same
                        }
                    };
                    self.close(&mut cur, t, "X1", next);
                }
                2 => {
                    // The adoption decision is reversed; the plan becomes special guardianship.
                    let Some(a) = adopt.take() else { continue };
                    let rec = &mut self.child.adoptions[a.record];
                    rec.ceased = Some(t);
                    rec.reason = "RD1";
                    rec.date_match = None;
                    plan = ExitPlan::Sgo;
                    exit = t.add_days(self.rng.range(200, 700));
                    exit_rec = self.pick(codes::REC_SGO);
                    exit_kind = Exit::Sgo;
                    if exit >= self.age_out {
                        exit = self.age_out;
                        exit_rec = self.pick(codes::REC_AGE_OUT);
                        exit_kind = Exit::AgeOut;
                    }
                    if cur.ls == "E1" || cur.ls == "D1" {
                        self.close(&mut cur, t, "X1", CareEp { ls: "C2", ..same });
                    }
                }
                3 => {
                    let Some(a) = adopt.as_mut() else { continue };
                    a.order_done = true;
                    let ls = a.order.map_or("E1", |o| o.1);
                    next_ls = None;
                    self.close(&mut cur, t, "X1", CareEp { ls, ..same });
                }
                4 => {
                    let Some(a) = adopt.as_mut() else { continue };
                    a.placed_done = true;
                    in_adoptive = true;
                    let consent = a.order.is_none();
                    let mut ls = cur.ls;
                    let mut ls_changed = false;
                    if a.combined && !a.order_done {
                        a.order_done = true;
                        ls = a.order.map_or("E1", |o| o.1);
                        ls_changed = ls != cur.ls;
                        next_ls = None;
                    }
                    let fc = a.with_foster_carer && !is_temporary(cur.place);
                    self.child.adoptions[a.record].foster_carer = fc;
                    let next = if fc {
                        let place = if consent { "A3" } else { "A5" };
                        CareEp {
                            rne: if ls_changed { "U" } else { "T" },
                            ls,
                            place,
                            reason_place_change: "CARPL",
                            ..same
                        }
                    } else {
                        let place = if consent { "A4" } else { "A6" };
                        let carer = self.new_carer(place);
                        CareEp {
                            rne: if ls_changed { "B" } else { "P" },
                            ls,
                            place,
                            carer,
                            reason_place_change: "CARPL",
                            ..same
                        }
                    };
                    if exit <= t.add_days(70) {
                        exit = t.add_days(self.rng.range(70, 200));
                    }
                    next_temp = t.add_days(self.rng.exp_days(1800.0));
                    self.close(&mut cur, t, "X1", next);
                }
                5 => {
                    let Some((_, ls)) = next_ls else { continue };
                    next_ls = self.next_ls(ls, t, plan);
                    if let Some(a) = &adopt {
                        if let Some((o, _)) = a.order.filter(|_| !a.order_done) {
                            next_ls = next_ls.filter(|&(d, _)| d < o);
                        }
                    }
                    let emergency = matches!(cur.ls, "L1" | "L2" | "L3");
                    let moves = !in_adoptive
                        && !is_temporary(cur.place)
                        && self.rng.chance(if emergency { 0.3 } else { 0.08 });
                    let next = if moves {
                        let place = self.place_for_age(age_on(self.child.dob, t));
                        let carer = self.new_carer(place);
                        next_move = t.add_days(self.move_gap(stability));
                        CareEp {
                            rne: "B",
                            ls,
                            place,
                            carer,
                            reason_place_change: self.pick(codes::PLACE_CHANGE),
                            ..same
                        }
                    } else if ls == "C2"
                        && plan == ExitPlan::LongTerm
                        && matches!(cur.place, "U6" | "U3")
                        && self.rng.chance(0.3)
                    {
                        // The final care order, and long-term fostering with the same carers.
                        next_switch = None;
                        let place = if cur.place == "U6" { "U4" } else { "U1" };
                        CareEp {
                            rne: "U",
                            ls,
                            place,
                            reason_place_change: "CARPL",
                            ..same
                        }
                    } else {
                        CareEp { ls, ..same }
                    };
                    self.close(&mut cur, t, "X1", next);
                }
                6 => {
                    next_move = t.add_days(self.move_gap(stability));
                    if is_temporary(cur.place) {
                        continue;
                    }
                    let place = match (plan, cur.place) {
                        (ExitPlan::Adoption, _) => {
                            self.rng.pick(&[("U6", 80), ("U4", 10), ("U5", 10)])
                        }
                        _ => self.place_for_age(age_on(self.child.dob, t)),
                    };
                    let carer = self.new_carer(place);
                    let next = CareEp {
                        rne: "P",
                        place,
                        carer,
                        reason_place_change: self.pick(codes::PLACE_CHANGE),
                        ..same
                    };
                    self.close(&mut cur, t, "X1", next);
                }
                7 => {
                    next_temp =
                        t.add_days(self.rng.exp_days(if in_adoptive { 1800.0 } else { 900.0 }));
                    let placing_soon =
                        adopt.is_some_and(|a| !a.placed_done && a.placed.days_since(t) < 40);
                    if placing_soon || matches!(cur.place, "P1" | "P2" | "P3" | "R5" | "K1") {
                        continue;
                    }
                    let place = self.pick(codes::PLACE_TEMP);
                    let len = match place {
                        "T4" => self.rng.range(1, 7),
                        "T1" => self.rng.range(1, 21),
                        "T0" => self.rng.range(1, 28),
                        _ => self.rng.range(3, 14),
                    };
                    let back = in_adoptive || self.rng.chance(0.85);
                    pending_return = Some((t.add_days(len), back, cur.place, cur.carer));
                    let carer = self.new_carer(place);
                    self.close(
                        &mut cur,
                        t,
                        "X1",
                        CareEp {
                            rne: "P",
                            place,
                            carer,
                            ..same
                        },
                    );
                }
                _ => {
                    // Long-term fostering with the same carers.
                    next_switch = None;
                    let place = match cur.place {
                        "U6" => "U4",
                        "U3" => "U1",
                        _ => continue,
                    };
                    let (rne, ls) = match (cur.ls, self.rng.chance(0.2)) {
                        ("C1" | "V2", true) => ("U", "C2"),
                        _ => ("T", cur.ls),
                    };
                    if rne == "U" {
                        next_ls = None;
                    }
                    self.close(
                        &mut cur,
                        t,
                        "X1",
                        CareEp {
                            rne,
                            ls,
                            place,
                            reason_place_change: "CARPL",
                            ..same
                        },
                    );
                }
            }
        }
    }

    /// The steps of an adoption from a period of care starting `start` in placement `place`, with
    /// its AD1 record pushed.
    fn plan_adoption(&mut self, start: Day, place: &'static str) -> AdoptPlan {
        let date_int = start.add_days(self.rng.range(90, 330));
        let route = self.rng.weighted(&[88, 9, 3]);
        let order_date = date_int.add_days(self.rng.range(20, 150));
        let order = match route {
            0 => Some((order_date, "E1")),
            1 => None,
            _ => Some((order_date, "D1")),
        };
        let after_match = order.is_some() && self.rng.chance(0.08);
        let (date_match, placed) = if after_match {
            // Matched before the court authority; placed the day the order is made.
            let m = order_date
                .add_days(-self.rng.range(5, 60))
                .max(date_int.add_days(1));
            (m, order_date)
        } else {
            let m = order_date.add_days(self.rng.range(40, 270));
            (m, m.add_days(self.rng.range(0, 45)))
        };
        let ffa = matches!(place, "U5" | "U2");
        let with_foster_carer = self.rng.chance(if ffa { 0.85 } else { 0.25 });
        let reversal = self
            .rng
            .chance(0.05)
            .then(|| order_date.add_days(self.rng.range(30, 200)))
            .filter(|&r| r < date_match);
        let adopters = if self.rng.chance(0.85) { 2 } else { 1 };
        let (sex_adoptr, ls_adoptr) = if adopters == 1 {
            (if self.rng.chance(0.85) { "F1" } else { "M1" }, "L0")
        } else if self.rng.chance(0.85) {
            ("MF", self.pick(codes::ADOPTER_MF))
        } else {
            (
                if self.rng.chance(0.55) { "MM" } else { "FF" },
                self.pick(codes::ADOPTER_SAME),
            )
        };
        self.child.adoptions.push(Adoption {
            date_int,
            date_match: Some(date_match),
            ceased: None,
            reason: "",
            adopted: false,
            int_recorded: true,
            foster_carer: with_foster_carer,
            adopters,
            sex_adoptr,
            ls_adoptr,
        });
        AdoptPlan {
            record: self.child.adoptions.len() - 1,
            order,
            order_done: false,
            placed,
            placed_done: false,
            combined: after_match,
            with_foster_carer,
            reversal,
        }
    }

    // ----------------------------------------------------------------------------------------
    // Short breaks

    /// A disabled child with a long CIN episode and a series of short breaks, each its own period
    /// of care (LS V3: individual breaks; V4: agreements).
    fn short_breaks(&mut self, c0: Day) {
        let a_start = c0.add_days(self.rng.range(0, 10));
        let auth = add_wd(a_start, self.rng.range(10, 50) as u32);
        let end_of_service = c0
            .add_days(self.rng.range(3 * 365, 9 * 365))
            .min(self.age_out);
        let closure = (end_of_service <= self.h.end).then_some(end_of_service);
        let source = self.pick(codes::REFERRAL_SOURCE);
        // The child's own disability first: a learning disability (5A) or another (6A).
        let own: Weighted = if matches!(self.child.disability, Some("LD" | "AUT")) {
            &[("5A", 1)]
        } else {
            &[("6A", 1)]
        };
        let (factors, n_factors) = self.assessment_factors(a_start, 0.0, Some(own));
        let cin_plan = if self.rng.chance(0.6) {
            self.cin_plan(auth, closure, closure, false)
        } else {
            None
        };
        self.child.cin.push(CinEp {
            referral: c0,
            closure,
            source,
            need: "N2",
            reason_for_closure: if closure.is_some() { "RC7" } else { "" },
            nfa: false,
            transfer_cpc: None,
            assessment: Some(Assess {
                start: a_start,
                auth,
                factors,
                n_factors,
            }),
            s47: None,
            plan: None,
            cin_plans: [cin_plan, None],
        });
        let series = self.rng.chance(0.4);
        let home = self.period_home();
        let mut place = self.rng.pick(&[("K2", 50), ("U4", 30), ("U6", 20)]);
        let mut carer = self.new_carer(place);
        let mut t = auth.add_days(self.rng.range(20, 150));
        while t < end_of_service && t <= self.h.end {
            let (len, gap) = if series {
                (self.rng.range(60, 365), self.rng.range(1, 60))
            } else {
                (self.rng.range(1, 4), self.rng.range(7, 60))
            };
            if self.rng.chance(0.05) {
                place = self.rng.pick(&[("K2", 50), ("U4", 30), ("U6", 20)]);
                carer = self.new_carer(place);
            }
            let end = t.add_days(len).min(end_of_service);
            let end = end.max(t.add_days(1));
            let dec = (end <= self.h.end).then_some(end);
            let rec = if dec.is_some() {
                self.pick(codes::REC_SHORT_BREAK)
            } else {
                ""
            };
            self.child.care.push(CareEp {
                decom: t,
                dec,
                rne: "S",
                ls: if series { "V4" } else { "V3" },
                cin: "N2",
                place,
                carer,
                home,
                rec,
                reason_place_change: "",
            });
            if dec.is_none() {
                break;
            }
            t = end.add_days(gap);
        }
    }
}

/// `PLACE` T0-T4.
pub(crate) fn is_temporary(place: &str) -> bool {
    matches!(place, "T0" | "T1" | "T2" | "T3" | "T4")
}

/// `PLACE` A3-A6.
pub(crate) fn is_adoptive(place: &str) -> bool {
    matches!(place, "A3" | "A4" | "A5" | "A6")
}

fn push_digits(s: &mut CompactString, n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let mut n = n;
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        s.push(char::from(b));
    }
}

/// A postcode like `NE12 3AB` drawn from `rng`.
fn random_postcode(rng: &mut Rng) -> CompactString {
    let area = rng.pick(codes::POST_AREAS);
    let district = rng.range(1, 39);
    let sector = rng.below(10);
    let letters = codes::POST_UNIT_LETTERS;
    let u1 = letters[rng.below(letters.len() as u32) as usize];
    let u2 = letters[rng.below(letters.len() as u32) as usize];
    format_postcode(area, district, sector, u1, u2)
}

fn format_postcode(area: &str, district: i32, sector: u32, u1: u8, u2: u8) -> CompactString {
    let mut s = CompactString::const_new("");
    s.push_str(area);
    push_digits(&mut s, district as u64);
    s.push(' ');
    push_digits(&mut s, u64::from(sector));
    s.push(char::from(u1));
    s.push(char::from(u2));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_zero_padded() {
        assert_eq!(child_id(0), "C0000001");
        assert_eq!(child_id(122), "C0000123");
        assert_eq!(child_id(9_999_999), "C10000000");
    }

    #[test]
    fn working_days_and_ages() {
        let d = |s: &str| s.parse::<Day>().unwrap();
        // Thursday 28 March 2024 + 1 working day skips Good Friday, the weekend and Easter Monday.
        assert_eq!(add_wd(d("2024-03-28"), 1), d("2024-04-02"));
        assert_eq!(add_wd(d("2024-03-28"), 0), d("2024-03-28"));
        assert_eq!(age_on(d("2008-02-29"), d("2024-02-28")), 15);
        assert_eq!(age_on(d("2008-02-29"), d("2024-02-29")), 16);
    }

    #[test]
    fn postcodes_have_a_space() {
        let p = format_postcode("NE", 12, 3, b'A', b'B');
        assert_eq!(p, "NE12 3AB");
        assert_eq!(Sim::postcode_for(5), Sim::postcode_for(5));
    }
}
