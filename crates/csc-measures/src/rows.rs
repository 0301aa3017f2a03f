//! The row rules of spec section 2, once for every format.
//!
//! A format (SSDA903 CSV, SSDA903 XML, CIN census XML, Arrow tables, the C builder) finds a row and
//! hands it over as a [`RowSource`]: for each field of the table's [schema](crate::schema), the
//! value or values it found ([`Cell`]s: text as it stood, or a date, number or boolean a typed
//! input already holds), where each stands, and what is skipped when the row is unusable. [`Rules`]
//! turns it into a record by the field kinds of the schema, or skips it, reporting every problem as
//! the same data-quality entry whatever the format:
//!
//! 1. a blank or absent child identifier: the row is skipped (`missing_identifier`);
//! 2. a blank required date: skipped (`missing_identifier` for `DECOM` and `CINreferralDate`,
//!    `missing_key_date` for the key dates of spec 2.3);
//! 3. an unreadable date of the row: skipped (`unreadable_date`; the entry is located at the first
//!    and names the others);
//! 4. an unreadable child-level date: blanked, the row kept (`unreadable_date`);
//! 5. a table whose rows exist only when some fields are given (OC2, OC3): all of them blank, the
//!    row is skipped (`blank_row`);
//! 6. a flag that is not one of its words, or a score out of range: unknown (`unknown_code`); a
//!    count that is not a whole number: unknown (`unreadable_value`); a blank or unreadable date in a
//!    set of dates: that date is dropped (`missing_key_date`, `unreadable_date`);
//! 7. a single-valued field given twice with another value: the first is kept
//!    (`unreadable_value`).
//!
//! Only the first reason a row is unusable is reported. Text is trimmed; codes are normalised later,
//! by the [`crate::DatasetBuilder`], for rows of every origin. Strict mode stops at the first entry
//! whose code [stops strict mode](crate::quality::IssueCode::stops_strict), with
//! [`Issue::strict_error`].
//!
//! ```
//! use std::borrow::Cow;
//! use csc_measures::quality::{IssueCode, Location};
//! use csc_measures::records::{CareEpisode, RowOrigin};
//! use csc_measures::rows::{Cell, DateSyntax, RowSource, Rules};
//! use csc_measures::schema::Record;
//!
//! /// A row given as (column, text) pairs.
//! struct Pairs(&'static [(&'static str, &'static str)]);
//! impl RowSource for Pairs {
//!     fn value(&self, f: usize, k: usize) -> Option<Cell<'_>> {
//!         let col = CareEpisode::SCHEMA.fields[f].column;
//!         self.0.iter().filter(|(c, _)| *c == col).nth(k).map(|(_, v)| Cell::Text(v))
//!     }
//!     fn location(&self, _at: Option<(usize, usize)>) -> Option<Location> { None }
//!     fn unit(&self) -> Cow<'_, str> { Cow::Borrowed("row") }
//!     fn column(&self, f: usize) -> &str { CareEpisode::SCHEMA.fields[f].column }
//! }
//!
//! let mut issues = Vec::new();
//! let mut rules = Rules::new(DateSyntax::Ssda903, false, &mut issues);
//! let row = Pairs(&[("CHILD", " 007 "), ("DECOM", "01/04/2023"), ("PLACE", "u1")]);
//! let e: CareEpisode = rules.read(&row, RowOrigin::default())?.unwrap();
//! assert_eq!((e.child.as_str(), e.decom.to_string(), e.place.as_str()), ("007", "2023-04-01".into(), "u1"));
//! let bad = Pairs(&[("CHILD", "007"), ("DECOM", "31/02/2023")]);
//! assert!(rules.read::<CareEpisode>(&bad, RowOrigin::default())?.is_none());
//! assert_eq!(issues[0].code, IssueCode::UnreadableDate);
//! # Ok::<(), csc_measures::Error>(())
//! ```

use std::borrow::Cow;
use std::fmt::Write as _;

use compact_str::CompactString;

use crate::day::{Day, parse_dmy, parse_ymd};
use crate::error::Error;
use crate::quality::{Echo, Issue, IssueCode, Location};
use crate::records::RowOrigin;
use crate::schema::{DateRole, FieldKind, FieldValue, FlagSyntax, IfBlank, Record, TableSchema};

/// How to read a return.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Stop at the first problem with an error, instead of skipping and reporting.
    pub strict: bool,
    /// The collection year, when the caller knows it (it wins over `ReferenceDate` and the data).
    pub collection_year: Option<i32>,
}

/// What one file (or one table of a frame, or one table of an XML file) held.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileReport {
    /// The path as given (for a frame, its label: `2024/Episodes`).
    pub path: std::sync::Arc<str>,
    /// The table it was recognised as (a schema name: `Header`, `Episodes`, ..., or `CIN census`).
    pub table: String,
    /// Rows (or XML records) read, usable or not.
    pub rows: usize,
    /// Rows skipped as unusable.
    pub skipped: usize,
}

impl FileReport {
    /// The `all_rows_skipped` entry of a table that had rows and kept none (a warning: strict
    /// mode has already stopped at its first row), naming the table, the file, the first reason a
    /// row was skipped and where; `None` when a row was kept, or there were none. `issues` are
    /// the entries of the read; the first reason is the first skipped entry in this file (for a
    /// file holding several tables, such as the SSDA903 XML, one whose element path names the
    /// table's element).
    ///
    /// ```
    /// use csc_measures::quality::{Issue, IssueCode, Location};
    /// use csc_measures::rows::FileReport;
    /// let report = FileReport { path: "eps.csv".into(), table: "Episodes".into(), rows: 2, skipped: 2 };
    /// let why = Issue::new(IssueCode::UnreadableDate, "DECOM \"2023.04.01\" is not a date")
    ///     .at(Some(Location::new("eps.csv".into(), 2).with_field("DECOM", "2023.04.01")));
    /// let e = report.all_skipped(&[why]).unwrap();
    /// assert_eq!(e.code, IssueCode::AllRowsSkipped);
    /// assert!(e.message.starts_with("every one of the 2 Episodes rows of eps.csv was skipped"));
    /// assert_eq!(e.location.unwrap().line, Some(2));
    /// ```
    #[must_use]
    pub fn all_skipped(&self, issues: &[Issue]) -> Option<Issue> {
        if self.rows == 0 || self.skipped < self.rows {
            return None;
        }
        let element =
            crate::schema::table_named(Some(crate::records::ReturnKind::Ssda903), &self.table)
                .and_then(|t| match t.xml {
                    crate::schema::XmlPlace::Element { element, .. } => Some(element),
                    crate::schema::XmlPlace::Flat { parent } => Some(parent),
                    crate::schema::XmlPlace::None => None,
                });
        let first = issues.iter().find(|i| {
            let Some(l) = &i.location else { return false };
            i.code.severity() == crate::quality::Severity::Skipped
                && l.file.as_deref() == Some(&*self.path)
                && l.path
                    .as_deref()
                    .is_none_or(|p| element.is_none_or(|e| p.contains(&format!("/{e}"))))
        });
        let reason = first.map_or_else(String::new, |i| {
            let at = i
                .location
                .as_ref()
                .map_or_else(String::new, |l| format!(" ({l})"));
            format!("; the first reason{at}: [{}] {}", i.code, i.message)
        });
        let msg = format!(
            "every one of the {} {} rows of {} was skipped, so the table loads nothing{reason}",
            self.rows, self.table, self.path
        );
        let mut loc = first.and_then(|i| i.location.clone()).unwrap_or_default();
        loc.file = Some(self.path.clone());
        Some(Issue::new(IssueCode::AllRowsSkipped, msg).at(Some(loc)))
    }
}

/// A return read from an input, with the load report of that read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Read<R> {
    /// The records.
    pub ret: R,
    /// Every skipped, repaired or doubtful row.
    pub issues: Vec<Issue>,
    /// What each file held.
    pub files: Vec<FileReport>,
}

/// One value of a row, as a format hands it over.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cell<'a> {
    /// Given, but null (an Arrow null, a C NULL string): blank.
    Null,
    /// Text as it stood in the input; the rules trim it.
    Text(&'a str),
    /// A date that a typed input already holds (Arrow `date32`, a C day number).
    Day(Day),
    /// A whole number that a typed input already holds.
    Int(i64),
    /// A boolean that a typed input already holds.
    Bool(bool),
}

impl Cell<'_> {
    /// The value as text, for messages and text fields (`Null` is blank).
    #[must_use]
    pub fn text(&self) -> Cow<'_, str> {
        match *self {
            Cell::Null => Cow::Borrowed(""),
            Cell::Text(s) => Cow::Borrowed(s),
            Cell::Day(d) => Cow::Owned(d.to_string()),
            Cell::Int(n) => Cow::Owned(n.to_string()),
            Cell::Bool(b) => Cow::Borrowed(if b { "true" } else { "false" }),
        }
    }

    fn is_blank(&self) -> bool {
        match self {
            Cell::Null => true,
            Cell::Text(s) => trim(s).is_empty(),
            _ => false,
        }
    }
}

/// How a format writes dates as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateSyntax {
    /// SSDA903: `D/M/YYYY`, or `YYYY-M-D` (spec 2: a four-digit year first is unambiguous).
    Ssda903,
    /// CIN census: `YYYY-M-D`.
    Cin,
}

impl DateSyntax {
    /// Parses a trimmed, non-blank date.
    #[must_use]
    pub fn parse(self, s: &str) -> Option<Day> {
        match self {
            DateSyntax::Cin => parse_ymd(s),
            DateSyntax::Ssda903 => parse_dmy(s).or_else(|| parse_ymd(s)),
        }
    }

    /// The forms it takes, for messages.
    #[must_use]
    pub const fn forms(self) -> &'static str {
        match self {
            DateSyntax::Cin => "YYYY-MM-DD",
            DateSyntax::Ssda903 => "DD/MM/YYYY or YYYY-MM-DD",
        }
    }
}

/// A row as a format found it.
pub trait RowSource {
    /// The `k`-th value given for field `f` (an index into the table's schema fields): 0 is the
    /// first; a repeated XML element or a list gives more. `None` when there is no `k`-th value
    /// (a field the row does not give at all has none).
    fn value(&self, f: usize, k: usize) -> Option<Cell<'_>>;
    /// Where the row is (`None`), or where the `k`-th value of field `f` is, with the column as the
    /// format names it and the value as it stood. A field the row does not give at all is still
    /// named (its column), without a value.
    fn location(&self, at: Option<(usize, usize)>) -> Option<Location>;
    /// What is skipped when the row is unusable, for messages: `row`, `EPISODE element`, ...
    fn unit(&self) -> Cow<'_, str>;
    /// The name the format gives field `f` (`CHILDID` for `CHILD` in the SSDA903 XML).
    fn column(&self, f: usize) -> &str;
}

/// The usual [`RowSource::location`] of a row found at `loc`: with the column and the value of
/// `at` when it names one.
pub fn located<S: RowSource + ?Sized>(
    src: &S,
    loc: Location,
    at: Option<(usize, usize)>,
) -> Location {
    match at {
        Some((f, k)) => {
            let v = src
                .value(f, k)
                .map(|c| c.text().into_owned())
                .unwrap_or_default();
            loc.with_field(src.column(f), &v)
        }
        None => loc,
    }
}

/// Trims surrounding whitespace: ASCII first (fast), then Unicode when a non-ASCII character is
/// left at either end.
#[must_use]
pub fn trim(s: &str) -> &str {
    // Printable ASCII at both ends (the usual case): nothing to trim.
    if let (Some(&a), Some(&z)) = (s.as_bytes().first(), s.as_bytes().last()) {
        if (0x21..0x80).contains(&a) && (0x21..0x80).contains(&z) {
            return s;
        }
    }
    let t = s.trim_ascii();
    let b = t.as_bytes();
    if b.first().is_some_and(|&c| c >= 0x80) || b.last().is_some_and(|&c| c >= 0x80) {
        t.trim()
    } else {
        t
    }
}

/// Where entries go, and whether the first problem stops the read.
pub struct Rules<'a> {
    dates: DateSyntax,
    strict: bool,
    issues: &'a mut Vec<Issue>,
    end: Option<ReturnEnd>,
    /// For each way of writing a date (`DD/MM/YYYY`, `YYYY-MM-DD`), how many dates were written so
    /// and where the first stood.
    forms: std::cell::RefCell<[(usize, Option<Location>); 2]>,
}

/// The last day a return's records may carry, and what makes it so, for `date_after_return_end`.
///
/// ```
/// use csc_measures::rows::ReturnEnd;
/// let end = ReturnEnd::cin(Some(2023), "2022-07-21".parse().ok()).unwrap();
/// assert_eq!(end.day.to_string(), "2022-07-21");
/// assert_eq!(end.what, "the census's ReferenceDate 2022-07-21");
/// let end = ReturnEnd::cin(Some(2022), "2022-03-31".parse().ok()).unwrap();
/// assert_eq!(end.what, "31 March 2022, the end of the return's collection year (and its ReferenceDate)");
/// assert!(ReturnEnd::cin(None, None).is_none());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReturnEnd {
    /// The last day.
    pub day: Day,
    /// What it is, for messages.
    pub what: String,
}

impl ReturnEnd {
    /// The end of a CIN census: the 31 March that ends its collection year, or its `ReferenceDate`
    /// when that is earlier (a census cannot hold what happened after the day it was taken). `None`
    /// when neither is known.
    #[must_use]
    pub fn cin(collection_year: Option<i32>, reference_date: Option<Day>) -> Option<ReturnEnd> {
        let march = collection_year.and_then(|y| Day::from_ymd(y, 3, 31).ok());
        match (march, reference_date) {
            (Some(m), Some(r)) if r < m => Some(ReturnEnd {
                day: r,
                what: format!("the census's ReferenceDate {r}"),
            }),
            (Some(m), r) => Some(ReturnEnd {
                day: m,
                what: format!(
                    "31 March {}, the end of the return's collection year{}",
                    m.year(),
                    if r == Some(m) {
                        " (and its ReferenceDate)"
                    } else {
                        ""
                    }
                ),
            }),
            (None, Some(r)) => Some(ReturnEnd {
                day: r,
                what: format!("the census's ReferenceDate {r}"),
            }),
            (None, None) => None,
        }
    }
}

/// A date cell read: the date (`Ok(None)` when blank, `Err(())` when unreadable), and the way it
/// was written when that is counted (see [`Rules::read_date`]).
type DateRead = (Result<Option<Day>, ()>, Option<usize>);

/// A field's reading: its value, or why the row cannot be used.
enum Reading {
    Value(FieldValue),
    Unusable(Box<Issue>),
}

impl<'a> Rules<'a> {
    /// Rules reading dates as `dates`, reporting into `issues`, stopping at the first problem when
    /// `strict`.
    pub fn new(dates: DateSyntax, strict: bool, issues: &'a mut Vec<Issue>) -> Rules<'a> {
        Rules {
            dates,
            strict,
            issues,
            end: None,
            forms: std::cell::RefCell::new([(0, None), (0, None)]),
        }
    }

    /// The same rules, reporting every date of a kept record after `end` (`date_after_return_end`,
    /// a warning: the record is kept). Child-level dates are judged too, but not
    /// `ExpectedPersonBirthDate` and `InitialCPCtarget`, which are rightly in the future.
    #[must_use]
    pub fn with_end(mut self, end: Option<ReturnEnd>) -> Rules<'a> {
        self.end = end;
        self
    }

    /// One `mixed_date_formats` entry when the dates read so far were written both as
    /// `DD/MM/YYYY` and as `YYYY-MM-DD` (SSDA903 only: the CIN census has one form), located at
    /// the first date of the less used form. Both are read as written (neither is ambiguous).
    #[must_use]
    pub fn mixed_date_forms(&self) -> Option<Issue> {
        let forms = self.forms.borrow();
        let [(dmy, dmy_at), (ymd, ymd_at)] = &*forms;
        if *dmy == 0 || *ymd == 0 {
            return None;
        }
        let first = |at: &Option<Location>| {
            at.as_ref().map_or_else(String::new, |l| {
                let line = l.line.map_or_else(String::new, |n| format!(" on line {n}"));
                format!(
                    " (first{line}: {} {:?})",
                    l.column.as_deref().unwrap_or_default(),
                    l.value.as_deref().unwrap_or_default()
                )
            })
        };
        let msg = format!(
            "dates are written two ways in this file: {dmy} as DD/MM/YYYY{} and {ymd} as \
             YYYY-MM-DD{}; both are read as written, but a file exported by one system writes \
             one form: check whether it was put together from two sources",
            first(dmy_at),
            first(ymd_at)
        );
        let at = if ymd < dmy { ymd_at } else { dmy_at };
        Some(Issue::new(IssueCode::MixedDateFormats, msg).at(at.clone()))
    }

    /// Counts the way a date read from text was written (`form`, from [`Rules::read_date`]: SSDA903
    /// text only).
    fn note_form<S: RowSource>(&self, form: Option<usize>, src: &S, at: (usize, usize)) {
        let Some(form) = form else {
            return;
        };
        let mut forms = self.forms.borrow_mut();
        let slot = &mut forms[form];
        slot.0 += 1;
        if slot.1.is_none() {
            slot.1 = src.location(Some(at));
        }
    }

    /// The date syntax in force.
    #[must_use]
    pub fn dates(&self) -> DateSyntax {
        self.dates
    }

    /// Reports an entry: strict mode stops at one whose code stops it, with
    /// [`Issue::strict_error`].
    pub fn report(&mut self, issue: Issue) -> Result<(), Error> {
        if self.strict && issue.code.stops_strict() {
            return Err(issue.strict_error());
        }
        self.issues.push(issue);
        Ok(())
    }

    /// The entries reported so far.
    #[must_use]
    pub fn issues(&self) -> &[Issue] {
        self.issues
    }

    /// Applies the rules to one row of `R`'s table: the record, or `None` when the row is unusable
    /// (already reported). `origin` is stored in the record.
    pub fn read<R: Record>(
        &mut self,
        src: &impl RowSource,
        origin: RowOrigin,
    ) -> Result<Option<R>, Error> {
        let mut rec = R::default();
        if !self.read_into(R::SCHEMA, src, &mut |f, v| rec.set(f, v))? {
            return Ok(None);
        }
        self.check_dates(&rec, src)?;
        rec.set_origin(origin);
        Ok(Some(rec))
    }

    /// The date checks of a kept record, warnings only (the record stays as it is):
    ///
    /// * `reversed_dates` (CIN census records): its end date (the one whose absence leaves it
    ///   open: `CINclosureDate`, `AssessmentAuthorisationDate`, `CPPendDate`, `CINPlanEndDate`)
    ///   before its key date. (A conference before its section 47 enquiry is not an interval of
    ///   one record: the conference measure excludes it as `icpc_before_s47`.) SSDA903 care
    ///   episodes are left to the merge, which drops them (`reversed_interval`).
    /// * `date_after_return_end`: a date after the return's end, when [`Rules::with_end`] gave
    ///   one; one entry per record, at its first such date, naming the others.
    fn check_dates<R: Record>(&mut self, rec: &R, src: &impl RowSource) -> Result<(), Error> {
        let table = R::SCHEMA;
        let interval = if table.family == crate::records::ReturnKind::Cin {
            table.key.zip(table.end)
        } else {
            None
        };
        if let Some((k, e)) = interval {
            if let (Some(start), Some(end)) = (rec.get(k).day(), rec.get(e).day()) {
                if end < start {
                    self.report(reversed(rec, src, (k, start), (e, end)))?;
                }
            }
        }
        let Some(end) = &self.end else {
            return Ok(());
        };
        let mut after: Vec<(usize, usize, Day)> = Vec::new();
        for (f, field) in table.fields.iter().enumerate() {
            // Dates that are rightly in the future: an expected birth, a target.
            if matches!(field.column, "ExpectedPersonBirthDate" | "InitialCPCtarget")
                || field.kind == FieldKind::ParentKey
            {
                continue;
            }
            match rec.get(f) {
                crate::schema::FieldRef::Day(d) | crate::schema::FieldRef::Date(Some(d))
                    if d > end.day =>
                {
                    after.push((f, 0, d));
                }
                crate::schema::FieldRef::Days(days) => {
                    if let Some(d) = days.iter().copied().filter(|&d| d > end.day).max() {
                        // The value's place among those given, for its location.
                        let mut k = 0;
                        while let Some(c) = src.value(f, k) {
                            if self.as_date(&c) == Ok(Some(d)) {
                                break;
                            }
                            k += 1;
                        }
                        after.push((f, k, d));
                    }
                }
                _ => {}
            }
        }
        if let Some(&(f, k, d)) = after.first() {
            let mut msg = format!("{} {d} is after {}", src.column(f), end.what);
            let record = rec.key();
            let others: Vec<String> = after[1..]
                .iter()
                .map(|&(g, _, d)| format!("{} {d}", src.column(g)))
                .collect();
            if !others.is_empty() {
                let _ = write!(msg, "; so is {}", others.join(", "));
            }
            msg.push_str(": a date the return cannot yet hold; kept as it stands");
            let issue = Issue::new(IssueCode::DateAfterReturnEnd, msg)
                .child(rec.child())
                .record(record)
                .at(src.location(Some((f, k))));
            self.report(issue)?;
        }
        Ok(())
    }

    /// [`Rules::read`] for any table: hands each field's value to `set` (field 0 is the child), and
    /// says whether the row is kept. One copy per kind of source, not per table: the records only
    /// differ in where the values go.
    fn read_into<S: RowSource>(
        &mut self,
        table: &'static TableSchema,
        src: &S,
        set: &mut dyn FnMut(usize, FieldValue),
    ) -> Result<bool, Error> {
        let Some(child) = self.child(table, src)? else {
            return Ok(false);
        };
        // The key date, read once: for the entries, and as the key field's value.
        let key = table
            .key
            .and_then(|k| src.value(k, 0).map(|c| (k, self.read_date(&c))));
        let record = key.and_then(|(_, (d, _))| d.ok().flatten());
        let issue = |code: IssueCode, msg: String, at: Option<(usize, usize)>| {
            Issue::new(code, msg)
                .child(&child)
                .record(record)
                .at(src.location(at))
        };
        // Fields that make a row unusable first (required dates, then the row's dates), so that an
        // unusable row reports only why it is unusable.
        let mut unusable: Vec<(Issue, usize)> = Vec::new();
        let mut kept: Vec<Issue> = Vec::new();
        for (f, field) in table.fields.iter().enumerate().skip(1) {
            let read = key.filter(|&(k, _)| k == f).map(|(_, d)| d);
            match self.field(table, f, src, read, &issue, &mut kept) {
                Reading::Value(v) => set(f, v),
                Reading::Unusable(i) => {
                    let i = *i;
                    let blank = matches!(
                        field.kind,
                        FieldKind::Date(DateRole::Required(_)) | FieldKind::ParentKey
                    ) && src.value(f, 0).is_none_or(|c| c.is_blank());
                    unusable.push((i, usize::from(!blank)));
                }
            }
        }
        if !unusable.is_empty() {
            self.report_unusable(unusable)?;
            return Ok(false);
        }
        // Judged on the values as given: an unknown flag or an unreadable score is not blank.
        let given = |f: usize| src.value(f, 0).is_some_and(|c| !c.is_blank());
        if table.has_exists_rule() && !table.exists_fields().any(given) {
            let names: Vec<&str> = table.exists_fields().map(|f| src.column(f)).collect();
            let msg = format!(
                "{} are all blank: the {} row records nothing; {} skipped",
                names.join(", "),
                table.name,
                src.unit()
            );
            self.report(issue(IssueCode::BlankRow, msg, None))?;
            return Ok(false);
        }
        for i in kept {
            self.report(i)?;
        }
        // The child last: the entries above borrow it.
        set(0, FieldValue::Text(child));
        Ok(true)
    }

    /// Reports why a row is unusable: a blank required date outranks an unreadable date; among
    /// unreadable dates, the first is reported and names the others.
    #[cold]
    fn report_unusable(&mut self, mut unusable: Vec<(Issue, usize)>) -> Result<(), Error> {
        unusable.sort_by_key(|&(_, rank)| rank);
        let rank = unusable[0].1;
        let mut it = unusable.into_iter();
        let Some((mut first, _)) = it.next() else {
            return Ok(());
        };
        let others: Vec<String> = it
            .filter(|(_, r)| *r == rank)
            .filter_map(|(i, _)| {
                let loc = i.location?;
                Some(format!(
                    "{} {:?}",
                    loc.column.as_deref().unwrap_or_default(),
                    loc.value.as_deref().unwrap_or_default()
                ))
            })
            .collect();
        if !others.is_empty() {
            let _ = write!(first.message, "; also unreadable: {}", others.join(", "));
        }
        self.report(first)
    }

    /// The trimmed child identifier, or `None` when it is blank (reported).
    fn child(
        &mut self,
        table: &TableSchema,
        src: &impl RowSource,
    ) -> Result<Option<CompactString>, Error> {
        let cell = src.value(0, 0);
        let text = cell.as_ref().map(Cell::text).unwrap_or_default();
        let id = trim(&text);
        if !id.is_empty() {
            return Ok(Some(CompactString::from(id)));
        }
        let how = if cell.is_some() { "blank" } else { "absent" };
        let msg = format!(
            "{} is {how}: every {} row needs a child identifier; {} skipped",
            src.column(0),
            table.name,
            src.unit()
        );
        self.report(Issue::new(IssueCode::MissingIdentifier, msg).at(src.location(Some((0, 0)))))?;
        Ok(None)
    }

    /// A date cell: `Ok(None)` when blank, `Err(())` when unreadable.
    fn as_date(&self, c: &Cell<'_>) -> Result<Option<Day>, ()> {
        self.read_date(c).0
    }

    /// [`Rules::as_date`], with the way a date read from SSDA903 text was written: 0 for
    /// `DD/MM/YYYY` (it holds a `/`), 1 for `YYYY-MM-DD` (it holds none).
    fn read_date(&self, c: &Cell<'_>) -> DateRead {
        match *c {
            Cell::Null => (Ok(None), None),
            Cell::Day(d) => (Ok(Some(d)), None),
            Cell::Text(s) => {
                let t = trim(s);
                if t.is_empty() {
                    return (Ok(None), None);
                }
                match self.dates {
                    DateSyntax::Cin => (parse_ymd(t).map(Some).ok_or(()), None),
                    DateSyntax::Ssda903 => match parse_dmy(t) {
                        Some(d) => (Ok(Some(d)), Some(0)),
                        None => match parse_ymd(t) {
                            Some(d) => (Ok(Some(d)), Some(1)),
                            None => (Err(()), None),
                        },
                    },
                }
            }
            Cell::Int(_) | Cell::Bool(_) => (Err(()), None),
        }
    }

    /// The old reading of a date cell, kept for comparison.
    #[cfg(test)]
    fn as_date_before(&self, c: &Cell<'_>) -> Result<Option<Day>, ()> {
        match *c {
            Cell::Null => Ok(None),
            Cell::Day(d) => Ok(Some(d)),
            Cell::Text(s) => {
                let t = trim(s);
                if t.is_empty() {
                    Ok(None)
                } else {
                    self.dates.parse(t).map(Some).ok_or(())
                }
            }
            Cell::Int(_) | Cell::Bool(_) => Err(()),
        }
    }

    /// Reads field `f`; problems of a kept row go to `kept`. `read` is its first value read as a
    /// date, when that is already done (the key date).
    fn field(
        &self,
        table: &TableSchema,
        f: usize,
        src: &impl RowSource,
        read: Option<DateRead>,
        issue: &impl Fn(IssueCode, String, Option<(usize, usize)>) -> Issue,
        kept: &mut Vec<Issue>,
    ) -> Reading {
        let field = &table.fields[f];
        // The column, for messages only.
        let col = || src.column(f);
        let first = src.value(f, 0);
        // A single-valued field given more than once keeps the first value.
        let single = !matches!(field.kind, FieldKind::Codes(_) | FieldKind::Dates);
        if single {
            let mut k = 1;
            while let Some(again) = src.value(f, k) {
                let same = first.as_ref().is_some_and(|c| same_value(c, &again));
                if !same {
                    let msg = msg::given_again(col(), &again);
                    kept.push(issue(IssueCode::UnreadableValue, msg, Some((f, k))));
                }
                k += 1;
            }
        }
        let cell = first.unwrap_or(Cell::Null);
        // The value as text: for text fields and messages only.
        let raw = || cell.text();
        let at = Some((f, 0));
        match field.kind {
            FieldKind::Child | FieldKind::Text | FieldKind::Code { .. } | FieldKind::Postcode => {
                let text = match cell {
                    Cell::Text(t) => CompactString::from(trim(t)),
                    _ => CompactString::from(trim(&raw())),
                };
                Reading::Value(FieldValue::Text(text))
            }
            FieldKind::ParentKey => match read.map_or_else(|| self.as_date(&cell), |r| r.0) {
                Ok(Some(d)) => Reading::Value(FieldValue::Date(Some(d))),
                Ok(None) => Reading::Unusable(Box::new(issue(
                    IssueCode::MissingIdentifier,
                    msg::blank_parent(col(), &src.unit()),
                    at,
                ))),
                Err(()) => Reading::Unusable(Box::new(issue(
                    IssueCode::UnreadableDate,
                    msg::not_a_date(col(), &raw(), self.dates, false, &src.unit()),
                    at,
                ))),
            },
            FieldKind::Date(role) => {
                let (date, form) = read.unwrap_or_else(|| self.read_date(&cell));
                match (date, role) {
                    (Ok(Some(d)), _) => {
                        self.note_form(form, src, (f, 0));
                        Reading::Value(FieldValue::Date(Some(d)))
                    }
                    (Ok(None), DateRole::Required(blank)) => {
                        let code = match blank {
                            IfBlank::MissingIdentifier => IssueCode::MissingIdentifier,
                            IfBlank::MissingKeyDate => IssueCode::MissingKeyDate,
                        };
                        let msg = msg::blank_required(col(), first.is_some(), table, &src.unit());
                        Reading::Unusable(Box::new(issue(code, msg, Some((f, 0)))))
                    }
                    (Ok(None), _) => Reading::Value(FieldValue::Date(None)),
                    (Err(()), DateRole::Child) => {
                        let msg = msg::not_a_date(col(), &raw(), self.dates, true, &src.unit());
                        kept.push(issue(IssueCode::UnreadableDate, msg, at));
                        Reading::Value(FieldValue::Date(None))
                    }
                    (Err(()), _) => Reading::Unusable(Box::new(issue(
                        IssueCode::UnreadableDate,
                        msg::not_a_date(col(), &raw(), self.dates, false, &src.unit()),
                        at,
                    ))),
                }
            }
            FieldKind::Flag(syntax) => Reading::Value(FieldValue::Flag(flag_value(
                cell,
                syntax,
                col(),
                kept,
                &|c, m| issue(c, m, at),
            ))),
            FieldKind::Count | FieldKind::Score(_) => Reading::Value(FieldValue::Count(
                count_value(cell, field.kind, col(), kept, &|c, m| issue(c, m, at)),
            )),
            FieldKind::Codes(_) => Reading::Value(FieldValue::Texts(codes_of(src, f))),
            FieldKind::Dates => {
                Reading::Value(FieldValue::Days(self.dates_of(src, f, issue, kept)))
            }
        }
    }

    /// Every date given for a set of dates, distinct and ascending; a blank or unreadable one is
    /// dropped (reported).
    fn dates_of(
        &self,
        src: &impl RowSource,
        f: usize,
        issue: &impl Fn(IssueCode, String, Option<(usize, usize)>) -> Issue,
        kept: &mut Vec<Issue>,
    ) -> Vec<Day> {
        let col = src.column(f);
        let mut out: Vec<Day> = Vec::new();
        let mut k = 0;
        while let Some(c) = src.value(f, k) {
            let (date, form) = self.read_date(&c);
            match date {
                Ok(Some(d)) => {
                    self.note_form(form, src, (f, k));
                    out.push(d);
                }
                Ok(None) => {
                    let msg = format!("{col} is blank: no date; {} kept", src.unit());
                    kept.push(issue(IssueCode::MissingKeyDate, msg, Some((f, k))));
                }
                Err(()) => {
                    let msg = format!(
                        "{col} {:?} is not a date ({}): this date is dropped, {} kept",
                        Echo(&c.text()),
                        self.dates.forms(),
                        src.unit()
                    );
                    kept.push(issue(IssueCode::UnreadableDate, msg, Some((f, k))));
                }
            }
            k += 1;
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The `reversed_dates` entry of a record whose field `e` (`end`) is before its field `k`
/// (`start`).
#[cold]
fn reversed<R: Record>(
    rec: &R,
    src: &impl RowSource,
    (k, start): (usize, Day),
    (e, end): (usize, Day),
) -> Issue {
    let msg = format!(
        "{} {end} is before {} {start}: the {} ends before it starts; kept as it stands (the \
         measures exclude it)",
        src.column(e),
        src.column(k),
        R::SCHEMA.noun
    );
    Issue::new(IssueCode::ReversedDates, msg)
        .child(rec.child())
        .record(rec.key())
        .at(src.location(Some((e, 0))))
}

/// The messages of the rules, out of the way of the reading of good rows.
mod msg {
    use super::{Cell, DateSyntax, Echo, TableSchema, trim};

    #[cold]
    pub(super) fn given_again(col: &str, again: &Cell<'_>) -> String {
        format!(
            "{col} is given more than once (again as {:?}); the first value is kept",
            Echo(trim(&again.text()))
        )
    }

    #[cold]
    pub(super) fn blank_parent(col: &str, unit: &str) -> String {
        format!("{col} (the CIN episode the record came in) is blank; {unit} skipped")
    }

    /// An unreadable date: the row kept with the date blanked (`kept`), or skipped.
    #[cold]
    pub(super) fn not_a_date(
        col: &str,
        raw: &str,
        dates: DateSyntax,
        kept: bool,
        unit: &str,
    ) -> String {
        let forms = dates.forms();
        if kept {
            format!(
                "{col} {:?} is not a date ({forms}); blanked, {unit} kept",
                Echo(raw)
            )
        } else {
            format!(
                "{col} {:?} is not a date ({forms}); {unit} skipped",
                Echo(raw)
            )
        }
    }

    #[cold]
    pub(super) fn blank_required(
        col: &str,
        given: bool,
        table: &TableSchema,
        unit: &str,
    ) -> String {
        let how = if given { "blank" } else { "absent" };
        format!(
            "{col} is {how}: every {} row needs it; {unit} skipped",
            table.name
        )
    }
}

/// A flag: `None` when blank or not one of its words (reported).
fn flag_value(
    cell: Cell<'_>,
    syntax: FlagSyntax,
    col: &str,
    kept: &mut Vec<Issue>,
    issue: &dyn Fn(IssueCode, String) -> Issue,
) -> Option<bool> {
    let v = match cell {
        Cell::Null => Ok(None),
        Cell::Bool(b) => Ok(Some(b)),
        Cell::Int(0) => Ok(Some(false)),
        Cell::Int(1) => Ok(Some(true)),
        Cell::Text(s) => flag(trim(s), syntax),
        Cell::Int(_) | Cell::Day(_) => Err(()),
    };
    v.unwrap_or_else(|()| {
        let words = match syntax {
            FlagSyntax::TrueFalse => "true, false, 1 or 0",
            FlagSyntax::ZeroOne => "1 or 0",
        };
        let msg = format!(
            "{col} {:?} is not {words}: read as unknown",
            Echo(&cell.text())
        );
        kept.push(issue(IssueCode::UnknownCode, msg));
        None
    })
}

/// A count or score: `None` when blank or not one (reported).
fn count_value(
    cell: Cell<'_>,
    kind: FieldKind,
    col: &str,
    kept: &mut Vec<Issue>,
    issue: &dyn Fn(IssueCode, String) -> Issue,
) -> Option<u32> {
    let max = match kind {
        FieldKind::Score(max) => max,
        _ => u32::MAX,
    };
    let v = match cell {
        Cell::Null => Ok(None),
        Cell::Int(n) => u32::try_from(n)
            .ok()
            .filter(|&n| n <= max)
            .map(Some)
            .ok_or(()),
        Cell::Text(s) => {
            let t = trim(s);
            if t.is_empty() {
                Ok(None)
            } else if t.bytes().all(|b| b.is_ascii_digit()) {
                t.parse::<u32>()
                    .ok()
                    .filter(|&n| n <= max)
                    .map(Some)
                    .ok_or(())
            } else {
                Err(())
            }
        }
        Cell::Bool(_) | Cell::Day(_) => Err(()),
    };
    v.unwrap_or_else(|()| {
        let raw = cell.text();
        let (code, msg) = if max == u32::MAX {
            (
                IssueCode::UnreadableValue,
                format!(
                    "{col} {:?} is not a whole number: read as unknown",
                    Echo(&raw)
                ),
            )
        } else {
            (
                IssueCode::UnknownCode,
                format!(
                    "{col} {:?} is not a score from 0 to {max}: read as no score",
                    Echo(&raw)
                ),
            )
        };
        kept.push(issue(code, msg));
        None
    })
}

/// Every non-blank code given for a set of codes, trimmed (the builder upper-cases and collapses
/// repeats).
fn codes_of(src: &impl RowSource, f: usize) -> Vec<CompactString> {
    let mut out: Vec<CompactString> = Vec::new();
    let mut k = 0;
    while let Some(c) = src.value(f, k) {
        let t = c.text();
        let v = trim(&t);
        if !v.is_empty() {
            out.push(CompactString::from(v));
        }
        k += 1;
    }
    out
}

fn flag(t: &str, syntax: FlagSyntax) -> Result<Option<bool>, ()> {
    if t.is_empty() {
        return Ok(None);
    }
    match (t, syntax) {
        ("1", _) => Ok(Some(true)),
        ("0", _) => Ok(Some(false)),
        (t, FlagSyntax::TrueFalse) if t.eq_ignore_ascii_case("true") => Ok(Some(true)),
        (t, FlagSyntax::TrueFalse) if t.eq_ignore_ascii_case("false") => Ok(Some(false)),
        _ => Err(()),
    }
}

fn same_value(a: &Cell<'_>, b: &Cell<'_>) -> bool {
    trim(&a.text()) == trim(&b.text())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{CpPlan, Oc2};

    struct Row {
        table: &'static TableSchema,
        cells: Vec<(&'static str, &'static str)>,
    }

    impl RowSource for Row {
        fn value(&self, f: usize, k: usize) -> Option<Cell<'_>> {
            let col = self.table.fields[f].column;
            self.cells
                .iter()
                .filter(|(c, _)| *c == col)
                .nth(k)
                .map(|(_, v)| Cell::Text(v))
        }
        fn location(&self, at: Option<(usize, usize)>) -> Option<Location> {
            Some(located(self, Location::new("t.csv".into(), 2), at))
        }
        fn unit(&self) -> Cow<'_, str> {
            Cow::Borrowed("row")
        }
        fn column(&self, f: usize) -> &str {
            self.table.fields[f].column
        }
    }

    fn read<R: Record>(
        cells: &[(&'static str, &'static str)],
        strict: bool,
    ) -> (Result<Option<R>, Error>, Vec<Issue>) {
        let mut issues = Vec::new();
        let row = Row {
            table: R::SCHEMA,
            cells: cells.to_vec(),
        };
        let r = Rules::new(DateSyntax::Ssda903, strict, &mut issues)
            .read::<R>(&row, RowOrigin::default());
        (r, issues)
    }

    /// `trim` as it was before its fast path.
    fn trim_before(s: &str) -> &str {
        let t = s.trim_ascii();
        let b = t.as_bytes();
        if b.first().is_some_and(|&c| c >= 0x80) || b.last().is_some_and(|&c| c >= 0x80) {
            t.trim()
        } else {
            t
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5_000))]

        /// A date cell reads as before, and the way it was written is counted as before (by
        /// whether it holds a `/`, for a date read from SSDA903 text); text trims as before.
        #[test]
        fn dates_and_trimming_read_as_before(
            s in "[0-9/ +.\\-a\u{e9}\u{a0}\u{3000}\t\u{b}\u{7f}]{0,14}",
            t in " ?[0-9]{1,5}[/-][0-9]{0,3}[/-][0-9]{0,5}\u{a0}?",
        ) {
            let mut issues = Vec::new();
            for dates in [DateSyntax::Ssda903, DateSyntax::Cin] {
                let rules = Rules::new(dates, false, &mut issues);
                for s in [s.as_str(), t.as_str()] {
                    let c = Cell::Text(s);
                    let (date, form) = rules.read_date(&c);
                    let before = rules.as_date_before(&c);
                    proptest::prop_assert_eq!(date, before, "{:?}", s);
                    let form_before = (dates == DateSyntax::Ssda903 && matches!(before, Ok(Some(_))))
                        .then(|| usize::from(!s.contains('/')));
                    proptest::prop_assert_eq!(form, form_before, "{:?}", s);
                    proptest::prop_assert_eq!(trim(s), trim_before(s), "{:?}", s);
                }
            }
        }
    }

    #[test]
    fn blank_child_first_then_required_dates_then_unreadable_ones() {
        use crate::records::CareEpisode;
        let (r, i) = read::<CareEpisode>(&[("CHILD", " "), ("DECOM", "x")], false);
        assert!(r.unwrap().is_none());
        assert_eq!(i[0].code, IssueCode::MissingIdentifier);
        assert_eq!(i.len(), 1);
        let (r, i) = read::<CareEpisode>(&[("CHILD", "A"), ("DECOM", ""), ("DEC", "x")], false);
        assert!(r.unwrap().is_none());
        assert_eq!(i.len(), 1);
        assert_eq!(i[0].code, IssueCode::MissingIdentifier);
        assert!(
            i[0].message.starts_with("DECOM is blank"),
            "{}",
            i[0].message
        );
        let (r, i) = read::<CareEpisode>(
            &[("CHILD", "A"), ("DECOM", "01/04/2023"), ("DEC", "2023/5/1")],
            false,
        );
        assert!(r.unwrap().is_none());
        assert_eq!(i[0].code, IssueCode::UnreadableDate);
        assert_eq!(i[0].record, Some("2023-04-01".parse().unwrap()));
    }

    #[test]
    fn iso_dates_are_read_in_ssda903_and_strict_mode_stops() {
        use crate::records::CareEpisode;
        let (r, i) = read::<CareEpisode>(&[("CHILD", "A"), ("DECOM", "2023-04-01")], false);
        assert_eq!(r.unwrap().unwrap().decom.to_string(), "2023-04-01");
        assert!(i.is_empty());
        let (r, _) = read::<CareEpisode>(&[("CHILD", "A"), ("DECOM", "31/02/2023")], true);
        let e = r.unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::DataQuality);
        assert!(e.message().contains("[unreadable_date]"), "{e}");
    }

    #[test]
    fn flags_scores_and_blank_rows() {
        let (r, i) = read::<Oc2>(
            &[
                ("CHILD", "A"),
                ("SDQ_SCORE", "41"),
                ("HEALTH_CHECK", "true"),
            ],
            false,
        );
        let oc2 = r.unwrap().unwrap();
        assert_eq!((oc2.sdq_score, oc2.health_check), (None, None));
        assert_eq!(
            i.iter()
                .filter(|i| i.code == IssueCode::UnknownCode)
                .count(),
            2
        );
        let (r, i) = read::<Oc2>(
            &[("CHILD", "A"), ("DOB", "01/01/2010"), ("SDQ_SCORE", " ")],
            false,
        );
        assert!(r.unwrap().is_none());
        assert_eq!(i[0].code, IssueCode::BlankRow);
        let (r, _) = read::<Oc2>(
            &[("CHILD", "A"), ("SDQ_SCORE", "07"), ("TEETH_CHECK", "1")],
            false,
        );
        let oc2 = r.unwrap().unwrap();
        assert_eq!((oc2.sdq_score, oc2.teeth_check), (Some(7), Some(true)));
    }

    #[test]
    fn sets_of_dates_drop_bad_ones_and_repeats_keep_the_first() {
        let mut issues = Vec::new();
        let row = Row {
            table: CpPlan::SCHEMA,
            cells: vec![
                ("LAchildID", "A"),
                ("CINreferralDate", "2023-01-01"),
                ("CPPstartDate", "2023-02-01"),
                ("CPPstartDate", "2023-02-02"),
                ("CPPreviewDate", "2023-05-01"),
                ("CPPreviewDate", ""),
                ("CPPreviewDate", "2023-13-01"),
                ("CPPreviewDate", "2023-05-01"),
            ],
        };
        let p: CpPlan = Rules::new(DateSyntax::Cin, false, &mut issues)
            .read(&row, RowOrigin::default())
            .unwrap()
            .unwrap();
        assert_eq!(p.start_date, Some("2023-02-01".parse().unwrap()));
        assert_eq!(p.review_dates, vec!["2023-05-01".parse().unwrap()]);
        let codes: Vec<_> = issues.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(
            codes,
            ["unreadable_value", "missing_key_date", "unreadable_date"]
        );
    }
}
