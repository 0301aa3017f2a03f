//! The multi-year merge of spec 2.1 (and 2.3, 2.5, 2.7), on the rows of one table at a time, by
//! what the table's [schema](crate::schema) says of it.
//!
//! Rows are tagged with the position of their return in collection-year order. Then, by
//! [`Merge`]:
//!
//! * keyed tables: within one return identical rows collapse (`duplicate_row`) and different rows
//!   sharing a key are all kept (`duplicate_key`); across returns a key is replaced as a group by
//!   the latest return that holds it; then open records are stitched across consecutive years, as
//!   the table's [`Stitch`] says;
//! * tables whose rows belong to their return: the same within a return, nothing across returns;
//! * child-level tables: one row per child, the latest return's, blanks filled from earlier ones.

use super::Set;

use compact_str::CompactString;

use crate::day::Day;
use crate::quality::{Issue, IssueCode};
use crate::records::RowOrigin;
use crate::schema::{FieldKind, FieldValue, Merge, Record, Stitch};

/// A row with the position of its return (in merge order).
#[derive(Clone, Debug)]
pub(crate) struct Tagged<R> {
    pub ret: u32,
    pub row: R,
    /// Its end was set by stitching (`not_resubmitted_closed`, spec 2.1).
    pub closed: bool,
}

/// Reports an issue about a row; the builder adds the file location.
pub(crate) trait Report {
    fn report(&mut self, ret: u32, origin: RowOrigin, issue: Issue);
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

/// What stitching needs to know about the returns of one kind.
pub(crate) struct Years<'a> {
    /// Collection year of each return position.
    pub year: &'a [Option<i32>],
    /// For each return position, the children that appear in it.
    pub appears: &'a [Set<CompactString>],
    /// For each return position, the tables it holds rows of (a table is stitched between Y and
    /// Y+1 only when return Y+1 holds it: spec 2.7).
    pub holds: &'a [Set<&'static str>],
}

impl Years<'_> {
    fn holds(&self, y: i32, table: &str) -> bool {
        self.year
            .iter()
            .zip(self.holds)
            .any(|(ry, t)| *ry == Some(y) && t.contains(table))
    }

    fn child_appears_in(&self, y: i32, child: &str) -> bool {
        self.year
            .iter()
            .zip(self.appears)
            .any(|(ry, set)| *ry == Some(y) && set.contains(child))
    }
}

/// Merges one table's rows as its schema says: `rows` may be in any order; the result is sorted by
/// (child, key, return, origin).
pub(crate) fn merge<R: Record>(
    rows: Vec<Tagged<R>>,
    years: &Years<'_>,
    rep: &mut dyn Report,
) -> Vec<Tagged<R>> {
    match R::SCHEMA.merge {
        Merge::Keyed => stitch(merge_keys(rows, false, rep), years, rep),
        Merge::PerReturn => merge_keys(rows, true, rep),
        Merge::ChildLevel => merge_children(rows, rep),
    }
}

/// Duplicates within a return, then (unless `per_return`) replacement of key groups by the latest
/// return.
fn merge_keys<R: Record>(
    rows: Vec<Tagged<R>>,
    per_return: bool,
    rep: &mut dyn Report,
) -> Vec<Tagged<R>> {
    let table = R::SCHEMA;
    // Each row's key worked out once; the rows are taken in (child, key, return, origin) order
    // through a sorted index, each moved once.
    let keys: Vec<Option<Day>> = rows.iter().map(|t| t.row.key()).collect();
    let mut order: Vec<u32> = (0..rows.len() as u32).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (&rows[a as usize], &rows[b as usize]);
        (ra.row.child(), keys[a as usize], ra.ret, ra.row.origin()).cmp(&(
            rb.row.child(),
            keys[b as usize],
            rb.ret,
            rb.row.origin(),
        ))
    });
    let mut slots: Vec<Option<Tagged<R>>> = rows.into_iter().map(Some).collect();
    let mut out: Vec<Tagged<R>> = Vec::with_capacity(slots.len());
    let mut group: Vec<Tagged<R>> = Vec::new();
    let has_dates = table.fields.iter().any(|f| f.kind == FieldKind::Dates);
    let mut iter = order
        .into_iter()
        .filter_map(|i| Some((keys[i as usize], slots[i as usize].take()?)))
        .peekable();
    while let Some((key, first)) = iter.next() {
        group.clear();
        group.push(first);
        while let Some((_, next)) =
            iter.next_if(|(k, t)| *k == key && t.row.child() == group[0].row.child())
        {
            group.push(next);
        }
        // The group shares a key; the latest return's rows are its last ones.
        let latest = group[group.len() - 1].ret;
        let dates = if per_return || !has_dates {
            Vec::new()
        } else {
            union_dates(&group)
        };
        let group_start = out.len();
        let mut first_kept = out.len();
        let mut ret_of_kept = u32::MAX;
        for t in group.drain(..).filter(|t| per_return || t.ret == latest) {
            if t.ret != ret_of_kept {
                first_kept = out.len();
                ret_of_kept = t.ret;
            }
            let kept: &[Tagged<R>] = &out[first_kept..];
            // Only for messages: worked out when there is one.
            let what = || match table.key {
                Some(_) => format!("{} {}", table.key_column(), show(t.row.key())),
                None => "child".to_owned(),
            };
            if let Some(same) = kept.iter().find(|k| k.row.same_content(&t.row)) {
                let what = what();
                let msg = format!(
                    "identical {} row for {what} repeats the row at line {}; collapsed to one",
                    table.noun,
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
                let what = what();
                let msg = match table.key {
                    Some(_) => format!(
                        "another {} row of this child has the same {what}; both are kept",
                        table.noun
                    ),
                    None => format!(
                        "the child has another {} row in this return; both are kept",
                        table.noun
                    ),
                };
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
        for t in &mut out[group_start..] {
            for (f, d) in &dates {
                t.row.set(*f, FieldValue::Days(d.clone()));
            }
        }
    }
    out
}

/// Spec 2.4: sets of dates (CP plan reviews) are not replaced across returns. For each such field,
/// the distinct dates of every row of a key group, in every return: the rows kept for the key
/// (after duplicates are judged on what each return said) all get them.
fn union_dates<R: Record>(group: &[Tagged<R>]) -> Vec<(usize, Vec<Day>)> {
    let mut out = Vec::new();
    for (f, field) in R::SCHEMA.fields.iter().enumerate() {
        if field.kind != FieldKind::Dates {
            continue;
        }
        let mut all: Vec<Day> = Vec::new();
        for t in group {
            if let crate::schema::FieldRef::Days(d) = t.row.get(f) {
                all.extend_from_slice(d);
            }
        }
        all.sort_unstable();
        all.dedup();
        out.push((f, all));
    }
    out
}

/// Stitching (spec 2.1 rule 1, 2.7), on merged rows.
fn stitch<R: Record>(
    rows: Vec<Tagged<R>>,
    years: &Years<'_>,
    rep: &mut dyn Report,
) -> Vec<Tagged<R>> {
    let table = R::SCHEMA;
    let (Some(end), stitch) = (table.end, table.stitch) else {
        return rows;
    };
    if stitch == Stitch::Never {
        return rows;
    }
    let mut out = Vec::with_capacity(rows.len());
    for mut t in rows {
        let y = years.year[t.ret as usize];
        let next = y.map(|y| y + 1).filter(|&n| years.holds(n, table.name));
        let (Some(next), None) = (next, t.row.end()) else {
            out.push(t);
            continue;
        };
        let appears = years.child_appears_in(next, t.row.child());
        if appears || stitch == Stitch::Drop {
            let why = if appears {
                format!("the child is in the {next} return, which does not restate it")
            } else {
                format!(
                    "absent from the {next} return; an assessment is never completed by a repair"
                )
            };
            let msg = format!(
                "open {} with {} {} in the {} return dropped: {why}",
                table.noun,
                table.key_column(),
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
            let close = if stitch == Stitch::DropOrCloseLastDay {
                Day::from_ymd(next - 1, 3, 31)
            } else {
                Day::from_ymd(next - 1, 4, 1)
            }
            .unwrap_or(Day::MAX);
            let msg = format!(
                "open {} with {} {} is not in the {next} return and the child is not either; closed on {close}",
                table.noun,
                table.key_column(),
                show(t.row.key())
            );
            rep.report(
                t.ret,
                t.row.origin(),
                Issue::new(IssueCode::NotResubmittedClosed, msg)
                    .child(t.row.child())
                    .record(t.row.key()),
            );
            t.row.set(end, FieldValue::Date(Some(close)));
            t.closed = true;
            if let Some(b) = table.blank_on_close {
                t.row.set(b, FieldValue::Text(CompactString::default()));
            }
            out.push(t);
        }
    }
    out
}

/// Child-level rows: the latest return's row, blanks filled from the latest earlier non-blank value;
/// a changed date of birth (the table's first child-level date) is reported. Within one return,
/// identical rows collapse and differing ones are reported as duplicate keys (the later in the file
/// wins).
fn merge_children<R: Record>(rows: Vec<Tagged<R>>, rep: &mut dyn Report) -> Vec<Tagged<R>> {
    let table = R::SCHEMA;
    let dob_field = table
        .fields
        .iter()
        .position(|f| matches!(f.kind, FieldKind::Date(crate::schema::DateRole::Child)));
    let dob = |r: &R| dob_field.and_then(|f| r.get(f).day());
    let rows = sorted_by(rows, |a, b| {
        (a.row.child(), a.ret, a.row.origin()).cmp(&(b.row.child(), b.ret, b.row.origin()))
    });
    let mut out: Vec<Tagged<R>> = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let mut j = i + 1;
        while j < rows.len() && rows[j].row.child() == rows[i].row.child() {
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
                        table.name
                    );
                    rep.report(
                        t.ret,
                        t.row.origin(),
                        Issue::new(code, msg).child(t.row.child()),
                    );
                }
                merged.row.fill_from(&t.row);
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
                Issue::new(IssueCode::ChildFieldChanged, msg).child(merged.row.child()),
            );
        }
        out.push(merged);
        i = j;
    }
    out
}

/// Shows an optional date for messages.
pub(crate) fn show(d: Option<Day>) -> String {
    d.map_or_else(|| "(blank)".to_owned(), |d| d.to_string())
}
