//! Tables in, returns out: Arrow record batches with the returns' own column names become the
//! core's records ([`CinReturn`], [`Ssda903Return`]), and then a [`Dataset`].
//!
//! # Tables
//!
//! SSDA903: `Header`, `Episodes`, `AD1`, `PlacedAdoption`, and `Reviews`, `UASC`, `OC2`, `OC3`,
//! `PrevPerm`, `Missing`, `SWEpisodes` (kept as they stand, as the file readers keep them).
//! CIN census: `CINdetails`, `Assessments`, `Section47`, `ChildProtectionPlans`, and the child
//! tables `ChildIdentifiers` (or `Child`), `ChildCharacteristics` and `Disabilities`; a `Header`
//! without a `CHILD` column but with `ReferenceDate` is the census header. Table names match in
//! any case, without `_`, `-` or spaces. Column names are the returns' (`CHILD`, `DECOM`, ...;
//! `LAchildID`, `CINreferralDate`, ...), matched exactly first and then in any case; other columns
//! are ignored.
//!
//! Nested CIN records (assessments, section 47 enquiries, plans) name their episode by its
//! `CINreferralDate`, or by a `CINdetailsID` that the `CINdetails` table also has (the layout of
//! the sector's CIN validator).
//!
//! # Rows
//!
//! The readers' rules (spec section 2) hold for frames too: a row without a child identifier, an
//! episode without its start date, or a row with an unreadable record date is skipped and reported
//! (`missing_identifier`, `unreadable_date`); an unreadable child-level date (`DOB`,
//! `PersonBirthDate`, ...) is blanked; an unreadable boolean or count is unknown
//! (`unreadable_value`). Each entry is located at the table (its label, `2024/Episodes`, is the
//! "file"), the 1-based row (the "line": row `n` is `iloc[n - 1]`), the column and the value.
//! Strict mode stops at the first with an error carrying the same detail. A missing required
//! column, or a column of a type that cannot hold what it should, is an error in both modes.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;

use arrow_array::{Array, RecordBatch};
use arrow_schema::SchemaRef;
use compact_str::CompactString;
use csc_measures::quality::{Issue, IssueCode, Location};
use csc_measures::records::{
    Ad1, Assessment, CareEpisode, CinChild, CinEpisode, CinReturn, CpPlan, Header, OtherRow,
    PlacedAdoption, ReturnKind, ReturnSource, RowOrigin, Section47, Ssda903Return,
};
use csc_measures::{Dataset, DatasetBuilder, Day, Error, ErrorKind};
use csc_returns::ssda903::Table as SsdaTable;

use crate::column::{Counts, Dates, Flags, Items, Text, Unreadable, WrongType};

/// One table as the caller gave it: its name and its batches.
pub struct TableInput {
    /// The name the caller gave (`Episodes`, `CINdetails`, ...).
    pub name: String,
    /// The schema of the stream.
    pub schema: SchemaRef,
    /// Every batch of the stream.
    pub batches: Vec<RecordBatch>,
}

/// The tables of one collection year.
pub struct ReturnInput {
    /// CIN census or SSDA903 when the caller said which (`cin=`, `ssda903=`); `None` for a mixed
    /// set of tables, each placed by its name.
    pub kind: Option<ReturnKind>,
    /// The collection year, when given.
    pub year: Option<i32>,
    /// Its tables.
    pub tables: Vec<TableInput>,
}

/// Which record a table holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ssda(SsdaTable),
    CinHeader,
    CinDetails,
    Assessments,
    Section47,
    Plans,
    Children,
    Characteristics,
    Disabilities,
}

impl Kind {
    fn ret(self) -> ReturnKind {
        match self {
            Kind::Ssda(_) => ReturnKind::Ssda903,
            _ => ReturnKind::Cin,
        }
    }
}

const TABLE_NAMES: &str = "SSDA903: Header, Episodes, AD1, PlacedAdoption, Reviews, UASC, OC2, OC3, PrevPerm, Missing, SWEpisodes; \
     CIN census: CINdetails, Assessments, Section47, ChildProtectionPlans, ChildIdentifiers, ChildCharacteristics, Disabilities, Header";

fn input_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidInput, message)
}

/// The column of `schema` called `name`: exactly, else in any case.
fn position(schema: &SchemaRef, name: &str) -> Option<usize> {
    let fields = schema.fields();
    fields.iter().position(|f| f.name() == name).or_else(|| {
        fields
            .iter()
            .position(|f| f.name().trim().eq_ignore_ascii_case(name))
    })
}

fn classify(t: &TableInput, hint: Option<ReturnKind>) -> Result<Kind, Error> {
    let key: String = t
        .name
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect();
    let kind = match key.as_str() {
        "header" => {
            if position(&t.schema, "CHILD").is_none()
                && (hint == Some(ReturnKind::Cin) || position(&t.schema, "ReferenceDate").is_some())
            {
                Kind::CinHeader
            } else {
                Kind::Ssda(SsdaTable::Header)
            }
        }
        "episodes" => Kind::Ssda(SsdaTable::Episodes),
        "placedforadoption" => Kind::Ssda(SsdaTable::PlacedAdoption),
        "previouspermanence" => Kind::Ssda(SsdaTable::PrevPerm),
        "cindetails" => Kind::CinDetails,
        "assessments" => Kind::Assessments,
        "section47" | "section47s" => Kind::Section47,
        "childprotectionplans" | "cpplans" => Kind::Plans,
        "childidentifiers" | "child" | "children" => Kind::Children,
        "childcharacteristics" => Kind::Characteristics,
        "disabilities" => Kind::Disabilities,
        _ => match SsdaTable::from_name(&key) {
            Some(s) => Kind::Ssda(s),
            None if key.ends_with("last") => {
                return Err(input_error(format!(
                    "table {:?}: give the previous year's tables as a collection year of their own, as in from_frames({{2023: {{...}}, 2024: {{...}}}})",
                    t.name
                )));
            }
            None => {
                return Err(input_error(format!(
                    "unknown table {:?}; the tables are {TABLE_NAMES}",
                    t.name
                )));
            }
        },
    };
    if let Some(h) = hint {
        if h != kind.ret() {
            return Err(input_error(format!(
                "table {:?} is a table of the {} return, given with the {} tables",
                t.name,
                kind.ret().as_str(),
                h.as_str()
            )));
        }
    }
    Ok(kind)
}

/// Where problems go, and whether the first one stops the load.
struct Ctx<'a> {
    strict: bool,
    issues: &'a mut Vec<Issue>,
}

impl Ctx<'_> {
    fn problem(&mut self, issue: Issue) -> Result<(), Error> {
        if self.strict {
            return Err(strict_error(&issue));
        }
        self.issues.push(issue);
        Ok(())
    }
}

/// The error strict mode stops with: the issue's code, child, record and message, at its location.
fn strict_error(issue: &Issue) -> Error {
    let mut msg = format!("[{}]", issue.code);
    if let Some(child) = &issue.child {
        let _ = write!(msg, " child {child}");
    }
    if let Some(record) = issue.record {
        let _ = write!(msg, " record {record}");
    }
    let _ = write!(msg, ": {} (strict mode stops here)", issue.message);
    let err = Error::new(ErrorKind::DataQuality, msg);
    match &issue.location {
        Some(loc) => err.at(loc.clone()),
        None => err,
    }
}

/// One batch of one table, with what its rows' locations need.
struct Batch<'a> {
    table: &'a str,
    label: &'a Arc<str>,
    file: u32,
    /// Rows in the batches before this one.
    base: usize,
    rb: &'a RecordBatch,
}

impl<'a> Batch<'a> {
    fn column(&self, name: &str) -> Option<&'a dyn Array> {
        position(&self.rb.schema(), name).map(|p| self.rb.column(p).as_ref())
    }

    fn wrong(&self, name: &str, what: &str, e: &WrongType) -> Error {
        input_error(format!(
            "column {name} of table {} is {}: expected {what}",
            self.table, e.0
        ))
    }

    fn text(&self, name: &str) -> Result<Text<'a>, Error> {
        self.column(name).map_or(Ok(Text::Null), |a| {
            Text::new(a).map_err(|e| self.wrong(name, "text", &e))
        })
    }

    /// The first of `names` the batch has, as text.
    fn text_any(&self, names: &[&str]) -> Result<Text<'a>, Error> {
        for n in names {
            if self.column(n).is_some() {
                return self.text(n);
            }
        }
        Ok(Text::Null)
    }

    fn dates(&self, name: &str) -> Result<Dates<'a>, Error> {
        self.column(name).map_or(Ok(Dates::Null), |a| {
            Dates::new(a).map_err(|e| {
                self.wrong(
                    name,
                    "dates, timestamps, or text as YYYY-MM-DD or DD/MM/YYYY",
                    &e,
                )
            })
        })
    }

    fn flags(&self, name: &str) -> Result<Option<Flags<'a>>, Error> {
        self.column(name)
            .map(|a| Flags::new(a).map_err(|e| self.wrong(name, "booleans", &e)))
            .transpose()
    }

    fn counts(&self, name: &str) -> Result<Option<Counts<'a>>, Error> {
        self.column(name)
            .map(|a| Counts::new(a).map_err(|e| self.wrong(name, "whole numbers", &e)))
            .transpose()
    }

    fn items(&self, name: &str) -> Result<Option<Items<'a>>, Error> {
        self.column(name)
            .map(|a| Items::new(a).map_err(|e| self.wrong(name, "a list or separated text", &e)))
            .transpose()
    }

    fn line(&self, i: usize) -> u32 {
        u32::try_from(self.base + i + 1).unwrap_or(u32::MAX)
    }

    fn origin(&self, i: usize) -> RowOrigin {
        RowOrigin::new(self.file, self.line(i))
    }

    fn location(&self, i: usize, column: &str, value: &str) -> Location {
        Location::new(self.label.clone(), self.line(i)).with_field(column, value)
    }
}

/// Reads the child identifier of row `i`; a blank one is reported and the row skipped (`None`).
fn child_id(
    b: &Batch<'_>,
    t: &Text<'_>,
    col: &str,
    i: usize,
    ctx: &mut Ctx<'_>,
) -> Result<Option<CompactString>, Error> {
    if let Some(c) = t.get(i) {
        return Ok(Some(CompactString::from(c)));
    }
    let msg = format!(
        "{col} is blank: a {} row needs a child identifier; row skipped",
        b.table
    );
    ctx.problem(Issue::new(IssueCode::MissingIdentifier, msg).at(Some(b.location(i, col, ""))))?;
    Ok(None)
}

/// Row-level dates of row `i`, in the order of `cols`; the first unreadable one is reported and
/// the row skipped (`None`).
fn row_dates<const N: usize>(
    b: &Batch<'_>,
    cols: [(&str, &Dates<'_>); N],
    i: usize,
    child: &str,
    ctx: &mut Ctx<'_>,
) -> Result<Option<[Option<Day>; N]>, Error> {
    let mut out = [None; N];
    for (slot, (name, d)) in out.iter_mut().zip(cols) {
        match d.get(i) {
            Ok(v) => *slot = v,
            Err(Unreadable(v)) => {
                let msg =
                    format!("{name} {v:?} is not a date (YYYY-MM-DD or DD/MM/YYYY); row skipped");
                let issue = Issue::new(IssueCode::UnreadableDate, msg)
                    .child(child)
                    .at(Some(b.location(i, name, &v)));
                ctx.problem(issue)?;
                return Ok(None);
            }
        }
    }
    Ok(Some(out))
}

/// A child-level date of row `i`: an unreadable one is reported and blanked.
fn child_date(
    b: &Batch<'_>,
    name: &str,
    d: &Dates<'_>,
    i: usize,
    child: &str,
    ctx: &mut Ctx<'_>,
) -> Result<Option<Day>, Error> {
    match d.get(i) {
        Ok(v) => Ok(v),
        Err(Unreadable(v)) => {
            let msg = format!("{name} {v:?} is not a date; blanked, row kept");
            let issue = Issue::new(IssueCode::UnreadableDate, msg)
                .child(child)
                .at(Some(b.location(i, name, &v)));
            ctx.problem(issue)?;
            Ok(None)
        }
    }
}

/// A blank required date: reported, and the row skipped.
fn blank_required(
    b: &Batch<'_>,
    name: &str,
    what: &str,
    i: usize,
    child: &str,
    ctx: &mut Ctx<'_>,
) -> Result<(), Error> {
    let msg = format!("{name} is blank: {what}; row skipped");
    let issue = Issue::new(IssueCode::MissingIdentifier, msg)
        .child(child)
        .at(Some(b.location(i, name, "")));
    ctx.problem(issue)
}

/// A boolean or count field that could not be read: unknown, with an `unreadable_value` entry.
fn unreadable_value<T>(
    b: &Batch<'_>,
    name: &str,
    got: Result<Option<T>, Unreadable>,
    i: usize,
    child: &str,
    record: Option<Day>,
    ctx: &mut Ctx<'_>,
) -> Result<Option<T>, Error> {
    match got {
        Ok(v) => Ok(v),
        Err(Unreadable(v)) => {
            let msg = format!("{name} {v:?} could not be read; treated as unknown");
            let issue = Issue::new(IssueCode::UnreadableValue, msg)
                .child(child)
                .record(record)
                .at(Some(b.location(i, name, &v)));
            ctx.problem(issue)?;
            Ok(None)
        }
    }
}

/// Checks that `schema` has every column of `required`.
fn require(table: &TableInput, required: &[&str]) -> Result<(), Error> {
    for col in required {
        if position(&table.schema, col).is_none() {
            let have: Vec<&str> = table
                .schema
                .fields()
                .iter()
                .map(|f| f.name().as_str())
                .collect();
            return Err(input_error(format!(
                "table {} has no column {col} (its columns: {})",
                table.name,
                if have.is_empty() {
                    "none".to_owned()
                } else {
                    have.join(", ")
                }
            )));
        }
    }
    Ok(())
}

/// Calls `f` with each batch of `t`.
fn for_batches<'a>(
    t: &'a TableInput,
    label: &'a Arc<str>,
    file: u32,
    mut f: impl FnMut(&Batch<'a>) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut base = 0;
    for rb in &t.batches {
        let b = Batch {
            table: &t.name,
            label,
            file,
            base,
            rb,
        };
        f(&b)?;
        base += rb.num_rows();
    }
    Ok(())
}

fn label(year: Option<i32>, name: &str) -> Arc<str> {
    match year {
        Some(y) => Arc::from(format!("{y}/{name}")),
        None => Arc::from(name),
    }
}

/// Converts every return and builds the dataset (spec section 2), lenient unless `strict`.
pub fn build(returns: Vec<ReturnInput>, strict: bool) -> Result<Dataset, Error> {
    let mut builder = DatasetBuilder::new().strict(strict);
    let mut issues = Vec::new();
    for r in returns {
        let mut ctx = Ctx {
            strict,
            issues: &mut issues,
        };
        let mut cin_tables = Vec::new();
        let mut ssda_tables = Vec::new();
        for t in &r.tables {
            let kind = classify(t, r.kind)?;
            match kind.ret() {
                ReturnKind::Cin => cin_tables.push((kind, t)),
                ReturnKind::Ssda903 => ssda_tables.push((kind, t)),
            }
        }
        if r.kind == Some(ReturnKind::Cin) || !cin_tables.is_empty() {
            builder.add_cin(cin_return(r.year, &cin_tables, &mut ctx)?);
        }
        if r.kind == Some(ReturnKind::Ssda903) || !ssda_tables.is_empty() {
            builder.add_ssda903(ssda_return(r.year, &ssda_tables, &mut ctx)?);
        }
    }
    builder.add_issues(issues);
    builder.build()
}

fn source(year: Option<i32>, tables: &[(Kind, &TableInput)]) -> ReturnSource {
    ReturnSource {
        files: tables.iter().map(|(_, t)| label(year, &t.name)).collect(),
        collection_year: year,
        reference_date: None,
    }
}

#[allow(clippy::too_many_lines)] // one arm per SSDA903 table, field by field
fn ssda_return(
    year: Option<i32>,
    tables: &[(Kind, &TableInput)],
    ctx: &mut Ctx<'_>,
) -> Result<Ssda903Return, Error> {
    let mut ret = Ssda903Return {
        source: source(year, tables),
        ..Ssda903Return::default()
    };
    let labels = ret.source.files.clone();
    for (file, ((kind, t), label)) in tables.iter().zip(&labels).enumerate() {
        let Kind::Ssda(table) = *kind else { continue };
        let file = file as u32;
        match table {
            SsdaTable::Header => {
                require(t, &["CHILD"])?;
                for_batches(t, label, file, |b| {
                    let child = b.text("CHILD")?;
                    let (sex, ethnic, upn, mother) = (
                        b.text("SEX")?,
                        b.text("ETHNIC")?,
                        b.text("UPN")?,
                        b.text("MOTHER")?,
                    );
                    let (dob, mc_dob) = (b.dates("DOB")?, b.dates("MC_DOB")?);
                    for i in 0..b.rb.num_rows() {
                        let Some(c) = child_id(b, &child, "CHILD", i, ctx)? else {
                            continue;
                        };
                        let dob = child_date(b, "DOB", &dob, i, &c, ctx)?;
                        let mc_dob = child_date(b, "MC_DOB", &mc_dob, i, &c, ctx)?;
                        ret.headers.push(Header {
                            child: c,
                            sex: sex.compact(i),
                            dob,
                            ethnic: ethnic.compact(i),
                            upn: upn.compact(i),
                            mother: mother.compact(i),
                            mc_dob,
                            origin: b.origin(i),
                        });
                    }
                    Ok(())
                })?;
            }
            SsdaTable::Episodes => {
                require(t, &["CHILD", "DECOM"])?;
                ret.episodes
                    .reserve(t.batches.iter().map(RecordBatch::num_rows).sum());
                for_batches(t, label, file, |b| {
                    let child = b.text("CHILD")?;
                    let (decom, dec) = (b.dates("DECOM")?, b.dates("DEC")?);
                    let cols = [
                        b.text("RNE")?,
                        b.text("LS")?,
                        b.text("CIN")?,
                        b.text("PLACE")?,
                        b.text("PLACE_PROVIDER")?,
                        b.text("REC")?,
                        b.text("REASON_PLACE_CHANGE")?,
                        b.text("HOME_POST")?,
                        b.text("PL_POST")?,
                        b.text("URN")?,
                    ];
                    for i in 0..b.rb.num_rows() {
                        let Some(c) = child_id(b, &child, "CHILD", i, ctx)? else {
                            continue;
                        };
                        let Some([start, end]) =
                            row_dates(b, [("DECOM", &decom), ("DEC", &dec)], i, &c, ctx)?
                        else {
                            continue;
                        };
                        let Some(start) = start else {
                            blank_required(
                                b,
                                "DECOM",
                                "a care episode needs its start date",
                                i,
                                &c,
                                ctx,
                            )?;
                            continue;
                        };
                        let [rne, ls, cin, place, provider, rec, reason, home, pl, urn] = &cols;
                        ret.episodes.push(CareEpisode {
                            child: c,
                            decom: start,
                            rne: rne.compact(i),
                            ls: ls.compact(i),
                            cin: cin.compact(i),
                            place: place.compact(i),
                            place_provider: provider.compact(i),
                            dec: end,
                            rec: rec.compact(i),
                            reason_place_change: reason.compact(i),
                            home_post: home.compact(i),
                            pl_post: pl.compact(i),
                            urn: urn.compact(i),
                            origin: b.origin(i),
                        });
                    }
                    Ok(())
                })?;
            }
            SsdaTable::Ad1 => {
                require(t, &["CHILD"])?;
                for_batches(t, label, file, |b| {
                    let child = b.text("CHILD")?;
                    let (dob, int, matched) = (
                        b.dates("DOB")?,
                        b.dates("DATE_INT")?,
                        b.dates("DATE_MATCH")?,
                    );
                    let cols = [
                        b.text("FOSTER_CARE")?,
                        b.text("NB_ADOPTR")?,
                        b.text("SEX_ADOPTR")?,
                        b.text("LS_ADOPTR")?,
                    ];
                    for i in 0..b.rb.num_rows() {
                        let Some(c) = child_id(b, &child, "CHILD", i, ctx)? else {
                            continue;
                        };
                        let Some([date_int, date_match]) = row_dates(
                            b,
                            [("DATE_INT", &int), ("DATE_MATCH", &matched)],
                            i,
                            &c,
                            ctx,
                        )?
                        else {
                            continue;
                        };
                        let dob = child_date(b, "DOB", &dob, i, &c, ctx)?;
                        let [foster, nb, sex, ls] = &cols;
                        ret.ad1.push(Ad1 {
                            child: c,
                            dob,
                            date_int,
                            date_match,
                            foster_care: foster.compact(i),
                            nb_adoptr: nb.compact(i),
                            sex_adoptr: sex.compact(i),
                            ls_adoptr: ls.compact(i),
                            origin: b.origin(i),
                        });
                    }
                    Ok(())
                })?;
            }
            SsdaTable::PlacedAdoption => {
                require(t, &["CHILD"])?;
                for_batches(t, label, file, |b| {
                    let child = b.text("CHILD")?;
                    let (dob, placed, ceased) = (
                        b.dates("DOB")?,
                        b.dates("DATE_PLACED")?,
                        b.dates("DATE_PLACED_CEASED")?,
                    );
                    let reason = b.text("REASON_PLACED_CEASED")?;
                    for i in 0..b.rb.num_rows() {
                        let Some(c) = child_id(b, &child, "CHILD", i, ctx)? else {
                            continue;
                        };
                        let Some([date_placed, date_placed_ceased]) = row_dates(
                            b,
                            [("DATE_PLACED", &placed), ("DATE_PLACED_CEASED", &ceased)],
                            i,
                            &c,
                            ctx,
                        )?
                        else {
                            continue;
                        };
                        let dob = child_date(b, "DOB", &dob, i, &c, ctx)?;
                        ret.placed_adoption.push(PlacedAdoption {
                            child: c,
                            dob,
                            date_placed,
                            date_placed_ceased,
                            reason_placed_ceased: reason.compact(i),
                            origin: b.origin(i),
                        });
                    }
                    Ok(())
                })?;
            }
            other => {
                require(t, &["CHILD"])?;
                for_batches(t, label, file, |b| {
                    let names: Vec<CompactString> =
                        b.rb.schema()
                            .fields()
                            .iter()
                            .map(|f| official_name(other, f.name()))
                            .collect();
                    let cols: Vec<Text<'_>> = (0..b.rb.num_columns())
                        .map(|p| {
                            Text::new(b.rb.column(p).as_ref())
                                .map_err(|e| b.wrong(&names[p], "text or dates", &e))
                        })
                        .collect::<Result<_, _>>()?;
                    let child = b.text("CHILD")?;
                    for i in 0..b.rb.num_rows() {
                        ret.other.push(OtherRow {
                            table: other.name().into(),
                            child: child.compact(i),
                            fields: names
                                .iter()
                                .zip(&cols)
                                .map(|(n, c)| (n.clone(), c.get(i).unwrap_or_default().to_owned()))
                                .collect(),
                            origin: b.origin(i),
                        });
                    }
                    Ok(())
                })?;
            }
        }
    }
    Ok(ret)
}

/// The official spelling of `name` when it is one of `table`'s columns, else `name` as given.
fn official_name(table: SsdaTable, name: &str) -> CompactString {
    table
        .columns()
        .iter()
        .find(|c| c.eq_ignore_ascii_case(name.trim()))
        .map_or_else(
            || CompactString::from(name.trim()),
            |c| CompactString::from(*c),
        )
}

/// The CIN details of one return, for nested tables that name their episode by `CINdetailsID`.
type DetailsIds = HashMap<(CompactString, CompactString), Day>;

#[allow(clippy::too_many_lines)] // one arm per CIN table, field by field
fn cin_return(
    year: Option<i32>,
    tables: &[(Kind, &TableInput)],
    ctx: &mut Ctx<'_>,
) -> Result<CinReturn, Error> {
    let mut ret = CinReturn {
        source: source(year, tables),
        ..CinReturn::default()
    };
    let labels = ret.source.files.clone();
    let mut ids: DetailsIds = HashMap::new();
    let mut children: HashMap<CompactString, usize> = HashMap::new();
    // CINdetails first, so that nested tables can find their episode by CINdetailsID.
    let mut order: Vec<usize> = (0..tables.len()).collect();
    order.sort_by_key(|&k| tables[k].0 != Kind::CinDetails);
    for k in order {
        let (kind, t) = tables[k];
        let label = &labels[k];
        let file = k as u32;
        match kind {
            Kind::CinHeader => {
                require(t, &["ReferenceDate"])?;
                for_batches(t, label, file, |b| {
                    let d = b.dates("ReferenceDate")?;
                    for i in 0..b.rb.num_rows() {
                        match d.get(i) {
                            Ok(Some(day)) if ret.source.reference_date.is_none() => {
                                ret.source.reference_date = Some(day);
                            }
                            Ok(_) => {}
                            Err(Unreadable(v)) => {
                                return Err(Error::new(
                                    ErrorKind::InvalidDate,
                                    format!("ReferenceDate {v:?} is not a date"),
                                )
                                .at(b.location(
                                    i,
                                    "ReferenceDate",
                                    &v,
                                )));
                            }
                        }
                    }
                    Ok(())
                })?;
            }
            Kind::CinDetails => {
                require(t, &["LAchildID", "CINreferralDate"])?;
                for_batches(t, label, file, |b| {
                    let child = b.text("LAchildID")?;
                    let (referral, closure, icpc) = (
                        b.dates("CINreferralDate")?,
                        b.dates("CINclosureDate")?,
                        b.dates("DateOfInitialCPC")?,
                    );
                    let cols = [
                        b.text("ReferralSource")?,
                        b.text("PrimaryNeedCode")?,
                        b.text("ReasonForClosure")?,
                    ];
                    let nfa = b.flags("ReferralNFA")?;
                    let id = b.text("CINdetailsID")?;
                    for i in 0..b.rb.num_rows() {
                        let Some(c) = child_id(b, &child, "LAchildID", i, ctx)? else {
                            continue;
                        };
                        let Some([start, closure_date, icpc_date]) = row_dates(
                            b,
                            [
                                ("CINreferralDate", &referral),
                                ("CINclosureDate", &closure),
                                ("DateOfInitialCPC", &icpc),
                            ],
                            i,
                            &c,
                            ctx,
                        )?
                        else {
                            continue;
                        };
                        let Some(start) = start else {
                            blank_required(
                                b,
                                "CINreferralDate",
                                "a CIN episode needs its referral date",
                                i,
                                &c,
                                ctx,
                            )?;
                            continue;
                        };
                        let referral_nfa = match &nfa {
                            Some(f) => unreadable_value(
                                b,
                                "ReferralNFA",
                                f.get(i),
                                i,
                                &c,
                                Some(start),
                                ctx,
                            )?,
                            None => None,
                        };
                        if let Some(id) = id.get(i) {
                            ids.insert((c.clone(), CompactString::from(id)), start);
                        }
                        let [source, need, reason] = &cols;
                        ret.episodes.push(CinEpisode {
                            child: c,
                            referral_date: start,
                            referral_source: source.compact(i),
                            primary_need: need.compact(i),
                            closure_date,
                            reason_for_closure: reason.compact(i),
                            referral_nfa,
                            initial_cpc_date: icpc_date,
                            origin: b.origin(i),
                        });
                    }
                    Ok(())
                })?;
            }
            Kind::Assessments => {
                let ep = Episode::require(t, &ids)?;
                for_batches(t, label, file, |b| {
                    let child = b.text("LAchildID")?;
                    let (start, review, auth) = (
                        b.dates("AssessmentActualStartDate")?,
                        b.dates("AssessmentInternalReviewDate")?,
                        b.dates("AssessmentAuthorisationDate")?,
                    );
                    let factors = b.items("AssessmentFactors")?;
                    let link = ep.columns(b)?;
                    for i in 0..b.rb.num_rows() {
                        let Some(c) = child_id(b, &child, "LAchildID", i, ctx)? else {
                            continue;
                        };
                        let Some(episode) = link.get(b, i, &c, &ids, ctx)? else {
                            continue;
                        };
                        let Some([start_date, internal_review_date, authorisation_date]) =
                            row_dates(
                                b,
                                [
                                    ("AssessmentActualStartDate", &start),
                                    ("AssessmentInternalReviewDate", &review),
                                    ("AssessmentAuthorisationDate", &auth),
                                ],
                                i,
                                &c,
                                ctx,
                            )?
                        else {
                            continue;
                        };
                        ret.assessments.push(Assessment {
                            child: c,
                            episode_referral_date: episode,
                            start_date,
                            internal_review_date,
                            authorisation_date,
                            factors: factors.as_ref().map(|f| f.codes(i)).unwrap_or_default(),
                            origin: b.origin(i),
                        });
                    }
                    Ok(())
                })?;
            }
            Kind::Section47 => {
                let ep = Episode::require(t, &ids)?;
                for_batches(t, label, file, |b| {
                    let child = b.text("LAchildID")?;
                    let (start, target, icpc) = (
                        b.dates("S47ActualStartDate")?,
                        b.dates("InitialCPCtarget")?,
                        b.dates("DateOfInitialCPC")?,
                    );
                    let not_required = b.flags("ICPCnotRequired")?;
                    let link = ep.columns(b)?;
                    for i in 0..b.rb.num_rows() {
                        let Some(c) = child_id(b, &child, "LAchildID", i, ctx)? else {
                            continue;
                        };
                        let Some(episode) = link.get(b, i, &c, &ids, ctx)? else {
                            continue;
                        };
                        let Some([start_date, icpc_target_date, icpc_date]) = row_dates(
                            b,
                            [
                                ("S47ActualStartDate", &start),
                                ("InitialCPCtarget", &target),
                                ("DateOfInitialCPC", &icpc),
                            ],
                            i,
                            &c,
                            ctx,
                        )?
                        else {
                            continue;
                        };
                        let icpc_not_required = match &not_required {
                            Some(f) => unreadable_value(
                                b,
                                "ICPCnotRequired",
                                f.get(i),
                                i,
                                &c,
                                start_date,
                                ctx,
                            )?,
                            None => None,
                        };
                        ret.section47s.push(Section47 {
                            child: c,
                            episode_referral_date: episode,
                            start_date,
                            icpc_target_date,
                            icpc_date,
                            icpc_not_required,
                            origin: b.origin(i),
                        });
                    }
                    Ok(())
                })?;
            }
            Kind::Plans => {
                let ep = Episode::require(t, &ids)?;
                for_batches(t, label, file, |b| {
                    let child = b.text("LAchildID")?;
                    let (start, end) = (b.dates("CPPstartDate")?, b.dates("CPPendDate")?);
                    let (initial, latest) = (
                        b.text("InitialCategoryOfAbuse")?,
                        b.text("LatestCategoryOfAbuse")?,
                    );
                    let previous = b.counts("NumberOfPreviousCPP")?;
                    let reviews = b.items("CPPreviewDate")?;
                    let link = ep.columns(b)?;
                    for i in 0..b.rb.num_rows() {
                        let Some(c) = child_id(b, &child, "LAchildID", i, ctx)? else {
                            continue;
                        };
                        let Some(episode) = link.get(b, i, &c, &ids, ctx)? else {
                            continue;
                        };
                        let Some([start_date, end_date]) = row_dates(
                            b,
                            [("CPPstartDate", &start), ("CPPendDate", &end)],
                            i,
                            &c,
                            ctx,
                        )?
                        else {
                            continue;
                        };
                        let previous_plans = match &previous {
                            Some(p) => unreadable_value(
                                b,
                                "NumberOfPreviousCPP",
                                p.get(i),
                                i,
                                &c,
                                start_date,
                                ctx,
                            )?,
                            None => None,
                        };
                        let review_dates = match &reviews {
                            Some(r) => match r.dates(i) {
                                Ok(d) => d,
                                Err(Unreadable(v)) => {
                                    let msg = format!(
                                        "CPPreviewDate {v:?} is not a date; review dates of the plan dropped, plan kept"
                                    );
                                    ctx.problem(
                                        Issue::new(IssueCode::UnreadableDate, msg)
                                            .child(&c)
                                            .record(start_date)
                                            .at(Some(b.location(i, "CPPreviewDate", &v))),
                                    )?;
                                    Vec::new()
                                }
                            },
                            None => Vec::new(),
                        };
                        ret.plans.push(CpPlan {
                            child: c,
                            episode_referral_date: episode,
                            start_date,
                            end_date,
                            initial_category: initial.compact(i),
                            latest_category: latest.compact(i),
                            previous_plans,
                            review_dates,
                            origin: b.origin(i),
                        });
                    }
                    Ok(())
                })?;
            }
            Kind::Children | Kind::Characteristics | Kind::Disabilities => {
                require(t, &["LAchildID"])?;
                for_batches(t, label, file, |b| {
                    let child = b.text("LAchildID")?;
                    let upn = b.text("UPN")?;
                    let sex = b.text_any(&["Sex", "GenderCurrent"])?;
                    let ethnicity = b.text("Ethnicity")?;
                    let disability = b.items("Disability")?;
                    let (birth, expected, death) = (
                        b.dates("PersonBirthDate")?,
                        b.dates("ExpectedPersonBirthDate")?,
                        b.dates("PersonDeathDate")?,
                    );
                    for i in 0..b.rb.num_rows() {
                        let Some(c) = child_id(b, &child, "LAchildID", i, ctx)? else {
                            continue;
                        };
                        let birth_date = child_date(b, "PersonBirthDate", &birth, i, &c, ctx)?;
                        let expected_birth_date =
                            child_date(b, "ExpectedPersonBirthDate", &expected, i, &c, ctx)?;
                        let death_date = child_date(b, "PersonDeathDate", &death, i, &c, ctx)?;
                        let codes = disability.as_ref().map(|d| d.codes(i)).unwrap_or_default();
                        let k = if kind == Kind::Children {
                            children.entry(c.clone()).or_insert(ret.children.len());
                            ret.children.push(CinChild {
                                child: c.clone(),
                                origin: b.origin(i),
                                ..CinChild::default()
                            });
                            ret.children.len() - 1
                        } else {
                            *children.entry(c.clone()).or_insert_with(|| {
                                ret.children.push(CinChild {
                                    child: c.clone(),
                                    origin: b.origin(i),
                                    ..CinChild::default()
                                });
                                ret.children.len() - 1
                            })
                        };
                        let row = &mut ret.children[k];
                        let fill = |slot: &mut CompactString, t: &Text<'_>| {
                            if let Some(v) = t.get(i) {
                                *slot = v.into();
                            }
                        };
                        fill(&mut row.upn, &upn);
                        fill(&mut row.sex, &sex);
                        fill(&mut row.ethnicity, &ethnicity);
                        row.birth_date = row.birth_date.or(birth_date);
                        row.expected_birth_date = row.expected_birth_date.or(expected_birth_date);
                        row.death_date = row.death_date.or(death_date);
                        row.disabilities.extend(codes);
                    }
                    Ok(())
                })?;
            }
            Kind::Ssda(_) => {}
        }
    }
    Ok(ret)
}

/// How a nested CIN table names its episode.
enum Episode {
    /// By the episode's `CINreferralDate` column.
    ReferralDate,
    /// By `CINdetailsID`, looked up in the return's `CINdetails` table.
    DetailsId,
}

/// The per-batch columns of an [`Episode`] link.
enum EpisodeColumns<'a> {
    ReferralDate(Dates<'a>),
    DetailsId(Text<'a>),
}

impl Episode {
    fn require(t: &TableInput, ids: &DetailsIds) -> Result<Episode, Error> {
        require(t, &["LAchildID"])?;
        if position(&t.schema, "CINreferralDate").is_some() {
            return Ok(Episode::ReferralDate);
        }
        if position(&t.schema, "CINdetailsID").is_some() && !ids.is_empty() {
            return Ok(Episode::DetailsId);
        }
        require(t, &["CINreferralDate"]).map(|()| Episode::ReferralDate)
    }

    fn columns<'a>(&self, b: &Batch<'a>) -> Result<EpisodeColumns<'a>, Error> {
        Ok(match self {
            Episode::ReferralDate => EpisodeColumns::ReferralDate(b.dates("CINreferralDate")?),
            Episode::DetailsId => EpisodeColumns::DetailsId(b.text("CINdetailsID")?),
        })
    }
}

impl EpisodeColumns<'_> {
    /// The episode's referral date for row `i`; `None` (reported) when the row cannot say.
    fn get(
        &self,
        b: &Batch<'_>,
        i: usize,
        child: &CompactString,
        ids: &DetailsIds,
        ctx: &mut Ctx<'_>,
    ) -> Result<Option<Day>, Error> {
        match self {
            EpisodeColumns::ReferralDate(d) => {
                let Some([day]) = row_dates(b, [("CINreferralDate", d)], i, child, ctx)? else {
                    return Ok(None);
                };
                if day.is_none() {
                    blank_required(
                        b,
                        "CINreferralDate",
                        "a nested record needs its CIN episode's referral date",
                        i,
                        child,
                        ctx,
                    )?;
                }
                Ok(day)
            }
            EpisodeColumns::DetailsId(t) => {
                let id = t.get(i).unwrap_or_default();
                let found = ids.get(&(child.clone(), CompactString::from(id))).copied();
                if found.is_none() {
                    let msg = format!(
                        "CINdetailsID {id:?} of child {child} matches no CINdetails row of this return; row skipped"
                    );
                    ctx.problem(
                        Issue::new(IssueCode::MissingIdentifier, msg)
                            .child(child)
                            .at(Some(b.location(i, "CINdetailsID", id))),
                    )?;
                }
                Ok(found)
            }
        }
    }
}
