//! Tables in, returns out: Arrow record batches with the returns' own table and column names
//! become the core's returns ([`CinReturn`], [`Ssda903Return`]), read by the core's row rules
//! ([`csc_measures::rows`]), and then a [`Dataset`].
//!
//! # Tables
//!
//! A table is recognised by its name through the [`schema`]: the schema's
//! table names and their aliases, in any case, ignoring `_`, `-` and spaces
//! ([`schema::table_named`]). So the SSDA903 tables are `Header`, `Episodes`, `AD1`,
//! `PlacedAdoption` (or `PlacedForAdoption`, `AD_PLACED`), `Reviews`, `UASC`, `OC2`, `OC3`,
//! `PrevPerm` (or `PreviousPermanence`), `Missing` and `SWEpisodes`; the CIN census tables are
//! `Child` (or `ChildIdentifiers`, `Children`), `CINdetails`, `Assessments`, `Section47`,
//! `ChildProtectionPlans` and `CINPlanDates`. The CIN census may also come as the layout of the
//! sector's tools:
//!
//! * the child's fields split over `ChildIdentifiers`, `ChildCharacteristics` and `Disabilities`
//!   (one row per disability, or a list): the rows of `ChildCharacteristics` and `Disabilities`
//!   complete the child's row (the first given for that child, or a new one): a blank field is
//!   filled, and codes and dates are added;
//! * a `Header` without a `CHILD` column, holding the census's `ReferenceDate` (when the return is
//!   given as a CIN census, or when the table has a `ReferenceDate` column), or a table named
//!   `CINHeader` (when the tables of both returns are given together): its first non-blank
//!   `ReferenceDate` is the return's; one that is not a date is an [`ErrorKind::InvalidDate`]
//!   error;
//! * nested tables (`Assessments`, `Section47`, `ChildProtectionPlans`, `CINPlanDates`) that name
//!   their CIN episode not by its `CINreferralDate` but by a `CINdetailsID` that the return's
//!   `CINdetails` table also has: the episode is the `CINdetails` row of the same child with that
//!   id (an id that matches none skips the row, `missing_identifier`).
//!
//! A return given without its kind ([`ReturnInput::kind`] `None`) may mix the tables of both
//! returns: each goes to its family by its name, and a CIN census and an SSDA903 return are read
//! when either has a table. A table of the other return than the one given is an error, and so is
//! a name that is no table's.
//!
//! # Columns
//!
//! Columns are found through [`TableSchema::column`]: each field's official column or the other
//! names it is read under (`GenderCurrent` for `Sex`), exactly first and then in any case; when
//! several columns name one field, the official name wins, then another exact name, then the
//! first. Other columns are ignored. Values are handed to the row rules as
//! [`Cell`]s by their Arrow type:
//!
//! | Arrow type | cell | taken by |
//! | --- | --- | --- |
//! | string, large string, string view, a dictionary of these | [`Cell::Text`] | every field |
//! | integers | [`Cell::Int`] | text, flags, counts |
//! | floats | whole: [`Cell::Int`], NaN: [`Cell::Null`], other: [`Cell::Text`] | text, flags, counts, dates (see below) |
//! | boolean | [`Cell::Bool`] | text, flags |
//! | date32, date64, timestamps (naive, UTC or a fixed offset: the local date, the time of day dropped) | [`Cell::Day`] | dates |
//! | null | [`Cell::Null`] | every field |
//! | list, large list, list view, fixed-size list of the above | one cell per item | sets of codes, sets of dates |
//!
//! A column whose every value is null (in every batch) is blank whatever its type, for every field:
//! pandas makes an all-blank column float64, object, `Int64` or `datetime64` by chance, and polars
//! and pyarrow make it `null`. A float that is not a whole number in a column of a code (`2.5`: no
//! code reads as such, and its text may not be what the file held) is an `unreadable_value` entry
//! naming the column and the value, and the code is read as blank; identifiers and free text take
//! its text. Whole numbers given for identifiers have no leading zeros to keep: a caller whose ids
//! have them gives them as text. Tables given as plain values rather than Arrow arrays
//! ([`crate::values`]) become Arrow arrays first and follow these same rules.
//!
//! A set of codes or of dates may also be a plain column: one value per row (a text cell holding
//! several codes is one code, not split). A float column stands for dates only as pandas makes one
//! from a blank date column (`pd.read_csv` reads an all-blank `MC_DOB` as float64 NaN): NaN and null
//! are blank dates, and any other number is an unreadable date, which the row rules report (a
//! data-quality entry, never an error). Text dates are read as `DD/MM/YYYY` or `YYYY-MM-DD`
//! whatever the return. A timestamp with a named time zone is refused: its local date needs a
//! time-zone database.
//!
//! # Rows
//!
//! Every row goes through [`Rules::read`], so a frame's rows follow the same rules as a file's
//! (spec section 2): a row without a child identifier, without a required date, or with an
//! unreadable date of its own is skipped and reported; an unreadable child-level date (`DOB`,
//! `PersonBirthDate`, ...) is blanked; an unreadable flag, count or score is unknown. Each entry is
//! located at the table's label (`2024/Episodes`: the year, when given, then the table's name as
//! given; for a table read from a file, the file: [`TableInput::in_file`]) as the file, the
//! 1-based row number across the table's batches (in the file) as the line, and the
//! column as the frame spells it with the value as text. Strict mode stops at the first entry that
//! stops it, with [`Issue::strict_error`].
//!
//! A missing required column (the child identifier, a required date, a nested CIN table's
//! `CINreferralDate` when it has no `CINdetailsID` link), or a column whose Arrow type cannot hold
//! what its field needs, is an [`ErrorKind::InvalidInput`] error naming the table and the column, in
//! both modes.
//!
//! ```
//! use std::sync::Arc;
//! use arrow_array::{RecordBatch, StringArray};
//! use csc_arrow::{ReturnInput, TableInput, read, ReadReturn};
//! use csc_measures::records::ReturnKind;
//!
//! let batch = RecordBatch::try_from_iter([
//!     ("CHILD", Arc::new(StringArray::from(vec!["A", "B"])) as _),
//!     ("DECOM", Arc::new(StringArray::from(vec!["01/05/2023", "31/02/2023"])) as _),
//! ])?;
//! let input = ReturnInput::new(Some(ReturnKind::Ssda903), Some(2024), vec![TableInput::from_batch("Episodes", batch)]);
//! let [ReadReturn::Ssda903(r)] = &read(vec![input], false)?[..] else { unreachable!() };
//! assert_eq!(r.ret.episodes.len(), 1);
//! let at = r.issues[0].location.as_ref().unwrap();
//! assert_eq!((at.file.as_deref(), at.line, at.column.as_deref()), (Some("2024/Episodes"), Some(2), Some("DECOM")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use arrow_array::{RecordBatch, RecordBatchReader};
use arrow_schema::{Schema, SchemaRef};
use compact_str::CompactString;
use csc_measures::population::Population;
use csc_measures::quality::{Issue, IssueCode, Location};
use csc_measures::records::{
    CinChild, CinEpisode, CinReturn, Header, ReturnKind, ReturnSource, RowOrigin, Ssda903Return,
};
use csc_measures::rows::{Cell, DateSyntax, FileReport, Read, RowSource, Rules, trim};
use csc_measures::schema::{
    self, FieldKind, FieldRef, FieldValue, Record, TableSchema, VisitRowsMut,
};
use csc_measures::{Dataset, DatasetBuilder, Day, Error, ErrorKind};

use crate::column::{Column, Want, all_null, check};

/// The column of the CIN census `Header` table that holds the census's reference date.
pub const REFERENCE_DATE: &str = "ReferenceDate";

/// The column by which nested CIN tables may name their `CINdetails` row.
pub const CIN_DETAILS_ID: &str = "CINdetailsID";

/// One table as the caller gave it: its name and its batches (and, for a table read from a file,
/// the file's name and the rows of one collection year: [`TableInput::in_file`],
/// [`TableInput::with_rows`]).
#[derive(Clone, Debug)]
pub struct TableInput {
    /// The name the caller gave (`Episodes`, `CINdetails`, `ChildIdentifiers`, ...).
    pub name: String,
    /// The schema of the table (every batch has its columns).
    pub schema: SchemaRef,
    /// Every batch of the table, in order.
    pub batches: Vec<RecordBatch>,
    /// The file the table came from, which entries name in place of `YEAR/name`.
    file: Option<Arc<str>>,
    /// The rows read, as ascending, disjoint ranges of row numbers across the batches (from 0);
    /// `None`: every row.
    rows: Option<Arc<[Range<usize>]>>,
    /// The collection years whose returns hold the table, as a file written by
    /// [`crate::files::TableWriter`] lists them.
    years: Option<Arc<[i32]>>,
    /// The number in its file of the table's first row, less one: entries number rows from it.
    first_row: usize,
}

impl TableInput {
    /// A table named `name` of the batches `batches`, whose schema is `schema`.
    #[must_use]
    pub fn new(
        name: impl Into<String>,
        schema: SchemaRef,
        batches: Vec<RecordBatch>,
    ) -> TableInput {
        TableInput {
            name: name.into(),
            schema,
            batches,
            file: None,
            rows: None,
            years: None,
            first_row: 0,
        }
    }

    /// The table whose first row is row `first_row + 1` of its file (the first row of one year's
    /// row groups): entries number its rows from there.
    pub(crate) fn starting_at(mut self, first_row: usize) -> TableInput {
        self.first_row = first_row;
        self
    }

    /// The collection years whose returns hold the table, when its file lists them.
    pub(crate) fn held_years(&self) -> Option<&[i32]> {
        self.years.as_deref()
    }

    pub(crate) fn with_held_years(mut self, years: Option<Vec<i32>>) -> TableInput {
        self.years = years.map(Arc::from);
        self
    }

    /// The table as read from the file `file` (its path as the caller gave it): data-quality
    /// entries are located at `file` (not at `YEAR/name`) and the row's number in the file, counted
    /// from 1 over every row of the file (whichever rows [`TableInput::with_rows`] reads), and
    /// errors name the file.
    #[must_use]
    pub fn in_file(mut self, file: impl Into<Arc<str>>) -> TableInput {
        self.file = Some(file.into());
        self
    }

    /// Reads only the rows `rows` (ascending, disjoint ranges of row numbers across the batches,
    /// from 0: the rows of one collection year of a file that holds several); entries keep the
    /// rows' numbers in the whole table. Rows past the table's end are ignored.
    #[must_use]
    pub fn with_rows(mut self, rows: impl Into<Arc<[Range<usize>]>>) -> TableInput {
        self.rows = Some(rows.into());
        self
    }

    /// The file the table came from ([`TableInput::in_file`]).
    #[must_use]
    pub fn file(&self) -> Option<&str> {
        self.file.as_deref()
    }

    /// The table as errors name it: `Episodes`, or `Episodes (file tables/Episodes.parquet)`.
    fn shown(&self) -> Cow<'_, str> {
        match &self.file {
            Some(f) => Cow::Owned(format!("{} (file {f})", self.name)),
            None => Cow::Borrowed(&self.name),
        }
    }

    /// The table as errors quote it: `"Episodes"`, or `"Episodes" (file tables/Episodes.parquet)`.
    fn quoted(&self) -> String {
        match &self.file {
            Some(f) => format!("{:?} (file {f})", self.name),
            None => format!("{:?}", self.name),
        }
    }

    /// The rows read of the batch whose first row is row `base` of the table and that has `n`
    /// rows, as ranges of the batch's rows.
    fn selected(&self, base: usize, n: usize) -> Vec<Range<usize>> {
        let Some(rows) = &self.rows else {
            return std::iter::once(0..n).collect();
        };
        let end = base + n;
        let first = rows.partition_point(|r| r.end <= base);
        rows[first..]
            .iter()
            .take_while(|r| r.start < end)
            .map(|r| r.start.max(base) - base..r.end.min(end) - base)
            .filter(|r| !r.is_empty())
            .collect()
    }

    /// A table named `name` of one batch.
    #[must_use]
    pub fn from_batch(name: impl Into<String>, batch: RecordBatch) -> TableInput {
        TableInput::new(name, batch.schema(), vec![batch])
    }

    /// The number of rows read: of every batch, or those of [`TableInput::with_rows`].
    #[must_use]
    pub fn num_rows(&self) -> usize {
        let all: usize = self.batches.iter().map(RecordBatch::num_rows).sum();
        match &self.rows {
            None => all,
            Some(rows) => rows
                .iter()
                .map(|r| r.end.min(all).saturating_sub(r.start))
                .sum(),
        }
    }
}

/// The tables of one collection year.
#[derive(Clone, Debug)]
pub struct ReturnInput {
    /// The CIN census or SSDA903 when the caller said which; `None` for a set of tables of either
    /// return, each placed by its name.
    pub kind: Option<ReturnKind>,
    /// The collection year, when given.
    pub year: Option<i32>,
    /// Its tables.
    pub tables: Vec<TableInput>,
}

impl ReturnInput {
    /// The tables `tables` of a return of `kind` (`None`: either), for the collection year `year`.
    #[must_use]
    pub fn new(
        kind: Option<ReturnKind>,
        year: Option<i32>,
        tables: Vec<TableInput>,
    ) -> ReturnInput {
        ReturnInput { kind, year, tables }
    }

    /// A return of named batches, one batch per table (as [`crate::cin_tables`] and
    /// [`crate::ssda903_tables`] give them).
    #[must_use]
    pub fn from_batches<N: Into<String>>(
        kind: Option<ReturnKind>,
        year: Option<i32>,
        tables: impl IntoIterator<Item = (N, RecordBatch)>,
    ) -> ReturnInput {
        let tables = tables
            .into_iter()
            .map(|(n, b)| TableInput::from_batch(n, b))
            .collect();
        ReturnInput::new(kind, year, tables)
    }
}

/// A return read from tables, with its load report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadReturn {
    /// A CIN census return.
    Cin(Read<CinReturn>),
    /// An SSDA903 return.
    Ssda903(Read<Ssda903Return>),
}

impl ReadReturn {
    /// Which return it is.
    #[must_use]
    pub fn kind(&self) -> ReturnKind {
        match self {
            ReadReturn::Cin(_) => ReturnKind::Cin,
            ReadReturn::Ssda903(_) => ReturnKind::Ssda903,
        }
    }

    /// Every skipped, repaired or doubtful row.
    #[must_use]
    pub fn issues(&self) -> &[Issue] {
        match self {
            ReadReturn::Cin(r) => &r.issues,
            ReadReturn::Ssda903(r) => &r.issues,
        }
    }

    /// What each table held, in the order given.
    #[must_use]
    pub fn files(&self) -> &[FileReport] {
        match self {
            ReadReturn::Cin(r) => &r.files,
            ReadReturn::Ssda903(r) => &r.files,
        }
    }

    /// The return's source: labels, collection year, reference date, tables held.
    #[must_use]
    pub fn source(&self) -> &ReturnSource {
        match self {
            ReadReturn::Cin(r) => &r.ret.source,
            ReadReturn::Ssda903(r) => &r.ret.source,
        }
    }
}

/// Reads every return (see the [module docs](self)), lenient unless `strict`: a CIN census and an
/// SSDA903 return for each [`ReturnInput`] that has tables of them (or whose kind is given), in
/// the order given, the CIN census first.
pub fn read(returns: Vec<ReturnInput>, strict: bool) -> Result<Vec<ReadReturn>, Error> {
    let mut out = Vec::new();
    for r in returns {
        read_one(&r, strict, &mut out)?;
    }
    Ok(out)
}

/// Reads every return and builds the dataset (spec section 2) with their load reports, lenient
/// unless `strict`.
pub fn build(returns: Vec<ReturnInput>, strict: bool) -> Result<Dataset, Error> {
    let mut builder = DatasetBuilder::new().strict(strict);
    for r in read(returns, strict)? {
        match r {
            ReadReturn::Cin(r) => {
                builder.add_cin(r.ret);
                builder.add_issues(r.issues);
            }
            ReadReturn::Ssda903(r) => {
                builder.add_ssda903(r.ret);
                builder.add_issues(r.issues);
            }
        }
    }
    builder.build()
}

/// A table named `name` of every batch of `reader` (an Arrow C stream's, for one); an Arrow error
/// while reading is an [`ErrorKind::InvalidInput`] error.
pub fn table_from_reader(name: &str, reader: impl RecordBatchReader) -> Result<TableInput, Error> {
    let schema = reader.schema();
    let batches = reader
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| input_error(format!("table {name}: reading its batches failed: {e}")))?;
    Ok(TableInput::new(name, schema, batches))
}

/// The population input (spec 8) from a table with the columns `year` and `population` (in any
/// case; other columns ignored), as ONS mid-year estimates are usually tabulated: one row per
/// mid-year. Years and totals may be whole numbers, floats holding whole numbers, or text; a row
/// blank in both is skipped. A value that is not a year or a non-negative whole number is
/// `population_invalid`, two totals for one year `population_conflict` ([`ErrorKind::InvalidInput`]
/// errors naming the row); a missing column or a column of another type is an
/// [`ErrorKind::InvalidInput`] error naming it.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{Int64Array, RecordBatch};
/// use csc_arrow::{TableInput, population};
/// let batch = RecordBatch::try_from_iter([
///     ("Year", Arc::new(Int64Array::from(vec![2023, 2024])) as _),
///     ("population", Arc::new(Int64Array::from(vec![63_051, 63_420])) as _),
/// ])?;
/// let p = population(&TableInput::from_batch("population", batch))?;
/// assert_eq!(p.for_year_ending(2024), Some((2023, 63_051)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn population(table: &TableInput) -> Result<Population, Error> {
    let (Some(y), Some(t)) = (
        position(&table.schema, "year"),
        position(&table.schema, "population"),
    ) else {
        let have: Vec<&str> = table
            .schema
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect();
        return Err(input_error(format!(
            "population_invalid: table {} lacks the columns year and population (its columns: {})",
            table.name,
            have.join(", ")
        )));
    };
    for p in [y, t] {
        check_column(table, p, Want::Count)?;
    }
    let mut out = Population::new();
    let mut base = 0;
    for (n, rb) in table.batches.iter().enumerate() {
        check_batch(table, n, rb)?;
        let years = Column::new(rb.column(y).as_ref(), Want::Count)
            .map_err(|is| wrong_type(table, "year", &is, Want::Count))?;
        let totals = Column::new(rb.column(t).as_ref(), Want::Count)
            .map_err(|is| wrong_type(table, "population", &is, Want::Count))?;
        for i in 0..rb.num_rows() {
            let text = |c: &Column<'_>| {
                c.get(i, 0)
                    .map(|cell| trim(&cell.text()).to_owned())
                    .unwrap_or_default()
            };
            let (year, total) = (text(&years), text(&totals));
            if year.is_empty() && total.is_empty() {
                continue;
            }
            out.insert_text(&year, &total).map_err(|e| {
                Error::new(
                    e.kind(),
                    format!(
                        "table {}: row {}: {}",
                        table.name,
                        line(base + i),
                        e.message()
                    ),
                )
            })?;
        }
        base += rb.num_rows();
    }
    Ok(out)
}

fn input_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidInput, message)
}

/// `name` in lower case without `_`, `-` or spaces.
fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The column of `schema` called `name`: exactly, else in any case, ignoring surrounding spaces.
fn position(schema: &Schema, name: &str) -> Option<usize> {
    let fields = schema.fields();
    fields.iter().position(|f| f.name() == name).or_else(|| {
        fields
            .iter()
            .position(|f| f.name().trim().eq_ignore_ascii_case(name))
    })
}

/// Is `t` the CIN episode table, whose rows nested tables name?
fn is_details(t: &TableSchema) -> bool {
    t.family == ReturnKind::Cin && t.name == CinEpisode::SCHEMA.name
}

/// Where a table's rows go.
#[derive(Clone, Copy, Debug)]
enum Place {
    /// A table of the schema; `merge` for the CIN census's split child tables, whose rows complete
    /// the child's row.
    Table {
        schema: &'static TableSchema,
        merge: bool,
    },
    /// The CIN census header, holding `ReferenceDate`.
    CinHeader,
}

impl Place {
    fn family(self) -> ReturnKind {
        match self {
            Place::Table { schema, .. } => schema.family,
            Place::CinHeader => ReturnKind::Cin,
        }
    }

    /// The name of the table in load reports.
    fn name(self) -> &'static str {
        match self {
            Place::Table { schema, .. } => schema.name,
            Place::CinHeader => "Header",
        }
    }
}

/// The CIN census's split child tables besides the child table itself (`ChildIdentifiers`).
const CIN_CHILD_PARTS: &[&str] = &["childcharacteristics", "disabilities"];

fn table_names() -> String {
    let names = |k: ReturnKind| {
        schema::tables(k)
            .map(|t| t.name)
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "SSDA903: {}; CIN census: {}, the child tables ChildIdentifiers, ChildCharacteristics and Disabilities, and Header (with {REFERENCE_DATE})",
        names(ReturnKind::Ssda903),
        names(ReturnKind::Cin)
    )
}

/// Checks that `t` is named as a table of either return.
pub(crate) fn classify_name(t: &TableInput) -> Result<(), Error> {
    classify(t, None).map(|_| ())
}

/// Which table `t` is, given with the tables of `hint`.
fn classify(t: &TableInput, hint: Option<ReturnKind>) -> Result<Place, Error> {
    let key = squash(&t.name);
    let has_column = |c: &str| position(&t.schema, c).is_some();
    let header_child = Header::SCHEMA.fields[0].column;
    let place = if key == "cinheader"
        || (key == "header"
            && !has_column(header_child)
            && (hint == Some(ReturnKind::Cin) || has_column(REFERENCE_DATE)))
    {
        Place::CinHeader
    } else if let Some(schema) = schema::table_named(None, &t.name) {
        Place::Table {
            schema,
            merge: false,
        }
    } else if CIN_CHILD_PARTS.contains(&key.as_str()) {
        Place::Table {
            schema: CinChild::SCHEMA,
            merge: true,
        }
    } else if key.ends_with("last") {
        return Err(input_error(format!(
            "table {}: give the previous year's tables as a collection year of their own (a return of their own, with its year)",
            t.quoted()
        )));
    } else {
        return Err(input_error(format!(
            "unknown table {}; the tables are {}",
            t.quoted(),
            table_names()
        )));
    };
    if let Some(h) = hint {
        if h != place.family() {
            return Err(input_error(format!(
                "table {} is a table of the {} return, given with the {} tables",
                t.quoted(),
                place.family().as_str(),
                h.as_str()
            )));
        }
    }
    Ok(place)
}

fn read_one(r: &ReturnInput, strict: bool, out: &mut Vec<ReadReturn>) -> Result<(), Error> {
    let places = r
        .tables
        .iter()
        .map(|t| classify(t, r.kind))
        .collect::<Result<Vec<_>, _>>()?;
    let of = |kind: ReturnKind| -> Vec<(Place, &TableInput)> {
        places
            .iter()
            .zip(&r.tables)
            .filter(|(p, _)| p.family() == kind)
            .map(|(p, t)| (*p, t))
            .collect()
    };
    let (cin, ssda903) = (of(ReturnKind::Cin), of(ReturnKind::Ssda903));
    if r.kind == Some(ReturnKind::Cin) || !cin.is_empty() {
        out.push(ReadReturn::Cin(read_family(r.year, &cin, strict)?));
    }
    if r.kind == Some(ReturnKind::Ssda903) || !ssda903.is_empty() {
        out.push(ReadReturn::Ssda903(read_family(r.year, &ssda903, strict)?));
    }
    Ok(())
}

/// A return type, as reading tables needs it.
trait Family: Default {
    const KIND: ReturnKind;
    fn source_mut(&mut self) -> &mut ReturnSource;
    fn visit_rows(&mut self, v: &mut impl VisitRowsMut);
}

impl Family for CinReturn {
    const KIND: ReturnKind = ReturnKind::Cin;
    fn source_mut(&mut self) -> &mut ReturnSource {
        &mut self.source
    }
    fn visit_rows(&mut self, v: &mut impl VisitRowsMut) {
        self.visit_mut(v);
    }
}

impl Family for Ssda903Return {
    const KIND: ReturnKind = ReturnKind::Ssda903;
    fn source_mut(&mut self) -> &mut ReturnSource {
        &mut self.source
    }
    fn visit_rows(&mut self, v: &mut impl VisitRowsMut) {
        self.visit_mut(v);
    }
}

fn label(year: Option<i32>, name: &str) -> Arc<str> {
    match year {
        Some(y) => Arc::from(format!("{y}/{name}")),
        None => Arc::from(name),
    }
}

/// The CIN details of one return, for nested tables that name their episode by `CINdetailsID`:
/// (child, id) to the episode's referral date.
type Ids = HashMap<(CompactString, CompactString), Day>;

fn read_family<F: Family>(
    year: Option<i32>,
    tables: &[(Place, &TableInput)],
    strict: bool,
) -> Result<Read<F>, Error> {
    let labels: Vec<Arc<str>> = tables
        .iter()
        .map(|(_, t)| t.file.clone().unwrap_or_else(|| label(year, &t.name)))
        .collect();
    let mut files: Vec<FileReport> = tables
        .iter()
        .zip(&labels)
        .map(|((p, t), l)| FileReport {
            path: l.clone(),
            table: p.name().to_owned(),
            rows: t.num_rows(),
            skipped: 0,
        })
        .collect();
    let held: Vec<&str> = tables
        .iter()
        .filter_map(|(p, _)| match p {
            Place::Table { schema, .. } => Some(schema.name),
            Place::CinHeader => None,
        })
        .collect();
    let mut ret = F::default();
    let source = ret.source_mut();
    source.files.clone_from(&labels);
    source.collection_year = year;
    source.tables = Some(
        schema::tables(F::KIND)
            .filter(|s| held.contains(&s.name))
            .map(|s| CompactString::from(s.name))
            .collect(),
    );
    // Nested CIN tables may name their episode by an id that a CINdetails table has.
    let links = tables.iter().any(|(p, t)| {
        matches!(p, Place::Table { schema, .. } if is_details(schema))
            && position(&t.schema, CIN_DETAILS_ID).is_some()
    });
    // CINdetails first (nested tables find their episode in it), then the tables of their own
    // rows, then the split child tables that complete them.
    let mut order: Vec<usize> = (0..tables.len()).collect();
    order.sort_by_key(|&k| match tables[k].0 {
        Place::Table { schema, .. } if is_details(schema) => 0,
        Place::Table { merge: true, .. } => 2,
        _ => 1,
    });
    // Every table's columns are checked before any row is read.
    let mut plans = tables
        .iter()
        .map(|&(place, t)| match place {
            Place::Table { schema, .. } => Plan::new(schema, t, links).map(Some),
            Place::CinHeader => header_column(t).map(|_| None),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut issues = Vec::new();
    let mut rules = Rules::new(DateSyntax::Ssda903, strict, &mut issues);
    let mut ids = Ids::new();
    for k in order {
        let (place, t) = tables[k];
        if let (Place::Table { schema, merge }, Some(plan)) = (place, plans[k].take()) {
            let frame = Frame {
                schema,
                plan,
                input: t,
                label: &labels[k],
                file: u32::try_from(k).unwrap_or(u32::MAX),
                merge,
            };
            let mut visit = ReadTable {
                frame: &frame,
                rules: &mut rules,
                ids: &mut ids,
                outcome: None,
            };
            ret.visit_rows(&mut visit);
            files[k].skipped = visit.outcome.unwrap_or(Ok(0))?;
        } else {
            let day = reference_date(t, &labels[k])?;
            let source = ret.source_mut();
            source.reference_date = source.reference_date.or(day);
        }
    }
    Ok(Read { ret, issues, files })
}

fn missing(t: &TableInput, column: &str, or: &str) -> Error {
    let have: Vec<&str> = t
        .schema
        .fields()
        .iter()
        .map(|f| f.name().as_str())
        .collect();
    input_error(format!(
        "table {} has no column {column}{or} (its columns: {})",
        t.shown(),
        if have.is_empty() {
            "none".to_owned()
        } else {
            have.join(", ")
        }
    ))
}

/// Can column `p` of `t` hold what `want` needs: is its type one that does, or is every value of
/// it null in every batch (a blank column, whatever its type)?
fn check_column(t: &TableInput, p: usize, want: Want) -> Result<(), Error> {
    let col = t.schema.field(p);
    match check(col.data_type(), want) {
        Ok(()) => Ok(()),
        Err(_) if t.batches.iter().all(|b| all_null(b.column(p).as_ref())) => Ok(()),
        Err(is) => Err(wrong_type(t, col.name(), &is, want)),
    }
}

fn wrong_type(t: &TableInput, column: &str, is: &str, want: Want) -> Error {
    input_error(format!(
        "column {column} of table {} is {is}: expected {}",
        t.shown(),
        want.expected()
    ))
}

/// Do the batch's columns have the table's names and types?
fn same_columns(table: &Schema, batch: &Schema) -> bool {
    table.fields().len() == batch.fields().len()
        && table
            .fields()
            .iter()
            .zip(batch.fields())
            .all(|(a, b)| a.name() == b.name() && a.data_type() == b.data_type())
}

fn check_batch(t: &TableInput, n: usize, rb: &RecordBatch) -> Result<(), Error> {
    if same_columns(&t.schema, rb.schema_ref()) {
        Ok(())
    } else {
        Err(input_error(format!(
            "table {}: batch {} has other columns than the table's schema",
            t.shown(),
            n + 1
        )))
    }
}

fn line(row: usize) -> u32 {
    u32::try_from(row + 1).unwrap_or(u32::MAX)
}

/// The `ReferenceDate` column of a CIN census header, checked.
fn header_column(t: &TableInput) -> Result<usize, Error> {
    let p = position(&t.schema, REFERENCE_DATE).ok_or_else(|| missing(t, REFERENCE_DATE, ""))?;
    check_column(t, p, Want::Date)?;
    Ok(p)
}

/// The first non-blank `ReferenceDate` of a CIN census header.
fn reference_date(t: &TableInput, label: &Arc<str>) -> Result<Option<Day>, Error> {
    let p = header_column(t)?;
    let name = t.schema.field(p).name();
    let mut base = 0;
    for (n, rb) in t.batches.iter().enumerate() {
        check_batch(t, n, rb)?;
        let col = Column::new(rb.column(p).as_ref(), Want::Date)
            .map_err(|is| wrong_type(t, name, &is, Want::Date))?;
        for i in t.selected(base, rb.num_rows()).into_iter().flatten() {
            let cell = col.get(i, 0).unwrap_or(Cell::Null);
            let day = match cell {
                Cell::Null => continue,
                Cell::Day(d) => Some(d),
                Cell::Text(s) if trim(s).is_empty() => continue,
                Cell::Text(s) => DateSyntax::Ssda903.parse(trim(s)),
                Cell::Int(_) | Cell::Bool(_) => None,
            };
            if day.is_some() {
                return Ok(day);
            }
            let raw = cell.text();
            return Err(
                Error::new(
                    ErrorKind::InvalidDate,
                    format!("{REFERENCE_DATE} {raw:?} is not a date (YYYY-MM-DD or DD/MM/YYYY)"),
                )
                .at(Location::new(label.clone(), line(t.first_row + base + i))
                    .with_field(name, &raw)),
            );
        }
        base += rb.num_rows();
    }
    Ok(None)
}

/// Where a table's fields are among its columns.
struct Plan {
    /// The column of each field of the schema.
    cols: Vec<Option<usize>>,
    /// The `CINdetailsID` column: recorded for `CINdetails`, looked up for a nested table.
    id: Option<usize>,
    /// The parent-key field that the `CINdetailsID` link gives.
    join: Option<usize>,
}

impl Plan {
    /// Finds the fields' columns of `t`, read as `schema`, and checks them; `links`: a `CINdetails`
    /// table of the return has `CINdetailsID`.
    fn new(schema: &'static TableSchema, t: &TableInput, links: bool) -> Result<Plan, Error> {
        let mut best: Vec<Option<(u8, usize)>> = vec![None; schema.fields.len()];
        for (p, col) in t.schema.fields().iter().enumerate() {
            let Some(f) = schema.column(col.name()) else {
                continue;
            };
            let name = col.name().trim();
            let field = &schema.fields[f];
            let rank = if field.column == name {
                0
            } else if field.is_column(name) {
                1
            } else {
                2
            };
            if best[f].is_none_or(|(r, _)| rank < r) {
                best[f] = Some((rank, p));
            }
        }
        let cols: Vec<Option<usize>> = best.into_iter().map(|b| b.map(|(_, p)| p)).collect();
        let parent = schema
            .fields
            .iter()
            .position(|f| f.kind == FieldKind::ParentKey);
        let id = (is_details(schema) || parent.is_some())
            .then(|| position(&t.schema, CIN_DETAILS_ID))
            .flatten();
        let join = parent.filter(|&f| cols[f].is_none() && id.is_some() && links);
        for (f, field) in schema.fields.iter().enumerate() {
            match cols[f] {
                None if field.is_required() && join != Some(f) => {
                    let or = if field.kind == FieldKind::ParentKey {
                        format!(
                            ", nor a {CIN_DETAILS_ID} that a {} table of the return also has",
                            CinEpisode::SCHEMA.name
                        )
                    } else {
                        String::new()
                    };
                    return Err(missing(t, field.column, &or));
                }
                None => {}
                Some(p) => check_column(t, p, Want::of(field.kind))?,
            }
        }
        if let Some(p) = id {
            check_column(t, p, Want::Text)?;
        }
        Ok(Plan { cols, id, join })
    }
}

/// One table being read.
struct Frame<'x> {
    schema: &'static TableSchema,
    plan: Plan,
    input: &'x TableInput,
    label: &'x Arc<str>,
    file: u32,
    merge: bool,
}

/// A column of a batch with its name as the frame spells it.
struct Named<'a> {
    name: &'a str,
    col: Column<'a>,
}

impl Frame<'_> {
    fn column<'a>(&self, rb: &'a RecordBatch, p: usize, want: Want) -> Result<Named<'a>, Error> {
        let name = rb.schema_ref().field(p).name().as_str();
        let col = Column::new(rb.column(p).as_ref(), want)
            .map_err(|is| wrong_type(self.input, name, &is, want))?;
        Ok(Named { name, col })
    }
}

/// The visit that reads one table into its rows of the return.
struct ReadTable<'x, 'r> {
    frame: &'x Frame<'x>,
    rules: &'x mut Rules<'r>,
    ids: &'x mut Ids,
    /// The rows skipped, once the table is read.
    outcome: Option<Result<usize, Error>>,
}

impl VisitRowsMut for ReadTable<'_, '_> {
    fn rows<R: Record>(&mut self, rows: &mut Vec<R>) {
        let s = self.frame.schema;
        if s.family == R::SCHEMA.family && s.name == R::SCHEMA.name {
            self.outcome = Some(read_rows(self.frame, self.rules, self.ids, rows));
        }
    }
}

/// How a row of a nested table that names its episode by `CINdetailsID` gets it.
struct Link<'a> {
    /// The parent-key field.
    field: usize,
    /// The episode's referral date, or null when the id is blank.
    cell: Cell<'static>,
    /// The `CINdetailsID` column as the frame spells it.
    column: &'a str,
    /// Its value as it stood.
    raw: String,
}

/// One row of a batch, as the row rules read it.
struct ArrowRow<'r, 'a> {
    schema: &'static TableSchema,
    cols: &'r [Option<Named<'a>>],
    i: usize,
    label: &'r Arc<str>,
    line: u32,
    link: Option<Link<'r>>,
    /// The fields read as blank: codes given as a fraction ([`unreadable_codes`]).
    blank: Vec<usize>,
}

impl RowSource for ArrowRow<'_, '_> {
    fn value(&self, f: usize, k: usize) -> Option<Cell<'_>> {
        if let Some(l) = self.link.as_ref().filter(|l| l.field == f) {
            return (k == 0).then_some(l.cell);
        }
        if self.blank.contains(&f) {
            return (k == 0).then_some(Cell::Null);
        }
        self.cols.get(f)?.as_ref()?.col.get(self.i, k)
    }

    fn location(&self, at: Option<(usize, usize)>) -> Option<Location> {
        let loc = Location::new(self.label.clone(), self.line);
        Some(match at {
            None => loc,
            Some((f, _)) if self.link.as_ref().is_some_and(|l| l.field == f) => {
                let l = self.link.as_ref()?;
                loc.with_field(l.column, &l.raw)
            }
            at => csc_measures::rows::located(self, loc, at),
        })
    }

    fn unit(&self) -> Cow<'_, str> {
        Cow::Borrowed("row")
    }

    fn column(&self, f: usize) -> &str {
        if let Some(l) = self.link.as_ref().filter(|l| l.field == f) {
            return l.column;
        }
        match self.cols.get(f) {
            Some(Some(n)) => n.name,
            _ => self.schema.fields.get(f).map_or("", |x| x.column),
        }
    }
}

/// Reads every row of the frame's table into `rows` (or, for a split child table, into the
/// child's row); the number of rows skipped.
fn read_rows<R: Record>(
    frame: &Frame<'_>,
    rules: &mut Rules<'_>,
    ids: &mut Ids,
    rows: &mut Vec<R>,
) -> Result<usize, Error> {
    let table = R::SCHEMA;
    let mut index: HashMap<CompactString, usize> = HashMap::new();
    if frame.merge {
        for (k, r) in rows.iter().enumerate() {
            index.entry(r.child().into()).or_insert(k);
        }
    }
    let record_ids = is_details(table);
    if !frame.merge {
        rows.reserve(frame.input.num_rows());
    }
    let mut skipped = 0;
    let mut base = 0;
    for (n, rb) in frame.input.batches.iter().enumerate() {
        check_batch(frame.input, n, rb)?;
        let selected = frame.input.selected(base, rb.num_rows());
        if selected.is_empty() {
            base += rb.num_rows();
            continue;
        }
        let cols = table
            .fields
            .iter()
            .zip(&frame.plan.cols)
            .map(|(field, p)| {
                p.map(|p| frame.column(rb, p, Want::of(field.kind)))
                    .transpose()
            })
            .collect::<Result<Vec<_>, _>>()?;
        let id = frame
            .plan
            .id
            .map(|p| frame.column(rb, p, Want::Text))
            .transpose()?;
        // The code fields of float columns, which may hold fractions.
        let codes: Vec<usize> = table
            .fields
            .iter()
            .enumerate()
            .filter(|(f, field)| {
                matches!(field.kind, FieldKind::Code { .. })
                    && cols[*f]
                        .as_ref()
                        .is_some_and(|n| n.col.may_hold_fractions())
            })
            .map(|(f, _)| f)
            .collect();
        for i in selected.into_iter().flatten() {
            let line = line(frame.input.first_row + base + i);
            let id_raw = id
                .as_ref()
                .and_then(|c| c.col.get(i, 0))
                .map(|c| c.text().into_owned())
                .unwrap_or_default();
            let mut row = ArrowRow {
                schema: table,
                cols: &cols,
                i,
                label: frame.label,
                line,
                link: None,
                blank: Vec::new(),
            };
            if !codes.is_empty() {
                row.blank = unreadable_codes(&row, &codes, rules)?;
            }
            if let (Some(field), Some(id)) = (frame.plan.join, id.as_ref()) {
                match link(&row, field, id.name, &id_raw, ids) {
                    Ok(l) => row.link = Some(l),
                    Err(issue) => {
                        rules.report(*issue)?;
                        skipped += 1;
                        continue;
                    }
                }
            }
            let Some(rec) = rules.read::<R>(&row, RowOrigin::new(frame.file, line))? else {
                skipped += 1;
                continue;
            };
            let id = trim(&id_raw);
            if record_ids && !id.is_empty() {
                if let Some(key) = rec.key() {
                    ids.insert((rec.child().into(), id.into()), key);
                }
            }
            if frame.merge {
                if let Some(&k) = index.get(rec.child()) {
                    complete(&mut rows[k], &rec);
                } else {
                    index.insert(rec.child().into(), rows.len());
                    rows.push(rec);
                }
            } else {
                rows.push(rec);
            }
        }
        base += rb.num_rows();
    }
    Ok(skipped)
}

/// The code fields of `codes` whose value in `row` is a float that is not a whole number (`2.5`,
/// from a float column): no code reads as such, and its text may not be what the file held
/// (`1.10` is `1.1`), so each is reported (`unreadable_value`, naming the column and the value)
/// and read as blank.
fn unreadable_codes(
    row: &ArrowRow<'_, '_>,
    codes: &[usize],
    rules: &mut Rules<'_>,
) -> Result<Vec<usize>, Error> {
    let mut blank = Vec::new();
    for &f in codes {
        let Some(Some(n)) = row.cols.get(f) else {
            continue;
        };
        let Some(v) = n.col.fraction(row.i) else {
            continue;
        };
        let child = row
            .value(0, 0)
            .map(|c| trim(&c.text()).to_owned())
            .unwrap_or_default();
        let msg = format!(
            "{} {v:?} is not a code (a number with a fraction, from a float column); read as blank",
            n.name
        );
        let mut issue = Issue::new(IssueCode::UnreadableValue, msg).at(Some(
            Location::new(row.label.clone(), row.line).with_field(n.name, v),
        ));
        if !child.is_empty() {
            issue = issue.child(&child);
        }
        rules.report(issue)?;
        blank.push(f);
    }
    Ok(blank)
}

/// The `CINdetailsID` link of a row: its episode's referral date; an id that matches no
/// `CINdetails` row of the child is the entry that skips the row.
fn link<'a>(
    row: &ArrowRow<'_, '_>,
    field: usize,
    column: &'a str,
    raw: &str,
    ids: &Ids,
) -> Result<Link<'a>, Box<Issue>> {
    let child = row
        .value(0, 0)
        .map(|c| trim(&c.text()).to_owned())
        .unwrap_or_default();
    let id = trim(raw);
    let mut l = Link {
        field,
        cell: Cell::Null,
        column,
        raw: raw.to_owned(),
    };
    // A blank child or id: the row rules report it.
    if child.is_empty() || id.is_empty() {
        return Ok(l);
    }
    if let Some(&d) = ids.get(&(CompactString::from(child.as_str()), CompactString::from(id))) {
        l.cell = Cell::Day(d);
        return Ok(l);
    }
    let msg = format!(
        "{column} {id:?} matches no {} row of child {child} in this return; row skipped",
        CinEpisode::SCHEMA.name
    );
    Err(Box::new(
        Issue::new(IssueCode::MissingIdentifier, msg)
            .child(&child)
            .at(Some(
                Location::new(row.label.clone(), row.line).with_field(column, raw),
            )),
    ))
}

/// The owned value of a field.
fn owned(v: FieldRef<'_>) -> FieldValue {
    match v {
        FieldRef::Text(s) => FieldValue::Text(s.into()),
        FieldRef::Day(d) => FieldValue::Date(Some(d)),
        FieldRef::Date(d) => FieldValue::Date(d),
        FieldRef::Flag(b) => FieldValue::Flag(b),
        FieldRef::Count(n) => FieldValue::Count(n),
        FieldRef::Texts(t) => FieldValue::Texts(t.to_vec()),
        FieldRef::Days(d) => FieldValue::Days(d.to_vec()),
    }
}

/// Completes the child's row `row` with a row of a split child table: a blank field is filled,
/// codes and dates are added.
fn complete<R: Record>(row: &mut R, add: &R) {
    for i in 1..R::SCHEMA.fields.len() {
        let value = match (row.get(i), add.get(i)) {
            (FieldRef::Texts(a), FieldRef::Texts(b)) if !b.is_empty() => {
                Some(FieldValue::Texts(a.iter().chain(b).cloned().collect()))
            }
            (FieldRef::Days(a), FieldRef::Days(b)) if !b.is_empty() => {
                let mut v: Vec<Day> = a.iter().chain(b).copied().collect();
                v.sort_unstable();
                v.dedup();
                Some(FieldValue::Days(v))
            }
            (have, new) if have.is_blank() && !new.is_blank() => Some(owned(new)),
            _ => None,
        };
        if let Some(v) = value {
            row.set(i, v);
        }
    }
}
