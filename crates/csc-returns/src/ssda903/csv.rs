//! Reading one SSDA903 CSV table into an accumulating return.
//!
//! The file is parsed from memory with one reused [`csv::StringRecord`]. Its header row is matched
//! to a table of the schema ([`recognise`]); each data row is then handed, as it stands, to the
//! core's row rules ([`Rules::read`]), which make the record or report why not. Line numbers are
//! physical lines, counted from the bytes, so blank lines, CRLF and quoted fields that span lines
//! do not shift them.

use std::borrow::Cow;
use std::sync::Arc;

use csc_measures::quality::{Issue, IssueCode, Location};
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
    rec.iter().all(|f| trim(f).is_empty())
}

/// A header row matched to a table: for each field of the table's schema, the position of its
/// column.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    pub table: &'static TableSchema,
    /// For each schema field, the column position.
    pub positions: Vec<usize>,
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
        return Ok(Layout { table, positions });
    }
    // Every table had a column missing, so `closest` is set (the family has tables).
    let (closest, missing) = closest.map_or((Header::SCHEMA, Vec::new()), |(t, _, m)| (t, m));
    Err(NoMatch { closest, missing })
}

/// One CSV row seen through its table's layout.
struct Row<'r> {
    rec: &'r csv::StringRecord,
    layout: &'r Layout,
    file: &'r Arc<str>,
    line: u32,
}

impl RowSource for Row<'_> {
    fn value(&self, f: usize, k: usize) -> Option<Cell<'_>> {
        (k == 0).then(|| Cell::Text(field(self.rec, self.layout.positions[f])))
    }

    fn location(&self, at: Option<(usize, usize)>) -> Option<Location> {
        let loc = Location::new(self.file.clone(), self.line);
        Some(match at {
            Some((f, _)) => {
                loc.with_field(self.column(f), field(self.rec, self.layout.positions[f]))
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

fn csv_error(e: &csv::Error, file: &str) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!("{file}: not a readable CSV file: {e}"),
    )
}

/// The input as UTF-8: as it is, or decoded from Windows-1252 with a warning.
fn utf8<'b>(
    file: &Arc<str>,
    bytes: &'b [u8],
    rules: &mut Rules<'_>,
) -> Result<Cow<'b, [u8]>, Error> {
    match std::str::from_utf8(bytes) {
        Ok(_) => Ok(Cow::Borrowed(bytes)),
        Err(e) => {
            let line = newlines(&bytes[..e.valid_up_to()]) as u32 + 1;
            rules.report(
                Issue::new(
                    IssueCode::UnreadableValue,
                    "the file is not UTF-8; it was read as Windows-1252 (save it as UTF-8 to be \
                     sure of its text)",
                )
                .at(Some(Location::new(file.clone(), line))),
            )?;
            Ok(Cow::Owned(cp1252(bytes).into_bytes()))
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
                    no.closest.name,
                    no.missing.join(", "),
                    report.rows,
                ),
            )
            .at(Some(Location {
                value: Some(shown),
                ..Location::new(file.clone(), header_line)
            }));
            into.files.push(report);
            return rules.report(issue);
        }
    };
    layout.table.name.clone_into(&mut report.table);
    let tables = into.ret.source.tables.get_or_insert_with(Vec::new);
    if !tables.iter().any(|t| t == layout.table.name) {
        tables.push(layout.table.name.into());
    }
    let mut rows = Rows {
        rdr,
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
