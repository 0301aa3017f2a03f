//! `csc_dataset`: a validated, frozen dataset, from files, the built-in sample or the builder; its
//! summary and its load report.

use std::ffi::{CString, c_char};
use std::sync::OnceLock;

use csc_api::{Input, Inputs, Sample};
use csc_measures::Dataset;
use csc_measures::quality::Issue;
use csc_measures::records::ReturnKind;

use crate::arg;
use crate::status::{Res, csc_status, guard, guard_value};
use crate::text;

/// A validated, immutable dataset: every loaded return after the merge and repairs, with its load
/// report. Made by `csc_dataset_load`, `csc_dataset_sample` or `csc_builder_build`; freed by
/// `csc_dataset_free`.
///
/// Thread safety: immutable once made. Any number of threads may compute from it and read its
/// report at the same time; free it only when no call is using it.
pub struct csc_dataset {
    pub(crate) ds: Dataset,
    /// The report's strings, made on first use.
    issues: OnceLock<Vec<IssueText>>,
}

struct IssueText {
    child: Option<CString>,
    message: CString,
    file: Option<CString>,
    path: Option<CString>,
    column: Option<CString>,
    value: Option<CString>,
}

impl IssueText {
    fn of(i: &Issue) -> IssueText {
        let loc = i.location.as_ref();
        let opt = |s: Option<&str>| s.map(text::owned);
        IssueText {
            child: opt(i.child.as_deref()),
            message: text::owned(&i.message),
            file: opt(loc.and_then(|l| l.file.as_deref())),
            path: opt(loc.and_then(|l| l.path.as_deref())),
            column: opt(loc.and_then(|l| l.column.as_deref())),
            value: opt(loc.and_then(|l| l.value.as_deref())),
        }
    }
}

impl csc_dataset {
    /// A handle owning `ds`, for the caller to free.
    pub(crate) fn boxed(ds: Dataset) -> *mut csc_dataset {
        Box::into_raw(Box::new(csc_dataset {
            ds,
            issues: OnceLock::new(),
        }))
    }
}

/// What a dataset holds, as `csc_dataset_summary` gives it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub struct csc_summary {
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
    /// Data-quality issues (`csc_dataset_issue_count`).
    pub issues: usize,
}

/// One data-quality entry of the load report, as `csc_dataset_issue` gives it. Every string
/// belongs to the dataset and is valid until `csc_dataset_free`; NULL means "not known".
#[repr(C)]
#[derive(Clone, Copy, Debug)]
#[allow(non_camel_case_types)]
pub struct csc_issue {
    /// The spec's snake_case code (`open_episode_closed`, `unreadable_date`, ...); never NULL.
    pub code: *const c_char,
    /// `warning`, `repair` or `skipped`; never NULL.
    pub severity: *const c_char,
    /// The child's identifier, or NULL.
    pub child: *const c_char,
    /// The record's key date (day number), when `has_record`.
    pub record: i32,
    /// Whether `record` is set.
    pub has_record: bool,
    /// What happened, for a person; never NULL.
    pub message: *const c_char,
    /// The file, as the caller named it, or NULL. Rows added to a builder are located at
    /// `builder/<TABLE>` (`csc_builder_add_row` and the typed functions) or at `<YEAR>/<TABLE>`
    /// (an Arrow table, `csc_builder_add_arrow`).
    pub file: *const c_char,
    /// The 1-based line in `file`, when `has_line` (for rows added to a builder, the row's number
    /// among the rows added to that table of that return, or in the Arrow table).
    pub line: u32,
    /// Whether `line` is set.
    pub has_line: bool,
    /// The XML element path, or NULL.
    pub path: *const c_char,
    /// The column or element name, or NULL.
    pub column: *const c_char,
    /// The value as it stood in the file, or NULL.
    pub value: *const c_char,
}

/// Reads returns from files and merges them into a dataset (the CLI's `--cin` and `--ssda903`).
///
/// `cin_paths` are CIN census XML files; `ssda903_paths` SSDA903 returns (a folder of CSV tables
/// or an XML file). Each may be written `YEAR=PATH` (`2024=returns/2024`) to give its collection
/// year; otherwise it is derived (`ReferenceDate`, or the latest `DECOM`). Paths are UTF-8. An
/// array may be NULL when its length is 0. With `strict`, the first skipped row or duplicated year
/// is an error (`CSC_STATUS_DATA_QUALITY`); otherwise every problem is an entry of the load report.
/// A missing file is `CSC_STATUS_IO`, a malformed `YEAR=` `CSC_STATUS_INVALID_INPUT`.
///
/// # Safety
///
/// Each array is NULL (with length 0) or holds its length of NUL-terminated strings; `out` is NULL
/// or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_dataset_load(
    cin_paths: *const *const c_char,
    n_cin: usize,
    ssda903_paths: *const *const c_char,
    n_ssda903: usize,
    strict: bool,
    out: *mut *mut csc_dataset,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (out, cin, ssda903) = unsafe {
            (
                arg::out(out, "out")?,
                arg::texts(cin_paths, n_cin, "cin_paths")?,
                arg::texts(ssda903_paths, n_ssda903, "ssda903_paths")?,
            )
        };
        let ds = load_paths(&cin, &ssda903, strict)?;
        out.set(csc_dataset::boxed(ds));
        Ok(())
    })
}

/// Reads and merges returns named as the CLI names them, as every surface loads them
/// (`csc_api::load`). No returns at all is an empty dataset, not the sample.
fn load_paths(cin: &[&str], ssda903: &[&str], strict: bool) -> Res<Dataset> {
    let mut returns = Vec::with_capacity(cin.len() + ssda903.len());
    for s in cin {
        returns.push(Input::parse(ReturnKind::Cin, s)?);
    }
    for s in ssda903 {
        returns.push(Input::parse(ReturnKind::Ssda903, s)?);
    }
    let inputs = Inputs {
        returns,
        strict,
        ..Inputs::default()
    };
    Ok(csc_api::load(&inputs, &|_| {})?.dataset)
}

/// The built-in synthetic sample: a made-up local authority of `children` children with collection
/// years 2019-2024, the same for the same `seed` on every machine. The CLI's sample (used when no
/// returns are given) is `children = 40000, seed = 42`. More than 5,000,000 children is
/// `CSC_STATUS_INVALID_REQUEST` (the sample is made in memory), as on every surface.
///
/// # Safety
///
/// `out` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_dataset_sample(
    children: u32,
    seed: u64,
    out: *mut *mut csc_dataset,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let out = unsafe { arg::out(out, "out") }?;
        let inputs = Inputs {
            sample: Some(Sample::new(Some(children), Some(seed))?),
            ..Inputs::default()
        };
        out.set(csc_dataset::boxed(csc_api::load(&inputs, &|_| {})?.dataset));
        Ok(())
    })
}

/// Frees a dataset. NULL is a no-op.
///
/// # Safety
///
/// `ds` is NULL or a dataset not yet freed, that no other call is using; it is invalid afterwards,
/// as are the strings its report gave out.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_dataset_free(ds: *mut csc_dataset) {
    guard_value((), || {
        if !ds.is_null() {
            // SAFETY: made by `Box::into_raw` in `csc_dataset::boxed`, freed once.
            drop(unsafe { Box::from_raw(ds) });
        }
        Ok(())
    });
}

/// Counts of what the dataset holds.
///
/// # Safety
///
/// `ds` is NULL or a live dataset; `out` is NULL or valid for writing a `csc_summary`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_dataset_summary(
    ds: *const csc_dataset,
    out: *mut csc_summary,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (ds, out) = unsafe { (arg::handle(ds, "ds")?, arg::out(out, "out")?) };
        let s = ds.ds.summary();
        out.set(csc_summary {
            children: s.children,
            cin_episodes: s.cin_episodes,
            assessments: s.assessments,
            section47s: s.section47s,
            cp_plans: s.cp_plans,
            care_episodes: s.care_episodes,
            periods_of_care: s.periods_of_care,
            placements: s.placements,
            issues: s.issues,
        });
        Ok(())
    })
}

/// The latest collection year loaded, of either kind: the default year of the CLI's `compute`
/// and `report`. `CSC_STATUS_INVALID_PERIOD` when no return has a known collection year.
///
/// # Safety
///
/// `ds` is NULL or a live dataset; `out` is NULL or valid for writing an `int32_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_dataset_latest_year(
    ds: *const csc_dataset,
    out: *mut i32,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (ds, out) = unsafe { (arg::handle(ds, "ds")?, arg::out(out, "out")?) };
        out.set(csc_api::latest_year(&ds.ds)?);
        Ok(())
    })
}

/// The number of entries in the load report (0 when `ds` is NULL).
///
/// # Safety
///
/// `ds` is NULL or a live dataset.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_dataset_issue_count(ds: *const csc_dataset) -> usize {
    guard_value(0, || {
        // SAFETY: the caller's promise.
        Ok(unsafe { arg::handle(ds, "ds") }?.ds.issues().len())
    })
}

/// Entry `index` of the load report (0-based, in report order: the readers' entries, then the
/// merge's). Its strings belong to the dataset and stay valid until `csc_dataset_free`.
/// `CSC_STATUS_INVALID_ARGUMENT` when `index >= csc_dataset_issue_count(ds)`.
///
/// # Safety
///
/// `ds` is NULL or a live dataset; `out` is NULL or valid for writing a `csc_issue`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_dataset_issue(
    ds: *const csc_dataset,
    index: usize,
    out: *mut csc_issue,
) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promises.
        let (ds, out) = unsafe { (arg::handle(ds, "ds")?, arg::out(out, "out")?) };
        let issue = arg::index(ds.ds.issues(), index, "issue")?;
        let texts = ds
            .issues
            .get_or_init(|| ds.ds.issues().iter().map(IssueText::of).collect());
        let t = &texts[index];
        let loc = issue.location.as_ref();
        let line = loc.and_then(|l| l.line);
        out.set(csc_issue {
            code: text::fixed(issue.code.as_str()),
            severity: text::fixed(issue.code.severity().as_str()),
            child: text::ptr(t.child.as_ref()),
            record: issue.record.map_or(0, csc_measures::Day::get),
            has_record: issue.record.is_some(),
            message: t.message.as_ptr(),
            file: text::ptr(t.file.as_ref()),
            line: line.unwrap_or(0),
            has_line: line.is_some(),
            path: text::ptr(t.path.as_ref()),
            column: text::ptr(t.column.as_ref()),
            value: text::ptr(t.value.as_ref()),
        });
        Ok(())
    })
}
