//! The [`DatasetBuilder`]: every source family built the same way, table by table as the schema
//! says, then what is particular to a family.
//!
//! A family is a kind of return ([`FamilyReturn`]: the CIN census, SSDA903). For each, in order:
//!
//! 1. its returns are put in merge order (collection year, unknown first, then the caller's order);
//! 2. each table's rows are normalised by their field kinds (trimmed; codes upper-cased and checked
//!    against their lists, `unknown_code`), rows without a child are skipped
//!    (`missing_identifier`), and the children that appear in each return are noted;
//! 3. each table is merged across the family's returns by its [`Merge`](crate::schema::Merge) and
//!    [`Stitch`](crate::schema::Stitch) policies (`merge`);
//! 4. the tables are frozen into columns, by child then key.
//!
//! Rows stay in the vectors they came in until step 4 (a [`Staged`] table per record type); every
//! child identifier is looked up once per run of rows of that child in step 2 and numbered
//! ([`Children`]), and from then on a child is that number: once every family is taken, the numbers
//! are renumbered to the children's index in byte order, and the merge sorts and groups rows by
//! integers, not identifiers.
//!
//! The SSDA903 family adds, before the merge, the `DEC`-before-`DECOM` drop and
//! `date_after_return_end`; after it, the care repairs and the derivation of periods of care and
//! placements ([`care`](super::care)). The checks of spec 3 run last (`checks`). A later source
//! (Annex A, a statutory dataset) is one more family: an impl of [`FamilyReturn`] and its hooks.

use std::any::{Any, TypeId};
use std::sync::Arc;

use compact_str::CompactString;

use super::merge::{self, Report, Staged, Years};
use super::report::{Meta, Reporter};
use super::{Dataset, Map, ReturnInfo, Set, care, checks};
use crate::codes;
use crate::day::Day;
use crate::error::Error;
use crate::quality::{Echo, Issue, IssueCode, Location};
use crate::records::{
    CareEpisode, CinReturn, CinTables, Header, ReturnKind, ReturnSource, RowOrigin, Ssda903Return,
    Ssda903Tables,
};
use crate::schema::{FieldKind, MakeColumns, Record, TakeRows, VisitRows, VisitTypes};
use crate::table::Source;

/// Collects returns and builds a [`Dataset`] (spec section 2).
///
/// Lenient by default: problems become [`Issue`]s. In strict mode the build stops at the first
/// entry that [stops strict mode](crate::quality::IssueCode::stops_strict) (a skipped row, a
/// duplicated collection year) with [`Issue::strict_error`]; repairs and warnings never stop it.
#[derive(Clone, Debug, Default)]
pub struct DatasetBuilder {
    cin: Vec<(usize, CinReturn)>,
    ssda903: Vec<(usize, Ssda903Return)>,
    issues: Vec<Issue>,
    strict: bool,
    order: usize,
    population: Option<std::sync::Arc<crate::population::Population>>,
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

    /// The population that comes with the returns (the ONS mid-year estimates of children aged
    /// 0 to 17 in the authority, spec 8): the rates of every measure computed on the dataset use
    /// it unless the options carry a population input of their own. The built-in sample comes
    /// with its own; real returns carry none.
    #[must_use]
    pub fn population(
        mut self,
        population: std::sync::Arc<crate::population::Population>,
    ) -> DatasetBuilder {
        self.population = Some(population);
        self
    }

    /// Validates, merges and freezes everything added.
    pub fn build(self) -> Result<Dataset, Error> {
        build(self)
    }
}

/// A kind of return, as the builder needs to know it.
pub(crate) trait FamilyReturn: Sized {
    /// Which kind.
    const KIND: ReturnKind;
    /// Files, year, tables held.
    fn source(&self) -> &ReturnSource;
    /// The collection year when the caller gave none (spec 2.1).
    fn derived_year(&self) -> Option<i32>;
    /// Hands every table's rows to `take`.
    fn into_rows(self, take: &mut impl TakeRows);
    /// Shows every table's rows to `visit`.
    fn visit(&self, visit: &mut impl VisitRows);
    /// Visits every table's record type.
    fn visit_types(v: &mut impl VisitTypes);

    /// The collection year in force.
    fn year(&self) -> Option<i32> {
        self.source()
            .collection_year
            .or_else(|| self.derived_year())
    }
}

impl FamilyReturn for CinReturn {
    const KIND: ReturnKind = ReturnKind::Cin;
    fn source(&self) -> &ReturnSource {
        &self.source
    }
    /// The financial year containing the `ReferenceDate`.
    fn derived_year(&self) -> Option<i32> {
        self.source.reference_date.map(Day::financial_year)
    }
    fn into_rows(self, take: &mut impl TakeRows) {
        CinReturn::into_rows(self, take);
    }
    fn visit(&self, visit: &mut impl VisitRows) {
        CinReturn::visit(self, visit);
    }
    fn visit_types(v: &mut impl VisitTypes) {
        CinReturn::visit_types(v);
    }
}

impl FamilyReturn for Ssda903Return {
    const KIND: ReturnKind = ReturnKind::Ssda903;
    fn source(&self) -> &ReturnSource {
        &self.source
    }
    /// The financial year containing the latest `DECOM` of its Episodes (spec 2.1). A `DECOM`
    /// from 1 April 9999 on would name a collection year past 9999, which no period can have: it
    /// decides nothing (the reader names it, `likely_wrong_year`, and the merge reports it as
    /// `date_after_return_end`).
    fn derived_year(&self) -> Option<i32> {
        self.episodes
            .iter()
            .map(|e| e.decom.financial_year())
            .filter(|&y| y <= 9999)
            .max()
    }
    fn into_rows(self, take: &mut impl TakeRows) {
        Ssda903Return::into_rows(self, take);
    }
    fn visit(&self, visit: &mut impl VisitRows) {
        Ssda903Return::visit(self, visit);
    }
    fn visit_types(v: &mut impl VisitTypes) {
        Ssda903Return::visit_types(v);
    }
}

/// The tables of every family while they are built: one [`Staged`] table per record type.
#[derive(Default)]
pub(super) struct Stage {
    slots: Map<TypeId, Box<dyn Any + Send>>,
}

impl Stage {
    pub(super) fn rows<R: Record>(&mut self) -> &mut Staged<R> {
        self.slots
            .entry(TypeId::of::<R>())
            .or_insert_with(|| Box::new(Staged::<R>::default()))
            .downcast_mut()
            .expect("a slot holds the rows of its own type")
    }

    pub(super) fn get<R: Record>(&self) -> Option<&Staged<R>> {
        self.slots
            .get(&TypeId::of::<R>())
            .and_then(|s| s.downcast_ref::<Staged<R>>())
    }

    fn take<R: Record>(&mut self) -> Staged<R> {
        std::mem::take(self.rows::<R>())
    }
}

/// The children of the build: each identifier once, numbered in the order it was first seen.
#[derive(Default)]
struct Children {
    ids: Vec<CompactString>,
    numbers: Map<CompactString, u32>,
    /// For each number, the last return (plus one) whose [`Sequence`] holds it.
    seen_in: Vec<u32>,
}

impl Children {
    /// The number of identifier `id`.
    fn number(&mut self, id: &str) -> u32 {
        let next = self.ids.len() as u32;
        let n = *self.numbers.entry(CompactString::from(id)).or_insert(next);
        if n == next {
            self.ids.push(CompactString::from(id));
            self.seen_in.push(0);
        }
        n
    }

    /// The number of identifier `id` (whose hash is `hash`), of a row of return `ret`: looked
    /// for first in the children the return has shown so far (`seq`), then in those of the return
    /// before (`prev`), each just after where the last was found, then in every identifier.
    fn number_in(
        &mut self,
        id: &str,
        hash: u64,
        ret: u32,
        seq: &mut Sequence,
        prev: &mut Sequence,
    ) -> u32 {
        if let Some(n) = seq.find(id, hash) {
            return n;
        }
        let n = match prev.find(id, hash) {
            Some(n) => n,
            None => self.number(id),
        };
        if self.seen_in[n as usize] != ret + 1 {
            self.seen_in[n as usize] = ret + 1;
            seq.numbers.push(n);
            seq.hashes.push(hash);
            seq.ids.push(CompactString::from(id));
        }
        n
    }

    /// The identifiers in byte order, and for each number the index of its identifier there.
    fn into_sorted(self) -> (Vec<CompactString>, Vec<u32>) {
        let Children {
            mut ids,
            numbers,
            seen_in,
        } = self;
        drop((numbers, seen_in));
        // By the first 16 bytes as a number (in byte order, blank-padded), then the rest.
        let prefix = |id: &str| {
            let mut b = [0u8; 16];
            let n = id.len().min(16);
            b[..n].copy_from_slice(&id.as_bytes()[..n]);
            u128::from_be_bytes(b)
        };
        let mut by_id: Vec<(u128, u32)> = (0..ids.len() as u32)
            .map(|n| (prefix(&ids[n as usize]), n))
            .collect();
        by_id.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| ids[a.1 as usize].cmp(&ids[b.1 as usize]))
        });
        let by_id: Vec<u32> = by_id.into_iter().map(|(_, n)| n).collect();
        let mut index = vec![0u32; ids.len()];
        for (i, &n) in by_id.iter().enumerate() {
            index[n as usize] = i as u32;
        }
        let sorted = by_id
            .iter()
            .map(|&n| std::mem::take(&mut ids[n as usize]))
            .collect();
        (sorted, index)
    }
}

/// Renumbers the children of every table from the order first seen to their index.
struct Renumber<'s> {
    stage: &'s mut Stage,
    index: &'s [u32],
}

impl VisitTypes for Renumber<'_> {
    fn visit<R: Record>(&mut self) {
        for t in &mut self.stage.rows::<R>().tags {
            if let Some(&c) = self.index.get(t.child as usize) {
                t.child = c;
            }
        }
    }
}

/// The children of one return in the order first met (their numbers, the hash of each identifier
/// and the identifier), and where the last one was found.
///
/// The tables of a return, and the returns of a family, mostly list their children in one order:
/// a child is then found a few places after the one before, without a look-up in every
/// identifier.
#[derive(Default)]
struct Sequence {
    numbers: Vec<u32>,
    hashes: Vec<u64>,
    ids: Vec<CompactString>,
    cursor: usize,
    hits: u32,
    misses: u32,
}

impl Sequence {
    /// How far past the previous child a table's next child is looked for.
    const WINDOW: usize = 64;

    /// Starts a table: from the beginning.
    fn restart(&mut self) {
        self.cursor = 0;
        self.hits = 0;
        self.misses = 0;
    }

    /// The number of `id` (hash `hash`) when it is within the window; looks no more once most
    /// looks fail.
    fn find(&mut self, id: &str, hash: u64) -> Option<u32> {
        if self.misses > self.hits / 4 + Self::WINDOW as u32 {
            return None;
        }
        let from = self.cursor.min(self.hashes.len());
        let to = (from + Self::WINDOW).min(self.hashes.len());
        let found = self.hashes[from..to]
            .iter()
            .position(|&h| h == hash)
            .map(|k| from + k)
            .filter(|&k| self.ids[k] == id);
        if let Some(k) = found {
            self.cursor = k + 1;
            self.hits += 1;
            Some(self.numbers[k])
        } else {
            self.misses += 1;
            None
        }
    }
}

/// Step 2 for one return: normalise, skip rows without a child, note who appears.
struct Taker<'s, 'r, 'm> {
    ret: u32,
    stage: &'s mut Stage,
    rep: &'r mut Reporter<'m>,
    /// The children that appear in the return, by number, in the order seen (with repeats).
    appears: Vec<u32>,
    holds: Set<&'static str>,
    covers: bool,
    source: &'s ReturnSource,
    children: &'s mut Children,
    seq: Sequence,
    /// The children of the family's return before (empty for the first).
    prev: &'s mut Sequence,
    /// Rows of each table in all the family's returns, to size the tables once.
    sizes: &'s Map<TypeId, usize>,
    hasher: &'s foldhash::fast::FixedState,
}

impl TakeRows for Taker<'_, '_, '_> {
    fn take<R: Record>(&mut self, mut rows: Vec<R>) {
        let table = R::SCHEMA;
        if !rows.is_empty() || self.source.holds(table.name) {
            self.holds.insert(table.name);
        }
        let out = self.stage.rows::<R>();
        if out.tags.capacity() == 0 {
            out.reserve(self.sizes.get(&TypeId::of::<R>()).copied().unwrap_or(0));
        }
        out.reserve(rows.len());
        let start = out.tags.len() as u32;
        let mut child_of: Vec<u32> = Vec::with_capacity(rows.len());
        self.seq.restart();
        self.prev.restart();
        let year = self.rep.metas[self.ret as usize].year;
        // The code fields that have codes valid only in some years.
        let dated: Vec<usize> = table
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                matches!(f.kind, FieldKind::Code { .. })
                    && codes::VALIDITY.iter().any(|v| v.0 == f.column)
            })
            .map(|(i, _)| i)
            .collect();
        // A child's rows mostly come together: its number is looked up once for them.
        let mut last: Option<u32> = None;
        for (k, row) in rows.iter_mut().enumerate() {
            let mut unknown: Vec<(&'static str, String)> = Vec::new();
            normalise(row, &mut |col, val| {
                unknown.push((col, val.to_owned()));
            });
            let outside = year.and_then(|y| outside_years(row, y, &dated));
            if row.child().is_empty() {
                child_of.push(u32::MAX);
                let msg = format!("{} row without a child identifier; skipped", table.name);
                self.rep.report(
                    self.ret,
                    row.origin(),
                    Issue::new(IssueCode::MissingIdentifier, msg),
                );
                continue;
            }
            for (col, val) in unknown {
                let msg = if val.is_empty() {
                    format!("{col} is blank; the published code list has no blank")
                } else {
                    format!(
                        "{col} {:?} is not in the published code list; kept as it stands",
                        Echo(&val)
                    )
                };
                push_unknown(self.rep, self.ret, (&*row, col, &val), msg);
            }
            if let Some((col, val, years)) = outside {
                let y = year.unwrap_or_default();
                let msg = format!(
                    "{col} {val:?} is valid {years}, not in the {}-{:02} return; classified as {val}",
                    y - 1,
                    y.rem_euclid(100)
                );
                push_unknown(self.rep, self.ret, (&*row, col, &val), msg);
            }
            let child = match last {
                Some(n) if self.children.ids[n as usize] == row.child() => n,
                _ => {
                    let hash = std::hash::BuildHasher::hash_one(self.hasher, row.child());
                    let (seq, prev) = (&mut self.seq, &mut *self.prev);
                    self.children
                        .number_in(row.child(), hash, self.ret, seq, prev)
                }
            };
            last = Some(child);
            self.covers |= table.covers;
            if table.appears && self.appears.last() != Some(&child) {
                self.appears.push(child);
            }
            child_of.push(child);
            out.order.push(start + k as u32);
        }
        out.push_chunk(self.ret, rows, &child_of);
    }
}

/// An `unknown_code` entry for `val` of column `col` of `row`, of the return at `ret`.
fn push_unknown<R: Record>(
    rep: &mut Reporter<'_>,
    ret: u32,
    (row, col, val): (&R, &'static str, &str),
    msg: String,
) {
    let loc = rep
        .location(ret, row.origin())
        .unwrap_or_default()
        .with_field(col, val);
    rep.push(
        Issue::new(IssueCode::UnknownCode, msg)
            .child(row.child())
            .record(row.key())
            .at(Some(loc)),
    );
}

/// The first code field of `row` whose value is not valid in collection year `year` (spec 5.1
/// validity): its column, value and the years it is valid in. `dated` lists, in order, the code
/// fields of the table that have codes valid only in some years (no other can be outside them).
fn outside_years<R: Record>(
    row: &R,
    year: i32,
    dated: &[usize],
) -> Option<(&'static str, String, String)> {
    dated.iter().find_map(|&i| {
        let f = &R::SCHEMA.fields[i];
        let crate::schema::FieldRef::Text(v) = row.get(i) else {
            return None;
        };
        codes::outside_years(f.column, v, year).map(|w| (f.column, v.to_owned(), w))
    })
}

/// Normalises a record by its schema (spec 2, "Normalisation"): every text field trimmed, codes
/// upper-cased (and a set of codes without blanks or repeats), `PL_POST` without spaces; calls
/// `unknown(column, value)` for each value outside its code list.
pub fn normalise<R: Record>(row: &mut R, unknown: &mut dyn FnMut(&'static str, &str)) {
    for (i, f) in R::SCHEMA.fields.iter().enumerate() {
        match f.kind {
            FieldKind::Child | FieldKind::Text => {
                if let Some(t) = row.text_mut(i).filter(|t| !is_trimmed(t)) {
                    codes::normalise_text(t);
                }
            }
            FieldKind::Postcode => {
                if let Some(t) = row.text_mut(i) {
                    codes::normalise_postcode(t);
                }
            }
            FieldKind::Code {
                list,
                blank_unknown,
            } => {
                if let Some(t) = row.text_mut(i) {
                    if !is_trimmed(t) || t.bytes().any(|b| b.is_ascii_lowercase()) {
                        codes::normalise_code(t);
                    }
                    if (!list.is_empty() && !codes::is_known(list, t))
                        || (blank_unknown && t.is_empty())
                    {
                        unknown(f.column, t);
                    }
                }
            }
            FieldKind::Codes(list) => {
                if let Some(v) = row.texts_mut(i) {
                    for t in v.iter_mut() {
                        codes::normalise_code(t);
                    }
                    // Blanks and repeats out, the first of each code kept in place.
                    let mut kept = 0;
                    for i in 0..v.len() {
                        if !v[i].is_empty() && !v[..kept].contains(&v[i]) {
                            v.swap(kept, i);
                            kept += 1;
                        }
                    }
                    v.truncate(kept);
                    if !list.is_empty() {
                        for t in v.iter() {
                            if !codes::is_known(list, t) {
                                unknown(f.column, t);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Has `s` nothing to trim? Decided on the bytes when its ends are ASCII and not white space;
/// else as [`str::trim`] says.
fn is_trimmed(s: &str) -> bool {
    let b = s.as_bytes();
    let plain = |c: u8| c.is_ascii() && !matches!(c, b'\t'..=b'\r' | b' ');
    match (b.first(), b.last()) {
        (None, _) | (_, None) => true,
        (Some(&f), Some(&l)) if plain(f) && plain(l) => true,
        _ => s.trim().len() == s.len(),
    }
}

/// Step 3 for one family: each table merged by its policies.
struct Merger<'s, 'y, 'r, 'm> {
    stage: &'s mut Stage,
    years: Years<'y>,
    rep: &'r mut Reporter<'m>,
}

impl VisitTypes for Merger<'_, '_, '_, '_> {
    fn visit<R: Record>(&mut self) {
        merge::merge(self.stage.rows::<R>(), &self.years, &mut *self.rep);
    }
}

/// Step 4: the columnar tables.
struct Freezer<'s> {
    stage: &'s mut Stage,
    metas: &'s [Meta],
    n: usize,
}

impl Freezer<'_> {
    fn source(&self, ret: u32, o: RowOrigin) -> Source {
        let meta = &self.metas[ret as usize];
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
    }
}

impl MakeColumns for Freezer<'_> {
    fn make<R: Record>(&mut self) -> R::Columns {
        use crate::schema::Columns as _;
        let rows = self.stage.take::<R>().into_ordered().map(|(t, row)| {
            let s = self.source(t.ret, row.origin());
            (t.child, row, s)
        });
        R::Columns::from_rows(rows, self.n)
    }
}

/// Sorts returns by (year, unknown first; then the caller's order).
fn sort_returns<F: FamilyReturn>(v: &mut [(usize, F)]) {
    v.sort_by_key(|(order, r)| (r.year(), *order));
}

fn metas_of<F: FamilyReturn>(
    returns: &[(usize, F)],
    files: &mut Vec<Arc<str>>,
    out: &mut Vec<Meta>,
) {
    for (_, r) in returns {
        out.push(Meta {
            kind: F::KIND,
            year: r.year(),
            files: r.source().files.clone(),
            file_base: files.len() as u32,
        });
        files.extend(r.source().files.iter().cloned());
    }
}

/// The rows of each table in some returns.
#[derive(Default)]
struct Sizes(Map<TypeId, usize>);

impl VisitRows for Sizes {
    fn rows<R: Record>(&mut self, rows: &[R]) {
        *self.0.entry(TypeId::of::<R>()).or_default() += rows.len();
    }
}

/// What step 2 learnt of each return of a family.
struct Taken {
    /// The children that appear in each return: by number as taken, then (once the children
    /// are sorted) as sorted child indices.
    appears: Vec<Vec<u32>>,
    holds: Vec<Set<&'static str>>,
    covers: Vec<bool>,
}

/// Step 2 for a family whose returns are at positions `base..` of the `total` returns; what it
/// learns is indexed by position among all returns (empty for the other families' returns).
fn take_family<F: FamilyReturn>(
    returns: Vec<(usize, F)>,
    base: u32,
    total: usize,
    stage: &mut Stage,
    rep: &mut Reporter<'_>,
    children: &mut Children,
) -> Taken {
    let mut taken = Taken {
        appears: vec![Vec::new(); total],
        holds: (0..total).map(|_| Set::default()).collect(),
        covers: vec![false; total],
    };
    let mut sizes = Sizes::default();
    for (_, r) in &returns {
        r.visit(&mut sizes);
    }
    let hasher = foldhash::fast::FixedState::default();
    let mut prev = Sequence::default();
    for (i, (_, r)) in returns.into_iter().enumerate() {
        let source = r.source().clone();
        let mut t = Taker {
            ret: base + i as u32,
            stage: &mut *stage,
            rep: &mut *rep,
            appears: Vec::new(),
            holds: Set::default(),
            covers: false,
            source: &source,
            children: &mut *children,
            seq: Sequence::default(),
            prev: &mut prev,
            sizes: &sizes.0,
            hasher: &hasher,
        };
        r.into_rows(&mut t);
        let seq = std::mem::take(&mut t.seq);
        let at = base as usize + i;
        taken.appears[at] = t.appears;
        taken.holds[at] = t.holds;
        taken.covers[at] = t.covers;
        prev = seq;
    }
    taken
}

impl Taken {
    /// The children that appear in each return as sorted child indices.
    fn renumber(&mut self, index: &[u32]) {
        for v in &mut self.appears {
            for c in v.iter_mut() {
                *c = index[*c as usize];
            }
            v.sort_unstable();
            v.dedup();
        }
    }
}

/// Step 3 for a family, against its own returns (`taken` knows only them).
fn merge_family<F: FamilyReturn>(
    stage: &mut Stage,
    years: &[Option<i32>],
    taken: &Taken,
    rep: &mut Reporter<'_>,
) {
    let mut m = Merger {
        stage,
        years: Years {
            year: years,
            appears: &taken.appears,
            holds: &taken.holds,
        },
        rep,
    };
    F::visit_types(&mut m);
}

fn build(b: DatasetBuilder) -> Result<Dataset, Error> {
    let DatasetBuilder {
        mut cin,
        mut ssda903,
        issues,
        strict,
        population: b_population,
        ..
    } = b;
    sort_returns(&mut cin);
    sort_returns(&mut ssda903);

    // Return metadata in merge order: CIN returns first, then SSDA903.
    let mut metas = Vec::new();
    let mut files: Vec<Arc<str>> = Vec::new();
    metas_of(&cin, &mut files, &mut metas);
    metas_of(&ssda903, &mut files, &mut metas);
    let n_cin = cin.len() as u32;
    let mut rep = Reporter {
        metas: &metas,
        issues,
        strict,
        fatal: None,
    };
    duplicate_years(&metas, &mut rep);
    for (i, (_, r)) in ssda903.iter().enumerate() {
        if r.source.collection_year.is_none() {
            lone_latest_decom(r, n_cin + i as u32, &mut rep);
        }
    }

    let mut stage = Stage::default();
    let mut children = Children::default();
    let total = metas.len();
    let mut cin_taken = take_family(cin, 0, total, &mut stage, &mut rep, &mut children);
    let mut ssda_taken = take_family(ssda903, n_cin, total, &mut stage, &mut rep, &mut children);
    care::drop_reversed(stage.rows::<CareEpisode>(), &metas, &mut rep);
    if let Some(e) = rep.fatal.take() {
        return Err(e);
    }

    // Children: every identifier in any table, in byte order; rows refer to them by index.
    let (ids, index) = children.into_sorted();
    let mut renumber = Renumber {
        stage: &mut stage,
        index: &index,
    };
    CinReturn::visit_types(&mut renumber);
    Ssda903Return::visit_types(&mut renumber);
    cin_taken.renumber(&index);
    ssda_taken.renumber(&index);
    drop(index);

    // Merge and stitch, each family against its own returns.
    let years: Vec<Option<i32>> = metas.iter().map(|m| m.year).collect();
    merge_family::<CinReturn>(&mut stage, &years, &cin_taken, &mut rep);
    merge_family::<Ssda903Return>(&mut stage, &years, &ssda_taken, &mut rep);
    care::repair(stage.rows::<CareEpisode>(), &mut rep);

    let data_start = years[n_cin as usize..]
        .iter()
        .flatten()
        .min()
        .and_then(|y| Day::from_ymd(y - 1, 4, 1).ok());
    let no_episodes = Staged::default();
    let (care_columns, periods) = care::derive(
        stage.get::<CareEpisode>().unwrap_or(&no_episodes),
        stage.get::<Header>(),
        ids.len(),
        data_start,
        &mut rep,
    );
    let mut freezer = Freezer {
        stage: &mut stage,
        metas: &metas,
        n: ids.len(),
    };
    let cin = CinTables::make(&mut freezer);
    let ssda903 = Ssda903Tables::make(&mut freezer);
    checks::check(&cin, &ssda903, &ids, &mut rep);
    if let Some(e) = rep.fatal.take() {
        return Err(e);
    }

    let (returns, appears) = return_infos(&metas, n_cin as usize, [cin_taken, ssda_taken]);
    Ok(Dataset {
        appears,
        children: ids,
        files,
        returns,
        cin,
        ssda903,
        care: care_columns,
        periods,
        issues: rep.issues,
        population: b_population,
    })
}

/// `duplicate_collection_year` for each return whose kind and year the one before it shares.
/// The `likely_wrong_year` entry of an SSDA903 return given no year whose latest `DECOM` stands
/// apart from the others (decided here; the spec is silent, and its rule stands: the year is the
/// one of the latest `DECOM`, spec 2.1).
///
/// The year is then decided by one row, so one typo (2033 for 2023) moves the whole return. The
/// entry is given when the latest `DECOM`s, at most half of the episodes, lie more than one
/// collection year past all the others (no `DECOM` in the year before theirs); it names the row,
/// the year the rest point to, and how to give it. A `DECOM` whose collection year would be past
/// 9999 decides no year ([`FamilyReturn::derived_year`]), and is named the same way.
fn lone_latest_decom(r: &Ssda903Return, ret: u32, rep: &mut Reporter<'_>) {
    let mut years: Vec<i32> = r
        .episodes
        .iter()
        .map(|e| e.decom.financial_year())
        .collect();
    years.sort_unstable();
    let total = years.len();
    let mut distinct = years.clone();
    distinct.dedup();
    // From the top, the first gap of more than a year with at most half the episodes above it.
    let mut gap = None;
    for w in distinct.windows(2).rev() {
        let above = total - years.partition_point(|&y| y < w[1]);
        if above * 2 > total {
            break;
        }
        if w[0] <= 9999 && (w[1] - w[0] > 1 || w[1] > 9999) {
            gap = Some((w[0], above));
            break;
        }
    }
    let Some((bulk, above)) = gap else {
        return;
    };
    let Some(latest) = r.episodes.iter().max_by_key(|e| e.decom) else {
        return;
    };
    let year = latest.decom.financial_year();
    let read_as = if year > 9999 {
        "it cannot decide the collection year (there is none after 9999)".to_owned()
    } else {
        format!("the return is read as collection year {year}")
    };
    let msg = format!(
        "no collection year was given, and the latest DECOM, {}, decides it: {read_as}; but \
         {above} of its {total} care episodes start after 31 March {bulk} and all the others by \
         then: the latest DECOM is probably a typo, and this the {bulk} return (the year to 31 \
         March {bulk}). Correct the date, or give the return as {bulk}=PATH",
        latest.decom,
    );
    let mut loc = rep.location(ret, latest.origin).unwrap_or_default();
    loc.column = Some("DECOM".into());
    rep.push(
        Issue::new(IssueCode::LikelyWrongYear, msg)
            .child(&latest.child)
            .record(Some(latest.decom))
            .at(Some(loc)),
    );
}

fn duplicate_years(metas: &[Meta], rep: &mut Reporter<'_>) {
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
                .at(b.files.first().map(|f| Location {
                    file: Some(f.clone()),
                    ..Location::default()
                })),
            );
        }
    }
}

/// What the dataset keeps of each return: its [`ReturnInfo`], and the children that appear in it
/// (spec 2.7), as sorted child indices.
fn return_infos(
    metas: &[Meta],
    n_cin: usize,
    [mut cin, mut ssda]: [Taken; 2],
) -> (Vec<ReturnInfo>, Vec<Vec<u32>>) {
    // Spec 2.7: who appears in each return (Header or Episodes for SSDA903), as child indices.
    let appears: Vec<Vec<u32>> = (0..metas.len())
        .map(|i| {
            let taken = if i < n_cin { &mut cin } else { &mut ssda };
            std::mem::take(&mut taken.appears[i])
        })
        .collect();
    let returns = metas
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let taken = if i < n_cin { &cin } else { &ssda };
            let mut tables: Vec<&'static str> = taken.holds[i].iter().copied().collect();
            tables.sort_unstable();
            ReturnInfo {
                kind: m.kind,
                collection_year: m.year,
                files: (0..m.files.len() as u32).map(|i| m.file_base + i).collect(),
                tables,
                covers: taken.covers[i],
            }
        })
        .collect();
    (returns, appears)
}

#[cfg(test)]
mod tests {
    use super::is_trimmed;

    #[test]
    fn is_trimmed_agrees_with_trim() {
        for s in [
            "", "A", " A", "A ", "\tA", "A\r", "\u{b}A", "A\u{c}", "\u{85}A", "A\u{a0}", "é", "Aé",
            "\u{2003}", "a b", " ", "\u{1c}A", "A\u{1f}", "\u{0}A",
        ] {
            assert_eq!(is_trimmed(s), s.trim().len() == s.len(), "{s:?}");
        }
    }
}
