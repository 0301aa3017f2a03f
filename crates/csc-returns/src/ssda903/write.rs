//! Writing an SSDA903 return as CSV tables or as the XML form.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use csc_measures::records::{Ad1, CareEpisode, Header, OtherRow, PlacedAdoption, Ssda903Return};
use csc_measures::{Day, Error, ErrorKind};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::tables::Table;
use super::xml::{Kind, ROOT, element_name};

/// `DD/MM/YYYY`, without allocating.
struct Dmy([u8; 10]);

impl Dmy {
    fn new(d: Day) -> Dmy {
        let (y, m, dd) = d.to_ymd();
        let y = y.clamp(0, 9999) as u32;
        let digit = |n: u32| b'0' + (n % 10) as u8;
        Dmy([
            digit(dd / 10),
            digit(dd),
            b'/',
            digit(m / 10),
            digit(m),
            b'/',
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
        ])
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits and slashes.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// A date field: `DD/MM/YYYY`, or blank.
fn date(d: Option<Day>) -> Dmy {
    d.map_or(Dmy([b' '; 10]), Dmy::new)
}

fn date_str(d: &Dmy) -> &str {
    d.as_str().trim()
}

fn io_error(path: &Path, e: &dyn std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Io,
        format!("cannot write {}: {e}", path.display()),
    )
}

/// The tables of the other rows, in writing order: the known ones in [`Table::ALL`] order, then
/// any other names in the order they first appear.
fn other_tables(ret: &Ssda903Return) -> Vec<(&str, Vec<&OtherRow>)> {
    let mut groups: Vec<(&str, Vec<&OtherRow>)> = Vec::new();
    for row in &ret.other {
        match groups.iter_mut().find(|(t, _)| *t == row.table.as_str()) {
            Some((_, rows)) => rows.push(row),
            None => groups.push((row.table.as_str(), vec![row])),
        }
    }
    let rank = |name: &str| {
        Table::from_name(name)
            .and_then(|t| Table::ALL.iter().position(|&x| x == t))
            .unwrap_or(Table::ALL.len())
    };
    groups.sort_by_key(|(name, _)| rank(name));
    groups
}

/// The columns of a group of other rows: the table's official columns, then any others in the
/// order they first appear.
fn other_columns<'a>(table: &str, rows: &[&'a OtherRow]) -> Vec<&'a str> {
    let mut cols: Vec<&str> = Table::from_name(table).map_or(Vec::new(), |t| t.columns().to_vec());
    for row in rows {
        for (name, _) in &row.fields {
            if !cols.iter().any(|c| *c == name.as_str()) {
                cols.push(name.as_str());
            }
        }
    }
    if !cols.contains(&"CHILD") {
        cols.insert(0, "CHILD");
    }
    cols
}

/// The value of column `col` in an other row (`CHILD` falls back to [`OtherRow::child`]).
fn other_value<'a>(row: &'a OtherRow, col: &str) -> &'a str {
    row.fields
        .iter()
        .find(|(n, _)| n.as_str() == col)
        .map(|(_, v)| v.as_str())
        .or_else(|| (col == "CHILD").then_some(row.child.as_str()))
        .unwrap_or("")
}

fn file_name_for(table: &str) -> String {
    if let Some(t) = Table::from_name(table) {
        return t.file_name().to_owned();
    }
    let mut name: String = table
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if name.is_empty()
        || Table::ALL
            .iter()
            .any(|t| t.file_name() == format!("{name}.csv"))
    {
        name.push_str("_table");
    }
    name.push_str(".csv");
    name
}

fn write_table(
    path: &Path,
    columns: &[&str],
    mut rows: impl FnMut(&mut csv::Writer<BufWriter<File>>) -> csv::Result<()>,
) -> Result<(), Error> {
    let file = File::create(path).map_err(|e| io_error(path, &e))?;
    let mut w = csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(BufWriter::new(file));
    w.write_record(columns).map_err(|e| io_error(path, &e))?;
    rows(&mut w).map_err(|e| io_error(path, &e))?;
    w.flush().map_err(|e| io_error(path, &e))?;
    Ok(())
}

/// See [`super::write_csv`].
pub(crate) fn write_csv(ret: &Ssda903Return, dir: &Path) -> Result<Vec<PathBuf>, Error> {
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, &e))?;
    let mut paths = Vec::new();

    let path = dir.join(Table::Header.file_name());
    write_table(&path, Table::Header.columns(), |w| {
        for h in &ret.headers {
            let (dob, mc) = (date(h.dob), date(h.mc_dob));
            w.write_record([
                h.child.as_str(),
                &h.sex,
                date_str(&dob),
                &h.ethnic,
                &h.upn,
                &h.mother,
                date_str(&mc),
            ])?;
        }
        Ok(())
    })?;
    paths.push(path);

    let path = dir.join(Table::Episodes.file_name());
    write_table(&path, Table::Episodes.columns(), |w| {
        for e in &ret.episodes {
            let (decom, dec) = (date(Some(e.decom)), date(e.dec));
            w.write_record([
                e.child.as_str(),
                date_str(&decom),
                &e.rne,
                &e.ls,
                &e.cin,
                &e.place,
                &e.place_provider,
                date_str(&dec),
                &e.rec,
                &e.reason_place_change,
                &e.home_post,
                &e.pl_post,
                &e.urn,
            ])?;
        }
        Ok(())
    })?;
    paths.push(path);

    let path = dir.join(Table::Ad1.file_name());
    write_table(&path, Table::Ad1.columns(), |w| {
        for a in &ret.ad1 {
            let (dob, int, mat) = (date(a.dob), date(a.date_int), date(a.date_match));
            w.write_record([
                a.child.as_str(),
                date_str(&dob),
                date_str(&int),
                date_str(&mat),
                &a.foster_care,
                &a.nb_adoptr,
                &a.sex_adoptr,
                &a.ls_adoptr,
            ])?;
        }
        Ok(())
    })?;
    paths.push(path);

    let path = dir.join(Table::PlacedAdoption.file_name());
    write_table(&path, Table::PlacedAdoption.columns(), |w| {
        for p in &ret.placed_adoption {
            let (dob, placed, ceased) =
                (date(p.dob), date(p.date_placed), date(p.date_placed_ceased));
            w.write_record([
                p.child.as_str(),
                date_str(&dob),
                date_str(&placed),
                date_str(&ceased),
                &p.reason_placed_ceased,
            ])?;
        }
        Ok(())
    })?;
    paths.push(path);

    for (table, rows) in other_tables(ret) {
        let path = dir.join(file_name_for(table));
        let cols = other_columns(table, &rows);
        write_table(&path, &cols, |w| {
            for row in &rows {
                w.write_record(cols.iter().map(|c| other_value(row, c)))?;
            }
            Ok(())
        })?;
        paths.push(path);
    }
    Ok(paths)
}

/// One child's rows, for the XML form.
#[derive(Default)]
struct ChildRows<'a> {
    headers: Vec<&'a Header>,
    episodes: Vec<&'a CareEpisode>,
    ad1: Vec<&'a Ad1>,
    placed: Vec<&'a PlacedAdoption>,
    other: Vec<&'a OtherRow>,
}

fn group_by_child(ret: &Ssda903Return) -> Vec<(&str, ChildRows<'_>)> {
    struct Groups<'a> {
        index: HashMap<&'a str, usize>,
        out: Vec<(&'a str, ChildRows<'a>)>,
    }
    impl<'a> Groups<'a> {
        fn get(&mut self, child: &'a str) -> &mut ChildRows<'a> {
            let i = *self.index.entry(child).or_insert_with(|| {
                self.out.push((child, ChildRows::default()));
                self.out.len() - 1
            });
            &mut self.out[i].1
        }
    }
    let mut g = Groups {
        index: HashMap::new(),
        out: Vec::new(),
    };
    for h in &ret.headers {
        g.get(&h.child).headers.push(h);
    }
    for e in &ret.episodes {
        g.get(&e.child).episodes.push(e);
    }
    for a in &ret.ad1 {
        g.get(&a.child).ad1.push(a);
    }
    for p in &ret.placed_adoption {
        g.get(&p.child).placed.push(p);
    }
    for o in &ret.other {
        let child = if o.child.is_empty() {
            other_value(o, "CHILD")
        } else {
            o.child.as_str()
        };
        g.get(child).other.push(o);
    }
    g.out
}

struct Xml<W: Write> {
    w: quick_xml::Writer<W>,
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

    fn date(&mut self, name: &str, d: Option<Day>) -> io::Result<()> {
        let d = date(d);
        self.leaf(name, date_str(&d))
    }

    /// The fields of an other row that the XML form holds in its own element (not those it takes
    /// from the header).
    fn other_fields(&mut self, table: Table, row: &OtherRow) -> io::Result<()> {
        let from_header: &[&str] = if table == Table::Uasc {
            &["CHILD", "SEX", "DOB"]
        } else {
            &["CHILD", "DOB"]
        };
        let cols = other_columns(table.name(), &[row]);
        for col in cols {
            if !from_header.contains(&col) {
                self.leaf(col, other_value(row, col))?;
            }
        }
        Ok(())
    }

    fn record(&mut self, kind: Kind, row: &OtherRow) -> io::Result<()> {
        self.open(kind.element())?;
        self.other_fields(kind.table(), row)?;
        self.close(kind.element())
    }

    fn header(&mut self, child: &str, h: Option<&Header>, rows: &ChildRows<'_>) -> io::Result<()> {
        let none = Header::default();
        let h = h.unwrap_or(&none);
        let of = |t: Table| {
            rows.other
                .iter()
                .filter(move |o| o.table.as_str() == t.name())
        };
        self.open("HEADER")?;
        self.leaf("CHILDID", child)?;
        self.leaf("UPN", &h.upn)?;
        self.leaf("SEX", &h.sex)?;
        self.date("DOB", h.dob)?;
        self.leaf("ETHNIC", &h.ethnic)?;
        let mut uasc = of(Table::Uasc).peekable();
        if uasc.peek().is_none() {
            self.leaf("UASC", "")?;
        }
        for u in uasc {
            self.leaf("UASC", "1")?;
            self.other_fields(Table::Uasc, u)?;
        }
        for o in of(Table::Oc3) {
            self.other_fields(Table::Oc3, o)?;
        }
        for a in &rows.ad1 {
            self.date("DATE_INT", a.date_int)?;
            self.date("DATE_MATCH", a.date_match)?;
            self.leaf("FOSTER_CARE", &a.foster_care)?;
            self.leaf("NB_ADOPTR", &a.nb_adoptr)?;
            self.leaf("SEX_ADOPTR", &a.sex_adoptr)?;
            self.leaf("LS_ADOPTR", &a.ls_adoptr)?;
        }
        for o in of(Table::Missing) {
            self.record(Kind::Missing, o)?;
        }
        for o in of(Table::Reviews) {
            self.record(Kind::Review, o)?;
        }
        self.leaf("MOTHER", &h.mother)?;
        self.date("MC_DOB", h.mc_dob)?;
        for o in of(Table::PrevPerm) {
            self.record(Kind::PrevPerm, o)?;
        }
        for o in of(Table::Oc2) {
            self.record(Kind::Oc2, o)?;
        }
        for p in &rows.placed {
            self.open("AD_PLACED")?;
            self.date("DATE_PLACED", p.date_placed)?;
            self.date("DATE_PLACED_CEASED", p.date_placed_ceased)?;
            self.leaf("REASON_PLACED_CEASED", &p.reason_placed_ceased)?;
            self.close("AD_PLACED")?;
        }
        for o in of(Table::SwEpisodes) {
            self.record(Kind::SwEpisode, o)?;
        }
        self.close("HEADER")
    }

    fn episode(&mut self, e: &CareEpisode) -> io::Result<()> {
        let t = Table::Episodes;
        self.open("EPISODE")?;
        self.date("DECOM", Some(e.decom))?;
        self.leaf("RNE", &e.rne)?;
        self.leaf("LS", &e.ls)?;
        self.leaf("CIN", &e.cin)?;
        self.leaf(element_name(t, 5), &e.place)?;
        self.leaf("PL_POST", &e.pl_post)?;
        self.leaf("HOME_POST", &e.home_post)?;
        self.leaf("URN", &e.urn)?;
        self.leaf("PLACE_PROVIDER", &e.place_provider)?;
        self.date("DEC", e.dec)?;
        self.leaf("REC", &e.rec)?;
        self.leaf("REASON_PLACE_CHANGE", &e.reason_place_change)?;
        self.close("EPISODE")
    }
}

/// See [`super::write_xml`].
pub(crate) fn write_xml<W: Write>(ret: &Ssda903Return, w: W) -> Result<(), Error> {
    if let Some(o) = ret.other.iter().find(|o| {
        Table::from_name(&o.table)
            .is_none_or(|t| !matches!(t, Table::Uasc | Table::Oc3) && Kind::of_table(t).is_none())
    }) {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "the SSDA903 XML form has no place for rows of the table {:?} (child {}); write \
                 CSV instead",
                o.table, o.child
            ),
        ));
    }
    let groups = group_by_child(ret);
    let mut x = Xml {
        w: quick_xml::Writer::new_with_indent(w, b' ', 2),
    };
    let result = (|| -> io::Result<()> {
        x.ev(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        x.open(ROOT)?;
        for (child, rows) in &groups {
            x.open("CHILD")?;
            x.header(child, rows.headers.first().copied(), rows)?;
            for e in &rows.episodes {
                x.episode(e)?;
            }
            x.close("CHILD")?;
            // A child's further Header rows, each in a CHILD of its own.
            for h in rows.headers.iter().skip(1) {
                x.open("CHILD")?;
                x.header(child, Some(h), &ChildRows::default())?;
                x.close("CHILD")?;
            }
        }
        x.close(ROOT)?;
        x.w.get_mut().write_all(b"\n")?;
        x.w.get_mut().flush()
    })();
    result.map_err(|e| Error::new(ErrorKind::Io, format!("cannot write the SSDA903 XML: {e}")))
}
