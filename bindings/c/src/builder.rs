//! `csc_builder`: returns built row by row, then built into a frozen `csc_dataset` by the same
//! merge rules as files.
//!
//! Rows come in three ways, all read by the core's row rules (spec section 2: the same checks, the
//! same data-quality entries, as a file's rows):
//!
//! * typed structs (`csc_builder_add_care_episode`, ...): a string field that is NULL is blank, and
//!   an optional date, flag or count is present only when its `has_` field is true, so a struct
//!   initialised with `{0}` is a record with every optional field blank; set the fields you have;
//! * `csc_builder_add_row`: any table of the return, by its name and its official column names,
//!   values as text, so a table the library gains needs no new C function;
//! * `csc_builder_add_arrow`: a whole table as an Arrow C stream (`struct ArrowArrayStream`).

use std::any::Any;
use std::borrow::Cow;
use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

use arrow_array::ffi_stream::{ArrowArrayStreamReader, FFI_ArrowArrayStream};
use compact_str::CompactString;
use csc_arrow::{ReadReturn, ReturnInput};
use csc_measures::quality::{Issue, Location};
use csc_measures::records::{
    Ad1, Assessment, CareEpisode, CinChild, CinEpisode, CinReturn, CpPlan, Header, PlacedAdoption,
    ReturnKind, ReturnSource, RowOrigin, Section47, Ssda903Return,
};
use csc_measures::rows::{Cell, DateSyntax, RowSource, Rules};
use csc_measures::schema::{self, Record, TableSchema, TakeRows, VisitRowsMut};
use csc_measures::{DatasetBuilder, Error, ErrorKind};

use crate::arg;
use crate::dataset::csc_dataset;
use crate::status::{Failure, Res, csc_status, guard, guard_value};

/// Collects returns row by row; `csc_builder_build` turns them into a dataset. Made by
/// `csc_builder_new`; consumed by `csc_builder_build` or freed by `csc_builder_free`.
///
/// Rows go into the return begun last: `csc_builder_begin_cin` or `csc_builder_begin_ssda903`
/// starts a new return (one per collection year, as a file would be), and CIN rows may only be
/// added to a CIN return, SSDA903 rows to an SSDA903 return. A call that fails adds nothing.
///
/// Every row goes through the core's row rules, as a file's rows do: a row without a child
/// identifier or without a required date is skipped, an unreadable child-level date is blanked,
/// an unreadable flag or count is read as unknown, each with an entry in the dataset's load
/// report (lenient), or, with `csc_builder_build(..., strict = true)`, the build stops at the first
/// entry that stops strict mode. Entries about rows added by `csc_builder_add_row` or a typed
/// function are located at the file `builder/<TABLE>` (`builder/Episodes`) and at the line that
/// is the row's 1-based number among the rows added to that table of that return.
///
/// Thread safety: not synchronised; use a builder from one thread at a time.
pub struct csc_builder {
    done: DatasetBuilder,
    current: Option<Current>,
    /// The first entry of the load report so far that stops strict mode.
    first_stop: Option<Issue>,
}

/// The return being built.
struct Current {
    ret: Return,
    /// Rows were given in code (typed structs, rows): the return holds every table of its kind.
    by_code: bool,
    /// The tables that the Arrow tables added hold.
    held: Option<Vec<CompactString>>,
    /// Per table given in code: its file's index in the return's files, and the rows added.
    counts: Vec<(&'static str, u32, u32)>,
}

enum Return {
    Cin(CinReturn),
    Ssda903(Ssda903Return),
}

impl Return {
    fn kind(&self) -> ReturnKind {
        match self {
            Return::Cin(_) => ReturnKind::Cin,
            Return::Ssda903(_) => ReturnKind::Ssda903,
        }
    }

    fn source_mut(&mut self) -> &mut ReturnSource {
        match self {
            Return::Cin(r) => &mut r.source,
            Return::Ssda903(r) => &mut r.source,
        }
    }

    fn visit_mut(&mut self, v: &mut impl VisitRowsMut) {
        match self {
            Return::Cin(r) => r.visit_mut(v),
            Return::Ssda903(r) => r.visit_mut(v),
        }
    }
}

/// What a return is called in messages.
fn family_name(kind: ReturnKind) -> &'static str {
    match kind {
        ReturnKind::Cin => "CIN census",
        ReturnKind::Ssda903 => "SSDA903",
    }
}

/// The names of the tables of `kind`.
fn table_names(kind: ReturnKind) -> String {
    schema::tables(kind)
        .map(|t| t.name)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Current {
    fn new(ret: Return, collection_year: i32) -> Current {
        let mut c = Current {
            ret,
            by_code: false,
            held: None,
            counts: Vec::new(),
        };
        c.ret.source_mut().collection_year = (collection_year != 0).then_some(collection_year);
        c
    }

    /// The origin of the next row of `table` given in code, and its file's name.
    fn next_origin(&mut self, table: &'static TableSchema) -> (RowOrigin, Arc<str>) {
        self.by_code = true;
        let i = if let Some(i) = self.counts.iter().position(|(n, _, _)| *n == table.name) {
            i
        } else {
            let files = &mut self.ret.source_mut().files;
            files.push(Arc::from(format!("builder/{}", table.name)));
            self.counts.push((table.name, (files.len() - 1) as u32, 0));
            self.counts.len() - 1
        };
        let (_, file, n) = &mut self.counts[i];
        *n += 1;
        let name = self.ret.source_mut().files[*file as usize].clone();
        (RowOrigin::new(*file, *n), name)
    }
}

impl csc_builder {
    fn finish_current(&mut self) {
        let Some(mut c) = self.current.take() else {
            return;
        };
        // A return given in code holds every table of its kind; one given only as Arrow tables
        // holds the tables it was given (spec 2.7: only those are stitched against it).
        let tables = if c.by_code { None } else { c.held.take() };
        c.ret.source_mut().tables = tables;
        match c.ret {
            Return::Cin(r) => {
                self.done.add_cin(r);
            }
            Return::Ssda903(r) => {
                self.done.add_ssda903(r);
            }
        }
    }

    /// The return being built, when it is of `kind`; else an error for `what` naming the
    /// function that begins one.
    fn current(&mut self, kind: ReturnKind, what: &str) -> Res<&mut Current> {
        match &mut self.current {
            Some(c) if c.ret.kind() == kind => Ok(c),
            _ => Err(Failure::invalid(format!(
                "{what}: no {} return is being built; call {} first",
                family_name(kind),
                match kind {
                    ReturnKind::Cin => "csc_builder_begin_cin",
                    ReturnKind::Ssda903 => "csc_builder_begin_ssda903",
                }
            ))),
        }
    }

    /// The return being built, of either kind.
    fn any_current(&mut self, what: &str) -> Res<&mut Current> {
        self.current.as_mut().ok_or_else(|| {
            Failure::invalid(format!(
                "{what}: no return is being built; call csc_builder_begin_cin or \
                 csc_builder_begin_ssda903 first"
            ))
        })
    }

    /// Adds entries to the load report.
    fn add_issues(&mut self, issues: Vec<Issue>) {
        if self.first_stop.is_none() {
            self.first_stop = issues.iter().find(|i| i.code.stops_strict()).cloned();
        }
        self.done.add_issues(issues);
    }

    /// Reads one row of `table` given in code through the row rules into the current return
    /// (which the caller checked is of the table's kind): the row, or its entries.
    fn read_row(
        &mut self,
        table: &'static TableSchema,
        cells: Vec<(usize, &str, Cell<'_>)>,
    ) -> Res<()> {
        let c = self.any_current("a row")?;
        let (origin, file) = c.next_origin(table);
        let row = CellRow {
            table,
            cells,
            file,
            line: origin.line,
        };
        let mut issues = Vec::new();
        let mut read = ReadInto {
            table,
            src: &row,
            origin,
            issues: &mut issues,
            outcome: None,
        };
        c.ret.visit_mut(&mut read);
        let outcome = read.outcome;
        self.add_issues(issues);
        match outcome {
            Some(r) => Ok(r?),
            None => Err(Failure::invalid(format!(
                "{} is not a table of the return being built",
                table.name
            ))),
        }
    }
}

/// A row given in code: for each value, the field it is for, the column as the caller named it,
/// and the value.
struct CellRow<'a> {
    table: &'static TableSchema,
    cells: Vec<(usize, &'a str, Cell<'a>)>,
    file: Arc<str>,
    line: u32,
}

impl RowSource for CellRow<'_> {
    fn value(&self, f: usize, k: usize) -> Option<Cell<'_>> {
        self.cells
            .iter()
            .filter(|(i, _, _)| *i == f)
            .nth(k)
            .map(|(_, _, c)| *c)
    }

    fn location(&self, at: Option<(usize, usize)>) -> Option<Location> {
        let loc = Location::new(self.file.clone(), self.line);
        Some(csc_measures::rows::located(self, loc, at))
    }

    fn unit(&self) -> Cow<'_, str> {
        Cow::Borrowed("row")
    }

    fn column(&self, f: usize) -> &str {
        self.cells
            .iter()
            .find(|(i, _, _)| *i == f)
            .map_or(self.table.fields[f].column, |(_, c, _)| c)
    }
}

/// Reads one row into the table of the return whose schema is `table`.
struct ReadInto<'a, S> {
    table: &'static TableSchema,
    src: &'a S,
    origin: RowOrigin,
    issues: &'a mut Vec<Issue>,
    /// Set once the table was found.
    outcome: Option<Result<(), Error>>,
}

impl<S: RowSource> VisitRowsMut for ReadInto<'_, S> {
    fn rows<R: Record>(&mut self, rows: &mut Vec<R>) {
        if self.outcome.is_some() || !R::SCHEMA.is(self.table) {
            return;
        }
        // Lenient: strict mode is the build's, which stops at the first entry that stops it.
        let mut rules = Rules::new(DateSyntax::Ssda903, false, self.issues);
        self.outcome = Some(rules.read::<R>(self.src, self.origin).map(|r| {
            if let Some(r) = r {
                rows.push(r);
            }
        }));
    }
}

/// Moves a read return's rows into the return being built, their files shifted by `base`.
struct Append<'a> {
    into: &'a mut Return,
    base: u32,
}

impl TakeRows for Append<'_> {
    fn take<R: Record>(&mut self, mut rows: Vec<R>) {
        if rows.is_empty() {
            return;
        }
        for r in &mut rows {
            let o = r.origin();
            r.set_origin(RowOrigin::new(o.file + self.base, o.line));
        }
        self.into.visit_mut(&mut Put { rows: Some(rows) });
    }
}

/// Appends `rows` to the table of their type.
struct Put<R> {
    rows: Option<Vec<R>>,
}

impl<R: Record> VisitRowsMut for Put<R> {
    fn rows<T: Record>(&mut self, dst: &mut Vec<T>) {
        if let Some(dst) = (dst as &mut dyn Any).downcast_mut::<Vec<R>>() {
            if let Some(mut rows) = self.rows.take() {
                dst.append(&mut rows);
            }
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

/// The cells of one record struct, each named by its field (the schema's name), checked as the
/// struct is read: a field's problems name it as `csc_<type>.<field>`.
struct Fields<'a> {
    what: &'static str,
    cells: Vec<(&'static str, Cell<'a>)>,
}

impl<'a> Fields<'a> {
    fn new(what: &'static str) -> Fields<'a> {
        Fields {
            what,
            cells: Vec::new(),
        }
    }

    fn name(&self, field: &str) -> String {
        format!("{}.{field}", self.what)
    }

    /// A string field: NULL is blank.
    ///
    /// # Safety
    ///
    /// `p` is NULL or a NUL-terminated string that outlives `'a`.
    unsafe fn text(&mut self, field: &'static str, p: *const c_char) -> Res<()> {
        // SAFETY: forwarded from the caller.
        let v = unsafe { arg::opt_text(p, &self.name(field)) }?;
        self.cells.push((field, v.map_or(Cell::Null, Cell::Text)));
        Ok(())
    }

    /// A list of strings, one cell each.
    ///
    /// # Safety
    ///
    /// As `arg::texts`, for `'a`.
    unsafe fn texts(&mut self, field: &'static str, p: *const *const c_char, n: usize) -> Res<()> {
        // SAFETY: forwarded from the caller.
        let v: Vec<&'a str> = unsafe { arg::texts(p, n, &self.name(field)) }?;
        self.cells
            .extend(v.into_iter().map(|s| (field, Cell::Text(s))));
        Ok(())
    }

    /// A required date.
    fn day(&mut self, field: &'static str, d: i32) -> Res<()> {
        let d = arg::day(d, &self.name(field))?;
        self.cells.push((field, Cell::Day(d)));
        Ok(())
    }

    /// An optional date: blank unless `has`.
    fn opt_day(&mut self, field: &'static str, d: i32, has: bool) -> Res<()> {
        let d = arg::opt_day(d, has, &self.name(field))?;
        self.cells.push((field, d.map_or(Cell::Null, Cell::Day)));
        Ok(())
    }

    /// A list of dates, one cell each.
    ///
    /// # Safety
    ///
    /// As `arg::slice`.
    unsafe fn days(&mut self, field: &'static str, p: *const i32, n: usize) -> Res<()> {
        let name = self.name(field);
        // SAFETY: forwarded from the caller.
        let v = unsafe { arg::slice(p, n, &name) }?;
        for (i, &d) in v.iter().enumerate() {
            let d = arg::day(d, &format!("{name}[{i}]"))?;
            self.cells.push((field, Cell::Day(d)));
        }
        Ok(())
    }

    /// An optional flag: blank unless `has`.
    fn flag(&mut self, field: &'static str, b: bool, has: bool) {
        self.cells
            .push((field, if has { Cell::Bool(b) } else { Cell::Null }));
    }

    /// An optional count: blank unless `has`.
    fn count(&mut self, field: &'static str, n: u32, has: bool) {
        self.cells.push((
            field,
            if has {
                Cell::Int(i64::from(n))
            } else {
                Cell::Null
            },
        ));
    }

    /// The cells by field index of `table`, each under its official column.
    ///
    /// # Panics
    ///
    /// When a struct names a field its table lacks: a bug, which the tests of every typed
    /// function would show.
    fn into_cells(self, table: &'static TableSchema) -> Vec<(usize, &'static str, Cell<'a>)> {
        self.cells
            .into_iter()
            .map(|(name, c)| {
                let f = table
                    .field(name)
                    .unwrap_or_else(|| panic!("{} has no field {name}", table.name));
                (f, table.fields[f].column, c)
            })
            .collect()
    }
}

/// A new, empty builder. Returns NULL only if the library failed (see `csc_last_error_message`).
#[unsafe(no_mangle)]
pub extern "C" fn csc_builder_new() -> *mut csc_builder {
    guard_value(std::ptr::null_mut(), || {
        Ok(Box::into_raw(Box::new(csc_builder {
            done: DatasetBuilder::new(),
            current: None,
            first_stop: None,
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
/// when unknown: the builder then derives none, as a file without a `ReferenceDate`, unless a
/// CIN `Header` table with a `ReferenceDate` is added with `csc_builder_add_arrow`). The return
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
        b.current = Some(Current::new(
            Return::Cin(CinReturn::default()),
            collection_year,
        ));
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
        b.current = Some(Current::new(
            Return::Ssda903(Ssda903Return::default()),
            collection_year,
        ));
        Ok(())
    })
}

/// Converts and adds one record struct: checks the builder and the record, reads every field
/// into a cell, checks that the return being built is of the record's kind, and hands the row to
/// the row rules.
///
/// # Safety
///
/// `builder` is NULL or a live builder; `record` NULL or an initialised struct whose strings are
/// NULL or NUL-terminated and whose arrays hold their lengths.
unsafe fn add<C, R: Record>(
    builder: *mut csc_builder,
    record: *const C,
    what: &'static str,
    function: &'static str,
    convert: unsafe fn(&mut Fields<'_>, &C) -> Res<()>,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (b, r) = unsafe {
            (
                arg::handle_mut(builder, "builder")?,
                arg::handle(record, "record")?,
            )
        };
        let mut f = Fields::new(what);
        // SAFETY: the caller's promise about the fields.
        unsafe { convert(&mut f, r) }?;
        let table = R::SCHEMA;
        b.current(table.family, function)?;
        b.read_row(table, f.into_cells(table))
    })
}

/// `csc_cin_child` as cells.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn cin_child(f: &mut Fields<'_>, r: &csc_cin_child) -> Res<()> {
    // SAFETY: forwarded from the caller.
    unsafe {
        f.text("child", r.child)?;
        f.text("upn", r.upn)?;
        f.opt_day("birth_date", r.birth_date, r.has_birth_date)?;
        f.opt_day(
            "expected_birth_date",
            r.expected_birth_date,
            r.has_expected_birth_date,
        )?;
        f.opt_day("death_date", r.death_date, r.has_death_date)?;
        f.text("sex", r.sex)?;
        f.text("ethnicity", r.ethnicity)?;
        f.texts("disabilities", r.disabilities, r.n_disabilities)
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
        add::<_, CinChild>(
            builder,
            record,
            "csc_cin_child",
            "csc_builder_add_cin_child",
            cin_child,
        )
    }
}

/// `csc_cin_episode` as cells.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn cin_episode(f: &mut Fields<'_>, r: &csc_cin_episode) -> Res<()> {
    // SAFETY: forwarded from the caller.
    unsafe {
        f.text("child", r.child)?;
        f.day("referral_date", r.referral_date)?;
        f.text("referral_source", r.referral_source)?;
        f.text("primary_need", r.primary_need)?;
        f.opt_day("closure_date", r.closure_date, r.has_closure_date)?;
        f.text("reason_for_closure", r.reason_for_closure)?;
    }
    f.flag("referral_nfa", r.referral_nfa, r.has_referral_nfa);
    f.opt_day(
        "initial_cpc_date",
        r.initial_cpc_date,
        r.has_initial_cpc_date,
    )
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
        add::<_, CinEpisode>(
            builder,
            record,
            "csc_cin_episode",
            "csc_builder_add_cin_episode",
            cin_episode,
        )
    }
}

/// `csc_assessment` as cells.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn assessment(f: &mut Fields<'_>, r: &csc_assessment) -> Res<()> {
    // SAFETY: forwarded from the caller.
    unsafe {
        f.text("child", r.child)?;
        f.day("episode_referral_date", r.episode_referral_date)?;
        f.opt_day("start_date", r.start_date, r.has_start_date)?;
        f.opt_day(
            "internal_review_date",
            r.internal_review_date,
            r.has_internal_review_date,
        )?;
        f.opt_day(
            "authorisation_date",
            r.authorisation_date,
            r.has_authorisation_date,
        )?;
        f.texts("factors", r.factors, r.n_factors)
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
        add::<_, Assessment>(
            builder,
            record,
            "csc_assessment",
            "csc_builder_add_assessment",
            assessment,
        )
    }
}

/// `csc_section47` as cells.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn section47(f: &mut Fields<'_>, r: &csc_section47) -> Res<()> {
    // SAFETY: forwarded from the caller.
    unsafe { f.text("child", r.child) }?;
    f.day("episode_referral_date", r.episode_referral_date)?;
    f.opt_day("start_date", r.start_date, r.has_start_date)?;
    f.opt_day(
        "icpc_target_date",
        r.icpc_target_date,
        r.has_icpc_target_date,
    )?;
    f.opt_day("icpc_date", r.icpc_date, r.has_icpc_date)?;
    f.flag(
        "icpc_not_required",
        r.icpc_not_required,
        r.has_icpc_not_required,
    );
    Ok(())
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
        add::<_, Section47>(
            builder,
            record,
            "csc_section47",
            "csc_builder_add_section47",
            section47,
        )
    }
}

/// `csc_cp_plan` as cells.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn cp_plan(f: &mut Fields<'_>, r: &csc_cp_plan) -> Res<()> {
    // SAFETY: forwarded from the caller.
    unsafe {
        f.text("child", r.child)?;
        f.day("episode_referral_date", r.episode_referral_date)?;
        f.opt_day("start_date", r.start_date, r.has_start_date)?;
        f.opt_day("end_date", r.end_date, r.has_end_date)?;
        f.text("initial_category", r.initial_category)?;
        f.text("latest_category", r.latest_category)?;
        f.count("previous_plans", r.previous_plans, r.has_previous_plans);
        f.days("review_dates", r.review_dates, r.n_review_dates)
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
        add::<_, CpPlan>(
            builder,
            record,
            "csc_cp_plan",
            "csc_builder_add_cp_plan",
            cp_plan,
        )
    }
}

/// `csc_header` as cells.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn header(f: &mut Fields<'_>, r: &csc_header) -> Res<()> {
    // SAFETY: forwarded from the caller.
    unsafe {
        f.text("child", r.child)?;
        f.text("sex", r.sex)?;
        f.opt_day("dob", r.dob, r.has_dob)?;
        f.text("ethnic", r.ethnic)?;
        f.text("upn", r.upn)?;
        f.text("mother", r.mother)?;
        f.opt_day("mc_dob", r.mc_dob, r.has_mc_dob)
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
        add::<_, Header>(
            builder,
            record,
            "csc_header",
            "csc_builder_add_header",
            header,
        )
    }
}

/// `csc_care_episode` as cells.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn care_episode(f: &mut Fields<'_>, r: &csc_care_episode) -> Res<()> {
    // SAFETY: forwarded from the caller.
    unsafe {
        f.text("child", r.child)?;
        f.day("decom", r.decom)?;
        f.text("rne", r.rne)?;
        f.text("ls", r.ls)?;
        f.text("cin", r.cin)?;
        f.text("place", r.place)?;
        f.text("place_provider", r.place_provider)?;
        f.opt_day("dec", r.dec, r.has_dec)?;
        f.text("rec", r.rec)?;
        f.text("reason_place_change", r.reason_place_change)?;
        f.text("home_post", r.home_post)?;
        f.text("pl_post", r.pl_post)?;
        f.text("urn", r.urn)
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
        add::<_, CareEpisode>(
            builder,
            record,
            "csc_care_episode",
            "csc_builder_add_care_episode",
            care_episode,
        )
    }
}

/// `csc_ad1` as cells.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn ad1(f: &mut Fields<'_>, r: &csc_ad1) -> Res<()> {
    // SAFETY: forwarded from the caller.
    unsafe {
        f.text("child", r.child)?;
        f.opt_day("dob", r.dob, r.has_dob)?;
        f.opt_day("date_int", r.date_int, r.has_date_int)?;
        f.opt_day("date_match", r.date_match, r.has_date_match)?;
        f.text("foster_care", r.foster_care)?;
        f.text("nb_adoptr", r.nb_adoptr)?;
        f.text("sex_adoptr", r.sex_adoptr)?;
        f.text("ls_adoptr", r.ls_adoptr)
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
    unsafe { add::<_, Ad1>(builder, record, "csc_ad1", "csc_builder_add_ad1", ad1) }
}

/// `csc_placed_adoption` as cells.
///
/// # Safety
///
/// Its strings are NULL or NUL-terminated; its arrays hold their lengths.
unsafe fn placed_adoption(f: &mut Fields<'_>, r: &csc_placed_adoption) -> Res<()> {
    // SAFETY: forwarded from the caller.
    unsafe {
        f.text("child", r.child)?;
        f.opt_day("dob", r.dob, r.has_dob)?;
        f.opt_day("date_placed", r.date_placed, r.has_date_placed)?;
        f.opt_day(
            "date_placed_ceased",
            r.date_placed_ceased,
            r.has_date_placed_ceased,
        )?;
        f.text("reason_placed_ceased", r.reason_placed_ceased)
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
        add::<_, PlacedAdoption>(
            builder,
            record,
            "csc_placed_adoption",
            "csc_builder_add_placed_adoption",
            placed_adoption,
        )
    }
}

/// The table of the return being built that `name` names, or an error naming the tables it could
/// be.
fn table_of(kind: ReturnKind, name: &str) -> Res<&'static TableSchema> {
    if let Some(t) = schema::table_named(Some(kind), name) {
        return Ok(t);
    }
    let other = match kind {
        ReturnKind::Cin => ReturnKind::Ssda903,
        ReturnKind::Ssda903 => ReturnKind::Cin,
    };
    let why = match schema::table_named(Some(other), name) {
        Some(t) => format!(
            "{name:?} is the {} table {}, and the return being built is a {} return",
            family_name(other),
            t.name,
            family_name(kind)
        ),
        None => format!("unknown table {name:?}"),
    };
    Err(Failure::invalid(format!(
        "{why}; the {} tables are {} (or one of their aliases)",
        family_name(kind),
        table_names(kind)
    )))
}

/// Adds one row to the table `table` of the return being built (begun by `csc_builder_begin_cin`
/// or `csc_builder_begin_ssda903`), given as `n` pairs of a column and its value: any table of
/// that return, so that a table the library gains needs no new C function (`csc_catalog_json`
/// lists the tables and their columns).
///
/// - `table` is the table's name or one of its aliases, in any case, ignoring `_`, `-` and
///   spaces (`Episodes`, `CINdetails`, `ChildProtectionPlans`, `PlacedAdoption`, `Reviews`,
///   `Missing`, ...). A table that is not one of the return's is `CSC_STATUS_INVALID_ARGUMENT`,
///   naming the tables it could be.
/// - `columns[i]` is a column by its official name (`CHILD`, `DECOM`, `LAchildID`,
///   `CINreferralDate`, ..., in any case), or another name the field is read under
///   (`GenderCurrent` for `Sex`); an unknown column is `CSC_STATUS_INVALID_ARGUMENT`, naming it
///   and the table's columns. A column left out is blank. A nested CIN table (`Assessments`,
///   `Section47`, `ChildProtectionPlans`, `CINPlanDates`) names its CIN episode by a
///   `CINreferralDate` column.
/// - `values[i]` is its value as text, as in a file: NULL or empty is blank; dates are
///   `DD/MM/YYYY` or `YYYY-MM-DD`; flags `1`/`0` (or `true`/`false` where the return allows); a
///   set of codes or of dates (`Disability`, `AssessmentFactors`, `CPPreviewDate`) is one pair per
///   value, its column repeated.
///
/// The row then goes through the row rules as a file's row does (see `csc_builder`): a row
/// without a child identifier or a required date, or with an unreadable date of its own, is
/// skipped; an unreadable child-level date is blanked; each with an entry in the load report,
/// located at `builder/<TABLE>`, line = the row's number among the rows added to that table of
/// that return, and the column and value. Such rows are not errors: the call returns
/// `CSC_STATUS_OK`.
///
/// # Safety
///
/// `builder` is NULL or a live builder; `table` NULL or NUL-terminated; `columns` and `values`
/// NULL (with `n` 0) or arrays of `n` pointers, each column a NUL-terminated string, each value
/// NULL or a NUL-terminated string. Nothing is kept of them after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_builder_add_row(
    builder: *mut csc_builder,
    table: *const c_char,
    columns: *const *const c_char,
    values: *const *const c_char,
    n: usize,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (b, name) = unsafe {
            (
                arg::handle_mut(builder, "builder")?,
                arg::text(table, "table")?,
            )
        };
        let kind = b.any_current("csc_builder_add_row")?.ret.kind();
        let schema = table_of(kind, name)?;
        // SAFETY: the caller's promises.
        let (cols, vals) = unsafe {
            (
                arg::texts(columns, n, "columns")?,
                arg::slice(values, n, "values")?,
            )
        };
        let mut cells = Vec::with_capacity(n);
        for (i, (&col, &v)) in cols.iter().zip(vals).enumerate() {
            let f = schema.column(col).ok_or_else(|| {
                let names: Vec<&str> = schema.fields.iter().map(|f| f.column).collect();
                Failure::invalid(format!(
                    "columns[{i}]: the table {} has no column {col:?}; its columns are {}",
                    schema.name,
                    names.join(", ")
                ))
            })?;
            // SAFETY: the caller's promise.
            let v = unsafe { arg::opt_text(v, &format!("values[{i}]")) }?;
            cells.push((f, col, v.map_or(Cell::Null, Cell::Text)));
        }
        b.read_row(schema, cells)
    })
}

/// Reads the stream `stream` (taken) as the table `name` of a return of `kind` for `year`.
fn read_arrow(
    name: &str,
    stream: FFI_ArrowArrayStream,
    kind: ReturnKind,
    year: Option<i32>,
) -> Res<ReadReturn> {
    if stream.release.is_none() {
        return Err(Failure::invalid(
            "stream: the ArrowArrayStream is released already (its release callback is NULL)",
        ));
    }
    if stream.get_schema.is_none() || stream.get_next.is_none() || stream.get_last_error.is_none() {
        return Err(Failure::invalid(
            "stream: the ArrowArrayStream lacks a callback (get_schema, get_next or get_last_error is NULL)",
        ));
    }
    let bad = |what: String| Error::new(ErrorKind::InvalidInput, format!("table {name}: {what}"));
    let reader = ArrowArrayStreamReader::try_new(stream)
        .map_err(|e| bad(format!("the Arrow stream's schema cannot be read: {e}")))?;
    // A stream that fails without saying why makes the Arrow reader panic: that is the stream's
    // fault, not a bug here. The reader (and so the stream) is released while unwinding.
    let table = catch_unwind(AssertUnwindSafe(move || {
        csc_arrow::table_from_reader(name, reader)
    }))
    .map_err(|_| {
        bad("reading the Arrow stream failed, and the stream gave no error message".into())
    })??;
    let input = ReturnInput::new(Some(kind), year, vec![table]);
    let read = csc_arrow::read(vec![input], false)?;
    read.into_iter()
        .find(|r| r.kind() == kind)
        .ok_or_else(|| Failure::invalid(format!("table {name}: no {} table", family_name(kind))))
}

/// Adds a whole table, given as an Arrow C stream (`struct ArrowArrayStream`, the Arrow C stream
/// interface, as pyarrow, polars, `DuckDB`, nanoarrow and R's arrow give it), to the return being
/// built, as the Python module's frames are read (`csc_arrow`).
///
/// `table` names the table as `csc_builder_add_row` takes it; a CIN census return also takes its
/// child split over `ChildIdentifiers`, `ChildCharacteristics` and `Disabilities` and a `Header`
/// holding `ReferenceDate`. Columns are found by their official names (others are ignored); their
/// Arrow types may be text, numbers, booleans, dates, timestamps, dictionaries or lists of these;
/// text dates are `DD/MM/YYYY` or `YYYY-MM-DD`. Every row goes through the row rules; entries are
/// located at `<YEAR>/<table>` (the return's collection year, when known, then `table` as given),
/// the row's 1-based number across the stream's batches as the line, and the column.
///
/// A table that is not one of the return's, a missing required column (the child identifier, a
/// required date) or a column whose type cannot hold its field, or a stream that fails, is
/// `CSC_STATUS_INVALID_INPUT`, and nothing is added; a released stream or one without its
/// callbacks is `CSC_STATUS_INVALID_ARGUMENT`.
///
/// The stream is consumed whatever happens, even on an error or a NULL `builder`: its release
/// callback has been called when this returns, and `stream->release` is NULL; the caller still
/// owns the `struct ArrowArrayStream` itself (its memory). A NULL `stream` is
/// `CSC_STATUS_NULL_ARGUMENT`.
///
/// # Safety
///
/// `builder` is NULL or a live builder; `table` NULL or NUL-terminated; `stream` NULL or a valid
/// `struct ArrowArrayStream` (released or not) that no one else uses during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_builder_add_arrow(
    builder: *mut csc_builder,
    table: *const c_char,
    stream: *mut FFI_ArrowArrayStream,
) -> csc_status {
    guard(|| {
        // Taken first, so that every way out below releases it (by dropping it).
        // SAFETY: the caller's promise: NULL or a valid stream, moved out here and left released.
        let stream = (!stream.is_null()).then(|| unsafe { FFI_ArrowArrayStream::from_raw(stream) });
        // SAFETY: the caller's promises.
        let (b, name) = unsafe {
            (
                arg::handle_mut(builder, "builder")?,
                arg::text(table, "table")?,
            )
        };
        let stream = stream.ok_or_else(|| Failure::null("stream"))?;
        let c = b.any_current("csc_builder_add_arrow")?;
        let kind = c.ret.kind();
        let year = c.ret.source_mut().collection_year;
        let read = read_arrow(name, stream, kind, year)?;
        let (source, issues) = match &read {
            ReadReturn::Cin(r) => (r.ret.source.clone(), r.issues.clone()),
            ReadReturn::Ssda903(r) => (r.ret.source.clone(), r.issues.clone()),
        };
        let src = c.ret.source_mut();
        let base = src.files.len() as u32;
        src.files.extend(source.files.iter().cloned());
        src.reference_date = src.reference_date.or(source.reference_date);
        let held = c.held.get_or_insert_with(Vec::new);
        for t in source.tables.into_iter().flatten() {
            if !held.contains(&t) {
                held.push(t);
            }
        }
        let mut append = Append {
            into: &mut c.ret,
            base,
        };
        match read {
            ReadReturn::Cin(r) => r.ret.into_rows(&mut append),
            ReadReturn::Ssda903(r) => r.ret.into_rows(&mut append),
        }
        b.add_issues(issues);
        Ok(())
    })
}

/// Validates, merges and freezes every return added (the same rules as files: spec section 2)
/// into a new dataset. With `strict`, the first row skipped by the row rules, or the first
/// duplicated collection year, is a `CSC_STATUS_DATA_QUALITY` error; otherwise problems are
/// entries of the dataset's load report.
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
        // The row rules read leniently as rows came; strict mode stops at their first entry that
        // stops it, as a strict read of a file would have.
        if strict {
            if let Some(i) = &b.first_stop {
                return Err(i.strict_error().into());
            }
        }
        let ds = b.done.strict(strict).build()?;
        out.set(csc_dataset::boxed(ds));
        Ok(())
    })
}
