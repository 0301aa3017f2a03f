//! Reading one SSDA903 CSV table into an accumulating return.
//!
//! The file is parsed from memory with one reused [`csv::StringRecord`]. Its header row is matched
//! to a table of the schema ([`recognise`]); each data row is then handed, as it stands, to the
//! core's row rules ([`Rules::read`]), which make the record or report why not. Line numbers are
//! physical lines, counted from the bytes, so blank lines, CRLF and quoted fields that span lines
//! do not shift them; a line ends at LF, CRLF or a lone CR (old Mac files), as the CSV parser
//! ends its records.
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

/// Counts physical lines up to the start of each record, in one forward pass over the bytes.
struct Lines<'b> {
    bytes: &'b [u8],
    offset: usize,
    line: u32,
}

impl<'b> Lines<'b> {
    fn new(bytes: &'b [u8]) -> Lines<'b> {
        Lines {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record the CSV reader placed at byte `pos`: the reader's position
    /// can sit before the line terminators and blank lines that precede the record.
    fn line_at(&mut self, pos: usize) -> u32 {
        let mut start = pos.min(self.bytes.len());
        while start < self.bytes.len() && matches!(self.bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start >= self.offset {
            let n = line_breaks(&self.bytes[self.offset..start]);
            self.line = self
                .line
                .saturating_add(u32::try_from(n).unwrap_or(u32::MAX));
            self.offset = start;
        }
        self.line
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

fn field(rec: &csv::StringRecord, pos: usize) -> &str {
    rec.get(pos).unwrap_or("")
}

fn is_blank(rec: &csv::StringRecord) -> bool {
    rec.iter().all(|f| trim(f).is_empty())
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
    rec: &'r csv::StringRecord,
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
        self.position(f, k).map(|p| Cell::Text(field(self.rec, p)))
    }

    fn location(&self, at: Option<(usize, usize)>) -> Option<Location> {
        let loc = Location::new(self.file.clone(), self.line);
        Some(match at {
            Some((f, k)) => {
                let p = self.position(f, k).unwrap_or(self.layout.positions[f]);
                loc.with_field(self.column(f), field(self.rec, p))
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

fn csv_error(e: &csv::Error, file: &str) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!("{file}: not a readable CSV file: {e}"),
    )
}

/// The input as UTF-8: as it is, decoded from UTF-16, or decoded from Windows-1252 with a
/// warning.
fn utf8<'b>(
    file: &Arc<str>,
    bytes: &'b [u8],
    rules: &mut Rules<'_>,
) -> Result<Cow<'b, [u8]>, Error> {
    if let Some((little, units)) = utf16(bytes) {
        return from_utf16(file, units, little, rules).map(|t| Cow::Owned(t.into_bytes()));
    }
    match std::str::from_utf8(bytes) {
        Ok(_) => Ok(Cow::Borrowed(bytes)),
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
            Ok(Cow::Owned(text.into_bytes()))
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
    let bytes: &[u8] = &decoded;
    let mut lines = Lines::new(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rec = csv::StringRecord::new();
    let mut report = FileReport {
        path: file,
        table: String::new(),
        rows: 0,
        skipped: 0,
    };
    let file = &report.path.clone();

    // The header row: the first row that is not blank.
    let mut header_line = None;
    while rdr.read_record(&mut rec).map_err(|e| csv_error(&e, file))? {
        if !is_blank(&rec) {
            header_line = Some(lines.line_at(rec.position().map_or(0, |p| p.byte() as usize)));
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
    let header: Vec<&str> = rec.iter().map(trim).collect();
    let layout = match recognise(&header) {
        Ok(layout) => layout,
        Err(no) => {
            let mut probe = csv::StringRecord::new();
            while rdr
                .read_record(&mut probe)
                .map_err(|e| csv_error(&e, file))?
            {
                report.rows += usize::from(!is_blank(&probe));
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
        rdr,
        width: header.len(),
        rec,
        lines,
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
    rdr: csv::Reader<&'b [u8]>,
    rec: csv::StringRecord,
    lines: Lines<'b>,
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
        let breaks = |p: usize| line_breaks(field(&self.rec, p).as_bytes());
        let total: usize = (0..self.rec.len()).map(breaks).sum();
        if total == 0 {
            return None;
        }
        let end = usize::try_from(self.rdr.position().byte()).unwrap_or(usize::MAX);
        let start = self
            .rec
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(0);
        // Quotes come in pairs in a record whose quotes are closed (`""` inside one too).
        let raw = self.lines.bytes.get(start..end.min(self.lines.bytes.len()));
        let odd = raw.is_some_and(|r| quotes(r) % 2 == 1);
        let unclosed = end >= self.lines.bytes.len() && odd;
        if !unclosed && self.rec.len() == self.width {
            // A quoted field with a line break in it, closed in its row: kept as written.
            return None;
        }
        // An open quote at the end of the file takes in the file's last line end too.
        let tail = if unclosed {
            let last = field(&self.rec, self.rec.len().saturating_sub(1)).as_bytes();
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
        let child = field(&self.rec, self.layout.positions[0]);
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
            Location::new(self.file.clone(), line).with_field(&column, field(&self.rec, p)),
        ));
        if line_breaks(child.as_bytes()) == 0 && !trim(child).is_empty() {
            issue = issue.child(trim(child));
        }
        Some(issue)
    }

    fn read_all<R: Record>(&mut self, out: &mut Vec<R>) -> Result<(), Error> {
        while self
            .rdr
            .read_record(&mut self.rec)
            .map_err(|e| csv_error(&e, self.file))?
        {
            if is_blank(&self.rec) {
                continue;
            }
            let line = self
                .lines
                .line_at(self.rec.position().map_or(0, |p| p.byte() as usize));
            self.report.rows += 1;
            if let Some(issue) = self.run_on(line) {
                self.report.skipped += 1;
                self.rules.report(issue)?;
                continue;
            }
            let row = Row {
                rec: &self.rec,
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
