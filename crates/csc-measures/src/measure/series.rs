//! A measure over a series of periods: [`compute_series`].
//!
//! A monthly panel asks for every measure over many overlapping periods (the 24 month-ends of a
//! rolling 12-month series). Computing each period on its own reads the whole multi-year tables
//! again for every window; [`compute_series`] gives exactly what
//! [`compute`](super::compute) gives for each period (`==`, drill-down rows included, in order)
//! while reading the data once.
//!
//! # Facts, then finish
//!
//! Every measure is written in two steps (the crate-private trait `Slices`), and its
//! [`compute`](super::compute) is those two steps over its one period, so a measure has one code
//! path whether it is computed for one period or for many:
//!
//! 1. **facts**: what it keeps of the data over a span (the earliest start to the latest end of the
//!    periods; for a snapshot, the earliest to the latest period end), each fact placed in time (on
//!    an event day, over an interval of days, or on the days a record is open), in the order the
//!    measure reads them (for most, the order of their drill-down rows, spec 6.1), with every
//!    judgement that does not depend on the period already made;
//! 2. **finish**: the result over one period from the facts that fall in it, taken in their order
//!    (a filter, 64 facts to a word without a branch per fact; never a re-sort or a working-day
//!    recount), every count, extra and warning made as the measure's definition says.
//!
//! What the facts hold, and so what a series shares between its periods:
//!
//! * **Event-dated measures** keep their drill-down rows, each dated by its event, with what their
//!   extras read (durations for bands and quartiles, sorted once; provisional working-day counts;
//!   codes): `referrals`, `re_referrals_12m` (each referral judged once on the whole history),
//!   `assessments_45wd` and `icpc_15wd` (working days counted once), `s47_to_icpc` (its numerator
//!   flag, a conference by the period end, is set per period from the conference date kept beside
//!   the row; one child's enquiries of one day are kept in an order that holds for every end),
//!   `section47s`, `icpcs`, `icpc_to_cpp`, `cpp_started`, `cpp_second_or_subsequent` and
//!   `cpp_repeat_2y` (plans judged once), `cpp_ended_2y_plus`, `assessment_factors` (factor sets
//!   read once), `missing_incidents` (an incident placed on the days it is in scope of a period
//!   on; the `not_looked_after` exclusion is judged per child and period), and the adoption
//!   measures (`adoption_a1`, `adoption_a10`, `adoption_a2`, `adoption_a3`,
//!   `adoption_decision_to_match`).
//! * **Measures with one row per child (or per episode) that depends on which records fall in the
//!   window** keep the records, by child (and unit), and finish folds each child's run of facts in
//!   the period: `re_referrals_12m_children`, the repeat-plan measures under `unit = children`,
//!   `assessment_factors` under `factor_unit = episodes` (the union of the episode's factor sets in
//!   the period), `cla_started` (the child's first start in the period), `cla_ceased` and its four
//!   shares (the child's last ending in the period not set by the repair), and `missing_children`
//!   (the children with a care episode overlapping the period, merged with the incidents in
//!   scope).
//! * **Snapshot measures** (read at `period.end`) keep the records open at some period end of the
//!   span, with what a row reads of the record that does not depend on the end: the children in
//!   need, on a plan, in assessment, with a CIN plan at the end; the plans open at the end (the
//!   bounds of their duration bands, their review schedules walked once to the span's end); the
//!   children looked after at the end (each care episode with its placement type, effective
//!   placement start, 16th birthday, UASC status by collection year, review schedule, or the age
//!   range of an OC2 measure). Each period then reads the records open at its end.
//! * **Care-leaver measures** keep, for each collection year of the span's period ends, the young
//!   people of that year's OC3 rows (their DOB, age and whether their rows agree).
//!
//! What cannot be shared is made per period: what depends on the period end or on a window ending
//! there (days to the end, ages and cohorts at the end, placements and social workers in the
//! window, the child looked after a year before the end, the last review check of a schedule),
//! the period's warnings and extras, and the drill-down rows themselves (each result owns its
//! rows, so a series writes every period's rows, which is most of what it costs).
//!
//! ```
//! use csc_measures::measure::{MeasureId, Options, compute, compute_series};
//! use csc_measures::records::{CinEpisode, CinReturn};
//! use csc_measures::{DatasetBuilder, Day, Period};
//! let mut ret = CinReturn::default();
//! ret.source.collection_year = Some(2024);
//! for (child, date) in [("A", "2023-05-01"), ("A", "2023-11-01"), ("B", "2023-06-01")] {
//!     ret.episodes.push(CinEpisode { child: child.into(), referral_date: date.parse()?, ..Default::default() });
//! }
//! let ds = DatasetBuilder::new().cin(ret).build()?;
//! let months: Vec<Period> = (4..=12)
//!     .map(|m| {
//!         let start = Day::from_ymd(2023, m, 1)?;
//!         Period::new(start, start.add_months(1).add_days(-1))
//!     })
//!     .collect::<Result<_, _>>()?;
//! let opts = Options::default();
//! let series = compute_series(&ds, MeasureId::Referrals, &months, &opts);
//! for (r, &p) in series.iter().zip(&months) {
//!     assert_eq!(*r, compute(&ds, MeasureId::Referrals, p, &opts));
//! }
//! assert_eq!(series.iter().map(|r| r.numerator.unwrap()).sum::<u64>(), 3);
//! # Ok::<(), csc_measures::Error>(())
//! ```

use compact_str::CompactString;

use super::{Cx, MeasureId, Options, finalize};
use crate::dataset::Dataset;
use crate::day::Day;
use crate::period::Period;
use crate::result::{MeasureResult, Reason, RecordRow};

/// Computes measure `id` on `ds` over each of `periods`, in order: exactly
/// `periods.iter().map(|&p| compute(ds, id, p, options))`, the data read once for all the periods
/// (see the [module docs](self)). The periods may overlap, repeat and come in any order; none gives
/// none.
#[must_use]
pub fn compute_series(
    ds: &Dataset,
    id: MeasureId,
    periods: &[Period],
    options: &Options,
) -> Vec<MeasureResult> {
    let Some(span) = Span::of(periods) else {
        return Vec::new();
    };
    let cx = Cx::new(ds, id, span.hull(), options);
    (id.spec().compute.many)(&cx, periods)
        .into_iter()
        .map(|r| finalize(ds, id, r))
        .collect()
}

/// What a series of periods spans: the earliest start, the latest end, and the earliest end (a
/// snapshot reads the period ends only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    /// The earliest start.
    pub start: Day,
    /// The latest end.
    pub end: Day,
    /// The earliest end.
    pub first_end: Day,
}

impl Span {
    /// The span of one period.
    pub(crate) fn period(p: Period) -> Span {
        Span {
            start: p.start(),
            end: p.end(),
            first_end: p.end(),
        }
    }

    /// The span of `periods`; `None` when there are none.
    pub(crate) fn of(periods: &[Period]) -> Option<Span> {
        let first = Span::period(*periods.first()?);
        Some(periods.iter().fold(first, |s, p| Span {
            start: s.start.min(p.start()),
            end: s.end.max(p.end()),
            first_end: s.first_end.min(p.end()),
        }))
    }

    /// The period from the earliest start to the latest end.
    pub(crate) fn hull(self) -> Period {
        Period::new(self.start, self.end).expect("a span's start is before its end")
    }

    /// Is `d` in some period of the span (an event date to keep)?
    pub(crate) fn holds(self, d: Day) -> bool {
        self.start <= d && d <= self.end
    }

    /// Is the interval record `[s, e)` open at some period end of the span (spec 1.1)?
    pub(crate) fn open_at_an_end(self, s: Day, e: Option<Day>) -> bool {
        let first = s.max(self.first_end);
        first <= self.end && e.is_none_or(|e| e > first)
    }
}

/// A measure computed as facts over a span, then finished for each period (see the
/// [module docs](self)). For every period `p` within a span `s`, `finish(p, facts(s))` must equal
/// `finish(p, facts(p))`: the facts of a span hold those of each of its periods, and finish reads
/// only those.
pub(crate) trait Slices {
    /// What the measure keeps of the data over a span.
    type Facts;

    /// The facts over `span` (`cx.period` is the span's hull).
    fn facts(cx: &Cx<'_>, span: Span) -> Self::Facts;

    /// The result over `cx.period` from `facts`, the coverage of spec 3.1 not yet applied.
    fn finish(cx: &Cx<'_>, facts: &Self::Facts) -> MeasureResult;
}

/// One period: the facts over it, then its result.
pub(crate) fn one<M: Slices>(cx: &Cx<'_>) -> MeasureResult {
    M::finish(cx, &M::facts(cx, Span::period(cx.period)))
}

/// Every period of `periods` (within `cx.period`): the facts once, then each result.
pub(crate) fn many<M: Slices>(cx: &Cx<'_>, periods: &[Period]) -> Vec<MeasureResult> {
    let Some(span) = Span::of(periods) else {
        return Vec::new();
    };
    let facts = M::facts(cx, span);
    periods
        .iter()
        .map(|&p| M::finish(&cx.with_period(p), &facts))
        .collect()
}

/// Facts kept once over a span, in the order the measure reads them, each placed in time by the
/// days `lo..=hi` it covers: an event on one day, an interval, or the days a record is open.
///
/// [`Facts::of`] gives, in order, the facts of a period: for dated and interval facts those
/// whose days meet the period, for open records those open at its end.
pub(crate) struct Facts<F> {
    lo: Vec<Day>,
    hi: Vec<Day>,
    items: Vec<F>,
    /// Open records: placed by the period's end alone.
    at_end: bool,
}

impl<F> Facts<F> {
    /// Events on one day each: `(day, fact)`, in the order the measure reads them.
    pub(crate) fn dated(v: Vec<(Day, F)>) -> Facts<F> {
        Facts::build(v.into_iter().map(|(d, item)| (d, d, item)), false)
    }

    /// Facts over the days `lo..=hi`: `(lo, hi, fact)`, in order; a fact is in a period when
    /// `lo <= end` and `hi >= start` (for `lo <= hi`, when the period holds one of its days).
    pub(crate) fn touching(v: Vec<(Day, Day, F)>) -> Facts<F> {
        Facts::build(v.into_iter(), false)
    }

    /// Interval records `[s, e)`: `(s, e, fact)`, in order; a record is in a period when it is
    /// open at its end (spec 1.1: `s <= end` and `e` blank or after it).
    pub(crate) fn open(v: Vec<(Day, Option<Day>, F)>) -> Facts<F> {
        // Open on the days `s..=e - 1` (none when `e <= s`).
        Facts::build(
            v.into_iter()
                .map(|(s, e, item)| (s, e.map_or(Day::MAX, |e| e.add_days(-1)), item)),
            true,
        )
    }

    fn build(v: impl ExactSizeIterator<Item = (Day, Day, F)>, at_end: bool) -> Facts<F> {
        let n = v.len();
        let mut f = Facts {
            lo: Vec::with_capacity(n),
            hi: Vec::with_capacity(n),
            items: Vec::with_capacity(n),
            at_end,
        };
        for (lo, hi, item) in v {
            f.lo.push(lo);
            f.hi.push(hi);
            f.items.push(item);
        }
        f
    }

    /// The days a period reads of the facts: all of it, or its end for open records.
    fn days(&self, p: Period) -> (Day, Day) {
        if self.at_end {
            (p.end(), p.end())
        } else {
            (p.start(), p.end())
        }
    }

    /// Which facts period `p` holds, as bits, 64 facts to a word: tested without a branch per
    /// fact (the facts of a period are scattered among the span's, which are in child order, so
    /// a branch per fact would often be mispredicted).
    fn select(&self, p: Period) -> Vec<u64> {
        let (from, to) = self.days(p);
        self.lo
            .chunks(64)
            .zip(self.hi.chunks(64))
            .map(|(lo, hi)| {
                lo.iter()
                    .zip(hi)
                    .enumerate()
                    .fold(0_u64, |mask, (k, (lo, hi))| {
                        // Both tests, without a branch.
                        let holds = u64::from(*lo <= to) & u64::from(*hi >= from);
                        mask | (holds << k)
                    })
            })
            .collect()
    }

    /// The facts of period `p` with their first days, in order.
    pub(crate) fn of_dated(&self, p: Period) -> InPeriod<'_, F> {
        InPeriod {
            facts: self,
            masks: self.select(p),
            word: 0,
            mask: 0,
        }
    }

    /// The facts of period `p`, in order.
    pub(crate) fn of(&self, p: Period) -> impl Iterator<Item = &F> + '_ {
        self.of_dated(p).map(|(_, item)| item)
    }

    /// Every fact of the span, in order.
    pub(crate) fn all(&self) -> impl Iterator<Item = &F> + '_ {
        self.items.iter()
    }

    /// What `row` makes of each fact of period `p` (with its first day), in order, in a vector
    /// of the right size.
    pub(crate) fn collect<T>(&self, p: Period, row: impl FnMut((Day, &F)) -> T) -> Vec<T> {
        let facts = self.of_dated(p);
        let mut out = Vec::with_capacity(facts.len());
        out.extend(facts.map(row));
        out
    }
}

/// The facts of a period, in order ([`Facts::of_dated`]).
pub(crate) struct InPeriod<'a, F> {
    facts: &'a Facts<F>,
    /// Which facts the period holds ([`Facts::select`]).
    masks: Vec<u64>,
    /// The next word of `masks` to read.
    word: usize,
    /// The facts of the word before it not yet given.
    mask: u64,
}

impl<F> InPeriod<'_, F> {
    /// The facts not yet given.
    pub(crate) fn len(&self) -> usize {
        self.mask.count_ones() as usize
            + self.masks[self.word..]
                .iter()
                .map(|m| m.count_ones() as usize)
                .sum::<usize>()
    }
}

impl<'a, F> Iterator for InPeriod<'a, F> {
    type Item = (Day, &'a F);

    fn next(&mut self) -> Option<(Day, &'a F)> {
        while self.mask == 0 {
            self.mask = *self.masks.get(self.word)?;
            self.word += 1;
        }
        let i = (self.word - 1) * 64 + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some((self.facts.lo[i], &self.facts.items[i]))
    }
}

/// A drill-down row whose child is an index into [`Dataset::children`]: what a slicing measure
/// keeps as a fact, cheap to copy and to compare. Children are sorted by byte order of their ids,
/// so [`Row::key`] orders rows as spec 6.1 orders their [`RecordRow`]s.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Row {
    pub child: u32,
    pub record: Option<Day>,
    pub value: Option<i64>,
    pub in_denominator: bool,
    pub in_numerator: bool,
    pub reason: Option<Reason>,
    /// The row's `start` and `end` dates ([`RecordRow::start`], [`RecordRow::end`]), as days since
    /// 1970-01-01 with [`NO_DAY`] for blank: two `i32`s rather than two `Option<Day>`s keep the
    /// row at 40 bytes.
    dates: [i32; 2],
}

/// A blank date in [`Row`]'s `dates` (before [`Day::MIN`], so never a day).
const NO_DAY: i32 = i32::MIN;

/// A date of [`Row`]'s `dates` (`None` for [`NO_DAY`]).
fn day_of(d: i32) -> Option<Day> {
    Day::new(d).ok()
}

/// The spec 6.1 order of [`Row`]s, then `start` and `end` for rows the spec leaves tied (as
/// [`RecordRow`]s are sorted).
pub(crate) type RowKey = (
    u32,
    Option<Day>,
    Option<i64>,
    bool,
    bool,
    Option<&'static str>,
    Option<Day>,
    Option<Day>,
);

impl Row {
    /// A row of a ratio's denominator.
    pub(crate) const fn included(
        child: u32,
        record: Option<Day>,
        in_numerator: bool,
        value: Option<i64>,
    ) -> Row {
        Row {
            child,
            record,
            value,
            in_denominator: true,
            in_numerator,
            reason: None,
            dates: [NO_DAY; 2],
        }
    }

    /// An excluded row: both flags false, the reason set, no value.
    pub(crate) const fn excluded(child: u32, record: Option<Day>, reason: Reason) -> Row {
        Row {
            child,
            record,
            value: None,
            in_denominator: false,
            in_numerator: false,
            reason: Some(reason),
            dates: [NO_DAY; 2],
        }
    }

    /// The same row with its `start` and `end` dates (what they are is the measure's
    /// [`RowDoc`](super::RowDoc)).
    pub(crate) const fn dated(mut self, start: Option<Day>, end: Option<Day>) -> Row {
        self.dates = [
            match start {
                Some(d) => d.get(),
                None => NO_DAY,
            },
            match end {
                Some(d) => d.get(),
                None => NO_DAY,
            },
        ];
        self
    }

    /// Its `start` date.
    pub(crate) fn start(&self) -> Option<Day> {
        day_of(self.dates[0])
    }

    /// Its `end` date.
    pub(crate) fn end(&self) -> Option<Day> {
        day_of(self.dates[1])
    }

    /// Its spec 6.1 sort key.
    pub(crate) fn key(&self) -> RowKey {
        (
            self.child,
            self.record,
            self.value,
            self.in_denominator,
            self.in_numerator,
            self.reason.map(Reason::as_str),
            self.start(),
            self.end(),
        )
    }

    /// The drill-down row.
    pub(crate) fn to_record(self, ds: &Dataset) -> RecordRow {
        RecordRow {
            child: child_id(ds, self.child).clone(),
            record: self.record,
            in_denominator: self.in_denominator,
            in_numerator: self.in_numerator,
            value: self.value,
            reason: self.reason,
            start: self.start(),
            end: self.end(),
        }
    }
}

/// A [`Row`] stays small: a series keeps one per fact.
const _: () = assert!(std::mem::size_of::<Row>() <= 40);

/// The id of child `c`.
pub(crate) fn child_id(ds: &Dataset, c: u32) -> &CompactString {
    &ds.children()[c as usize]
}
