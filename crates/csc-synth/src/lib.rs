//! # csc-synth
//!
//! A deterministic synthetic local authority for [`csc_measures`]: the CIN census and SSDA903
//! returns an English children's services department would submit, one of each per collection year,
//! built from made-up children.
//!
//! Each child's whole true history is generated first, from eighteen years before the first
//! collection year (so every child in a return has its whole childhood, and the numbers looked
//! after are as steady from the first year as from the last) to 31 March of the last. That history
//! is then sliced into annual returns as a local authority submits them: the return for year `Y`
//! holds every record open at some time between 1 April `Y-1` and 31 March `Y`, with the dates
//! after 31 March `Y` blanked (still open) and nothing that started later.
//!
//! [`Config::default`] is a mid-size English local authority (about 63,000 children aged 0 to 17,
//! [`Config::population`]); each recent year its returns hold about 3,000 referrals, 230 children
//! subject of a CP plan and 700 on a CIN plan at 31 March, 500 looked after at 31 March and 20 to
//! 30 adoptions. What the histories contain, in roughly national proportions:
//!
//! * referrals, about 23% of them (a little under one in four) within 12 months of the child's
//!   previous one, some with `ReferralNFA` true; assessments for about two thirds of referrals,
//!   from same-day to over 100 working days (most within 45); section 47 enquiries for about 30%,
//!   of which about 45% lead to an initial child protection conference, most within 15 working
//!   days, some later, a few recorded before the enquiry started, and about four in five of which
//!   make the child subject of a CP plan that day, so that about one referral in ten leads to a CP
//!   plan; CP plans of weeks to over two years, about a fifth of them second or subsequent
//!   plans (some within two years of the last), `NumberOfPreviousCPP` mostly consistent with the
//!   history, sometimes blank or counting a plan elsewhere, reviewed first within 3 months of the
//!   start for about 90% of plans and then within 6 months of the last review for about 92% of
//!   intervals (the rest days to weeks late), each return holding the reviews of its own year;
//!   about 2% of CP plans starting at a transfer-in conference recorded on the CIN episode; CIN
//!   episodes closed and still open;
//! * CIN plans after the assessment for nearly half of assessed episodes: for the support that
//!   keeps an episode open, before a CP plan or care, as a step down after a CP plan or after a
//!   return home, never alongside a CP plan, so that about 40% of children in need have one at 31
//!   March; mostly ending with the episode, some earlier, about 2% left open after it closed;
//! * assessment factors, one to three codes or `21` (no factors identified) alone, loosely in the
//!   national shares (4B the most common, then emotional abuse, domestic abuse and neglect), with
//!   the child-specific codes of adolescence (going missing, exploitation, self-harm) only for older
//!   children;
//! * for about one child in ten, periods of care made of episodes (in the default sample about 180
//!   children start and 180 cease care a year, of every age in about the national shares, about
//!   one in seven of those ceasing adopted): moves to new carers (`RNE` P, or B with a
//!   legal-status change), legal-status-only changes (L), same-carer changes (T, U: long-term
//!   fostering, placement for adoption with the foster carers), temporary placements (T0-T4) that
//!   return to the same placement or end in a move, short breaks (`LS` V3/V4, each its own period),
//!   placement and freeing orders, matches and placements for adoption with foster carers (A3/A5)
//!   or new adopters (A4/A6), adoption (E11/E12) with its AD1 and PlacedAdoption rows, returning
//!   home, special guardianship and child arrangements orders, leaving care at 18, and coming back
//!   into care; stable long-term placements and children with three or more placements in a year;
//!   periods that began long before the first collection year;
//! * the other SSDA903 tables: looked-after reviews (first within 20 working days, then 3 and every
//!   6 months, most on time), UASC rows (about 7% of children starting care, `DUC` the 18th
//!   birthday), missing and away incidents (some open at a year end), social worker episodes (from
//!   2023-24 only, when the table was first collected), OC2 rows for children looked after for 12
//!   months, OC3 rows for care leavers in the year of their 17th to 21st birthday (with a Header row
//!   when not looked after), and a few previous permanence orders;
//! * dates on every day of the week, bank holidays and 29 February; placement providers, URNs and
//!   postcodes consistent within a placement and changing with a move; children's homes and schools
//!   drawn from a pool of establishments, each with one URN and postcode.
//!
//! The output depends only on [`Config`]: each child's random stream comes from the seed and the
//! child's index (so a child's history does not depend on how many children are generated), and
//! the generator ([`xoshiro256**`](https://prng.di.unimi.it/) seeded by `SplitMix64`) is written out
//! in this crate, so no dependency upgrade changes the data. Generation runs on all available cores
//! in chunks of children; the result is the same on any machine.
//!
//! ```
//! let synthetic = csc_synth::generate(&csc_synth::Config { children: 300, ..Default::default() });
//! assert_eq!(synthetic.cin.len(), 6);
//! assert_eq!(synthetic.cin[0].source.collection_year, Some(2019));
//! assert!(synthetic.cin.iter().all(|r| r.episodes.iter().all(|e| e.child.starts_with('C'))));
//! ```

use std::sync::Arc;
use std::thread;

use csc_measures::records::{CinReturn, ReturnSource, RowOrigin, Ssda903Return};
use csc_measures::{Dataset, DatasetBuilder, Day, Error, ErrorKind};

mod codes;
mod emit;
mod extras;
mod history;
mod rng;

use emit::{YearOut, YearPeriod};
use history::{Child, Horizon, Sim};

/// What to generate.
///
/// The default is a mid-size English local authority: 40,000 children, collection years 2019 to
/// 2024, seed 42. Its returns hold, each recent year, about 3,000 referrals, 230 children subject
/// of a CP plan and 700 on a CIN plan at 31 March, 500 children looked after at 31 March (about
/// 180 starting and 180 ceasing in the year), 20 to 30 adoptions, about 370 OC2 rows (children
/// looked after for 12 months) and 260 OC3 rows (care leavers aged 17 to 21); its population
/// ([`Config::population`]) is about 63,000 children aged 0 to 17. Every count scales with
/// `children`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Config {
    /// Children in the local authority's history: every child referred, or looked after, at some
    /// time from eighteen years before `first_year` to the end of `last_year`. Not all of them
    /// appear in the returns (many were known only before the first collection year).
    pub children: u32,
    /// First collection year: collection year `Y` is the financial year 1 April `Y-1` to 31 March
    /// `Y`.
    pub first_year: i32,
    /// Last collection year (inclusive). No returns are made when it is before `first_year`.
    pub last_year: i32,
    /// Seed of every random choice.
    pub seed: u64,
}

impl Default for Config {
    /// 40,000 children, collection years 2019 to 2024, seed 42: a mid-size local authority of
    /// about 63,000 children (see [`Config`]).
    fn default() -> Config {
        Config {
            children: DEFAULT_CHILDREN,
            first_year: 2019,
            last_year: 2024,
            seed: 42,
        }
    }
}

/// `children` of [`Config::default`].
const DEFAULT_CHILDREN: u32 = 40_000;

/// The population aged 0 to 17 of the default sample in [`POPULATION_ANCHOR`].
const DEFAULT_POPULATION: f64 = 63_000.0;

/// The mid-year whose population estimate is exactly in proportion to `children`.
const POPULATION_ANCHOR: i32 = 2023;

/// The random stream of the population's year-on-year changes (the children's are 1 and 2).
const STREAM_POPULATION: u64 = 3;

impl Config {
    /// The most children a configuration may have: the history is made in memory, about 0.75 KB
    /// per child, so five million children need some 4 GB. [`Config::check`] refuses more.
    pub const MAX_CHILDREN: u32 = 5_000_000;

    /// The collection years a configuration may ask for, 1920 to 2190 (the working-day calendar
    /// is precomputed for them). [`Config::check`] refuses a year outside; [`generate`] alone
    /// would clamp it into the range.
    pub const YEARS: (i32, i32) = YEAR_RANGE;

    /// Checks that the configuration asks for what can be made: at most
    /// [`Config::MAX_CHILDREN`] children, and collection years within [`Config::YEARS`]. Every
    /// surface (the command line's `synth` and `--sample-children`, the JSON request, C and
    /// Python) checks a caller's configuration with it before [`generate`], so that a huge number
    /// is refused with an [`ErrorKind::InvalidRequest`] error naming the value and the limit
    /// rather than growing the host's memory until it is killed, and a year is never silently
    /// moved.
    ///
    /// ```
    /// use csc_synth::Config;
    /// assert!(Config::default().check().is_ok());
    /// let e = Config { children: u32::MAX, ..Config::default() }.check().unwrap_err();
    /// assert_eq!(e.kind(), csc_measures::ErrorKind::InvalidRequest);
    /// assert!(e.message().contains("4294967295 children"), "{e}");
    /// let e = Config { first_year: 9999, last_year: 10000, ..Config::default() }.check().unwrap_err();
    /// assert!(e.message().contains("1920 to 2190"), "{e}");
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        if self.children > Config::MAX_CHILDREN {
            return Err(Error::new(
                ErrorKind::InvalidRequest,
                format!(
                    "a sample of {} children is more than the {} it may have",
                    self.children,
                    Config::MAX_CHILDREN
                ),
            ));
        }
        let (lo, hi) = Config::YEARS;
        for (what, year) in [("first", self.first_year), ("last", self.last_year)] {
            if !(lo..=hi).contains(&year) {
                return Err(Error::new(
                    ErrorKind::InvalidRequest,
                    format!(
                        "the {what} collection year {year} is outside the years a sample can \
                         have, {lo} to {hi}"
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The ONS-style mid-year estimate of the children aged 0 to 17 living in the local authority,
    /// `(M, children)` for each mid-year `M` from `first_year - 1` to `last_year - 1` in order
    /// (empty when `last_year < first_year`). The estimate for mid-year `M` (30 June `M`) is the
    /// population of the financial year ending 31 March `M + 1`, collection year `M + 1`: the
    /// denominator of the rates per 10,000 children (`--population`).
    ///
    /// The estimate is 63,000 in mid-2023 for the default 40,000 children, in proportion to
    /// `children` (20,000 children: 31,500). The other years drift from mid-2023, before and
    /// after it, by a year-on-year change of -0.4% to +0.8% (in 0.1% steps, +0.2% a year on
    /// average, about England's recent drift) drawn from `seed` and the year alone. So the series
    /// is a pure function of `seed` and `children`, and two configurations with the same seed give
    /// the same estimate for the mid-years they share. Rounded to the nearest child.
    ///
    /// ```
    /// use csc_synth::Config;
    /// let pop = Config::default().population();
    /// assert_eq!(pop.len(), 6);
    /// assert_eq!((pop[0].0, pop[5].0), (2018, 2023));
    /// assert_eq!(pop[5].1, 63_000);
    /// assert!(pop.iter().all(|&(_, n)| (60_000..66_000).contains(&n)));
    /// let half = Config { children: 20_000, ..Config::default() }.population();
    /// assert_eq!(half[5], (2023, 31_500));
    /// ```
    #[must_use]
    pub fn population(&self) -> Vec<(i32, u64)> {
        let base = DEFAULT_POPULATION * f64::from(self.children) / f64::from(DEFAULT_CHILDREN);
        // The year-on-year change from mid-year `y - 1` to `y`.
        let change = |y: i32| {
            let mut rng =
                rng::Rng::for_stream(self.seed, u64::from(y.unsigned_abs()), STREAM_POPULATION);
            1.0 + (f64::from(rng.below(13)) - 4.0) / 1000.0
        };
        year_periods(self)
            .iter()
            .map(|p| {
                let mid = p.year - 1;
                let mut f = 1.0;
                for y in (mid + 1)..=POPULATION_ANCHOR {
                    f /= change(y);
                }
                for y in (POPULATION_ANCHOR + 1)..=mid {
                    f *= change(y);
                }
                (mid, (base * f).round() as u64)
            })
            .collect()
    }
}

/// The generated returns: one CIN census and one SSDA903 return per collection year, in year order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Synthetic {
    /// CIN census returns, one per collection year.
    pub cin: Vec<CinReturn>,
    /// SSDA903 returns, one per collection year.
    pub ssda903: Vec<Ssda903Return>,
}

impl Synthetic {
    /// A builder holding every return, ready for [`DatasetBuilder::build`].
    #[must_use]
    pub fn into_builder(self) -> DatasetBuilder {
        let mut b = DatasetBuilder::new();
        for r in self.cin {
            b.add_cin(r);
        }
        for r in self.ssda903 {
            b.add_ssda903(r);
        }
        b
    }
}

/// The earliest and latest collection years generated; years outside are clamped into this range
/// (the working-day calendar is precomputed for it).
const YEAR_RANGE: (i32, i32) = (1920, 2190);

/// Below this many children one thread does all the work.
const PARALLEL_MIN_CHILDREN: u32 = 4_000;

/// Generates the returns that `config` describes.
///
/// The result is a pure function of `config`, identical however many threads run it.
///
/// ```
/// use csc_synth::{Config, generate};
/// let config = Config { children: 200, first_year: 2022, last_year: 2023, seed: 7 };
/// let a = generate(&config);
/// assert_eq!(a, generate(&config));
/// assert_eq!(a.ssda903.len(), 2);
/// assert_eq!(a.cin[1].source.reference_date, Some("2023-03-31".parse()?));
/// # Ok::<(), csc_measures::Error>(())
/// ```
#[must_use]
pub fn generate(config: &Config) -> Synthetic {
    let threads = thread::available_parallelism().map_or(1, std::num::NonZero::get);
    generate_with_threads(config, threads)
}

/// Generates the returns and builds them into a [`Dataset`] (lenient mode), with the local
/// authority's population ([`Config::population`]) for rates per 10,000 children.
///
/// ```
/// let ds = csc_synth::dataset(&csc_synth::Config { children: 300, ..Default::default() })?;
/// assert!(ds.summary().cin_episodes > 0);
/// assert_eq!(ds.population().unwrap().for_year_ending(2024).map(|(y, _)| y), Some(2023));
/// # Ok::<(), csc_measures::Error>(())
/// ```
pub fn dataset(config: &Config) -> Result<Dataset, Error> {
    let mut population = csc_measures::population::Population::new();
    for (year, total) in config.population() {
        population.insert(year, total)?;
    }
    generate(config)
        .into_builder()
        .population(Arc::new(population))
        .build()
}

fn ymd(y: i32, m: u32, d: u32) -> Day {
    Day::from_ymd(y, m, d).unwrap_or(Day::MIN)
}

fn year_periods(config: &Config) -> Vec<YearPeriod> {
    let first = config.first_year.clamp(YEAR_RANGE.0, YEAR_RANGE.1);
    let last = config.last_year.clamp(YEAR_RANGE.0, YEAR_RANGE.1);
    (first..=last)
        .map(|year| YearPeriod {
            year,
            start: ymd(year - 1, 4, 1),
            end: ymd(year, 3, 31),
        })
        .collect()
}

/// As [`generate`], with the work split across `threads` threads.
fn generate_with_threads(config: &Config, threads: usize) -> Synthetic {
    let years = year_periods(config);
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return Synthetic::default();
    };
    // From 18 years before the first collection year starts: every child in a return has its whole
    // childhood, so long periods of care are all there from the first year on.
    let horizon = Horizon {
        start: ymd(first.year - 19, 4, 1),
        end: last.end,
    };
    let n = config.children;
    let threads = if n < PARALLEL_MIN_CHILDREN {
        1
    } else {
        threads.clamp(1, 64) as u32
    };
    let bounds: Vec<(u32, u32)> = (0..threads)
        .map(|i| {
            let lo = (u64::from(n) * u64::from(i) / u64::from(threads)) as u32;
            let hi = (u64::from(n) * u64::from(i + 1) / u64::from(threads)) as u32;
            (lo, hi)
        })
        .collect();
    let seed = config.seed;
    let parts: Vec<Vec<YearOut>> = if bounds.len() == 1 {
        vec![generate_chunk(seed, horizon, &years, 0, n)]
    } else {
        thread::scope(|s| {
            let handles: Vec<_> = bounds
                .iter()
                .map(|&(lo, hi)| {
                    let years = &years;
                    s.spawn(move || generate_chunk(seed, horizon, years, lo, hi))
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    };
    assemble(&years, parts)
}

/// Children `lo..hi`, every year's rows in child order.
fn generate_chunk(
    seed: u64,
    horizon: Horizon,
    years: &[YearPeriod],
    lo: u32,
    hi: u32,
) -> Vec<YearOut> {
    let mut out: Vec<YearOut> = years.iter().map(|_| YearOut::default()).collect();
    let mut child = Child::default();
    let mut extra = extras::Extras::default();
    for index in lo..hi {
        Sim::run(seed, u64::from(index), horizon, &mut child);
        extras::run(seed, u64::from(index), horizon, &mut child, &mut extra);
        emit::emit(&child, &extra, years, &mut out);
    }
    out
}

/// Concatenates the chunks in child order, numbers the rows and fills in each return's source.
fn assemble(years: &[YearPeriod], parts: Vec<Vec<YearOut>>) -> Synthetic {
    let mut merged: Vec<YearOut> = years.iter().map(|_| YearOut::default()).collect();
    for part in parts {
        for (m, mut p) in merged.iter_mut().zip(part) {
            append(&mut m.cin.children, &mut p.cin.children);
            append(&mut m.cin.episodes, &mut p.cin.episodes);
            append(&mut m.cin.assessments, &mut p.cin.assessments);
            append(&mut m.cin.cin_plans, &mut p.cin.cin_plans);
            append(&mut m.cin.section47s, &mut p.cin.section47s);
            append(&mut m.cin.plans, &mut p.cin.plans);
            append(&mut m.ssda903.headers, &mut p.ssda903.headers);
            append(&mut m.ssda903.episodes, &mut p.ssda903.episodes);
            append(&mut m.ssda903.ad1, &mut p.ssda903.ad1);
            append(
                &mut m.ssda903.placed_adoption,
                &mut p.ssda903.placed_adoption,
            );
            append(&mut m.ssda903.reviews, &mut p.ssda903.reviews);
            append(&mut m.ssda903.uasc, &mut p.ssda903.uasc);
            append(&mut m.ssda903.oc2, &mut p.ssda903.oc2);
            append(&mut m.ssda903.oc3, &mut p.ssda903.oc3);
            append(&mut m.ssda903.prev_perm, &mut p.ssda903.prev_perm);
            append(&mut m.ssda903.missing, &mut p.ssda903.missing);
            append(&mut m.ssda903.sw_episodes, &mut p.ssda903.sw_episodes);
        }
    }
    let mut out = Synthetic::default();
    for (y, m) in years.iter().zip(merged) {
        let YearOut {
            mut cin,
            mut ssda903,
        } = m;
        cin.source = ReturnSource {
            files: vec![Arc::from(format!("synthetic/cin_{}.xml", y.year))],
            collection_year: Some(y.year),
            reference_date: Some(y.end),
            tables: None,
        };
        cin.visit_mut(&mut Number);
        ssda903.source = ReturnSource {
            files: vec![Arc::from(format!("synthetic/ssda903_{}", y.year))],
            collection_year: Some(y.year),
            reference_date: None,
            // The tables it holds (spec 2.3): every table, but SWEpisodes only from 2023-24, when
            // it was first collected, so the measures that need it say `no_data` on the years
            // before rather than count an empty table (spec 3.1).
            tables: Some(
                SSDA903_TABLES
                    .iter()
                    .filter(|&&t| t != "SWEpisodes" || y.year >= SW_EPISODES_FROM)
                    .map(|&t| t.into())
                    .collect(),
            ),
        };
        ssda903.visit_mut(&mut Number);
        out.cin.push(cin);
        out.ssda903.push(ssda903);
    }
    out
}

/// The SSDA903 tables the synthetic returns hold, in the order of the return's tables. SWEpisodes
/// is held only by the returns of collection years [`SW_EPISODES_FROM`] and later.
pub const SSDA903_TABLES: &[&str] = &[
    "Header",
    "Episodes",
    "AD1",
    "PlacedAdoption",
    "Reviews",
    "UASC",
    "OC2",
    "OC3",
    "PrevPerm",
    "Missing",
    "SWEpisodes",
];

/// The first collection year whose SSDA903 return holds SWEpisodes (2023-24, when the table was
/// first collected).
pub const SW_EPISODES_FROM: i32 = emit::SW_EPISODES_FROM;

fn append<T>(into: &mut Vec<T>, from: &mut Vec<T>) {
    if into.is_empty() {
        std::mem::swap(into, from);
    } else {
        into.append(from);
    }
}

/// Row numbers within a table: line 1 is the header, so rows start at 2.
/// Numbers every table's rows as the lines of a CSV file after its header.
struct Number;

impl csc_measures::schema::VisitRowsMut for Number {
    fn rows<R: csc_measures::schema::Record>(&mut self, rows: &mut Vec<R>) {
        for (i, r) in rows.iter_mut().enumerate() {
            r.set_origin(RowOrigin::new(0, i as u32 + 2));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_do_not_change_the_result() {
        let config = Config {
            children: 4_500,
            first_year: 2021,
            last_year: 2023,
            seed: 3,
        };
        let one = generate_with_threads(&config, 1);
        assert_eq!(one, generate_with_threads(&config, 2));
        assert_eq!(one, generate_with_threads(&config, 3));
    }

    #[test]
    fn empty_configs() {
        let none = generate(&Config {
            first_year: 2024,
            last_year: 2023,
            ..Config::default()
        });
        assert!(none.cin.is_empty() && none.ssda903.is_empty());
        let nobody = generate(&Config {
            children: 0,
            ..Config::default()
        });
        assert_eq!(nobody.cin.len(), 6);
        assert!(nobody.cin.iter().all(|r| r.episodes.is_empty()));
    }
}
