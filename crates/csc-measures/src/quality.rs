//! Data-quality issues: everything the library repaired, skipped or doubted, with where it was.
//!
//! Nothing is dropped without an [`Issue`]. An issue names its [`IssueCode`] (the spec's
//! snake_case code), the child and record date when known, a message a person can act on, and the
//! [`Location`] in the input file (file, line or element path, column, value) when the record came
//! from one.

use std::fmt;
use std::sync::Arc;

use compact_str::CompactString;

use crate::day::Day;

/// Where in an input file something was found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Location {
    /// The file's path as the caller gave it.
    pub file: Option<Arc<str>>,
    /// 1-based line number (CSV row line, or the line an XML element starts on).
    pub line: Option<u32>,
    /// The XML element path (`Message/Children/Child[3]/CINdetails[1]`), when from XML.
    pub path: Option<Arc<str>>,
    /// The column or element name.
    pub column: Option<CompactString>,
    /// The value as it stood in the file.
    pub value: Option<String>,
}

impl Location {
    /// A location in `file` at `line`.
    #[must_use]
    pub fn new(file: Arc<str>, line: u32) -> Location {
        Location {
            file: Some(file),
            line: Some(line),
            ..Location::default()
        }
    }

    /// The same location, at `column` holding `value` (kept as [`clip`] gives it: a value of
    /// any size is echoed in at most [`Echo::LIMIT`] characters).
    #[must_use]
    pub fn with_field(mut self, column: &str, value: &str) -> Location {
        self.column = Some(column.into());
        self.value = Some(clip(value));
        self
    }
}

/// A value from the input as messages and locations echo it: its first [`Echo::LIMIT`]
/// characters, then `… (N bytes)` when it is longer, so that a 1 GB field makes a line of a
/// report, not a gigabyte. `{}` shows it as it is, `{:?}` quoted and escaped (the count stays
/// outside the quotes).
///
/// ```
/// use csc_measures::quality::{Echo, clip};
/// assert_eq!(format!("{:?}", Echo("31/02/2024")), "\"31/02/2024\"");
/// let long = "9".repeat(50 << 20);
/// let shown = format!("{:?}", Echo(&long));
/// assert_eq!(shown, format!("\"{}\"… (52428800 bytes)", "9".repeat(200)));
/// assert_eq!(clip(&long).chars().count(), 200 + "… (52428800 bytes)".chars().count());
/// assert_eq!(clip("é".repeat(300).as_str()), format!("{}… (600 bytes)", "é".repeat(200)));
/// ```
#[derive(Clone, Copy)]
pub struct Echo<'a>(pub &'a str);

impl Echo<'_> {
    /// How many characters of a value are echoed.
    pub const LIMIT: usize = 200;

    /// The part shown, and the whole length in bytes when it was clipped.
    fn parts(&self) -> (&str, Option<usize>) {
        match self.0.char_indices().nth(Self::LIMIT) {
            Some((at, _)) => (&self.0[..at], Some(self.0.len())),
            None => (self.0, None),
        }
    }
}

impl fmt::Display for Echo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (shown, clipped) = self.parts();
        f.write_str(shown)?;
        match clipped {
            Some(n) => write!(f, "… ({n} bytes)"),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for Echo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (shown, clipped) = self.parts();
        write!(f, "{shown:?}")?;
        match clipped {
            Some(n) => write!(f, "… ({n} bytes)"),
            None => Ok(()),
        }
    }
}

/// A value from the input clipped as [`Echo`] shows it.
#[must_use]
pub fn clip(value: &str) -> String {
    Echo(value).to_string()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = "";
        if let Some(file) = &self.file {
            write!(f, "{file}")?;
            sep = ":";
        }
        if let Some(line) = self.line {
            write!(f, "{sep}{line}")?;
            sep = ":";
        }
        if let Some(path) = &self.path {
            write!(f, "{sep}{path}")?;
            sep = ": ";
        }
        if let Some(column) = &self.column {
            write!(
                f,
                "{}column {column}",
                if sep.is_empty() { "" } else { " " }
            )?;
        }
        if let Some(value) = &self.value {
            write!(f, " value {value:?}")?;
        }
        Ok(())
    }
}

macro_rules! issue_codes {
    ($($name:ident = $s:literal, $sev:ident, $grade:ident, $desc:literal;)*) => {
        /// The data-quality codes, one per kind of problem: the spec's, and those this library
        /// adds (`reversed_dates`, `year_mismatch`, `all_rows_skipped`, `mixed_date_formats`,
        /// `likely_wrong_year`, `unclosed_quote`, `unread_columns`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum IssueCode {
            $(#[doc = $desc] $name,)*
        }

        impl IssueCode {
            /// Every code, in declaration order.
            pub const ALL: &'static [IssueCode] = &[$(IssueCode::$name,)*];

            /// The stable snake_case code of the spec.
            #[must_use]
            pub const fn as_str(self) -> &'static str {
                match self { $(IssueCode::$name => $s,)* }
            }

            /// What the code means, in a sentence.
            #[must_use]
            pub const fn description(self) -> &'static str {
                match self { $(IssueCode::$name => $desc,)* }
            }

            /// How serious the issue is.
            #[must_use]
            pub const fn severity(self) -> Severity {
                match self { $(IssueCode::$name => Severity::$sev,)* }
            }

            /// Who can act on it: see [`Grade`] for the rule.
            #[must_use]
            pub const fn grade(self) -> Grade {
                match self { $(IssueCode::$name => Grade::$grade,)* }
            }
        }
    };
}

issue_codes! {
    OpenEpisodeClosed = "open_episode_closed", Repair, Source, "An open care episode followed by another was closed on the day the next one starts (its `DECOM`).";
    OverlapTruncated = "overlap_truncated", Repair, Source, "A care episode ending after the next one starts (its `DECOM`) was cut back to that day.";
    SupersededOpenRecord = "superseded_open_record", Repair, Expected, "An open record absent from the next year's return, whose child appears there, was dropped.";
    NotResubmittedClosed = "not_resubmitted_closed", Repair, Expected, "An open record absent from the next year's return, whose child does not appear there either, was closed on the first day of that year.";
    X1GapClosed = "x1_gap_closed", Repair, Source, "An episode with `REC = X1` (care continues) ending before the next one starts was extended to that day.";
    DuplicateRow = "duplicate_row", Warning, Source, "An identical row within one return was collapsed.";
    DuplicateKey = "duplicate_key", Warning, Source, "Different rows within one return share a key; all are kept.";
    DuplicateCollectionYear = "duplicate_collection_year", Warning, Loading, "Two returns of one kind have the same collection year; the later one given wins key by key.";
    DateAfterReturnEnd = "date_after_return_end", Warning, Source, "A date after the end of its return: an SSDA903 `DECOM` or `DEC` after the 31 March that ends the collection year, or a CIN census date after the census's `ReferenceDate` (or that 31 March, when earlier).";
    ReversedInterval = "reversed_interval", Skipped, Source, "A care episode whose `DEC` is before its `DECOM` was dropped.";
    UnreadableDate = "unreadable_date", Skipped, Source, "A date that is not in the return's format, or impossible.";
    HistoryTruncated = "history_truncated", Warning, Expected, "A period of care that began before the earliest loaded SSDA903 year: its true start is not in the data loaded.";
    RneInconsistent = "rne_inconsistent", Warning, Source, "`RNE` disagrees with the episode's place in its period of care.";
    CppOverlap = "cpp_overlap", Warning, Source, "A CP plan starting on or before an earlier plan's end, or while it is open.";
    OpenAfterCinClosed = "open_after_cin_closed", Warning, Source, "A plan or assessment still open after its CIN episode closed.";
    ChildFieldChanged = "child_field_changed", Warning, Source, "A child-level field (date of birth) differs between returns.";
    UnknownCode = "unknown_code", Warning, Source, "A code outside the published code list; it is kept as it stands.";
    MissingIdentifier = "missing_identifier", Skipped, Source, "A row without a child identifier (or another key field) was skipped.";
    DobAfterCareStart = "dob_after_care_start", Warning, Source, "A date of birth after the start of care.";
    NoCareEpisode = "no_care_episode", Warning, Loading, "An AD1 or PlacedAdoption row for a child with no care episode in the loaded SSDA903 returns (the episodes may be in a year not loaded).";
    UnknownTable = "unknown_table", Skipped, Loading, "A file whose header row matches no table of the return (or an empty file), or an XML element the return does not have where it stands (a record element out of its place); its rows are not read.";
    UnreadableValue = "unreadable_value", Warning, Source, "A value that could not be read (a count, a repeated field that differs, stray text), treated as unknown.";
    MissingKeyDate = "missing_key_date", Skipped, Source, "A blank key date (`REVIEW`, `MIS_START`, `SW_DECOM`, `CPPreviewDate`): the row, or that date, was skipped.";
    BlankRow = "blank_row", Skipped, Source, "An OC2 or OC3 row with every field but `CHILD` and `DOB` blank: no record.";
    ReversedDates = "reversed_dates", Warning, Source, "A record that ends before it starts (a CIN episode closed before its referral, an assessment authorised before it started, a plan ending before it started): kept as it stands; the measures exclude it.";
    YearMismatch = "year_mismatch", Warning, Loading, "The collection year a return states (CIN `<Year>`) or is given (`YEAR=PATH`) is not the year of its `ReferenceDate`.";
    AllRowsSkipped = "all_rows_skipped", Warning, Loading, "A table whose every row was skipped: it loads nothing (the first reason is named).";
    MixedDateFormats = "mixed_date_formats", Warning, Loading, "A file writing its dates both as DD/MM/YYYY and as YYYY-MM-DD; both are read, but the file was probably put together from two sources.";
    LikelyWrongYear = "likely_wrong_year", Warning, Loading, "Most of a return's care episodes start in another collection year than the one it was given (or, given none, than its latest `DECOM` says): probably the wrong `YEAR=`, or a mistyped date.";
    UnclosedQuote = "unclosed_quote", Skipped, Source, "A CSV field whose quote runs over the end of its line, so that the lines after it are read into one field (a quote left open, or a line break inside an identifier, code or date): the row, with the lines it took in, was skipped.";
    UnreadColumns = "unread_columns", Warning, Loading, "A CSV file whose header also holds the columns of another table (a combined extract), or names a column twice: the other table's columns are not read; of a repeated column the first is read, and a row whose repeats differ is reported.";
}

impl IssueCode {
    /// Does strict mode stop at an entry of this code? Exactly at what is not used (a skipped row,
    /// a blanked date, a skipped file) and at a duplicated collection year; never at a repair or a
    /// warning.
    #[must_use]
    pub fn stops_strict(self) -> bool {
        self.severity() == Severity::Skipped
            || matches!(
                self,
                IssueCode::DuplicateCollectionYear | IssueCode::AllRowsSkipped
            )
    }

    /// Is an entry of this code shown before all others? Those that say the load itself is
    /// probably wrong (`all_rows_skipped`, `likely_wrong_year`, `year_mismatch`): a table that
    /// loads nothing, or a return under the wrong year, makes every other entry and every measure
    /// beside the point.
    ///
    /// ```
    /// use csc_measures::quality::IssueCode;
    /// assert!(IssueCode::AllRowsSkipped.prominent());
    /// assert!(!IssueCode::HistoryTruncated.prominent());
    /// ```
    #[must_use]
    pub fn prominent(self) -> bool {
        matches!(
            self,
            IssueCode::AllRowsSkipped | IssueCode::LikelyWrongYear | IssueCode::YearMismatch
        )
    }
}

impl fmt::Display for IssueCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who can act on an issue, in the order a work list shows them.
///
/// The rule: an entry is [`Grade::Source`] when the record itself is wrong and only the case
/// management system (or its export) can put it right (unreadable or impossible dates, missing
/// identifiers, unknown codes, reversed dates, dates after the return's end, overlapping or
/// duplicated records, the care episode repairs, which mend episodes the system recorded
/// inconsistently); [`Grade::Loading`] when what was loaded, or how, is the likely mistake (a file
/// that is no table, a table that loads nothing, two returns for one year, a year that disagrees
/// with the return, dates written two ways, adoption rows whose episodes are in a year not
/// loaded); [`Grade::Expected`] when it follows from the data loaded and nobody need act (a period
/// of care that began before the first loaded year, the stitching of consecutive returns).
///
/// ```
/// use csc_measures::quality::{Grade, IssueCode};
/// assert_eq!(IssueCode::UnreadableDate.grade(), Grade::Source);
/// assert_eq!(IssueCode::HistoryTruncated.grade(), Grade::Expected);
/// assert!(Grade::Source < Grade::Loading && Grade::Loading < Grade::Expected);
/// assert_eq!(Grade::Expected.label(), "expected from the data you loaded");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grade {
    /// Fix in the source system.
    Source,
    /// Check what was loaded.
    Loading,
    /// Expected from the data you loaded.
    Expected,
}

impl Grade {
    /// Every grade, in listing order.
    pub const ALL: &'static [Grade] = &[Grade::Source, Grade::Loading, Grade::Expected];

    /// `source`, `loading` or `expected`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Grade::Source => "source",
            Grade::Loading => "loading",
            Grade::Expected => "expected",
        }
    }

    /// The grade in words, as a heading.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Grade::Source => "fix in the source system",
            Grade::Loading => "check what was loaded",
            Grade::Expected => "expected from the data you loaded",
        }
    }
}

/// How serious an issue is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// Kept as it stood; worth a look.
    Warning,
    /// Changed by a documented rule.
    Repair,
    /// Not used at all.
    Skipped,
}

impl Severity {
    /// `warning`, `repair` or `skipped`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Repair => "repair",
            Severity::Skipped => "skipped",
        }
    }
}

/// One data-quality entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// What kind of problem.
    pub code: IssueCode,
    /// The child, when known.
    pub child: Option<CompactString>,
    /// The record's key date, when known.
    pub record: Option<Day>,
    /// What happened, for a person.
    pub message: String,
    /// Where in the input, when the record came from a file.
    pub location: Option<Location>,
}

impl Issue {
    /// A new issue with a message.
    #[must_use]
    pub fn new(code: IssueCode, message: impl Into<String>) -> Issue {
        Issue {
            code,
            child: None,
            record: None,
            message: message.into(),
            location: None,
        }
    }

    /// The same issue about `child`.
    #[must_use]
    pub fn child(mut self, child: &str) -> Issue {
        self.child = Some(child.into());
        self
    }

    /// The same issue about the record dated `record`.
    #[must_use]
    pub fn record(mut self, record: Option<Day>) -> Issue {
        self.record = record;
        self
    }

    /// The same issue placed at `location` (no change when `None`).
    #[must_use]
    pub fn at(mut self, location: Option<Location>) -> Issue {
        if location.is_some() {
            self.location = location;
        }
        self
    }
}

impl Issue {
    /// The error strict mode stops with at this entry: the same code, child, record, detail and
    /// location, in one wording for every format and for the merge.
    ///
    /// ```
    /// use csc_measures::quality::{Issue, IssueCode, Location};
    /// let issue = Issue::new(IssueCode::UnreadableDate, "DECOM \"31/02/2024\" is not a date; row skipped")
    ///     .child("A1")
    ///     .at(Some(Location::new("episodes.csv".into(), 7)));
    /// let e = issue.strict_error();
    /// assert_eq!(e.kind(), csc_measures::ErrorKind::DataQuality);
    /// assert_eq!(
    ///     e.to_string(),
    ///     "episodes.csv:7: strict mode stops at the first problem: [unreadable_date] child A1: \
    ///      DECOM \"31/02/2024\" is not a date; row skipped"
    /// );
    /// ```
    #[must_use]
    pub fn strict_error(&self) -> crate::Error {
        let mut msg = format!("strict mode stops at the first problem: [{}]", self.code);
        if let Some(child) = &self.child {
            msg.push_str(" child ");
            msg.push_str(child);
        }
        if let Some(record) = self.record {
            msg.push_str(" record ");
            msg.push_str(&record.to_string());
        }
        msg.push_str(": ");
        msg.push_str(&self.message);
        let e = crate::Error::new(crate::ErrorKind::DataQuality, msg);
        match &self.location {
            Some(loc) => e.at(loc.clone()),
            None => e,
        }
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} [{}]", self.code.severity().as_str(), self.code)?;
        if let Some(loc) = &self.location {
            write!(f, " {loc}")?;
        }
        if let Some(child) = &self.child {
            write!(f, " child {child}")?;
        }
        if let Some(record) = self.record {
            write!(f, " record {record}")?;
        }
        write!(f, ": {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_column_and_value() {
        let loc = Location::new("2024/episodes.csv".into(), 17).with_field("DECOM", "31/02/2024");
        let issue = Issue::new(IssueCode::UnreadableDate, "row skipped")
            .child("A001")
            .at(Some(loc));
        assert_eq!(
            issue.to_string(),
            "skipped [unreadable_date] 2024/episodes.csv:17 column DECOM value \"31/02/2024\" child A001: row skipped"
        );
    }

    #[test]
    fn codes_are_the_spec_strings_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for c in IssueCode::ALL {
            assert!(seen.insert(c.as_str()), "{c}");
            assert!(
                c.as_str()
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch.is_ascii_digit())
            );
        }
        assert_eq!(IssueCode::X1GapClosed.as_str(), "x1_gap_closed");
    }

    #[test]
    fn every_code_has_a_grade_and_the_stitching_and_history_are_expected() {
        let expected: Vec<IssueCode> = IssueCode::ALL
            .iter()
            .copied()
            .filter(|c| c.grade() == Grade::Expected)
            .collect();
        assert_eq!(
            expected,
            [
                IssueCode::SupersededOpenRecord,
                IssueCode::NotResubmittedClosed,
                IssueCode::HistoryTruncated
            ]
        );
        for c in IssueCode::ALL {
            assert!(Grade::ALL.contains(&c.grade()), "{c}");
            // What the reader skipped is always a fault of the file itself, or of what was loaded.
            if c.severity() == Severity::Skipped {
                assert_ne!(c.grade(), Grade::Expected, "{c}");
            }
        }
        assert_eq!(IssueCode::AllRowsSkipped.grade(), Grade::Loading);
        assert_eq!(IssueCode::ReversedDates.grade(), Grade::Source);
        assert!(IssueCode::AllRowsSkipped.stops_strict());
    }

    #[test]
    fn descriptions_are_plain_words_without_section_numbers() {
        for c in IssueCode::ALL {
            let d = c.description().to_ascii_lowercase();
            assert!(!d.contains("spec"), "{c}: {d}");
            assert!(!d.contains("rule "), "{c}: {d}");
            assert!(
                !d.chars()
                    .zip(d.chars().skip(1))
                    .zip(d.chars().skip(2))
                    .any(|((a, b), c)| a.is_ascii_digit() && b == '.' && c.is_ascii_digit()),
                "{c}: {d}"
            );
            assert!(d.ends_with('.'), "{c}");
        }
    }
}
