//! Normalisation of fields and the published code lists (spec section 2, "Normalisation").
//!
//! Every field is trimmed; code fields are upper-cased and `PL_POST` also loses its internal spaces.
//! Codes outside the lists below are kept as they stand and reported as `unknown_code`.

use compact_str::CompactString;

/// `RNE`: reason for new episode.
pub const RNE: &[&str] = &["S", "L", "P", "T", "U", "B"];
/// `LS`: legal status.
pub const LS: &[&str] = &[
    "C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4",
];
/// `CIN`: category of need.
pub const CIN: &[&str] = &["N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"];
/// `PLACE`: placement type (current codes and the legacy ones still found in old returns).
pub const PLACE: &[&str] = &[
    "A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1", "T0",
    "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1", "A1", "A2", "F1", "F2", "F3",
    "F4", "F5", "F6", "H1", "H2", "H3", "H4", "K3", "M1", "M2", "M3", "P4", "P5", "R4", "Q1", "Q2",
];
/// `PLACE_PROVIDER`.
pub const PLACE_PROVIDER: &[&str] = &["PR0", "PR1", "PR2", "PR3", "PR4", "PR5"];
/// `REC`: reason episode ceased (current codes, `X1`, and the legacy E1 family).
pub const REC: &[&str] = &[
    "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E41", "E45", "E46", "E47", "E48",
    "E4A", "E4B", "E5", "E6", "E7", "E71", "E72", "E8", "E9", "X1", "E1", "E4", "E43", "E44",
];

/// Codes valid only in some collection years (spec 5.1 code sets): column, code, and the first and
/// last collection year (ending 31 March) in which the code is valid. Validity is judged against
/// the collection year of the return a row came from; a code used outside its years is kept and
/// classified as usual, after an `unknown_code` entry.
pub const VALIDITY: &[(&str, &str, Option<i32>, Option<i32>)] = &[
    ("PLACE", "H5", None, Some(2025)),
    ("PLACE", "P2", None, Some(2025)),
    ("PLACE", "K3", Some(2025), None),
    ("REC", "E45", Some(2019), None),
    ("REC", "E46", Some(2019), None),
    ("REC", "E47", Some(2019), None),
    ("REC", "E48", Some(2019), None),
    ("REC", "E43", None, Some(2018)),
    ("REC", "E44", None, Some(2018)),
    ("ACTIV", "F3", None, Some(2021)),
    ("ACTIV", "P3", None, Some(2021)),
];

/// When `code` of `column` is not valid in collection year `year`: the years it is valid in, as
/// words (`from 2024-25`, `to 2017-18`).
///
/// ```
/// use csc_measures::codes::outside_years;
/// assert_eq!(outside_years("PLACE", "K3", 2024).as_deref(), Some("from 2024-25"));
/// assert_eq!(outside_years("PLACE", "K3", 2025), None);
/// assert_eq!(outside_years("REC", "E43", 2019).as_deref(), Some("to 2017-18"));
/// assert_eq!(outside_years("REC", "E13", 1990), None);
/// ```
#[must_use]
pub fn outside_years(column: &str, code: &str, year: i32) -> Option<String> {
    let fy = |y: i32| format!("{}-{:02}", y - 1, y.rem_euclid(100));
    let &(_, _, from, to) = VALIDITY
        .iter()
        .find(|(c, k, _, _)| *c == column && *k == code)?;
    if from.is_some_and(|f| year < f) || to.is_some_and(|t| year > t) {
        Some(match (from, to) {
            (Some(f), Some(t)) => format!("from {} to {}", fy(f), fy(t)),
            (Some(f), None) => format!("from {}", fy(f)),
            (None, Some(t)) => format!("to {}", fy(t)),
            (None, None) => String::new(),
        })
    } else {
        None
    }
}
/// `REASON_PLACE_CHANGE`.
pub const REASON_PLACE_CHANGE: &[&str] = &[
    "CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE",
    "CUSTOD", "OTHER",
];
/// CIN `PrimaryNeedCode`.
pub const PRIMARY_NEED: &[&str] = &["N0", "N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8", "N9"];
/// CIN `ReasonForClosure`.
pub const REASON_FOR_CLOSURE: &[&str] = &["RC1", "RC2", "RC3", "RC4", "RC5", "RC6", "RC7", "RC8"];
/// CIN categories of abuse.
pub const CATEGORY_OF_ABUSE: &[&str] = &["NEG", "PHY", "SAB", "EMO", "MUL"];
/// CIN `AssessmentFactors`, in the order of spec 2.4 (and of DfE table C3).
pub const ASSESSMENT_FACTORS: &[&str] = &[
    "1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C", "4A", "4B", "4C", "5A", "5B", "5C", "6A",
    "6B", "6C", "7A", "8B", "8C", "8D", "8E", "8F", "9A", "10A", "11A", "12A", "13A", "14A", "15A",
    "16A", "17A", "18A", "18B", "18C", "19A", "19B", "19C", "20", "21", "22A", "23A", "24A",
];

/// Trims a field.
#[must_use]
pub fn trimmed(s: &str) -> CompactString {
    CompactString::from(s.trim())
}

/// Trims and upper-cases a code field (no allocation when it is already clean).
pub fn normalise_code(s: &mut CompactString) {
    let t = s.trim();
    if t.len() != s.len() || t.bytes().any(|b| b.is_ascii_lowercase()) {
        *s = CompactString::from(t.to_ascii_uppercase());
    }
}

/// Trims a free field.
pub fn normalise_text(s: &mut CompactString) {
    let t = s.trim();
    if t.len() != s.len() {
        *s = CompactString::from(t);
    }
}

/// `PL_POST`: trimmed, upper-cased, internal spaces removed.
pub fn normalise_postcode(s: &mut CompactString) {
    if s.bytes()
        .any(|b| b == b' ' || b.is_ascii_lowercase() || b.is_ascii_whitespace())
    {
        let v: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        *s = CompactString::from(v);
    }
}

/// Is `code` blank or in `list`?
#[must_use]
pub fn is_known(list: &[&str], code: &str) -> bool {
    code.is_empty() || list.contains(&code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising() {
        let mut c = CompactString::from(" e11 ");
        normalise_code(&mut c);
        assert_eq!(c, "E11");
        let mut p = CompactString::from(" ab1 2cd");
        normalise_postcode(&mut p);
        assert_eq!(p, "AB12CD");
        let mut t = CompactString::from("  A001 ");
        normalise_text(&mut t);
        assert_eq!(t, "A001");
        assert!(is_known(RNE, "") && is_known(RNE, "S") && !is_known(RNE, "Q"));
    }
}
