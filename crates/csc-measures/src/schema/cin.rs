//! The tables of the CIN census (spec 2, 2.4): one XML file per collection year, the records nested
//! in `Message/Children/Child`.
//!
//! ```text
//! Child                         CinChild (ChildIdentifiers, ChildCharacteristics)
//!   CINdetails*                 CinEpisode
//!     CINPlanDates*             CinPlan
//!     Assessments*              Assessment (FactorsIdentifiedAtAssessment/AssessmentFactors)
//!     Section47*                Section47
//!     ChildProtectionPlans*     CpPlan (Reviews/CPPreviewDate)
//! ```
//!
//! Nested records remember the CIN episode they came in by its `CINreferralDate`
//! (`episode_referral_date`); in tables (frames, C rows) that is a `CINreferralDate` column.

use compact_str::CompactString;

use super::{
    FlagSyntax, IfBlank, Merge, Stitch, TableSchema, child, child_date, code, codes, count, date,
    dates, family, flag, parent_key, record, required_date, text,
};
use crate::codes as list;
use crate::day::Day;
use crate::records::ReturnKind::Cin;

record! {
    /// A child of the CIN census (`Child` with its `ChildIdentifiers` and `ChildCharacteristics`).
    pub struct CinChild in CinChildren = TableSchema::new(Cin, "Child", "children")
        .noun("Child")
        .merge(Merge::ChildLevel)
        .appears()
        .covers()
        .aliases(&["ChildIdentifiers", "Children"])
        .xml_element("Child", "Children");
    /// `LAchildID`.
    child = child("LAchildID").xml("ChildIdentifiers/LAchildID");
    /// `UPN`.
    upn: CompactString = text("UPN").xml("ChildIdentifiers/UPN");
    /// `PersonBirthDate`.
    birth_date: Option<Day> = child_date("PersonBirthDate").xml("ChildIdentifiers/PersonBirthDate");
    /// `ExpectedPersonBirthDate` (unborn children).
    expected_birth_date: Option<Day> =
        child_date("ExpectedPersonBirthDate").xml("ChildIdentifiers/ExpectedPersonBirthDate");
    /// `Sex` (`GenderCurrent` before 2023-24).
    sex: CompactString = code("Sex", &[]).also(&["GenderCurrent"]).xml("ChildIdentifiers/Sex");
    /// `PersonDeathDate`.
    death_date: Option<Day> = child_date("PersonDeathDate").xml("ChildIdentifiers/PersonDeathDate");
    /// `Ethnicity`.
    ethnicity: CompactString = code("Ethnicity", &[]).xml("ChildCharacteristics/Ethnicity");
    /// `Disability` codes.
    disabilities: Vec<CompactString> =
        codes("Disability", &[]).xml("ChildCharacteristics/Disabilities/Disability");
}

record! {
    /// A CIN episode (`CINdetails`).
    pub struct CinEpisode in CinEpisodes = TableSchema::new(Cin, "CINdetails", "episodes")
        .noun("CIN episode")
        .key("referral_date")
        .stitch(Stitch::DropOrClose, "closure_date")
        .appears()
        .covers()
        .aliases(&["CinEpisodes"])
        .xml_element("CINdetails", "Child")
        .xml_order(&[
            "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
            "ReasonForClosure", "DateOfInitialCPC", "Assessments", "CINPlanDates", "Section47",
            "ReferralNFA", "ChildProtectionPlans",
        ]);
    /// `LAchildID`.
    child = child("LAchildID").xml("");
    /// `CINreferralDate` (required: a row without one is unusable).
    referral_date: Day = required_date("CINreferralDate", IfBlank::MissingIdentifier);
    /// `ReferralSource`.
    referral_source: CompactString = code("ReferralSource", &[]);
    /// `PrimaryNeedCode`.
    primary_need: CompactString = code("PrimaryNeedCode", list::PRIMARY_NEED);
    /// `CINclosureDate`.
    closure_date: Option<Day> = date("CINclosureDate");
    /// `ReasonForClosure`.
    reason_for_closure: CompactString = code("ReasonForClosure", list::REASON_FOR_CLOSURE);
    /// `DateOfInitialCPC` on the episode (a transfer-in conference).
    initial_cpc_date: Option<Day> = date("DateOfInitialCPC");
    /// `ReferralNFA`: `Some(true)` for true/1, `Some(false)` for false/0, `None` when unknown.
    referral_nfa: Option<bool> = flag("ReferralNFA", FlagSyntax::TrueFalse);
}

record! {
    /// An assessment, nested in a CIN episode.
    pub struct Assessment in Assessments = TableSchema::new(Cin, "Assessments", "assessments")
        .noun("assessment")
        .key("start_date")
        .stitch(Stitch::Drop, "authorisation_date")
        .appears()
        .covers()
        .aliases(&["Assessment"])
        .xml_element("Assessments", "CINdetails");
    /// `LAchildID`.
    child = child("LAchildID").xml("");
    /// The `CINreferralDate` of the CIN episode it came in.
    episode_referral_date: Day = parent_key();
    /// `AssessmentActualStartDate` (the key; may be blank).
    start_date: Option<Day> = date("AssessmentActualStartDate");
    /// `AssessmentInternalReviewDate`.
    internal_review_date: Option<Day> = date("AssessmentInternalReviewDate");
    /// `AssessmentAuthorisationDate`.
    authorisation_date: Option<Day> = date("AssessmentAuthorisationDate");
    /// `AssessmentFactors` codes (spec 2.4's list).
    factors: Vec<CompactString> = codes("AssessmentFactors", list::ASSESSMENT_FACTORS)
        .xml("FactorsIdentifiedAtAssessment/AssessmentFactors");
}

record! {
    /// A section 47 enquiry, nested in a CIN episode.
    pub struct Section47 in Section47s = TableSchema::new(Cin, "Section47", "section47s")
        .noun("section 47 enquiry")
        .key("start_date")
        .appears()
        .covers()
        .aliases(&["Section47s"])
        .xml_element("Section47", "CINdetails");
    /// `LAchildID`.
    child = child("LAchildID").xml("");
    /// The `CINreferralDate` of the CIN episode it came in.
    episode_referral_date: Day = parent_key();
    /// `S47ActualStartDate` (the key; may be blank).
    start_date: Option<Day> = date("S47ActualStartDate");
    /// `InitialCPCtarget`.
    icpc_target_date: Option<Day> = date("InitialCPCtarget");
    /// `DateOfInitialCPC`.
    icpc_date: Option<Day> = date("DateOfInitialCPC");
    /// `ICPCnotRequired`: `None` when absent or unreadable.
    icpc_not_required: Option<bool> = flag("ICPCnotRequired", FlagSyntax::TrueFalse);
}

record! {
    /// A child protection plan, nested in a CIN episode.
    pub struct CpPlan in CpPlans = TableSchema::new(Cin, "ChildProtectionPlans", "plans")
        .noun("CP plan")
        .key("start_date")
        .stitch(Stitch::DropOrClose, "end_date")
        .appears()
        .covers()
        .aliases(&["CPPlans", "Plans"])
        .xml_element("ChildProtectionPlans", "CINdetails");
    /// `LAchildID`.
    child = child("LAchildID").xml("");
    /// The `CINreferralDate` of the CIN episode it came in.
    episode_referral_date: Day = parent_key();
    /// `CPPstartDate` (the key; may be blank).
    start_date: Option<Day> = date("CPPstartDate");
    /// `CPPendDate`.
    end_date: Option<Day> = date("CPPendDate");
    /// `InitialCategoryOfAbuse`.
    initial_category: CompactString = code("InitialCategoryOfAbuse", list::CATEGORY_OF_ABUSE);
    /// `LatestCategoryOfAbuse`.
    latest_category: CompactString = code("LatestCategoryOfAbuse", list::CATEGORY_OF_ABUSE);
    /// `NumberOfPreviousCPP`: `None` when blank or unreadable.
    previous_plans: Option<u32> = count("NumberOfPreviousCPP");
    /// `CPPreviewDate`s (spec 2.4).
    review_dates: Vec<Day> = dates("CPPreviewDate").xml("Reviews/CPPreviewDate");
}

record! {
    /// A CIN plan (`CINPlanDates`), nested in a CIN episode (spec 2.4).
    pub struct CinPlan in CinPlans = TableSchema::new(Cin, "CINPlanDates", "cin_plans")
        .noun("CIN plan")
        .key("start_date")
        .stitch(Stitch::DropOrClose, "end_date")
        .appears()
        .covers()
        .aliases(&["CINPlans"])
        .xml_element("CINPlanDates", "CINdetails");
    /// `LAchildID`.
    child = child("LAchildID").xml("");
    /// The `CINreferralDate` of the CIN episode it came in.
    episode_referral_date: Day = parent_key();
    /// `CINPlanStartDate` (the key; may be blank: such a plan is never open).
    start_date: Option<Day> = date("CINPlanStartDate");
    /// `CINPlanEndDate`.
    end_date: Option<Day> = date("CINPlanEndDate");
}

family! {
    /// One CIN census return: the rows of one file, or built in code.
    Cin: CinReturn, CinTables {
        /// `Child` rows.
        children: CinChild,
        /// `CINdetails` rows.
        episodes: CinEpisode,
        /// `CINPlanDates` rows.
        cin_plans: CinPlan,
        /// `Assessments` rows.
        assessments: Assessment,
        /// `Section47` rows.
        section47s: Section47,
        /// `ChildProtectionPlans` rows.
        plans: CpPlan,
    }
}
