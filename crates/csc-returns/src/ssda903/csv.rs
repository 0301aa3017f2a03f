//! Reading one SSDA903 CSV table into an accumulating return.
//!
//! The file is parsed from memory with one reused [`csv::StringRecord`]; fields are borrowed from it
//! and copied only into the records' [`CompactString`]s (inline up to 24 bytes). Line numbers are
//! physical lines, counted from the bytes, so blank lines, CRLF and quoted fields that span lines
//! do not shift them.

use std::borrow::Cow;
use std::sync::Arc;

use compact_str::CompactString;
use csc_measures::quality::{Issue, IssueCode, Location};
use csc_measures::records::{OtherRow, RowOrigin, Ssda903Return};
use csc_measures::{Error, ErrorKind};

use super::rules::{self, Checked, Ctx, Fields, check_row};
use super::tables::{Layout, Table, recognise};
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
            self.line += newlines(&self.bytes[self.offset..start]) as u32;
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
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}

fn field(rec: &csv::StringRecord, pos: usize) -> &str {
    rec.get(pos).unwrap_or("")
}

fn is_blank(rec: &csv::StringRecord) -> bool {
    rec.iter().all(|f| rules::trim(f).is_empty())
}

/// One CSV row seen through its table's layout.
struct Row<'r> {
    rec: &'r csv::StringRecord,
    layout: &'r Layout,
    file: &'r Arc<str>,
    line: u32,
}

impl Fields for Row<'_> {
    fn get(&self, col: usize) -> &str {
        rules::trim(self.raw(col))
    }

    fn raw(&self, col: usize) -> &str {
        field(self.rec, self.layout.positions[col])
    }

    fn column_name(&self, col: usize) -> &str {
        self.layout.table.columns()[col]
    }

    fn location(&self, col: Option<usize>) -> Location {
        let loc = rules::csv_location(self.file, self.line);
        match col {
            Some(c) => loc.with_field(self.column_name(c), self.raw(c)),
            None => loc,
        }
    }

    fn unit(&self) -> &'static str {
        "row"
    }
}

fn other_row(row: &Row<'_>, checked: &Checked, origin: RowOrigin) -> OtherRow {
    let table = row.layout.table;
    let blanked: [Option<usize>; 3] = std::array::from_fn(|i| {
        table
            .dates()
            .get(i)
            .filter(|_| checked.blanked[i])
            .map(|&(col, _)| row.layout.positions[col])
    });
    let fields = row
        .layout
        .names
        .iter()
        .enumerate()
        .map(|(p, name)| {
            let value = if blanked.contains(&Some(p)) {
                String::new()
            } else {
                rules::trim(field(row.rec, p)).to_owned()
            };
            (name.clone(), value)
        })
        .collect();
    OtherRow {
        table: CompactString::const_new(table.name()),
        child: CompactString::from(row.get(0)),
        fields,
        origin,
    }
}

#[allow(clippy::naive_bytecount)] // vectorised by the compiler; not worth a dependency
pub(crate) fn newlines(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

fn csv_error(e: &csv::Error, file: &str) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!("{file}: not a readable CSV file: {e}"),
    )
}

/// The input as UTF-8: as it is, or decoded from Windows-1252 with a warning.
fn utf8<'b>(file: &Arc<str>, bytes: &'b [u8], ctx: &mut Ctx<'_>) -> Cow<'b, [u8]> {
    match std::str::from_utf8(bytes) {
        Ok(_) => Cow::Borrowed(bytes),
        Err(e) => {
            let line = newlines(&bytes[..e.valid_up_to()]) as u32 + 1;
            ctx.warn(
                Issue::new(
                    IssueCode::UnreadableValue,
                    "the file is not UTF-8; it was read as Windows-1252 (save it as UTF-8 to be \
                     sure of its text)",
                )
                .at(Some(Location::new(file.clone(), line))),
            );
            Cow::Owned(cp1252(bytes).into_bytes())
        }
    }
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
    let mut ctx = Ctx {
        strict: opts.strict,
        issues: &mut into.issues,
    };
    let decoded = utf8(&file, bytes, &mut ctx);
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
        return ctx.problem(issue);
    };
    let header: Vec<&str> = rec.iter().map(rules::trim).collect();
    let layout = match recognise(&header) {
        Ok(layout) => layout,
        Err(no) => {
            let shown = header.join(",");
            let mut probe = csv::StringRecord::new();
            while rdr
                .read_record(&mut probe)
                .map_err(|e| csv_error(&e, file))?
            {
                report.rows += usize::from(!is_blank(&probe));
            }
            report.skipped = report.rows;
            let issue = Issue::new(
                IssueCode::UnknownTable,
                format!(
                    "the header row [{shown}] matches no SSDA903 table (closest: {}, which also \
                     needs {}); file skipped with its {} rows",
                    no.closest,
                    no.missing.join(", "),
                    report.rows,
                ),
            )
            .at(Some(Location {
                value: Some(shown),
                ..Location::new(file.clone(), header_line)
            }));
            into.files.push(report);
            return ctx.problem(issue);
        }
    };
    layout.table.name().clone_into(&mut report.table);
    // Room for every line, so the table's rows are never moved as it grows.
    let room = newlines(bytes);
    match layout.table {
        Table::Header => into.ret.headers.reserve(room),
        Table::Episodes => into.ret.episodes.reserve(room),
        Table::Ad1 => into.ret.ad1.reserve(room),
        Table::PlacedAdoption => into.ret.placed_adoption.reserve(room),
        _ => into.ret.other.reserve(room),
    }
    let mut rows = Rows {
        rdr,
        rec,
        lines,
        layout,
        file,
        file_index,
    };
    let result = rows.read_all(&mut into.ret, &mut ctx, &mut report);
    into.files.push(report);
    result
}

/// The data rows of a recognised table.
struct Rows<'b, 'f> {
    rdr: csv::Reader<&'b [u8]>,
    rec: csv::StringRecord,
    lines: Lines<'b>,
    layout: Layout,
    file: &'f Arc<str>,
    file_index: u32,
}

impl Rows<'_, '_> {
    fn read_all(
        &mut self,
        ret: &mut Ssda903Return,
        ctx: &mut Ctx<'_>,
        report: &mut FileReport,
    ) -> Result<(), Error> {
        let table = self.layout.table;
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
            report.rows += 1;
            let row = Row {
                rec: &self.rec,
                layout: &self.layout,
                file: self.file,
                line,
            };
            let Some(checked) = check_row(table, &row, ctx)? else {
                report.skipped += 1;
                continue;
            };
            let origin = RowOrigin::new(self.file_index, line);
            match table {
                Table::Header => ret.headers.push(rules::header(&row, &checked, origin)),
                Table::Episodes => ret.episodes.push(rules::episode(&row, &checked, origin)),
                Table::Ad1 => ret.ad1.push(rules::ad1(&row, &checked, origin)),
                Table::PlacedAdoption => {
                    ret.placed_adoption
                        .push(rules::placed(&row, &checked, origin));
                }
                _ => ret.other.push(other_row(&row, &checked, origin)),
            }
        }
        Ok(())
    }
}
