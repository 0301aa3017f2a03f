//! The validated, immutable, columnar [`Dataset`] and the [`DatasetBuilder`] that makes it.
//!
//! The builder takes whole returns (CIN census and SSDA903, one per collection year, as
//! [`crate::records`] rows) and builds each source family the same way, table by table as the
//! [schema](crate::schema) describes it (`build`): normalisation, unknown codes and unusable rows;
//! collection years; within-return duplicates and key-group replacement across returns (2.1);
//! stitching of open records across consecutive years (2.1 rule 1, 2.7); child-level fields. Then
//! what is particular to a family: for SSDA903, the care-episode repairs (2.1 rules 2 and 3) and
//! the periods of care and placements (2.2) ([`care`]); for both, the checks of spec 3
//! (`checks`). Every repair, skip and doubt becomes an
//! [`Issue`]; nothing is dropped without one.
//!
//! ```
//! use csc_measures::records::{CareEpisode, Header, Ssda903Return};
//! use csc_measures::{Dataset, DatasetBuilder};
//! let ep = |decom: &str, dec: Option<&str>, rne: &str, rec: &str| CareEpisode {
//!     child: "007".into(), decom: decom.parse().unwrap(), dec: dec.map(|d| d.parse().unwrap()),
//!     rne: rne.into(), ls: "C2".into(), place: "U1".into(), rec: rec.into(),
//!     ..CareEpisode::default()
//! };
//! let mut ret = Ssda903Return::default();
//! ret.source.collection_year = Some(2024);
//! ret.episodes = vec![ep("2023-05-01", None, "S", ""), ep("2023-09-01", None, "P", "")];
//! let ds: Dataset = DatasetBuilder::new().ssda903(ret).build()?;
//! // the open first episode was closed at the next DECOM, with REC X1
//! assert_eq!(ds.care_episodes().dec[0], Some("2023-09-01".parse()?));
//! assert_eq!(ds.issues()[0].code.as_str(), "open_episode_closed");
//! assert_eq!(ds.summary().placements, 2);
//! # Ok::<(), csc_measures::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;

use compact_str::CompactString;

use crate::day::Day;
use crate::quality::{Issue, Location};
use crate::records::{CinTables, ReturnKind, Ssda903Tables};
pub use crate::schema::cin::{
    Assessments, CinChildren, CinEpisodes, CinPlans, CpPlans, Section47s,
};
pub use crate::schema::ssda903::{
    Ad1s, CareEpisodes, Headers, Missings, Oc2s, Oc3s, PlacedAdoptions, PrevPerms, Reviews,
    SwEpisodes, Uascs,
};
use crate::table::Source;

mod build;
pub mod care;
mod checks;
pub(crate) mod merge;
mod report;

pub use build::DatasetBuilder;

/// The hash maps and sets of the build, keyed by child identifiers: a fast hasher with a random
/// seed per process (identifiers come from files, so the seed keeps a crafted file from making
/// every key collide).
pub(crate) type Map<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
/// See [`Map`].
pub(crate) type Set<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// Columns derived from the care episodes by spec 2.2, parallel to [`CareEpisodes`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CareColumns {
    /// `LS` V3 or V4: left out of periods of care and placements.
    pub short_break: Vec<bool>,
    /// Its `DEC` was set by the `not_resubmitted_closed` repair (spec 2.1: an open episode not in
    /// the next year's return, of a child absent from it), and no later repair changed it.
    pub closed_by_repair: Vec<bool>,
    /// Index into [`Dataset::periods_of_care`]; `u32::MAX` for short breaks.
    pub period: Vec<u32>,
    /// The episode starts a new placement (spec 2.2 rules 1-4); false for short breaks.
    pub new_placement: Vec<bool>,
    /// `DECOM` of the first episode of the placement the episode belongs to (its own `DECOM` for a
    /// short break).
    pub placement_start: Vec<Day>,
}

/// One period of care (spec 2.2), over a child's episodes with short breaks removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PeriodOfCare {
    /// The child's index.
    pub child: u32,
    /// Row of the first episode in [`Dataset::care_episodes`].
    pub first_episode: u32,
    /// Row of the last episode (inclusive); short breaks between them are not part of it.
    pub last_episode: u32,
    /// `DECOM` of the first episode.
    pub start: Day,
    /// `DEC` of the last episode; blank while open.
    pub end: Option<Day>,
    /// The period began before the earliest loaded SSDA903 year (spec 2.2).
    pub history_truncated: bool,
}

/// What the dataset knows of one loaded return.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnInfo {
    /// CIN census or SSDA903.
    pub kind: ReturnKind,
    /// The collection year in force (the caller's, else derived as spec 2.1), `None` when unknown.
    pub collection_year: Option<i32>,
    /// Its files, as indices into [`Dataset::files`].
    pub files: Vec<u32>,
    /// The tables it holds, by schema name, sorted (a return built in code holds every table of
    /// its kind; spec 2.3).
    pub tables: Vec<&'static str>,
    /// It has at least one usable row of its base table, so it covers its collection year
    /// (spec 3.1): SSDA903 `Episodes`; CIN census `Child`, or any record nested in one.
    pub covers: bool,
}

impl ReturnInfo {
    /// Does it hold the table named `table` (a schema name)?
    #[must_use]
    pub fn holds(&self, table: &str) -> bool {
        self.tables.contains(&table)
    }
}

/// Counts of what a dataset holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Distinct children in any table.
    pub children: usize,
    /// CIN episodes.
    pub cin_episodes: usize,
    /// Assessments.
    pub assessments: usize,
    /// Section 47 enquiries.
    pub section47s: usize,
    /// CP plans.
    pub cp_plans: usize,
    /// Care episodes, short breaks included.
    pub care_episodes: usize,
    /// Periods of care (short breaks excluded).
    pub periods_of_care: usize,
    /// Placements (short breaks excluded).
    pub placements: usize,
    /// Data-quality issues.
    pub issues: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows = [
            ("children", self.children),
            ("CIN episodes", self.cin_episodes),
            ("assessments", self.assessments),
            ("section 47 enquiries", self.section47s),
            ("CP plans", self.cp_plans),
            ("care episodes", self.care_episodes),
            ("periods of care", self.periods_of_care),
            ("placements", self.placements),
            ("data-quality issues", self.issues),
        ];
        for (name, n) in rows {
            writeln!(f, "{name:<22}{n:>12}")?;
        }
        Ok(())
    }
}

/// Validated case records: immutable, columnar, sorted by child (byte order) then date, and safe to
/// share across threads (`Dataset: Send + Sync`). Made by [`DatasetBuilder`].
///
/// Each source family's tables are one struct of columnar tables ([`Dataset::cin`],
/// [`Dataset::ssda903`]), one per table of the [schema](crate::schema); the accessors below name the
/// ones the measures read most.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    children: Vec<CompactString>,
    /// For each return, the children that appear in it (spec 2.7), sorted.
    appears: Vec<Vec<u32>>,
    files: Vec<Arc<str>>,
    returns: Vec<ReturnInfo>,
    cin: CinTables,
    ssda903: Ssda903Tables,
    care: CareColumns,
    periods: Vec<PeriodOfCare>,
    issues: Vec<Issue>,
    population: Option<Arc<crate::population::Population>>,
}

impl Dataset {
    /// The population that came with the returns ([`DatasetBuilder::population`]): used for
    /// rates when the options carry none.
    #[must_use]
    pub fn population(&self) -> Option<&Arc<crate::population::Population>> {
        self.population.as_ref()
    }

    /// Child identifiers in byte order; tables refer to children by index into this slice.
    #[must_use]
    pub fn children(&self) -> &[CompactString] {
        &self.children
    }

    /// The index of child `id` (trimmed, compared exactly).
    #[must_use]
    pub fn child_index(&self, id: &str) -> Option<u32> {
        self.children
            .binary_search_by(|c| c.as_str().cmp(id.trim()))
            .ok()
            .map(|i| i as u32)
    }

    /// Every input file, in load order.
    #[must_use]
    pub fn files(&self) -> &[Arc<str>] {
        &self.files
    }

    /// The loaded returns, in merge order (collection year, then the caller's order).
    #[must_use]
    pub fn returns(&self) -> &[ReturnInfo] {
        &self.returns
    }

    /// The collection years loaded for `kind`, ascending, without repeats.
    #[must_use]
    pub fn collection_years(&self, kind: ReturnKind) -> Vec<i32> {
        let mut v: Vec<i32> = self
            .returns
            .iter()
            .filter(|r| r.kind == kind)
            .filter_map(|r| r.collection_year)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The latest collection year loaded, of either kind: the default year of reports.
    #[must_use]
    pub fn latest_collection_year(&self) -> Option<i32> {
        self.returns.iter().filter_map(|r| r.collection_year).max()
    }

    /// Every table of the CIN census returns, merged.
    #[must_use]
    pub fn cin(&self) -> &CinTables {
        &self.cin
    }

    /// Every table of the SSDA903 returns, merged (care episodes after the 2.1 repairs).
    #[must_use]
    pub fn ssda903(&self) -> &Ssda903Tables {
        &self.ssda903
    }

    /// CIN census children.
    #[must_use]
    pub fn cin_children(&self) -> &CinChildren {
        &self.cin.children
    }

    /// SSDA903 Header rows.
    #[must_use]
    pub fn headers(&self) -> &Headers {
        &self.ssda903.headers
    }

    /// CIN episodes.
    #[must_use]
    pub fn cin_episodes(&self) -> &CinEpisodes {
        &self.cin.episodes
    }

    /// Assessments.
    #[must_use]
    pub fn assessments(&self) -> &Assessments {
        &self.cin.assessments
    }

    /// Section 47 enquiries.
    #[must_use]
    pub fn section47s(&self) -> &Section47s {
        &self.cin.section47s
    }

    /// Child protection plans.
    #[must_use]
    pub fn cp_plans(&self) -> &CpPlans {
        &self.cin.plans
    }

    /// Care episodes (after the 2.1 repairs).
    #[must_use]
    pub fn care_episodes(&self) -> &CareEpisodes {
        &self.ssda903.episodes
    }

    /// The 2.2 columns of the care episodes: short breaks, periods of care, placements.
    #[must_use]
    pub fn care(&self) -> &CareColumns {
        &self.care
    }

    /// Periods of care, by child then start.
    #[must_use]
    pub fn periods_of_care(&self) -> &[PeriodOfCare] {
        &self.periods
    }

    /// AD1 rows.
    #[must_use]
    pub fn ad1(&self) -> &Ad1s {
        &self.ssda903.ad1
    }

    /// PlacedAdoption rows.
    #[must_use]
    pub fn placed_adoption(&self) -> &PlacedAdoptions {
        &self.ssda903.placed_adoption
    }

    /// Every data-quality issue of the load and the build.
    #[must_use]
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// Counts of what the dataset holds.
    #[must_use]
    pub fn summary(&self) -> Summary {
        Summary {
            children: self.children.len(),
            cin_episodes: self.cin.episodes.len(),
            assessments: self.cin.assessments.len(),
            section47s: self.cin.section47s.len(),
            cp_plans: self.cin.plans.len(),
            care_episodes: self.ssda903.episodes.len(),
            periods_of_care: self.periods.len(),
            placements: self.care.new_placement.iter().filter(|&&b| b).count(),
            issues: self.issues.len(),
        }
    }

    /// Does child `child` appear in return `ret` (an index into [`Dataset::returns`])? A child
    /// appears in an SSDA903 return whose Header or Episodes table holds it, in a CIN census return
    /// that holds any record of it (spec 2.7) — as the return was given, before the merge.
    #[must_use]
    pub fn appears_in(&self, ret: usize, child: u32) -> bool {
        self.appears
            .get(ret)
            .is_some_and(|v| v.binary_search(&child).is_ok())
    }

    /// The location of a row's source, for messages.
    #[must_use]
    pub fn location(&self, source: Source) -> Option<Location> {
        let file = self.files.get(source.file as usize)?.clone();
        Some(Location {
            file: Some(file),
            line: (source.line > 0).then_some(source.line),
            ..Location::default()
        })
    }
}
