//! Reading one field of a return: dates, booleans, counts, each with the spec's rules (section 2).
//!
//! These functions only classify; the readers turn a failure into an
//! [`Issue`](csc_measures::quality::Issue) with the file, line, column and value.

use csc_measures::Day;
use csc_measures::rows::DateSyntax;

/// A field that could not be read, with the text that stood there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable<'a>(pub &'a str);

/// An SSDA903 date, `D/M/YYYY`, or `YYYY-M-D` (spec 2: a four-digit year first is unambiguous):
/// blank is `Ok(None)`; a two-digit year, a swapped day and month that makes an impossible date, or
/// a time part is unreadable (never a guess).
///
/// ```
/// use csc_returns::field::ssda903_date;
/// assert_eq!(ssda903_date(" 01/04/2023 ").unwrap().unwrap().to_string(), "2023-04-01");
/// assert_eq!(ssda903_date("2023-04-01").unwrap().unwrap().to_string(), "2023-04-01");
/// assert_eq!(ssda903_date("").unwrap(), None);
/// assert!(ssda903_date("01/04/23").is_err());
/// assert!(ssda903_date("13/13/2023").is_err());
/// ```
pub fn ssda903_date(raw: &str) -> Result<Option<Day>, Unreadable<'_>> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    DateSyntax::Ssda903
        .parse(t)
        .map(Some)
        .ok_or(Unreadable(raw))
}

/// A CIN census date, `YYYY-M-D`: blank is `Ok(None)`; anything else unreadable.
///
/// ```
/// use csc_returns::field::cin_date;
/// assert_eq!(cin_date("2023-4-1").unwrap().unwrap().to_string(), "2023-04-01");
/// assert!(cin_date("01/04/2023").is_err());
/// assert!(cin_date("2023-04-01T00:00:00").is_err());
/// ```
pub fn cin_date(raw: &str) -> Result<Option<Day>, Unreadable<'_>> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    DateSyntax::Cin.parse(t).map(Some).ok_or(Unreadable(raw))
}

/// A CIN boolean: `true`/`1` true, `false`/`0` false, in any case; blank `Ok(None)`; anything else
/// unreadable (the reader reports it and treats it as unknown).
///
/// ```
/// use csc_returns::field::cin_bool;
/// assert_eq!(cin_bool("TRUE"), Ok(Some(true)));
/// assert_eq!(cin_bool(" 0 "), Ok(Some(false)));
/// assert_eq!(cin_bool(""), Ok(None));
/// assert!(cin_bool("yes").is_err());
/// ```
pub fn cin_bool(raw: &str) -> Result<Option<bool>, Unreadable<'_>> {
    let t = raw.trim();
    if t.is_empty() {
        Ok(None)
    } else if t == "1" || t.eq_ignore_ascii_case("true") {
        Ok(Some(true))
    } else if t == "0" || t.eq_ignore_ascii_case("false") {
        Ok(Some(false))
    } else {
        Err(Unreadable(raw))
    }
}

/// A non-negative count such as `NumberOfPreviousCPP` (leading zeros allowed); blank `Ok(None)`.
///
/// ```
/// use csc_returns::field::count;
/// assert_eq!(count("02"), Ok(Some(2)));
/// assert_eq!(count(""), Ok(None));
/// assert!(count("-1").is_err() && count("two").is_err());
/// ```
pub fn count(raw: &str) -> Result<Option<u32>, Unreadable<'_>> {
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if !t.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Unreadable(raw));
    }
    t.parse().map(Some).map_err(|_| Unreadable(raw))
}
