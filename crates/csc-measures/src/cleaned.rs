//! The cleaned SSDA903 care tables as a reader checks a measure by hand: the care episodes after
//! the repairs of spec 2.1 and 2.7, the periods of care and the placements of spec 2.2, each as
//! typed columns ([`Table`]) that every surface translates (Arrow and Python through `csc-arrow`,
//! CSV through [`Table::write_csv`] and the command `csc-measures tables`).
//!
//! * [`CleanedTable::CareEpisodes`]: one row per care episode, short breaks included, in child then
//!   episode order (spec 2.1), with what the build derived of it: whether it is a short break, was
//!   closed by the `not_resubmitted_closed` repair, its period of care and placement (numbered from
//!   1 within the child; empty for short breaks) and the placement's start;
//! * [`CleanedTable::PeriodsOfCare`]: one row per period of care (short breaks removed), by child
//!   then start: its start, end (empty while open), whether its history is truncated, the `REC` of
//!   its last episode, and how many episodes and placements it holds;
//! * [`CleanedTable::Placements`]: one row per placement (a maximal run of episodes beginning with
//!   one that starts a new placement, spec 2.2), by child then start: its start (the `DECOM` of the
//!   episode that starts it), end (the `DEC` of its last episode, empty while open), the
//!   placement of that first episode (`PLACE`, `PLACE_PROVIDER`, `URN`, `PL_POST`) and how many
//!   episodes it holds.
//!
//! Children are their ids; numbers (`period_of_care`, `placement`) count from 1 within the child,
//! so that a drill-down row of `stability_3plus_placements` is checked by filtering `placements` on
//! its child and dates.
//!
//! ```
//! use csc_measures::cleaned::{Cells, CleanedTable};
//! use csc_measures::records::{CareEpisode, Ssda903Return};
//! use csc_measures::DatasetBuilder;
//! let ep = |decom: &str, dec: Option<&str>, rne: &str, place: &str, rec: &str| CareEpisode {
//!     child: "A1".into(), decom: decom.parse().unwrap(), dec: dec.map(|d| d.parse().unwrap()),
//!     rne: rne.into(), ls: "C2".into(), place: place.into(), rec: rec.into(),
//!     ..CareEpisode::default()
//! };
//! let mut ret = Ssda903Return::default();
//! ret.source.collection_year = Some(2024);
//! ret.episodes = vec![
//!     ep("2023-05-01", Some("2023-06-01"), "S", "U1", "X1"),
//!     ep("2023-06-01", None, "P", "K2", ""), // a new carer: a second placement
//! ];
//! let ds = DatasetBuilder::new().ssda903(ret).build()?;
//! let placements = CleanedTable::Placements.of(&ds);
//! assert_eq!(placements.rows(), 2);
//! let Cells::Date(starts) = &placements.column("start").unwrap().cells else { unreachable!() };
//! assert_eq!(starts[1], Some("2023-06-01".parse()?));
//! let mut csv = Vec::new();
//! CleanedTable::PeriodsOfCare.of(&ds).write_csv(&mut csv)?;
//! assert_eq!(
//!     String::from_utf8(csv)?,
//!     "child,period_of_care,start,end,history_truncated,rec,episodes,placements\n\
//!      A1,1,2023-05-01,,false,,2,2\n"
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use compact_str::CompactString;

use crate::cell::{CsvCells, csv_field};
use crate::dataset::Dataset;
use crate::day::Day;
use crate::error::{Error, ErrorKind};
use crate::period::Period;

/// One of the cleaned care tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CleanedTable {
    /// The care episodes after the repairs, with what the build derived of each.
    CareEpisodes,
    /// The periods of care (spec 2.2).
    PeriodsOfCare,
    /// The placements (spec 2.2).
    Placements,
}

impl CleanedTable {
    /// Every cleaned table.
    pub const ALL: [CleanedTable; 3] = [
        CleanedTable::CareEpisodes,
        CleanedTable::PeriodsOfCare,
        CleanedTable::Placements,
    ];

    /// `care_episodes`, `periods_of_care` or `placements`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            CleanedTable::CareEpisodes => "care_episodes",
            CleanedTable::PeriodsOfCare => "periods_of_care",
            CleanedTable::Placements => "placements",
        }
    }

    /// What one row is.
    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            CleanedTable::CareEpisodes => {
                "one row per care episode after the repairs of spec 2.1 and 2.7 (short breaks included), by child then episode order"
            }
            CleanedTable::PeriodsOfCare => {
                "one row per period of care (spec 2.2, short breaks removed), by child then start"
            }
            CleanedTable::Placements => {
                "one row per placement (spec 2.2: a run of episodes beginning with one that starts a new placement), by child then start"
            }
        }
    }

    /// The table over `ds`.
    #[must_use]
    pub fn of(self, ds: &Dataset) -> Table<'_> {
        let columns = match self {
            CleanedTable::CareEpisodes => care_episodes(ds),
            CleanedTable::PeriodsOfCare => periods_of_care(ds),
            CleanedTable::Placements => placements(ds),
        };
        Table {
            table: self,
            columns,
        }
    }
}

impl fmt::Display for CleanedTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CleanedTable {
    type Err = Error;

    /// ```
    /// use csc_measures::cleaned::CleanedTable;
    /// assert_eq!("placements".parse::<CleanedTable>()?, CleanedTable::Placements);
    /// assert!("episodes".parse::<CleanedTable>().unwrap_err().to_string().contains("care_episodes"));
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<CleanedTable, Error> {
        CleanedTable::ALL
            .into_iter()
            .find(|t| t.as_str() == s.trim())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::InvalidRequest,
                    format!(
                        "unknown table {s:?}; the cleaned tables are care_episodes, periods_of_care, placements"
                    ),
                )
            })
    }
}

/// The cells of one column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cells<'a> {
    /// Text (codes, ids); empty when blank.
    Text(Vec<&'a str>),
    /// Dates; `None` when blank.
    Date(Vec<Option<Day>>),
    /// Whole numbers; `None` when not applicable.
    Int(Vec<Option<i64>>),
    /// Flags.
    Flag(Vec<bool>),
}

impl Cells<'_> {
    /// How many cells.
    #[must_use]
    pub fn len(&self) -> usize {
        match self {
            Cells::Text(v) => v.len(),
            Cells::Date(v) => v.len(),
            Cells::Int(v) => v.len(),
            Cells::Flag(v) => v.len(),
        }
    }

    /// No cells?
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Writes cell `i` as CSV text: dates ISO, blanks empty, flags `true`/`false`, text quoted
    /// when it holds a comma, a quote or a line break.
    fn write_cell(&self, i: usize, w: &mut impl Write, cells: CsvCells) -> io::Result<()> {
        match self {
            Cells::Text(v) => w.write_all(csv_field(v[i], cells).as_bytes()),
            Cells::Date(v) => match v[i] {
                Some(d) => w.write_all(&d.iso()),
                None => Ok(()),
            },
            Cells::Int(v) => match v[i] {
                Some(n) => write!(w, "{n}"),
                None => Ok(()),
            },
            Cells::Flag(v) => w.write_all(if v[i] { b"true" } else { b"false" }),
        }
    }
}

/// One column: its name, what it holds, and its cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column<'a> {
    /// The column name.
    pub name: &'static str,
    /// What it holds, for people.
    pub doc: &'static str,
    /// Its cells, one per row.
    pub cells: Cells<'a>,
}

/// A cleaned table: its columns, of equal lengths.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table<'a> {
    /// Which table.
    pub table: CleanedTable,
    /// Its columns, in order.
    pub columns: Vec<Column<'a>>,
}

impl<'a> Table<'a> {
    /// The rows whose interval (`decom` to `dec` of an episode, `start` to `end` of a period of
    /// care or a placement) overlaps `period` as spec 1.1 says: the start on or before the period's
    /// end, and the end blank or after the period's start.
    ///
    /// ```
    /// use csc_measures::cleaned::CleanedTable;
    /// use csc_measures::Period;
    /// let ds = csc_synth::dataset(&csc_synth::Config { children: 300, ..Default::default() })?;
    /// let all = CleanedTable::Placements.of(&ds);
    /// let year = all.overlapping(Period::financial_year(2024)?);
    /// assert!(0 < year.rows() && year.rows() < all.rows());
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    #[must_use]
    pub fn overlapping(&self, period: Period) -> Table<'a> {
        let (from, to) = match self.table {
            CleanedTable::CareEpisodes => ("decom", "dec"),
            CleanedTable::PeriodsOfCare | CleanedTable::Placements => ("start", "end"),
        };
        let dates = |name: &str| match self.column(name).map(|c| &c.cells) {
            Some(Cells::Date(v)) => v.clone(),
            _ => unreachable!("every cleaned table has its interval's date columns"),
        };
        let (starts, ends) = (dates(from), dates(to));
        let keep: Vec<bool> = starts
            .iter()
            .zip(&ends)
            .map(|(&s, &e)| s.is_some_and(|s| period.overlaps(s, e)))
            .collect();
        let columns = self
            .columns
            .iter()
            .map(|c| Column {
                name: c.name,
                doc: c.doc,
                cells: match &c.cells {
                    Cells::Text(v) => Cells::Text(pick(v, &keep)),
                    Cells::Date(v) => Cells::Date(pick(v, &keep)),
                    Cells::Int(v) => Cells::Int(pick(v, &keep)),
                    Cells::Flag(v) => Cells::Flag(pick(v, &keep)),
                },
            })
            .collect();
        Table {
            table: self.table,
            columns,
        }
    }

    /// How many rows.
    #[must_use]
    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.cells.len())
    }

    /// The column `name`.
    #[must_use]
    pub fn column(&self, name: &str) -> Option<&Column<'_>> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Writes the table as CSV: a header of the column names, then one line per row (`\n` line
    /// ends; dates ISO 8601; blanks empty; flags `true`/`false`). A text cell that a spreadsheet
    /// would run as a formula (a child id `=1+1`) gets a `'` before it
    /// ([`CsvCells::Neutralised`]); [`Table::write_csv_with`] writes it raw.
    pub fn write_csv(&self, w: &mut impl Write) -> io::Result<()> {
        self.write_csv_with(w, CsvCells::Neutralised)
    }

    /// [`Table::write_csv`], with each text cell written as `cells` says.
    pub fn write_csv_with(&self, w: &mut impl Write, cells: CsvCells) -> io::Result<()> {
        let names: Vec<&str> = self.columns.iter().map(|c| c.name).collect();
        writeln!(w, "{}", names.join(","))?;
        for i in 0..self.rows() {
            for (k, c) in self.columns.iter().enumerate() {
                if k > 0 {
                    w.write_all(b",")?;
                }
                c.cells.write_cell(i, w, cells)?;
            }
            w.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// The items of `v` whose `keep` is true.
fn pick<T: Clone>(v: &[T], keep: &[bool]) -> Vec<T> {
    v.iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(x, _)| x.clone())
        .collect()
}

/// The cells of a text column.
fn text(v: &[CompactString]) -> Vec<&str> {
    v.iter().map(CompactString::as_str).collect()
}

fn column<'a>(name: &'static str, doc: &'static str, cells: Cells<'a>) -> Column<'a> {
    Column { name, doc, cells }
}

/// The 1-based number of each period of care within its child (`periods_of_care` is by child
/// then start).
fn period_numbers(ds: &Dataset) -> Vec<i64> {
    let mut out = Vec::with_capacity(ds.periods_of_care().len());
    let mut last = None;
    let mut n = 0;
    for p in ds.periods_of_care() {
        n = if last == Some(p.child) { n + 1 } else { 1 };
        last = Some(p.child);
        out.push(n);
    }
    out
}

/// For each care episode, the 1-based number of its placement within the child (`None` for short
/// breaks).
fn placement_numbers(ds: &Dataset) -> Vec<Option<i64>> {
    let (t, care) = (ds.care_episodes(), ds.care());
    let mut out = vec![None; t.len()];
    let mut last = None;
    let mut n = 0;
    for (i, slot) in out.iter_mut().enumerate() {
        if care.short_break[i] {
            continue;
        }
        if last != Some(t.child[i]) {
            n = 0;
            last = Some(t.child[i]);
        }
        if n == 0 || care.new_placement[i] {
            n += 1;
        }
        *slot = Some(n);
    }
    out
}

fn care_episodes(ds: &Dataset) -> Vec<Column<'_>> {
    let (t, care) = (ds.care_episodes(), ds.care());
    let children = ds.children();
    let numbers = period_numbers(ds);
    vec![
        column(
            "child",
            "`CHILD`",
            Cells::Text(
                t.child
                    .iter()
                    .map(|&c| children[c as usize].as_str())
                    .collect(),
            ),
        ),
        column(
            "decom",
            "`DECOM`: the episode's start",
            Cells::Date(t.decom.iter().map(|&d| Some(d)).collect()),
        ),
        column(
            "dec",
            "`DEC`: the episode's end, after the repairs (empty while open)",
            Cells::Date(t.dec.clone()),
        ),
        column(
            "rne",
            "`RNE`: reason for the new episode",
            Cells::Text(text(&t.rne)),
        ),
        column("ls", "`LS`: legal status", Cells::Text(text(&t.ls))),
        column("cin", "`CIN`: category of need", Cells::Text(text(&t.cin))),
        column(
            "place",
            "`PLACE`: placement type",
            Cells::Text(text(&t.place)),
        ),
        column(
            "place_provider",
            "`PLACE_PROVIDER`",
            Cells::Text(text(&t.place_provider)),
        ),
        column("urn", "`URN`", Cells::Text(text(&t.urn))),
        column("pl_post", "`PL_POST`", Cells::Text(text(&t.pl_post))),
        column(
            "rec",
            "`REC`: reason the episode ceased",
            Cells::Text(text(&t.rec)),
        ),
        column(
            "reason_place_change",
            "`REASON_PLACE_CHANGE`",
            Cells::Text(text(&t.reason_place_change)),
        ),
        column(
            "short_break",
            "`LS` V3 or V4: left out of periods of care and placements",
            Cells::Flag(care.short_break.clone()),
        ),
        column(
            "closed_by_repair",
            "its `DEC` was set by the `not_resubmitted_closed` repair (spec 2.1)",
            Cells::Flag(care.closed_by_repair.clone()),
        ),
        column(
            "period_of_care",
            "the number of its period of care within the child, from 1 (empty for short breaks)",
            Cells::Int(
                care.period
                    .iter()
                    .map(|&p| numbers.get(p as usize).copied())
                    .collect(),
            ),
        ),
        column(
            "new_placement",
            "it starts a new placement (spec 2.2 rules 1-4)",
            Cells::Flag(care.new_placement.clone()),
        ),
        column(
            "placement",
            "the number of its placement within the child, from 1 (empty for short breaks)",
            Cells::Int(placement_numbers(ds)),
        ),
        column(
            "placement_start",
            "the start of its placement (empty for short breaks)",
            Cells::Date(
                care.placement_start
                    .iter()
                    .zip(&care.short_break)
                    .map(|(&d, &sb)| (!sb).then_some(d))
                    .collect(),
            ),
        ),
    ]
}

fn periods_of_care(ds: &Dataset) -> Vec<Column<'_>> {
    let (t, care) = (ds.care_episodes(), ds.care());
    let periods = ds.periods_of_care();
    let children = ds.children();
    let in_period = |id: usize| {
        let p = &periods[id];
        (p.first_episode as usize..=p.last_episode as usize)
            .filter(move |&i| care.period[i] == id as u32)
    };
    vec![
        column(
            "child",
            "`CHILD`",
            Cells::Text(
                periods
                    .iter()
                    .map(|p| children[p.child as usize].as_str())
                    .collect(),
            ),
        ),
        column(
            "period_of_care",
            "its number within the child, from 1",
            Cells::Int(period_numbers(ds).into_iter().map(Some).collect()),
        ),
        column(
            "start",
            "`DECOM` of its first episode (for a history-truncated period, the first loaded one)",
            Cells::Date(periods.iter().map(|p| Some(p.start)).collect()),
        ),
        column(
            "end",
            "`DEC` of its last episode (empty while open)",
            Cells::Date(periods.iter().map(|p| p.end).collect()),
        ),
        column(
            "history_truncated",
            "it began before the earliest loaded SSDA903 year (spec 2.2): its true start is unknown",
            Cells::Flag(periods.iter().map(|p| p.history_truncated).collect()),
        ),
        column(
            "rec",
            "`REC` of its last episode: why care ended (empty while open)",
            Cells::Text(
                periods
                    .iter()
                    .map(|p| t.rec[p.last_episode as usize].as_str())
                    .collect(),
            ),
        ),
        column(
            "episodes",
            "its episodes (short breaks removed)",
            Cells::Int(
                (0..periods.len())
                    .map(|id| Some(in_period(id).count() as i64))
                    .collect(),
            ),
        ),
        column(
            "placements",
            "its placements",
            Cells::Int(
                (0..periods.len())
                    .map(|id| Some(in_period(id).filter(|&i| care.new_placement[i]).count() as i64))
                    .collect(),
            ),
        ),
    ]
}

fn placements<'a>(ds: &'a Dataset) -> Vec<Column<'a>> {
    let (t, care) = (ds.care_episodes(), ds.care());
    let children = ds.children();
    let numbers = period_numbers(ds);
    // Each placement: its first episode, last episode and episode count.
    let mut runs: Vec<(usize, usize, i64)> = Vec::new();
    let mut last_child = None;
    for i in 0..t.len() {
        if care.short_break[i] {
            continue;
        }
        let new_child = last_child != Some(t.child[i]);
        last_child = Some(t.child[i]);
        match runs.last_mut() {
            Some(run) if !new_child && !care.new_placement[i] => {
                run.1 = i;
                run.2 += 1;
            }
            _ => runs.push((i, i, 1)),
        }
    }
    let mut placement_no = Vec::with_capacity(runs.len());
    let mut prev = None;
    let mut n = 0;
    for &(first, _, _) in &runs {
        n = if prev == Some(t.child[first]) {
            n + 1
        } else {
            1
        };
        prev = Some(t.child[first]);
        placement_no.push(Some(n));
    }
    let first_text = |v: &'a [CompactString]| -> Vec<&'a str> {
        runs.iter().map(|&(f, _, _)| v[f].as_str()).collect()
    };
    vec![
        column(
            "child",
            "`CHILD`",
            Cells::Text(
                runs.iter()
                    .map(|&(f, _, _)| children[t.child[f] as usize].as_str())
                    .collect(),
            ),
        ),
        column(
            "period_of_care",
            "the number of its period of care within the child, from 1",
            Cells::Int(
                runs.iter()
                    .map(|&(f, _, _)| numbers.get(care.period[f] as usize).copied())
                    .collect(),
            ),
        ),
        column(
            "placement",
            "its number within the child, from 1",
            Cells::Int(placement_no),
        ),
        column(
            "start",
            "`DECOM` of the episode that starts it",
            Cells::Date(
                runs.iter()
                    .map(|&(f, _, _)| Some(care.placement_start[f]))
                    .collect(),
            ),
        ),
        column(
            "end",
            "`DEC` of its last episode (empty while open)",
            Cells::Date(runs.iter().map(|&(_, l, _)| t.dec[l]).collect()),
        ),
        column(
            "place",
            "`PLACE` of the episode that starts it",
            Cells::Text(first_text(&t.place)),
        ),
        column(
            "place_provider",
            "`PLACE_PROVIDER` of the episode that starts it",
            Cells::Text(first_text(&t.place_provider)),
        ),
        column(
            "urn",
            "`URN` of the episode that starts it",
            Cells::Text(first_text(&t.urn)),
        ),
        column(
            "pl_post",
            "`PL_POST` of the episode that starts it",
            Cells::Text(first_text(&t.pl_post)),
        ),
        column(
            "episodes",
            "its episodes (temporary ones included)",
            Cells::Int(runs.iter().map(|&(_, _, n)| Some(n)).collect()),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::DatasetBuilder;
    use crate::records::{CareEpisode, Ssda903Return};

    fn ep(decom: &str, dec: Option<&str>, rne: &str, ls: &str, place: &str) -> CareEpisode {
        CareEpisode {
            child: "A,1".into(),
            decom: decom.parse().unwrap(),
            dec: dec.map(|d| d.parse().unwrap()),
            rne: rne.into(),
            ls: ls.into(),
            place: place.into(),
            urn: "SC\"1".into(),
            rec: if dec.is_some() { "E4A" } else { "" }.into(),
            ..CareEpisode::default()
        }
    }

    #[test]
    fn short_breaks_have_no_period_or_placement_and_text_is_quoted() {
        let mut ret = Ssda903Return::default();
        ret.source.collection_year = Some(2024);
        ret.episodes = vec![
            ep("2023-05-01", Some("2023-05-03"), "S", "V3", "U1"),
            ep("2023-06-01", Some("2023-07-01"), "S", "C2", "U1"),
            ep("2023-08-01", None, "S", "C2", "K2"),
        ];
        let ds = DatasetBuilder::new().ssda903(ret).build().unwrap();
        let eps = CleanedTable::CareEpisodes.of(&ds);
        assert_eq!(
            eps.column("period_of_care").unwrap().cells,
            Cells::Int(vec![None, Some(1), Some(2)])
        );
        assert_eq!(
            eps.column("placement").unwrap().cells,
            Cells::Int(vec![None, Some(1), Some(2)])
        );
        assert_eq!(
            eps.column("short_break").unwrap().cells,
            Cells::Flag(vec![true, false, false])
        );
        let mut csv = Vec::new();
        CleanedTable::Placements
            .of(&ds)
            .write_csv(&mut csv)
            .unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "child,period_of_care,placement,start,end,place,place_provider,urn,pl_post,episodes\n\
             \"A,1\",1,1,2023-06-01,2023-07-01,U1,,\"SC\"\"1\",,1\n\
             \"A,1\",2,2,2023-08-01,,K2,,\"SC\"\"1\",,1\n"
        );
        // The second period overlaps 2023-24 and the next year; the first only 2023-24.
        let next = CleanedTable::PeriodsOfCare
            .of(&ds)
            .overlapping(Period::financial_year(2025).unwrap());
        assert_eq!(next.rows(), 1);
        assert_eq!(
            next.column("start").unwrap().cells,
            Cells::Date(vec![Some("2023-08-01".parse().unwrap())])
        );
    }
}
