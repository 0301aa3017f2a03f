//! The SSDA903 tables: their names, official columns, date columns and file names.
//!
//! The column lists are those of the DfE SSDA903 return as the public validator encodes them
//! (data-to-insight/csc-validator-be-903, `lac_validator/config.py`, `column_names`). A CSV file is
//! recognised as a table when its header row holds every one of the table's columns (in any order,
//! in any case, with surrounding whitespace, among any other columns); when several tables match,
//! the one with the most columns wins, so a Header file with an extra `DUC` column is still a Header.

use std::fmt;

/// One table of the SSDA903 return.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    /// `Header`: one row per child.
    Header,
    /// `Episodes`: care episodes.
    Episodes,
    /// `AD1`: adoption decisions and matches.
    Ad1,
    /// `PlacedAdoption`: children placed for adoption (or with a placement decision).
    PlacedAdoption,
    /// `Reviews`: looked-after reviews.
    Reviews,
    /// `UASC`: unaccompanied asylum-seeking children.
    Uasc,
    /// `OC2`: outcomes of children looked after for a year.
    Oc2,
    /// `OC3`: care leavers.
    Oc3,
    /// `PrevPerm`: previous permanence.
    PrevPerm,
    /// `Missing`: missing or absent episodes.
    Missing,
    /// `SWEpisodes`: social worker episodes.
    SwEpisodes,
}

/// How a date column is checked (spec section 2, "Unusable rows").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DateKind {
    /// A child-level date (`DOB`, `MC_DOB`): unreadable is blanked and the row kept.
    Child,
    /// Any other date: unreadable makes the row unusable.
    Row,
    /// `DATE_PERM`: as [`DateKind::Row`], but the guide's partial forms with `ZZ` for an unknown
    /// day, day and month, or the whole date (`ZZ/05/2015`, `ZZ/ZZ/2015`, `ZZ/ZZ/ZZZZ`) are
    /// readable and kept as written.
    Partial,
}

impl Table {
    /// Every table, in the order the writer writes them.
    pub const ALL: [Table; 11] = [
        Table::Header,
        Table::Episodes,
        Table::Ad1,
        Table::PlacedAdoption,
        Table::Reviews,
        Table::Uasc,
        Table::Oc2,
        Table::Oc3,
        Table::PrevPerm,
        Table::Missing,
        Table::SwEpisodes,
    ];

    /// The table's name as the validator and [`FileReport::table`](crate::FileReport) give it
    /// (`Header`, `Episodes`, `AD1`, `PlacedAdoption`, `Reviews`, `UASC`, `OC2`, `OC3`,
    /// `PrevPerm`, `Missing`, `SWEpisodes`); also [`OtherRow::table`] for the other tables.
    ///
    /// [`OtherRow::table`]: csc_measures::records::OtherRow::table
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Table::Header => "Header",
            Table::Episodes => "Episodes",
            Table::Ad1 => "AD1",
            Table::PlacedAdoption => "PlacedAdoption",
            Table::Reviews => "Reviews",
            Table::Uasc => "UASC",
            Table::Oc2 => "OC2",
            Table::Oc3 => "OC3",
            Table::PrevPerm => "PrevPerm",
            Table::Missing => "Missing",
            Table::SwEpisodes => "SWEpisodes",
        }
    }

    /// The table named `name` (as [`Table::name`] gives it, in any case).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Table> {
        Table::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(name))
    }

    /// The official columns, in the official order (the order the writer uses).
    #[must_use]
    pub const fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Header => &["CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"],
            Table::Episodes => &[
                "CHILD",
                "DECOM",
                "RNE",
                "LS",
                "CIN",
                "PLACE",
                "PLACE_PROVIDER",
                "DEC",
                "REC",
                "REASON_PLACE_CHANGE",
                "HOME_POST",
                "PL_POST",
                "URN",
            ],
            Table::Ad1 => &[
                "CHILD",
                "DOB",
                "DATE_INT",
                "DATE_MATCH",
                "FOSTER_CARE",
                "NB_ADOPTR",
                "SEX_ADOPTR",
                "LS_ADOPTR",
            ],
            Table::PlacedAdoption => &[
                "CHILD",
                "DOB",
                "DATE_PLACED",
                "DATE_PLACED_CEASED",
                "REASON_PLACED_CEASED",
            ],
            Table::Reviews => &["CHILD", "DOB", "REVIEW", "REVIEW_CODE"],
            Table::Uasc => &["CHILD", "SEX", "DOB", "DUC"],
            Table::Oc2 => &[
                "CHILD",
                "DOB",
                "SDQ_SCORE",
                "SDQ_REASON",
                "CONVICTED",
                "HEALTH_CHECK",
                "IMMUNISATIONS",
                "TEETH_CHECK",
                "HEALTH_ASSESSMENT",
                "SUBSTANCE_MISUSE",
                "INTERVENTION_RECEIVED",
                "INTERVENTION_OFFERED",
            ],
            Table::Oc3 => &["CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"],
            Table::PrevPerm => &["CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"],
            Table::Missing => &["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"],
            Table::SwEpisodes => &["CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"],
        }
    }

    /// The file name the CSV writer gives the table (the names of the validator's sample files).
    #[must_use]
    pub const fn file_name(self) -> &'static str {
        match self {
            Table::Header => "header.csv",
            Table::Episodes => "episodes.csv",
            Table::Ad1 => "ad1.csv",
            Table::PlacedAdoption => "placed_for_adoption.csv",
            Table::Reviews => "reviews.csv",
            Table::Uasc => "uasc.csv",
            Table::Oc2 => "oc2.csv",
            Table::Oc3 => "oc3.csv",
            Table::PrevPerm => "previous_permanence.csv",
            Table::Missing => "missing.csv",
            Table::SwEpisodes => "sw_episodes.csv",
        }
    }

    /// The date columns, as indexes into [`Table::columns`], with how each is checked, in column
    /// order.
    pub(crate) const fn dates(self) -> &'static [(usize, DateKind)] {
        use DateKind::{Child, Partial, Row};
        match self {
            Table::Header => &[(2, Child), (6, Child)],
            Table::Episodes => &[(1, Row), (7, Row)],
            Table::Ad1 | Table::PlacedAdoption => &[(1, Child), (2, Row), (3, Row)],
            Table::Reviews => &[(1, Child), (2, Row)],
            Table::Uasc => &[(2, Child), (3, Row)],
            Table::Oc2 | Table::Oc3 => &[(1, Child)],
            Table::PrevPerm => &[(1, Child), (4, Partial)],
            Table::Missing | Table::SwEpisodes => &[(1, Child), (3, Row), (4, Row)],
        }
    }

    /// The column whose date is the record's key date in issues, when the table has one.
    pub(crate) const fn key_date(self) -> Option<usize> {
        match self {
            Table::Episodes => Some(1),
            Table::PlacedAdoption | Table::Reviews => Some(2),
            Table::Ad1 | Table::Missing | Table::SwEpisodes => Some(3),
            Table::PrevPerm => Some(4),
            Table::Header | Table::Uasc | Table::Oc2 | Table::Oc3 => None,
        }
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A header row matched to a table: for each official column, the position of its field.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    pub table: Table,
    /// For each official column (as [`Table::columns`] orders them), the field position.
    pub positions: Vec<usize>,
    /// Each field's column name: the official spelling when it is an official column of the
    /// table, else the header as written (trimmed).
    pub names: Vec<compact_str::CompactString>,
}

/// Why a header row matched no table: the closest table and the columns it lacks.
#[derive(Clone, Debug)]
pub(crate) struct NoMatch {
    pub closest: Table,
    pub missing: Vec<&'static str>,
}

/// Recognises the table of a header row whose names are already trimmed.
pub(crate) fn recognise(header: &[&str]) -> Result<Layout, NoMatch> {
    let position = |col: &str| header.iter().position(|h| h.eq_ignore_ascii_case(col));
    let mut best: Option<(Table, Vec<usize>)> = None;
    let mut closest: Option<(Table, usize, Vec<&'static str>)> = None;
    for table in Table::ALL {
        let mut positions = Vec::with_capacity(table.columns().len());
        let mut missing = Vec::new();
        for &col in table.columns() {
            match position(col) {
                Some(p) => positions.push(p),
                None => missing.push(col),
            }
        }
        if missing.is_empty() {
            if best
                .as_ref()
                .is_none_or(|(t, _)| t.columns().len() < table.columns().len())
            {
                best = Some((table, positions));
            }
        } else {
            let found = table.columns().len() - missing.len();
            // Closest: the most of the table's columns found, then the largest share of them.
            let better = closest.as_ref().is_none_or(|(t, f, _)| {
                found > *f || (found == *f && found * t.columns().len() > f * table.columns().len())
            });
            if better {
                closest = Some((table, found, missing));
            }
        }
    }
    let Some((table, positions)) = best else {
        let (closest, _, missing) = closest.unwrap_or((Table::Header, 0, Vec::new()));
        return Err(NoMatch { closest, missing });
    };
    let mut names: Vec<compact_str::CompactString> = header.iter().map(|h| (*h).into()).collect();
    for (&col, &p) in table.columns().iter().zip(&positions) {
        names[p] = col.into();
    }
    Ok(Layout {
        table,
        positions,
        names,
    })
}

/// Whether `s` is one of the guide's partial `DATE_PERM` forms: `ZZ/MM/YYYY`, `ZZ/ZZ/YYYY` or
/// `ZZ/ZZ/ZZZZ` (any case), whose known parts make a real date.
pub(crate) fn is_partial_date(s: &str) -> bool {
    let mut parts = s.split('/');
    let (Some(d), Some(m), Some(y), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let zz = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.eq_ignore_ascii_case(&b'z'));
    if !zz(d, 2) {
        return false;
    }
    if zz(m, 2) {
        return zz(y, 4) || (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()));
    }
    csc_measures::day::parse_dmy(&format!("01/{m}/{y}")).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_date_column_is_a_column() {
        for t in Table::ALL {
            for &(i, _) in t.dates() {
                assert!(i < t.columns().len(), "{t}");
            }
            if let Some(k) = t.key_date() {
                assert!(t.dates().iter().any(|&(i, _)| i == k), "{t}");
            }
            assert_eq!(t.columns()[0], "CHILD");
            assert_eq!(Table::from_name(t.name()), Some(t));
        }
        assert_eq!(Table::Missing.columns()[3], "MIS_START");
        assert_eq!(Table::SwEpisodes.columns()[3], "SW_DECOM");
    }

    #[test]
    fn recognition_prefers_the_widest_match() {
        let l = recognise(&["child", "SEX", "DOB", "DUC"]).unwrap();
        assert_eq!(l.table, Table::Uasc);
        let l = recognise(&[
            "CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB", "DUC",
        ])
        .unwrap();
        assert_eq!(l.table, Table::Header);
        let e = recognise(&["CHILD", "SEX", "DOB", "ETHNIC"]).unwrap_err();
        assert_eq!(e.closest, Table::Header);
        assert_eq!(e.missing, ["UPN", "MOTHER", "MC_DOB"]);
    }

    #[test]
    fn partial_permanence_dates() {
        for ok in ["ZZ/05/2015", "zz/zz/2015", "ZZ/ZZ/ZZZZ", "ZZ/5/2015"] {
            assert!(is_partial_date(ok), "{ok}");
        }
        for bad in [
            "05/ZZ/2015",
            "ZZ/13/2015",
            "ZZ/ZZ/15",
            "ZZ/ZZ/ZZ",
            "01/05/2015",
            "",
        ] {
            assert!(!is_partial_date(bad), "{bad}");
        }
    }
}
