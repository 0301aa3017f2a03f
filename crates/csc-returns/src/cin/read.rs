//! The streaming reader of the CIN census XML (rules in the [module docs](super)).

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

use std::borrow::Cow;
use std::fmt::Write as _;

use csc_measures::day::Day;
use csc_measures::error::{Error, ErrorKind};
use csc_measures::quality::{Issue, IssueCode, Location};
use csc_measures::records::{CinChild, CinEpisode, CinReturn, ReturnKind, RowOrigin};
use csc_measures::rows::{Cell, DateSyntax, RowSource, Rules};
use csc_measures::schema::{self, FieldKind, Record, TableSchema, VisitRowsMut, XmlPlace};
use quick_xml::Reader;
use quick_xml::errors::IllFormedError;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::TABLE;
use crate::field;
use crate::{FileReport, Read, ReadOptions, push_index};

/// Reads the CIN census XML file at `path`.
///
/// See the [module docs](super) for the rules. The issues and the [`FileReport`] name the file as
/// `path` shows it.
///
/// # Errors
///
/// [`ErrorKind::Io`] when the file cannot be opened or read, [`ErrorKind::InvalidInput`] when it
/// is not well-formed XML or not a CIN census, [`ErrorKind::DataQuality`] in strict mode at the
/// first problem.
pub fn read_xml(path: &Path, opts: &ReadOptions) -> Result<Read<CinReturn>, Error> {
    let file: Arc<str> = path.to_string_lossy().into();
    let f = File::open(path).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("cannot open the CIN census file {file}: {e}"),
        )
        .at(file_location(&file))
    })?;
    read_xml_from(file, BufReader::with_capacity(1 << 16, f), opts)
}

/// Reads a CIN census XML document from `reader`, naming it `file` in issues and errors.
///
/// This is [`read_xml`] without the file system: the same rules, one streamed pass.
///
/// # Errors
///
/// As [`read_xml`]: [`ErrorKind::Io`] when `reader` fails, [`ErrorKind::InvalidInput`] for XML
/// that is not well-formed or not a CIN census, [`ErrorKind::DataQuality`] in strict mode.
pub fn read_xml_from<R: BufRead>(
    file: Arc<str>,
    mut reader: R,
    opts: &ReadOptions,
) -> Result<Read<CinReturn>, Error> {
    let mut p = Parser::new(file, opts);
    let mut doc = Doc::default();
    let head = drop_bom(&mut reader).map_err(|e| p.io_error(&e))?;
    if !head.is_empty() {
        doc.feed(&mut p, &head)?;
    }
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(p.io_error(&e)),
        };
        let n = chunk.len();
        doc.feed(&mut p, chunk)?;
        if n == 0 {
            break;
        }
        reader.consume(n);
    }
    p.text_ends(|| doc.newlines)?;
    p.finish(doc.newlines)
}

/// Drops a UTF-8 byte order mark at the start of `reader` (even one handed out a byte at a time),
/// and returns the leading bytes taken to look for one that turned out not to be one.
fn drop_bom<R: BufRead>(reader: &mut R) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    while head.len() < BOM.len() {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        match buf.first() {
            Some(&b) if b == BOM[head.len()] => {
                head.push(b);
                reader.consume(1);
            }
            _ => break,
        }
    }
    if head.len() == BOM.len() {
        head.clear();
    }
    Ok(head)
}

/// The document as it streams in: each piece of input the reader hands out (a chunk) is parsed
/// where it lies, plain tags directly and other markup with quick-xml's borrowed events. Markup
/// that a chunk ends inside is copied, with the chunks after it until it ends, so the memory held
/// is the reader's buffer and one unfinished piece of markup (at most [`MAX_MARKUP`] bytes) with
/// one chunk after it. Text is handed to the parser piece by piece, as the chunks hold it. Lines
/// are counted only up to where one is needed.
#[derive(Default)]
struct Doc {
    /// An unfinished piece of markup and the chunk after it.
    carry: Vec<u8>,
    /// Newlines before the bytes being parsed (the chunk, or the carry).
    newlines: u64,
    /// The names of the open elements, end to end: end tags are checked against them (quick-xml
    /// reads one event at a time here, so its own check cannot be used).
    names: Vec<u8>,
    /// Where each name begins, and whether it is plain (see [`plain_tag`]).
    name_at: Vec<(usize, bool)>,
}

/// How parsing a run of bytes ended.
enum Outcome {
    /// Every event in it was read.
    Done,
    /// The markup at this offset is not finished in it.
    Incomplete(usize),
}

/// Newlines in a run of bytes, counted lazily from the last place one was asked for.
struct Lines<'a> {
    data: &'a [u8],
    /// Newlines before the run.
    base: u64,
    at: usize,
    /// Newlines in `data[..at]`.
    n: u64,
}

impl Lines<'_> {
    /// Newlines before byte `pos` of the run (counting those before the run).
    fn before(&mut self, pos: usize) -> u64 {
        if pos >= self.at {
            self.n += count_newlines(&self.data[self.at..pos]);
        } else {
            self.n -= count_newlines(&self.data[pos..self.at]);
        }
        self.at = pos;
        self.base + self.n
    }

    /// The bytes from `from` to `to` were found to hold `k` newlines: when the count stands at
    /// `from`, it moves past them without counting again.
    fn passed(&mut self, from: usize, to: usize, k: u64) {
        if self.at == from {
            self.at = to;
            self.n += k;
        }
    }

    /// The 1-based line of byte `pos` of the run.
    fn line(&mut self, pos: usize) -> u32 {
        line_number(self.before(pos))
    }
}

impl Doc {
    /// Reads the events of the next chunk of input (empty at its end).
    fn feed(&mut self, p: &mut Parser<'_>, chunk: &[u8]) -> Result<(), Error> {
        let last = chunk.is_empty();
        if self.carry.is_empty() {
            if last {
                return Ok(());
            }
            if let Outcome::Incomplete(m) = self.run(p, chunk, false)? {
                self.carry.extend_from_slice(&chunk[m..]);
            }
            return Ok(());
        }
        let mut carry = std::mem::take(&mut self.carry);
        // The unfinished markup can only end in this chunk if it holds the byte it would end at
        // (every markup ends at `>`, a reference at `;`, or an error at `&` or `<`): else it is
        // not parsed again, so that markup fed in small pieces costs linear time.
        let could_end = last
            || carry.len() < 3
            || match carry[0] {
                b'&' => memchr::memchr3(b';', b'&', b'<', chunk).is_some(),
                _ => memchr::memchr(b'>', chunk).is_some(),
            };
        carry.extend_from_slice(chunk);
        if !could_end {
            if carry.len() as u64 > MAX_MARKUP {
                return Err(too_long(p, self.newlines));
            }
            self.carry = carry;
            return Ok(());
        }
        match self.run(p, &carry, last)? {
            Outcome::Done => carry.clear(),
            Outcome::Incomplete(m) => {
                carry.drain(..m);
            }
        }
        self.carry = carry;
        Ok(())
    }

    /// Parses `data`, the next bytes of the document; `last` when nothing follows them.
    fn run(&mut self, p: &mut Parser<'_>, data: &[u8], last: bool) -> Result<Outcome, Error> {
        let mut lines = Lines {
            data,
            base: self.newlines,
            at: 0,
            n: 0,
        };
        let outcome = self.events(p, data, last, &mut lines)?;
        match outcome {
            Outcome::Done => self.newlines = lines.before(data.len()),
            Outcome::Incomplete(m) => {
                self.newlines = lines.before(m);
                // The parser buffers a whole event: past the bound, it is refused rather than
                // carried further.
                if (data.len() - m) as u64 > MAX_MARKUP {
                    return Err(too_long(p, self.newlines));
                }
            }
        }
        Ok(outcome)
    }

    fn events(
        &mut self,
        p: &mut Parser<'_>,
        data: &[u8],
        last: bool,
        lines: &mut Lines<'_>,
    ) -> Result<Outcome, Error> {
        let mut pos = 0;
        while pos < data.len() {
            if !matches!(data[pos], b'<' | b'&') {
                // Whitespace between elements, the commonest text, is taken in one pass.
                let mut i = pos;
                let mut k = 0;
                while let Some(&b) = data.get(i) {
                    match b {
                        b'\n' => k += 1,
                        b' ' | b'\t' | b'\r' => {}
                        _ => break,
                    }
                    i += 1;
                }
                if data.get(i).is_none_or(|b| matches!(b, b'<' | b'&')) {
                    p.blank(&data[pos..i], lines, pos, k)?;
                    pos = i;
                    continue;
                }
                let end = memchr::memchr2(b'<', b'&', &data[i..]).map_or(data.len(), |j| i + j);
                p.piece(&data[pos..end], lines, pos)?;
                pos = end;
                continue;
            }
            // The end tag of the element open, when its name is plain, is read by comparing.
            if let (Some(b'/'), Some(&(start, true))) = (data.get(pos + 1), self.name_at.last()) {
                let name = &self.names[start..];
                let to = pos + 2 + name.len();
                if data.get(pos + 2..to) == Some(name) && data.get(to) == Some(&b'>') {
                    p.text_ends(|| lines.before(pos))?;
                    self.name_at.pop();
                    self.names.truncate(start);
                    p.end()?;
                    lines.passed(pos, to + 1, 0);
                    pos = to + 1;
                    continue;
                }
            }
            // The plain tags that make up nearly all of a census are read here; everything else
            // (attributes, namespaces, comments, references, ...) by quick-xml.
            let plain = if data[pos] == b'<' {
                plain_tag(&data[pos..])
            } else {
                None
            };
            let Some((tag, len)) = plain else {
                match self.markup(p, data, pos, last, lines)? {
                    Some(end) => pos = end,
                    None => return Ok(Outcome::Incomplete(pos)),
                }
                continue;
            };
            p.text_ends(|| lines.before(pos))?;
            match tag {
                Tag::Start(name) => {
                    let line = lines.line(pos);
                    self.name_at.push((self.names.len(), true));
                    self.names.extend_from_slice(name);
                    p.open_element(name, line)?;
                }
                Tag::Empty(name) => {
                    let line = lines.line(pos);
                    p.open_element(name, line)?;
                    p.end()?;
                }
                Tag::End(name) => {
                    self.end_name(p, name, lines, pos)?;
                    p.end()?;
                }
            }
            // A plain tag holds no newline.
            lines.passed(pos, pos + len, 0);
            pos += len;
        }
        Ok(Outcome::Done)
    }

    /// Reads the markup or reference at `pos` with quick-xml: where it ends, or `None` when
    /// `data` ends inside it.
    fn markup(
        &mut self,
        p: &mut Parser<'_>,
        data: &[u8],
        pos: usize,
        last: bool,
        lines: &mut Lines<'_>,
    ) -> Result<Option<usize>, Error> {
        // The reader begins at markup, so that it never takes text for a byte order mark.
        let mut xml = Reader::from_reader(&data[pos..]);
        let config = xml.config_mut();
        config.enable_all_checks(true);
        // End tags are checked here, against every element open (the reader sees one event).
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        let event = xml.read_event();
        let end = pos + xml.buffer_position() as usize;
        let event = match event {
            Ok(event) => event,
            Err(e) => {
                let unfinished = matches!(
                    e,
                    quick_xml::Error::Syntax(_)
                        | quick_xml::Error::IllFormed(IllFormedError::UnclosedReference)
                );
                if !last && unfinished && end + 1 >= data.len() {
                    return Ok(None);
                }
                p.text_ends(|| lines.before(pos))?;
                let line = lines.line(pos + xml.error_position() as usize);
                return Err(p.xml_error(&e, line));
            }
        };
        p.text_ends(|| lines.before(pos))?;
        match event {
            Event::Start(e) => {
                let line = lines.line(pos);
                let name = e.name();
                let plain = name.as_ref().iter().all(|&b| PLAIN[usize::from(b)]);
                self.name_at.push((self.names.len(), plain));
                self.names.extend_from_slice(name.as_ref());
                p.start(&e, line)?;
            }
            Event::Empty(e) => {
                let line = lines.line(pos);
                p.start(&e, line)?;
                p.end()?;
            }
            Event::End(e) => {
                self.end_name(p, e.name().as_ref(), lines, pos)?;
                p.end()?;
            }
            Event::CData(c) => {
                let newlines = lines.before(end);
                let text = c
                    .decode()
                    .map_err(|e| p.invalid(&format!("text that is not UTF-8 ({e})"), newlines))?;
                p.text(&text, newlines)?;
            }
            Event::GeneralRef(r) => p.reference(&r, lines.before(end))?,
            Event::Text(t) => p.piece(&t, lines, end - t.len())?,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) | Event::Eof => {}
        }
        Ok(Some(end))
    }

    /// Checks an end tag's name against the element it closes, as quick-xml does.
    fn end_name(
        &mut self,
        p: &Parser<'_>,
        name: &[u8],
        lines: &mut Lines<'_>,
        at: usize,
    ) -> Result<(), Error> {
        let decode = |b: &[u8]| std::str::from_utf8(b).unwrap_or_default().to_owned();
        let Some((start, _)) = self.name_at.pop() else {
            let e = quick_xml::Error::IllFormed(IllFormedError::UnmatchedEndTag(decode(name)));
            return Err(p.xml_error(&e, lines.line(at)));
        };
        if self.names[start..] != *name {
            let e = quick_xml::Error::IllFormed(IllFormedError::MismatchedEndTag {
                expected: decode(&self.names[start..]),
                found: decode(name),
            });
            return Err(p.xml_error(&e, lines.line(at)));
        }
        self.names.truncate(start);
        Ok(())
    }
}

/// The error for markup longer than [`MAX_MARKUP`] that begins after `newlines` newlines.
fn too_long(p: &Parser<'_>, newlines: u64) -> Error {
    let line = line_number(newlines);
    p.invalid(
        &format!(
            "a tag, comment, CDATA section or declaration longer than {MAX_MARKUP} bytes begins \
             on line {line}"
        ),
        newlines,
    )
}

/// A tag with no attributes and a plain name (ASCII letters, digits, `_`, `-`, `.`), which reads
/// the same whoever parses it.
enum Tag<'a> {
    Start(&'a [u8]),
    Empty(&'a [u8]),
    End(&'a [u8]),
}

/// The bytes of a plain name.
const PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-' || c == b'.';
        b += 1;
    }
    t
};

/// The plain tag `s` begins with (at its `<`), and its length; `None` when `s` begins with
/// anything else, or ends inside the tag.
fn plain_tag(s: &[u8]) -> Option<(Tag<'_>, usize)> {
    let is_end = s.get(1) == Some(&b'/');
    let from = 1 + usize::from(is_end);
    let len = s
        .get(from..)?
        .iter()
        .position(|&b| !PLAIN[usize::from(b)])?;
    if len == 0 {
        return None;
    }
    let to = from + len;
    let name = &s[from..to];
    match (s[to], is_end) {
        (b'>', true) => Some((Tag::End(name), to + 1)),
        (b'>', false) => Some((Tag::Start(name), to + 1)),
        (b'/', false) if s.get(to + 1) == Some(&b'>') => Some((Tag::Empty(name), to + 2)),
        _ => None,
    }
}

/// The newlines in `bytes` when they are all ASCII whitespace (space, tab, CR, LF).
fn blank_newlines(bytes: &[u8]) -> Option<u64> {
    let mut k = 0;
    for &b in bytes {
        match b {
            b'\n' => k += 1,
            b' ' | b'\t' | b'\r' => {}
            _ => return None,
        }
    }
    Some(k)
}

fn count_newlines(bytes: &[u8]) -> u64 {
    // memchr's count pays for itself on long runs only.
    if bytes.len() < 64 {
        bytes.iter().map(|&b| u64::from(b == b'\n')).sum()
    } else {
        memchr::memchr_iter(b'\n', bytes).count() as u64
    }
}

fn line_number(newlines_before: u64) -> u32 {
    u32::try_from(newlines_before + 1).unwrap_or(u32::MAX)
}

fn file_location(file: &Arc<str>) -> Location {
    Location {
        file: Some(file.clone()),
        ..Location::default()
    }
}

/// The longest tag, comment, CDATA section, processing instruction, DOCTYPE or reference the
/// readers take (1 MiB): each is held whole while it is parsed, so a longer one is refused (text
/// between elements is streamed instead, see [`MAX_VALUE`]).
pub(crate) const MAX_MARKUP: u64 = 1 << 20;

/// The deepest elements may nest (100,000: a census is six deep): deeper is an error, so that the
/// element stack cannot grow with the file.
pub(crate) const MAX_DEPTH: usize = 100_000;

/// The longest value a field is read with (64 KiB, far beyond any field of the return): a longer
/// text is not buffered, and the field is read as not given, with an `unreadable_value` entry.
pub(crate) const MAX_VALUE: usize = 1 << 16;

const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

/// What an open element is, from its name and its parent's kind.
#[derive(Clone, Copy, Debug)]
enum Frame {
    Message,
    Header,
    CollectionDetails,
    ReferenceDate,
    /// `CollectionDetails/Year`: the collection year the file states.
    Year,
    Children,
    /// A record element of a table (`Child`, `CINdetails`, `Assessments`, ...), by its scope.
    Record(Scope),
    /// A container inside a record (`ChildIdentifiers`, `Disabilities`, `Reviews`, ...).
    Container(Scope, &'static str),
    /// A field of the record being read, by its index in the table's schema.
    Field(Scope, usize),
    /// An element the records do not model: ignored with everything in it.
    Other,
}

/// Containers some files use that the DfE layout names otherwise: the factors of an assessment in
/// `AssessmentFactorsList`.
const OTHER_CONTAINERS: &[(&str, &str)] = &[("Assessments", "AssessmentFactorsList")];

/// The element name of a table's rows in the CIN census.
fn element_of(t: &TableSchema) -> &'static str {
    match t.xml {
        XmlPlace::Element { element, .. } => element,
        _ => t.name,
    }
}

/// The element name of field `f` of `t` (the last step of its path).
fn field_name(t: &TableSchema, f: usize) -> &'static str {
    let leaf = t.fields[f].xml_leaf();
    if leaf.is_empty() {
        t.fields[f].column
    } else {
        leaf
    }
}

/// Where element names are looked up: inside `Children` (scope 0) or inside a record of a CIN
/// table (scope `1 + i`, the table's place among the CIN tables of the schema).
type Scope = u16;

/// What an element named inside a scope is.
#[derive(Clone, Copy, Debug)]
enum Entry {
    Record(Scope),
    Field(usize),
    Container(&'static str),
}

/// The element names of one scope, worked out once from the schema
/// ([`csc_measures::schema::cin`]): the records nested in it first, then the fields by their
/// element names and the names they are also read under, then the containers of the fields'
/// paths and the known variants. A record's fields are taken in any of its containers (child
/// fields directly in `Child` too).
struct Names {
    table: Option<&'static TableSchema>,
    entries: Vec<(&'static [u8], Entry)>,
    /// The [`name_key`] of each name.
    keys: Vec<u64>,
    /// A hash table of the names: 1 + the index of a name, or 0 for an empty slot. A power of two
    /// long, at most half full.
    slots: Vec<u16>,
}

impl Names {
    /// Builds the hash table of the names.
    fn index(&mut self) {
        self.keys = self.entries.iter().map(|(n, _)| name_key(n)).collect();
        let len = (2 * self.entries.len()).next_power_of_two().max(8);
        self.slots = vec![0; len];
        for (i, &key) in self.keys.iter().enumerate() {
            let mut slot = slot_of(key, len);
            while self.slots[slot] != 0 {
                slot = (slot + 1) % len;
            }
            self.slots[slot] = u16::try_from(i + 1).unwrap_or(u16::MAX);
        }
    }

    /// What `name` is in this scope, if anything.
    fn find(&self, name: &[u8]) -> Option<Entry> {
        let key = name_key(name);
        let len = self.slots.len();
        let mut slot = slot_of(key, len);
        loop {
            let i = usize::from(self.slots[slot]).checked_sub(1)?;
            let (n, entry) = self.entries[i];
            if self.keys[i] == key && (name.len() <= 7 || n == name) {
                return Some(entry);
            }
            slot = (slot + 1) % len;
        }
    }
}

/// The slot of a table of `len` slots (a power of two) where a search for `key` begins.
fn slot_of(key: u64, len: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize & (len - 1)
}

/// A name's length and first seven bytes, which tell most names apart in one comparison.
fn name_key(name: &[u8]) -> u64 {
    let len = (name.len().min(255) as u64) << 56;
    if let Some(head) = name.first_chunk::<8>() {
        return len | (u64::from_le_bytes(*head) & 0x00FF_FFFF_FFFF_FFFF);
    }
    let mut key = len;
    for (i, &b) in name.iter().enumerate() {
        key |= u64::from(b) << (8 * i);
    }
    key
}

fn scopes() -> &'static [Names] {
    static SCOPES: std::sync::OnceLock<Vec<Names>> = std::sync::OnceLock::new();
    SCOPES.get_or_init(|| {
        let tables: Vec<&'static TableSchema> = schema::tables(ReturnKind::Cin).collect();
        let records_in = |parent: &str| -> Vec<(&'static [u8], Entry)> {
            (0..tables.len())
                .filter_map(|i| match tables[i].xml {
                    XmlPlace::Element { element, parent: p } if p == parent => Some((
                        element.as_bytes(),
                        Entry::Record(Scope::try_from(i + 1).unwrap_or(Scope::MAX)),
                    )),
                    _ => None,
                })
                .collect()
        };
        let mut scopes = vec![Names {
            table: None,
            entries: records_in("Children"),
            keys: Vec::new(),
            slots: Vec::new(),
        }];
        for &t in &tables {
            let mut names = records_in(element_of(t));
            for (f, field) in t.fields.iter().enumerate() {
                if !field.xml.is_empty() {
                    names.push((field_name(t, f).as_bytes(), Entry::Field(f)));
                    names.extend(field.also.iter().map(|a| (a.as_bytes(), Entry::Field(f))));
                }
            }
            for field in t.fields {
                for step in field.xml.split('/').rev().skip(1) {
                    names.push((step.as_bytes(), Entry::Container(step)));
                }
            }
            for &(_, c) in OTHER_CONTAINERS
                .iter()
                .filter(|(table, _)| *table == t.name)
            {
                names.push((c.as_bytes(), Entry::Container(c)));
            }
            // The first entry of a name is the one a lookup finds: keep only it.
            let mut seen = std::collections::HashSet::new();
            names.retain(|(n, _)| seen.insert(*n));
            scopes.push(Names {
                table: Some(t),
                entries: names,
                keys: Vec::new(),
                slots: Vec::new(),
            });
        }
        for s in &mut scopes {
            s.index();
        }
        scopes
    })
}

/// The table of a record scope.
fn table_of(s: Scope) -> &'static TableSchema {
    scopes()[usize::from(s)]
        .table
        .unwrap_or_else(|| unreachable!("record frames hold a table's scope"))
}

/// The element named `name` inside scope `s`.
fn lookup(s: Scope, name: &[u8]) -> Frame {
    let found = scopes()[usize::from(s)].find(name);
    match found {
        Some(Entry::Record(r)) => Frame::Record(r),
        Some(Entry::Field(f)) => Frame::Field(s, f),
        Some(Entry::Container(c)) => Frame::Container(s, c),
        None => Frame::Other,
    }
}

impl Frame {
    /// The element name, for paths and messages.
    fn name(self) -> &'static str {
        match self {
            Frame::Message => "Message",
            Frame::Header => "Header",
            Frame::CollectionDetails => "CollectionDetails",
            Frame::ReferenceDate => "ReferenceDate",
            Frame::Year => "Year",
            Frame::Children => "Children",
            Frame::Record(s) => element_of(table_of(s)),
            Frame::Container(_, name) => name,
            Frame::Field(s, f) => field_name(table_of(s), f),
            Frame::Other => "",
        }
    }

    /// The kind of the element `name` opened inside an element of kind `parent`.
    fn enter(parent: Frame, name: &[u8]) -> Frame {
        match (parent, name) {
            (Frame::Message, b"Header") => Frame::Header,
            (Frame::Header, b"CollectionDetails") => Frame::CollectionDetails,
            (Frame::CollectionDetails, b"ReferenceDate") => Frame::ReferenceDate,
            (Frame::CollectionDetails, b"Year") => Frame::Year,
            (Frame::Message, b"Children") => Frame::Children,
            (Frame::Children, n) => match lookup(0, n) {
                f @ Frame::Record(_) => f,
                _ => Frame::Other,
            },
            (Frame::Record(s) | Frame::Container(s, _), n) => match lookup(s, n) {
                // Records nest in records, not in their containers.
                Frame::Record(_) if matches!(parent, Frame::Container(..)) => Frame::Other,
                f => f,
            },
            _ => Frame::Other,
        }
    }
}

/// A record element being read: its fields' values as they stood (trimmed), and the records
/// nested in it.
#[derive(Debug)]
struct Acc {
    table: &'static TableSchema,
    /// 1-based position among the same-named siblings.
    index: u32,
    /// Line where the element starts.
    line: u32,
    /// The values given: field index, the value's span in the child's arena (trimmed), and its
    /// line; in document order while the element is open, then (stably) by field.
    cells: Vec<(u16, u32, u32, u32)>,
    /// Once the element has ended, where each field's values begin in `cells` (one more entry
    /// than the table has fields).
    starts: Vec<u32>,
    /// Text standing between the elements of its containers: container, text, line.
    strays: Vec<(&'static str, String, u32)>,
    /// Values longer than [`MAX_VALUE`], not read: field, line, length in bytes, first characters.
    long: Vec<(u16, u32, usize, String)>,
    /// Entries about elements inside it, reported with the record when it is kept (misplaced
    /// record elements).
    notes: Vec<Issue>,
    /// How many records of each table are nested in it so far (the next one's index).
    siblings: Vec<(&'static str, u32)>,
    nested: Vec<Acc>,
}

/// Counts the records nested in `a` by element name, at every depth.
fn walk(a: &Acc, counts: &mut Vec<(&'static str, usize)>) {
    for n in &a.nested {
        let e = element_of(n.table);
        match counts.iter_mut().find(|(name, _)| *name == e) {
            Some((_, c)) => *c += 1,
            None => counts.push((e, 1)),
        }
        walk(n, counts);
    }
}

impl Acc {
    fn new(table: &'static TableSchema, index: usize, line: u32) -> Acc {
        Acc {
            table,
            index: u32::try_from(index).unwrap_or(u32::MAX),
            line,
            cells: Vec::new(),
            starts: Vec::new(),
            strays: Vec::new(),
            long: Vec::new(),
            notes: Vec::new(),
            siblings: Vec::new(),
            nested: Vec::new(),
        }
    }

    /// The 1-based index of a new record of `table` nested in this one: a count kept per table,
    /// so that a child with any number of records is read in linear time.
    fn next_index(&mut self, table: &'static str) -> usize {
        let n = if let Some((_, n)) = self.siblings.iter_mut().find(|(t, _)| *t == table) {
            *n += 1;
            *n
        } else {
            self.siblings.push((table, 1));
            1
        };
        n as usize
    }

    /// Sorts the values by field (each field's in document order) and indexes them.
    fn index_cells(&mut self) {
        self.cells.sort_by_key(|c| c.0);
        self.starts.clear();
        let mut i = 0;
        for f in 0..=self.table.fields.len() {
            while self.cells.get(i).is_some_and(|c| usize::from(c.0) < f) {
                i += 1;
            }
            self.starts.push(i as u32);
        }
    }

    /// The records nested in it, at every depth.
    fn nested_count(&self) -> usize {
        self.nested.iter().map(|n| 1 + n.nested_count()).sum()
    }

    /// `with the 3 records nested in it (1 CINdetails, 2 Assessments)`, or that none are.
    fn nested_text(&self) -> String {
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        walk(self, &mut counts);
        let total: usize = counts.iter().map(|(_, n)| n).sum();
        if total == 0 {
            return "(no records are nested in it)".to_owned();
        }
        let parts: Vec<String> = counts
            .iter()
            .map(|(name, n)| format!("{n} {name}"))
            .collect();
        format!(
            "with the {total} record{} nested in it ({})",
            if total == 1 { "" } else { "s" },
            parts.join(", ")
        )
    }
}

/// A record element as the row rules see it.
struct Src<'a> {
    acc: &'a Acc,
    /// The text of the child's values.
    arena: &'a str,
    file: &'a Arc<str>,
    /// The child's identifier, for records nested in a `Child`.
    child: Option<&'a str>,
    /// The `CINdetails` the record is in, for records nested in one: its index among its
    /// siblings and its `CINreferralDate`.
    episode: Option<(u32, Day)>,
    /// The index of the `Child`.
    child_index: u32,
    /// The `CINdetails` index, when the record is one.
    own_episode: Option<u32>,
}

impl Src<'_> {
    /// The `k`-th value of field `f` and its line.
    fn cell(&self, f: usize, k: usize) -> Option<(&str, u32)> {
        let starts = &self.acc.starts;
        let (Some(&first), Some(&end)) = (starts.get(f), starts.get(f + 1)) else {
            return None;
        };
        let at = first as usize + k;
        if at >= end as usize {
            return None;
        }
        let (_, a, b, line) = self.acc.cells[at];
        Some((&self.arena[a as usize..b as usize], line))
    }

    /// The record's element path, rendered only for an entry.
    fn path(&self) -> String {
        let mut s = format!("Message/Children/Child[{}]", self.child_index);
        if let Some(e) = self.own_episode.or(self.episode.map(|e| e.0)) {
            let _ = write!(s, "/CINdetails[{e}]");
        }
        if self.episode.is_some() {
            let _ = write!(s, "/{}[{}]", element_of(self.acc.table), self.acc.index);
        }
        s
    }
}

impl RowSource for Src<'_> {
    fn value(&self, f: usize, k: usize) -> Option<Cell<'_>> {
        let table = self.acc.table;
        if let (0, Some(child)) = (f, self.child) {
            return (k == 0).then_some(Cell::Text(child));
        }
        if matches!(table.fields[f].kind, FieldKind::ParentKey) {
            return (k == 0).then_some(self.episode.map_or(Cell::Null, |e| Cell::Day(e.1)));
        }
        self.cell(f, k).map(|(v, _)| Cell::Text(v))
    }

    fn location(&self, at: Option<(usize, usize)>) -> Option<Location> {
        let cell = at.and_then(|(f, k)| self.cell(f, k));
        let mut loc = Location::new(self.file.clone(), cell.map_or(self.acc.line, |c| c.1));
        loc.path = Some(self.path().into());
        if let Some((f, k)) = at {
            loc.column = Some(self.column(f).into());
            loc.value = self.value(f, k).map(|c| c.text().into_owned());
        }
        Some(loc)
    }

    fn unit(&self) -> Cow<'_, str> {
        let element = element_of(self.acc.table);
        Cow::Owned(if self.acc.nested.is_empty() && self.episode.is_some() {
            format!("the {element} element is")
        } else {
            format!("the {element} element {} is", self.acc.nested_text())
        })
    }

    fn column(&self, f: usize) -> &str {
        field_name(self.acc.table, f)
    }
}

struct Parser<'o> {
    file: Arc<str>,
    opts: &'o ReadOptions,
    ret: CinReturn,
    issues: Vec<Issue>,
    rows: usize,
    skipped: usize,
    /// Open elements and the lines they start on.
    stack: Vec<(Frame, u32)>,
    seen_root: bool,
    /// The text of the open field.
    text: String,
    /// Text standing in a container, not yet reported, and its line.
    stray: String,
    stray_line: u32,
    children: usize,
    /// The records open now, outermost (the `Child`) first.
    open: Vec<Acc>,
    /// The text of the current child's values.
    arena: String,
    /// `ReferenceDate` given already.
    reference_seen: bool,
    /// The first `Year` of `CollectionDetails` and its line.
    year: Option<(String, u32)>,
    /// Records of children already read, cleared, their buffers kept for the next ones.
    spare: Vec<Acc>,
    /// The bytes of a character split between two pieces of text.
    carry: Vec<u8>,
    /// The length of the open field's text, of which at most [`MAX_VALUE`] bytes are kept.
    text_len: usize,
    /// The (local) names of the open elements, end to end, and where each begins: their element
    /// path is rendered only for an entry.
    names: Vec<u8>,
    name_at: Vec<usize>,
    /// The outermost record element out of its place being skipped now.
    misplaced: Option<Misplaced>,
    /// The end of the return for the collection year and `ReferenceDate` it was last worked out
    /// for.
    end: Option<EndFor>,
}

/// [`ReturnEnd::cin`](csc_measures::rows::ReturnEnd::cin) of a collection year and a
/// `ReferenceDate`.
type EndFor = (
    (Option<i32>, Option<Day>),
    Option<csc_measures::rows::ReturnEnd>,
);

/// A record element met where it does not belong (an `Assessments` directly in `Child`, a
/// `Child` outside `Children`): skipped with everything in it and reported when it ends.
#[derive(Debug)]
struct Misplaced {
    /// Its depth in the element stack.
    depth: usize,
    name: String,
    /// Where it belongs.
    home: &'static str,
    line: u32,
    path: String,
    /// The record elements skipped: it and those inside it.
    records: usize,
}

/// Where a record element named `name` belongs, when it is one.
fn home_of(name: &[u8]) -> Option<&'static str> {
    scopes()[1..]
        .iter()
        .filter_map(|s| s.table)
        .find(|t| element_of(t).as_bytes() == name)
        .and_then(|t| match t.xml {
            XmlPlace::Element { parent, .. } => Some(parent),
            _ => None,
        })
}

impl<'o> Parser<'o> {
    fn new(file: Arc<str>, opts: &'o ReadOptions) -> Parser<'o> {
        let mut ret = CinReturn::default();
        ret.source.files = vec![file.clone()];
        ret.source.collection_year = opts.collection_year;
        Parser {
            file,
            opts,
            ret,
            issues: Vec::new(),
            rows: 0,
            skipped: 0,
            stack: Vec::with_capacity(16),
            seen_root: false,
            text: String::new(),
            stray: String::new(),
            stray_line: 0,
            children: 0,
            open: Vec::new(),
            arena: String::new(),
            reference_seen: false,
            year: None,
            spare: Vec::new(),
            carry: Vec::new(),
            text_len: 0,
            names: Vec::with_capacity(256),
            name_at: Vec::with_capacity(16),
            misplaced: None,
            end: None,
        }
    }

    fn location(&self, line: u32) -> Location {
        Location::new(self.file.clone(), line)
    }

    fn invalid(&self, what: &str, newlines: u64) -> Error {
        Error::new(
            ErrorKind::InvalidInput,
            format!("not a well-formed CIN census XML file: {what}"),
        )
        .at(self.location(line_number(newlines)))
    }

    fn io_error(&self, e: &io::Error) -> Error {
        Error::new(
            ErrorKind::Io,
            format!("cannot read the CIN census file {}: {e}", self.file),
        )
        .at(file_location(&self.file))
    }

    /// A piece of text as the input holds it, which begins at byte `start` of the run `lines`
    /// counts. Pieces that need no line (whitespace between elements, a field's ASCII value, text
    /// in an element not read) are taken as they are counted.
    fn piece(&mut self, bytes: &[u8], lines: &mut Lines<'_>, start: usize) -> Result<(), Error> {
        let end = start + bytes.len();
        if self.carry.is_empty() {
            match self.stack.last() {
                Some((Frame::Field(..) | Frame::ReferenceDate | Frame::Year, _)) => {
                    if let Ok(text) = std::str::from_utf8(bytes) {
                        self.text_len = self.text_len.saturating_add(text.len());
                        if self.text_len <= MAX_VALUE {
                            self.text.push_str(text);
                        }
                        lines.passed(start, end, count_newlines(bytes));
                        return Ok(());
                    }
                }
                Some((Frame::Other, _)) if bytes.is_ascii() => return Ok(()),
                _ if self.stray.is_empty() => {
                    if let Some(k) = blank_newlines(bytes) {
                        lines.passed(start, end, k);
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        self.text_bytes(bytes, lines.before(end))
    }

    /// A piece of text all spaces, tabs and line ends, `k` of them line feeds, which begins at
    /// byte `start` of the run `lines` counts: nothing, unless a field or stray text takes it in.
    fn blank(
        &mut self,
        bytes: &[u8],
        lines: &mut Lines<'_>,
        start: usize,
        k: u64,
    ) -> Result<(), Error> {
        let nothing = self.carry.is_empty()
            && match self.stack.last() {
                Some((Frame::Field(..) | Frame::ReferenceDate | Frame::Year, _)) => false,
                Some((Frame::Other, _)) | None => true,
                Some(_) => self.stray.is_empty(),
            };
        if nothing {
            lines.passed(start, start + bytes.len(), k);
            Ok(())
        } else {
            self.piece(bytes, lines, start)
        }
    }

    /// A run of text ended (at markup, a reference or the end of the input): a character left
    /// unfinished in it is an error.
    fn text_ends(&self, newlines: impl FnOnce() -> u64) -> Result<(), Error> {
        if self.carry.is_empty() {
            Ok(())
        } else {
            Err(self.invalid("text that is not UTF-8", newlines()))
        }
    }

    /// Text as the input holds it, which may end inside a character (kept for the next piece).
    fn text_bytes(&mut self, mut bytes: &[u8], newlines: u64) -> Result<(), Error> {
        let not_utf8 = |p: &Self| p.invalid("text that is not UTF-8", newlines);
        while !self.carry.is_empty() && !bytes.is_empty() {
            self.carry.push(bytes[0]);
            bytes = &bytes[1..];
            match std::str::from_utf8(&self.carry) {
                Ok(c) => {
                    let c = c.to_owned();
                    self.carry.clear();
                    self.text(&c, newlines)?;
                }
                Err(e) if e.error_len().is_none() && self.carry.len() < 4 => {}
                Err(_) => return Err(not_utf8(self)),
            }
        }
        // The text before a byte that is not UTF-8 is taken first, so that the result does not
        // depend on how the input is split into reads.
        let (text, bad) = match std::str::from_utf8(bytes) {
            Ok(text) => (text, false),
            Err(e) => {
                let (whole, rest) = bytes.split_at(e.valid_up_to());
                let incomplete = e.error_len().is_none();
                if incomplete {
                    self.carry.extend_from_slice(rest);
                }
                let text = std::str::from_utf8(whole).map_err(|_| not_utf8(self))?;
                (text, !incomplete)
            }
        };
        if !text.is_empty() {
            self.text(text, newlines)?;
        }
        if bad {
            return Err(not_utf8(self));
        }
        Ok(())
    }

    fn xml_error(&self, e: &quick_xml::Error, line: u32) -> Error {
        match e {
            quick_xml::Error::Io(io) => Error::new(
                ErrorKind::Io,
                format!("cannot read the CIN census file {}: {io}", self.file),
            )
            .at(file_location(&self.file)),
            other => Error::new(
                ErrorKind::InvalidInput,
                format!("not well-formed XML: {other}"),
            )
            .at(self.location(line)),
        }
    }

    /// Reports an issue found outside any `Child` (strict mode: stops where the rules say).
    fn report(&mut self, issue: Issue) -> Result<(), Error> {
        Rules::new(DateSyntax::Cin, self.opts.strict, &mut self.issues).report(issue)
    }

    fn start(&mut self, e: &BytesStart<'_>, line: u32) -> Result<(), Error> {
        for attr in e.attributes() {
            if let Err(err) = attr {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    format!("not well-formed XML: {err}"),
                )
                .at(self.location(line)));
            }
        }
        self.open_element(e.local_name().as_ref(), line)
    }

    /// An element named `name` (its local name) begins on `line`.
    fn open_element(&mut self, name: &[u8], line: u32) -> Result<(), Error> {
        if !self.stray.is_empty() {
            self.flush_stray()?;
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(Error::new(
                ErrorKind::InvalidInput,
                format!("not well-formed XML: elements nested more than {MAX_DEPTH} deep"),
            )
            .at(self.location(line)));
        }
        let frame = match self.stack.last() {
            None => {
                if self.seen_root {
                    return Err(Error::new(
                        ErrorKind::InvalidInput,
                        format!(
                            "not well-formed XML: a second root element <{}> follows the end of \
                             <Message> (a CIN census file is one <Message> element)",
                            String::from_utf8_lossy(name)
                        ),
                    )
                    .at(self.location(line)));
                }
                if name != b"Message" {
                    return Err(self.root_error(name, line));
                }
                self.seen_root = true;
                Frame::Message
            }
            Some(&(Frame::Other, _)) => Frame::Other,
            Some(&(parent, _)) => Frame::enter(parent, name),
        };
        self.open(frame, line);
        let depth = self.stack.len();
        self.name_at.push(self.names.len());
        self.names.extend_from_slice(name);
        self.stack.push((frame, line));
        if let (Frame::Other, Some(home)) = (frame, home_of(name)) {
            match &mut self.misplaced {
                Some(m) => m.records += 1,
                None => {
                    self.misplaced = Some(Misplaced {
                        depth,
                        name: String::from_utf8_lossy(name).into_owned(),
                        home,
                        line,
                        path: self.element_path(),
                        records: 1,
                    });
                }
            }
        }
        Ok(())
    }

    /// The element path of the open elements (`Message/Children/Child[2]/Foo`): each record
    /// element with its index among its siblings.
    fn element_path(&self) -> String {
        let mut path = String::new();
        let mut records = self.open.iter();
        for (i, &(frame, _)) in self.stack.iter().enumerate() {
            if i > 0 {
                path.push('/');
            }
            let from = self.name_at[i];
            let to = self.name_at.get(i + 1).copied().unwrap_or(self.names.len());
            path.push_str(&String::from_utf8_lossy(&self.names[from..to]));
            if matches!(frame, Frame::Record(_)) {
                if let Some(acc) = records.next() {
                    push_index(&mut path, acc.index);
                }
            }
        }
        path
    }

    fn root_error(&self, name: &[u8], line: u32) -> Error {
        Error::new(
            ErrorKind::InvalidInput,
            format!(
                "the root element is <{}>, not <Message>: this is not a CIN census file",
                String::from_utf8_lossy(name)
            ),
        )
        .at(self.location(line))
    }

    /// A misplaced record element ended: it is counted as skipped, with the record elements in
    /// it, and reported (with the record it stands in, when it stands in one).
    fn misplaced_end(&mut self, m: Misplaced) -> Result<(), Error> {
        self.rows += m.records;
        self.skipped += m.records;
        let parent = m
            .path
            .rsplit('/')
            .nth(1)
            .map_or("", |p| p.split('[').next().unwrap_or(p));
        let inside = if m.records > 1 {
            format!(
                " ({} record elements in all, counting those inside it)",
                m.records
            )
        } else {
            String::new()
        };
        let issue = Issue::new(
            IssueCode::UnknownTable,
            format!(
                "<{}> belongs in <{}>, not in <{parent}>: this element is not read, with \
                 everything in it{inside}",
                m.name, m.home
            ),
        )
        .at(Some(Location {
            path: Some(m.path.into()),
            column: Some(m.name.into()),
            ..self.location(m.line)
        }));
        if let Some(acc) = self.open.last_mut() {
            acc.notes.push(issue);
            return Ok(());
        }
        self.report(issue)
    }

    /// Starts the record an element opens.
    fn open(&mut self, frame: Frame, line: u32) {
        match frame {
            Frame::Record(s) => {
                let t = table_of(s);
                let index = if let Some(parent) = self.open.last_mut() {
                    parent.next_index(t.name)
                } else {
                    self.arena.clear();
                    self.children += 1;
                    self.children
                };
                let acc = match self.spare.pop() {
                    Some(mut a) => {
                        a.table = t;
                        a.index = u32::try_from(index).unwrap_or(u32::MAX);
                        a.line = line;
                        a
                    }
                    None => Acc::new(t, index, line),
                };
                self.open.push(acc);
            }
            Frame::Field(..) | Frame::ReferenceDate | Frame::Year => {
                self.text.clear();
                self.text_len = 0;
            }
            _ => {}
        }
    }

    fn end(&mut self) -> Result<(), Error> {
        if !self.stray.is_empty() {
            self.flush_stray()?;
        }
        let Some((frame, line)) = self.stack.pop() else {
            return Ok(());
        };
        if let Some(at) = self.name_at.pop() {
            self.names.truncate(at);
        }
        if self
            .misplaced
            .as_ref()
            .is_some_and(|m| m.depth == self.stack.len())
        {
            if let Some(m) = self.misplaced.take() {
                self.misplaced_end(m)?;
            }
        }
        let too_long = self.text_len > MAX_VALUE;
        match frame {
            Frame::ReferenceDate | Frame::Year if too_long => {
                let issue = self.long_issue(frame.name(), self.text_len, line);
                let issue = Issue {
                    location: issue.location.map(|l| Location {
                        path: Some("Message/Header/CollectionDetails".into()),
                        ..l
                    }),
                    ..issue
                };
                self.report(issue)
            }
            Frame::ReferenceDate => {
                let value = self.text.trim().to_owned();
                self.reference_date(&value, line)
            }
            Frame::Year => {
                if self.year.is_none() {
                    self.year = Some((self.text.trim().to_owned(), line));
                }
                Ok(())
            }
            Frame::Field(_, f) if too_long => {
                let head: String = self.text.chars().take(LONG_HEAD).collect();
                if let Some(acc) = self.open.last_mut() {
                    let f = u16::try_from(f).unwrap_or(u16::MAX);
                    acc.long.push((f, line, self.text_len, head));
                }
                Ok(())
            }
            Frame::Field(_, f) => {
                if let Some(acc) = self.open.last_mut() {
                    let start = self.arena.len() as u32;
                    self.arena.push_str(self.text.trim());
                    let f = u16::try_from(f).unwrap_or(u16::MAX);
                    acc.cells.push((f, start, self.arena.len() as u32, line));
                }
                Ok(())
            }
            Frame::Record(_) => {
                let Some(mut acc) = self.open.pop() else {
                    return Ok(());
                };
                acc.index_cells();
                if let Some(parent) = self.open.last_mut() {
                    parent.nested.push(acc);
                    return Ok(());
                }
                let done = self.finish_child(&acc);
                self.recycle(acc);
                done
            }
            _ => Ok(()),
        }
    }

    /// Keeps the buffers of a finished record and of the records nested in it.
    fn recycle(&mut self, mut acc: Acc) {
        for n in acc.nested.drain(..) {
            self.recycle(n);
        }
        acc.cells.clear();
        acc.strays.clear();
        acc.long.clear();
        acc.notes.clear();
        acc.siblings.clear();
        self.spare.push(acc);
    }

    fn text(&mut self, text: &str, newlines: u64) -> Result<(), Error> {
        match self.stack.last() {
            Some((Frame::Field(..) | Frame::ReferenceDate | Frame::Year, _)) => {
                self.text_len = self.text_len.saturating_add(text.len());
                if self.text_len <= MAX_VALUE {
                    self.text.push_str(text);
                }
            }
            Some((Frame::Other, _)) => {}
            Some(_) => {
                if let Some(at) = text.find(|c: char| !c.is_whitespace()) {
                    if self.stray.is_empty() {
                        let after = count_newlines(&text.as_bytes()[at..]);
                        self.stray_line = line_number(newlines - after.min(newlines));
                    }
                    self.push_stray(text);
                } else if !self.stray.is_empty() {
                    self.push_stray(text);
                }
            }
            None => {
                if !text.trim().is_empty() {
                    return Err(self.invalid("text outside the Message element", newlines));
                }
            }
        }
        Ok(())
    }

    /// Keeps stray text for its entry, up to [`MAX_VALUE`] bytes.
    fn push_stray(&mut self, text: &str) {
        let room = MAX_VALUE.saturating_sub(self.stray.len());
        let mut end = room.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        self.stray.push_str(&text[..end]);
    }

    /// The entry for a value longer than [`MAX_VALUE`] (located at its element, without a path).
    fn long_issue(&self, column: &str, len: usize, line: u32) -> Issue {
        Issue::new(IssueCode::UnreadableValue, long_message(column, len)).at(Some(Location {
            column: Some(column.into()),
            value: Some(self.text.chars().take(LONG_HEAD).collect::<String>() + "..."),
            ..self.location(line)
        }))
    }

    fn reference(&mut self, r: &BytesRef<'_>, newlines: u64) -> Result<(), Error> {
        let mut tmp = [0u8; 4];
        let resolved: &str = match r.resolve_char_ref() {
            Ok(Some(c)) => c.encode_utf8(&mut tmp),
            Ok(None) => {
                let name = r.decode().unwrap_or_default();
                match quick_xml::escape::resolve_predefined_entity(&name) {
                    Some(s) => s,
                    None => {
                        return Err(self.invalid(
                            &format!("unknown entity &{name}; (only &amp; &lt; &gt; &quot; &apos; and character references are read; an entity a DOCTYPE declares is never expanded)"),
                            newlines,
                        ));
                    }
                }
            }
            Err(e) => return Err(self.invalid(&format!("{e}"), newlines)),
        };
        // A reference is text like any other: `&#32;` is whitespace, `&amp;` is not.
        self.text(resolved, newlines)
    }

    /// Reports text that stood in a container since the last tag: with its record when it is in
    /// one (dropped with the record when the record is skipped), else at once.
    fn flush_stray(&mut self) -> Result<(), Error> {
        if self.stray.is_empty() {
            return Ok(());
        }
        let text = std::mem::take(&mut self.stray);
        let trimmed = text.trim().to_owned();
        let line = self.stray_line;
        let Some(&(frame, _)) = self.stack.last() else {
            return Ok(());
        };
        let container = frame.name();
        if matches!(frame, Frame::Record(_) | Frame::Container(..)) {
            if let Some(acc) = self.open.last_mut() {
                acc.strays.push((container, trimmed, line));
                return Ok(());
            }
        }
        let path = self
            .stack
            .iter()
            .map(|(f, _)| f.name())
            .collect::<Vec<_>>()
            .join("/");
        let issue = Issue::new(
            IssueCode::UnreadableValue,
            stray_message(&trimmed, container),
        )
        .at(Some(Location {
            path: Some(path.into()),
            column: Some(container.into()),
            value: Some(trimmed),
            ..self.location(line)
        }));
        self.report(issue)
    }

    fn reference_date(&mut self, value: &str, line: u32) -> Result<(), Error> {
        let parsed = field::cin_date(value);
        if self.reference_seen {
            if parsed.ok() != Some(self.ret.source.reference_date) {
                let msg = format!(
                    "ReferenceDate is given more than once (again as {value:?}); the first value is kept"
                );
                return self.report(self.header_issue(
                    IssueCode::UnreadableValue,
                    msg,
                    line,
                    value,
                ));
            }
            return Ok(());
        }
        self.reference_seen = true;
        if let Ok(d) = parsed {
            self.ret.source.reference_date = d;
            return Ok(());
        }
        let msg = format!(
            "ReferenceDate {value:?} is not a valid YYYY-MM-DD date: the return is read \
             without a reference date"
        );
        self.report(self.header_issue(IssueCode::UnreadableDate, msg, line, value))
    }

    /// The collection year in force: the caller's, else that of the `ReferenceDate`.
    fn collection_year(&self) -> Option<i32> {
        self.opts.collection_year.or_else(|| {
            self.ret
                .source
                .reference_date
                .map(csc_measures::Day::financial_year)
        })
    }

    /// `year_mismatch`: the `Year` the file states, or the year the caller gave, is not the
    /// collection year of the `ReferenceDate` (the financial year that holds it). The return is
    /// read as spec 2.1 says (the caller's year, else the `ReferenceDate`'s); the entry says which
    /// and how to choose the other. A `Year` that is not a year is an `unreadable_value`.
    fn check_year(&mut self) -> Result<(), Error> {
        let reference = self.ret.source.reference_date;
        if let Some((text, line)) = self.year.clone() {
            let loc = Location {
                path: Some("Message/Header/CollectionDetails".into()),
                column: Some("Year".into()),
                value: Some(text.clone()),
                ..self.location(line)
            };
            if let Ok(stated) = text.parse::<i32>() {
                if let Some(r) = reference.filter(|r| r.financial_year() != stated) {
                    let used = self.collection_year().unwrap_or(stated);
                    let msg = format!(
                        "<Year> {stated} (the year to 31 March {stated}) disagrees with the \
                             ReferenceDate {r}, which falls in collection year {} (to 31 March \
                             {}); the return is read as collection year {used}{}",
                        r.financial_year(),
                        r.financial_year(),
                        if self.opts.collection_year.is_some() {
                            " as given"
                        } else {
                            " (its ReferenceDate's): give YEAR=FILE to choose"
                        }
                    );
                    self.report(Issue::new(IssueCode::YearMismatch, msg).at(Some(loc)))?;
                }
            } else {
                let msg = format!("<Year> {text:?} is not a year; it is not used");
                self.report(Issue::new(IssueCode::UnreadableValue, msg).at(Some(loc)))?;
            }
        }
        if let (Some(given), Some(r)) = (self.opts.collection_year, reference) {
            if r.financial_year() != given {
                let msg = format!(
                    "the return was given as collection year {given} (to 31 March {given}), but \
                     its ReferenceDate {r} falls in collection year {}; it is read as {given}, as \
                     given",
                    r.financial_year()
                );
                let issue = Issue::new(IssueCode::YearMismatch, msg).at(Some(Location {
                    path: Some("Message/Header/CollectionDetails".into()),
                    column: Some("ReferenceDate".into()),
                    value: Some(r.to_string()),
                    ..file_location(&self.file)
                }));
                self.report(issue)?;
            }
        }
        Ok(())
    }

    fn header_issue(&self, code: IssueCode, msg: String, line: u32, value: &str) -> Issue {
        Issue::new(code, msg).at(Some(Location {
            path: Some("Message/Header/CollectionDetails".into()),
            column: Some("ReferenceDate".into()),
            value: Some(value.to_owned()),
            ..self.location(line)
        }))
    }

    fn finish(mut self, newlines: u64) -> Result<Read<CinReturn>, Error> {
        if let Some(&(frame, line)) = self.stack.last() {
            let what = match frame {
                Frame::Other => "an element".to_owned(),
                f => format!("<{}>", f.name()),
            };
            return Err(self.invalid(
                &format!("the file ends before the end of {what} opened on line {line}"),
                newlines,
            ));
        }
        if !self.seen_root {
            return Err(self.invalid(
                "there is no <Message> element (the file is empty or not XML)",
                newlines,
            ));
        }
        self.flush_stray()?;
        self.check_year()?;
        let report = FileReport {
            path: self.file.clone(),
            table: TABLE.to_owned(),
            rows: self.rows,
            skipped: self.skipped,
        };

        Ok(Read {
            ret: self.ret,
            issues: self.issues,
            files: vec![report],
        })
    }

    /// A `Child` ended: its records go through the row rules, outermost first; a record that is
    /// unusable is skipped with everything nested in it. The child's entries are then put in line
    /// order.
    fn finish_child(&mut self, acc: &Acc) -> Result<(), Error> {
        let first_issue = self.issues.len();
        self.rows += 1 + acc.nested_count();
        let file = self.file.clone();
        let arena = std::mem::take(&mut self.arena);
        let key = (self.collection_year(), self.ret.source.reference_date);
        let end = match &self.end {
            Some((k, end)) if *k == key => end.clone(),
            _ => {
                let end = csc_measures::rows::ReturnEnd::cin(key.0, key.1);
                self.end = Some((key, end.clone()));
                end
            }
        };
        let mut rules =
            Rules::new(DateSyntax::Cin, self.opts.strict, &mut self.issues).with_end(end);
        let src = Src {
            acc,
            arena: &arena,
            file: &file,
            child: None,
            episode: None,
            child_index: acc.index,
            own_episode: None,
        };
        let own_id = src.cell(0, 0).map(|(id, _)| id.to_owned());
        report_long(&mut rules, acc, &src, own_id.as_deref())?;
        let Some(child) = rules.read::<CinChild>(&src, RowOrigin::new(0, acc.line))? else {
            self.skipped += 1 + acc.nested_count();
            self.arena = arena;
            return Ok(());
        };
        let id = child.child.clone();
        report_strays(&mut rules, acc, &src, &id)?;
        self.ret.children.push(child);
        let mut skipped = 0;
        for ep in &acc.nested {
            let src = Src {
                acc: ep,
                arena: &arena,
                file: &file,
                child: Some(&id),
                episode: None,
                child_index: acc.index,
                own_episode: Some(ep.index),
            };
            report_long(&mut rules, ep, &src, Some(&id))?;
            let Some(e) = rules.read::<CinEpisode>(&src, RowOrigin::new(0, ep.line))? else {
                skipped += 1 + ep.nested_count();
                continue;
            };
            report_strays(&mut rules, ep, &src, &id)?;
            let referral = e.referral_date;
            self.ret.episodes.push(e);
            for n in &ep.nested {
                let src = Src {
                    acc: n,
                    arena: &arena,
                    file: &file,
                    child: Some(&id),
                    episode: Some((ep.index, referral)),
                    child_index: acc.index,
                    own_episode: None,
                };
                report_long(&mut rules, n, &src, Some(&id))?;
                let mut one = One {
                    src: &src,
                    rules: &mut rules,
                    result: None,
                };
                self.ret.visit_mut(&mut one);
                let kept = one.result.unwrap_or_else(|| {
                    Err(Error::new(
                        ErrorKind::InvalidInput,
                        format!("the CIN census has no table {}", n.table.name),
                    ))
                })?;
                if kept {
                    report_strays(&mut rules, n, &src, &id)?;
                } else {
                    skipped += 1;
                }
            }
        }
        self.skipped += skipped;
        self.arena = arena;
        self.issues[first_issue..].sort_by_key(|i| i.location.as_ref().and_then(|l| l.line));
        Ok(())
    }
}

/// Reads one nested record into its table of the return.
struct One<'a, 'r, 's> {
    src: &'a Src<'s>,
    rules: &'a mut Rules<'r>,
    /// Whether the record was kept; `None` until its table is met.
    result: Option<Result<bool, Error>>,
}

impl VisitRowsMut for One<'_, '_, '_> {
    fn rows<R: Record>(&mut self, out: &mut Vec<R>) {
        if R::SCHEMA.is(self.src.acc.table) {
            let origin = RowOrigin::new(0, self.src.acc.line);
            self.result = Some(self.rules.read::<R>(self.src, origin).map(|r| {
                let kept = r.is_some();
                out.extend(r);
                kept
            }));
        }
    }
}

fn stray_message(text: &str, container: &str) -> String {
    format!(
        "text {text:?} stands between the elements of {container}, outside any field: it is \
         ignored"
    )
}

/// How many characters of a value too long to read its entry shows.
const LONG_HEAD: usize = 32;

fn long_message(column: &str, len: usize) -> String {
    format!(
        "the value of {column} is {len} bytes long, longer than any field can be ({MAX_VALUE} \
         bytes): it is not read, and the field is taken as not given"
    )
}

/// Reports the values of a record too long to be read (before the record is read: a key taken as
/// not given may make it unusable).
fn report_long(
    rules: &mut Rules<'_>,
    acc: &Acc,
    src: &Src<'_>,
    child: Option<&str>,
) -> Result<(), Error> {
    for (f, line, len, head) in &acc.long {
        let column = field_name(acc.table, usize::from(*f));
        let mut loc = src.location(None).unwrap_or_default();
        loc.line = Some(*line);
        loc.column = Some(column.into());
        loc.value = Some(format!("{head}..."));
        let mut issue = Issue::new(IssueCode::UnreadableValue, long_message(column, *len));
        if let Some(c) = child.map(str::trim).filter(|c| !c.is_empty()) {
            issue = issue.child(c);
        }
        rules.report(issue.at(Some(loc)))?;
    }
    Ok(())
}

/// Reports the text that stood between the elements of a kept record, and the record elements
/// out of their place that stood in it.
fn report_strays(
    rules: &mut Rules<'_>,
    acc: &Acc,
    src: &Src<'_>,
    child: &str,
) -> Result<(), Error> {
    for issue in &acc.notes {
        rules.report(issue.clone().child(child))?;
    }
    for (container, text, line) in &acc.strays {
        let mut loc = src.location(None).unwrap_or_default();
        loc.line = Some(*line);
        loc.column = Some((*container).into());
        loc.value = Some(text.clone());
        rules.report(
            Issue::new(IssueCode::UnreadableValue, stray_message(text, container))
                .child(child)
                .at(Some(loc)),
        )?;
    }
    Ok(())
}
