//! Reading the SSDA903 XML form (`EXPSSDA903`), streamed with quick-xml.
//!
//! The layout, as the DfE file and the public validator (data-to-insight/csc-validator-be-903,
//! `lac_validator/ingress.py`, `read_xml_from_text`) have it, is the schema's
//! ([`csc_measures::schema::ssda903`]): each table's [`XmlPlace`] says whether its rows are
//! elements (`EPISODE` in `CHILD`; `AREVIEW`, `AMISSING`, `OC2`, `PERMANENCE`, `AD_PLACED` in
//! `HEADER`) or fields held directly in `HEADER` (AD1, UASC, OC3), and each field's XML name
//! (`CHILDID` for `CHILD`, `PL` for `PLACE`). SWEpisodes has no XML form (spec 2.3).
//!
//! The rows of the tables nested in `HEADER` take `CHILD`, `DOB` (and, for UASC, `SEX`) from the
//! header (spec 2.3), whatever the nested element holds; another field given twice in one element
//! keeps its first value with an `unreadable_value` entry (the row rules'). Record elements are also accepted directly in
//! `CHILD`. A child's elements are buffered until `</CHILD>` (one arena, reused), so memory is
//! bounded by the largest child, not the file. Every row is then handed to the core's row rules
//! ([`Rules::read`]). A UASC row exists exactly when the header's `UASC` is `1` (another non-blank
//! value is an `unknown_code` and no row: spec 2.3). An element with elements of its own that the
//! form does not have (`SW_EPISODE`, a misspelt table), standing directly in `CHILD` or `HEADER`,
//! is reported (`unknown_table`) and ignored with everything in it.
//!
//! A record element out of its place (an `EPISODE` directly under the root, a `CHILD` inside a
//! wrapper or inside another `CHILD`, an `AREVIEW` inside an `AREVIEW`, a `HEADER` outside
//! `CHILD`) is never dropped without a word. Decided here, as in the CIN reader: it is not read,
//! with everything in it, and is one `unknown_table` entry at the outermost such element (line,
//! element path such as `EXPSSDA903/WRAP/CHILD`, where it belongs, how many record elements it
//! held); each of them counts as a skipped row of its table in the file reports (`CHILD` and
//! `HEADER` as the header). Inside a `CHILD` the entry names the child and is reported with it.
//!
//! Character references and the five entities XML predefines are read; no other entity is ever
//! expanded, and a reference to one, even one the DOCTYPE declares (`&id;`), is an
//! [`ErrorKind::InvalidInput`] error naming its line, as in the CIN reader (it used to be kept as
//! the literal value `&id;`).
//!
//! Memory is bounded by the largest `CHILD` plus fixed buffers: text is streamed, never held
//! whole; text outside the fields costs nothing, and a field keeps at most 64 KiB of its value. A
//! longer value is not read (an `unreadable_value` entry with its line, path and column; the field
//! is taken as not given), and a single tag, comment, CDATA section, declaration or reference
//! longer than 1 MiB is an [`ErrorKind::InvalidInput`] error naming its line, and so are elements
//! nested more than 100,000 deep.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, BufRead};
use std::sync::Arc;

use csc_measures::quality::{Issue, IssueCode, Location};
use csc_measures::records::{Header, ReturnKind, RowOrigin, Ssda903Return};
use csc_measures::rows::{Cell, DateSyntax, RowSource, Rules, trim};
use csc_measures::schema::{self, Record, TableSchema, VisitRowsMut, XmlPlace};
use csc_measures::{Error, ErrorKind};
use quick_xml::events::Event;

use crate::cin::{MAX_DEPTH, MAX_MARKUP, MAX_VALUE};
use crate::{FileReport, Read, ReadOptions, push_index};

/// The root element of the SSDA903 XML form.
pub(crate) const ROOT: &str = "EXPSSDA903";

/// The layout of the form, worked out once from the schema.
struct Form {
    /// The tables whose rows are elements (Episodes, Reviews, Missing, OC2, PrevPerm,
    /// PlacedAdoption), by element name.
    records: Vec<(&'static [u8], &'static TableSchema)>,
    /// The tables held flat in `HEADER` (AD1, UASC, OC3), with their [`flat_names`].
    flat: Vec<(&'static TableSchema, Vec<&'static str>)>,
    /// The tables in which no name (XML or column) of a field other than the child is also a
    /// name of another such field, by table name: a leaf's field can then be found where the
    /// previous leaf's field leaves off.
    unique_names: Vec<&'static TableSchema>,
}

fn form() -> &'static Form {
    static FORM: std::sync::OnceLock<Form> = std::sync::OnceLock::new();
    FORM.get_or_init(|| Form {
        records: schema::tables(ReturnKind::Ssda903)
            .filter_map(|t| match t.xml {
                XmlPlace::Element { element, .. } if t.name != "Header" => {
                    Some((element.as_bytes(), t))
                }
                _ => None,
            })
            .collect(),
        flat: schema::tables(ReturnKind::Ssda903)
            .filter(|t| matches!(t.xml, XmlPlace::Flat { .. }))
            .map(|t| (t, flat_names(t)))
            .collect(),
        unique_names: schema::tables(ReturnKind::Ssda903)
            .filter(|t| {
                let n = t.fields.len();
                let names = |i: usize| [element_name(t, i), t.fields[i].column];
                (1..n).all(|i| {
                    (1..n)
                        .filter(|&j| j != i)
                        .all(|j| names(i).iter().all(|a| !names(j).contains(a)))
                })
            })
            .collect(),
    })
}

/// The table whose rows are elements named `name`.
fn record_table(name: &[u8]) -> Option<&'static TableSchema> {
    form()
        .records
        .iter()
        .find(|(element, _)| *element == name)
        .map(|&(_, t)| t)
}

/// The element name of field `f` of `table` in the XML form.
pub(crate) fn element_name(table: &TableSchema, f: usize) -> &'static str {
    if f == 0 {
        return "CHILDID";
    }
    let x = table.fields[f].xml_leaf();
    if x.is_empty() {
        table.fields[f].column
    } else {
        x
    }
}

/// The fields a table held flat in `HEADER` has of its own (not the header's `CHILD`, `SEX`,
/// `DOB`), by element name; UASC adds its flag `UASC`.
fn flat_names(table: &TableSchema) -> Vec<&'static str> {
    let header = Header::SCHEMA;
    let mut names: Vec<&'static str> = table
        .fields
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, f)| header.column(f.column).is_none())
        .map(|(i, _)| element_name(table, i))
        .collect();
    if table.name == "UASC" {
        names.insert(0, "UASC");
    }
    names
}

/// A [`BufRead`] that counts the lines it has handed out, for the line an element starts on.
struct Counted<R> {
    inner: R,
    consumed: u64,
    newlines: u32,
    /// Offset of the last newline handed out, plus one (0: none yet).
    last_newline: u64,
    /// Bytes of text consumed by [`stream_text`] rather than by the parser, whose offsets lag
    /// behind by as many.
    streamed: u64,
    /// The offset where the parser's current event began, while it reads one: an event longer
    /// than [`MAX_MARKUP`] is refused rather than buffered.
    event_start: Option<u64>,
    /// The line of an event refused for its length.
    too_long: Option<u32>,
}

impl<R: BufRead> Counted<R> {
    fn new(inner: R) -> Counted<R> {
        Counted {
            inner,
            consumed: 0,
            newlines: 0,
            last_newline: 0,
            streamed: 0,
            event_start: None,
            too_long: None,
        }
    }

    fn count(&mut self, bytes_len: usize) {
        if let Ok(buf) = self.inner.fill_buf() {
            let buf = &buf[..bytes_len.min(buf.len())];
            // Most pieces are a tag or a short text with no newline: one short pass finds that.
            if let Some(last) = buf.iter().rposition(|&b| b == b'\n') {
                self.newlines += super::csv::newlines(&buf[..last]) as u32 + 1;
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
        if let Some(start) = self.event_start {
            if self.consumed - start > MAX_MARKUP {
                self.too_long = Some(self.line_at(start));
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("an event longer than {MAX_MARKUP} bytes"),
                ));
            }
        }
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
    table: &'static TableSchema,
    line: u32,
    ordinal: u32,
    in_header: bool,
    /// Its leaves, a run of [`ChildBuf::leaves`] (records do not nest): taken without scanning
    /// the child's other leaves, so that a child with any number of records reads in linear time.
    leaves: (u32, u32),
}

/// Everything of one `CHILD` element, until it closes.
#[derive(Default)]
struct ChildBuf {
    arena: String,
    leaves: Vec<Leaf>,
    recs: Vec<Rec>,
    /// Containers the XML form does not have, directly in `CHILD` or `HEADER`: name, line, and
    /// whether it stood in `HEADER`.
    unknown: Vec<(String, u32, bool)>,
    /// Entries about record elements out of their place in it, reported with the child.
    misplaced: Vec<Issue>,
    /// Values longer than [`MAX_VALUE`], not read: element path, name, line, length, first
    /// characters.
    long: Vec<(String, String, u32, usize, String)>,
    /// How many record elements of each table it has so far, in `CHILD` and in `HEADER`.
    ordinals: Vec<(&'static str, bool, u32)>,
    index: u32,
    line: u32,
    header_line: u32,
}

impl ChildBuf {
    fn clear(&mut self) {
        self.arena.clear();
        self.leaves.clear();
        self.recs.clear();
        self.unknown.clear();
        self.misplaced.clear();
        self.long.clear();
        self.ordinals.clear();
        self.header_line = 0;
    }

    /// The 1-based ordinal of a new record element of `table` in `CHILD` or in `HEADER`: a count
    /// kept per table and place, so that a child with any number of records reads in linear time.
    fn next_ordinal(&mut self, table: &'static str, in_header: bool) -> u32 {
        if let Some((_, _, n)) = self
            .ordinals
            .iter_mut()
            .find(|(t, h, _)| *t == table && *h == in_header)
        {
            *n += 1;
            *n
        } else {
            self.ordinals.push((table, in_header, 1));
            1
        }
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
    /// A record element out of its place: ignored with everything in it, and reported.
    Misplaced,
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

/// Per-table counts for the file reports, by the table's place in the SSDA903 family.
struct Counts {
    rows: Vec<usize>,
    skipped: Vec<usize>,
}

impl Counts {
    fn new() -> Counts {
        let n = schema::tables(ReturnKind::Ssda903).count();
        Counts {
            rows: vec![0; n],
            skipped: vec![0; n],
        }
    }

    fn index(t: &TableSchema) -> usize {
        schema::tables(ReturnKind::Ssda903)
            .position(|x| x.is(t))
            .unwrap_or(0)
    }

    fn row(&mut self, t: &TableSchema) {
        self.rows[Self::index(t)] += 1;
    }

    fn skip(&mut self, t: &TableSchema) {
        self.skipped[Self::index(t)] += 1;
    }
}

/// Where a child's records go.
struct Emit<'a, 'r> {
    file: &'a Arc<str>,
    rules: Rules<'r>,
    ret: &'r mut Ssda903Return,
    counts: Counts,
}

/// An error in the XML itself; the location (file and line) is shown before the message.
fn xml_error(file: &str, line: u32, what: &dyn std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!("not well-formed XML: {what}"),
    )
    .at(Location::new(file.into(), line))
}

fn not_ssda903(file: &Arc<str>, line: u32, what: &str) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!("{what}: this is not an SSDA903 XML file"),
    )
    .at(Location::new(file.clone(), line))
}

/// A record element out of its place, being skipped.
struct Misplaced {
    /// Its depth in the element stack.
    depth: usize,
    name: String,
    home: &'static str,
    line: u32,
    path: String,
    /// The tables of the record elements skipped: its own and those inside it.
    tables: Vec<&'static TableSchema>,
}

/// The table whose rows an element named `name` bears (`CHILD` and `HEADER`: the header), and
/// where it belongs; `table` is its [`record_table`].
fn bears(
    name: &[u8],
    table: Option<&'static TableSchema>,
) -> Option<(&'static TableSchema, &'static str)> {
    match name {
        b"CHILD" => Some((Header::SCHEMA, ROOT)),
        b"HEADER" => Some((Header::SCHEMA, "CHILD")),
        _ => table.map(|t| match t.xml {
            XmlPlace::Element { parent, .. } => (t, parent),
            _ => (t, "CHILD"),
        }),
    }
}

/// An element's name as text (not UTF-8: read as UTF-8 would be, with U+FFFD), worked out once
/// for the element.
fn name_text(name: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(name) {
        Ok(n) => Cow::Borrowed(n),
        Err(_) => String::from_utf8_lossy(name),
    }
}

/// The element structure seen so far, and the current child's buffer.
#[derive(Default)]
struct Parser {
    stack: Vec<Frame>,
    child: ChildBuf,
    root_seen: bool,
    /// The line the root element starts on.
    root_line: u32,
    children: u32,
    /// The line of the first text that was not UTF-8.
    not_utf8: Option<u32>,
    /// The element path of the open elements, and where each one's step begins.
    path: String,
    path_at: Vec<usize>,
    /// The outermost record element out of its place being skipped now.
    misplaced: Option<Misplaced>,
    /// The text of the open leaf as it stands in the file (at most [`MAX_VALUE`] bytes), and its
    /// whole length.
    leaf: Vec<u8>,
    leaf_len: usize,
}

impl Parser {
    /// The frame of an element opening on `line` (pushed by the caller).
    /// `text` is `name` as text ([`name_text`]).
    fn open(
        &mut self,
        file: &Arc<str>,
        name: &[u8],
        text: &str,
        line: u32,
    ) -> Result<Frame, Error> {
        let mut f = Frame {
            role: Role::Element,
            scope: FLAT,
            name_start: 0,
            value_start: 0,
            line,
            had_child: false,
        };
        if self.stack.len() >= MAX_DEPTH {
            let what = format!("elements nested more than {MAX_DEPTH} deep");
            return Err(xml_error(file, line, &what));
        }
        let Some(parent) = self.stack.last_mut() else {
            if self.root_seen {
                let what = format!(
                    "a second root element <{}> follows the end of <{ROOT}> (an SSDA903 XML file \
                     is one <{ROOT}> element)",
                    String::from_utf8_lossy(name)
                );
                return Err(xml_error(file, line, &what));
            }
            self.root_seen = true;
            self.root_line = line;
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
            // or of a record. One directly in CHILD or HEADER is reported when the child ends.
            let grand = self.stack.len().checked_sub(2).map(|i| self.stack[i].role);
            if matches!(grand, Some(Role::Child | Role::Header)) {
                let name = child.arena[p.name_start as usize..p.value_start as usize].to_owned();
                child
                    .unknown
                    .push((name, p.line, grand == Some(Role::Header)));
            }
            child.arena.truncate(p.name_start as usize);
        }
        f.scope = p.scope;
        let table = record_table(name);
        self.leaf.clear();
        self.leaf_len = 0;
        if self.misplace(name, table, p.role, line) {
            f.role = Role::Misplaced;
            return Ok(f);
        }
        let child = &mut self.child;
        match p.role {
            Role::Root if name == b"CHILD" => {
                self.children += 1;
                child.clear();
                child.index = self.children;
                child.line = line;
                f.role = Role::Child;
            }
            Role::Root | Role::Ignored | Role::Misplaced | Role::Element => f.role = Role::Ignored,
            Role::Child if name == b"HEADER" => {
                if child.header_line == 0 {
                    child.header_line = line;
                }
                f.role = Role::Header;
            }
            Role::Child | Role::Header if table.is_some() => {
                let table = table.expect("checked");
                let in_header = p.role == Role::Header;
                let ordinal = child.next_ordinal(table.name, in_header);
                f.role = Role::Record;
                f.scope = child.recs.len() as u32;
                let at = child.leaves.len() as u32;
                child.recs.push(Rec {
                    table,
                    line,
                    ordinal,
                    in_header,
                    leaves: (at, at),
                });
            }
            _ => {
                f.name_start = child.arena.len() as u32;
                child.arena.push_str(text);
                f.value_start = child.arena.len() as u32;
            }
        }
        Ok(f)
    }

    /// Whether an element named `name` (of record table `table`), opening in an element of role
    /// `parent`, is a record element out of its place; if so it is noted (or counted in the one it
    /// stands in).
    fn misplace(
        &mut self,
        name: &[u8],
        table: Option<&'static TableSchema>,
        parent: Role,
        line: u32,
    ) -> bool {
        let Some((bears, home)) = bears(name, table) else {
            return false;
        };
        let is_table = table.is_some();
        let placed = match parent {
            Role::Root => name == b"CHILD",
            Role::Child => name == b"HEADER" || is_table,
            Role::Header => is_table,
            _ => false,
        };
        if placed {
            return false;
        }
        if let Some(m) = &mut self.misplaced {
            m.tables.push(bears);
        } else {
            let name = String::from_utf8_lossy(name).into_owned();
            let path = format!("{}/{name}", self.path);
            self.misplaced = Some(Misplaced {
                depth: self.stack.len(),
                name,
                home,
                line,
                path,
                tables: vec![bears],
            });
        }
        true
    }

    /// Adds the step of an element just opened to the element path.
    fn push_path(&mut self, name: &str, f: &Frame) {
        self.path_at.push(self.path.len());
        if !self.stack.is_empty() {
            self.path.push('/');
        }
        self.path.push_str(name);
        match f.role {
            Role::Child => push_index(&mut self.path, self.child.index),
            Role::Record => {
                if let Some(r) = self.child.recs.last() {
                    push_index(&mut self.path, r.ordinal);
                }
            }
            _ => {}
        }
    }

    /// A record element out of its place ended: it is counted as skipped with the record elements
    /// in it, and reported (with its child, when it stands in one).
    fn misplaced_end(&mut self, m: Misplaced, emit: &mut Emit<'_, '_>) -> Result<(), Error> {
        for t in &m.tables {
            emit.counts.row(t);
            emit.counts.skip(t);
        }
        let parent = m
            .path
            .rsplit('/')
            .nth(1)
            .map_or("", |p| p.split('[').next().unwrap_or(p))
            .to_owned();
        let inside = if m.tables.len() > 1 {
            format!(
                " ({} record elements in all, counting those inside it)",
                m.tables.len()
            )
        } else {
            String::new()
        };
        let mut loc = Location::new(emit.file.clone(), m.line);
        loc.path = Some(m.path.into());
        loc.column = Some(m.name.as_str().into());
        let issue = Issue::new(
            IssueCode::UnknownTable,
            format!(
                "<{}> belongs in <{}>, not in <{parent}>: this element is not read, with \
                 everything in it{inside}",
                m.name, m.home
            ),
        )
        .at(Some(loc));
        if self.stack.iter().any(|f| f.role == Role::Child) {
            self.child.misplaced.push(issue);
            return Ok(());
        }
        emit.rules.report(issue)
    }

    /// Whether text now belongs to a field.
    fn in_leaf(&self) -> bool {
        self.stack
            .last()
            .is_some_and(|f| f.role == Role::Element && !f.had_child)
    }

    /// Text of the open element, as the file has it: kept when the element is a leaf, up to
    /// [`MAX_VALUE`] bytes (decoded when it closes).
    fn text(&mut self, bytes: &[u8]) {
        if !self.in_leaf() {
            return;
        }
        self.leaf_len = self.leaf_len.saturating_add(bytes.len());
        if self.leaf_len <= MAX_VALUE {
            self.leaf.extend_from_slice(bytes);
        }
    }

    /// A character or entity reference. Only the five entities XML predefines are read: an entity
    /// a DOCTYPE declares is never expanded, and a reference to one is refused (as the CIN reader
    /// does), never kept as the literal text `&name;`.
    fn reference(&mut self, r: &quick_xml::events::BytesRef<'_>) -> Result<(), String> {
        let mut tmp = [0u8; 4];
        let s: &str = if let Some(c) = r.resolve_char_ref().map_err(|e| e.to_string())? {
            c.encode_utf8(&mut tmp)
        } else {
            let name = String::from_utf8_lossy(r);
            match quick_xml::escape::resolve_predefined_entity(&name) {
                Some(s) => s,
                None => {
                    return Err(format!(
                        "unknown entity &{name}; (only &amp; &lt; &gt; &quot; &apos; and \
                         character references are read; an entity a DOCTYPE declares is never \
                         expanded)"
                    ));
                }
            }
        };
        self.text(s.as_bytes());
        Ok(())
    }

    fn close(&mut self, emit: &mut Emit<'_, '_>) -> Result<(), Error> {
        let Some(f) = self.stack.pop() else {
            return Ok(());
        };
        if let Some(at) = self.path_at.pop() {
            self.path.truncate(at);
        }
        match f.role {
            Role::Misplaced
                if self
                    .misplaced
                    .as_ref()
                    .is_some_and(|m| m.depth == self.stack.len()) =>
            {
                if let Some(m) = self.misplaced.take() {
                    self.misplaced_end(m, emit)?;
                }
            }
            Role::Element if !f.had_child && self.leaf_len > MAX_VALUE => {
                let name = &self.child.arena[f.name_start as usize..f.value_start as usize];
                let head: String = String::from_utf8_lossy(&self.leaf)
                    .chars()
                    .take(32)
                    .collect();
                let path = format!("{}/{name}", self.path);
                let name = name.to_owned();
                self.child.arena.truncate(f.name_start as usize);
                self.child
                    .long
                    .push((path, name, f.line, self.leaf_len, head));
                self.leaf.clear();
                self.leaf_len = 0;
            }
            Role::Element if !f.had_child => {
                if let Ok(s) = std::str::from_utf8(&self.leaf) {
                    self.child.arena.push_str(s);
                } else {
                    self.child.arena.push_str(&super::csv::cp1252(&self.leaf));
                    self.not_utf8.get_or_insert(f.line);
                }
                self.leaf.clear();
                self.leaf_len = 0;
                let end = self.child.arena.len() as u32;
                self.child.leaves.push(Leaf {
                    scope: f.scope,
                    name: (f.name_start, f.value_start),
                    value: (f.value_start, end),
                    line: f.line,
                });
            }
            Role::Child => emit_child(&self.child, emit)?,
            Role::Record => {
                let end = self.child.leaves.len() as u32;
                if let Some(r) = self.child.recs.get_mut(f.scope as usize) {
                    r.leaves.1 = end;
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// One value of a row read from XML: its text and the line of its element.
#[derive(Clone, Copy, Debug, Default)]
struct Slot<'c> {
    raw: &'c str,
    line: u32,
}

/// A row read from XML, as the rules see a row.
struct XmlRow<'c> {
    table: &'static TableSchema,
    /// For each field, the first value given.
    slots: [Option<Slot<'c>>; MAX_FIELDS],
    /// Further values of a field given more than once: the field and the value.
    again: Vec<(usize, Slot<'c>)>,
    file: &'c Arc<str>,
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
        let mut p = format!("{ROOT}/CHILD[{}]", self.child_index);
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

impl<'c> XmlRow<'c> {
    /// The `k`-th value of field `f`.
    fn slot(&self, f: usize, k: usize) -> Option<&Slot<'c>> {
        if k == 0 {
            self.slots[f].as_ref()
        } else {
            self.again
                .iter()
                .filter(|(g, _)| *g == f)
                .nth(k - 1)
                .map(|(_, s)| s)
        }
    }
}

/// The most fields a table of the SSDA903 return has (Episodes: 13).
const MAX_FIELDS: usize = 16;

impl RowSource for XmlRow<'_> {
    fn value(&self, f: usize, k: usize) -> Option<Cell<'_>> {
        self.slot(f, k).map(|s| Cell::Text(s.raw))
    }

    fn location(&self, at: Option<(usize, usize)>) -> Option<Location> {
        let slot = at.and_then(|(f, k)| self.slot(f, k));
        let line = slot.map(|s| s.line).filter(|&l| l > 0).unwrap_or(self.line);
        let mut loc = Location::new(self.file.clone(), line);
        loc.path = Some(self.path(at.map(|(f, _)| self.column(f))).into());
        if let Some((f, _)) = at {
            loc.column = Some(self.column(f).into());
            loc.value = slot.map(|s| s.raw.to_owned());
        }
        Some(loc)
    }

    fn unit(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.unit)
    }

    fn column(&self, f: usize) -> &str {
        element_name(self.table, f)
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
    let mut reader = quick_xml::Reader::from_reader(Counted::new(input));
    let mut buf = Vec::new();
    let mut parser = Parser::default();
    let mut emit = Emit {
        file: &file,
        rules: Rules::new(DateSyntax::Ssda903, opts.strict, &mut out.issues),
        ret: &mut out.ret,
        counts: Counts::new(),
    };
    loop {
        // The text up to the next markup is the reader's own: streamed, never buffered whole.
        stream_text(&mut reader, &mut parser, &file)?;
        let counted = reader.get_mut();
        counted.event_start = Some(counted.consumed);
        let line = reader
            .get_ref()
            .line_at(reader.buffer_position() + reader.get_ref().streamed);
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => return Err(event_error(&reader, &file, &e)),
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.name();
                let text = name_text(name.as_ref());
                let f = parser.open(&file, name.as_ref(), &text, line)?;
                parser.push_path(&text, &f);
                parser.stack.push(f);
                if matches!(event, Event::Empty(_)) {
                    parser.close(&mut emit)?;
                }
            }
            Event::End(_) => parser.close(&mut emit)?,
            Event::Text(ref t) => parser.text(t),
            Event::CData(ref t) => parser.text(t),
            Event::GeneralRef(ref r) => parser
                .reference(r)
                .map_err(|e| xml_error(&file, line, &e))?,
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
        buf.clear();
    }
    let line = reader
        .get_ref()
        .line_at(reader.buffer_position() + reader.get_ref().streamed);
    if let Some(f) = parser.stack.last() {
        let what = format!("the file ends inside an element opened on line {}", f.line);
        return Err(xml_error(&file, line, &what));
    }
    if !parser.root_seen {
        return Err(not_ssda903(&file, line, &format!("no <{ROOT}> element")));
    }
    if let Some(line) = parser.not_utf8 {
        emit.rules.report(
            Issue::new(
                IssueCode::UnreadableValue,
                "the file's text is not UTF-8; it was read as Windows-1252",
            )
            .at(Some(Location::new(file.clone(), line))),
        )?;
    }
    if let Some(issue) = emit.rules.mixed_date_forms() {
        emit.rules.report(issue)?;
    }
    let counts = emit.counts;
    let none = counts.rows.iter().all(|&r| r == 0);
    for (i, t) in schema::tables(ReturnKind::Ssda903).enumerate() {
        if counts.rows[i] > 0 || (none && t.name == "Header") {
            let report = FileReport {
                path: file.clone(),
                table: t.name.to_owned(),
                rows: counts.rows[i],
                skipped: counts.skipped[i],
            };
            out.files.push(report);
        }
    }
    one_line(&file, parser.root_line, &mut out);
    out.ret.source.files.push(file);
    out.ret.source.tables = Some(
        schema::tables(ReturnKind::Ssda903)
            .filter(|t| t.xml != XmlPlace::None)
            .map(|t| t.name.into())
            .collect(),
    );
    Ok(out)
}

/// The error of an event the parser could not read, at its line.
fn event_error<R: BufRead>(
    reader: &quick_xml::Reader<Counted<R>>,
    file: &str,
    e: &quick_xml::Error,
) -> Error {
    let counted = reader.get_ref();
    if let Some(start) = counted.too_long {
        let what = format!(
            "a tag, comment, CDATA section or declaration longer than {MAX_MARKUP} bytes begins \
             here"
        );
        return xml_error(file, start, &what);
    }
    let at = counted.line_at(reader.error_position() + counted.streamed);
    xml_error(file, at, e)
}

/// Hands the text up to the next markup (`<`) or reference (`&`) to the parser, piece by piece as
/// the input buffer holds it: a text node of any length costs no memory beyond that buffer (the
/// parser keeps at most [`MAX_VALUE`] bytes of a field's value and nothing of other text).
fn stream_text<R: BufRead>(
    reader: &mut quick_xml::Reader<Counted<R>>,
    parser: &mut Parser,
    file: &Arc<str>,
) -> Result<(), Error> {
    let counted = reader.get_mut();
    counted.event_start = None;
    loop {
        let buf = match counted.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let line = counted.line_at(counted.consumed);
                return Err(xml_error(file, line, &e));
            }
        };
        let n = buf
            .iter()
            .position(|&b| b == b'<' || b == b'&')
            .unwrap_or(buf.len());
        if n == 0 {
            return Ok(());
        }
        parser.text(&buf[..n]);
        counted.consume(n);
        counted.streamed += n as u64;
    }
}

/// A file whose records all start on the line its root element starts on (as files written without
/// line breaks do) has no useful line numbers: its rows' origins and its entries lose theirs, and
/// the element path (with the child, in the entry) is what places an entry.
fn one_line(file: &Arc<str>, root_line: u32, out: &mut Read<Ssda903Return>) {
    struct Lines {
        min: u32,
        max: u32,
        clear: bool,
    }
    impl VisitRowsMut for Lines {
        fn rows<R: Record>(&mut self, rows: &mut Vec<R>) {
            for r in rows {
                let mut o = r.origin();
                if self.clear {
                    o.line = 0;
                    r.set_origin(o);
                } else {
                    self.min = self.min.min(o.line);
                    self.max = self.max.max(o.line);
                }
            }
        }
    }
    let mut lines = Lines {
        min: u32::MAX,
        max: 0,
        clear: false,
    };
    out.ret.visit_mut(&mut lines);
    // No rows: nothing shows the lines are useless; they stay.
    if lines.min != root_line || lines.max != root_line {
        return;
    }
    lines.clear = true;
    out.ret.visit_mut(&mut lines);
    for i in &mut out.issues {
        if let Some(l) = i.location.as_mut() {
            if l.file.as_ref() == Some(file) {
                l.line = None;
            }
        }
    }
}

/// The groups of flat fields making rows of a table held in `HEADER` (a field repeated starts a
/// new group), keeping those with a value of their own.
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
    groups.retain(|g| g.iter().any(|l| !child.value(l).trim().is_empty()));
    groups
}

/// Does a group of a table held flat in `HEADER` make a row? A UASC group exactly when its flag
/// `UASC` is `1` (spec 2.3); every other group with a value of its own.
fn makes_row(child: &ChildBuf, table: &TableSchema, group: &[&Leaf]) -> bool {
    table.name != "UASC"
        || group
            .iter()
            .any(|l| child.name(l) == "UASC" && child.value(l).trim() == "1")
}

/// One child's values that every row of it shares.
#[derive(Clone, Copy)]
struct Shared<'c> {
    id: Slot<'c>,
    dob: Option<Slot<'c>>,
    sex: Option<Slot<'c>>,
    header_line: u32,
}

fn row<'c>(
    child: &'c ChildBuf,
    file: &'c Arc<str>,
    table: &'static TableSchema,
    element: &'static str,
    unit: &'static str,
    line: u32,
) -> XmlRow<'c> {
    XmlRow {
        table,
        slots: [None; MAX_FIELDS],
        again: Vec::new(),
        file,
        child_index: child.index,
        element,
        ordinal: None,
        in_header: true,
        line,
        unit,
    }
}

/// Hands one row to the rules as a record of its table, and counts it.
fn emit_row(emit: &mut Emit<'_, '_>, r: &XmlRow<'_>, origin: RowOrigin) -> Result<bool, Error> {
    struct One<'a, 'r, 'c> {
        row: &'a XmlRow<'c>,
        rules: &'a mut Rules<'r>,
        origin: RowOrigin,
        result: Option<Result<bool, Error>>,
    }
    impl VisitRowsMut for One<'_, '_, '_> {
        fn rows<R: Record>(&mut self, out: &mut Vec<R>) {
            if R::SCHEMA.is(self.row.table) {
                self.result = Some(self.rules.read::<R>(self.row, self.origin).map(|rec| {
                    let kept = rec.is_some();
                    out.extend(rec);
                    kept
                }));
            }
        }
    }
    emit.counts.row(r.table);
    let mut one = One {
        row: r,
        rules: &mut emit.rules,
        origin,
        result: None,
    };
    emit.ret.visit_mut(&mut one);
    let kept = one.result.unwrap_or_else(|| {
        Err(Error::new(
            ErrorKind::InvalidInput,
            format!("the SSDA903 return has no table {}", r.table.name),
        ))
    })?;
    if !kept {
        emit.counts.skip(r.table);
    }
    Ok(kept)
}

/// Reports the values of a child too long to be read (before its rows are read: a key taken as
/// not given may make a row unusable).
fn report_long(child: &ChildBuf, emit: &mut Emit<'_, '_>, id_raw: &str) -> Result<(), Error> {
    for (path, name, line, len, head) in &child.long {
        let mut loc = Location::new(emit.file.clone(), *line);
        loc.path = Some(path.as_str().into());
        loc.column = Some(name.as_str().into());
        loc.value = Some(format!("{head}..."));
        let mut issue = Issue::new(
            IssueCode::UnreadableValue,
            format!(
                "the value of {name} is {len} bytes long, longer than any field can be \
                 ({MAX_VALUE} bytes): it is not read, and the field is taken as not given"
            ),
        );
        if !trim(id_raw).is_empty() {
            issue = issue.child(trim(id_raw));
        }
        emit.rules.report(issue.at(Some(loc)))?;
    }
    Ok(())
}

fn emit_child(child: &ChildBuf, emit: &mut Emit<'_, '_>) -> Result<(), Error> {
    let id_leaf = child.flat("CHILDID");
    let id_raw = id_leaf.map_or("", |l| child.value(l));
    report_long(child, emit, id_raw)?;
    let header_line = if child.header_line > 0 {
        child.header_line
    } else {
        child.line
    };
    let flat: Vec<(&'static TableSchema, Vec<Vec<&Leaf>>)> = form()
        .flat
        .iter()
        .map(|(t, names)| (*t, flat_groups(child, names)))
        .collect();
    if id_raw.trim().is_empty() {
        // The rows that would have been made: a UASC row only where the header's UASC is 1.
        let flat: Vec<(&'static TableSchema, Vec<&Vec<&Leaf>>)> = flat
            .iter()
            .map(|(t, g)| (*t, g.iter().filter(|g| makes_row(child, t, g)).collect()))
            .collect();
        let nested = child.recs.len() + flat.iter().map(|(_, g)| g.len()).sum::<usize>();
        emit.counts.row(Header::SCHEMA);
        emit.counts.skip(Header::SCHEMA);
        for t in child
            .recs
            .iter()
            .map(|r| r.table)
            .chain(flat.iter().flat_map(|(t, g)| g.iter().map(|_| *t)))
        {
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
        return emit.rules.report(issue);
    }
    let id = Slot {
        raw: id_raw,
        line: id_leaf.map_or(header_line, |l| l.line),
    };
    let Some(shared) = emit_header(child, emit, id, header_line)? else {
        return Ok(());
    };
    for (table, groups) in &flat {
        for g in groups {
            emit_flat(child, emit, shared, table, g)?;
        }
    }
    for (idx, rec) in child.recs.iter().enumerate() {
        emit_record(child, emit, shared, idx, rec)?;
    }
    for (name, line, in_header) in &child.unknown {
        let mut loc = Location::new(emit.file.clone(), *line);
        let header = if *in_header { "/HEADER" } else { "" };
        loc.path = Some(format!("{ROOT}/CHILD[{}]{header}/{name}", child.index).into());
        loc.column = Some(name.as_str().into());
        let issue = Issue::new(
            IssueCode::UnknownTable,
            format!(
                "<{name}> is not an element of the SSDA903 XML form (SWEpisodes, for one, is \
                 collected as CSV only); ignored with everything in it"
            ),
        )
        .child(trim(id_raw))
        .at(Some(loc));
        emit.rules.report(issue)?;
    }
    for issue in &child.misplaced {
        emit.rules.report(issue.clone().child(trim(id_raw)))?;
    }
    Ok(())
}

/// Fills the row's fields from `leaves`, matched by element name (a repeated element gives the
/// field several values, which the rules report); a field already set from the header (`CHILDID`,
/// `DOB`, `SEX`) keeps the header's value (spec 2.3).
fn fill_from<'c>(r: &mut XmlRow<'c>, child: &'c ChildBuf, leaves: impl Iterator<Item = &'c Leaf>) {
    let from_header: [bool; MAX_FIELDS] = std::array::from_fn(|i| r.slots[i].is_some());
    let table = r.table;
    let n = table.fields.len();
    // Leaves mostly come in the schema's order: where names are unique, the field after the last
    // one found is tried first.
    let unique = form().unique_names.iter().any(|t| t.is(table));
    let mut next = 1;
    for l in leaves {
        let name = child.name(l);
        let is = |i: usize| element_name(table, i) == name || table.fields[i].column == name;
        let col = if unique && next < n && is(next) {
            Some(next)
        } else {
            (1..n).find(|&i| is(i))
        };
        if let Some(i) = col {
            next = i + 1;
        }
        if let Some(i) = col.filter(|&i| !from_header[i]) {
            let slot = Slot {
                raw: child.value(l),
                line: l.line,
            };
            if r.slots[i].is_none() {
                r.slots[i] = Some(slot);
            } else {
                r.again.push((i, slot));
            }
        }
    }
}

/// Sets the field of `table` named `col` (when it has one) to `slot`.
fn set_named<'c>(r: &mut XmlRow<'c>, col: &str, slot: Option<Slot<'c>>) {
    if let (Some(i), Some(slot)) = (r.table.column(col), slot) {
        r.slots[i] = Some(slot);
    }
}

/// The Header row; `None` when it is unusable.
fn emit_header<'c>(
    child: &'c ChildBuf,
    emit: &mut Emit<'_, '_>,
    id: Slot<'c>,
    header_line: u32,
) -> Result<Option<Shared<'c>>, Error> {
    let slot = |name: &str| {
        child.flat(name).map(|l| Slot {
            raw: child.value(l),
            line: l.line,
        })
    };
    let mut h = row(
        child,
        emit.file,
        Header::SCHEMA,
        "HEADER",
        "HEADER element",
        header_line,
    );
    h.slots[0] = Some(id);
    let own = child.leaves.iter().filter(|l| l.scope == FLAT);
    fill_from(&mut h, child, own);
    let before = emit.ret.headers.len();
    if !emit_row(emit, &h, RowOrigin::new(0, header_line))? {
        return Ok(None);
    }
    // The values other tables take from the header, after its checks.
    let dob_blanked = emit.ret.headers[before].dob.is_none();
    let dob = slot("DOB").map(|d| Slot {
        raw: if dob_blanked { "" } else { d.raw },
        line: d.line,
    });
    Ok(Some(Shared {
        id,
        dob,
        sex: slot("SEX"),
        header_line,
    }))
}

/// A row of a table held as fields of the header (AD1, UASC, OC3).
fn emit_flat<'c>(
    child: &'c ChildBuf,
    emit: &mut Emit<'_, '_>,
    shared: Shared<'c>,
    table: &'static TableSchema,
    group: &[&'c Leaf],
) -> Result<(), Error> {
    let line = group.first().map_or(shared.header_line, |l| l.line);
    if !makes_row(child, table, group) {
        // A UASC row exists exactly when the header's UASC is 1 (spec 2.3).
        let flag = group.iter().find(|l| child.name(l) == "UASC");
        let value = flag.map_or("", |l| child.value(l).trim());
        {
            if !value.is_empty() && value != "0" {
                let l = flag.expect("a value came from it");
                let mut loc = Location::new(emit.file.clone(), l.line).with_field("UASC", value);
                loc.path = Some(format!("{ROOT}/CHILD[{}]/HEADER/UASC", child.index).into());
                emit.rules.report(
                    Issue::new(
                        IssueCode::UnknownCode,
                        format!("UASC {value:?} is not 1 or 0: the child has no UASC row"),
                    )
                    .child(trim(shared.id.raw))
                    .at(Some(loc)),
                )?;
            }
            return Ok(());
        }
    }
    let unit = match table.name {
        "AD1" => "AD1 record",
        "UASC" => "UASC record",
        _ => "OC3 record",
    };
    let mut r = row(child, emit.file, table, "HEADER", unit, line);
    r.slots[0] = Some(shared.id);
    set_named(&mut r, "DOB", shared.dob);
    set_named(&mut r, "SEX", shared.sex);
    fill_from(&mut r, child, group.iter().copied());
    emit_row(emit, &r, RowOrigin::new(0, line))?;
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
    let table = rec.table;
    let XmlPlace::Element { element, .. } = table.xml else {
        return Ok(());
    };
    let unit = match element {
        "EPISODE" => "EPISODE element",
        "AREVIEW" => "AREVIEW element",
        "AMISSING" => "AMISSING element",
        "OC2" => "OC2 element",
        "PERMANENCE" => "PERMANENCE element",
        _ => "AD_PLACED element",
    };
    let mut r = row(child, emit.file, table, element, unit, rec.line);
    r.ordinal = Some(rec.ordinal);
    r.in_header = rec.in_header;
    r.slots[0] = Some(shared.id);
    set_named(&mut r, "DOB", shared.dob);
    let (from, to) = rec.leaves;
    let own = child
        .leaves
        .get(from as usize..to as usize)
        .unwrap_or_default()
        .iter()
        .filter(|l| l.scope == idx as u32);
    fill_from(&mut r, child, own);
    emit_row(emit, &r, RowOrigin::new(0, rec.line))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_index_is_written_as_format_writes_it() {
        for n in [0, 1, 9, 10, 99, 100, 12_345, u32::MAX] {
            let mut path = String::from("EXPSSDA903/CHILD");
            push_index(&mut path, n);
            assert_eq!(path, format!("EXPSSDA903/CHILD[{n}]"));
        }
    }

    #[test]
    fn a_leaf_finds_its_field_whatever_the_order() {
        // Leaves in the schema's order, in reverse, and repeated: each finds the field a scan
        // of the whole table would.
        for t in schema::tables(ReturnKind::Ssda903) {
            let n = t.fields.len();
            let mut child = ChildBuf::default();
            let mut order: Vec<usize> = (1..n).chain((1..n).rev()).chain(1..n).collect();
            order.push(1);
            for &i in &order {
                let start = child.arena.len() as u32;
                child.arena.push_str(element_name(t, i));
                let mid = child.arena.len() as u32;
                let _ = write!(child.arena, "v{i}");
                let end = child.arena.len() as u32;
                child.leaves.push(Leaf {
                    scope: FLAT,
                    name: (start, mid),
                    value: (mid, end),
                    line: i as u32,
                });
            }
            let file: Arc<str> = Arc::from("t.xml");
            let mut r = row(&child, &file, t, "HEADER", "HEADER element", 1);
            fill_from(&mut r, &child, child.leaves.iter());
            // What a scan of the whole table for each leaf gives.
            let first = |name: &str| {
                (1..n).find(|&j| element_name(t, j) == name || t.fields[j].column == name)
            };
            let mut slots: Vec<Option<&str>> = vec![None; n];
            let mut again = Vec::new();
            for l in &child.leaves {
                if let Some(j) = first(child.name(l)) {
                    if slots[j].is_none() {
                        slots[j] = Some(child.value(l));
                    } else {
                        again.push((j, child.value(l)));
                    }
                }
            }
            for (j, want) in slots.iter().enumerate().skip(1) {
                assert_eq!(r.slots[j].map(|s| s.raw), *want, "{}", t.name);
            }
            let got: Vec<(usize, &str)> = r.again.iter().map(|(j, s)| (*j, s.raw)).collect();
            assert_eq!(got, again, "{}", t.name);
        }
    }

    #[test]
    fn every_table_fits_the_row_slots() {
        for t in schema::tables(ReturnKind::Ssda903) {
            assert!(
                t.fields.len() <= MAX_FIELDS,
                "{} has {} fields",
                t.name,
                t.fields.len()
            );
        }
    }
}
