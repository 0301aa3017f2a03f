//! The validated, immutable, columnar [`Dataset`] and the [`DatasetBuilder`] that makes it.
//!
//! The builder takes whole returns (CIN census and SSDA903, one per collection year, as
//! [`crate::records`] rows) and applies spec section 2 in this order: normalisation and unusable
//! rows; collection years; within-return duplicates and key-group replacement across returns
//! (2.1); stitching of open records across consecutive years (2.1 rule 1); child-level fields;
//! care-episode repairs (2.1 rules 2 and 3); periods of care and placements (2.2). Every repair,
//! skip and doubt becomes an [`Issue`]; nothing is dropped without one.
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

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::Arc;

use compact_str::CompactString;

use crate::care;
use crate::codes;
use crate::day::Day;
use crate::error::{Error, ErrorKind};
use crate::merge::{self, MergeRow, Report, Tagged};
use crate::quality::{Issue, IssueCode, Location, Severity};
use crate::records::{
    Ad1, Assessment, CareEpisode, CinChild, CinEpisode, CinReturn, CpPlan, Header, OtherRow,
    PlacedAdoption, ReturnKind, RowOrigin, Section47, Ssda903Return,
};
use crate::table::{Source, table};

table! {
    /// CIN census children, one row per child (the latest return's fields, blanks filled from
    /// earlier returns).
    CinChildren for CinChild {
        /// `UPN`.
        upn: CompactString,
        /// `PersonBirthDate`.
        birth_date: Option<Day>,
        /// `ExpectedPersonBirthDate`.
        expected_birth_date: Option<Day>,
        /// `PersonDeathDate`.
        death_date: Option<Day>,
        /// `GenderCurrent` or `Sex`.
        sex: CompactString,
        /// `Ethnicity`.
        ethnicity: CompactString,
        /// `Disability` codes.
        disabilities: Vec<CompactString>,
    }
}

table! {
    /// SSDA903 Header rows, one per child (the latest return's fields, blanks filled from earlier
    /// returns). Section 5 measures take the date of birth from here.
    Headers for Header {
        /// `SEX`.
        sex: CompactString,
        /// `DOB`.
        dob: Option<Day>,
        /// `ETHNIC`.
        ethnic: CompactString,
        /// `UPN`.
        upn: CompactString,
        /// `MOTHER`.
        mother: CompactString,
        /// `MC_DOB`.
        mc_dob: Option<Day>,
    }
}

table! {
    /// CIN episodes, by child then `CINreferralDate`.
    CinEpisodes for CinEpisode {
        /// `CINreferralDate`.
        referral_date: Day,
        /// `ReferralSource`.
        referral_source: CompactString,
        /// `PrimaryNeedCode`.
        primary_need: CompactString,
        /// `CINclosureDate`.
        closure_date: Option<Day>,
        /// `ReasonForClosure`.
        reason_for_closure: CompactString,
        /// `ReferralNFA` (`None` unknown).
        referral_nfa: Option<bool>,
        /// `DateOfInitialCPC` on the episode (transfer-in).
        initial_cpc_date: Option<Day>,
    }
}

table! {
    /// Assessments, by child then `AssessmentActualStartDate` (blank first).
    Assessments for Assessment {
        /// `CINreferralDate` of the CIN episode it came in.
        episode_referral_date: Day,
        /// `AssessmentActualStartDate`.
        start_date: Option<Day>,
        /// `AssessmentInternalReviewDate`.
        internal_review_date: Option<Day>,
        /// `AssessmentAuthorisationDate`.
        authorisation_date: Option<Day>,
        /// `AssessmentFactors`.
        factors: Vec<CompactString>,
    }
}

table! {
    /// Section 47 enquiries, by child then `S47ActualStartDate` (blank first).
    Section47s for Section47 {
        /// `CINreferralDate` of the CIN episode it came in.
        episode_referral_date: Day,
        /// `S47ActualStartDate`.
        start_date: Option<Day>,
        /// `InitialCPCtarget`.
        icpc_target_date: Option<Day>,
        /// `DateOfInitialCPC`.
        icpc_date: Option<Day>,
        /// `ICPCnotRequired`.
        icpc_not_required: Option<bool>,
    }
}

table! {
    /// Child protection plans, by child then `CPPstartDate` (blank first).
    CpPlans for CpPlan {
        /// `CINreferralDate` of the CIN episode it came in.
        episode_referral_date: Day,
        /// `CPPstartDate`.
        start_date: Option<Day>,
        /// `CPPendDate`.
        end_date: Option<Day>,
        /// `InitialCategoryOfAbuse`.
        initial_category: CompactString,
        /// `LatestCategoryOfAbuse`.
        latest_category: CompactString,
        /// `NumberOfPreviousCPP` (`None` unknown).
        previous_plans: Option<u32>,
        /// `CPPreviewDate`s.
        review_dates: Vec<Day>,
    }
}

table! {
    /// Care episodes after the 2.1 repairs, by child then (`DECOM`, `DEC` with blank last, file
    /// order). Short breaks are kept here; [`CareColumns`] marks them.
    CareEpisodes for CareEpisode {
        /// `DECOM`.
        decom: Day,
        /// `RNE`.
        rne: CompactString,
        /// `LS`.
        ls: CompactString,
        /// `CIN`.
        cin: CompactString,
        /// `PLACE`.
        place: CompactString,
        /// `PLACE_PROVIDER`.
        place_provider: CompactString,
        /// `DEC`.
        dec: Option<Day>,
        /// `REC`.
        rec: CompactString,
        /// `REASON_PLACE_CHANGE`.
        reason_place_change: CompactString,
        /// `HOME_POST`.
        home_post: CompactString,
        /// `PL_POST`.
        pl_post: CompactString,
        /// `URN`.
        urn: CompactString,
    }
}

table! {
    /// AD1 rows, by child then `DATE_MATCH` (blank first).
    Ad1s for Ad1 {
        /// `DOB`.
        dob: Option<Day>,
        /// `DATE_INT`.
        date_int: Option<Day>,
        /// `DATE_MATCH`.
        date_match: Option<Day>,
        /// `FOSTER_CARE`.
        foster_care: CompactString,
        /// `NB_ADOPTR`.
        nb_adoptr: CompactString,
        /// `SEX_ADOPTR`.
        sex_adoptr: CompactString,
        /// `LS_ADOPTR`.
        ls_adoptr: CompactString,
    }
}

table! {
    /// PlacedAdoption rows, by child then `DATE_PLACED` (blank first).
    PlacedAdoptions for PlacedAdoption {
        /// `DOB`.
        dob: Option<Day>,
        /// `DATE_PLACED`.
        date_placed: Option<Day>,
        /// `DATE_PLACED_CEASED`.
        date_placed_ceased: Option<Day>,
        /// `REASON_PLACED_CEASED`.
        reason_placed_ceased: CompactString,
    }
}

/// Columns derived from the care episodes by spec 2.2, parallel to [`CareEpisodes`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CareColumns {
    /// `LS` V3 or V4: left out of periods of care and placements.
    pub short_break: Vec<bool>,
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
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    children: Vec<CompactString>,
    files: Vec<Arc<str>>,
    returns: Vec<ReturnInfo>,
    cin_children: CinChildren,
    headers: Headers,
    cin_episodes: CinEpisodes,
    assessments: Assessments,
    section47s: Section47s,
    plans: CpPlans,
    care_episodes: CareEpisodes,
    care: CareColumns,
    periods: Vec<PeriodOfCare>,
    ad1: Ad1s,
    placed_adoption: PlacedAdoptions,
    other: Vec<(OtherRow, Source)>,
    issues: Vec<Issue>,
}

impl Dataset {
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

    /// CIN census children.
    #[must_use]
    pub fn cin_children(&self) -> &CinChildren {
        &self.cin_children
    }

    /// SSDA903 Header rows.
    #[must_use]
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// CIN episodes.
    #[must_use]
    pub fn cin_episodes(&self) -> &CinEpisodes {
        &self.cin_episodes
    }

    /// Assessments.
    #[must_use]
    pub fn assessments(&self) -> &Assessments {
        &self.assessments
    }

    /// Section 47 enquiries.
    #[must_use]
    pub fn section47s(&self) -> &Section47s {
        &self.section47s
    }

    /// Child protection plans.
    #[must_use]
    pub fn cp_plans(&self) -> &CpPlans {
        &self.plans
    }

    /// Care episodes (after the 2.1 repairs).
    #[must_use]
    pub fn care_episodes(&self) -> &CareEpisodes {
        &self.care_episodes
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
        &self.ad1
    }

    /// PlacedAdoption rows.
    #[must_use]
    pub fn placed_adoption(&self) -> &PlacedAdoptions {
        &self.placed_adoption
    }

    /// Rows of the other SSDA903 tables, by child then table.
    #[must_use]
    pub fn other_rows(&self) -> &[(OtherRow, Source)] {
        &self.other
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
            cin_episodes: self.cin_episodes.len(),
            assessments: self.assessments.len(),
            section47s: self.section47s.len(),
            cp_plans: self.plans.len(),
            care_episodes: self.care_episodes.len(),
            periods_of_care: self.periods.len(),
            placements: self.care.new_placement.iter().filter(|&&b| b).count(),
            issues: self.issues.len(),
        }
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

/// Collects returns and builds a [`Dataset`] (spec section 2).
///
/// Lenient by default: problems become [`Issue`]s. In strict mode the build stops at the first
/// skipped row or duplicated collection year with an [`ErrorKind::DataQuality`] error carrying the
/// same detail; repairs and warnings never stop it.
#[derive(Clone, Debug, Default)]
pub struct DatasetBuilder {
    cin: Vec<(usize, CinReturn)>,
    ssda903: Vec<(usize, Ssda903Return)>,
    issues: Vec<Issue>,
    strict: bool,
    order: usize,
}

/// A return's place in merge order and what the reporter needs of it.
struct Meta {
    kind: ReturnKind,
    year: Option<i32>,
    files: Vec<Arc<str>>,
    file_base: u32,
}

struct Reporter<'a> {
    metas: &'a [Meta],
    issues: Vec<Issue>,
    strict: bool,
    fatal: Option<Error>,
}

impl Reporter<'_> {
    fn location(&self, ret: u32, origin: RowOrigin) -> Option<Location> {
        let meta = self.metas.get(ret as usize)?;
        let file = meta.files.get(origin.file as usize).cloned();
        if file.is_none() && origin.line == 0 {
            return None;
        }
        Some(Location {
            file,
            line: (origin.line > 0).then_some(origin.line),
            ..Location::default()
        })
    }

    fn push(&mut self, issue: Issue) {
        if self.strict && self.fatal.is_none() && is_fatal(issue.code) {
            let mut e = Error::new(
                ErrorKind::DataQuality,
                format!("strict: [{}] {}", issue.code, issue.message),
            );
            if let Some(loc) = &issue.location {
                e = e.at(loc.clone());
            }
            self.fatal = Some(e);
        }
        self.issues.push(issue);
    }
}

fn is_fatal(code: IssueCode) -> bool {
    code.severity() == Severity::Skipped || code == IssueCode::DuplicateCollectionYear
}

impl Reporter<'_> {
    /// Reports an issue about a row of a frozen table.
    fn report_source(&mut self, s: Source, issue: Issue) {
        let base = self.metas.get(s.ret as usize).map_or(0, |m| m.file_base);
        self.report(
            s.ret,
            RowOrigin::new(s.file.wrapping_sub(base), s.line),
            issue,
        );
    }
}

impl Report for Reporter<'_> {
    fn report(&mut self, ret: u32, origin: RowOrigin, issue: Issue) {
        let loc = self.location(ret, origin);
        self.push(issue.at(loc));
    }
}

impl DatasetBuilder {
    /// An empty builder.
    #[must_use]
    pub fn new() -> DatasetBuilder {
        DatasetBuilder::default()
    }

    /// Stops at the first skipped row or duplicated collection year (default: report and go on).
    #[must_use]
    pub fn strict(mut self, strict: bool) -> DatasetBuilder {
        self.strict = strict;
        self
    }

    /// Adds a CIN census return.
    #[must_use]
    pub fn cin(mut self, r: CinReturn) -> DatasetBuilder {
        self.add_cin(r);
        self
    }

    /// Adds an SSDA903 return.
    #[must_use]
    pub fn ssda903(mut self, r: Ssda903Return) -> DatasetBuilder {
        self.add_ssda903(r);
        self
    }

    /// Adds a CIN census return (later calls win over earlier ones for the same collection year).
    pub fn add_cin(&mut self, r: CinReturn) -> &mut DatasetBuilder {
        self.cin.push((self.order, r));
        self.order += 1;
        self
    }

    /// Adds an SSDA903 return.
    pub fn add_ssda903(&mut self, r: Ssda903Return) -> &mut DatasetBuilder {
        self.ssda903.push((self.order, r));
        self.order += 1;
        self
    }

    /// Adds issues found while reading files (the readers' load report), kept in the dataset.
    pub fn add_issues(&mut self, issues: impl IntoIterator<Item = Issue>) -> &mut DatasetBuilder {
        self.issues.extend(issues);
        self
    }

    /// Validates, merges and freezes everything added.
    pub fn build(self) -> Result<Dataset, Error> {
        build(self)
    }
}

fn cin_year(r: &CinReturn) -> Option<i32> {
    r.source
        .collection_year
        .or(r.source.reference_date.map(Day::financial_year))
}

fn ssda903_year(r: &Ssda903Return) -> Option<i32> {
    r.source.collection_year.or_else(|| {
        r.episodes
            .iter()
            .map(|e| e.decom)
            .max()
            .map(Day::financial_year)
    })
}

/// Sorts returns by (year, unknown first; then the caller's order).
fn sort_returns<R>(v: &mut [(usize, R)], year: impl Fn(&R) -> Option<i32>) {
    v.sort_by_key(|(order, r)| (year(r), *order));
}

#[allow(clippy::too_many_lines)] // one pass per rule of spec 2.1, in order
fn build(b: DatasetBuilder) -> Result<Dataset, Error> {
    let DatasetBuilder {
        mut cin,
        mut ssda903,
        issues,
        strict,
        ..
    } = b;
    sort_returns(&mut cin, cin_year);
    sort_returns(&mut ssda903, ssda903_year);

    // Return metadata in merge order: CIN returns first, then SSDA903.
    let mut metas = Vec::new();
    let mut files: Vec<Arc<str>> = Vec::new();
    for (_, r) in &cin {
        metas.push(Meta {
            kind: ReturnKind::Cin,
            year: cin_year(r),
            files: r.source.files.clone(),
            file_base: files.len() as u32,
        });
        files.extend(r.source.files.iter().cloned());
    }
    for (_, r) in &ssda903 {
        metas.push(Meta {
            kind: ReturnKind::Ssda903,
            year: ssda903_year(r),
            files: r.source.files.clone(),
            file_base: files.len() as u32,
        });
        files.extend(r.source.files.iter().cloned());
    }
    let mut rep = Reporter {
        metas: &metas,
        issues,
        strict,
        fatal: None,
    };

    // duplicate_collection_year
    for i in 1..metas.len() {
        let (a, b) = (&metas[i - 1], &metas[i]);
        if a.kind == b.kind && a.year.is_some() && a.year == b.year {
            let y = a.year.unwrap_or_default();
            let which = b
                .files
                .first()
                .map_or_else(|| "a later return".to_owned(), ToString::to_string);
            rep.push(
                Issue::new(
                    IssueCode::DuplicateCollectionYear,
                    format!(
                        "two {} returns for collection year {y}; {which} was given later and wins key by key",
                        a.kind.as_str()
                    ),
                )
                .at(b.files.first().map(|f| Location { file: Some(f.clone()), ..Location::default() })),
            );
        }
    }

    let n_cin = cin.len() as u32;
    let mut cin_children = Vec::new();
    let mut cin_eps = Vec::new();
    let mut assessments = Vec::new();
    let mut s47s = Vec::new();
    let mut plans = Vec::new();
    let mut headers = Vec::new();
    let mut care = Vec::new();
    let mut ad1 = Vec::new();
    let mut placed = Vec::new();
    let mut other = Vec::new();
    let mut appears: Vec<HashSet<CompactString>> = vec![HashSet::new(); metas.len()];

    for (pos, (_, r)) in cin.into_iter().enumerate() {
        let ret = pos as u32;
        let CinReturn {
            children,
            episodes,
            assessments: a,
            section47s: s,
            plans: p,
            ..
        } = r;
        for mut c in children {
            codes::normalise_child(&mut c);
            if usable_child(&c.child, "Child", ret, c.origin, &mut rep) {
                appears[pos].insert(c.child.clone());
                cin_children.push(Tagged { ret, row: c });
            }
        }
        take_rows(episodes, ret, &mut rep, &mut cin_eps, &mut appears[pos]);
        take_rows(a, ret, &mut rep, &mut assessments, &mut appears[pos]);
        take_rows(s, ret, &mut rep, &mut s47s, &mut appears[pos]);
        take_rows(p, ret, &mut rep, &mut plans, &mut appears[pos]);
    }
    for (i, (_, r)) in ssda903.into_iter().enumerate() {
        let pos = n_cin as usize + i;
        let ret = pos as u32;
        let year = metas[pos].year;
        let Ssda903Return {
            headers: h,
            episodes,
            ad1: a,
            placed_adoption: pa,
            other: o,
            ..
        } = r;
        for mut row in h {
            codes::normalise_header(&mut row);
            if usable_child(&row.child, "Header", ret, row.origin, &mut rep) {
                appears[pos].insert(row.child.clone());
                headers.push(Tagged { ret, row });
            }
        }
        let mut eps = Vec::new();
        take_rows(episodes, ret, &mut rep, &mut eps, &mut appears[pos]);
        for t in eps {
            let e = &t.row;
            if let Some(dec) = e.dec {
                if dec < e.decom {
                    let msg = format!("DEC {dec} is before DECOM {}; episode dropped", e.decom);
                    rep.report(
                        ret,
                        e.origin,
                        Issue::new(IssueCode::ReversedInterval, msg)
                            .child(&e.child)
                            .record(Some(e.decom)),
                    );
                    continue;
                }
                if let Some(y) =
                    year.filter(|&y| Day::from_ymd(y, 3, 31).is_ok_and(|end| dec > end))
                {
                    let msg = format!(
                        "DEC {dec} is after 31 March {y}, the end of the return's collection year"
                    );
                    rep.report(
                        ret,
                        e.origin,
                        Issue::new(IssueCode::DateAfterReturnEnd, msg)
                            .child(&e.child)
                            .record(Some(e.decom)),
                    );
                }
            }
            care.push(t);
        }
        take_rows(a, ret, &mut rep, &mut ad1, &mut appears[pos]);
        take_rows(pa, ret, &mut rep, &mut placed, &mut appears[pos]);
        for mut row in o {
            codes::normalise_text(&mut row.child);
            if !row.child.is_empty() {
                appears[pos].insert(row.child.clone());
            }
            other.push((ret, row));
        }
    }
    if let Some(e) = rep.fatal.take() {
        return Err(e);
    }

    // Merge by key, then stitch, each kind against its own returns.
    let years: Vec<Option<i32>> = metas.iter().map(|m| m.year).collect();
    let cin_years = merge::Years {
        year: &years[..n_cin as usize],
        appears: &appears[..n_cin as usize],
    };
    let cin_eps = merge::stitch(merge::merge_keys(cin_eps, &mut rep), &cin_years, &mut rep);
    let assessments = merge::stitch(
        merge::merge_keys(assessments, &mut rep),
        &cin_years,
        &mut rep,
    );
    let s47s = merge::merge_keys(s47s, &mut rep);
    let plans = merge::stitch(merge::merge_keys(plans, &mut rep), &cin_years, &mut rep);
    let ssda_years = Years903 {
        years: &years,
        appears: &appears,
        offset: n_cin as usize,
    };
    let care = ssda_years.stitch(merge::merge_keys(care, &mut rep), &mut rep);
    let ad1 = merge::merge_keys(ad1, &mut rep);
    let placed = merge::merge_keys(placed, &mut rep);
    let cin_children = merge_children(cin_children, &mut rep, fill_cin_child, |c| c.birth_date);
    let headers = merge_children(headers, &mut rep, fill_header, |h| h.dob);
    let other = merge_other(other, &years);

    // Care repairs, per child, in episode order.
    let mut care = merge::sorted_by(care, merge::episode_order);
    for_each_child_mut(
        &mut care,
        |c| &c.row.child,
        |eps| merge::repair_episodes(eps, &mut rep),
    );

    // Children: every identifier in any table, in byte order.
    let mut ids: Vec<CompactString> = appears.iter().flatten().cloned().collect();
    ids.sort_unstable();
    ids.dedup();
    let index: HashMap<&str, u32> = ids
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i as u32))
        .collect();
    let n = ids.len();
    let source = |ret: u32, o: RowOrigin| {
        let meta = &metas[ret as usize];
        let file = if (o.file as usize) < meta.files.len() {
            meta.file_base + o.file
        } else {
            Source::NO_FILE
        };
        Source {
            ret,
            file,
            line: o.line,
        }
    };
    macro_rules! freeze {
        ($rows:expr, $table:ident) => {{
            let rows: Vec<_> = $rows
                .into_iter()
                .map(|t: Tagged<_>| {
                    let (c, s) = (index[t.row.child.as_str()], source(t.ret, t.row.origin));
                    (c, t.row, s)
                })
                .collect();
            $table::from_rows(rows, n)
        }};
    }
    let cin_children = freeze!(cin_children, CinChildren);
    let headers = freeze!(headers, Headers);
    let cin_episodes = freeze!(cin_eps, CinEpisodes);
    let assessments = freeze!(assessments, Assessments);
    let section47s = freeze!(s47s, Section47s);
    let plans = freeze!(plans, CpPlans);
    let ad1 = freeze!(ad1, Ad1s);
    let placed_adoption = freeze!(placed, PlacedAdoptions);

    // Periods of care and placements (2.2), with their data-quality entries.
    let data_start = years[n_cin as usize..]
        .iter()
        .flatten()
        .min()
        .and_then(|y| Day::from_ymd(y - 1, 4, 1).ok());
    let (care_columns, periods) = derive_care(&care, &index, data_start, &headers, &mut rep);
    let care_episodes = freeze!(care, CareEpisodes);
    check_cin(&cin_episodes, &assessments, &plans, &ids, &mut rep);
    check_adoption_rows(&care_episodes, &ad1, &placed_adoption, &ids, &mut rep);
    if let Some(e) = rep.fatal.take() {
        return Err(e);
    }

    let other = other
        .into_iter()
        .map(|(ret, row)| {
            let s = source(ret, row.origin);
            (row, s)
        })
        .collect();
    let returns = metas
        .iter()
        .map(|m| ReturnInfo {
            kind: m.kind,
            collection_year: m.year,
            files: (0..m.files.len() as u32).map(|i| m.file_base + i).collect(),
        })
        .collect();
    Ok(Dataset {
        children: ids,
        files,
        returns,
        cin_children,
        headers,
        cin_episodes,
        assessments,
        section47s,
        plans,
        care_episodes,
        care: care_columns,
        periods,
        ad1,
        placed_adoption,
        other,
        issues: rep.issues,
    })
}

fn usable_child(
    child: &str,
    table: &str,
    ret: u32,
    origin: RowOrigin,
    rep: &mut Reporter<'_>,
) -> bool {
    if child.is_empty() {
        let msg = format!("{table} row without a child identifier; skipped");
        rep.report(ret, origin, Issue::new(IssueCode::MissingIdentifier, msg));
        return false;
    }
    true
}

/// Normalises rows of one table of one return, reports unknown codes and rows without a child, and
/// tags the rest.
fn take_rows<R: MergeRow>(
    rows: Vec<R>,
    ret: u32,
    rep: &mut Reporter<'_>,
    out: &mut Vec<Tagged<R>>,
    appears: &mut HashSet<CompactString>,
) {
    for mut row in rows {
        let mut unknown: Vec<(&'static str, String)> = Vec::new();
        row.normalise(&mut |col, val| unknown.push((col, val.to_owned())));
        if !usable_child(row.child(), R::TABLE, ret, row.origin(), rep) {
            continue;
        }
        for (col, val) in unknown {
            let loc = rep
                .location(ret, row.origin())
                .unwrap_or_default()
                .with_field(col, &val);
            let msg = format!("{col} {val:?} is not in the published code list; kept as it stands");
            rep.push(
                Issue::new(IssueCode::UnknownCode, msg)
                    .child(row.child())
                    .record(row.key())
                    .at(Some(loc)),
            );
        }
        if !appears.contains(row.child()) {
            appears.insert(CompactString::from(row.child()));
        }
        out.push(Tagged { ret, row });
    }
}

/// Stitching of SSDA903 episodes against the SSDA903 returns only.
struct Years903<'a> {
    years: &'a [Option<i32>],
    appears: &'a [HashSet<CompactString>],
    offset: usize,
}

impl Years903<'_> {
    fn stitch(
        &self,
        rows: Vec<Tagged<CareEpisode>>,
        rep: &mut Reporter<'_>,
    ) -> Vec<Tagged<CareEpisode>> {
        // Positions in `rows` are global; the stitcher wants the SSDA903 slice, so shift and back.
        let off = self.offset as u32;
        let shifted: Vec<Tagged<CareEpisode>> = rows
            .into_iter()
            .map(|t| Tagged {
                ret: t.ret - off,
                row: t.row,
            })
            .collect();
        let years = merge::Years {
            year: &self.years[self.offset..],
            appears: &self.appears[self.offset..],
        };
        let mut shift_rep = Shift { inner: rep, off };
        merge::stitch(shifted, &years, &mut shift_rep)
            .into_iter()
            .map(|t| Tagged {
                ret: t.ret + off,
                row: t.row,
            })
            .collect()
    }
}

struct Shift<'a, 'b> {
    inner: &'a mut Reporter<'b>,
    off: u32,
}

impl Report for Shift<'_, '_> {
    fn report(&mut self, ret: u32, origin: RowOrigin, issue: Issue) {
        self.inner.report(ret + self.off, origin, issue);
    }
}

fn fill(dst: &mut CompactString, src: &CompactString) {
    if dst.is_empty() {
        dst.clone_from(src);
    }
}

fn fill_cin_child(dst: &mut CinChild, src: &CinChild) {
    fill(&mut dst.upn, &src.upn);
    dst.birth_date = dst.birth_date.or(src.birth_date);
    dst.expected_birth_date = dst.expected_birth_date.or(src.expected_birth_date);
    dst.death_date = dst.death_date.or(src.death_date);
    fill(&mut dst.sex, &src.sex);
    fill(&mut dst.ethnicity, &src.ethnicity);
    if dst.disabilities.is_empty() {
        dst.disabilities.clone_from(&src.disabilities);
    }
}

fn fill_header(dst: &mut Header, src: &Header) {
    fill(&mut dst.sex, &src.sex);
    dst.dob = dst.dob.or(src.dob);
    fill(&mut dst.ethnic, &src.ethnic);
    fill(&mut dst.upn, &src.upn);
    fill(&mut dst.mother, &src.mother);
    dst.mc_dob = dst.mc_dob.or(src.mc_dob);
}

/// Child-level rows: the latest return's row, blanks filled from the latest earlier non-blank value;
/// a changed date of birth is reported. Within one return, identical rows collapse and differing
/// ones are reported as duplicate keys (the later in the file wins).
fn merge_children<R: ChildRow>(
    mut rows: Vec<Tagged<R>>,
    rep: &mut Reporter<'_>,
    fill_from: fn(&mut R, &R),
    dob: fn(&R) -> Option<Day>,
) -> Vec<Tagged<R>> {
    rows.sort_by(|a, b| {
        (a.row.id(), a.ret, a.row.origin()).cmp(&(b.row.id(), b.ret, b.row.origin()))
    });
    let mut out: Vec<Tagged<R>> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let mut j = i + 1;
        while j < rows.len() && rows[j].row.id() == rows[i].row.id() {
            j += 1;
        }
        // Newest first: the latest row, then fill from older ones.
        let group = &rows[i..j];
        let mut merged = group[j - i - 1].clone();
        let mut dobs: Vec<(u32, Day)> = Vec::new();
        for (k, t) in group.iter().enumerate().rev() {
            if let Some(d) = dob(&t.row) {
                dobs.push((t.ret, d));
            }
            if k + 1 < group.len() {
                let newer = &group[k + 1];
                if newer.ret == t.ret {
                    let code = if t.row.same_content(&newer.row) {
                        IssueCode::DuplicateRow
                    } else {
                        IssueCode::DuplicateKey
                    };
                    let msg = format!(
                        "the child has more than one {} row in one return; the later is used",
                        R::TABLE
                    );
                    rep.report(
                        t.ret,
                        t.row.origin(),
                        Issue::new(code, msg).child(t.row.id()),
                    );
                }
                fill_from(&mut merged.row, &t.row);
            }
        }
        dobs.dedup_by_key(|(_, d)| *d);
        if dobs.len() > 1 {
            let (newest, oldest) = (dobs[0].1, dobs[dobs.len() - 1].1);
            let msg = format!(
                "date of birth differs between returns ({oldest} earlier, {newest} latest); the latest is used"
            );
            rep.report(
                merged.ret,
                merged.row.origin(),
                Issue::new(IssueCode::ChildFieldChanged, msg).child(merged.row.id()),
            );
        }
        out.push(merged);
        i = j;
    }
    out
}

/// What [`merge_children`] needs of a child-level row.
trait ChildRow: Clone + PartialEq {
    const TABLE: &'static str;
    fn id(&self) -> &str;
    fn origin(&self) -> RowOrigin;
    fn same_content(&self, other: &Self) -> bool;
}

impl ChildRow for CinChild {
    const TABLE: &'static str = "Child";
    fn id(&self) -> &str {
        &self.child
    }
    fn origin(&self) -> RowOrigin {
        self.origin
    }
    fn same_content(&self, other: &Self) -> bool {
        CinChild {
            origin: other.origin,
            ..self.clone()
        } == *other
    }
}

impl ChildRow for Header {
    const TABLE: &'static str = "Header";
    fn id(&self) -> &str {
        &self.child
    }
    fn origin(&self) -> RowOrigin {
        self.origin
    }
    fn same_content(&self, other: &Self) -> bool {
        Header {
            origin: other.origin,
            ..self.clone()
        } == *other
    }
}

/// Rows of the other tables: kept, except that a later return of the same collection year
/// replaces an earlier one's rows for the same table and child (loading a return twice changes
/// nothing). Sorted by child, table, return and line.
fn merge_other(mut rows: Vec<(u32, OtherRow)>, years: &[Option<i32>]) -> Vec<(u32, OtherRow)> {
    rows.sort_by(|(ra, a), (rb, b)| {
        (&a.child, &a.table, ra, a.origin).cmp(&(&b.child, &b.table, rb, b.origin))
    });
    let mut latest: HashMap<(CompactString, CompactString, Option<i32>), u32> = HashMap::new();
    for (ret, row) in &rows {
        let k = (row.child.clone(), row.table.clone(), years[*ret as usize]);
        let e = latest.entry(k).or_insert(*ret);
        *e = (*e).max(*ret);
    }
    rows.retain(|(ret, row)| {
        let y = years[*ret as usize];
        y.is_none() || latest[&(row.child.clone(), row.table.clone(), y)] == *ret
    });
    rows
}

fn for_each_child_mut<T>(
    rows: &mut [T],
    child: impl Fn(&T) -> &CompactString,
    mut f: impl FnMut(&mut [T]),
) {
    let mut i = 0;
    while i < rows.len() {
        let mut j = i + 1;
        while j < rows.len() && child(&rows[j]) == child(&rows[i]) {
            j += 1;
        }
        f(&mut rows[i..j]);
        i = j;
    }
}

/// Spec 2.2 for every child: short breaks, periods of care, placements; `history_truncated`,
/// `rne_inconsistent` and `dob_after_care_start` entries.
#[allow(clippy::too_many_lines)] // one child at a time: short breaks, placements, periods, then their issues
fn derive_care(
    care: &[Tagged<CareEpisode>],
    index: &HashMap<&str, u32>,
    data_start: Option<Day>,
    headers: &Headers,
    rep: &mut Reporter<'_>,
) -> (CareColumns, Vec<PeriodOfCare>) {
    let n = care.len();
    let mut cols = CareColumns {
        short_break: Vec::with_capacity(n),
        period: vec![u32::MAX; n],
        new_placement: vec![false; n],
        placement_start: Vec::with_capacity(n),
    };
    let mut periods = Vec::new();
    let mut i = 0;
    let mut kept: Vec<&CareEpisode> = Vec::new();
    let mut kept_rows: Vec<usize> = Vec::new();
    while i < n {
        let child = &care[i].row.child;
        let mut j = i + 1;
        while j < n && care[j].row.child == *child {
            j += 1;
        }
        kept.clear();
        kept_rows.clear();
        for (k, t) in care[i..j].iter().enumerate() {
            let sb = care::is_short_break(&t.row.ls);
            cols.short_break.push(sb);
            cols.placement_start.push(t.row.decom);
            if !sb {
                kept.push(&t.row);
                kept_rows.push(i + k);
            }
        }
        let c = index[child.as_str()];
        let new_pl = care::new_placements(&kept);
        let mut start = Day::MIN;
        for (k, &row) in kept_rows.iter().enumerate() {
            if new_pl[k] {
                start = kept[k].decom;
            }
            cols.new_placement[row] = new_pl[k];
            cols.placement_start[row] = start;
        }
        for p in care::periods_of_care(&kept, data_start) {
            let id = periods.len() as u32;
            for &row in &kept_rows[p.first..=p.last] {
                cols.period[row] = id;
            }
            if p.history_truncated {
                let t = &care[kept_rows[p.first]];
                let msg = format!(
                    "the period of care's first loaded episode starts {} with RNE {} before the earliest loaded SSDA903 year; its true start is unknown",
                    p.start, t.row.rne
                );
                rep.report(
                    t.ret,
                    t.row.origin,
                    Issue::new(IssueCode::HistoryTruncated, msg)
                        .child(child)
                        .record(Some(p.start)),
                );
            }
            periods.push(PeriodOfCare {
                child: c,
                first_episode: kept_rows[p.first] as u32,
                last_episode: kept_rows[p.last] as u32,
                start: p.start,
                end: p.end,
                history_truncated: p.history_truncated,
            });
        }
        for k in care::rne_inconsistent(&kept, data_start) {
            let t = &care[kept_rows[k]];
            let msg = if t.row.rne == "S" {
                "RNE S on an episode that continues a period of care (the previous one has REC X1 and ends on this DECOM)".to_owned()
            } else {
                format!(
                    "RNE {} on the first episode of a period of care that starts within the loaded years; expected S",
                    t.row.rne
                )
            };
            rep.report(
                t.ret,
                t.row.origin,
                Issue::new(IssueCode::RneInconsistent, msg)
                    .child(child)
                    .record(Some(t.row.decom)),
            );
        }
        let h = headers.of_child(c);
        if let Some(dob) = h.clone().next().and_then(|r| headers.dob[r]) {
            if let Some(t) = care[i..j].iter().find(|t| t.row.decom < dob) {
                let msg = format!(
                    "date of birth {dob} is after the care episode starting {}",
                    t.row.decom
                );
                rep.report(
                    t.ret,
                    t.row.origin,
                    Issue::new(IssueCode::DobAfterCareStart, msg)
                        .child(child)
                        .record(Some(t.row.decom)),
                );
            }
        }
        i = j;
    }
    (cols, periods)
}

/// `no_care_episode`: adoption rows (AD1, PlacedAdoption) of a child without any care episode.
fn check_adoption_rows(
    care: &CareEpisodes,
    ad1: &Ad1s,
    placed: &PlacedAdoptions,
    ids: &[CompactString],
    rep: &mut Reporter<'_>,
) {
    for c in 0..ids.len() as u32 {
        if !care.of_child(c).is_empty() {
            continue;
        }
        let rows = ad1
            .of_child(c)
            .map(|i| ("AD1", ad1.date_match[i], ad1.source[i]))
            .chain(
                placed
                    .of_child(c)
                    .map(|i| ("PlacedAdoption", placed.date_placed[i], placed.source[i])),
            );
        for (table, date, s) in rows {
            let msg = format!(
                "{table} row for a child with no care episode in the loaded returns; no adoption measure can use it"
            );
            rep.report_source(
                s,
                Issue::new(IssueCode::NoCareEpisode, msg)
                    .child(&ids[c as usize])
                    .record(date),
            );
        }
    }
}

/// `cpp_overlap` and `open_after_cin_closed` (spec 3).
fn check_cin(
    eps: &CinEpisodes,
    assessments: &Assessments,
    plans: &CpPlans,
    ids: &[CompactString],
    rep: &mut Reporter<'_>,
) {
    let report_at = |rep: &mut Reporter<'_>, s: Source, issue: Issue| rep.report_source(s, issue);
    for c in 0..ids.len() as u32 {
        let child = ids[c as usize].as_str();
        let closure = |referral: Day| {
            eps.of_child(c)
                .find(|&i| eps.referral_date[i] == referral)
                .and_then(|i| eps.closure_date[i])
        };
        let mut latest_end: Option<(Day, Option<Day>)> = None; // (start, end) of the plan reaching furthest
        for i in plans.of_child(c) {
            let (Some(s), e) = (plans.start_date[i], plans.end_date[i]) else {
                continue;
            };
            if let Some((ps, pe)) = latest_end {
                if pe.is_none_or(|pe| s <= pe) {
                    let msg = format!(
                        "CP plan starting {s} starts while the plan starting {ps} is open (ends {})",
                        merge::show(pe)
                    );
                    report_at(
                        rep,
                        plans.source[i],
                        Issue::new(IssueCode::CppOverlap, msg)
                            .child(child)
                            .record(Some(s)),
                    );
                }
            }
            if latest_end
                .is_none_or(|(_, pe)| pe.is_some() && e.is_none_or(|e| pe.is_some_and(|pe| e > pe)))
            {
                latest_end = Some((s, e));
            }
            if let Some(cl) = closure(plans.episode_referral_date[i]) {
                if e.is_none_or(|e| e > cl) {
                    let msg = format!(
                        "CP plan open after its CIN episode closed on {cl} (plan ends {})",
                        merge::show(e)
                    );
                    report_at(
                        rep,
                        plans.source[i],
                        Issue::new(IssueCode::OpenAfterCinClosed, msg)
                            .child(child)
                            .record(Some(s)),
                    );
                }
            }
        }
        for i in assessments.of_child(c) {
            let e = assessments.authorisation_date[i];
            if let Some(cl) = closure(assessments.episode_referral_date[i]) {
                if e.is_none_or(|e| e > cl) {
                    let msg = format!(
                        "assessment open after its CIN episode closed on {cl} (authorised {})",
                        merge::show(e)
                    );
                    report_at(
                        rep,
                        assessments.source[i],
                        Issue::new(IssueCode::OpenAfterCinClosed, msg)
                            .child(child)
                            .record(assessments.start_date[i]),
                    );
                }
            }
        }
    }
}
