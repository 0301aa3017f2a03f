//! # csc-returns
//!
//! Readers and writers of the statutory returns of English children's social care, into and out of
//! the records of [`csc_measures::records`]:
//!
//! * [`ssda903`]: the SSDA903 return as a folder of CSV tables (each recognised by its header row,
//!   whatever the file is called) or as XML (`EXPSSDA903`);
//! * [`cin`]: the CIN census XML, streamed in linear time and in memory bounded by its largest
//!   `Child` (a field's value is read up to 64 KiB, a single tag or comment up to 1 MiB: see
//!   [`cin`]). The SSDA903 XML reader streams alike.
//!
//! Readers are lenient by default: a row they cannot use is skipped and reported as an
//! [`Issue`](csc_measures::quality::Issue) naming the file, line, column and value; a strict read
//! stops at the first problem with an error carrying the same detail. The request layer (`csc-api`)
//! reads several returns at once and merges them into a [`csc_measures::Dataset`] (spec 2.1).

pub mod cin;
pub mod field;
pub mod ssda903;

pub use csc_measures::rows::{FileReport, Read, ReadOptions};

/// Appends `[n]` to an element path, as `write!(path, "[{n}]")` would, without the formatting
/// machinery: both XML readers run it for every record element.
pub(crate) fn push_index(path: &mut String, n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    path.push('[');
    for &d in &digits[i..] {
        path.push(char::from(d));
    }
    path.push(']');
}
