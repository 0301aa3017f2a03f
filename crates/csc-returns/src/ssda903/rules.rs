//! The spec's rules for one row (section 2, "Unusable rows"), shared by the CSV and XML readers.
//!
//! * A blank `CHILD` makes the row unusable (`missing_identifier`).
//! * A blank `DECOM` makes a care episode unusable (`missing_identifier`, naming `DECOM`).
//! * An unreadable date in any column but a child-level one (`DOB`, `MC_DOB`) makes the row
//!   unusable (`unreadable_date`).
//! * An unreadable child-level date is blanked (`unreadable_date`) and the row kept.
//!
//! Only the first reason a row is unusable is reported; a row that is kept reports each date it
//! blanked. A strict read stops at the first of these with the same detail.

use std::sync::Arc;

use compact_str::CompactString;
use csc_measures::quality::{Issue, IssueCode, Location};
use csc_measures::records::{Ad1, CareEpisode, Header, PlacedAdoption, RowOrigin};
use csc_measures::{Day, Error, ErrorKind};

use super::tables::{DateKind, Table, is_partial_date};
use crate::field::ssda903_date;

/// Where issues go, and whether the first problem stops the read.
pub(crate) struct Ctx<'a> {
    pub strict: bool,
    pub issues: &'a mut Vec<Issue>,
}

impl Ctx<'_> {
    /// Records a problem: a strict read stops with it as an error.
    pub fn problem(&mut self, issue: Issue) -> Result<(), Error> {
        if self.strict {
            return Err(strict_error(&issue));
        }
        self.issues.push(issue);
        Ok(())
    }

    /// Records a warning, which never stops a read.
    pub fn warn(&mut self, issue: Issue) {
        self.issues.push(issue);
    }
}

/// The error a strict read stops with: the issue's code, detail and child, at its location.
///
/// Issue messages end with what the lenient read did ("; row skipped"); the error leaves that out,
/// since a strict read does nothing but stop.
pub(crate) fn strict_error(issue: &Issue) -> Error {
    let detail = issue
        .message
        .rsplit_once("; ")
        .map_or(issue.message.as_str(), |(d, _)| d);
    let mut msg = format!("{}: {detail}", issue.code);
    if let Some(child) = &issue.child {
        msg.push_str(" (child ");
        msg.push_str(child);
        msg.push(')');
    }
    msg.push_str("; a strict read stops at the first problem");
    let err = Error::new(ErrorKind::DataQuality, msg);
    match &issue.location {
        Some(loc) => err.at(loc.clone()),
        None => err,
    }
}

/// One row's fields, whichever form it was read from.
pub(crate) trait Fields {
    /// The trimmed value of the table's official column `col` (blank when absent).
    fn get(&self, col: usize) -> &str;
    /// The value of `col` as it stood in the file.
    fn raw(&self, col: usize) -> &str;
    /// The name the file gives column `col` (`CHILDID` for `CHILD` in XML).
    fn column_name(&self, col: usize) -> &str;
    /// Where the row, or its column `col`, is.
    fn location(&self, col: Option<usize>) -> Location;
    /// What is skipped when the row is unusable ("row", "EPISODE element", ...).
    fn unit(&self) -> &'static str;
}

/// The dates of a usable row, in the order of [`Table::dates`], and which were blanked.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Checked {
    pub dates: [Option<Day>; 3],
    pub blanked: [bool; 3],
}

/// Applies the rules to one row of `table`: `None` when the row is unusable (already reported).
pub(crate) fn check_row<F: Fields>(
    table: Table,
    f: &F,
    ctx: &mut Ctx<'_>,
) -> Result<Option<Checked>, Error> {
    let child = f.get(0);
    if child.is_empty() {
        let issue = Issue::new(
            IssueCode::MissingIdentifier,
            format!(
                "{} is blank: a {} row needs a child identifier; {} skipped",
                f.column_name(0),
                table.name(),
                f.unit()
            ),
        )
        .at(Some(f.location(Some(0))));
        ctx.problem(issue)?;
        return Ok(None);
    }
    let cols = table.dates();
    // Each date parsed once; the key date names the record in every issue.
    let mut parsed: [Result<Option<Day>, ()>; 3] = [Ok(None); 3];
    for (p, &(col, _)) in parsed.iter_mut().zip(cols) {
        *p = ssda903_date(f.get(col)).map_err(|_| ());
    }
    let record = table.key_date().and_then(|k| {
        cols.iter()
            .position(|&(c, _)| c == k)
            .and_then(|i| parsed[i].ok().flatten())
    });
    let mut out = Checked::default();
    // Row-level dates first: an unusable row reports only why it is unusable.
    for (i, &(col, kind)) in cols.iter().enumerate() {
        if kind == DateKind::Child {
            continue;
        }
        let value = f.get(col);
        if table == Table::Episodes && col == 1 && value.is_empty() {
            let issue = Issue::new(
                IssueCode::MissingIdentifier,
                format!(
                    "{} is blank: a care episode needs its start date; {} skipped",
                    f.column_name(col),
                    f.unit()
                ),
            )
            .child(child)
            .at(Some(f.location(Some(col))));
            ctx.problem(issue)?;
            return Ok(None);
        }
        match parsed[i] {
            Ok(d) => out.dates[i] = d,
            Err(()) if kind == DateKind::Partial && is_partial_date(value) => {}
            Err(()) => {
                let issue = Issue::new(
                    IssueCode::UnreadableDate,
                    format!(
                        "{} {:?} is not a DD/MM/YYYY date{}; {} skipped",
                        f.column_name(col),
                        f.raw(col),
                        if kind == DateKind::Partial {
                            " (nor a partial ZZ/MM/YYYY date)"
                        } else {
                            ""
                        },
                        f.unit()
                    ),
                )
                .child(child)
                .record(record)
                .at(Some(f.location(Some(col))));
                ctx.problem(issue)?;
                return Ok(None);
            }
        }
    }
    for (i, &(col, kind)) in cols.iter().enumerate() {
        if kind != DateKind::Child {
            continue;
        }
        if let Ok(d) = parsed[i] {
            out.dates[i] = d;
        } else {
            let issue = Issue::new(
                IssueCode::UnreadableDate,
                format!(
                    "{} {:?} is not a DD/MM/YYYY date; blanked, {} kept",
                    f.column_name(col),
                    f.raw(col),
                    f.unit()
                ),
            )
            .child(child)
            .record(record)
            .at(Some(f.location(Some(col))));
            ctx.problem(issue)?;
            out.blanked[i] = true;
        }
    }
    Ok(Some(out))
}

/// Trims surrounding whitespace: ASCII first (fast), then Unicode when a non-ASCII character is
/// left at either end.
pub(crate) fn trim(s: &str) -> &str {
    let t = s.trim_ascii();
    let b = t.as_bytes();
    if b.first().is_some_and(|&c| c >= 0x80) || b.last().is_some_and(|&c| c >= 0x80) {
        t.trim()
    } else {
        t
    }
}

fn cs(s: &str) -> CompactString {
    CompactString::from(s)
}

/// A Header row from checked fields.
pub(crate) fn header<F: Fields>(f: &F, c: &Checked, origin: RowOrigin) -> Header {
    Header {
        child: cs(f.get(0)),
        sex: cs(f.get(1)),
        dob: c.dates[0],
        ethnic: cs(f.get(3)),
        upn: cs(f.get(4)),
        mother: cs(f.get(5)),
        mc_dob: c.dates[1],
        origin,
    }
}

/// A care episode from checked fields (`DECOM` is known to be there).
pub(crate) fn episode<F: Fields>(f: &F, c: &Checked, origin: RowOrigin) -> CareEpisode {
    CareEpisode {
        child: cs(f.get(0)),
        decom: c.dates[0].unwrap_or_default(),
        rne: cs(f.get(2)),
        ls: cs(f.get(3)),
        cin: cs(f.get(4)),
        place: cs(f.get(5)),
        place_provider: cs(f.get(6)),
        dec: c.dates[1],
        rec: cs(f.get(8)),
        reason_place_change: cs(f.get(9)),
        home_post: cs(f.get(10)),
        pl_post: cs(f.get(11)),
        urn: cs(f.get(12)),
        origin,
    }
}

/// An AD1 row from checked fields.
pub(crate) fn ad1<F: Fields>(f: &F, c: &Checked, origin: RowOrigin) -> Ad1 {
    Ad1 {
        child: cs(f.get(0)),
        dob: c.dates[0],
        date_int: c.dates[1],
        date_match: c.dates[2],
        foster_care: cs(f.get(4)),
        nb_adoptr: cs(f.get(5)),
        sex_adoptr: cs(f.get(6)),
        ls_adoptr: cs(f.get(7)),
        origin,
    }
}

/// A PlacedAdoption row from checked fields.
pub(crate) fn placed<F: Fields>(f: &F, c: &Checked, origin: RowOrigin) -> PlacedAdoption {
    PlacedAdoption {
        child: cs(f.get(0)),
        dob: c.dates[0],
        date_placed: c.dates[1],
        date_placed_ceased: c.dates[2],
        reason_placed_ceased: cs(f.get(4)),
        origin,
    }
}

/// Whether official column `col` of `table` was blanked by [`check_row`].
pub(crate) fn was_blanked(table: Table, c: &Checked, col: usize) -> bool {
    table
        .dates()
        .iter()
        .zip(c.blanked)
        .any(|(&(i, _), b)| b && i == col)
}

/// The location of a row in a CSV file.
pub(crate) fn csv_location(file: &Arc<str>, line: u32) -> Location {
    Location::new(file.clone(), line)
}
