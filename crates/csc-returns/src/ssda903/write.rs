//! Writing an SSDA903 return as CSV tables or as the XML form, table by table as the schema
//! describes them.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use csc_measures::records::{ReturnKind, Ssda903Return};
use csc_measures::schema::{
    self, AnyRecord, FieldRef, Record, TableSchema, VisitRowRefs, VisitRows, XmlPlace,
};
use csc_measures::{Day, Error, ErrorKind};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::xml::{ROOT, element_name};

/// Maps keyed by child identifiers: a fast hasher, seeded per process.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// `DD/MM/YYYY`, without allocating.
pub(crate) struct Dmy([u8; 10]);

impl Dmy {
    pub(crate) fn new(d: Day) -> Dmy {
        let [y0, y1, y2, y3, _, m0, m1, _, d0, d1] = d.iso();
        Dmy([d0, d1, b'/', m0, m1, b'/', y0, y1, y2, y3])
    }

    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII digits and slashes.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// A field's value as the SSDA903 forms write it: dates `DD/MM/YYYY`, flags `1`/`0`, blank for
/// none.
fn text<'a>(v: FieldRef<'a>, buf: &'a mut String) -> &'a str {
    use std::fmt::Write as _;
    buf.clear();
    match v {
        FieldRef::Text(s) => return s,
        FieldRef::Day(d) => buf.push_str(Dmy::new(d).as_str()),
        FieldRef::Date(d) => {
            if let Some(d) = d {
                buf.push_str(Dmy::new(d).as_str());
            }
        }
        FieldRef::Flag(b) => {
            if let Some(b) = b {
                buf.push(if b { '1' } else { '0' });
            }
        }
        FieldRef::Count(n) => {
            if let Some(n) = n {
                let _ = write!(buf, "{n}");
            }
        }
        FieldRef::Texts(v) => {
            for (i, t) in v.iter().enumerate() {
                if i > 0 {
                    buf.push(',');
                }
                buf.push_str(t);
            }
        }
        FieldRef::Days(v) => {
            for (i, d) in v.iter().enumerate() {
                if i > 0 {
                    buf.push(',');
                }
                buf.push_str(Dmy::new(*d).as_str());
            }
        }
    }
    buf
}

fn io_error(path: &Path, e: &dyn std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Io,
        format!("cannot write {}: {e}", path.display()),
    )
}

/// Writes each table the return holds (or has rows of) as one CSV file.
struct CsvTables<'a> {
    ret: &'a Ssda903Return,
    dir: &'a Path,
    paths: Vec<PathBuf>,
    result: Result<(), Error>,
}

impl VisitRows for CsvTables<'_> {
    fn rows<R: Record>(&mut self, rows: &[R]) {
        let table = R::SCHEMA;
        // Without a list of tables held, the four tables every return has are written always.
        let always = matches!(table.name, "Header" | "Episodes" | "AD1" | "PlacedAdoption");
        let held = match &self.ret.source.tables {
            Some(t) => t.iter().any(|n| n == table.name),
            None => always,
        };
        if self.result.is_err() || table.csv_file.is_empty() || (rows.is_empty() && !held) {
            return;
        }
        let path = self.dir.join(table.csv_file);
        self.result = write_table(&path, table, rows);
        self.paths.push(path);
    }
}

fn write_table<R: Record>(path: &Path, table: &TableSchema, rows: &[R]) -> Result<(), Error> {
    let file = File::create(path).map_err(|e| io_error(path, &e))?;
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(BufWriter::new(file));
    w.write_record(table.fields.iter().map(|f| f.column))
        .map_err(|e| io_error(path, &e))?;
    let mut buf = String::new();
    for r in rows {
        for i in 0..table.fields.len() {
            w.write_field(text(r.get(i), &mut buf))
                .map_err(|e| io_error(path, &e))?;
        }
        // Ends the record.
        w.write_record(None::<&[u8]>)
            .map_err(|e| io_error(path, &e))?;
    }
    w.flush().map_err(|e| io_error(path, &e))?;
    Ok(())
}

/// See [`super::write_csv`].
pub(crate) fn write_csv(ret: &Ssda903Return, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    let mut w = CsvTables {
        ret,
        dir,
        paths: Vec::new(),
        result: Ok(()),
    };
    ret.visit(&mut w);
    w.result.map(|()| w.paths)
}

/// A child's rows, of every table, in the family's order.
type ChildRows<'a> = Vec<&'a dyn AnyRecord>;

/// Every row of the return by child, in the order children first appear (Header rows first).
struct ByChild<'a> {
    index: HashMap<&'a str, usize>,
    out: Vec<(&'a str, ChildRows<'a>)>,
    result: Result<(), Error>,
}

impl<'a> VisitRowRefs<'a> for ByChild<'a> {
    fn rows<R: Record>(&mut self, rows: &'a [R]) {
        let table = R::SCHEMA;
        if table.xml == XmlPlace::None {
            if let Some(r) = rows.first() {
                self.result = Err(Error::new(
                    ErrorKind::InvalidInput,
                    format!(
                        "the SSDA903 XML form has no place for rows of the table {} (child {}); \
                         write CSV instead",
                        table.name,
                        r.child()
                    ),
                ));
            }
            return;
        }
        for r in rows {
            let n = self.out.len();
            let i = *self.index.entry(r.child()).or_insert(n);
            if i == n {
                self.out.push((r.child(), Vec::new()));
            }
            self.out[i].1.push(r);
        }
    }
}

struct Xml<W: Write> {
    w: quick_xml::Writer<W>,
    /// A field's value as text, reused.
    buf: String,
}

impl<W: Write> Xml<W> {
    fn ev(&mut self, e: Event<'_>) -> io::Result<()> {
        self.w.write_event(e)
    }

    fn open(&mut self, name: &str) -> io::Result<()> {
        self.ev(Event::Start(BytesStart::new(name)))
    }

    fn close(&mut self, name: &str) -> io::Result<()> {
        self.ev(Event::End(BytesEnd::new(name)))
    }

    fn leaf(&mut self, name: &str, value: &str) -> io::Result<()> {
        if value.is_empty() {
            self.ev(Event::Empty(BytesStart::new(name)))
        } else {
            self.open(name)?;
            self.ev(Event::Text(BytesText::new(value)))?;
            self.close(name)
        }
    }

    /// Field `i` of `row`, as an element.
    fn field(&mut self, row: &dyn AnyRecord, i: usize) -> io::Result<()> {
        let mut buf = std::mem::take(&mut self.buf);
        let result = self.leaf(element_name(row.table(), i), text(row.field(i), &mut buf));
        self.buf = buf;
        result
    }

    /// A row's own fields: not the child, nor what a row nested in `HEADER` takes from it.
    fn own_fields(&mut self, row: &dyn AnyRecord) -> io::Result<()> {
        let header = csc_measures::records::Header::SCHEMA;
        let table = row.table();
        for i in 1..table.fields.len() {
            if header.column(table.fields[i].column).is_none() {
                self.field(row, i)?;
            }
        }
        Ok(())
    }

    /// One `HEADER`: the Header row's fields, the tables held flat in it, the tables nested in
    /// it, each in the family's order.
    fn header(
        &mut self,
        child: &str,
        h: Option<&dyn AnyRecord>,
        rows: &[&dyn AnyRecord],
    ) -> io::Result<()> {
        self.open("HEADER")?;
        match h {
            Some(h) => {
                for i in 0..h.table().fields.len() {
                    self.field(h, i)?;
                }
            }
            None => self.leaf("CHILDID", child)?,
        }
        let of = |t: &'static TableSchema| rows.iter().copied().filter(move |r| r.table().is(t));
        // The tables held flat in HEADER, then the elements nested in it, each in family order.
        for t in schema::tables(ReturnKind::Ssda903) {
            if matches!(t.xml, XmlPlace::Flat { .. }) {
                let mut any = false;
                for r in of(t) {
                    any = true;
                    if t.name == "UASC" {
                        self.leaf("UASC", "1")?;
                    }
                    self.own_fields(r)?;
                }
                if t.name == "UASC" && !any {
                    self.leaf("UASC", "")?;
                }
            }
        }
        for t in schema::tables(ReturnKind::Ssda903) {
            if let XmlPlace::Element {
                element,
                parent: "HEADER",
            } = t.xml
            {
                for r in of(t) {
                    self.open(element)?;
                    self.own_fields(r)?;
                    self.close(element)?;
                }
            }
        }
        self.close("HEADER")
    }

    fn child(&mut self, child: &str, rows: &[&dyn AnyRecord]) -> io::Result<()> {
        let header = csc_measures::records::Header::SCHEMA;
        let headers: Vec<&dyn AnyRecord> = rows
            .iter()
            .copied()
            .filter(|r| r.table().is(header))
            .collect();
        self.open("CHILD")?;
        self.header(child, headers.first().copied(), rows)?;
        for t in schema::tables(ReturnKind::Ssda903) {
            if let XmlPlace::Element { element, parent } = t.xml {
                if parent != "CHILD" || t.is(header) {
                    continue;
                }
                for &r in rows.iter().filter(|r| r.table().is(t)) {
                    self.open(element)?;
                    for i in 1..t.fields.len() {
                        self.field(r, i)?;
                    }
                    self.close(element)?;
                }
            }
        }
        self.close("CHILD")?;
        // A child's further Header rows, each in a CHILD of its own.
        for h in headers.iter().skip(1) {
            self.open("CHILD")?;
            self.header(child, Some(*h), &[])?;
            self.close("CHILD")?;
        }
        Ok(())
    }
}

/// See [`super::write_xml`].
pub(crate) fn write_xml<W: Write>(ret: &Ssda903Return, w: W) -> Result<(), Error> {
    let mut by = ByChild {
        index: HashMap::default(),
        out: Vec::new(),
        result: Ok(()),
    };
    ret.visit_ref(&mut by);
    by.result?;
    let mut x = Xml {
        w: quick_xml::Writer::new_with_indent(w, b' ', 2),
        buf: String::new(),
    };
    let result = (|| -> io::Result<()> {
        x.ev(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        x.open(ROOT)?;
        for (child, rows) in &by.out {
            x.child(child, rows)?;
        }
        x.close(ROOT)?;
        x.w.get_mut().write_all(b"\n")?;
        x.w.get_mut().flush()
    })();
    result.map_err(|e| Error::new(ErrorKind::Io, format!("cannot write the SSDA903 XML: {e}")))
}
