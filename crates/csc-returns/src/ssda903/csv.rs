//! Reading one SSDA903 CSV table into an accumulating return.
//!
//! The file is split into records from memory in one forward pass ([`Splitter`]), which reads
//! records exactly as the `csv` crate's reader does (its unit tests hold it to that) but keeps a
//! plain field as a slice of the file's text, builds only a quoted field with a doubled quote (or
//! text after its closing quote) in a buffer (one per record, reused), and counts lines as it
//! goes. Its header row is matched to a table of the schema ([`recognise`]); each data row is then
//! handed, as it stands, to the core's row rules ([`Rules::read`]), which make the record or
//! report why not. Line numbers are physical lines, counted from the bytes, so blank lines, CRLF
//! and quoted fields that span lines do not shift them; a line ends at LF, CRLF or a lone CR (old
//! Mac files), as the CSV parser ends its records.
//!
//! Decisions where the spec is silent:
//!
//! * UTF-16 (with a byte-order mark, or without one when the text's first characters are ASCII
//!   with their zero bytes) is decoded as UTF-16, with an `unreadable_value` warning naming UTF-16
//!   (at the first unit that is no character, read as U+FFFD, if any). Other text that is not
//!   UTF-8 is read as Windows-1252, as before.
//! * A row that runs over a line break is skipped as `unclosed_quote` when its quote is not
//!   closed before the end of the file, or when it has another number of fields than the header (a
//!   quote closed some rows later: the rows it took in are merged into it); the
//!   entry names the line the quote opened on, the line it ran to and how many lines were read as
//!   one row (so strict mode stops there). A quoted field with a line break that closes in its own
//!   row, as a writer quotes it, is read as written (a date with a line break in it is then
//!   unreadable; a code is kept as it stands, as every code is).
//! * A header that also holds every column of another table (a combined Header and Episodes
//!   extract) is read as the widest table it matches, as before, and gets one `unread_columns`
//!   entry naming the other tables and their columns that were not read. A column of the table
//!   named twice gets one `unread_columns` entry for the file; the first is read, and a row whose
//!   repeats hold another value gets the row rules' `unreadable_value` entry.
//! * Header text echoed in messages is clipped ([`Echo`](csc_measures::quality::Echo)).

use std::borrow::Cow;
use std::sync::Arc;

use csc_measures::quality::{Echo, Issue, IssueCode, Location, clip};
use csc_measures::records::{Header, ReturnKind, RowOrigin, Ssda903Return};
use csc_measures::rows::{Cell, DateSyntax, RowSource, Rules, trim};
use csc_measures::schema::{self, Record, TableSchema, VisitRowsMut};
use csc_measures::{Error, ErrorKind};

use crate::{FileReport, Read, ReadOptions};

/// Where one field of a [`Fields`] record stands: in the file's text, or (a quoted field with a
/// doubled quote, or with text after its closing quote) in the record's own buffer.
#[derive(Clone, Copy, Debug)]
struct Span {
    from: usize,
    to: usize,
    own: bool,
}

/// One record of a CSV file, as [`Splitter::next`] found it.
#[derive(Default, Debug)]
struct Fields {
    spans: Vec<Span>,
    /// The text of the fields that are not a plain slice of the file.
    own: String,
    /// Byte offset where reading the record began (before the line ends and blank lines that
    /// precede it), as the csv crate's record position has it.
    start: usize,
    /// Byte offset just after the record's line end (its first byte: a CRLF's LF belongs to the
    /// next read), or the end of the file.
    end: usize,
    /// The 1-based physical line of the record's first byte (1 for a first record after a
    /// second byte-order mark: see [`Splitter::next`]).
    line: u32,
    /// Whether a field holds a line break (only a quoted one can).
    breaks: bool,
}

impl Fields {
    fn len(&self) -> usize {
        self.spans.len()
    }

    /// The field at `pos` (blank when the record has no such field).
    #[inline]
    fn get<'s>(&'s self, text: &'s str, pos: usize) -> &'s str {
        match self.spans.get(pos) {
            Some(s) if s.own => &self.own[s.from..s.to],
            Some(s) => &text[s.from..s.to],
            None => "",
        }
    }

    fn iter<'s>(&'s self, text: &'s str) -> impl Iterator<Item = &'s str> + 's {
        (0..self.len()).map(move |p| self.get(text, p))
    }

    fn is_blank(&self, text: &str) -> bool {
        self.iter(text).all(|f| trim(f).is_empty())
    }
}

/// The bytes that end a field that is not quoted: `,`, CR and LF.
const ENDS_FIELD: [bool; 256] = {
    let mut t = [false; 256];
    t[b',' as usize] = true;
    t[b'\r' as usize] = true;
    t[b'\n' as usize] = true;
    t
};

/// Splits a CSV text into records exactly as the `csv` crate's reader (csv-core) does with the
/// settings this reader once used (`,`, `"` quoting with doubled quotes, no escape or comment
/// character, any of CR, LF or CRLF ending a record, every record any width), in one forward
/// pass that keeps plain fields as slices of the text and counts physical lines as it goes:
///
/// * line ends (and so blank lines) before a record are skipped;
/// * a field that starts with `"` is quoted up to the next lone `"` (`""` is one `"`); what
///   follows its closing quote up to the next `,` or line end is part of it; a quote anywhere else
///   is text;
/// * a quoted field that is not closed runs to the end of the file;
/// * a UTF-8 byte-order mark at the very start is skipped (one more, after the one the caller
///   strips).
///
/// A line end is LF, CRLF or a lone CR; the unit tests hold it to the csv crate's records and
/// positions.
struct Splitter<'t> {
    text: &'t str,
    /// The next byte to read.
    at: usize,
    /// Line ends before `at`.
    breaks: u32,
    /// No record read yet.
    first: bool,
}

impl<'t> Splitter<'t> {
    fn new(text: &'t str) -> Splitter<'t> {
        Splitter {
            text,
            at: 0,
            breaks: 0,
            first: true,
        }
    }

    /// Counts the line end at byte `i` (a CR or LF): LF, and a CR that no LF follows.
    #[inline]
    fn line_end(&mut self, bytes: &[u8], i: usize) {
        if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
            self.breaks = self.breaks.saturating_add(1);
        }
    }

    /// Counts the line ends in `bytes[from..to]`; says whether there were any CR or LF bytes.
    fn line_ends_in(&mut self, bytes: &[u8], from: usize, to: usize) -> bool {
        let mut any = false;
        for i in from..to {
            if matches!(bytes[i], b'\r' | b'\n') {
                any = true;
                self.line_end(bytes, i);
            }
        }
        any
    }

    /// Reads the next record into `rec`; `false` at the end of the text.
    fn next(&mut self, rec: &mut Fields) -> bool {
        let bytes = self.text.as_bytes();
        let n = bytes.len();
        rec.spans.clear();
        rec.own.clear();
        rec.breaks = false;
        rec.start = self.at;
        let mut at = self.at;
        // The csv crate's reader drops a byte-order mark at the start of its first read, and
        // places its first record at that read's start: line 1, whatever blank lines follow the
        // mark (as this reader has always counted it).
        let first = std::mem::replace(&mut self.first, false);
        let bom = first && bytes[at..].starts_with(b"\xEF\xBB\xBF");
        if bom {
            at += 3;
        }
        while at < n && matches!(bytes[at], b'\r' | b'\n') {
            self.line_end(bytes, at);
            at += 1;
        }
        if at >= n {
            self.at = at;
            return false;
        }
        rec.line = if bom {
            1
        } else {
            self.breaks.saturating_add(1)
        };
        loop {
            // The start of a field, at `at` (possibly the end of the text).
            if bytes.get(at) == Some(&b'"') {
                at = self.quoted(rec, at + 1);
            } else {
                let from = at;
                while at < n && !ENDS_FIELD[usize::from(bytes[at])] {
                    at += 1;
                }
                rec.spans.push(Span {
                    from,
                    to: at,
                    own: false,
                });
            }
            // `at` is now at the `,` or line end that ends the field, or the end of the text.
            match bytes.get(at) {
                Some(b',') => at += 1,
                Some(_) => {
                    self.line_end(bytes, at);
                    at += 1;
                    break;
                }
                None => break,
            }
        }
        rec.end = at;
        self.at = at;
        true
    }

    /// Reads a quoted field whose text starts at `from` (after its opening quote); returns where
    /// the field ends (its `,` or line end, or the end of the text).
    fn quoted(&mut self, rec: &mut Fields, from: usize) -> usize {
        let text = self.text;
        let bytes = text.as_bytes();
        let n = bytes.len();
        // The text not yet taken starts at `seg`; once the field needs its own text (a doubled
        // quote), `own` is where it starts in `rec.own`.
        let mut seg = from;
        let mut at = from;
        let mut own: Option<usize> = None;
        // Where the quoted text ends, and the text after the closing quote.
        let (quoted_end, tail) = loop {
            let q = bytes[at..].iter().position(|&b| b == b'"').map(|p| at + p);
            if self.line_ends_in(bytes, at, q.unwrap_or(n)) {
                rec.breaks = true;
            }
            match q {
                // Not closed: the field runs to the end of the text.
                None => break (n, n..n),
                // A doubled quote: one quote of the field's text.
                Some(q) if bytes.get(q + 1) == Some(&b'"') => {
                    own.get_or_insert(rec.own.len());
                    rec.own.push_str(&text[seg..=q]);
                    at = q + 2;
                    seg = at;
                }
                // The closing quote: what follows it up to the field's end is text too.
                Some(q) => {
                    let mut end = q + 1;
                    while end < n && !ENDS_FIELD[usize::from(bytes[end])] {
                        end += 1;
                    }
                    break (q, q + 1..end);
                }
            }
        };
        let end = tail.end;
        if own.is_none() && !tail.is_empty() {
            own = Some(rec.own.len());
        }
        match own {
            Some(o) => {
                rec.own.push_str(&text[seg..quoted_end]);
                rec.own.push_str(&text[tail]);
                rec.spans.push(Span {
                    from: o,
                    to: rec.own.len(),
                    own: true,
                });
            }
            None => rec.spans.push(Span {
                from: seg,
                to: quoted_end,
                own: false,
            }),
        }
        end
    }
}

/// Windows-1252 for the bytes 0x80..=0x9F (the rest of the range is Latin-1).
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{81}', '\u{201A}', '\u{192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{2C6}', '\u{2030}', '\u{160}', '\u{2039}', '\u{152}', '\u{8D}', '\u{17D}', '\u{8F}',
    '\u{90}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{2DC}', '\u{2122}', '\u{161}', '\u{203A}', '\u{153}', '\u{9D}', '\u{17E}', '\u{178}',
];

/// Decodes Windows-1252 text.
pub(crate) fn cp1252(bytes: &[u8]) -> String {
    let mut text = String::new();
    cp1252_into(bytes, &mut text);
    text
}

/// Decodes Windows-1252 text onto the end of `text`.
fn cp1252_into(bytes: &[u8], text: &mut String) {
    text.extend(bytes.iter().map(|&b| match b {
        0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }));
}

/// A header row matched to a table: for each field of the table's schema, the position of its
/// column.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    pub table: &'static TableSchema,
    /// For each schema field, the column position.
    pub positions: Vec<usize>,
    /// For each schema field, the positions of further columns of the same name (a repeated
    /// column), in header order.
    pub repeats: Vec<Vec<usize>>,
}

/// Why a header row matched no table: the closest table and the columns it lacks.
#[derive(Clone, Debug)]
pub(crate) struct NoMatch {
    pub closest: &'static TableSchema,
    pub missing: Vec<&'static str>,
}

/// Recognises the table of a header row whose names are already trimmed: a file is a table when
/// its header holds every column of the table (in any order and case, among any other columns);
/// when several tables match, the one with the most columns wins, so a Header file with an extra
/// `DUC` column is still a Header.
pub(crate) fn recognise(header: &[&str]) -> Result<Layout, NoMatch> {
    let mut best: Option<(&'static TableSchema, Vec<usize>)> = None;
    let mut closest: Option<(&'static TableSchema, usize, Vec<&'static str>)> = None;
    for table in schema::tables(ReturnKind::Ssda903) {
        let mut positions = Vec::with_capacity(table.fields.len());
        let mut missing = Vec::new();
        for f in table.fields {
            let at = header.iter().position(|h| f.is_column(h)).or_else(|| {
                header.iter().position(|h| {
                    f.column.eq_ignore_ascii_case(h)
                        || f.also.iter().any(|a| a.eq_ignore_ascii_case(h))
                })
            });
            match at {
                Some(p) => positions.push(p),
                None => missing.push(f.column),
            }
        }
        let n = table.fields.len();
        if missing.is_empty() {
            if best.as_ref().is_none_or(|(t, _)| t.fields.len() < n) {
                best = Some((table, positions));
            }
        } else {
            let found = n - missing.len();
            // Closest: the most of the table's columns found, then the largest share of them.
            let better = closest.as_ref().is_none_or(|(t, f, _)| {
                found > *f || (found == *f && found * t.fields.len() > f * n)
            });
            if better {
                closest = Some((table, found, missing));
            }
        }
    }
    if let Some((table, positions)) = best {
        let repeats = table
            .fields
            .iter()
            .zip(&positions)
            .map(|(f, &first)| {
                (0..header.len())
                    .filter(|&p| p != first && names(f, header[p]))
                    .collect()
            })
            .collect();
        return Ok(Layout {
            table,
            positions,
            repeats,
        });
    }
    // Every table had a column missing, so `closest` is set (the family has tables).
    let (closest, missing) = closest.map_or((Header::SCHEMA, Vec::new()), |(t, _, m)| (t, m));
    Err(NoMatch { closest, missing })
}

/// Does header name `h` name field `f` (exactly, or in another case, or by another name)?
fn names(f: &schema::FieldSchema, h: &str) -> bool {
    f.is_column(h)
        || f.column.eq_ignore_ascii_case(h)
        || f.also.iter().any(|a| a.eq_ignore_ascii_case(h))
}

/// The `unread_columns` entry of a header that names a column of its table twice, or holds every
/// column of another table whose columns its table does not read; `None` when neither.
fn unread_columns(header: &[&str], layout: &Layout) -> Option<String> {
    let mut parts = Vec::new();
    for ((f, again), &first) in layout
        .table
        .fields
        .iter()
        .zip(&layout.repeats)
        .zip(&layout.positions)
    {
        if !again.is_empty() {
            let cols: Vec<String> = std::iter::once(first)
                .chain(again.iter().copied())
                .map(|p| (p + 1).to_string())
                .collect();
            parts.push(format!(
                "{} is named {} times (columns {}): the first is read, and a row whose repeat \
                 holds another value is reported",
                f.column,
                cols.len(),
                cols.join(", ")
            ));
        }
    }
    for other in schema::tables(ReturnKind::Ssda903) {
        if other.name == layout.table.name {
            continue;
        }
        let all = other
            .fields
            .iter()
            .all(|f| header.iter().any(|h| names(f, h)));
        let unread: Vec<&str> = other
            .fields
            .iter()
            .filter(|f| !layout.table.fields.iter().any(|g| g.column == f.column))
            .map(|f| f.column)
            .collect();
        if all && !unread.is_empty() {
            parts.push(format!(
                "the header also holds every column of {}, whose {} this file's {} rows do not \
                 read (save each table as a file of its own to load them)",
                other.name,
                unread.join(", "),
                layout.table.name
            ));
        }
    }
    (!parts.is_empty()).then(|| {
        format!(
            "read as {}, with columns not read: {}",
            layout.table.name,
            parts.join("; ")
        )
    })
}

/// Reports [`unread_columns`] at the header row `at`.
fn report_unread(
    header: &[&str],
    layout: &Layout,
    at: Location,
    rules: &mut Rules<'_>,
) -> Result<(), Error> {
    match unread_columns(header, layout) {
        Some(msg) => rules.report(Issue::new(IssueCode::UnreadColumns, msg).at(Some(at))),
        None => Ok(()),
    }
}

/// One CSV row seen through its table's layout.
struct Row<'r> {
    rec: &'r Fields,
    text: &'r str,
    layout: &'r Layout,
    file: &'r Arc<str>,
    line: u32,
}

impl Row<'_> {
    /// The column of the `k`-th value of field `f` (`k > 0`: a repeated column).
    fn position(&self, f: usize, k: usize) -> Option<usize> {
        match k {
            0 => Some(self.layout.positions[f]),
            _ => self.layout.repeats[f].get(k - 1).copied(),
        }
    }
}

impl RowSource for Row<'_> {
    fn value(&self, f: usize, k: usize) -> Option<Cell<'_>> {
        self.position(f, k)
            .map(|p| Cell::Text(self.rec.get(self.text, p)))
    }

    fn location(&self, at: Option<(usize, usize)>) -> Option<Location> {
        let loc = Location::new(self.file.clone(), self.line);
        Some(match at {
            Some((f, k)) => {
                let p = self.position(f, k).unwrap_or(self.layout.positions[f]);
                loc.with_field(self.column(f), self.rec.get(self.text, p))
            }
            None => loc,
        })
    }

    fn unit(&self) -> Cow<'_, str> {
        Cow::Borrowed("row")
    }

    fn column(&self, f: usize) -> &str {
        self.layout.table.fields[f].column
    }
}

#[allow(clippy::naive_bytecount)] // vectorised by the compiler; not worth a dependency
pub(crate) fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

#[allow(clippy::naive_bytecount)] // as `newlines`
fn quotes(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'"').count()
}

/// The line ends in `bytes`, as the CSV parser sees them: LF, CRLF (one) and a lone CR.
fn line_breaks(bytes: &[u8]) -> usize {
    let lone_cr = bytes
        .windows(2)
        .filter(|w| w[0] == b'\r' && w[1] != b'\n')
        .count()
        + usize::from(bytes.last() == Some(&b'\r'));
    newlines(bytes) + lone_cr
}

/// The text as UTF-16, when it is: `Some(little_endian)` for a UTF-16 byte-order mark, or without
/// one when its first characters are ASCII written in two bytes each (`A\0B\0` or `\0A\0B`).
fn utf16(bytes: &[u8]) -> Option<(bool, &[u8])> {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return Some((true, rest));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return Some((false, rest));
    }
    let head = &bytes[..bytes.len().min(64) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = || head.chunks_exact(2);
    if pairs().all(|p| p[1] == 0 && p[0] != 0 && p[0].is_ascii()) {
        return Some((true, bytes));
    }
    if pairs().all(|p| p[0] == 0 && p[1] != 0 && p[1].is_ascii()) {
        return Some((false, bytes));
    }
    None
}

/// Room for `n` more bytes of decoded text, or an error naming the file: the size comes from the
/// input, so it is never reserved unchecked.
fn room(text: &mut String, n: usize, file: &str) -> Result<(), Error> {
    text.try_reserve_exact(n).map_err(|_| {
        Error::new(
            ErrorKind::InvalidInput,
            format!("{file}: too large to decode in the memory available ({n} bytes of text)"),
        )
    })
}

/// The `unknown_table` entry of a file whose header row (at `at`) matches no table; it had `rows`
/// rows.
fn no_table(header: &[&str], no: &NoMatch, rows: usize, at: Location) -> Issue {
    let shown = clip_joined(header);
    let msg = format!(
        "the header row [{shown}] matches no SSDA903 table (closest: {}, which also needs {}); \
         file skipped with its {rows} rows{}",
        no.closest.name,
        no.missing.join(", "),
        encoding_hint(header),
    );
    Issue::new(IssueCode::UnknownTable, msg).at(Some(Location {
        value: Some(shown),
        ..at
    }))
}

/// The header's names joined by commas, clipped as [`clip`] would clip the whole, without joining
/// more of a huge header than is shown.
fn clip_joined(header: &[&str]) -> String {
    let limit = Echo::LIMIT;
    let total = header.iter().map(|h| h.len()).sum::<usize>() + header.len().saturating_sub(1);
    let mut head = String::new();
    for (i, h) in header.iter().enumerate() {
        if i > 0 {
            head.push(',');
        }
        let cut = h
            .char_indices()
            .nth(limit + 1)
            .map_or(h.len(), |(at, _)| at);
        head.push_str(&h[..cut]);
        if head.chars().count() > limit {
            break;
        }
    }
    if head.len() >= total {
        return clip(&head);
    }
    let cut = head
        .char_indices()
        .nth(limit)
        .map_or(head.len(), |(at, _)| at);
    format!("{}… ({total} bytes)", &head[..cut])
}

/// A word on the encoding when a header that matches no table holds NUL characters (text in
/// UTF-16 or UTF-32 that was not recognised as such).
fn encoding_hint(header: &[&str]) -> &'static str {
    if header.iter().any(|h| h.contains('\0')) {
        " (the header holds NUL characters: the file is probably UTF-16 or UTF-32 text; save it \
         as UTF-8)"
    } else {
        ""
    }
}

/// The input as UTF-8: as it is, decoded from UTF-16, or decoded from Windows-1252 with a
/// warning.
fn utf8<'b>(
    file: &Arc<str>,
    bytes: &'b [u8],
    rules: &mut Rules<'_>,
) -> Result<Cow<'b, str>, Error> {
    if let Some((little, units)) = utf16(bytes) {
        return from_utf16(file, units, little, rules).map(Cow::Owned);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(e) => {
            let line = u32::try_from(line_breaks(&bytes[..e.valid_up_to()]))
                .unwrap_or(u32::MAX)
                .saturating_add(1);
            rules.report(
                Issue::new(
                    IssueCode::UnreadableValue,
                    "the file is not UTF-8; it was read as Windows-1252 (save it as UTF-8 to be \
                     sure of its text)",
                )
                .at(Some(Location::new(file.clone(), line))),
            )?;
            let n = bytes.iter().map(|&b| if b < 0x80 { 1 } else { 3 }).sum();
            let mut text = String::new();
            room(&mut text, n, file)?;
            cp1252_into(bytes, &mut text);
            Ok(Cow::Owned(text))
        }
    }
}

/// Decodes UTF-16 text, with one `unreadable_value` entry naming UTF-16; a unit that is no
/// character (an unpaired surrogate, an odd last byte) becomes U+FFFD, and the entry is at the
/// line of the first.
fn from_utf16(
    file: &Arc<str>,
    bytes: &[u8],
    little: bool,
    rules: &mut Rules<'_>,
) -> Result<String, Error> {
    let units = bytes.chunks_exact(2).map(|p| {
        if little {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut text = String::new();
    room(&mut text, bytes.len() / 2 * 3 / 2 + 4, file)?;
    let mut bad: Option<(usize, u32)> = None;
    let mut line = 1u32;
    for c in char::decode_utf16(units) {
        let c = c.unwrap_or_else(|_| {
            let first = bad.map_or(line, |(_, l)| l);
            bad = Some((bad.map_or(0, |(n, _)| n) + 1, first));
            char::REPLACEMENT_CHARACTER
        });
        if c == '\n' {
            line = line.saturating_add(1);
        }
        text.push(c);
    }
    if bytes.len() % 2 == 1 {
        bad = Some((bad.map_or(0, |(n, _)| n) + 1, bad.map_or(line, |(_, l)| l)));
        text.push(char::REPLACEMENT_CHARACTER);
    }
    let order = if little { "little" } else { "big" };
    let (msg, at) = match bad {
        Some((n, at)) => (
            format!(
                "the file is UTF-16 ({order}-endian) text, not UTF-8: it was decoded as UTF-16, \
                 and {n} unit(s) that are no character were read as U+FFFD (save it as UTF-8 to \
                 be sure of its text)"
            ),
            at,
        ),
        None => (
            format!(
                "the file is UTF-16 ({order}-endian) text, not UTF-8: it was decoded as UTF-16 \
                 (save it as UTF-8, as the return's files are)"
            ),
            1,
        ),
    };
    rules.report(
        Issue::new(IssueCode::UnreadableValue, msg).at(Some(Location::new(file.clone(), at))),
    )?;
    Ok(text)
}

/// Parses one table file into `into` (see [`super::read_csv_bytes`]).
pub(crate) fn read(
    file: Arc<str>,
    bytes: &[u8],
    opts: &ReadOptions,
    into: &mut Read<Ssda903Return>,
) -> Result<(), Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let file_index = into.ret.source.files.len() as u32;
    into.ret.source.files.push(file.clone());
    if opts.collection_year.is_some() {
        into.ret.source.collection_year = opts.collection_year;
    }
    let mut rules = Rules::new(DateSyntax::Ssda903, opts.strict, &mut into.issues);
    let decoded = utf8(&file, bytes, &mut rules)?;
    let text: &str = &decoded;
    let mut split = Splitter::new(text);
    let mut rec = Fields::default();
    let mut report = FileReport {
        path: file,
        table: String::new(),
        rows: 0,
        skipped: 0,
    };
    let file = &report.path.clone();

    // The header row: the first row that is not blank.
    let mut header_line = None;
    while split.next(&mut rec) {
        if !rec.is_blank(text) {
            header_line = Some(rec.line);
            break;
        }
    }
    let Some(header_line) = header_line else {
        into.files.push(report);
        let issue = Issue::new(
            IssueCode::UnknownTable,
            format!(
                "{file} is empty: it has no header row, so it is no SSDA903 table; file skipped"
            ),
        )
        .at(Some(Location::new(file.clone(), 1)));
        return rules.report(issue);
    };
    let header: Vec<&str> = rec.iter(text).map(trim).collect();
    let layout = match recognise(&header) {
        Ok(layout) => layout,
        Err(no) => {
            let mut probe = Fields::default();
            while split.next(&mut probe) {
                report.rows += usize::from(!probe.is_blank(text));
            }
            report.skipped = report.rows;
            let at = Location::new(file.clone(), header_line);
            let issue = no_table(&header, &no, report.rows, at);
            into.files.push(report);
            return rules.report(issue);
        }
    };
    report_unread(
        &header,
        &layout,
        Location::new(file.clone(), header_line),
        &mut rules,
    )?;
    layout.table.name.clone_into(&mut report.table);
    let tables = into.ret.source.tables.get_or_insert_with(Vec::new);
    if !tables.iter().any(|t| t == layout.table.name) {
        tables.push(layout.table.name.into());
    }
    let mut rows = Rows {
        split,
        width: header.len(),
        rec: Fields::default(),
        layout,
        file,
        file_index,
        rules,
        report: &mut report,
        result: Ok(()),
    };
    into.ret.visit_mut(&mut rows);
    let Rows {
        result, mut rules, ..
    } = rows;
    let mixed = rules.mixed_date_forms();
    let result = result.and_then(|()| mixed.map_or(Ok(()), |issue| rules.report(issue)));
    into.files.push(report);
    result
}

/// The data rows of a recognised table, read into the return's rows of that table.
struct Rows<'b, 'f, 'i> {
    split: Splitter<'b>,
    rec: Fields,
    layout: Layout,
    file: &'f Arc<str>,
    file_index: u32,
    /// The header's number of columns.
    width: usize,
    rules: Rules<'i>,
    report: &'f mut FileReport,
    result: Result<(), Error>,
}

impl VisitRowsMut for Rows<'_, '_, '_> {
    fn rows<R: Record>(&mut self, out: &mut Vec<R>) {
        // The rows grow as they come: nothing is reserved from the size of the input.
        if R::SCHEMA.name == self.layout.table.name {
            self.result = self.read_all(out);
        }
    }
}

impl Rows<'_, '_, '_> {
    /// The `unclosed_quote` entry of the record just read (starting on `line`) when it runs over a
    /// line break and its quote is not closed before the end of the file, or it has another number
    /// of fields than the header (a quote closed rows later).
    fn run_on(&self, line: u32) -> Option<Issue> {
        if !self.rec.breaks {
            return None;
        }
        let text = self.split.text;
        let field = |p: usize| self.rec.get(text, p);
        let breaks = |p: usize| line_breaks(field(p).as_bytes());
        let total: usize = (0..self.rec.len()).map(breaks).sum();
        if total == 0 {
            return None;
        }
        let bytes = text.as_bytes();
        let (start, end) = (self.rec.start, self.rec.end);
        // Quotes come in pairs in a record whose quotes are closed (`""` inside one too).
        let raw = bytes.get(start..end.min(bytes.len()));
        let odd = raw.is_some_and(|r| quotes(r) % 2 == 1);
        let unclosed = end >= bytes.len() && odd;
        if !unclosed && self.rec.len() == self.width {
            // A quoted field with a line break in it, closed in its row: kept as written.
            return None;
        }
        // An open quote at the end of the file takes in the file's last line end too.
        let tail = if unclosed {
            let last = field(self.rec.len().saturating_sub(1)).as_bytes();
            line_breaks(&last[last.trim_ascii_end().len()..])
        } else {
            0
        };
        let p = (0..self.rec.len()).find(|&p| breaks(p) > 0)?;
        let column = self
            .layout
            .positions
            .iter()
            .chain(self.layout.repeats.iter().flatten())
            .position(|&q| q == p)
            .map_or_else(
                || format!("column {}", p + 1),
                |k| {
                    let n = self.layout.positions.len();
                    let f = if k < n {
                        k
                    } else {
                        // A repeat: find the field whose repeats hold `p`.
                        self.layout
                            .repeats
                            .iter()
                            .position(|r| r.contains(&p))
                            .unwrap_or(0)
                    };
                    self.layout.table.fields[f].column.to_owned()
                },
            );
        let total = total - tail.min(total);
        let last = line.saturating_add(u32::try_from(total).unwrap_or(u32::MAX));
        let how = if unclosed {
            format!("is not closed before the end of the file (line {last})")
        } else {
            format!("runs on to line {last}")
        };
        let child = field(self.layout.positions[0]);
        let msg = format!(
            "a quoted field in {column} opened on line {line} {how}: {} lines were read as one \
             row of {} fields (the header has {}), so whatever lines {}-{last} held is in it; row \
             skipped (close the quote, or remove the line break, in the source)",
            total + 1,
            self.rec.len(),
            self.width,
            line.saturating_add(1)
        );
        let mut issue = Issue::new(IssueCode::UnclosedQuote, msg).at(Some(
            Location::new(self.file.clone(), line).with_field(&column, field(p)),
        ));
        if line_breaks(child.as_bytes()) == 0 && !trim(child).is_empty() {
            issue = issue.child(trim(child));
        }
        Some(issue)
    }

    fn read_all<R: Record>(&mut self, out: &mut Vec<R>) -> Result<(), Error> {
        while self.split.next(&mut self.rec) {
            if self.rec.is_blank(self.split.text) {
                continue;
            }
            let line = self.rec.line;
            self.report.rows += 1;
            if let Some(issue) = self.run_on(line) {
                self.report.skipped += 1;
                self.rules.report(issue)?;
                continue;
            }
            let row = Row {
                rec: &self.rec,
                text: self.split.text,
                layout: &self.layout,
                file: self.file,
                line,
            };
            match self
                .rules
                .read::<R>(&row, RowOrigin::new(self.file_index, line))?
            {
                Some(r) => out.push(r),
                None => self.report.skipped += 1,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_header_is_clipped_as_its_whole_would_be() {
        let big = "x".repeat(500);
        for header in [
            vec!["CHILD", "SEX"],
            vec![big.as_str(), "A"],
            vec!["é"; 300],
            vec!["ab"; 100],
        ] {
            assert_eq!(clip_joined(&header), clip(&header.join(",")), "{header:?}");
        }
    }

    #[test]
    fn recognition_prefers_the_widest_match() {
        let l = recognise(&["child", "SEX", "DOB", "DUC"]).unwrap();
        assert_eq!(l.table.name, "UASC");
        let l = recognise(&[
            "CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB", "DUC",
        ])
        .unwrap();
        assert_eq!(l.table.name, "Header");
        let e = recognise(&["CHILD", "SEX", "DOB", "ETHNIC"]).unwrap_err();
        assert_eq!(e.closest.name, "Header");
        assert_eq!(e.missing, ["UPN", "MOTHER", "MC_DOB"]);
    }
}

#[cfg(test)]
mod splitter_tests {
    use super::*;
    use proptest::prelude::*;

    /// The line of a record the csv crate placed at byte `pos`, as this reader used to count it:
    /// the line ends (LF, CRLF, a lone CR) before the first byte at or after `pos` that is no line
    /// end, plus one.
    fn line_at(bytes: &[u8], pos: usize) -> u32 {
        let mut start = pos.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        u32::try_from(line_breaks(&bytes[..start])).unwrap() + 1
    }

    /// Every record as the csv crate reads it: fields, start and end positions, line.
    fn reference(text: &str) -> Vec<(Vec<String>, usize, usize, u32)> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rec = csv::StringRecord::new();
        let mut out = Vec::new();
        while rdr.read_record(&mut rec).unwrap() {
            let start = rec.position().unwrap().byte() as usize;
            let end = rdr.position().byte() as usize;
            let line = line_at(text.as_bytes(), start);
            let fields = rec.iter().map(str::to_owned).collect();
            out.push((fields, start, end, line));
        }
        out
    }

    fn split(text: &str) -> Vec<(Vec<String>, usize, usize, u32)> {
        let mut s = Splitter::new(text);
        let mut rec = Fields::default();
        let mut out = Vec::new();
        while s.next(&mut rec) {
            let fields: Vec<String> = rec.iter(text).map(str::to_owned).collect();
            let breaks = fields.iter().any(|f| f.contains(['\r', '\n']));
            assert_eq!(rec.breaks, breaks, "{text:?}");
            out.push((fields, rec.start, rec.end, rec.line));
        }
        out
    }

    fn same(text: &str) {
        assert_eq!(split(text), reference(text), "{text:?}");
    }

    #[test]
    fn splits_as_the_csv_crate_does() {
        for text in [
            "",
            "\n",
            "a",
            "a,",
            ",",
            "a,b\nc,d",
            "a,b\r\nc,d\r\n",
            "a\r\rb\r",
            "\r\n\r\na,b\n\n",
            "\"a\nb\",c\nd",
            "\"a\"\"b\",\"\",\"\"\"\"\n",
            "\"ab\"cd,e\"f\"\n",
            "\"open\nrest,of\nfile",
            "\"a\r\nb\"\r\nc",
            "\u{FEFF}a,b\n",
            "\u{FEFF}\n\na,b\nc",
            "\u{FEFF}",
            " \"a\" ,b",
            "\"é\"\"ü\",ß\n",
            "\"a\"\r",
            "\"a\"\"",
        ] {
            same(text);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn splits_any_text_as_the_csv_crate_does(parts in proptest::collection::vec(
            prop_oneof![
                Just("a"), Just("bc"), Just(","), Just("\""), Just("\"\""), Just("\r"),
                Just("\n"), Just("\r\n"), Just(" "), Just("é"), Just("\u{FEFF}"),
            ],
            0..40,
        )) {
            let text: String = parts.concat();
            same(&text);
        }
    }
}
