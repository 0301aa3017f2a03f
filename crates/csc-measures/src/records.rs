//! The case records of the CIN census and the SSDA903 return (spec section 2), as the builder takes
//! them: one owned row per record, with field names that follow the returns' own.
//!
//! Rows are plain data. [`crate::DatasetBuilder`] normalises, validates and merges them into a
//! [`crate::Dataset`]; nothing here enforces a rule. Identifiers and codes are [`CompactString`]s,
//! which keep strings of up to 24 bytes inline (every real code and child id) without allocating.

use compact_str::CompactString;

use crate::day::Day;

/// Where a row came from: the index of its file in the return's [`ReturnSource::files`] and the
/// 1-based line (0 when unknown, as for rows built in code).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct RowOrigin {
    /// Index into the return's file list.
    pub file: u32,
    /// 1-based line, 0 when unknown.
    pub line: u32,
}

impl RowOrigin {
    /// A row at `line` of the return's file `file`.
    #[must_use]
    pub const fn new(file: u32, line: u32) -> RowOrigin {
        RowOrigin { file, line }
    }
}

/// A child of the CIN census (`Child` with its `ChildIdentifiers` and `ChildCharacteristics`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct CinChild {
    /// `LAchildID`.
    pub child: CompactString,
    /// `UPN`.
    pub upn: CompactString,
    /// `PersonBirthDate`.
    pub birth_date: Option<Day>,
    /// `ExpectedPersonBirthDate` (unborn children).
    pub expected_birth_date: Option<Day>,
    /// `PersonDeathDate`.
    pub death_date: Option<Day>,
    /// `GenderCurrent` or `Sex`.
    pub sex: CompactString,
    /// `Ethnicity`.
    pub ethnicity: CompactString,
    /// `Disability` codes.
    pub disabilities: Vec<CompactString>,
    /// Where the row came from.
    pub origin: RowOrigin,
}

/// A CIN episode (`CINdetails`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct CinEpisode {
    /// `LAchildID`.
    pub child: CompactString,
    /// `CINreferralDate` (required: a row without one is unusable).
    pub referral_date: Day,
    /// `ReferralSource`.
    pub referral_source: CompactString,
    /// `PrimaryNeedCode`.
    pub primary_need: CompactString,
    /// `CINclosureDate`.
    pub closure_date: Option<Day>,
    /// `ReasonForClosure`.
    pub reason_for_closure: CompactString,
    /// `ReferralNFA`: `Some(true)` for true/1, `Some(false)` for false/0, `None` when unknown.
    pub referral_nfa: Option<bool>,
    /// `DateOfInitialCPC` on the episode (a transfer-in conference).
    pub initial_cpc_date: Option<Day>,
    /// Where the row came from.
    pub origin: RowOrigin,
}

/// An assessment, nested in a CIN episode.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct Assessment {
    /// `LAchildID`.
    pub child: CompactString,
    /// The `CINreferralDate` of the CIN episode it came in.
    pub episode_referral_date: Day,
    /// `AssessmentActualStartDate` (the key; may be blank).
    pub start_date: Option<Day>,
    /// `AssessmentInternalReviewDate`.
    pub internal_review_date: Option<Day>,
    /// `AssessmentAuthorisationDate`.
    pub authorisation_date: Option<Day>,
    /// `AssessmentFactors` codes.
    pub factors: Vec<CompactString>,
    /// Where the row came from.
    pub origin: RowOrigin,
}

/// A section 47 enquiry, nested in a CIN episode.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct Section47 {
    /// `LAchildID`.
    pub child: CompactString,
    /// The `CINreferralDate` of the CIN episode it came in.
    pub episode_referral_date: Day,
    /// `S47ActualStartDate` (the key; may be blank).
    pub start_date: Option<Day>,
    /// `InitialCPCtarget`.
    pub icpc_target_date: Option<Day>,
    /// `DateOfInitialCPC`.
    pub icpc_date: Option<Day>,
    /// `ICPCnotRequired`: `None` when absent or unreadable.
    pub icpc_not_required: Option<bool>,
    /// Where the row came from.
    pub origin: RowOrigin,
}

/// A child protection plan, nested in a CIN episode.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct CpPlan {
    /// `LAchildID`.
    pub child: CompactString,
    /// The `CINreferralDate` of the CIN episode it came in.
    pub episode_referral_date: Day,
    /// `CPPstartDate` (the key; may be blank).
    pub start_date: Option<Day>,
    /// `CPPendDate`.
    pub end_date: Option<Day>,
    /// `InitialCategoryOfAbuse`.
    pub initial_category: CompactString,
    /// `LatestCategoryOfAbuse`.
    pub latest_category: CompactString,
    /// `NumberOfPreviousCPP`: `None` when blank or unreadable.
    pub previous_plans: Option<u32>,
    /// `CPPreviewDate`s.
    pub review_dates: Vec<Day>,
    /// Where the row came from.
    pub origin: RowOrigin,
}

/// An SSDA903 Header row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct Header {
    /// `CHILD`.
    pub child: CompactString,
    /// `SEX`.
    pub sex: CompactString,
    /// `DOB`.
    pub dob: Option<Day>,
    /// `ETHNIC`.
    pub ethnic: CompactString,
    /// `UPN`.
    pub upn: CompactString,
    /// `MOTHER`.
    pub mother: CompactString,
    /// `MC_DOB`.
    pub mc_dob: Option<Day>,
    /// Where the row came from.
    pub origin: RowOrigin,
}

/// An SSDA903 Episodes row: one care episode.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct CareEpisode {
    /// `CHILD`.
    pub child: CompactString,
    /// `DECOM`: the episode's start (required).
    pub decom: Day,
    /// `RNE`: reason for the new episode.
    pub rne: CompactString,
    /// `LS`: legal status.
    pub ls: CompactString,
    /// `CIN`: category of need.
    pub cin: CompactString,
    /// `PLACE`: placement type.
    pub place: CompactString,
    /// `PLACE_PROVIDER`.
    pub place_provider: CompactString,
    /// `DEC`: the episode's end.
    pub dec: Option<Day>,
    /// `REC`: reason the episode ceased.
    pub rec: CompactString,
    /// `REASON_PLACE_CHANGE`.
    pub reason_place_change: CompactString,
    /// `HOME_POST`.
    pub home_post: CompactString,
    /// `PL_POST`.
    pub pl_post: CompactString,
    /// `URN`.
    pub urn: CompactString,
    /// Where the row came from.
    pub origin: RowOrigin,
}

/// An SSDA903 AD1 row (adoption decision and match).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct Ad1 {
    /// `CHILD`.
    pub child: CompactString,
    /// `DOB`.
    pub dob: Option<Day>,
    /// `DATE_INT`: decision that the child should be placed for adoption.
    pub date_int: Option<Day>,
    /// `DATE_MATCH`: matched with prospective adopters (the key; may be blank).
    pub date_match: Option<Day>,
    /// `FOSTER_CARE`.
    pub foster_care: CompactString,
    /// `NB_ADOPTR`.
    pub nb_adoptr: CompactString,
    /// `SEX_ADOPTR`.
    pub sex_adoptr: CompactString,
    /// `LS_ADOPTR`.
    pub ls_adoptr: CompactString,
    /// Where the row came from.
    pub origin: RowOrigin,
}

/// An SSDA903 PlacedAdoption row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct PlacedAdoption {
    /// `CHILD`.
    pub child: CompactString,
    /// `DOB`.
    pub dob: Option<Day>,
    /// `DATE_PLACED`: decision that the child should be placed (the key; may be blank).
    pub date_placed: Option<Day>,
    /// `DATE_PLACED_CEASED`.
    pub date_placed_ceased: Option<Day>,
    /// `REASON_PLACED_CEASED`.
    pub reason_placed_ceased: CompactString,
    /// Where the row came from.
    pub origin: RowOrigin,
}

/// A row of another SSDA903 table (Reviews, Missing, OC2, OC3, UASC, PrevPerm, SWEpisodes), kept as
/// it stood: later measures read them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct OtherRow {
    /// The table's name (`Reviews`, `Missing`, ...).
    pub table: CompactString,
    /// `CHILD`, when the table has one.
    pub child: CompactString,
    /// Every column's name and value, in file order.
    pub fields: Vec<(CompactString, String)>,
    /// Where the row came from.
    pub origin: RowOrigin,
}

/// Which statutory return a set of rows came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReturnKind {
    /// The children in need census.
    Cin,
    /// The SSDA903 children looked after return.
    Ssda903,
}

impl ReturnKind {
    /// `cin` or `ssda903`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ReturnKind::Cin => "cin",
            ReturnKind::Ssda903 => "ssda903",
        }
    }
}

/// What is known about a return as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct ReturnSource {
    /// The files the rows came from, indexed by [`RowOrigin::file`]; empty for rows built in code.
    pub files: Vec<std::sync::Arc<str>>,
    /// The collection year the caller gave (financial year ending 31 March of this year).
    pub collection_year: Option<i32>,
    /// The CIN census `ReferenceDate`, when the file has one.
    pub reference_date: Option<Day>,
}

/// One CIN census return: the rows of one file, or built in code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct CinReturn {
    /// Files and collection year.
    pub source: ReturnSource,
    /// `Child` rows.
    pub children: Vec<CinChild>,
    /// `CINdetails` rows.
    pub episodes: Vec<CinEpisode>,
    /// `Assessments` rows.
    pub assessments: Vec<Assessment>,
    /// `Section47` rows.
    pub section47s: Vec<Section47>,
    /// `ChildProtectionPlans` rows.
    pub plans: Vec<CpPlan>,
}

/// One SSDA903 return: the tables of one collection year.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(default)
)]
pub struct Ssda903Return {
    /// Files and collection year.
    pub source: ReturnSource,
    /// Header rows.
    pub headers: Vec<Header>,
    /// Episodes rows.
    pub episodes: Vec<CareEpisode>,
    /// AD1 rows.
    pub ad1: Vec<Ad1>,
    /// PlacedAdoption rows.
    pub placed_adoption: Vec<PlacedAdoption>,
    /// Rows of the other tables, kept as they are.
    pub other: Vec<OtherRow>,
}
