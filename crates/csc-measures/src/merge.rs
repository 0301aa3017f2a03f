//! The multi-year merge of spec 2.1, on rows of one table at a time.
//!
//! Every table goes through the same steps: rows are tagged with the position of their return in
//! collection-year order; within one return identical rows collapse (`duplicate_row`) and different
//! rows sharing a key are all kept (`duplicate_key`); across returns a key is replaced as a group by
//! the latest return that holds it; then open records are stitched across consecutive years.

use std::collections::HashSet;

use compact_str::CompactString;

use crate::codes;
use crate::day::Day;
use crate::quality::{Issue, IssueCode};
use crate::records::{
    Ad1, Assessment, CareEpisode, CinEpisode, CpPlan, PlacedAdoption, RowOrigin, Section47,
};

/// How an open record of return Y, absent from return Y+1, is stitched (spec 2.1 rule 1).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stitch {
    /// Not stitched (section 47 enquiries, AD1, PlacedAdoption).
    Never,
    /// Dropped when the child appears in Y+1, else closed on the first day of Y+1.
    DropOrClose,
    /// Dropped either way (assessments: a repair never completes one).
    Drop,
}

/// What the merge needs to know about a record type.
pub(crate) trait MergeRow: Clone + PartialEq {
    /// The table's name in messages.
    const TABLE: &'static str;
    /// The key date's field name.
    const KEY: &'static str;
    /// How open records are stitched.
    const STITCH: Stitch = Stitch::Never;
    fn child(&self) -> &str;
    fn key(&self) -> Option<Day>;
    fn origin(&self) -> RowOrigin;
    fn set_origin(&mut self, o: RowOrigin);
    /// The end date whose absence makes the record open (for stitching).
    fn end(&self) -> Option<Day> {
        None
    }
    /// Closes an open record on `day` (stitching rule 1).
    fn close(&mut self, _day: Day) {}
    /// Trims and upper-cases the fields; calls `unknown(column, value)` for each unknown code.
    fn normalise(&mut self, unknown: &mut dyn FnMut(&'static str, &str));
}

/// A row with the position of its return (in merge order).
#[derive(Clone)]
pub(crate) struct Tagged<R> {
    pub ret: u32,
    pub row: R,
}

/// Reports an issue about a row; the builder adds the file location.
pub(crate) trait Report {
    fn report(&mut self, ret: u32, origin: RowOrigin, issue: Issue);
}

fn content_eq<R: MergeRow>(a: &R, b: &R) -> bool {
    let mut b2 = b.clone();
    b2.set_origin(a.origin());
    *a == b2
}

/// Sorts `v` by `cmp`, stably, moving each element once: the rows are large, so the sort works on
/// indices and the rows are moved into place at the end.
pub(crate) fn sorted_by<T>(v: Vec<T>, mut cmp: impl FnMut(&T, &T) -> std::cmp::Ordering) -> Vec<T> {
    if v.is_sorted_by(|a, b| cmp(a, b).is_le()) {
        return v;
    }
    let mut idx: Vec<u32> = (0..v.len() as u32).collect();
    idx.sort_by(|&a, &b| cmp(&v[a as usize], &v[b as usize]));
    let mut slots: Vec<Option<T>> = v.into_iter().map(Some).collect();
    idx.into_iter()
        .filter_map(|i| slots[i as usize].take())
        .collect()
}

fn key_order<R: MergeRow>(a: &Tagged<R>, b: &Tagged<R>) -> std::cmp::Ordering {
    (a.row.child(), a.row.key(), a.ret, a.row.origin()).cmp(&(
        b.row.child(),
        b.row.key(),
        b.ret,
        b.row.origin(),
    ))
}

/// Steps 1-2 of the merge: duplicates within a return, then replacement of key groups by the latest
/// return. `rows` may be in any order; the result is sorted by (child, key, return, origin).
pub(crate) fn merge_keys<R: MergeRow>(
    rows: Vec<Tagged<R>>,
    rep: &mut dyn Report,
) -> Vec<Tagged<R>> {
    let rows = sorted_by(rows, key_order);
    let mut out: Vec<Tagged<R>> = Vec::with_capacity(rows.len());
    let mut group: Vec<Tagged<R>> = Vec::new();
    let mut iter = rows.into_iter().peekable();
    while let Some(first) = iter.next() {
        group.clear();
        group.push(first);
        while let Some(next) = iter
            .next_if(|t| t.row.child() == group[0].row.child() && t.row.key() == group[0].row.key())
        {
            group.push(next);
        }
        // The group shares a key; the latest return's rows are its last ones.
        let latest = group[group.len() - 1].ret;
        let first_kept = out.len();
        for t in group.drain(..).filter(|t| t.ret == latest) {
            let kept: &[Tagged<R>] = &out[first_kept..];
            if let Some(same) = kept.iter().find(|k| content_eq(&k.row, &t.row)) {
                let msg = format!(
                    "identical {} row for {} {} repeats the row at line {}; collapsed to one",
                    R::TABLE,
                    R::KEY,
                    show(t.row.key()),
                    same.row.origin().line
                );
                rep.report(
                    t.ret,
                    t.row.origin(),
                    Issue::new(IssueCode::DuplicateRow, msg)
                        .child(t.row.child())
                        .record(t.row.key()),
                );
                continue;
            }
            if !kept.is_empty() {
                let msg = format!(
                    "another {} row of this child has the same {} {}; both are kept",
                    R::TABLE,
                    R::KEY,
                    show(t.row.key())
                );
                rep.report(
                    t.ret,
                    t.row.origin(),
                    Issue::new(IssueCode::DuplicateKey, msg)
                        .child(t.row.child())
                        .record(t.row.key()),
                );
            }
            out.push(t);
        }
    }
    out
}

/// What stitching needs to know about the returns of one kind.
pub(crate) struct Years<'a> {
    /// Collection year of each return position.
    pub year: &'a [Option<i32>],
    /// For each return position, the children that appear in it.
    pub appears: &'a [HashSet<CompactString>],
}

impl Years<'_> {
    fn has_year(&self, y: i32) -> bool {
        self.year.contains(&Some(y))
    }

    fn child_appears_in(&self, y: i32, child: &str) -> bool {
        self.year
            .iter()
            .zip(self.appears)
            .any(|(ry, set)| *ry == Some(y) && set.contains(child))
    }
}

/// Step 3, stitching (spec 2.1 rule 1), on merged rows.
pub(crate) fn stitch<R: MergeRow>(
    rows: Vec<Tagged<R>>,
    years: &Years<'_>,
    rep: &mut dyn Report,
) -> Vec<Tagged<R>> {
    if R::STITCH == Stitch::Never {
        return rows;
    }
    let mut out = Vec::with_capacity(rows.len());
    for mut t in rows {
        let y = years.year[t.ret as usize];
        let next = y.map(|y| y + 1).filter(|&n| years.has_year(n));
        let (Some(next), None) = (next, t.row.end()) else {
            out.push(t);
            continue;
        };
        let appears = years.child_appears_in(next, t.row.child());
        if appears || R::STITCH == Stitch::Drop {
            let why = if appears {
                format!("the child is in the {next} return, which does not restate it")
            } else {
                format!(
                    "absent from the {next} return; an assessment is never completed by a repair"
                )
            };
            let msg = format!(
                "open {} with {} {} in the {} return dropped: {why}",
                R::TABLE,
                R::KEY,
                show(t.row.key()),
                next - 1
            );
            rep.report(
                t.ret,
                t.row.origin(),
                Issue::new(IssueCode::SupersededOpenRecord, msg)
                    .child(t.row.child())
                    .record(t.row.key()),
            );
        } else {
            let close = Day::from_ymd(next - 1, 4, 1).unwrap_or(Day::MAX);
            let msg = format!(
                "open {} with {} {} is not in the {next} return and the child is not either; closed on {close}",
                R::TABLE,
                R::KEY,
                show(t.row.key())
            );
            rep.report(
                t.ret,
                t.row.origin(),
                Issue::new(IssueCode::NotResubmittedClosed, msg)
                    .child(t.row.child())
                    .record(t.row.key()),
            );
            t.row.close(close);
            out.push(t);
        }
    }
    out
}

/// Shows an optional date for messages.
pub(crate) fn show(d: Option<Day>) -> String {
    d.map_or_else(|| "(blank)".to_owned(), |d| d.to_string())
}

fn check(
    list: &[&str],
    column: &'static str,
    value: &str,
    unknown: &mut dyn FnMut(&'static str, &str),
) {
    if !codes::is_known(list, value) {
        unknown(column, value);
    }
}

macro_rules! common {
    () => {
        fn child(&self) -> &str {
            &self.child
        }
        fn origin(&self) -> RowOrigin {
            self.origin
        }
        fn set_origin(&mut self, o: RowOrigin) {
            self.origin = o;
        }
    };
}

impl MergeRow for CinEpisode {
    const TABLE: &'static str = "CIN episode";
    const KEY: &'static str = "CINreferralDate";
    const STITCH: Stitch = Stitch::DropOrClose;
    common!();
    fn key(&self) -> Option<Day> {
        Some(self.referral_date)
    }
    fn end(&self) -> Option<Day> {
        self.closure_date
    }
    fn close(&mut self, day: Day) {
        self.closure_date = Some(day);
    }
    fn normalise(&mut self, unknown: &mut dyn FnMut(&'static str, &str)) {
        codes::normalise_text(&mut self.child);
        codes::normalise_code(&mut self.referral_source);
        codes::normalise_code(&mut self.primary_need);
        codes::normalise_code(&mut self.reason_for_closure);
        check(
            codes::PRIMARY_NEED,
            "PrimaryNeedCode",
            &self.primary_need,
            unknown,
        );
        check(
            codes::REASON_FOR_CLOSURE,
            "ReasonForClosure",
            &self.reason_for_closure,
            unknown,
        );
    }
}

impl MergeRow for Assessment {
    const TABLE: &'static str = "assessment";
    const KEY: &'static str = "AssessmentActualStartDate";
    const STITCH: Stitch = Stitch::Drop;
    common!();
    fn key(&self) -> Option<Day> {
        self.start_date
    }
    fn end(&self) -> Option<Day> {
        self.authorisation_date
    }
    fn normalise(&mut self, _unknown: &mut dyn FnMut(&'static str, &str)) {
        codes::normalise_text(&mut self.child);
        for f in &mut self.factors {
            codes::normalise_code(f);
        }
    }
}

impl MergeRow for Section47 {
    const TABLE: &'static str = "section 47 enquiry";
    const KEY: &'static str = "S47ActualStartDate";
    common!();
    fn key(&self) -> Option<Day> {
        self.start_date
    }
    fn normalise(&mut self, _unknown: &mut dyn FnMut(&'static str, &str)) {
        codes::normalise_text(&mut self.child);
    }
}

impl MergeRow for CpPlan {
    const TABLE: &'static str = "CP plan";
    const KEY: &'static str = "CPPstartDate";
    const STITCH: Stitch = Stitch::DropOrClose;
    common!();
    fn key(&self) -> Option<Day> {
        self.start_date
    }
    fn end(&self) -> Option<Day> {
        self.end_date
    }
    fn close(&mut self, day: Day) {
        self.end_date = Some(day);
    }
    fn normalise(&mut self, unknown: &mut dyn FnMut(&'static str, &str)) {
        codes::normalise_text(&mut self.child);
        codes::normalise_code(&mut self.initial_category);
        codes::normalise_code(&mut self.latest_category);
        check(
            codes::CATEGORY_OF_ABUSE,
            "InitialCategoryOfAbuse",
            &self.initial_category,
            unknown,
        );
        check(
            codes::CATEGORY_OF_ABUSE,
            "LatestCategoryOfAbuse",
            &self.latest_category,
            unknown,
        );
    }
}

impl MergeRow for CareEpisode {
    const TABLE: &'static str = "care episode";
    const KEY: &'static str = "DECOM";
    const STITCH: Stitch = Stitch::DropOrClose;
    common!();
    fn key(&self) -> Option<Day> {
        Some(self.decom)
    }
    fn end(&self) -> Option<Day> {
        self.dec
    }
    fn close(&mut self, day: Day) {
        self.dec = Some(day);
        self.rec = CompactString::default();
    }
    fn normalise(&mut self, unknown: &mut dyn FnMut(&'static str, &str)) {
        codes::normalise_text(&mut self.child);
        for c in [
            &mut self.rne,
            &mut self.ls,
            &mut self.cin,
            &mut self.place,
            &mut self.place_provider,
            &mut self.rec,
            &mut self.reason_place_change,
            &mut self.urn,
        ] {
            codes::normalise_code(c);
        }
        codes::normalise_text(&mut self.home_post);
        codes::normalise_postcode(&mut self.pl_post);
        check(codes::RNE, "RNE", &self.rne, unknown);
        check(codes::LS, "LS", &self.ls, unknown);
        check(codes::CIN, "CIN", &self.cin, unknown);
        check(codes::PLACE, "PLACE", &self.place, unknown);
        check(
            codes::PLACE_PROVIDER,
            "PLACE_PROVIDER",
            &self.place_provider,
            unknown,
        );
        check(codes::REC, "REC", &self.rec, unknown);
        check(
            codes::REASON_PLACE_CHANGE,
            "REASON_PLACE_CHANGE",
            &self.reason_place_change,
            unknown,
        );
    }
}

impl MergeRow for Ad1 {
    const TABLE: &'static str = "AD1";
    const KEY: &'static str = "DATE_MATCH";
    common!();
    fn key(&self) -> Option<Day> {
        self.date_match
    }
    fn normalise(&mut self, _unknown: &mut dyn FnMut(&'static str, &str)) {
        codes::normalise_text(&mut self.child);
        for c in [
            &mut self.foster_care,
            &mut self.nb_adoptr,
            &mut self.sex_adoptr,
            &mut self.ls_adoptr,
        ] {
            codes::normalise_code(c);
        }
    }
}

impl MergeRow for PlacedAdoption {
    const TABLE: &'static str = "PlacedAdoption";
    const KEY: &'static str = "DATE_PLACED";
    common!();
    fn key(&self) -> Option<Day> {
        self.date_placed
    }
    fn normalise(&mut self, _unknown: &mut dyn FnMut(&'static str, &str)) {
        codes::normalise_text(&mut self.child);
        codes::normalise_code(&mut self.reason_placed_ceased);
    }
}

/// Orders one child's care episodes as spec 2.1: `DECOM`, then `DEC` ascending with blank last,
/// then file order.
pub(crate) fn episode_order(
    a: &Tagged<CareEpisode>,
    b: &Tagged<CareEpisode>,
) -> std::cmp::Ordering {
    let dec = |e: &CareEpisode| (e.dec.is_none(), e.dec);
    (
        a.row.child.as_str(),
        a.row.decom,
        dec(&a.row),
        a.ret,
        a.row.origin,
    )
        .cmp(&(
            b.row.child.as_str(),
            b.row.decom,
            dec(&b.row),
            b.ret,
            b.row.origin,
        ))
}

/// Repairs of care episodes (spec 2.1 rules 2 and 3), on one child's episodes in episode order.
pub(crate) fn repair_episodes(eps: &mut [Tagged<CareEpisode>], rep: &mut dyn Report) {
    for i in 0..eps.len().saturating_sub(1) {
        let (next_decom, next_rne_s) = (eps[i + 1].row.decom, eps[i + 1].row.rne == "S");
        let t = &mut eps[i];
        let e = &mut t.row;
        let (code, msg) = match e.dec {
            Some(dec) if e.rec == "X1" && dec < next_decom && !next_rne_s => {
                let msg = format!(
                    "REC X1 but DEC {dec} is before the next DECOM {next_decom}; DEC set to {next_decom}"
                );
                e.dec = Some(next_decom);
                (IssueCode::X1GapClosed, msg)
            }
            None => {
                let msg = format!(
                    "open episode followed by one starting {next_decom}; closed on {next_decom}"
                );
                e.dec = Some(next_decom);
                if !next_rne_s {
                    e.rec = CompactString::const_new("X1");
                }
                (IssueCode::OpenEpisodeClosed, msg)
            }
            Some(dec) if dec > next_decom => {
                let msg = format!(
                    "DEC {dec} is after the next DECOM {next_decom}; cut back to {next_decom}"
                );
                e.dec = Some(next_decom);
                if !next_rne_s {
                    e.rec = CompactString::const_new("X1");
                }
                (IssueCode::OverlapTruncated, msg)
            }
            _ => continue,
        };
        let issue = Issue::new(code, msg).child(&e.child).record(Some(e.decom));
        rep.report(t.ret, e.origin, issue);
    }
}
