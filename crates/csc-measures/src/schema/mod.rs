//! The one declarative schema of the returns: one entry per table, from which everything that knows
//! a table is made.
//!
//! Each entry (in [`cin`] and [`ssda903`]) gives the record type, the columnar table type, and a
//! [`TableSchema`]: the table's names in each format, its fields ([`FieldSchema`]: the Rust name
//! that the golden corpus uses, the official column that CSV headers and Arrow frames use, the XML
//! element path, the [`FieldKind`] that decides how a value is read and normalised), the merge key
//! and stitch policy of spec 2.1, and whether the child "appears" in a return that holds a row. From
//! the entry come:
//!
//! * the record struct (`CareEpisode`, ...) and its [`Record`] impl, so that code can read and set a
//!   field by its index ([`Record::get`], [`Record::set`]);
//! * the columnar table (`CareEpisodes`, ...) of the [`crate::Dataset`];
//! * the normalisation and code lists of spec 2 and the merge rules of spec 2.1 (`dataset::merge`
//!   reads [`TableSchema::key`], [`TableSchema::end`], [`TableSchema::merge`],
//!   [`TableSchema::stitch`]);
//! * the row rules ([`crate::rows`]) that every format (CSV, XML, Arrow, the C builder) hands its
//!   rows to;
//! * the readers' column catalogues and the writers' layouts (in `csc-returns`), the Arrow schemas
//!   (`csc-arrow`), the C builder's generic row entry and the golden runners.
//!
//! Adding a field is one line in its table's entry; adding a table is one entry and one line in its
//! family (the `family!` invocation that lists the return's tables) and in [`TABLES`].
//!
//! ```
//! use csc_measures::records::CareEpisode;
//! use csc_measures::schema::{FieldKind, FieldRef, Record, TABLES};
//! let s = CareEpisode::SCHEMA;
//! assert_eq!(s.name, "Episodes");
//! assert_eq!(s.fields[s.key.unwrap()].column, "DECOM");
//! let place = s.field("place").unwrap();
//! assert_eq!(s.fields[place].xml, "PL");
//! assert!(matches!(s.fields[place].kind, FieldKind::Code { .. }));
//! let mut e = CareEpisode::default();
//! e.set(place, csc_measures::schema::FieldValue::Text("U1".into()));
//! assert_eq!(e.get(place), FieldRef::Text("U1"));
//! assert!(TABLES.iter().any(|t| t.name == "CINdetails"));
//! ```

pub mod cin;
pub mod ssda903;

use compact_str::CompactString;

use crate::day::Day;
use crate::records::{ReturnKind, RowOrigin};

/// How a field is read from text and normalised (spec 2, "Normalisation", "Dates", "Unusable rows").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// The child identifier (`CHILD`, `LAchildID`): trimmed; blank makes the row unusable
    /// (`missing_identifier`).
    Child,
    /// The `CINreferralDate` of the CIN episode a nested CIN record came in (spec 2.1): in XML the
    /// enclosing `CINdetails`'s, in a table a column of its own.
    ParentKey,
    /// Free text: trimmed.
    Text,
    /// A code: trimmed and upper-cased; a value outside `list` is kept and reported
    /// (`unknown_code`), and so is a blank when `blank_unknown` (`MISSING`, spec 2.3). An empty
    /// list checks nothing.
    Code {
        /// The published codes.
        list: &'static [&'static str],
        /// A blank value is reported too.
        blank_unknown: bool,
    },
    /// `PL_POST`: trimmed, upper-cased, internal spaces removed.
    Postcode,
    /// A date (`Option<Day>`, or `Day` when required).
    Date(DateRole),
    /// A flag (`Option<bool>`): `1`/`0` always, `true`/`false` in any case where the syntax allows;
    /// anything else is reported (`unknown_code`) and read as unknown.
    Flag(FlagSyntax),
    /// A non-negative whole number (`Option<u32>`, leading zeros allowed); anything else is reported
    /// (`unreadable_value`) and read as unknown.
    Count,
    /// A score from 0 to `max` (`Option<u32>`); anything else is reported (`unknown_code`) and read
    /// as no score (`SDQ_SCORE`, spec 2.3).
    Score(u32),
    /// A set of codes (`Vec<CompactString>`): each trimmed and upper-cased, blanks dropped, repeats
    /// collapsed; values outside the list (when it is not empty) reported (`unknown_code`) and kept.
    Codes(&'static [&'static str]),
    /// A set of dates (`Vec<Day>`, distinct, ascending); a blank one is skipped (`missing_key_date`),
    /// an unreadable one too (`unreadable_date`), and the row is kept. Not replaced across returns
    /// (spec 2.4, CP plan reviews): a keyed row kept from the latest return holds the distinct
    /// dates of every row sharing its key in every loaded return.
    Dates,
}

/// What a date field means to its row (spec 2, "Unusable rows").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateRole {
    /// Required: blank makes the row unusable, with the given code; unreadable too
    /// (`unreadable_date`).
    Required(IfBlank),
    /// A date of the row: blank is kept blank; unreadable makes the row unusable
    /// (`unreadable_date`).
    Row,
    /// A child-level date (`DOB`, `PersonBirthDate`, ...): unreadable is blanked with an
    /// `unreadable_date` entry and the row kept.
    Child,
}

/// The data-quality code of a blank required date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IfBlank {
    /// `missing_identifier` (`DECOM`, `CINreferralDate`: spec 2).
    MissingIdentifier,
    /// `missing_key_date` (`REVIEW`, `MIS_START`, `SW_DECOM`: spec 2.3).
    MissingKeyDate,
}

/// Which words a flag takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FlagSyntax {
    /// `true`/`1` and `false`/`0`, in any case (CIN census booleans, spec 2 and 2.4).
    TrueFalse,
    /// `1` and `0` only (the SSDA903 OC2 flags, spec 2.3).
    ZeroOne,
}

/// One field of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSchema {
    /// The Rust field name: the record's field, and the key of the golden corpus's TOML.
    pub name: &'static str,
    /// The official column or element name: the CSV header, the Arrow column, the name in messages.
    pub column: &'static str,
    /// The XML element path relative to the record's element (`ChildIdentifiers/LAchildID`,
    /// `CHILDID`); empty when the field is not in the XML form.
    pub xml: &'static str,
    /// The element name `xml` ends with (its last step), worked out once.
    leaf: &'static str,
    /// Other names the field is read under, in every format (`GenderCurrent` for `Sex`).
    pub also: &'static [&'static str],
    /// How it is read.
    pub kind: FieldKind,
    /// What it holds, one line.
    pub doc: &'static str,
}

impl FieldSchema {
    const fn of(column: &'static str, kind: FieldKind) -> FieldSchema {
        FieldSchema {
            name: "",
            column,
            xml: column,
            leaf: column,
            also: &[],
            kind,
            doc: "",
        }
    }

    /// The same field, also read under the names `also`.
    #[must_use]
    pub const fn also(mut self, also: &'static [&'static str]) -> FieldSchema {
        self.also = also;
        self
    }

    /// Is `name` (exactly) this field's column, or one of the names it is also read under?
    #[must_use]
    pub fn is_column(&self, name: &str) -> bool {
        self.column == name || self.also.contains(&name)
    }

    /// The same field, at another XML path.
    #[must_use]
    pub const fn xml(mut self, path: &'static str) -> FieldSchema {
        self.xml = path;
        self.leaf = last_step(path);
        self
    }

    /// Is the field a child-level date (unreadable: blanked, row kept)?
    #[must_use]
    pub const fn is_child_date(&self) -> bool {
        matches!(self.kind, FieldKind::Date(DateRole::Child))
    }

    /// Does a blank make the row unusable?
    #[must_use]
    pub const fn is_required(&self) -> bool {
        matches!(
            self.kind,
            FieldKind::Child | FieldKind::ParentKey | FieldKind::Date(DateRole::Required(_))
        )
    }

    /// The element name the XML path ends with.
    #[must_use]
    pub const fn xml_leaf(&self) -> &'static str {
        self.leaf
    }
}

/// The part of `path` after its last `/` (all of it without one), at compile time.
const fn last_step(path: &'static str) -> &'static str {
    let bytes = path.as_bytes();
    let mut i = bytes.len();
    while i > 0 && bytes[i - 1] != b'/' {
        i -= 1;
    }
    let (_, tail) = bytes.split_at(i);
    // Split after an ASCII `/`: always UTF-8.
    match std::str::from_utf8(tail) {
        Ok(s) => s,
        Err(_) => path,
    }
}

/// The child identifier.
#[must_use]
pub const fn child(column: &'static str) -> FieldSchema {
    FieldSchema::of(column, FieldKind::Child)
}
/// The parent CIN episode's `CINreferralDate`.
#[must_use]
pub const fn parent_key() -> FieldSchema {
    FieldSchema::of("CINreferralDate", FieldKind::ParentKey).xml("")
}
/// Free text.
#[must_use]
pub const fn text(column: &'static str) -> FieldSchema {
    FieldSchema::of(column, FieldKind::Text)
}
/// A code of `list` (empty: any code); blank is allowed.
#[must_use]
pub const fn code(column: &'static str, list: &'static [&'static str]) -> FieldSchema {
    FieldSchema::of(
        column,
        FieldKind::Code {
            list,
            blank_unknown: false,
        },
    )
}
/// A code of `list` that should never be blank: a blank is reported as an unknown code.
#[must_use]
pub const fn code_not_blank(column: &'static str, list: &'static [&'static str]) -> FieldSchema {
    FieldSchema::of(
        column,
        FieldKind::Code {
            list,
            blank_unknown: true,
        },
    )
}
/// A postcode.
#[must_use]
pub const fn postcode(column: &'static str) -> FieldSchema {
    FieldSchema::of(column, FieldKind::Postcode)
}
/// A date of the row.
#[must_use]
pub const fn date(column: &'static str) -> FieldSchema {
    FieldSchema::of(column, FieldKind::Date(DateRole::Row))
}
/// A required date.
#[must_use]
pub const fn required_date(column: &'static str, if_blank: IfBlank) -> FieldSchema {
    FieldSchema::of(column, FieldKind::Date(DateRole::Required(if_blank)))
}
/// A child-level date.
#[must_use]
pub const fn child_date(column: &'static str) -> FieldSchema {
    FieldSchema::of(column, FieldKind::Date(DateRole::Child))
}
/// A flag.
#[must_use]
pub const fn flag(column: &'static str, syntax: FlagSyntax) -> FieldSchema {
    FieldSchema::of(column, FieldKind::Flag(syntax))
}
/// A count.
#[must_use]
pub const fn count(column: &'static str) -> FieldSchema {
    FieldSchema::of(column, FieldKind::Count)
}
/// A score from 0 to `max`.
#[must_use]
pub const fn score(column: &'static str, max: u32) -> FieldSchema {
    FieldSchema::of(column, FieldKind::Score(max))
}
/// A set of codes.
#[must_use]
pub const fn codes(column: &'static str, list: &'static [&'static str]) -> FieldSchema {
    FieldSchema::of(column, FieldKind::Codes(list))
}
/// A set of dates.
#[must_use]
pub const fn dates(column: &'static str) -> FieldSchema {
    FieldSchema::of(column, FieldKind::Dates)
}

/// How the rows of a table are merged across returns (spec 2.1, 2.3, 2.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Merge {
    /// By key: within a return identical rows collapse (`duplicate_row`) and different rows sharing
    /// a key are all kept (`duplicate_key`); across returns a key is replaced as a group by the
    /// latest return that holds it. The key is (child, [`TableSchema::key`]), or the child alone
    /// when the table has no key date.
    Keyed,
    /// One row per child: the latest return's, blanks filled from the latest earlier non-blank
    /// value; a changed date of birth (the table's first child-level date) is reported
    /// (`child_field_changed`).
    ChildLevel,
    /// Rows belong to their return and are never replaced across returns (UASC, OC2, OC3: spec 2.3,
    /// 2.5); within a return as [`Merge::Keyed`].
    PerReturn,
}

/// How an open record of return Y, absent from return Y+1, is stitched (spec 2.1 rule 1, 2.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stitch {
    /// Not stitched.
    Never,
    /// Dropped when the child appears in Y+1 (`superseded_open_record`), else closed
    /// (`not_resubmitted_closed`) on the first day of Y+1.
    DropOrClose,
    /// As [`Stitch::DropOrClose`], but closed on the last day of Y (a missing incident's end day is
    /// a day missing: spec 2.7).
    DropOrCloseLastDay,
    /// Dropped either way (assessments: a repair never completes one).
    Drop,
}

/// Where a table's rows stand in the XML form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum XmlPlace {
    /// Not in the XML form (SWEpisodes: spec 2.3).
    None,
    /// One element per row, named `element`, inside the element `parent`.
    Element {
        /// The row's element.
        element: &'static str,
        /// The element it stands in.
        parent: &'static str,
    },
    /// Fields held directly in the element `parent` (AD1, UASC, OC3 in the SSDA903 `HEADER`).
    Flat {
        /// The element holding the fields.
        parent: &'static str,
    },
}

/// One table of a return.
#[derive(Clone, Copy, Debug)]
pub struct TableSchema {
    /// The table's name: `Episodes`, `CINdetails`, ... (the SSDA903 table names of the validator,
    /// the CIN census element names). Frames and C rows name tables by it.
    pub name: &'static str,
    /// Other names a table may be given (in any case, without `_`, `-` or spaces).
    pub aliases: &'static [&'static str],
    /// The return it belongs to.
    pub family: ReturnKind,
    /// The field of the return struct that holds its rows (`episodes`).
    pub rows: &'static str,
    /// The record type's name (`CareEpisode`).
    pub record: &'static str,
    /// The fields, the child identifier first.
    pub fields: &'static [FieldSchema],
    /// The key date, as an index into `fields`.
    pub key: Option<usize>,
    /// The end date whose absence makes a record open (stitching), as an index into `fields`.
    pub end: Option<usize>,
    /// A field blanked when stitching closes a record (a care episode's `REC`).
    pub blank_on_close: Option<usize>,
    /// How rows are merged across returns.
    pub merge: Merge,
    /// How open records are stitched.
    pub stitch: Stitch,
    /// A child appears in a return that holds a row of this table (spec 2.1, 2.7).
    pub appears: bool,
    /// A usable row of this table makes its return *cover* its collection year (spec 3.1: the
    /// base table; SSDA903 `Episodes`, and in the CIN census `Child` and every record nested in
    /// one).
    pub covers: bool,
    /// When non-empty, a row exists only when one of these fields is not blank; a row with all of
    /// them blank is skipped (`blank_row`, spec 2.3).
    pub exists_when: &'static [usize],
    /// The file name the CSV writer gives the table (empty: not written as CSV).
    pub csv_file: &'static str,
    /// Where its rows stand in the XML form.
    pub xml: XmlPlace,
    /// What a row is, one line.
    pub doc: &'static str,
    /// What one row is called in messages (`care episode`); the table's name when not given.
    pub noun: &'static str,
    /// The order of the elements in the row's XML element, where the published layout interleaves
    /// fields and the elements of nested tables (`CINdetails`); empty: the fields in schema order,
    /// then the nested tables in family order.
    pub xml_order: &'static [&'static str],
    key_name: &'static str,
    end_name: &'static str,
    blank_name: &'static str,
    exists_names: &'static [&'static str],
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn index_of(fields: &[FieldSchema], name: &str) -> Option<usize> {
    let mut i = 0;
    while i < fields.len() {
        if str_eq(fields[i].name, name) {
            return Some(i);
        }
        i += 1;
    }
    None
}

const fn resolve(fields: &[FieldSchema], name: &str) -> Option<usize> {
    if name.is_empty() {
        return None;
    }
    match index_of(fields, name) {
        Some(i) => Some(i),
        None => panic!("a table schema names a field it does not have"),
    }
}

impl TableSchema {
    /// A table of `family` named `name`, whose rows are the return's `rows` field.
    #[must_use]
    pub const fn new(family: ReturnKind, name: &'static str, rows: &'static str) -> TableSchema {
        TableSchema {
            name,
            aliases: &[],
            family,
            rows,
            record: "",
            fields: &[],
            key: None,
            end: None,
            blank_on_close: None,
            merge: Merge::Keyed,
            stitch: Stitch::Never,
            appears: false,
            covers: false,
            exists_when: &[],
            csv_file: "",
            xml: XmlPlace::None,
            doc: "",
            noun: name,
            xml_order: &[],
            key_name: "",
            end_name: "",
            blank_name: "",
            exists_names: &[],
        }
    }

    /// Keyed on (child, the date field `field`).
    #[must_use]
    pub const fn key(mut self, field: &'static str) -> TableSchema {
        self.key_name = field;
        self
    }

    /// Stitched as `stitch`, open while the date field `end` is blank.
    #[must_use]
    pub const fn stitch(mut self, stitch: Stitch, end: &'static str) -> TableSchema {
        self.stitch = stitch;
        self.end_name = end;
        self
    }

    /// Stitching's closure also blanks `field`.
    #[must_use]
    pub const fn blank_on_close(mut self, field: &'static str) -> TableSchema {
        self.blank_name = field;
        self
    }

    /// Merged as `merge`.
    #[must_use]
    pub const fn merge(mut self, merge: Merge) -> TableSchema {
        self.merge = merge;
        self
    }

    /// A child appears in a return that holds a row.
    #[must_use]
    pub const fn appears(mut self) -> TableSchema {
        self.appears = true;
        self
    }

    /// A usable row makes its return cover its collection year (spec 3.1).
    #[must_use]
    pub const fn covers(mut self) -> TableSchema {
        self.covers = true;
        self
    }

    /// A row exists only when one of `fields` is not blank.
    #[must_use]
    pub const fn exists_when(mut self, fields: &'static [&'static str]) -> TableSchema {
        self.exists_names = fields;
        self
    }

    /// Its XML element holds its fields and nested tables' elements in this order.
    #[must_use]
    pub const fn xml_order(mut self, order: &'static [&'static str]) -> TableSchema {
        self.xml_order = order;
        self
    }

    /// Called `noun` in messages.
    #[must_use]
    pub const fn noun(mut self, noun: &'static str) -> TableSchema {
        self.noun = noun;
        self
    }

    /// Other names.
    #[must_use]
    pub const fn aliases(mut self, aliases: &'static [&'static str]) -> TableSchema {
        self.aliases = aliases;
        self
    }

    /// Written as CSV to `file`.
    #[must_use]
    pub const fn csv(mut self, file: &'static str) -> TableSchema {
        self.csv_file = file;
        self
    }

    /// One XML element `element` per row, inside `parent`.
    #[must_use]
    pub const fn xml_element(mut self, element: &'static str, parent: &'static str) -> TableSchema {
        self.xml = XmlPlace::Element { element, parent };
        self
    }

    /// Fields held directly in the XML element `parent`.
    #[must_use]
    pub const fn xml_flat(mut self, parent: &'static str) -> TableSchema {
        self.xml = XmlPlace::Flat { parent };
        self
    }

    /// Completes the entry with its record name, fields and doc, resolving the named fields (a name
    /// that is not a field fails to compile).
    #[doc(hidden)]
    #[must_use]
    pub const fn complete(
        mut self,
        record: &'static str,
        fields: &'static [FieldSchema],
        doc: &'static str,
    ) -> TableSchema {
        self.record = record;
        self.fields = fields;
        self.doc = doc;
        self.key = resolve(fields, self.key_name);
        self.end = resolve(fields, self.end_name);
        self.blank_on_close = resolve(fields, self.blank_name);
        self
    }

    /// The fields whose non-blank value makes a row exist (see [`TableSchema::exists_when`]).
    pub fn exists_fields(&self) -> impl Iterator<Item = usize> + '_ {
        self.exists_names
            .iter()
            .filter_map(|n| index_of(self.fields, n))
    }

    /// Does a row exist only when some of its fields are given?
    #[must_use]
    pub fn has_exists_rule(&self) -> bool {
        !self.exists_names.is_empty()
    }

    /// Is `other` this table (the same family and name)? Tables are compared by name: a schema is
    /// a constant, and two references to it need not be one address (one address is a quick yes).
    #[must_use]
    pub fn is(&self, other: &TableSchema) -> bool {
        // The same address is the same table (the usual case, and the quick answer); different
        // addresses may still be the same table.
        std::ptr::eq(self, other) || (self.family == other.family && self.name == other.name)
    }

    /// The index of the field whose Rust name is `name`.
    #[must_use]
    pub fn field(&self, name: &str) -> Option<usize> {
        index_of(self.fields, name)
    }

    /// The index of the field whose official column (or another name it is read under) is
    /// `column`: exactly, else in any case, ignoring surrounding whitespace.
    #[must_use]
    pub fn column(&self, column: &str) -> Option<usize> {
        let t = column.trim();
        self.fields.iter().position(|f| f.is_column(t)).or_else(|| {
            self.fields.iter().position(|f| {
                f.column.eq_ignore_ascii_case(t) || f.also.iter().any(|a| a.eq_ignore_ascii_case(t))
            })
        })
    }

    /// The key date's column name, for messages (the child for a table keyed on the child alone).
    #[must_use]
    pub fn key_column(&self) -> &'static str {
        self.key
            .map_or(self.fields[0].column, |k| self.fields[k].column)
    }

    /// Does `name` name this table (its name or an alias, in any case, ignoring `_`, `-` and
    /// spaces)?
    #[must_use]
    pub fn is_named(&self, name: &str) -> bool {
        let squash = |s: &str| -> String {
            s.chars()
                .filter(|c| !matches!(c, '_' | '-' | ' '))
                .flat_map(char::to_lowercase)
                .collect()
        };
        let want = squash(name);
        squash(self.name) == want || self.aliases.iter().any(|a| squash(a) == want)
    }
}

/// Every table of every return: the CIN census tables, then the SSDA903 tables, in the order of
/// their families' declarations (the writers' order).
pub static TABLES: &[&TableSchema] = &[
    cin::CinChild::SCHEMA,
    cin::CinEpisode::SCHEMA,
    cin::CinPlan::SCHEMA,
    cin::Assessment::SCHEMA,
    cin::Section47::SCHEMA,
    cin::CpPlan::SCHEMA,
    ssda903::Header::SCHEMA,
    ssda903::CareEpisode::SCHEMA,
    ssda903::Ad1::SCHEMA,
    ssda903::PlacedAdoption::SCHEMA,
    ssda903::Review::SCHEMA,
    ssda903::Uasc::SCHEMA,
    ssda903::Oc2::SCHEMA,
    ssda903::Oc3::SCHEMA,
    ssda903::PrevPerm::SCHEMA,
    ssda903::Missing::SCHEMA,
    ssda903::SwEpisode::SCHEMA,
];

/// The tables of `family`, in declaration order.
pub fn tables(family: ReturnKind) -> impl Iterator<Item = &'static TableSchema> {
    TABLES.iter().copied().filter(move |t| t.family == family)
}

/// The table of `family` that `name` names (see [`TableSchema::is_named`]).
#[must_use]
pub fn table_named(family: Option<ReturnKind>, name: &str) -> Option<&'static TableSchema> {
    TABLES
        .iter()
        .copied()
        .filter(|t| family.is_none_or(|f| t.family == f))
        .find(|t| t.is_named(name))
}

/// A field's value, borrowed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FieldRef<'a> {
    /// Text: an identifier, code or free text (blank is empty).
    Text(&'a str),
    /// A required date.
    Day(Day),
    /// An optional date.
    Date(Option<Day>),
    /// A flag.
    Flag(Option<bool>),
    /// A count or score.
    Count(Option<u32>),
    /// A set of codes.
    Texts(&'a [CompactString]),
    /// A set of dates.
    Days(&'a [Day]),
}

impl FieldRef<'_> {
    /// Blank: empty text, an absent date, flag or count, an empty set.
    #[must_use]
    pub fn is_blank(&self) -> bool {
        match *self {
            FieldRef::Text(s) => s.is_empty(),
            FieldRef::Day(_) => false,
            FieldRef::Date(d) => d.is_none(),
            FieldRef::Flag(b) => b.is_none(),
            FieldRef::Count(n) => n.is_none(),
            FieldRef::Texts(v) => v.is_empty(),
            FieldRef::Days(v) => v.is_empty(),
        }
    }

    /// The date, when the field is a date that is set.
    #[must_use]
    pub fn day(&self) -> Option<Day> {
        match *self {
            FieldRef::Day(d) => Some(d),
            FieldRef::Date(d) => d,
            _ => None,
        }
    }
}

/// A field's value, owned: what [`Record::set`] takes.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    /// Text.
    Text(CompactString),
    /// A date (a required date is set only by `Some`).
    Date(Option<Day>),
    /// A flag.
    Flag(Option<bool>),
    /// A count or score.
    Count(Option<u32>),
    /// A set of codes.
    Texts(Vec<CompactString>),
    /// A set of dates.
    Days(Vec<Day>),
}

/// A Rust type that a field of a record can have.
pub trait FieldType {
    /// The value, borrowed.
    fn field_ref(&self) -> FieldRef<'_>;
    /// Sets the value; a value of another type leaves it as it was.
    fn assign(&mut self, v: FieldValue);
    /// Fills a blank value from `other` (child-level merge).
    fn fill_from(&mut self, other: &Self);
}

impl FieldType for CompactString {
    fn field_ref(&self) -> FieldRef<'_> {
        FieldRef::Text(self)
    }
    fn assign(&mut self, v: FieldValue) {
        if let FieldValue::Text(t) = v {
            *self = t;
        }
    }
    fn fill_from(&mut self, other: &Self) {
        if self.is_empty() {
            self.clone_from(other);
        }
    }
}

impl FieldType for Day {
    fn field_ref(&self) -> FieldRef<'_> {
        FieldRef::Day(*self)
    }
    fn assign(&mut self, v: FieldValue) {
        if let FieldValue::Date(Some(d)) = v {
            *self = d;
        }
    }
    fn fill_from(&mut self, _other: &Self) {}
}

/// An optional value: read and set as the `FieldRef`/`FieldValue` variant `$v`, blanks filled from
/// another record's.
macro_rules! optional_field {
    ($t:ty, $v:ident) => {
        impl FieldType for Option<$t> {
            fn field_ref(&self) -> FieldRef<'_> {
                FieldRef::$v(*self)
            }
            fn assign(&mut self, v: FieldValue) {
                if let FieldValue::$v(x) = v {
                    *self = x;
                }
            }
            fn fill_from(&mut self, other: &Self) {
                *self = self.or(*other);
            }
        }
    };
}

optional_field!(Day, Date);
optional_field!(bool, Flag);
optional_field!(u32, Count);

impl FieldType for Vec<CompactString> {
    fn field_ref(&self) -> FieldRef<'_> {
        FieldRef::Texts(self)
    }
    fn assign(&mut self, v: FieldValue) {
        if let FieldValue::Texts(t) = v {
            *self = t;
        }
    }
    fn fill_from(&mut self, other: &Self) {
        if self.is_empty() {
            self.clone_from(other);
        }
    }
}

impl FieldType for Vec<Day> {
    fn field_ref(&self) -> FieldRef<'_> {
        FieldRef::Days(self)
    }
    fn assign(&mut self, v: FieldValue) {
        if let FieldValue::Days(d) = v {
            *self = d;
        }
    }
    fn fill_from(&mut self, other: &Self) {
        if self.is_empty() {
            self.clone_from(other);
        }
    }
}

/// A record of a table: a row as the builder takes it. Implemented by the `record!` entries.
pub trait Record: Clone + Default + PartialEq + std::fmt::Debug + Send + Sync + 'static {
    /// The table's schema.
    const SCHEMA: &'static TableSchema;
    /// The columnar table of the [`crate::Dataset`] that holds these records.
    type Columns: Columns<Row = Self>;
    /// The child identifier.
    fn child(&self) -> &str;
    /// The child identifier, to normalise it.
    fn child_mut(&mut self) -> &mut CompactString;
    /// Where the row came from.
    fn origin(&self) -> RowOrigin;
    /// Sets where the row came from.
    fn set_origin(&mut self, origin: RowOrigin);
    /// Field `i` of [`Record::SCHEMA`]'s fields (0 is the child).
    fn get(&self, i: usize) -> FieldRef<'_>;
    /// Sets field `i`.
    fn set(&mut self, i: usize, v: FieldValue);
    /// Field `i` when it is text, to normalise it in place.
    fn text_mut(&mut self, i: usize) -> Option<&mut CompactString>;
    /// Field `i` when it is a set of codes, to normalise it in place.
    fn texts_mut(&mut self, i: usize) -> Option<&mut Vec<CompactString>>;
    /// Fills every blank field from `other` (child-level merge).
    fn fill_from(&mut self, other: &Self);

    /// The key date, when the table has one.
    fn key(&self) -> Option<Day> {
        Self::SCHEMA.key.and_then(|k| self.get(k).day())
    }

    /// The end date whose absence makes the record open.
    fn end(&self) -> Option<Day> {
        Self::SCHEMA.end.and_then(|k| self.get(k).day())
    }

    /// Every field but the origin equal?
    fn same_content(&self, other: &Self) -> bool {
        let mut o = other.clone();
        o.set_origin(self.origin());
        *self == o
    }
}

/// A record of any table behind a reference: what code holding rows of several tables at once
/// (the writers) reads them through.
pub trait AnyRecord {
    /// The record's table.
    fn table(&self) -> &'static TableSchema;
    /// The child identifier.
    fn child_id(&self) -> &str;
    /// Field `i` of the table's fields (0 is the child).
    fn field(&self, i: usize) -> FieldRef<'_>;
}

impl<R: Record> AnyRecord for R {
    fn table(&self) -> &'static TableSchema {
        R::SCHEMA
    }
    fn child_id(&self) -> &str {
        Record::child(self)
    }
    fn field(&self, i: usize) -> FieldRef<'_> {
        Record::get(self, i)
    }
}

/// A columnar table of the [`crate::Dataset`]: one `Vec` per field, rows sorted by child then key,
/// and an offset per child so that a child's rows are one slice of every column.
pub trait Columns: Clone + Default + std::fmt::Debug + Send + Sync + 'static {
    /// The record type.
    type Row: Record<Columns = Self>;
    /// The number of rows.
    fn len(&self) -> usize;
    /// No rows?
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The rows of child `child` (an index into [`crate::Dataset::children`]).
    fn of_child(&self, child: u32) -> std::ops::Range<usize>;
    /// Where row `i` came from.
    fn source(&self, i: usize) -> crate::table::Source;
    /// Row `i` as a record, with `origin.file` an index into [`crate::Dataset::files`].
    fn row(&self, i: usize, children: &[CompactString]) -> Self::Row;
    /// Builds the table from rows sorted by child index.
    #[doc(hidden)]
    fn from_rows<I>(rows: I, n_children: usize) -> Self
    where
        I: ExactSizeIterator<Item = (u32, Self::Row, crate::table::Source)>;
}

/// Declares a table: the record struct, its columnar table, and its [`TableSchema`].
///
/// ```text
/// record! {
///     /// doc of the record
///     pub struct Review in Reviews = TableSchema::new(ReturnKind::Ssda903, "Reviews", "reviews")
///         .key("review") ... {
///         /// `CHILD`.
///         child = child("CHILD").xml("CHILDID");
///         /// `REVIEW`: the review's date.
///         review: Day = required_date("REVIEW", IfBlank::MissingKeyDate);
///         ...
///     }
/// }
/// ```
macro_rules! record {
    (
        $(#[doc = $doc:expr])*
        pub struct $rec:ident in $cols:ident = $table:expr;
        $(#[doc = $cdoc:expr])*
        child = $cschema:expr;
        $(
            $(#[doc = $fdoc:expr])*
            $field:ident: $ty:ty = $fschema:expr;
        )*
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        #[cfg_attr(
            feature = "serde",
            derive(serde::Serialize, serde::Deserialize),
            serde(default)
        )]
        pub struct $rec {
            $(#[doc = $cdoc])*
            pub child: compact_str::CompactString,
            $($(#[doc = $fdoc])* pub $field: $ty,)*
            /// Where the row came from.
            pub origin: $crate::records::RowOrigin,
        }

        impl $rec {
            const FIELDS: &'static [$crate::schema::FieldSchema] = &[
                $crate::schema::FieldSchema {
                    name: "child",
                    doc: concat!($($cdoc),*),
                    ..$cschema
                },
                $($crate::schema::FieldSchema {
                    name: stringify!($field),
                    doc: concat!($($fdoc),*),
                    ..$fschema
                },)*
            ];
            const TABLE: $crate::schema::TableSchema =
                $table.complete(stringify!($rec), Self::FIELDS, concat!($($doc),*));
        }

        impl $crate::schema::Record for $rec {
            const SCHEMA: &'static $crate::schema::TableSchema = &Self::TABLE;
            type Columns = $cols;

            fn child(&self) -> &str {
                &self.child
            }
            fn child_mut(&mut self) -> &mut compact_str::CompactString {
                &mut self.child
            }
            fn origin(&self) -> $crate::records::RowOrigin {
                self.origin
            }
            fn set_origin(&mut self, origin: $crate::records::RowOrigin) {
                self.origin = origin;
            }
            #[allow(unused_assignments, unused_mut)]
            #[inline]
            fn get(&self, i: usize) -> $crate::schema::FieldRef<'_> {
                use $crate::schema::FieldType as _;
                if i == 0 {
                    return $crate::schema::FieldRef::Text(&self.child);
                }
                let mut k = 1;
                $(
                    if i == k {
                        return self.$field.field_ref();
                    }
                    k += 1;
                )*
                $crate::schema::FieldRef::Text("")
            }
            #[allow(unused_assignments, unused_mut)]
            #[inline]
            fn set(&mut self, i: usize, v: $crate::schema::FieldValue) {
                use $crate::schema::FieldType as _;
                if i == 0 {
                    self.child.assign(v);
                    return;
                }
                let mut k = 1;
                $(
                    if i == k {
                        self.$field.assign(v);
                        return;
                    }
                    k += 1;
                )*
            }
            #[allow(unused_assignments, unused_mut)]
            #[inline]
            fn text_mut(&mut self, i: usize) -> Option<&mut compact_str::CompactString> {
                if i == 0 {
                    return Some(&mut self.child);
                }
                let mut k = 1;
                $(
                    if i == k {
                        return (&mut self.$field as &mut dyn std::any::Any)
                            .downcast_mut::<compact_str::CompactString>();
                    }
                    k += 1;
                )*
                None
            }
            #[allow(unused_assignments, unused_mut)]
            #[inline]
            fn texts_mut(&mut self, i: usize) -> Option<&mut Vec<compact_str::CompactString>> {
                let mut k = 1;
                $(
                    if i == k {
                        return (&mut self.$field as &mut dyn std::any::Any)
                            .downcast_mut::<Vec<compact_str::CompactString>>();
                    }
                    k += 1;
                )*
                None
            }
            fn fill_from(&mut self, other: &Self) {
                use $crate::schema::FieldType as _;
                $(self.$field.fill_from(&other.$field);)*
            }
            fn same_content(&self, other: &Self) -> bool {
                self.child == other.child $(&& self.$field == other.$field)*
            }
        }

        #[doc = concat!("The `", stringify!($rec), "` rows of the dataset, one column per field.")]
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct $cols {
            /// Index of the row's child in [`crate::Dataset::children`].
            pub child: Vec<u32>,
            $($(#[doc = $fdoc])* pub $field: Vec<$ty>,)*
            /// Where each row came from.
            pub source: Vec<$crate::table::Source>,
            offsets: Vec<u32>,
        }

        impl $cols {
            /// The number of rows.
            #[must_use]
            pub fn len(&self) -> usize {
                self.child.len()
            }

            /// No rows?
            #[must_use]
            pub fn is_empty(&self) -> bool {
                self.child.is_empty()
            }

            /// The rows of child `child` (an index into [`crate::Dataset::children`]).
            #[must_use]
            pub fn of_child(&self, child: u32) -> std::ops::Range<usize> {
                let c = child as usize;
                match (self.offsets.get(c), self.offsets.get(c + 1)) {
                    (Some(&a), Some(&b)) => a as usize..b as usize,
                    _ => 0..0,
                }
            }

            /// Row `i` as a record, with `origin.file` an index into [`crate::Dataset::files`].
            #[must_use]
            pub fn row(&self, i: usize, children: &[compact_str::CompactString]) -> $rec {
                let s = self.source[i];
                $rec {
                    child: children[self.child[i] as usize].clone(),
                    $($field: self.$field[i].clone(),)*
                    origin: $crate::records::RowOrigin::new(s.file, s.line),
                }
            }
        }

        impl $crate::schema::Columns for $cols {
            type Row = $rec;
            fn len(&self) -> usize {
                self.child.len()
            }
            fn of_child(&self, child: u32) -> std::ops::Range<usize> {
                $cols::of_child(self, child)
            }
            fn source(&self, i: usize) -> $crate::table::Source {
                self.source[i]
            }
            fn row(&self, i: usize, children: &[compact_str::CompactString]) -> $rec {
                $cols::row(self, i, children)
            }
            fn from_rows<I>(rows: I, n_children: usize) -> $cols
            where
                I: ExactSizeIterator<Item = (u32, $rec, $crate::table::Source)>,
            {
                let n = rows.len();
                let mut t = $cols {
                    child: Vec::with_capacity(n),
                    $($field: Vec::with_capacity(n),)*
                    source: Vec::with_capacity(n),
                    offsets: Vec::new(),
                };
                for (c, row, s) in rows {
                    t.child.push(c);
                    $(t.$field.push(row.$field);)*
                    t.source.push(s);
                }
                t.offsets = $crate::table::offsets(&t.child, n_children);
                t
            }
        }
    };
}

/// Declares a return: its struct of row vectors (what the builder takes), its struct of columnar
/// tables (what the dataset holds), and visits over both.
macro_rules! family {
    (
        $(#[doc = $doc:expr])*
        $kind:ident: $ret:ident, $tables:ident {
            $(
                $(#[doc = $fdoc:expr])*
                $field:ident: $rec:ident,
            )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        #[cfg_attr(
            feature = "serde",
            derive(serde::Serialize, serde::Deserialize),
            serde(default)
        )]
        pub struct $ret {
            /// Files and collection year.
            pub source: $crate::records::ReturnSource,
            $($(#[doc = $fdoc])* pub $field: Vec<$rec>,)*
        }

        impl $ret {
            /// Which return this is.
            pub const KIND: $crate::records::ReturnKind = $crate::records::ReturnKind::$kind;

            /// The number of rows of every table.
            #[must_use]
            pub fn rows(&self) -> usize {
                0 $(+ self.$field.len())*
            }

            /// Calls `visit` with each table's rows, in declaration order.
            pub fn visit(&self, visit: &mut impl $crate::schema::VisitRows) {
                $(visit.rows(&self.$field);)*
            }

            /// Calls `visit` with each table's rows, borrowed for as long as the return, in
            /// declaration order.
            pub fn visit_ref<'a>(&'a self, visit: &mut impl $crate::schema::VisitRowRefs<'a>) {
                $(visit.rows(&self.$field);)*
            }

            /// Calls `visit` with each table's rows to change them, in declaration order.
            pub fn visit_mut(&mut self, visit: &mut impl $crate::schema::VisitRowsMut) {
                $(visit.rows(&mut self.$field);)*
            }

            /// Hands each table's rows to `take`, in declaration order.
            pub fn into_rows(self, take: &mut impl $crate::schema::TakeRows) {
                $(take.take(self.$field);)*
            }

            /// Calls `visit` with each table's record type, in declaration order.
            pub fn visit_types(visit: &mut impl $crate::schema::VisitTypes) {
                $(visit.visit::<$rec>();)*
            }
        }

        $(#[doc = $doc])*
        ///
        /// Merged and frozen: one columnar table per table of the return.
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct $tables {
            $($(#[doc = $fdoc])* pub $field: <$rec as $crate::schema::Record>::Columns,)*
        }

        impl $tables {
            /// Calls `visit` with each table, in declaration order.
            pub fn visit(&self, visit: &mut impl $crate::schema::VisitColumns) {
                $(visit.columns(&self.$field);)*
            }

            /// Makes each table with `make`, in declaration order.
            pub fn make(make: &mut impl $crate::schema::MakeColumns) -> $tables {
                $tables {
                    $($field: make.make::<$rec>(),)*
                }
            }
        }
    };
}

pub(crate) use {family, record};

/// Something that looks at every table of a return's rows (see the `visit` of a return).
pub trait VisitRows {
    /// One table's rows.
    fn rows<R: Record>(&mut self, rows: &[R]);
}

/// Something that keeps references to every table's rows of a return.
pub trait VisitRowRefs<'a> {
    /// One table's rows.
    fn rows<R: Record>(&mut self, rows: &'a [R]);
}

/// Something that changes every table of a return's rows.
pub trait VisitRowsMut {
    /// One table's rows.
    fn rows<R: Record>(&mut self, rows: &mut Vec<R>);
}

/// Something that looks at every columnar table of a dataset family.
pub trait VisitColumns {
    /// One table.
    fn columns<C: Columns>(&mut self, table: &C);
}

/// Something that takes every table's rows of a return.
pub trait TakeRows {
    /// One table's rows.
    fn take<R: Record>(&mut self, rows: Vec<R>);
}

/// Something that visits the record type of every table of a return.
pub trait VisitTypes {
    /// One table's record type.
    fn visit<R: Record>(&mut self);
}

/// Something that makes every columnar table of a family.
pub trait MakeColumns {
    /// One table.
    fn make<R: Record>(&mut self) -> R::Columns;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_consistent() {
        let mut names = std::collections::HashSet::new();
        for t in TABLES {
            assert!(names.insert((t.family, t.name)), "{}", t.name);
            assert_eq!(t.fields[0].kind, FieldKind::Child, "{}", t.name);
            assert_eq!(t.fields[0].name, "child");
            if let Some(k) = t.key {
                assert!(matches!(t.fields[k].kind, FieldKind::Date(_)), "{}", t.name);
            }
            if t.stitch != Stitch::Never {
                assert!(t.end.is_some(), "{}", t.name);
            }
            let mut seen = std::collections::HashSet::new();
            for f in t.fields {
                assert!(seen.insert(f.name), "{}.{}", t.name, f.name);
                assert!(!f.doc.is_empty(), "{}.{} has no doc", t.name, f.name);
                assert!(!f.column.is_empty());
                assert_eq!(
                    f.xml_leaf(),
                    f.xml.rsplit('/').next().unwrap_or_default(),
                    "{}.{}",
                    t.name,
                    f.name
                );
            }
            assert_eq!(
                t.exists_fields().count(),
                t.exists_names.len(),
                "{}",
                t.name
            );
            assert!(!t.doc.is_empty(), "{}", t.name);
        }
    }

    #[test]
    fn same_content_ignores_only_the_origin() {
        use crate::records::{CareEpisode, RowOrigin};
        let a = CareEpisode {
            child: "A".into(),
            decom: Day::from_ymd(2024, 1, 2).unwrap(),
            origin: RowOrigin::new(0, 3),
            ..CareEpisode::default()
        };
        let mut b = a.clone();
        b.origin = RowOrigin::new(1, 9);
        assert!(a.same_content(&b));
        b.rne = "P".into();
        assert!(!a.same_content(&b));
    }

    #[test]
    fn tables_are_found_by_name_and_alias() {
        assert_eq!(
            table_named(None, "placed_for_adoption").map(|t| t.name),
            Some("PlacedAdoption")
        );
        assert_eq!(
            table_named(Some(ReturnKind::Cin), "child protection plans").map(|t| t.name),
            Some("ChildProtectionPlans")
        );
        assert_eq!(
            table_named(Some(ReturnKind::Ssda903), "sw_episodes").map(|t| t.name),
            Some("SWEpisodes")
        );
        assert!(table_named(None, "nope").is_none());
    }
}
