//! `csc_builder`: records added one by one from C structs, return by return, then built into a
//! frozen `csc_dataset` by the same merge rules as files.
//!
//! Every record struct follows one rule: a string field that is NULL is blank, and an optional
//! date, flag or count is present only when its `has_` field is true. So a struct initialised with
//! `{0}` is a record with every optional field blank; set the fields you have.

use std::ffi::c_char;

use compact_str::CompactString;
use csc_measures::records::{
    Ad1, Assessment, CareEpisode, CinChild, CinEpisode, CinReturn, CpPlan, Header, PlacedAdoption,
    Section47, Ssda903Return,
};
use csc_measures::{DatasetBuilder, Day};

use crate::arg;
use crate::dataset::csc_dataset;
use crate::status::{Failure, Res, csc_status, guard, guard_value};

/// Collects returns record by record; `csc_builder_build` turns them into a dataset. Made by
/// `csc_builder_new`; consumed by `csc_builder_build` or freed by `csc_builder_free`.
///
/// Records go into the return begun last: `csc_builder_begin_cin` or `csc_builder_begin_ssda903`
/// starts a new return (one per collection year, as a file would be), and CIN records may only be
/// added to a CIN return, SSDA903 records to an SSDA903 return. A call that fails adds nothing.
///
/// Thread safety: not synchronised; use a builder from one thread at a time.
pub struct csc_builder {
    done: DatasetBuilder,
    current: Option<Return>,
}

enum Return {
    Cin(CinReturn),
    Ssda903(Ssda903Return),
}

impl csc_builder {
    fn finish_current(&mut self) {
        match self.current.take() {
            Some(Return::Cin(r)) => {
                self.done.add_cin(r);
            }
            Some(Return::Ssda903(r)) => {
                self.done.add_ssda903(r);
            }
            None => {}
        }
    }

    fn cin(&mut self, what: &str) -> Res<&mut CinReturn> {
        match &mut self.current {
            Some(Return::Cin(r)) => Ok(r),
            _ => Err(Failure::invalid(format!(
                "{what}: no CIN census return is being built; call csc_builder_begin_cin first"
            ))),
        }
    }

    fn ssda903(&mut self, what: &str) -> Res<&mut Ssda903Return> {
        match &mut self.current {
            Some(Return::Ssda903(r)) => Ok(r),
            _ => Err(Failure::invalid(format!(
                "{what}: no SSDA903 return is being built; call csc_builder_begin_ssda903 first"
            ))),
        }
    }
}

/// A CIN census child (`Child`: `ChildIdentifiers` and `ChildCharacteristics`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
#[allow(non_camel_case_types)]
pub struct csc_cin_child {
    /// `LAchildID`.
    pub child: *const c_char,
    /// `UPN`.
    pub upn: *const c_char,
    /// `PersonBirthDate`.
    pub birth_date: i32,
    /// Whether `birth_date` is set.
    pub has_birth_date: bool,
    /// `ExpectedPersonBirthDate` (unborn children).
    pub expected_birth_date: i32,
    /// Whether `expected_birth_date` is set.
    pub has_expected_birth_date: bool,
    /// `PersonDeathDate`.
    pub death_date: i32,
    /// Whether `death_date` is set.
    pub has_death_date: bool,
    /// `GenderCurrent` or `Sex`.
    pub sex: *const c_char,
    /// `Ethnicity`.
    pub ethnicity: *const c_char,
    /// `Disability` codes: an array of `n_disabilities` strings (NULL when 0).
    pub disabilities: *const *const c_char,
    /// The length of `disabilities`.
    pub n_disabilities: usize,
}

/// A CIN episode (`CINdetails`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
#[allow(non_camel_case_types)]
pub struct csc_cin_episode {
    /// `LAchildID`.
    pub child: *const c_char,
    /// `CINreferralDate` (required).
    pub referral_date: i32,
    /// `ReferralSource`.
    pub referral_source: *const c_char,
    /// `PrimaryNeedCode`.
    pub primary_need: *const c_char,
    /// `CINclosureDate`.
    pub closure_date: i32,
    /// Whether `closure_date` is set.
    pub has_closure_date: bool,
    /// `ReasonForClosure`.
    pub reason_for_closure: *const c_char,
    /// `ReferralNFA`, when `has_referral_nfa`.
    pub referral_nfa: bool,
    /// Whether `referral_nfa` is known.
    pub has_referral_nfa: bool,
    /// `DateOfInitialCPC` on the episode (a transfer-in conference).
    pub initial_cpc_date: i32,
    /// Whether `initial_cpc_date` is set.
    pub has_initial_cpc_date: bool,
}

/// An assessment, nested in the CIN episode whose `CINreferralDate` is `episode_referral_date`.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
#[allow(non_camel_case_types)]
pub struct csc_assessment {
    /// `LAchildID`.
    pub child: *const c_char,
    /// The `CINreferralDate` of its CIN episode (required).
    pub episode_referral_date: i32,
    /// `AssessmentActualStartDate`.
    pub start_date: i32,
    /// Whether `start_date` is set.
    pub has_start_date: bool,
    /// `AssessmentInternalReviewDate`.
    pub internal_review_date: i32,
    /// Whether `internal_review_date` is set.
    pub has_internal_review_date: bool,
    /// `AssessmentAuthorisationDate`.
    pub authorisation_date: i32,
    /// Whether `authorisation_date` is set.
    pub has_authorisation_date: bool,
    /// `AssessmentFactors` codes: an array of `n_factors` strings (NULL when 0).
    pub factors: *const *const c_char,
    /// The length of `factors`.
    pub n_factors: usize,
}

/// A section 47 enquiry, nested in a CIN episode.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
#[allow(non_camel_case_types)]
pub struct csc_section47 {
    /// `LAchildID`.
    pub child: *const c_char,
    /// The `CINreferralDate` of its CIN episode (required).
    pub episode_referral_date: i32,
    /// `S47ActualStartDate`.
    pub start_date: i32,
    /// Whether `start_date` is set.
    pub has_start_date: bool,
    /// `InitialCPCtarget`.
    pub icpc_target_date: i32,
    /// Whether `icpc_target_date` is set.
    pub has_icpc_target_date: bool,
    /// `DateOfInitialCPC`.
    pub icpc_date: i32,
    /// Whether `icpc_date` is set.
    pub has_icpc_date: bool,
    /// `ICPCnotRequired`, when `has_icpc_not_required`.
    pub icpc_not_required: bool,
    /// Whether `icpc_not_required` is known.
    pub has_icpc_not_required: bool,
}

/// A child protection plan, nested in a CIN episode.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
#[allow(non_camel_case_types)]
pub struct csc_cp_plan {
    /// `LAchildID`.
    pub child: *const c_char,
    /// The `CINreferralDate` of its CIN episode (required).
    pub episode_referral_date: i32,
    /// `CPPstartDate`.
    pub start_date: i32,
    /// Whether `start_date` is set.
    pub has_start_date: bool,
    /// `CPPendDate`.
    pub end_date: i32,
    /// Whether `end_date` is set.
    pub has_end_date: bool,
    /// `InitialCategoryOfAbuse`.
    pub initial_category: *const c_char,
    /// `LatestCategoryOfAbuse`.
    pub latest_category: *const c_char,
    /// `NumberOfPreviousCPP`, when `has_previous_plans`.
    pub previous_plans: u32,
    /// Whether `previous_plans` is known.
    pub has_previous_plans: bool,
    /// `CPPreviewDate`s: an array of `n_review_dates` day numbers (NULL when 0).
    pub review_dates: *const i32,
    /// The length of `review_dates`.
    pub n_review_dates: usize,
}

/// An SSDA903 Header row.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
#[allow(non_camel_case_types)]
pub struct csc_header {
    /// `CHILD`.
    pub child: *const c_char,
    /// `SEX`.
    pub sex: *const c_char,
    /// `DOB`.
    pub dob: i32,
    /// Whether `dob` is set.
    pub has_dob: bool,
    /// `ETHNIC`.
    pub ethnic: *const c_char,
    /// `UPN`.
    pub upn: *const c_char,
    /// `MOTHER`.
    pub mother: *const c_char,
    /// `MC_DOB`.
    pub mc_dob: i32,
    /// Whether `mc_dob` is set.
    pub has_mc_dob: bool,
}

/// An SSDA903 Episodes row: one care episode.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
#[allow(non_camel_case_types)]
pub struct csc_care_episode {
    /// `CHILD`.
    pub child: *const c_char,
    /// `DECOM`: the episode's start (required).
    pub decom: i32,
    /// `RNE`: reason for the new episode.
    pub rne: *const c_char,
    /// `LS`: legal status.
    pub ls: *const c_char,
    /// `CIN`: category of need.
    pub cin: *const c_char,
    /// `PLACE`: placement type.
    pub place: *const c_char,
    /// `PLACE_PROVIDER`.
    pub place_provider: *const c_char,
    /// `DEC`: the episode's end.
    pub dec: i32,
    /// Whether `dec` is set (an open episode has none).
    pub has_dec: bool,
    /// `REC`: reason the episode ceased.
    pub rec: *const c_char,
    /// `REASON_PLACE_CHANGE`.
    pub reason_place_change: *const c_char,
    /// `HOME_POST`.
    pub home_post: *const c_char,
    /// `PL_POST`.
    pub pl_post: *const c_char,
    /// `URN`.
    pub urn: *const c_char,
}

/// An SSDA903 AD1 row (adoption decision and match).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
#[allow(non_camel_case_types)]
pub struct csc_ad1 {
    /// `CHILD`.
    pub child: *const c_char,
    /// `DOB`.
    pub dob: i32,
    /// Whether `dob` is set.
    pub has_dob: bool,
    /// `DATE_INT`: decision that the child should be placed for adoption.
    pub date_int: i32,
    /// Whether `date_int` is set.
    pub has_date_int: bool,
    /// `DATE_MATCH`: matched with prospective adopters.
    pub date_match: i32,
    /// Whether `date_match` is set.
    pub has_date_match: bool,
    /// `FOSTER_CARE`.
    pub foster_care: *const c_char,
    /// `NB_ADOPTR`.
    pub nb_adoptr: *const c_char,
    /// `SEX_ADOPTR`.
    pub sex_adoptr: *const c_char,
    /// `LS_ADOPTR`.
    pub ls_adoptr: *const c_char,
}

/// An SSDA903 PlacedAdoption row.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
#[allow(non_camel_case_types)]
pub struct csc_placed_adoption {
    /// `CHILD`.
    pub child: *const c_char,
    /// `DOB`.
    pub dob: i32,
    /// Whether `dob` is set.
    pub has_dob: bool,
    /// `DATE_PLACED`: decision that the child should be placed.
    pub date_placed: i32,
    /// Whether `date_placed` is set.
    pub has_date_placed: bool,
    /// `DATE_PLACED_CEASED`.
    pub date_placed_ceased: i32,
    /// Whether `date_placed_ceased` is set.
    pub has_date_placed_ceased: bool,
    /// `REASON_PLACED_CEASED`.
    pub reason_placed_ceased: *const c_char,
}

/// Reads the fields of one record struct, naming each in errors as `csc_<type>.<field>`.
struct Fields(&'static str);

impl Fields {
    fn name(&self, field: &str) -> String {
        format!("{}.{field}", self.0)
    }

    /// A string field: NULL is blank.
    ///
    /// # Safety
    ///
    /// `p` is NULL or a NUL-terminated string.
    unsafe fn text(&self, p: *const c_char, field: &str) -> Res<CompactString> {
        // SAFETY: forwarded from the caller.
        Ok(unsafe { arg::opt_text(p, &self.name(field)) }?
            .map_or_else(CompactString::default, CompactString::from))
    }

    /// A list of strings.
    ///
    /// # Safety
    ///
    /// As `arg::texts`.
    unsafe fn texts(
        &self,
        p: *const *const c_char,
        n: usize,
        field: &str,
    ) -> Res<Vec<CompactString>> {
        // SAFETY: forwarded from the caller.
        let v = unsafe { arg::texts(p, n, &self.name(field)) }?;
        Ok(v.into_iter().map(CompactString::from).collect())
    }

    fn day(&self, d: i32, field: &str) -> Res<Day> {
        arg::day(d, &self.name(field))
    }

    fn opt_day(&self, d: i32, has: bool, field: &str) -> Res<Option<Day>> {
        arg::opt_day(d, has, &self.name(field))
    }

    /// A list of days.
    ///
    /// # Safety
    ///
    /// As `arg::slice`.
    unsafe fn days(&self, p: *const i32, n: usize, field: &str) -> Res<Vec<Day>> {
        let name = self.name(field);
        // SAFETY: forwarded from the caller.
        let v = unsafe { arg::slice(p, n, &name) }?;
        v.iter()
            .enumerate()
            .map(|(i, &d)| arg::day(d, &format!("{name}[{i}]")))
            .collect()
    }
}

fn opt<T>(v: T, has: bool) -> Option<T> {
    has.then_some(v)
}

/// A new, empty builder. Returns NULL only if the library failed (see `csc_last_error_message`).
#[unsafe(no_mangle)]
pub extern "C" fn csc_builder_new() -> *mut csc_builder {
    guard_value(std::ptr::null_mut(), || {
        Ok(Box::into_raw(Box::new(csc_builder {
            done: DatasetBuilder::new(),
            current: None,
        })))
    })
}

/// Frees a builder without building it. NULL is a no-op.
///
/// # Safety
///
/// `builder` is NULL or a builder not yet freed or built; it is invalid afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_builder_free(builder: *mut csc_builder) {
    guard_value((), || {
        if !builder.is_null() {
            // SAFETY: made by `Box::into_raw` in `csc_builder_new`, freed once.
            drop(unsafe { Box::from_raw(builder) });
        }
        Ok(())
    });
}

/// Begins a CIN census return for `collection_year` (the financial year ending 31 March of it; 0
/// when unknown: the builder then derives none, as a file without a `ReferenceDate`). The return
/// begun before, if any, is finished.
///
/// # Safety
///
/// `builder` is NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_builder_begin_cin(
    builder: *mut csc_builder,
    collection_year: i32,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let b = unsafe { arg::handle_mut(builder, "builder") }?;
        b.finish_current();
        let mut r = CinReturn::default();
        r.source.collection_year = (collection_year != 0).then_some(collection_year);
        b.current = Some(Return::Cin(r));
        Ok(())
    })
}

/// Begins an SSDA903 return for `collection_year` (0 when unknown: the builder then derives it
/// from the latest `DECOM`). The return begun before, if any, is finished.
///
/// # Safety
///
/// `builder` is NULL or a live builder.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_builder_begin_ssda903(
    builder: *mut csc_builder,
    collection_year: i32,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let b = unsafe { arg::handle_mut(builder, "builder") }?;
        b.finish_current();
        let mut r = Ssda903Return::default();
        r.source.collection_year = (collection_year != 0).then_some(collection_year);
        b.current = Some(Return::Ssda903(r));
        Ok(())
    })
}

/// Converts and adds one record: checks the builder and the record, converts every field, and
/// pushes the row onto the table `table` picks of the current return.
///
/// # Safety
///
/// `builder` is NULL or a live builder; `record` NULL or an initialised struct whose strings are
/// NULL or NUL-terminated and whose arrays hold their lengths.
unsafe fn add<C, R>(
    builder: *mut csc_builder,
    record: *const C,
    fields: &'static str,
    convert: unsafe fn(&Fields, &C) -> Res<R>,
    table: impl FnOnce(&mut csc_builder) -> Res<&mut Vec<R>>,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (b, r) = unsafe {
            (
                arg::handle_mut(builder, "builder")?,
                arg::handle(record, "record")?,
            )
        };
        // SAFETY: the caller's promise about the fields.
        let row = unsafe { convert(&Fields(fields), r) }?;
        table(b)?.push(row);
        Ok(())
    })
}

/// `csc_cin_child` as a row.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn cin_child(f: &Fields, r: &csc_cin_child) -> Res<CinChild> {
    // SAFETY: forwarded from the caller.
    unsafe {
        Ok(CinChild {
            child: f.text(r.child, "child")?,
            upn: f.text(r.upn, "upn")?,
            birth_date: f.opt_day(r.birth_date, r.has_birth_date, "birth_date")?,
            expected_birth_date: f.opt_day(
                r.expected_birth_date,
                r.has_expected_birth_date,
                "expected_birth_date",
            )?,
            death_date: f.opt_day(r.death_date, r.has_death_date, "death_date")?,
            sex: f.text(r.sex, "sex")?,
            ethnicity: f.text(r.ethnicity, "ethnicity")?,
            disabilities: f.texts(r.disabilities, r.n_disabilities, "disabilities")?,
            ..CinChild::default()
        })
    }
}

/// Adds a CIN census child to the current CIN return.
///
/// # Safety
///
/// `builder` is NULL or a live builder; `record` is NULL or points to an initialised struct
/// whose string fields are NULL or NUL-terminated and whose arrays hold their lengths. Nothing
/// is kept of them after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_builder_add_cin_child(
    builder: *mut csc_builder,
    record: *const csc_cin_child,
) -> csc_status {
    // SAFETY: the caller's promises.
    unsafe {
        add(builder, record, "csc_cin_child", cin_child, |b| {
            Ok(&mut b.cin("csc_builder_add_cin_child")?.children)
        })
    }
}

/// `csc_cin_episode` as a row.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn cin_episode(f: &Fields, r: &csc_cin_episode) -> Res<CinEpisode> {
    // SAFETY: forwarded from the caller.
    unsafe {
        Ok(CinEpisode {
            child: f.text(r.child, "child")?,
            referral_date: f.day(r.referral_date, "referral_date")?,
            referral_source: f.text(r.referral_source, "referral_source")?,
            primary_need: f.text(r.primary_need, "primary_need")?,
            closure_date: f.opt_day(r.closure_date, r.has_closure_date, "closure_date")?,
            reason_for_closure: f.text(r.reason_for_closure, "reason_for_closure")?,
            referral_nfa: opt(r.referral_nfa, r.has_referral_nfa),
            initial_cpc_date: f.opt_day(
                r.initial_cpc_date,
                r.has_initial_cpc_date,
                "initial_cpc_date",
            )?,
            ..CinEpisode::default()
        })
    }
}

/// Adds a CIN episode to the current CIN return.
///
/// # Safety
///
/// `builder` is NULL or a live builder; `record` is NULL or points to an initialised struct
/// whose string fields are NULL or NUL-terminated and whose arrays hold their lengths. Nothing
/// is kept of them after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_builder_add_cin_episode(
    builder: *mut csc_builder,
    record: *const csc_cin_episode,
) -> csc_status {
    // SAFETY: the caller's promises.
    unsafe {
        add(builder, record, "csc_cin_episode", cin_episode, |b| {
            Ok(&mut b.cin("csc_builder_add_cin_episode")?.episodes)
        })
    }
}

/// `csc_assessment` as a row.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn assessment(f: &Fields, r: &csc_assessment) -> Res<Assessment> {
    // SAFETY: forwarded from the caller.
    unsafe {
        Ok(Assessment {
            child: f.text(r.child, "child")?,
            episode_referral_date: f.day(r.episode_referral_date, "episode_referral_date")?,
            start_date: f.opt_day(r.start_date, r.has_start_date, "start_date")?,
            internal_review_date: f.opt_day(
                r.internal_review_date,
                r.has_internal_review_date,
                "internal_review_date",
            )?,
            authorisation_date: f.opt_day(
                r.authorisation_date,
                r.has_authorisation_date,
                "authorisation_date",
            )?,
            factors: f.texts(r.factors, r.n_factors, "factors")?,
            ..Assessment::default()
        })
    }
}

/// Adds an assessment to the current CIN return.
///
/// # Safety
///
/// `builder` is NULL or a live builder; `record` is NULL or points to an initialised struct
/// whose string fields are NULL or NUL-terminated and whose arrays hold their lengths. Nothing
/// is kept of them after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_builder_add_assessment(
    builder: *mut csc_builder,
    record: *const csc_assessment,
) -> csc_status {
    // SAFETY: the caller's promises.
    unsafe {
        add(builder, record, "csc_assessment", assessment, |b| {
            Ok(&mut b.cin("csc_builder_add_assessment")?.assessments)
        })
    }
}

/// `csc_section47` as a row.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn section47(f: &Fields, r: &csc_section47) -> Res<Section47> {
    // SAFETY: forwarded from the caller.
    unsafe {
        Ok(Section47 {
            child: f.text(r.child, "child")?,
            episode_referral_date: f.day(r.episode_referral_date, "episode_referral_date")?,
            start_date: f.opt_day(r.start_date, r.has_start_date, "start_date")?,
            icpc_target_date: f.opt_day(
                r.icpc_target_date,
                r.has_icpc_target_date,
                "icpc_target_date",
            )?,
            icpc_date: f.opt_day(r.icpc_date, r.has_icpc_date, "icpc_date")?,
            icpc_not_required: opt(r.icpc_not_required, r.has_icpc_not_required),
            ..Section47::default()
        })
    }
}

/// Adds a section 47 enquiry to the current CIN return.
///
/// # Safety
///
/// `builder` is NULL or a live builder; `record` is NULL or points to an initialised struct
/// whose string fields are NULL or NUL-terminated and whose arrays hold their lengths. Nothing
/// is kept of them after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_builder_add_section47(
    builder: *mut csc_builder,
    record: *const csc_section47,
) -> csc_status {
    // SAFETY: the caller's promises.
    unsafe {
        add(builder, record, "csc_section47", section47, |b| {
            Ok(&mut b.cin("csc_builder_add_section47")?.section47s)
        })
    }
}

/// `csc_cp_plan` as a row.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn cp_plan(f: &Fields, r: &csc_cp_plan) -> Res<CpPlan> {
    // SAFETY: forwarded from the caller.
    unsafe {
        Ok(CpPlan {
            child: f.text(r.child, "child")?,
            episode_referral_date: f.day(r.episode_referral_date, "episode_referral_date")?,
            start_date: f.opt_day(r.start_date, r.has_start_date, "start_date")?,
            end_date: f.opt_day(r.end_date, r.has_end_date, "end_date")?,
            initial_category: f.text(r.initial_category, "initial_category")?,
            latest_category: f.text(r.latest_category, "latest_category")?,
            previous_plans: opt(r.previous_plans, r.has_previous_plans),
            review_dates: f.days(r.review_dates, r.n_review_dates, "review_dates")?,
            ..CpPlan::default()
        })
    }
}

/// Adds a child protection plan to the current CIN return.
///
/// # Safety
///
/// `builder` is NULL or a live builder; `record` is NULL or points to an initialised struct
/// whose string fields are NULL or NUL-terminated and whose arrays hold their lengths. Nothing
/// is kept of them after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_builder_add_cp_plan(
    builder: *mut csc_builder,
    record: *const csc_cp_plan,
) -> csc_status {
    // SAFETY: the caller's promises.
    unsafe {
        add(builder, record, "csc_cp_plan", cp_plan, |b| {
            Ok(&mut b.cin("csc_builder_add_cp_plan")?.plans)
        })
    }
}

/// `csc_header` as a row.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn header(f: &Fields, r: &csc_header) -> Res<Header> {
    // SAFETY: forwarded from the caller.
    unsafe {
        Ok(Header {
            child: f.text(r.child, "child")?,
            sex: f.text(r.sex, "sex")?,
            dob: f.opt_day(r.dob, r.has_dob, "dob")?,
            ethnic: f.text(r.ethnic, "ethnic")?,
            upn: f.text(r.upn, "upn")?,
            mother: f.text(r.mother, "mother")?,
            mc_dob: f.opt_day(r.mc_dob, r.has_mc_dob, "mc_dob")?,
            ..Header::default()
        })
    }
}

/// Adds a Header row to the current SSDA903 return.
///
/// # Safety
///
/// `builder` is NULL or a live builder; `record` is NULL or points to an initialised struct
/// whose string fields are NULL or NUL-terminated and whose arrays hold their lengths. Nothing
/// is kept of them after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_builder_add_header(
    builder: *mut csc_builder,
    record: *const csc_header,
) -> csc_status {
    // SAFETY: the caller's promises.
    unsafe {
        add(builder, record, "csc_header", header, |b| {
            Ok(&mut b.ssda903("csc_builder_add_header")?.headers)
        })
    }
}

/// `csc_care_episode` as a row.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn care_episode(f: &Fields, r: &csc_care_episode) -> Res<CareEpisode> {
    // SAFETY: forwarded from the caller.
    unsafe {
        Ok(CareEpisode {
            child: f.text(r.child, "child")?,
            decom: f.day(r.decom, "decom")?,
            rne: f.text(r.rne, "rne")?,
            ls: f.text(r.ls, "ls")?,
            cin: f.text(r.cin, "cin")?,
            place: f.text(r.place, "place")?,
            place_provider: f.text(r.place_provider, "place_provider")?,
            dec: f.opt_day(r.dec, r.has_dec, "dec")?,
            rec: f.text(r.rec, "rec")?,
            reason_place_change: f.text(r.reason_place_change, "reason_place_change")?,
            home_post: f.text(r.home_post, "home_post")?,
            pl_post: f.text(r.pl_post, "pl_post")?,
            urn: f.text(r.urn, "urn")?,
            ..CareEpisode::default()
        })
    }
}

/// Adds a care episode to the current SSDA903 return.
///
/// # Safety
///
/// `builder` is NULL or a live builder; `record` is NULL or points to an initialised struct
/// whose string fields are NULL or NUL-terminated and whose arrays hold their lengths. Nothing
/// is kept of them after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_builder_add_care_episode(
    builder: *mut csc_builder,
    record: *const csc_care_episode,
) -> csc_status {
    // SAFETY: the caller's promises.
    unsafe {
        add(builder, record, "csc_care_episode", care_episode, |b| {
            Ok(&mut b.ssda903("csc_builder_add_care_episode")?.episodes)
        })
    }
}

/// `csc_ad1` as a row.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn ad1(f: &Fields, r: &csc_ad1) -> Res<Ad1> {
    // SAFETY: forwarded from the caller.
    unsafe {
        Ok(Ad1 {
            child: f.text(r.child, "child")?,
            dob: f.opt_day(r.dob, r.has_dob, "dob")?,
            date_int: f.opt_day(r.date_int, r.has_date_int, "date_int")?,
            date_match: f.opt_day(r.date_match, r.has_date_match, "date_match")?,
            foster_care: f.text(r.foster_care, "foster_care")?,
            nb_adoptr: f.text(r.nb_adoptr, "nb_adoptr")?,
            sex_adoptr: f.text(r.sex_adoptr, "sex_adoptr")?,
            ls_adoptr: f.text(r.ls_adoptr, "ls_adoptr")?,
            ..Ad1::default()
        })
    }
}

/// Adds an AD1 row to the current SSDA903 return.
///
/// # Safety
///
/// `builder` is NULL or a live builder; `record` is NULL or points to an initialised struct
/// whose string fields are NULL or NUL-terminated and whose arrays hold their lengths. Nothing
/// is kept of them after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_builder_add_ad1(
    builder: *mut csc_builder,
    record: *const csc_ad1,
) -> csc_status {
    // SAFETY: the caller's promises.
    unsafe {
        add(builder, record, "csc_ad1", ad1, |b| {
            Ok(&mut b.ssda903("csc_builder_add_ad1")?.ad1)
        })
    }
}

/// `csc_placed_adoption` as a row.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn placed_adoption(f: &Fields, r: &csc_placed_adoption) -> Res<PlacedAdoption> {
    // SAFETY: forwarded from the caller.
    unsafe {
        Ok(PlacedAdoption {
            child: f.text(r.child, "child")?,
            dob: f.opt_day(r.dob, r.has_dob, "dob")?,
            date_placed: f.opt_day(r.date_placed, r.has_date_placed, "date_placed")?,
            date_placed_ceased: f.opt_day(
                r.date_placed_ceased,
                r.has_date_placed_ceased,
                "date_placed_ceased",
            )?,
            reason_placed_ceased: f.text(r.reason_placed_ceased, "reason_placed_ceased")?,
            ..PlacedAdoption::default()
        })
    }
}

/// Adds a PlacedAdoption row to the current SSDA903 return.
///
/// # Safety
///
/// `builder` is NULL or a live builder; `record` is NULL or points to an initialised struct
/// whose string fields are NULL or NUL-terminated and whose arrays hold their lengths. Nothing
/// is kept of them after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_builder_add_placed_adoption(
    builder: *mut csc_builder,
    record: *const csc_placed_adoption,
) -> csc_status {
    // SAFETY: the caller's promises.
    unsafe {
        add(
            builder,
            record,
            "csc_placed_adoption",
            placed_adoption,
            |b| {
                Ok(&mut b
                    .ssda903("csc_builder_add_placed_adoption")?
                    .placed_adoption)
            },
        )
    }
}

/// Validates, merges and freezes every return added (the same rules as files: spec section 2)
/// into a new dataset. With `strict`, the first skipped row or duplicated collection year is a
/// `CSC_STATUS_DATA_QUALITY` error; otherwise problems are entries of the dataset's load report.
///
/// The builder is consumed whatever the outcome, even on an error: never use or free it again.
///
/// # Safety
///
/// `builder` is NULL or a live builder; `out` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_builder_build(
    builder: *mut csc_builder,
    strict: bool,
    out: *mut *mut csc_dataset,
) -> csc_status {
    guard(|| {
        if builder.is_null() {
            return Err(Failure::null("builder"));
        }
        // SAFETY: made by `Box::into_raw` in `csc_builder_new`; taken here once, whatever follows.
        let mut b = unsafe { Box::from_raw(builder) };
        // SAFETY: the caller's promise.
        let out = unsafe { arg::out(out, "out") }?;
        b.finish_current();
        let ds = b.done.strict(strict).build()?;
        out.set(csc_dataset::boxed(ds));
        Ok(())
    })
}
