//! The writer of the CIN census XML, table by table as the schema describes them.

use std::collections::hash_map::Entry;
use std::io::{self, BufWriter, Write};

use csc_measures::day::Day;
use csc_measures::error::{Error, ErrorKind};
use csc_measures::records::CinReturn;
use csc_measures::schema::{
    AnyRecord, FieldKind, FieldRef, Record, TableSchema, VisitRowRefs, XmlPlace,
};

/// Maps keyed by child identifiers: a fast hasher, seeded per process.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// Writes `ret` as a CIN census XML file that [`read_xml`](super::read_xml) reads back to the same
/// records (apart from their origins and the return's file list).
///
/// The file has a `Header/CollectionDetails` with `Collection` `CIN`, the `Year` when the
/// collection year is known and the `ReferenceDate` when known, then one `Child` per child in
/// `ret.children` order. Each `Child` holds its fields at their schema paths
/// (`ChildIdentifiers/...`, `ChildCharacteristics/...`) and its `CINdetails` (the episodes of that
/// child, in `ret.episodes` order); each `CINdetails` holds its fields, then the records of every
/// table the schema nests in it (`CINPlanDates`, `Assessments`, `Section47`,
/// `ChildProtectionPlans`) of that child whose `episode_referral_date` is its `CINreferralDate`, in
/// their order. Blank fields are left out (and a container with nothing in it); dates are ISO,
/// booleans `true`/`false`; text is escaped. The sex goes in `Sex` for collection years from 2024
/// on and in `GenderCurrent` before (and when the year is unknown), as the DfE's specifications
/// name it. When two children share an identifier, their records go under the first; when two
/// episodes share a child and referral date, the nested records go under the first. Text is written
/// as it stands; the reader trims it.
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`] (nothing is written) when a child's identifier is blank, when an
/// episode's child is not in `ret.children` or a nested record's episode is not in
/// `ret.episodes` (the file could not say where it belongs), or when a text holds a character
/// XML 1.0 cannot carry (a control character other than tab, newline and carriage return);
/// [`ErrorKind::Io`] when writing fails.
pub fn write_xml<W: Write>(ret: &CinReturn, w: W) -> Result<(), Error> {
    let mut rows = Rows::default();
    ret.visit_ref(&mut Collect(&mut rows));
    let plan = Layout::new(&rows)?;
    check_text(&rows)?;
    let mut out = Out {
        w: BufWriter::with_capacity(1 << 16, w),
        depth: 0,
    };
    let sex = if ret.source.collection_year.is_some_and(|y| y >= 2024) {
        "Sex"
    } else {
        "GenderCurrent"
    };
    plan.write(ret, &rows, sex, &mut out).map_err(io_error)?;
    out.w
        .into_inner()
        .map_err(|e| io_error(e.into_error()))?
        .flush()
        .map_err(io_error)
}

#[allow(clippy::needless_pass_by_value)] // used as `map_err(io_error)`
fn io_error(e: io::Error) -> Error {
    Error::new(
        ErrorKind::Io,
        format!("cannot write the CIN census XML: {e}"),
    )
}

fn invalid(msg: String) -> Error {
    Error::new(ErrorKind::InvalidInput, msg)
}

/// One record as the file holds it, and the date that places it (a CIN episode's referral date; a
/// nested record's episode's).
struct Item<'a> {
    rec: &'a dyn AnyRecord,
    table: &'static TableSchema,
    /// Where its table's fields go, by [`Rows::places`].
    places: usize,
    place: Option<Day>,
}

/// Where a field goes in its record's element: its containers (`ChildCharacteristics/Disabilities`,
/// empty for none), the first of them (or the element itself) and its element name.
struct FieldPlace {
    field: usize,
    first: &'static str,
    dir: &'static str,
    leaf: &'static str,
}

impl FieldPlace {
    /// The fields of `t` that the XML form holds, in schema order.
    fn of(t: &'static TableSchema) -> Vec<FieldPlace> {
        t.fields
            .iter()
            .enumerate()
            .filter(|(_, f)| !f.xml.is_empty())
            .map(|(field, f)| {
                let dir = f.xml.rsplit_once('/').map_or("", |(dir, _)| dir);
                FieldPlace {
                    field,
                    first: f.xml.split('/').next().unwrap_or(f.xml),
                    dir,
                    leaf: f.xml_leaf(),
                }
            })
            .collect()
    }
}

/// Every record of the return, table by table, and where each table's fields go.
#[derive(Default)]
struct Rows<'a> {
    items: Vec<Item<'a>>,
    places: Vec<Vec<FieldPlace>>,
}

/// Collects the records of a return by reference.
struct Collect<'a, 'r>(&'r mut Rows<'a>);

impl<'a> VisitRowRefs<'a> for Collect<'a, '_> {
    fn rows<R: Record>(&mut self, rows: &'a [R]) {
        let t = R::SCHEMA;
        let parent = t
            .fields
            .iter()
            .position(|f| f.kind == FieldKind::ParentKey)
            .or(t.key.filter(|_| t.name == "CINdetails"));
        let places = self.0.places.len();
        self.0.places.push(FieldPlace::of(t));
        for r in rows {
            self.0.items.push(Item {
                rec: r,
                table: t,
                places,
                place: parent.and_then(|p| r.get(p).day()),
            });
        }
    }
}

/// Blank: nothing to write.
fn is_blank(v: FieldRef<'_>) -> bool {
    match v {
        FieldRef::Text(s) => s.trim().is_empty(),
        FieldRef::Texts(v) => v.iter().all(|s| s.trim().is_empty()),
        other => other.is_blank(),
    }
}

fn element_of(t: &TableSchema) -> &'static str {
    match t.xml {
        XmlPlace::Element { element, .. } => element,
        _ => t.name,
    }
}

fn parent_of(t: &TableSchema) -> &'static str {
    match t.xml {
        XmlPlace::Element { parent, .. } | XmlPlace::Flat { parent } => parent,
        XmlPlace::None => "",
    }
}

/// Which records go where: the children in order, each child's episodes, each episode's nested
/// records.
struct Layout {
    children: Vec<usize>,
    episodes: Vec<Vec<usize>>,
    nested: HashMap<usize, Vec<usize>>,
}

impl Layout {
    fn new(rows: &Rows) -> Result<Layout, Error> {
        let items = &rows.items;
        let mut child_of: HashMap<&str, usize> = HashMap::default();
        let mut children = Vec::new();
        for (i, it) in items
            .iter()
            .enumerate()
            .filter(|(_, it)| parent_of(it.table) == "Children")
        {
            if it.rec.child_id().trim().is_empty() {
                return Err(invalid(format!(
                    "child {} of the return has a blank LAchildID: a CIN census file cannot hold it",
                    children.len() + 1
                )));
            }
            if let Entry::Vacant(v) = child_of.entry(it.rec.child_id()) {
                v.insert(children.len());
            }
            children.push(i);
        }
        let mut episodes = vec![Vec::new(); children.len()];
        let mut episode_of: HashMap<(&str, Day), usize> = HashMap::default();
        for (i, it) in items
            .iter()
            .enumerate()
            .filter(|(_, it)| parent_of(it.table) == "Child")
        {
            let Some(&c) = child_of.get(it.rec.child_id()) else {
                return Err(invalid(format!(
                    "the CIN episode of child {:?} referred on {} has no Child in the return: a CIN \
                     census file cannot hold it",
                    it.rec.child_id(),
                    show(it.place)
                )));
            };
            episodes[c].push(i);
            if let Some(d) = it.place {
                episode_of.entry((it.rec.child_id(), d)).or_insert(i);
            }
        }
        let mut nested: HashMap<usize, Vec<usize>> = HashMap::default();
        for (i, it) in items
            .iter()
            .enumerate()
            .filter(|(_, it)| parent_of(it.table) == "CINdetails")
        {
            let e = it
                .place
                .and_then(|d| episode_of.get(&(it.rec.child_id(), d)))
                .ok_or_else(|| {
                    invalid(format!(
                        "the {} of child {:?} belongs to a CIN episode referred on {} that is not in \
                         the return: a CIN census file cannot hold it",
                        it.table.noun,
                        it.rec.child_id(),
                        show(it.place)
                    ))
                })?;
            nested.entry(*e).or_default().push(i);
        }
        Ok(Layout {
            children,
            episodes,
            nested,
        })
    }

    fn write<W: Write>(
        &self,
        ret: &CinReturn,
        rows: &Rows,
        sex: &str,
        o: &mut Out<W>,
    ) -> io::Result<()> {
        o.w.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
        o.open("Message")?;
        o.open("Header")?;
        o.open("CollectionDetails")?;
        o.text("Collection", "CIN")?;
        if let Some(y) = ret.source.collection_year {
            o.text("Year", &y.to_string())?;
        }
        if let Some(d) = ret.source.reference_date {
            o.text("ReferenceDate", &d.to_string())?;
        }
        o.close("CollectionDetails")?;
        o.close("Header")?;
        o.open("Children")?;
        for (c, &i) in self.children.iter().enumerate() {
            o.open("Child")?;
            o.fields(rows, &rows.items[i], sex)?;
            for &e in &self.episodes[c] {
                let it = &rows.items[e];
                let nested: Vec<&Item<'_>> = self
                    .nested
                    .get(&e)
                    .into_iter()
                    .flatten()
                    .map(|&n| &rows.items[n])
                    .collect();
                o.open(element_of(it.table))?;
                // The published order where the schema gives one, then anything it does not name.
                let order = it.table.xml_order;
                let named = |name: &str| order.contains(&name);
                for &name in order {
                    o.fields_where(rows, it, sex, |first| first == name)?;
                    o.records(
                        rows,
                        nested.iter().filter(|n| element_of(n.table) == name),
                        sex,
                    )?;
                }
                o.fields_where(rows, it, sex, |first| !named(first))?;
                o.records(
                    rows,
                    nested.iter().filter(|n| !named(element_of(n.table))),
                    sex,
                )?;
                o.close(element_of(it.table))?;
            }
            o.close("Child")?;
        }
        o.close("Children")?;
        o.close("Message")
    }
}

fn show(d: Option<Day>) -> String {
    d.map_or_else(|| "(blank)".to_owned(), |d| d.to_string())
}

struct Out<W: Write> {
    w: BufWriter<W>,
    depth: usize,
}

impl<W: Write> Out<W> {
    fn indent(&mut self) -> io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        let n = (self.depth * 2).min(SPACES.len());
        self.w.write_all(&SPACES[..n])
    }

    fn open(&mut self, name: &str) -> io::Result<()> {
        self.indent()?;
        self.tag(b"<", name, b">\n")?;
        self.depth += 1;
        Ok(())
    }

    fn close(&mut self, name: &str) -> io::Result<()> {
        self.depth -= 1;
        self.indent()?;
        self.tag(b"</", name, b">\n")
    }

    fn tag(&mut self, before: &[u8], name: &str, after: &[u8]) -> io::Result<()> {
        self.w.write_all(before)?;
        self.w.write_all(name.as_bytes())?;
        self.w.write_all(after)
    }

    /// `<name>value</name>`, left out when the value is blank.
    fn text(&mut self, name: &str, value: &str) -> io::Result<()> {
        if value.trim().is_empty() {
            return Ok(());
        }
        self.indent()?;
        self.tag(b"<", name, b">")?;
        escape(&mut self.w, value)?;
        self.tag(b"</", name, b">\n")
    }

    /// A record's fields at their paths: the containers of a path opened as it needs them
    /// (`ChildIdentifiers`, `Disabilities`, ...), a blank field left out with its containers.
    fn fields(&mut self, rows: &Rows, it: &Item, sex: &str) -> io::Result<()> {
        self.fields_where(rows, it, sex, |_| true)
    }

    /// Records nested in an element, each with its fields.
    fn records<'i, 'r: 'i>(
        &mut self,
        rows: &Rows,
        items: impl Iterator<Item = &'i &'i Item<'r>>,
        sex: &str,
    ) -> io::Result<()> {
        for it in items {
            self.open(element_of(it.table))?;
            self.fields(rows, it, sex)?;
            self.close(element_of(it.table))?;
        }
        Ok(())
    }

    /// The fields whose path begins with an element `keep` accepts.
    fn fields_where(
        &mut self,
        rows: &Rows,
        it: &Item,
        sex: &str,
        keep: impl Fn(&str) -> bool,
    ) -> io::Result<()> {
        // The containers open, outermost first, and the path they make.
        let mut open: Vec<&str> = Vec::new();
        let mut open_dir = "";
        for p in rows.places[it.places].iter().filter(|p| keep(p.first)) {
            let v = it.rec.field(p.field);
            if is_blank(v) {
                continue;
            }
            if p.dir != open_dir {
                let common = open
                    .iter()
                    .zip(p.dir.split('/').filter(|s| !s.is_empty()))
                    .take_while(|(a, b)| **a == *b)
                    .count();
                while open.len() > common {
                    let c = open.pop().unwrap_or_default();
                    self.close(c)?;
                }
                for step in p.dir.split('/').filter(|s| !s.is_empty()).skip(common) {
                    self.open(step)?;
                    open.push(step);
                }
                open_dir = p.dir;
            }
            let leaf = if p.leaf == "Sex" { sex } else { p.leaf };
            self.value(leaf, v)?;
        }
        while let Some(c) = open.pop() {
            self.close(c)?;
        }
        Ok(())
    }

    /// `<name>value</name>` for each value of a field (dates ISO, flags `true`/`false`).
    fn value(&mut self, name: &str, v: FieldRef<'_>) -> io::Result<()> {
        match v {
            FieldRef::Text(s) => self.text(name, s),
            FieldRef::Day(d) => self.day(name, d),
            FieldRef::Date(d) => d.map_or(Ok(()), |d| self.day(name, d)),
            FieldRef::Flag(b) => b.map_or(Ok(()), |b| self.show(name, b)),
            FieldRef::Count(n) => n.map_or(Ok(()), |n| self.show(name, n)),
            FieldRef::Texts(v) => v.iter().try_for_each(|t| self.text(name, t)),
            FieldRef::Days(v) => v.iter().try_for_each(|&d| self.day(name, d)),
        }
    }

    /// `<name>value</name>` for a value that needs no escaping.
    fn show(&mut self, name: &str, v: impl std::fmt::Display) -> io::Result<()> {
        self.indent()?;
        writeln!(self.w, "<{name}>{v}</{name}>")
    }

    /// `<name>YYYY-MM-DD</name>`.
    fn day(&mut self, name: &str, d: Day) -> io::Result<()> {
        self.indent()?;
        self.tag(b"<", name, b">")?;
        self.w.write_all(&d.iso())?;
        self.tag(b"</", name, b">\n")
    }
}

/// Writes `s` as XML character data: `&`, `<`, `>` as entities, a carriage return as a character
/// reference (so that no parser turns it into a newline).
fn escape<W: Write>(w: &mut W, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'\r' => b"&#13;",
            _ => continue,
        };
        w.write_all(&bytes[from..i])?;
        w.write_all(rep)?;
        from = i + 1;
    }
    w.write_all(&bytes[from..])
}

/// A character XML 1.0 can carry.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Refuses a text XML 1.0 cannot carry, naming the field and child.
fn check_text(rows: &Rows) -> Result<(), Error> {
    for it in &rows.items {
        for (i, f) in it.table.fields.iter().enumerate() {
            let texts: &[_] = match it.rec.field(i) {
                FieldRef::Text(s) => &[s][..],
                FieldRef::Texts(v) => {
                    for t in v {
                        check_one(f.column, it.rec.child_id(), t)?;
                    }
                    continue;
                }
                _ => continue,
            };
            for t in texts {
                check_one(f.column, it.rec.child_id(), t)?;
            }
        }
    }
    Ok(())
}

fn check_one(column: &str, child: &str, value: &str) -> Result<(), Error> {
    match value.chars().find(|&c| !xml_char(c)) {
        None => Ok(()),
        Some(c) => {
            let what = if column == "Sex" { "sex" } else { column };
            Err(invalid(format!(
                "{what} {value:?} of child {child:?} holds the character U+{:04X}, which XML 1.0 \
                 cannot carry",
                u32::from(c)
            )))
        }
    }
}
