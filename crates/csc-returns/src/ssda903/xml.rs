//! Reading the SSDA903 XML form (`EXPSSDA903`), streamed with quick-xml.
//!
//! The layout, as the DfE file and the public validator (data-to-insight/csc-validator-be-903,
//! `lac_validator/ingress.py`, `read_xml_from_text`) have it:
//!
//! ```text
//! EXPSSDA903
//!   CHILD*
//!     HEADER
//!       CHILDID UPN SEX DOB ETHNIC MOTHER MC_DOB     Header (CHILDID is CHILD)
//!       UASC DUC                                    UASC (a row when UASC is set or DUC given)
//!       IN_TOUCH ACTIV ACCOM                        OC3 (a row when any is given)
//!       DATE_INT DATE_MATCH FOSTER_CARE NB_ADOPTR
//!         SEX_ADOPTR LS_ADOPTR                      AD1 (a row when any is given)
//!       AREVIEW*     REVIEW REVIEW_CODE             Reviews
//!       AMISSING*    MISSING MIS_START MIS_END      Missing
//!       OC2*         SDQ_SCORE ... INTERVENTION_OFFERED
//!       PERMANENCE*  PREV_PERM LA_PERM DATE_PERM    PrevPerm
//!       AD_PLACED*   DATE_PLACED DATE_PLACED_CEASED REASON_PLACED_CEASED
//!       SW_EPISODE*  SW_ID SW_DECOM SW_DEC SW_REASON SWEpisodes
//!     EPISODE*       DECOM RNE LS CIN PL ... URN    Episodes (PL is PLACE)
//! ```
//!
//! The rows of the tables nested in `HEADER` take `CHILD`, `DOB` (and, for UASC, `SEX`) from the
//! header, unless the nested element has its own. Record elements are also accepted directly in
//! `CHILD`. A child's elements are buffered until `</CHILD>` (one arena, reused), so memory is
//! bounded by the largest child, not the file.

use std::fmt::Write as _;
use std::io::{self, BufRead};
use std::sync::Arc;

use compact_str::CompactString;
use csc_measures::quality::{Issue, IssueCode, Location};
use csc_measures::records::{OtherRow, RowOrigin, Ssda903Return};
use csc_measures::{Error, ErrorKind};
use quick_xml::events::Event;

use super::rules::{self, Checked, Ctx, Fields, check_row, was_blanked};
use super::tables::Table;
use crate::{FileReport, Read, ReadOptions};

/// The root element of the SSDA903 XML form.
pub(crate) const ROOT: &str = "EXPSSDA903";

/// A record element nested in a child.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Episode,
    Review,
    Missing,
    Oc2,
    PrevPerm,
    Placed,
    SwEpisode,
}

impl Kind {
    pub(crate) const ALL: [Kind; 7] = [
        Kind::Episode,
        Kind::Review,
        Kind::Missing,
        Kind::Oc2,
        Kind::PrevPerm,
        Kind::Placed,
        Kind::SwEpisode,
    ];

    /// The element's name.
    pub(crate) const fn element(self) -> &'static str {
        match self {
            Kind::Episode => "EPISODE",
            Kind::Review => "AREVIEW",
            Kind::Missing => "AMISSING",
            Kind::Oc2 => "OC2",
            Kind::PrevPerm => "PERMANENCE",
            Kind::Placed => "AD_PLACED",
            Kind::SwEpisode => "SW_EPISODE",
        }
    }

    /// The table its rows belong to.
    pub(crate) const fn table(self) -> Table {
        match self {
            Kind::Episode => Table::Episodes,
            Kind::Review => Table::Reviews,
            Kind::Missing => Table::Missing,
            Kind::Oc2 => Table::Oc2,
            Kind::PrevPerm => Table::PrevPerm,
            Kind::Placed => Table::PlacedAdoption,
            Kind::SwEpisode => Table::SwEpisodes,
        }
    }

    /// The kind of table `t`, when its rows are record elements.
    pub(crate) fn of_table(t: Table) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.table() == t)
    }

    fn from_element(name: &[u8]) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.element().as_bytes() == name)
    }
}

/// The element name of official column `col` of `table` in the XML form.
pub(crate) fn element_name(table: Table, col: usize) -> &'static str {
    match (table, table.columns()[col]) {
        (_, "CHILD") => "CHILDID",
        (Table::Episodes, "PLACE") => "PL",
        (_, name) => name,
    }
}

/// Fields held once per child in `HEADER` that make a row of a table of their own, and the
/// columns of that table they fill.
const FLAT_AD1: [&str; 6] = [
    "DATE_INT",
    "DATE_MATCH",
    "FOSTER_CARE",
    "NB_ADOPTR",
    "SEX_ADOPTR",
    "LS_ADOPTR",
];
const FLAT_OC3: [&str; 3] = ["IN_TOUCH", "ACTIV", "ACCOM"];
const FLAT_UASC: [&str; 2] = ["UASC", "DUC"];

/// A [`BufRead`] that counts the lines it has handed out, for the line an element starts on.
struct Counted<R> {
    inner: R,
    consumed: u64,
    newlines: u32,
    /// Offset of the last newline handed out, plus one (0: none yet).
    last_newline: u64,
}

impl<R: BufRead> Counted<R> {
    fn count(&mut self, bytes_len: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let buf = &buf[..bytes_len.min(buf.len())];
            let n = super::csv::newlines(buf);
            if n > 0 {
                self.newlines += n as u32;
                let last = buf.iter().rposition(|&b| b == b'\n').unwrap_or(0);
                self.last_newline = self.consumed + last as u64 + 1;
            }
        }
    }

    /// The 1-based line of byte offset `pos`, which is at most one `<` behind what was consumed.
    fn line_at(&self, pos: u64) -> u32 {
        if self.last_newline > pos {
            self.newlines
        } else {
            self.newlines + 1
        }
    }
}

impl<R: BufRead> io::Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.inner.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.count(amt);
        self.consumed += amt as u64;
        self.inner.consume(amt);
    }
}

/// A leaf element (no element children) of the current child.
#[derive(Clone, Copy, Debug)]
struct Leaf {
    /// Index into [`ChildBuf::recs`], or [`FLAT`] for a child-level field.
    scope: u32,
    name: (u32, u32),
    value: (u32, u32),
    line: u32,
}

const FLAT: u32 = u32::MAX;

/// A record element of the current child.
#[derive(Clone, Copy, Debug)]
struct Rec {
    kind: Kind,
    line: u32,
    ordinal: u32,
    in_header: bool,
}

/// Everything of one `CHILD` element, until it closes.
#[derive(Default)]
struct ChildBuf {
    arena: String,
    leaves: Vec<Leaf>,
    recs: Vec<Rec>,
    index: u32,
    line: u32,
    header_line: u32,
}

impl ChildBuf {
    fn clear(&mut self) {
        self.arena.clear();
        self.leaves.clear();
        self.recs.clear();
        self.header_line = 0;
    }

    fn name(&self, l: &Leaf) -> &str {
        &self.arena[l.name.0 as usize..l.name.1 as usize]
    }

    fn value(&self, l: &Leaf) -> &str {
        &self.arena[l.value.0 as usize..l.value.1 as usize]
    }

    fn flat(&self, name: &str) -> Option<&Leaf> {
        self.leaves
            .iter()
            .find(|l| l.scope == FLAT && self.name(l) == name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Root,
    Ignored,
    Child,
    Header,
    Record,
    Element,
}

#[derive(Clone, Copy, Debug)]
struct Frame {
    role: Role,
    scope: u32,
    name_start: u32,
    value_start: u32,
    line: u32,
    had_child: bool,
}

/// One value of a row read from XML: its text and the line of its element.
#[derive(Clone, Copy, Debug, Default)]
struct Slot<'c> {
    raw: &'c str,
    line: u32,
}

/// A row read from XML, seen as the rules see a row.
struct XmlRow<'c> {
    table: Table,
    slots: [Slot<'c>; 13],
    file: &'c Arc<str>,
    root: &'c str,
    child_index: u32,
    /// The element the row came from (`EPISODE`, `AREVIEW`, or `HEADER` for the flat tables).
    element: &'static str,
    ordinal: Option<u32>,
    in_header: bool,
    line: u32,
    unit: &'static str,
}

impl XmlRow<'_> {
    fn path(&self, column: Option<&str>) -> String {
        let mut p = format!("{}/CHILD[{}]", self.root, self.child_index);
        if self.in_header && self.element != "HEADER" {
            p.push_str("/HEADER");
        }
        p.push('/');
        p.push_str(self.element);
        if let Some(n) = self.ordinal {
            let _ = write!(p, "[{n}]");
        }
        if let Some(c) = column {
            p.push('/');
            p.push_str(c);
        }
        p
    }
}

impl Fields for XmlRow<'_> {
    fn get(&self, col: usize) -> &str {
        rules::trim(self.slots[col].raw)
    }

    fn raw(&self, col: usize) -> &str {
        self.slots[col].raw
    }

    fn column_name(&self, col: usize) -> &str {
        element_name(self.table, col)
    }

    fn location(&self, col: Option<usize>) -> Location {
        let line = col
            .map(|c| self.slots[c].line)
            .filter(|&l| l > 0)
            .unwrap_or(self.line);
        let mut loc = Location::new(self.file.clone(), line);
        loc.path = Some(self.path(col.map(|c| self.column_name(c))).into());
        if let Some(c) = col {
            loc = loc.with_field(self.column_name(c), self.raw(c));
        }
        loc
    }

    fn unit(&self) -> &'static str {
        self.unit
    }
}

/// Per-table counts for the file reports.
#[derive(Default)]
struct Counts {
    rows: [usize; 11],
    skipped: [usize; 11],
}

impl Counts {
    fn index(t: Table) -> usize {
        Table::ALL.iter().position(|&x| x == t).unwrap_or(0)
    }

    fn row(&mut self, t: Table) {
        self.rows[Self::index(t)] += 1;
    }

    fn skip(&mut self, t: Table) {
        self.skipped[Self::index(t)] += 1;
    }
}

/// Where a child's records go.
struct Emit<'a, 'r> {
    file: &'a Arc<str>,
    ctx: Ctx<'r>,
    ret: &'r mut Ssda903Return,
    counts: Counts,
}

fn xml_error(file: &str, line: u32, what: &dyn std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!("{file}:{line}: not well-formed XML: {what}"),
    )
    .at(Location::new(file.into(), line))
}

fn not_ssda903(file: &Arc<str>, line: u32, what: &str) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!("{file}: {what}: this is not an SSDA903 XML file"),
    )
    .at(Location::new(file.clone(), line))
}

/// The element structure seen so far, and the current child's buffer.
#[derive(Default)]
struct Parser {
    stack: Vec<Frame>,
    child: ChildBuf,
    root_seen: bool,
    children: u32,
    /// The line of the first text that was not UTF-8.
    not_utf8: Option<u32>,
}

impl Parser {
    /// The frame of an element opening on `line` (pushed by the caller).
    fn open(&mut self, file: &Arc<str>, name: &[u8], line: u32) -> Result<Frame, Error> {
        let mut f = Frame {
            role: Role::Element,
            scope: FLAT,
            name_start: 0,
            value_start: 0,
            line,
            had_child: false,
        };
        let Some(parent) = self.stack.last_mut() else {
            if self.root_seen {
                return Err(xml_error(file, line, &"a second root element"));
            }
            self.root_seen = true;
            if name != ROOT.as_bytes() {
                let root = String::from_utf8_lossy(name);
                return Err(not_ssda903(
                    file,
                    line,
                    &format!("the root element is <{root}>, not <{ROOT}>"),
                ));
            }
            f.role = Role::Root;
            return Ok(f);
        };
        let first_child = !parent.had_child;
        parent.had_child = true;
        let p = *parent;
        let child = &mut self.child;
        if p.role == Role::Element && first_child {
            // Not a leaf after all: an unknown container, whose content is no field of the child
            // or of a record.
            child.arena.truncate(p.name_start as usize);
        }
        f.scope = p.scope;
        let kind = Kind::from_element(name);
        match p.role {
            Role::Root if name == b"CHILD" => {
                self.children += 1;
                child.clear();
                child.index = self.children;
                child.line = line;
                f.role = Role::Child;
            }
            Role::Root | Role::Ignored | Role::Element => f.role = Role::Ignored,
            Role::Child if name == b"HEADER" => {
                if child.header_line == 0 {
                    child.header_line = line;
                }
                f.role = Role::Header;
            }
            Role::Child | Role::Header if kind.is_some() => {
                let kind = kind.unwrap_or(Kind::Episode);
                let in_header = p.role == Role::Header;
                let ordinal = 1 + child
                    .recs
                    .iter()
                    .filter(|r| r.kind == kind && r.in_header == in_header)
                    .count() as u32;
                f.role = Role::Record;
                f.scope = child.recs.len() as u32;
                child.recs.push(Rec {
                    kind,
                    line,
                    ordinal,
                    in_header,
                });
            }
            _ => {
                f.name_start = child.arena.len() as u32;
                match std::str::from_utf8(name) {
                    Ok(n) => child.arena.push_str(n),
                    Err(_) => child.arena.push_str(&String::from_utf8_lossy(name)),
                }
                f.value_start = child.arena.len() as u32;
            }
        }
        Ok(f)
    }

    /// Whether text now belongs to a field.
    fn in_leaf(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|f| f.role == Role::Element && !f.had_child)
    }

    fn text(&mut self, bytes: &[u8], line: u32) {
        if !self.in_leaf() {
            return;
        }
        if let Ok(s) = std::str::from_utf8(bytes) {
            self.child.arena.push_str(s);
        } else {
            self.child.arena.push_str(&super::csv::cp1252(bytes));
            self.not_utf8.get_or_insert(line);
        }
    }

    fn reference(&mut self, r: &quick_xml::events::BytesRef<'_>) -> Result<(), quick_xml::Error> {
        if !self.in_leaf() {
            return Ok(());
        }
        let arena = &mut self.child.arena;
        if let Some(c) = r.resolve_char_ref()? {
            arena.push(c);
            return Ok(());
        }
        let name = String::from_utf8_lossy(r);
        if let Some(s) = quick_xml::escape::resolve_predefined_entity(&name) {
            arena.push_str(s);
        } else {
            // An entity this file never declares: kept as written.
            arena.push('&');
            arena.push_str(&name);
            arena.push(';');
        }
        Ok(())
    }

    fn close(&mut self, emit: &mut Emit<'_, '_>) -> Result<(), Error> {
        let Some(f) = self.stack.pop() else {
            return Ok(());
        };
        match f.role {
            Role::Element if !f.had_child => {
                let end = self.child.arena.len() as u32;
                self.child.leaves.push(Leaf {
                    scope: f.scope,
                    name: (f.name_start, f.value_start),
                    value: (f.value_start, end),
                    line: f.line,
                });
            }
            Role::Child => emit_child(&self.child, emit)?,
            _ => {}
        }
        Ok(())
    }
}

/// Reads an SSDA903 XML file from `input` (see [`super::read_xml`]).
pub(crate) fn read<R: BufRead>(
    file: Arc<str>,
    input: R,
    opts: &ReadOptions,
) -> Result<Read<Ssda903Return>, Error> {
    let mut out = Read {
        ret: Ssda903Return::default(),
        issues: Vec::new(),
        files: Vec::new(),
    };
    out.ret.source.collection_year = opts.collection_year;
    let mut reader = quick_xml::Reader::from_reader(Counted {
        inner: input,
        consumed: 0,
        newlines: 0,
        last_newline: 0,
    });
    let mut buf = Vec::new();
    let mut parser = Parser::default();
    let mut emit = Emit {
        file: &file,
        ctx: Ctx {
            strict: opts.strict,
            issues: &mut out.issues,
        },
        ret: &mut out.ret,
        counts: Counts::default(),
    };
    loop {
        let line = reader.get_ref().line_at(reader.buffer_position());
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            let at = reader.get_ref().line_at(reader.error_position());
            xml_error(&file, at, &e)
        })?;
        match event {
            Event::Start(ref e) => {
                let f = parser.open(&file, e.name().as_ref(), line)?;
                parser.stack.push(f);
            }
            Event::Empty(ref e) => {
                let f = parser.open(&file, e.name().as_ref(), line)?;
                parser.stack.push(f);
                parser.close(&mut emit)?;
            }
            Event::End(_) => parser.close(&mut emit)?,
            Event::Text(ref t) => parser.text(t, line),
            Event::CData(ref t) => parser.text(t, line),
            Event::GeneralRef(ref r) => parser
                .reference(r)
                .map_err(|e| xml_error(&file, line, &e))?,
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
        buf.clear();
    }
    let line = reader.get_ref().line_at(reader.buffer_position());
    if let Some(f) = parser.stack.last() {
        let what = format!("the file ends inside an element opened on line {}", f.line);
        return Err(xml_error(&file, line, &what));
    }
    if !parser.root_seen {
        return Err(not_ssda903(&file, line, &format!("no <{ROOT}> element")));
    }
    if let Some(line) = parser.not_utf8 {
        emit.ctx.warn(
            Issue::new(
                IssueCode::UnreadableValue,
                "the file's text is not UTF-8; it was read as Windows-1252",
            )
            .at(Some(Location::new(file.clone(), line))),
        );
    }
    let counts = emit.counts;
    let none = counts.rows.iter().all(|&r| r == 0);
    for (i, t) in Table::ALL.into_iter().enumerate() {
        if counts.rows[i] > 0 || (none && t == Table::Header) {
            out.files.push(FileReport {
                path: file.clone(),
                table: t.name().to_owned(),
                rows: counts.rows[i],
                skipped: counts.skipped[i],
            });
        }
    }
    out.ret.source.files.push(file);
    Ok(out)
}

/// The groups of flat fields making rows of AD1, OC3 or UASC (a field repeated starts a new group),
/// keeping those with a value of their own.
fn flat_groups<'c>(child: &'c ChildBuf, names: &[&str]) -> Vec<Vec<&'c Leaf>> {
    let mut groups: Vec<Vec<&Leaf>> = Vec::new();
    for l in child.leaves.iter().filter(|l| l.scope == FLAT) {
        let n = child.name(l);
        if !names.contains(&n) {
            continue;
        }
        match groups.last_mut() {
            Some(g) if !g.iter().any(|x| child.name(x) == n) => g.push(l),
            _ => groups.push(vec![l]),
        }
    }
    groups.retain(|g| {
        g.iter().any(|l| {
            let v = child.value(l).trim();
            // `UASC` is a flag: 0 says the child is not one.
            !(v.is_empty() || (child.name(l) == "UASC" && v == "0"))
        })
    });
    groups
}

/// One child's values that every row of it shares.
#[derive(Clone, Copy)]
struct Shared<'c> {
    id: Slot<'c>,
    dob: Slot<'c>,
    sex: Slot<'c>,
    header_line: u32,
}

fn row<'c>(
    child: &'c ChildBuf,
    file: &'c Arc<str>,
    table: Table,
    element: &'static str,
    unit: &'static str,
    line: u32,
) -> XmlRow<'c> {
    XmlRow {
        table,
        slots: [Slot::default(); 13],
        file,
        root: ROOT,
        child_index: child.index,
        element,
        ordinal: None,
        in_header: true,
        line,
        unit,
    }
}

fn emit_child(child: &ChildBuf, emit: &mut Emit<'_, '_>) -> Result<(), Error> {
    let id_leaf = child.flat("CHILDID");
    let id_raw = id_leaf.map_or("", |l| child.value(l));
    let header_line = if child.header_line > 0 {
        child.header_line
    } else {
        child.line
    };
    let ad1 = flat_groups(child, &FLAT_AD1);
    let oc3 = flat_groups(child, &FLAT_OC3);
    let uasc = flat_groups(child, &FLAT_UASC);
    if id_raw.trim().is_empty() {
        let nested = child.recs.len() + ad1.len() + oc3.len() + uasc.len();
        let tables = child.recs.iter().map(|r| r.kind.table());
        let flat = [(Table::Ad1, &ad1), (Table::Oc3, &oc3), (Table::Uasc, &uasc)];
        let flat = flat.iter().flat_map(|(t, g)| g.iter().map(|_| *t));
        for t in std::iter::once(Table::Header).chain(tables).chain(flat) {
            emit.counts.row(t);
            emit.counts.skip(t);
        }
        let line = id_leaf.map_or(child.line, |l| l.line);
        let mut loc = Location::new(emit.file.clone(), line).with_field("CHILDID", id_raw);
        loc.path = Some(format!("{ROOT}/CHILD[{}]", child.index).into());
        let issue = Issue::new(
            IssueCode::MissingIdentifier,
            format!(
                "CHILDID is {}: a CHILD element needs a child identifier; CHILD element (begun on \
                 line {}) skipped with its {nested} nested record{}",
                if id_leaf.is_some() {
                    "blank"
                } else {
                    "missing"
                },
                child.line,
                if nested == 1 { "" } else { "s" }
            ),
        )
        .at(Some(loc));
        return emit.ctx.problem(issue);
    }
    let id = Slot {
        raw: id_raw,
        line: id_leaf.map_or(header_line, |l| l.line),
    };
    let Some(shared) = emit_header(child, emit, id, header_line)? else {
        return Ok(());
    };
    for g in &ad1 {
        emit_flat(child, emit, shared, Table::Ad1, g)?;
    }
    for g in &uasc {
        emit_flat(child, emit, shared, Table::Uasc, g)?;
    }
    for g in &oc3 {
        emit_flat(child, emit, shared, Table::Oc3, g)?;
    }
    for (idx, rec) in child.recs.iter().enumerate() {
        emit_record(child, emit, shared, idx, rec)?;
    }
    Ok(())
}

/// The Header row; `None` when it is unusable.
fn emit_header<'c>(
    child: &'c ChildBuf,
    emit: &mut Emit<'_, '_>,
    id: Slot<'c>,
    header_line: u32,
) -> Result<Option<Shared<'c>>, Error> {
    let slot = |name: &str| {
        child.flat(name).map_or(Slot::default(), |l| Slot {
            raw: child.value(l),
            line: l.line,
        })
    };
    let mut h = row(
        child,
        emit.file,
        Table::Header,
        "HEADER",
        "HEADER element",
        header_line,
    );
    h.slots[0] = id;
    for (i, &col) in Table::Header.columns().iter().enumerate().skip(1) {
        h.slots[i] = slot(col);
    }
    emit.counts.row(Table::Header);
    let Some(checked) = check_row(Table::Header, &h, &mut emit.ctx)? else {
        emit.counts.skip(Table::Header);
        return Ok(None);
    };
    let origin = RowOrigin::new(0, header_line);
    emit.ret.headers.push(rules::header(&h, &checked, origin));
    // The values other tables take from the header, after its checks.
    let dob = slot("DOB");
    let dob = Slot {
        raw: if checked.blanked[0] { "" } else { dob.raw },
        line: dob.line,
    };
    Ok(Some(Shared {
        id,
        dob,
        sex: slot("SEX"),
        header_line,
    }))
}

/// A row of AD1, UASC or OC3, held as fields of the header.
fn emit_flat<'c>(
    child: &'c ChildBuf,
    emit: &mut Emit<'_, '_>,
    shared: Shared<'c>,
    table: Table,
    group: &[&'c Leaf],
) -> Result<(), Error> {
    let line = group.first().map_or(shared.header_line, |l| l.line);
    let unit = match table {
        Table::Ad1 => "AD1 record",
        Table::Uasc => "UASC record",
        _ => "OC3 record",
    };
    let mut r = row(child, emit.file, table, "HEADER", unit, line);
    r.slots[0] = shared.id;
    set_named(&mut r, "DOB", shared.dob);
    set_named(&mut r, "SEX", shared.sex);
    fill_from(&mut r, child, group.iter().copied());
    emit.counts.row(table);
    let Some(checked) = check_row(table, &r, &mut emit.ctx)? else {
        emit.counts.skip(table);
        return Ok(());
    };
    let origin = RowOrigin::new(0, line);
    if table == Table::Ad1 {
        emit.ret.ad1.push(rules::ad1(&r, &checked, origin));
    } else {
        emit.ret.other.push(other_row(&r, &checked, &[], origin));
    }
    Ok(())
}

/// A record element: an `EPISODE`, or a row of a table nested in the header.
fn emit_record<'c>(
    child: &'c ChildBuf,
    emit: &mut Emit<'_, '_>,
    shared: Shared<'c>,
    idx: usize,
    rec: &Rec,
) -> Result<(), Error> {
    let table = rec.kind.table();
    let unit = match rec.kind {
        Kind::Episode => "EPISODE element",
        Kind::Review => "AREVIEW element",
        Kind::Missing => "AMISSING element",
        Kind::Oc2 => "OC2 element",
        Kind::PrevPerm => "PERMANENCE element",
        Kind::Placed => "AD_PLACED element",
        Kind::SwEpisode => "SW_EPISODE element",
    };
    let mut r = row(child, emit.file, table, rec.kind.element(), unit, rec.line);
    r.ordinal = Some(rec.ordinal);
    r.in_header = rec.in_header;
    r.slots[0] = shared.id;
    set_named(&mut r, "DOB", shared.dob);
    let own = child.leaves.iter().filter(|l| l.scope == idx as u32);
    let extras = fill_from(&mut r, child, own);
    emit.counts.row(table);
    let Some(checked) = check_row(table, &r, &mut emit.ctx)? else {
        emit.counts.skip(table);
        return Ok(());
    };
    let origin = RowOrigin::new(0, rec.line);
    match table {
        Table::Episodes => emit.ret.episodes.push(rules::episode(&r, &checked, origin)),
        Table::PlacedAdoption => {
            emit.ret
                .placed_adoption
                .push(rules::placed(&r, &checked, origin));
        }
        _ => {
            let extras: Vec<(&str, &str)> = extras
                .iter()
                .map(|l| (child.name(l), child.value(l).trim()))
                .collect();
            emit.ret
                .other
                .push(other_row(&r, &checked, &extras, origin));
        }
    }
    Ok(())
}

fn set_named<'c>(r: &mut XmlRow<'c>, col: &str, slot: Slot<'c>) {
    if let Some(i) = r.table.columns().iter().position(|&c| c == col) {
        r.slots[i] = slot;
    }
}

/// Fills the row's columns from `leaves` (matched by element name, the first of a name winning;
/// `CHILDID` is never taken from a nested element); returns the leaves that are no column of the
/// table.
fn fill_from<'c>(
    r: &mut XmlRow<'c>,
    child: &'c ChildBuf,
    leaves: impl Iterator<Item = &'c Leaf>,
) -> Vec<&'c Leaf> {
    let mut extras = Vec::new();
    let mut seen = [false; 13];
    for l in leaves {
        let name = child.name(l);
        let col = (1..r.table.columns().len()).find(|&i| {
            element_name(r.table, i) == name
                || (r.table == Table::Episodes && i == 5 && name == "PLACE")
        });
        match col {
            Some(i) if !seen[i] => {
                seen[i] = true;
                r.slots[i] = Slot {
                    raw: child.value(l),
                    line: l.line,
                };
            }
            None if name != "CHILDID" => extras.push(l),
            Some(_) | None => {}
        }
    }
    extras
}

fn other_row(r: &XmlRow<'_>, c: &Checked, extras: &[(&str, &str)], origin: RowOrigin) -> OtherRow {
    let table = r.table;
    let mut fields = Vec::with_capacity(table.columns().len() + extras.len());
    for (i, &col) in table.columns().iter().enumerate() {
        let value = if was_blanked(table, c, i) {
            String::new()
        } else {
            r.get(i).to_owned()
        };
        fields.push((CompactString::const_new(col), value));
    }
    for &(name, value) in extras {
        fields.push((CompactString::from(name), value.to_owned()));
    }
    OtherRow {
        table: CompactString::const_new(table.name()),
        child: CompactString::from(r.get(0)),
        fields,
        origin,
    }
}
