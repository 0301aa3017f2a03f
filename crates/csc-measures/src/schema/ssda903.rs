//! The tables of the SSDA903 return (spec 2, 2.3): one folder of CSV tables per collection year,
//! each recognised by its header row, or the XML form `EXPSSDA903`:
//!
//! ```text
//! EXPSSDA903
//!   CHILD*
//!     HEADER            Header (CHILDID is CHILD); AD1, UASC and OC3 as fields of their own
//!       AREVIEW*        Reviews
//!       AMISSING*       Missing
//!       OC2             OC2
//!       PERMANENCE      PrevPerm
//!       AD_PLACED*      PlacedAdoption
//!     EPISODE*          Episodes (PL is PLACE)
//! ```
//!
//! In the XML form every row takes `CHILD` (and `DOB`, and `SEX` for UASC) from its `HEADER`, unless
//! its element has its own. SWEpisodes (collected from 2023-24) has no XML form.

use compact_str::CompactString;

use super::{
    FlagSyntax, IfBlank, Merge, Stitch, TableSchema, child, child_date, code, code_not_blank, date,
    family, flag, postcode, record, required_date, score, text,
};
use crate::codes as list;
use crate::day::Day;
use crate::records::ReturnKind::Ssda903;

record! {
    /// An SSDA903 Header row: one per child.
    pub struct Header in Headers = TableSchema::new(Ssda903, "Header", "headers")
        .merge(Merge::ChildLevel)
        .appears()
        .csv("header.csv")
        .xml_element("HEADER", "CHILD");
    /// `CHILD`.
    child = child("CHILD").xml("CHILDID");
    /// `SEX`.
    sex: CompactString = code("SEX", &[]);
    /// `DOB`.
    dob: Option<Day> = child_date("DOB");
    /// `ETHNIC`.
    ethnic: CompactString = code("ETHNIC", &[]);
    /// `UPN`.
    upn: CompactString = text("UPN");
    /// `MOTHER`.
    mother: CompactString = text("MOTHER");
    /// `MC_DOB`.
    mc_dob: Option<Day> = child_date("MC_DOB");
}

record! {
    /// An SSDA903 Episodes row: one care episode.
    pub struct CareEpisode in CareEpisodes = TableSchema::new(Ssda903, "Episodes", "episodes")
        .noun("care episode")
        .key("decom")
        .stitch(Stitch::DropOrClose, "dec")
        .blank_on_close("rec")
        .appears()
        .covers()
        .csv("episodes.csv")
        .xml_element("EPISODE", "CHILD");
    /// `CHILD`.
    child = child("CHILD").xml("");
    /// `DECOM`: the episode's start (required).
    decom: Day = required_date("DECOM", IfBlank::MissingIdentifier);
    /// `RNE`: reason for the new episode.
    rne: CompactString = code("RNE", list::RNE);
    /// `LS`: legal status.
    ls: CompactString = code("LS", list::LS);
    /// `CIN`: category of need.
    cin: CompactString = code("CIN", list::CIN);
    /// `PLACE`: placement type (`PL` in the XML form).
    place: CompactString = code("PLACE", list::PLACE).xml("PL");
    /// `PLACE_PROVIDER`.
    place_provider: CompactString = code("PLACE_PROVIDER", list::PLACE_PROVIDER);
    /// `DEC`: the episode's end.
    dec: Option<Day> = date("DEC");
    /// `REC`: reason the episode ceased.
    rec: CompactString = code("REC", list::REC);
    /// `REASON_PLACE_CHANGE`.
    reason_place_change: CompactString = code("REASON_PLACE_CHANGE", list::REASON_PLACE_CHANGE);
    /// `HOME_POST`.
    home_post: CompactString = text("HOME_POST");
    /// `PL_POST`.
    pl_post: CompactString = postcode("PL_POST");
    /// `URN`.
    urn: CompactString = code("URN", &[]);
}

record! {
    /// An SSDA903 AD1 row (adoption decision and match).
    pub struct Ad1 in Ad1s = TableSchema::new(Ssda903, "AD1", "ad1")
        .key("date_match")
        .csv("ad1.csv")
        .xml_flat("HEADER");
    /// `CHILD`.
    child = child("CHILD").xml("");
    /// `DOB`.
    dob: Option<Day> = child_date("DOB");
    /// `DATE_INT`: decision that the child should be placed for adoption.
    date_int: Option<Day> = date("DATE_INT");
    /// `DATE_MATCH`: matched with prospective adopters (the key; may be blank).
    date_match: Option<Day> = date("DATE_MATCH");
    /// `FOSTER_CARE`.
    foster_care: CompactString = code("FOSTER_CARE", &[]);
    /// `NB_ADOPTR`.
    nb_adoptr: CompactString = code("NB_ADOPTR", &[]);
    /// `SEX_ADOPTR`.
    sex_adoptr: CompactString = code("SEX_ADOPTR", &[]);
    /// `LS_ADOPTR`.
    ls_adoptr: CompactString = code("LS_ADOPTR", &[]);
}

record! {
    /// An SSDA903 PlacedAdoption row.
    pub struct PlacedAdoption in PlacedAdoptions =
        TableSchema::new(Ssda903, "PlacedAdoption", "placed_adoption")
        .key("date_placed")
        .aliases(&["PlacedForAdoption", "AD_PLACED"])
        .csv("placed_for_adoption.csv")
        .xml_element("AD_PLACED", "HEADER");
    /// `CHILD`.
    child = child("CHILD").xml("");
    /// `DOB`.
    dob: Option<Day> = child_date("DOB");
    /// `DATE_PLACED`: decision that the child should be placed (the key; may be blank).
    date_placed: Option<Day> = date("DATE_PLACED");
    /// `DATE_PLACED_CEASED`.
    date_placed_ceased: Option<Day> = date("DATE_PLACED_CEASED");
    /// `REASON_PLACED_CEASED`.
    reason_placed_ceased: CompactString = code("REASON_PLACED_CEASED", &[]);
}

record! {
    /// An SSDA903 Reviews row: one looked-after review (spec 2.3).
    pub struct Review in Reviews = TableSchema::new(Ssda903, "Reviews", "reviews")
        .noun("review")
        .key("review")
        .csv("reviews.csv")
        .xml_element("AREVIEW", "HEADER");
    /// `CHILD`.
    child = child("CHILD").xml("");
    /// `DOB`.
    dob: Option<Day> = child_date("DOB");
    /// `REVIEW`: the review's date (required: `missing_key_date`).
    review: Day = required_date("REVIEW", IfBlank::MissingKeyDate);
    /// `REVIEW_CODE`: how the child took part.
    review_code: CompactString = code("REVIEW_CODE", &[]);
}

record! {
    /// An SSDA903 UASC row: the child was an unaccompanied asylum-seeking child (spec 2.3); it
    /// belongs to its return.
    pub struct Uasc in Uascs = TableSchema::new(Ssda903, "UASC", "uasc")
        .merge(Merge::PerReturn)
        .csv("uasc.csv")
        .xml_flat("HEADER");
    /// `CHILD`.
    child = child("CHILD").xml("");
    /// `SEX`.
    sex: CompactString = code("SEX", &[]);
    /// `DOB`.
    dob: Option<Day> = child_date("DOB");
    /// `DUC`: the date the child ceased to be UASC.
    duc: Option<Day> = date("DUC");
}

record! {
    /// An SSDA903 OC2 row: outcomes of a child looked after for 12 months (spec 2.3); it belongs to
    /// its return.
    pub struct Oc2 in Oc2s = TableSchema::new(Ssda903, "OC2", "oc2")
        .merge(Merge::PerReturn)
        .exists_when(&[
            "sdq_score", "sdq_reason", "convicted", "health_check", "immunisations", "teeth_check",
            "health_assessment", "substance_misuse", "intervention_received",
            "intervention_offered",
        ])
        .csv("oc2.csv")
        .xml_element("OC2", "HEADER");
    /// `CHILD`.
    child = child("CHILD").xml("");
    /// `DOB`.
    dob: Option<Day> = child_date("DOB");
    /// `SDQ_SCORE`: 0 to 40.
    sdq_score: Option<u32> = score("SDQ_SCORE", 40);
    /// `SDQ_REASON`.
    sdq_reason: CompactString = code("SDQ_REASON", &[]);
    /// `CONVICTED`.
    convicted: Option<bool> = flag("CONVICTED", FlagSyntax::ZeroOne);
    /// `HEALTH_CHECK`.
    health_check: Option<bool> = flag("HEALTH_CHECK", FlagSyntax::ZeroOne);
    /// `IMMUNISATIONS`.
    immunisations: Option<bool> = flag("IMMUNISATIONS", FlagSyntax::ZeroOne);
    /// `TEETH_CHECK`.
    teeth_check: Option<bool> = flag("TEETH_CHECK", FlagSyntax::ZeroOne);
    /// `HEALTH_ASSESSMENT`.
    health_assessment: Option<bool> = flag("HEALTH_ASSESSMENT", FlagSyntax::ZeroOne);
    /// `SUBSTANCE_MISUSE`.
    substance_misuse: Option<bool> = flag("SUBSTANCE_MISUSE", FlagSyntax::ZeroOne);
    /// `INTERVENTION_RECEIVED`.
    intervention_received: Option<bool> = flag("INTERVENTION_RECEIVED", FlagSyntax::ZeroOne);
    /// `INTERVENTION_OFFERED`.
    intervention_offered: Option<bool> = flag("INTERVENTION_OFFERED", FlagSyntax::ZeroOne);
}

record! {
    /// An SSDA903 OC3 row: a care leaver's activity and accommodation (spec 2.3); it belongs to its
    /// return.
    pub struct Oc3 in Oc3s = TableSchema::new(Ssda903, "OC3", "oc3")
        .merge(Merge::PerReturn)
        .exists_when(&["in_touch", "activ", "accom"])
        .csv("oc3.csv")
        .xml_flat("HEADER");
    /// `CHILD`.
    child = child("CHILD").xml("");
    /// `DOB`.
    dob: Option<Day> = child_date("DOB");
    /// `IN_TOUCH`.
    in_touch: CompactString = code("IN_TOUCH", &[]);
    /// `ACTIV`.
    activ: CompactString = code("ACTIV", &[]);
    /// `ACCOM`.
    accom: CompactString = code("ACCOM", &[]);
}

record! {
    /// An SSDA903 PrevPerm row: permanence before care (spec 2.3); no measure reads it.
    pub struct PrevPerm in PrevPerms = TableSchema::new(Ssda903, "PrevPerm", "prev_perm")
        .aliases(&["PreviousPermanence", "PERMANENCE"])
        .csv("previous_permanence.csv")
        .xml_element("PERMANENCE", "HEADER");
    /// `CHILD`.
    child = child("CHILD").xml("");
    /// `DOB`.
    dob: Option<Day> = child_date("DOB");
    /// `PREV_PERM`.
    prev_perm: CompactString = code("PREV_PERM", &[]);
    /// `LA_PERM`.
    la_perm: CompactString = code("LA_PERM", &[]);
    /// `DATE_PERM`: a child-level date (spec 2.3).
    date_perm: Option<Day> = child_date("DATE_PERM");
}

record! {
    /// An SSDA903 Missing row: a missing or away-from-placement incident (spec 2.3).
    pub struct Missing in Missings = TableSchema::new(Ssda903, "Missing", "missing")
        .noun("missing incident")
        .key("mis_start")
        .stitch(Stitch::DropOrCloseLastDay, "mis_end")
        .csv("missing.csv")
        .xml_element("AMISSING", "HEADER");
    /// `CHILD`.
    child = child("CHILD").xml("");
    /// `DOB`.
    dob: Option<Day> = child_date("DOB");
    /// `MISSING`: M (missing) or A (away from placement without authorisation).
    missing: CompactString = code_not_blank("MISSING", &["M", "A"]);
    /// `MIS_START` (required: `missing_key_date`).
    mis_start: Day = required_date("MIS_START", IfBlank::MissingKeyDate);
    /// `MIS_END`.
    mis_end: Option<Day> = date("MIS_END");
}

record! {
    /// An SSDA903 SWEpisodes row: a social worker's episode with the child (spec 2.3; collected
    /// from 2023-24, CSV only).
    pub struct SwEpisode in SwEpisodes = TableSchema::new(Ssda903, "SWEpisodes", "sw_episodes")
        .noun("social worker episode")
        .key("sw_decom")
        .stitch(Stitch::DropOrClose, "sw_dec")
        .aliases(&["SocialWorkerEpisodes"])
        .csv("sw_episodes.csv");
    /// `CHILD`.
    child = child("CHILD");
    /// `DOB`.
    dob: Option<Day> = child_date("DOB");
    /// `SW_ID`: the social worker's identifier.
    sw_id: CompactString = code("SW_ID", &[]);
    /// `SW_DECOM` (required: `missing_key_date`).
    sw_decom: Day = required_date("SW_DECOM", IfBlank::MissingKeyDate);
    /// `SW_DEC`.
    sw_dec: Option<Day> = date("SW_DEC");
    /// `SW_REASON`.
    sw_reason: CompactString = code("SW_REASON", &[]);
}

family! {
    /// One SSDA903 return: the tables of one collection year.
    Ssda903: Ssda903Return, Ssda903Tables {
        /// Header rows.
        headers: Header,
        /// Episodes rows.
        episodes: CareEpisode,
        /// AD1 rows.
        ad1: Ad1,
        /// PlacedAdoption rows.
        placed_adoption: PlacedAdoption,
        /// Reviews rows.
        reviews: Review,
        /// UASC rows.
        uasc: Uasc,
        /// OC2 rows.
        oc2: Oc2,
        /// OC3 rows.
        oc3: Oc3,
        /// PrevPerm rows.
        prev_perm: PrevPerm,
        /// Missing rows.
        missing: Missing,
        /// SWEpisodes rows.
        sw_episodes: SwEpisode,
    }
}
