//! The multi-year merge of spec 2.1 (and 2.3, 2.5, 2.7), on the rows of one table at a time, by
//! what the table's [schema](crate::schema) says of it.
//!
//! Rows are tagged with the position of their return in collection-year order and the index of
//! their child. Then, by [`Merge`]:
//!
//! * keyed tables: within one return identical rows collapse (`duplicate_row`) and different rows
//!   sharing a key are all kept (`duplicate_key`); across returns a key is replaced as a group by
//!   the latest return that holds it; then open records are stitched across consecutive years, as
//!   the table's [`Stitch`] says;
//! * tables whose rows belong to their return: the same within a return, nothing across returns;
//! * child-level tables: one row per child, the latest return's, blanks filled from earlier ones.
//!
//! The rows of a table stay where they were taken ([`Staged`]); the merge sorts, drops and
//! changes them through a list of row numbers, and each row is moved once, when the table is
//! frozen into columns.

use super::Set;

use compact_str::CompactString;

use crate::day::Day;
use crate::quality::{Issue, IssueCode};
use crate::records::RowOrigin;
use crate::schema::{FieldKind, FieldValue, Merge, Record, Stitch};

/// What the build knows of a row besides its fields.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tag {
    /// The position of its return (in merge order).
    pub ret: u32,
    /// The child: while rows are taken, the order in which the build first saw the identifier;
    /// from the merge on, the index into the dataset's children (identifiers in byte order).
    pub child: u32,
    /// Its chunk in [`Staged`].
    chunk: u32,
    /// Its end was set by stitching (`not_resubmitted_closed`, spec 2.1).
    pub closed: bool,
}

/// A row with its [`Tag`].
#[derive(Debug)]
pub(crate) struct Tagged<'a, R> {
    pub ret: u32,
    pub child: u32,
    pub closed: bool,
    pub row: &'a R,
}

impl<R> Clone for Tagged<'_, R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R> Copy for Tagged<'_, R> {}

/// The rows of one table while it is built: every row taken, left where the caller had it (one
/// chunk per return), a [`Tag`] per row, and the rows still in the table (not dropped), in table
/// order, as positions (a row's position counts the rows of the chunks before its own).
#[derive(Debug)]
pub(crate) struct Staged<R> {
    chunks: Vec<Vec<R>>,
    /// The position of each chunk's first row.
    starts: Vec<u32>,
    pub tags: Vec<Tag>,
    pub order: Vec<u32>,
}

impl<R> Default for Staged<R> {
    fn default() -> Staged<R> {
        Staged {
            chunks: Vec::new(),
            starts: Vec::new(),
            tags: Vec::new(),
            order: Vec::new(),
        }
    }
}

impl<R: Default> Staged<R> {
    /// Adds the rows of return `ret`, whose children are `child` (row by row), as a chunk (not in
    /// the table's order: see [`Staged::order`]); returns the position of the first.
    pub fn push_chunk(&mut self, ret: u32, rows: Vec<R>, child: &[u32]) -> u32 {
        debug_assert_eq!(rows.len(), child.len());
        let start = self.tags.len() as u32;
        let chunk = self.chunks.len() as u32;
        self.tags.extend(child.iter().map(|&child| Tag {
            ret,
            child,
            chunk,
            closed: false,
        }));
        self.starts.push(start);
        self.chunks.push(rows);
        start
    }

    /// Room for the tags and positions of `n` more rows.
    pub fn reserve(&mut self, n: usize) {
        self.tags.reserve(n);
        self.order.reserve(n);
    }

    fn at(&self, p: u32) -> (usize, usize) {
        let c = self.tags[p as usize].chunk as usize;
        (c, (p - self.starts[c]) as usize)
    }

    /// The row at position `p`, with its tag.
    pub fn get(&self, p: u32) -> Tagged<'_, R> {
        let t = self.tags[p as usize];
        let (c, i) = self.at(p);
        Tagged {
            ret: t.ret,
            child: t.child,
            closed: t.closed,
            row: &self.chunks[c][i],
        }
    }

    /// The fields of the row at position `p`.
    pub fn row_mut(&mut self, p: u32) -> &mut R {
        let (c, i) = self.at(p);
        &mut self.chunks[c][i]
    }

    /// The rows in the table, in table order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Tagged<'_, R>> + '_ {
        self.order.iter().map(|&p| self.get(p))
    }

    /// The rows in the table, in table order, moved out (the rows dropped on the way are
    /// dropped with them).
    pub fn into_ordered(self) -> impl ExactSizeIterator<Item = (Tag, R)> {
        let Staged {
            mut chunks,
            starts,
            tags,
            order,
        } = self;
        order.into_iter().map(move |p| {
            let t = tags[p as usize];
            let c = t.chunk as usize;
            (t, std::mem::take(&mut chunks[c][(p - starts[c]) as usize]))
        })
    }
}

/// Reports an issue about a row; the builder adds the file location.
pub(crate) trait Report {
    fn report(&mut self, ret: u32, origin: RowOrigin, issue: Issue);
}

/// A sort key of a row: (child, date, return, origin), then the row's position, which keeps rows
/// that tie in the order they were taken.
pub(crate) fn sort_key(
    child: u32,
    date: Option<Day>,
    ret: u32,
    origin: RowOrigin,
    pos: u32,
) -> (u64, u64, u64) {
    (
        (u64::from(child) << 32) | u64::from(day_key(date)),
        (u64::from(ret) << 32) | u64::from(origin.file),
        (u64::from(origin.line) << 32) | u64::from(pos),
    )
}

/// An optional date as a number in the order of `Option<Day>` (blank first).
pub(crate) fn day_key(d: Option<Day>) -> u32 {
    d.map_or(0, |d| {
        (i64::from(d.get()) - i64::from(Day::MIN.get()) + 1) as u32
    })
}

/// Sorts `keys` (whose last element's low half is a row position, so no two are equal) and
/// returns the positions in that order.
// The stable sort, though no two keys are equal: the rows come as runs, one per return, each
// mostly in order already, and it merges runs (on the 200,000-children pipeline returns, 68
// million instructions here against 222 million with `sort_unstable`, by callgrind).
#[allow(clippy::stable_sort_primitive)]
pub(crate) fn sorted_positions(mut keys: Vec<(u64, u64, u64)>) -> Vec<u32> {
    if !keys.is_sorted() {
        keys.sort();
    }
    keys.into_iter().map(|k| k.2 as u32).collect()
}

/// What stitching needs to know about the returns of one kind.
pub(crate) struct Years<'a> {
    /// Collection year of each return position.
    pub year: &'a [Option<i32>],
    /// For each return position, the children that appear in it, as sorted child indices.
    pub appears: &'a [Vec<u32>],
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

    fn child_appears_in(&self, y: i32, child: u32) -> bool {
        self.year
            .iter()
            .zip(self.appears)
            .any(|(ry, v)| *ry == Some(y) && v.binary_search(&child).is_ok())
    }
}

/// Merges one table's rows as its schema says: the rows may be in any order; the table is left
/// sorted by (child, key, return, origin).
pub(crate) fn merge<R: Record>(table: &mut Staged<R>, years: &Years<'_>, rep: &mut dyn Report) {
    match R::SCHEMA.merge {
        Merge::Keyed => {
            merge_keys(table, false, rep);
            stitch(table, years, rep);
        }
        Merge::PerReturn => merge_keys(table, true, rep),
        Merge::ChildLevel => merge_children(table, rep),
    }
}

/// Duplicates within a return, then (unless `per_return`) replacement of key groups by the latest
/// return.
fn merge_keys<R: Record>(table: &mut Staged<R>, per_return: bool, rep: &mut dyn Report) {
    let schema = R::SCHEMA;
    // The rows in (child, key, return, origin) order; each row's key worked out once.
    let keyed: Vec<(u64, u64, u64)> = table
        .order
        .iter()
        .map(|&i| {
            let t = table.get(i);
            sort_key(t.child, t.row.key(), t.ret, t.row.origin(), i)
        })
        .collect();
    let sorted = sorted_positions(keyed);
    let mut out: Vec<u32> = Vec::with_capacity(sorted.len());
    let has_dates = schema.fields.iter().any(|f| f.kind == FieldKind::Dates);
    let mut g = 0;
    while g < sorted.len() {
        // The group shares a child and a key; the latest return's rows are its last ones.
        let first = table.get(sorted[g]);
        let (child, key) = (first.child, first.row.key());
        let mut end = g + 1;
        while end < sorted.len() {
            let t = table.get(sorted[end]);
            if t.child != child || t.row.key() != key {
                break;
            }
            end += 1;
        }
        let group = &sorted[g..end];
        g = end;
        let latest = table.get(group[group.len() - 1]).ret;
        let dates = if per_return || !has_dates {
            Vec::new()
        } else {
            union_dates(&group.iter().map(|&i| table.get(i)))
        };
        let group_start = out.len();
        let mut first_kept = out.len();
        let mut ret_of_kept = u32::MAX;
        for &i in group {
            let t = table.get(i);
            if !per_return && t.ret != latest {
                continue;
            }
            if t.ret != ret_of_kept {
                first_kept = out.len();
                ret_of_kept = t.ret;
            }
            let kept: &[u32] = &out[first_kept..];
            // Only for messages: worked out when there is one.
            let what = || match schema.key {
                Some(_) => format!("{} {}", schema.key_column(), show(t.row.key())),
                None => "child".to_owned(),
            };
            if let Some(same) = kept
                .iter()
                .map(|&k| table.get(k))
                .find(|k| k.row.same_content(t.row))
            {
                let what = what();
                let msg = format!(
                    "identical {} row for {what} repeats the row at line {}; collapsed to one",
                    schema.noun,
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
                let msg = match schema.key {
                    Some(_) => format!(
                        "another {} row of this child has the same {what}; both are kept",
                        schema.noun
                    ),
                    None => format!(
                        "the child has another {} row in this return; both are kept",
                        schema.noun
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
            out.push(i);
        }
        if !dates.is_empty() {
            for &k in &out[group_start..] {
                for (f, d) in &dates {
                    table.row_mut(k).set(*f, FieldValue::Days(d.clone()));
                }
            }
        }
    }
    table.order = out;
}

/// Spec 2.4: sets of dates (CP plan reviews) are not replaced across returns. For each such field,
/// the distinct dates of every row of a key group, in every return: the rows kept for the key
/// (after duplicates are judged on what each return said) all get them.
fn union_dates<'a, R: Record>(
    group: &(impl Iterator<Item = Tagged<'a, R>> + Clone),
) -> Vec<(usize, Vec<Day>)> {
    let mut out = Vec::new();
    for (f, field) in R::SCHEMA.fields.iter().enumerate() {
        if field.kind != FieldKind::Dates {
            continue;
        }
        let mut all: Vec<Day> = Vec::new();
        for t in group.clone() {
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
fn stitch<R: Record>(table: &mut Staged<R>, years: &Years<'_>, rep: &mut dyn Report) {
    let schema = R::SCHEMA;
    let (Some(end), stitch) = (schema.end, schema.stitch) else {
        return;
    };
    if stitch == Stitch::Never {
        return;
    }
    // For each return position, the next collection year when a return of it holds the table.
    let next_of: Vec<Option<i32>> = years
        .year
        .iter()
        .map(|y| y.map(|y| y + 1).filter(|&n| years.holds(n, schema.name)))
        .collect();
    let mut order = std::mem::take(&mut table.order);
    order.retain(|&i| {
        let t = table.get(i);
        let (Some(next), None) = (next_of[t.ret as usize], t.row.end()) else {
            return true;
        };
        let appears = years.child_appears_in(next, t.child);
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
                schema.noun,
                schema.key_column(),
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
            false
        } else {
            let close = if stitch == Stitch::DropOrCloseLastDay {
                Day::from_ymd(next - 1, 3, 31)
            } else {
                Day::from_ymd(next - 1, 4, 1)
            }
            .unwrap_or(Day::MAX);
            let msg = format!(
                "open {} with {} {} is not in the {next} return and the child is not either; closed on {close}",
                schema.noun,
                schema.key_column(),
                show(t.row.key())
            );
            rep.report(
                t.ret,
                t.row.origin(),
                Issue::new(IssueCode::NotResubmittedClosed, msg)
                    .child(t.row.child())
                    .record(t.row.key()),
            );
            table.tags[i as usize].closed = true;
            let row = table.row_mut(i);
            row.set(end, FieldValue::Date(Some(close)));
            if let Some(b) = schema.blank_on_close {
                row.set(b, FieldValue::Text(CompactString::default()));
            }
            true
        }
    });
    table.order = order;
}

/// Child-level rows: the latest return's row, blanks filled from the latest earlier non-blank value;
/// a changed date of birth (the table's first child-level date) is reported. Within one return,
/// identical rows collapse and differing ones are reported as duplicate keys (the later in the file
/// wins).
fn merge_children<R: Record>(table: &mut Staged<R>, rep: &mut dyn Report) {
    let schema = R::SCHEMA;
    let dob_field = schema
        .fields
        .iter()
        .position(|f| matches!(f.kind, FieldKind::Date(crate::schema::DateRole::Child)));
    let dob = |r: &R| dob_field.and_then(|f| r.get(f).day());
    let keyed: Vec<(u64, u64, u64)> = table
        .order
        .iter()
        .map(|&i| {
            let t = table.get(i);
            sort_key(t.child, None, t.ret, t.row.origin(), i)
        })
        .collect();
    let sorted = sorted_positions(keyed);
    let mut out: Vec<u32> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let child = table.get(sorted[i]).child;
        let mut j = i + 1;
        while j < sorted.len() && table.get(sorted[j]).child == child {
            j += 1;
        }
        // Newest first: the latest row, then fill from older ones. The latest row is filled in
        // place; each row is compared with the next newer one before that one is filled.
        let group = &sorted[i..j];
        let last = group[group.len() - 1];
        let last_ret = table.get(last).ret;
        let mut merged = std::mem::take(table.row_mut(last));
        let mut dobs: Vec<(u32, Day)> = Vec::new();
        if let Some(d) = dob(&merged) {
            dobs.push((last_ret, d));
        }
        for k in (0..group.len() - 1).rev() {
            let t = table.get(group[k]);
            if let Some(d) = dob(t.row) {
                dobs.push((t.ret, d));
            }
            let newer_at = group[k + 1];
            let newer_ret = table.get(newer_at).ret;
            let newer = if newer_at == last {
                &merged
            } else {
                table.get(newer_at).row
            };
            if newer_ret == t.ret {
                let code = if t.row.same_content(newer) {
                    IssueCode::DuplicateRow
                } else {
                    IssueCode::DuplicateKey
                };
                let msg = format!(
                    "the child has more than one {} row in one return; the later is used",
                    schema.name
                );
                rep.report(
                    t.ret,
                    t.row.origin(),
                    Issue::new(code, msg).child(t.row.child()),
                );
            }
            merged.fill_from(t.row);
        }
        dobs.dedup_by_key(|(_, d)| *d);
        if dobs.len() > 1 {
            let (newest, oldest) = (dobs[0].1, dobs[dobs.len() - 1].1);
            let msg = format!(
                "date of birth differs between returns ({oldest} earlier, {newest} latest); the latest is used"
            );
            rep.report(
                last_ret,
                merged.origin(),
                Issue::new(IssueCode::ChildFieldChanged, msg).child(merged.child()),
            );
        }
        *table.row_mut(last) = merged;
        out.push(last);
        i = j;
    }
    table.order = out;
}

/// Shows an optional date for messages.
pub(crate) fn show(d: Option<Day>) -> String {
    d.map_or_else(|| "(blank)".to_owned(), |d| d.to_string())
}
