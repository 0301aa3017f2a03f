//! Hostile and careless SSDA903 CSV input (issue 16): nothing sized from the input is reserved
//! unchecked, no folder loads silently empty, no row vanishes into an open quote, no column is
//! ignored without a word, echoed values are clipped, lines are counted at every kind of line end,
//! nothing in a folder is passed over silently, UTF-16 is read as UTF-16, and a year decided by one
//! mistyped `DECOM` is named.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use csc_measures::quality::{Issue, IssueCode};
use csc_measures::records::Ssda903Return;
use csc_measures::{DatasetBuilder, ErrorKind};
use csc_returns::{Read, ReadOptions, cin, ssda903};

const H: &str =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN";

fn strict() -> ReadOptions {
    ReadOptions {
        strict: true,
        ..ReadOptions::default()
    }
}

fn read(name: &str, bytes: &[u8]) -> Read<Ssda903Return> {
    let mut read = Read::default();
    ssda903::read_csv_bytes(Arc::from(name), bytes, &ReadOptions::default(), &mut read).unwrap();
    read
}

fn codes(issues: &[Issue]) -> Vec<&'static str> {
    issues.iter().map(|i| i.code.as_str()).collect()
}

/// A fresh scratch folder.
fn scratch(what: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "csc-hostile-{what}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn episodes(rows: &[&str]) -> String {
    let mut s = format!("{H}\n");
    for r in rows {
        s.push_str(r);
        s.push('\n');
    }
    s
}

// D1 -------------------------------------------------------------------------------------------

/// Four million blank lines around one row: the episodes hold room for a handful of rows, not one
/// per line (the head once reserved 288 bytes per newline, and 100 MB of them aborted the host).
#[test]
fn blank_lines_reserve_nothing() {
    let mut csv = episodes(&["A1,01/04/2023,S,C2,N1,U1,PR1,,,,,,"]);
    csv.push_str(&"\n".repeat(4_000_000));
    csv.push_str("A2,02/04/2023,S,C2,N1,U1,PR1,,,,,,\n");
    let r = read("episodes.csv", csv.as_bytes());
    assert_eq!(r.ret.episodes.len(), 2);
    assert!(
        r.ret.episodes.capacity() <= 64,
        "{}",
        r.ret.episodes.capacity()
    );
    assert_eq!(r.ret.episodes[1].origin.line, 4_000_003);
    // Not UTF-8: decoded as Windows-1252, with the same bound.
    let mut latin = csv.into_bytes();
    latin.extend_from_slice(b"A\xe93,03/04/2023,S,C2,N1,U1,PR1,,,,,,\n");
    let r = read("episodes.csv", &latin);
    assert_eq!(r.ret.episodes.len(), 3);
    assert!(
        r.ret.episodes.capacity() <= 64,
        "{}",
        r.ret.episodes.capacity()
    );
    assert_eq!(r.ret.episodes[2].child, "A\u{e9}3");
}

// D2 -------------------------------------------------------------------------------------------

/// The folder of a year in the layout `synth` writes (`DIR/2024`, holding `ssda903/` and `cin.xml`) is no
/// return: an error naming the folder, what it skipped and the folder to give.
#[test]
fn a_folder_without_a_table_is_an_error_naming_what_it_skipped() {
    let dir = scratch("d2");
    let year = dir.join("2024");
    std::fs::create_dir_all(year.join("ssda903")).unwrap();
    std::fs::write(year.join("cin.xml"), "<Message/>").unwrap();
    std::fs::write(
        year.join("ssda903/episodes.csv"),
        episodes(&["A1,01/04/2023,S,C2,N1,U1,PR1,,,,,,"]),
    )
    .unwrap();
    let e = ssda903::read_dir(&year, &ReadOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    let msg = e.to_string();
    assert!(
        msg.starts_with(&format!("{}: no SSDA903 table", year.display())),
        "{msg}"
    );
    assert!(msg.contains("cin.xml (not a .csv file, not read)"), "{msg}");
    assert!(msg.contains("ssda903 (a sub-folder, not read)"), "{msg}");
    assert!(
        msg.contains(&format!(
            "{}: give that folder",
            year.join("ssda903").display()
        )),
        "{msg}"
    );
    // So does a folder whose only CSV file is no table, and an empty folder.
    let other = scratch("d2-other");
    std::fs::write(other.join("notes.csv"), "a,b\n1,2\n").unwrap();
    let e = ssda903::read_dir(&other, &ReadOptions::default()).unwrap_err();
    assert!(
        e.to_string()
            .contains("notes.csv (its header row matches no table)"),
        "{e}"
    );
    let empty = scratch("d2-empty");
    let e = ssda903::read_dir(&empty, &ReadOptions::default()).unwrap_err();
    assert!(e.to_string().ends_with("it is empty"), "{e}");
    // A header-only table is a table (spec 2.3): no error.
    std::fs::write(empty.join("episodes.csv"), format!("{H}\n")).unwrap();
    let r = ssda903::read_dir(&empty, &ReadOptions::default()).unwrap();
    assert_eq!(r.files[0].table, "Episodes");
    for d in [dir, other, empty] {
        std::fs::remove_dir_all(d).unwrap();
    }
}

// D3 -------------------------------------------------------------------------------------------

/// The report's file: a quote opened in `PLACE` on line 3 swallows lines 4 and 5. The row is
/// skipped and named with the lines it took in, and strict mode stops there.
#[test]
fn an_open_quote_skips_its_row_and_says_which_lines_it_swallowed() {
    let csv = episodes(&[
        "A1,01/04/2023,S,C2,N1,U1,PR1,01/06/2023,E11,,,,",
        "A2,02/04/2023,S,C2,N1,\"U1,PR1,,,,,,",
        "A3,03/04/2023,S,C2,N1,U1,PR1,,,,,,",
        "A4,04/04/2023,S,C2,N1,U1,PR1,,,,,,",
    ]);
    let r = read("episodes.csv", csv.as_bytes());
    assert_eq!(r.ret.episodes.len(), 1);
    assert_eq!((r.files[0].rows, r.files[0].skipped), (2, 1));
    assert_eq!(codes(&r.issues), ["unclosed_quote"]);
    let i = &r.issues[0];
    assert_eq!(i.child.as_deref(), Some("A2"));
    let loc = i.location.as_ref().unwrap();
    assert_eq!((loc.line, loc.column.as_deref()), (Some(3), Some("PLACE")));
    assert!(
        i.message.starts_with(
            "a quoted field in PLACE opened on line 3 is not closed before the end of the file \
             (line 5): 3 lines were read as one row of 6 fields (the header has 13), so whatever \
             lines 4-5 held is in it"
        ),
        "{}",
        i.message
    );
    let mut into = Read::default();
    let e = ssda903::read_csv_bytes(Arc::from("e.csv"), csv.as_bytes(), &strict(), &mut into)
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DataQuality);
    assert!(e.to_string().contains("[unclosed_quote]"), "{e}");
    // At the start of a row: the swallowed lines are named, not "DECOM is blank".
    let csv = episodes(&[
        "\"A1,01/04/2023,S,C2,N1,U1,PR1,,,,,,",
        "A2,02/04/2023,S,C2,N1,U1,PR1,,,,,,\"",
        "A3,03/04/2023,S,C2,N1,U1,PR1,,,,,,",
    ]);
    let r = read("episodes.csv", csv.as_bytes());
    assert_eq!(codes(&r.issues), ["unclosed_quote"]);
    assert!(
        r.issues[0].message.contains("runs on to line 3"),
        "{}",
        r.issues[0].message
    );
    assert_eq!(r.ret.episodes.len(), 1);
    assert_eq!(r.ret.episodes[0].child, "A3");
    assert_eq!(r.ret.episodes[0].origin.line, 4);
}

/// A line break inside a quoted note (a column no table reads) is no problem; a note whose quote is
/// never closed takes in every row after it, and is.
#[test]
fn a_line_break_in_a_note_is_kept_but_a_swallowing_note_is_not() {
    let h = format!("{H},NOTE");
    let csv = format!(
        "{h}\nA1,01/04/2023,S,C2,N1,U1,PR1,,,,,,,\"two\nlines\"\nA2,02/04/2023,S,C2,N1,U1,PR1,,,,,,,x\n"
    );
    let r = read("episodes.csv", csv.as_bytes());
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    assert_eq!(r.ret.episodes.len(), 2);
    assert_eq!(r.ret.episodes[1].origin.line, 4);
    let mut csv = format!("{h}\nA1,01/04/2023,S,C2,N1,U1,PR1,,,,,,,\"open\n");
    for n in 2..20 {
        writeln!(csv, "A{n},02/04/2023,S,C2,N1,U1,PR1,,,,,,,x").unwrap();
    }
    let r = read("episodes.csv", csv.as_bytes());
    assert_eq!(codes(&r.issues), ["unclosed_quote"]);
    assert!(
        r.issues[0].message.contains("in column 14"),
        "{}",
        r.issues[0].message
    );
    assert!(r.ret.episodes.is_empty());
}

// D6 -------------------------------------------------------------------------------------------

/// The dataset of one CSV file given no year.
fn dataset(csv: &str) -> csc_measures::Dataset {
    let r = read("episodes.csv", csv.as_bytes());
    let mut b = DatasetBuilder::new();
    b.add_issues(r.issues);
    b.add_ssda903(r.ret);
    b.build().unwrap()
}

fn of_code(ds: &csc_measures::Dataset, code: IssueCode) -> Vec<&Issue> {
    ds.issues().iter().filter(|i| i.code == code).collect()
}

/// One mistyped `DECOM` (2033 for 2023) decides the year of a return given none: named, with its
/// row and the year the others point to.
#[test]
fn a_year_decided_by_one_mistyped_decom_is_named() {
    let ds = dataset(&episodes(&[
        "Z1,01/05/2033,S,C2,N1,U1,PR1,,,,,,",
        "Z2,01/05/2023,S,C2,N1,U1,PR1,,,,,,",
    ]));
    assert_eq!(ds.latest_collection_year(), Some(2034));
    let hint = of_code(&ds, IssueCode::LikelyWrongYear);
    assert_eq!(hint.len(), 1, "{:?}", ds.issues());
    let i = hint[0];
    assert_eq!(i.child.as_deref(), Some("Z1"));
    let loc = i.location.as_ref().unwrap();
    assert_eq!(
        (loc.file.as_deref(), loc.line),
        (Some("episodes.csv"), Some(2))
    );
    assert!(
        i.message.contains("read as collection year 2034"),
        "{}",
        i.message
    );
    assert!(
        i.message.contains("give the return as 2024=PATH"),
        "{}",
        i.message
    );
    // Consecutive years are no gap, and a year given is not doubted here: no entry.
    let ds = dataset(&episodes(&[
        "Z1,01/05/2023,S,C2,N1,U1,PR1,,,,,,",
        "Z2,01/05/2022,S,C2,N1,U1,PR1,,,,,,",
    ]));
    assert!(of_code(&ds, IssueCode::LikelyWrongYear).is_empty());
}

/// `DECOM` 31/12/9999 decides no year (there is none after 9999): the return is the 2024 return of
/// its other episodes, and the date is reported after the return's end, as a `DEC` is.
#[test]
fn a_decom_after_the_returns_year_is_reported() {
    let ds = dataset(&episodes(&[
        "Z1,31/12/9999,S,C2,N1,U1,PR1,,,,,,",
        "Z2,01/05/2023,S,C2,N1,U1,PR1,,,,,,",
    ]));
    assert_eq!(ds.latest_collection_year(), Some(2024));
    let hint = of_code(&ds, IssueCode::LikelyWrongYear);
    assert!(
        hint[0]
            .message
            .contains("cannot decide the collection year"),
        "{hint:?}"
    );
    let after = of_code(&ds, IssueCode::DateAfterReturnEnd);
    assert_eq!(after.len(), 1, "{:?}", ds.issues());
    assert_eq!(after[0].child.as_deref(), Some("Z1"));
    assert!(
        after[0]
            .message
            .starts_with("DECOM 9999-12-31 is after 31 March 2024")
    );
    // A return given as 2024 with a DECOM in May 2024.
    let csv = episodes(&["Z3,01/05/2024,S,C2,N1,U1,PR1,,,,,,"]);
    let opts = ReadOptions {
        collection_year: Some(2024),
        ..ReadOptions::default()
    };
    let mut r = Read::default();
    ssda903::read_csv_bytes(Arc::from("e.csv"), csv.as_bytes(), &opts, &mut r).unwrap();
    let mut b = DatasetBuilder::new();
    b.add_ssda903(r.ret);
    let ds = b.build().unwrap();
    let after = of_code(&ds, IssueCode::DateAfterReturnEnd);
    assert_eq!(after.len(), 1, "{:?}", ds.issues());
    assert!(
        after[0]
            .message
            .starts_with("DECOM 2024-05-01 is after 31 March 2024")
    );
    assert_eq!(after[0].location.as_ref().unwrap().line, Some(2));
}

/// A `YEAR=` that disagrees with the CIN `ReferenceDate` is a `year_mismatch` warning.
#[test]
fn a_cin_year_given_against_its_reference_date_is_a_year_mismatch() {
    let xml = "<Message><Header><CollectionDetails><ReferenceDate>2024-03-31</ReferenceDate>\
               </CollectionDetails></Header><Children/></Message>";
    let opts = ReadOptions {
        collection_year: Some(2019),
        ..ReadOptions::default()
    };
    let r = cin::read_xml_from(Arc::from("cin.xml"), xml.as_bytes(), &opts).unwrap();
    assert_eq!(codes(&r.issues), ["year_mismatch"]);
    assert!(
        r.issues[0].message.contains("2019"),
        "{}",
        r.issues[0].message
    );
    let r = cin::read_xml_from(
        Arc::from("cin.xml"),
        xml.as_bytes(),
        &ReadOptions::default(),
    )
    .unwrap();
    assert!(r.issues.is_empty());
}

// D8 -------------------------------------------------------------------------------------------

/// A combined Header and Episodes extract is read as Episodes, and says which columns it did not
/// read; a repeated column is named, and a row whose repeat differs is reported.
#[test]
fn columns_not_read_are_named() {
    let csv = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,\
               REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
               A1,1,01/01/2010,WBRI,,,,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n";
    let r = read("combined.csv", csv.as_bytes());
    assert_eq!(r.files[0].table, "Episodes");
    assert_eq!(codes(&r.issues), ["unread_columns"]);
    let m = &r.issues[0].message;
    assert!(
        m.contains("every column of Header, whose SEX, DOB, ETHNIC, UPN, MOTHER, MC_DOB"),
        "{m}"
    );
    assert_eq!(r.issues[0].location.as_ref().unwrap().line, Some(1));
    // Two PLACE columns: named once for the file; a row whose second PLACE differs is reported.
    let csv = format!(
        "{H},place\nA1,01/04/2023,S,C2,N1,U1,PR1,,,,,,,U1\nA2,01/04/2023,S,C2,N1,U1,PR1,,,,,,,R1\n"
    );
    let r = read("episodes.csv", csv.as_bytes());
    assert_eq!(codes(&r.issues), ["unread_columns", "unreadable_value"]);
    let m = &r.issues[0].message;
    assert!(m.contains("PLACE is named 2 times (columns 6, 14)"), "{m}");
    let loc = r.issues[1].location.as_ref().unwrap();
    assert_eq!((loc.line, loc.value.as_deref()), (Some(3), Some("R1")));
    assert_eq!(r.ret.episodes[1].place, "U1");
    // A plain Header file with DUC names the DUC it does not read.
    let r = read(
        "header.csv",
        b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB,DUC\nA1,1,01/01/2010,WBRI,,,,\n",
    );
    assert_eq!(r.files[0].table, "Header");
    assert!(
        r.issues[0].message.contains("UASC, whose DUC"),
        "{}",
        r.issues[0].message
    );
}

// D9 -------------------------------------------------------------------------------------------

/// A 50 MB value and a 1 MB header come back in a few hundred bytes.
#[test]
fn echoed_values_are_clipped() {
    let long = "9".repeat(50 << 20);
    let csv = episodes(&[&format!("A1,{long},S,C2,N1,U1,PR1,,,,,,")]);
    let r = read("episodes.csv", csv.as_bytes());
    assert_eq!(codes(&r.issues), ["unreadable_date"]);
    let i = &r.issues[0];
    assert!(i.message.len() < 600, "{}", i.message.len());
    assert!(i.message.contains("… (52428800 bytes)"), "{}", i.message);
    let v = i.location.as_ref().unwrap().value.as_deref().unwrap();
    assert_eq!(v, format!("{}… (52428800 bytes)", "9".repeat(200)));
    assert!(i.to_string().len() < 1000);
    let header = "\0".repeat(1 << 20);
    let r = read("x.csv", format!("{header}\n1\n").as_bytes());
    assert_eq!(codes(&r.issues), ["unknown_table"]);
    assert!(
        r.issues[0].to_string().len() < 2000,
        "{}",
        r.issues[0].to_string().len()
    );
    assert!(r.issues[0].message.contains("NUL characters"));
}

// D16 ------------------------------------------------------------------------------------------

/// CR-only line ends: the entry names line 3, where the row is.
#[test]
fn cr_line_ends_count_lines() {
    let csv =
        format!("{H}\rA1,01/04/2023,S,C2,N1,U1,PR1,,,,,,\rA2,31/02/2023,S,C2,N1,U1,PR1,,,,,,\r");
    let r = read("episodes.csv", csv.as_bytes());
    assert_eq!(codes(&r.issues), ["unreadable_date"]);
    assert_eq!(r.issues[0].location.as_ref().unwrap().line, Some(3));
    assert_eq!(r.ret.episodes[0].origin.line, 2);
    // Mixed: CRLF, CR, LF, and blank lines of each.
    let csv = format!(
        "{H}\r\n\r\rA1,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n\nA2,31/02/2023,S,C2,N1,U1,PR1,,,,,,\r\n"
    );
    let r = read("episodes.csv", csv.as_bytes());
    assert_eq!(r.ret.episodes[0].origin.line, 4);
    assert_eq!(r.issues[0].location.as_ref().unwrap().line, Some(6));
}

// D17 ------------------------------------------------------------------------------------------

/// Entries of a folder that look like tables and are not read are `unknown_table` entries with
/// their reason; a FIFO is never opened (the read would block); a note, a sub-folder and hidden
/// entries are the folder's own business (as the golden `odd_names` folder has it).
#[cfg(unix)]
#[test]
fn entries_passed_over_are_named() {
    let dir = scratch("d17");
    std::fs::write(
        dir.join("episodes.csv"),
        episodes(&["A1,01/04/2023,S,C2,N1,U1,PR1,,,,,,"]),
    )
    .unwrap();
    std::fs::create_dir(dir.join("sub.csv")).unwrap();
    std::os::unix::fs::symlink("loop.csv", dir.join("loop.csv")).unwrap();
    std::os::unix::fs::symlink("nowhere.csv", dir.join("dangling.csv")).unwrap();
    std::fs::write(
        dir.join("header.txt"),
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n",
    )
    .unwrap();
    std::fs::write(dir.join("readme.txt"), "notes\n").unwrap();
    std::fs::write(dir.join(".DS_Store"), "\0\0").unwrap();
    std::fs::create_dir(dir.join("old")).unwrap();
    let fifo = dir.join("pipe.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let r = ssda903::read_dir(&dir, &ReadOptions::default()).unwrap();
    assert_eq!(r.ret.episodes.len(), 1);
    let said: Vec<(String, String)> = r
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::UnknownTable)
        .map(|i| {
            let f = i.location.as_ref().unwrap().file.as_deref().unwrap();
            let name = Path::new(f)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (name, i.message.clone())
        })
        .collect();
    let find = |n: &str| {
        said.iter()
            .find(|(f, _)| f == n)
            .map_or_else(|| panic!("{n}: {said:?}"), |(_, m)| m.as_str())
    };
    assert!(find("sub.csv").starts_with("a folder named like a CSV file"));
    assert!(find("loop.csv").starts_with("a link that cannot be followed"));
    assert!(find("dangling.csv").starts_with("a link to nothing"));
    assert!(find("header.txt").starts_with("its header row is the Header table's"));
    for quiet in ["readme.txt", "old", ".DS_Store"] {
        assert!(!said.iter().any(|(f, _)| f == quiet), "{said:?}");
    }
    if made.is_ok_and(|s| s.success()) {
        assert!(find("pipe.csv").starts_with("a named pipe (FIFO)"));
        assert_eq!(said.len(), 5);
    } else {
        assert_eq!(said.len(), 4);
    }
    // Strict mode stops at the first.
    let e = ssda903::read_dir(&dir, &strict()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DataQuality);
    std::fs::remove_dir_all(dir).unwrap();
}

// D21 ------------------------------------------------------------------------------------------

/// UTF-16, little- or big-endian, with or without a byte-order mark, reads as the UTF-8 file does,
/// with a warning naming UTF-16 (and a unit that is no character).
#[test]
fn utf16_is_read_as_utf16() {
    let text = episodes(&[
        "A1,01/04/2023,S,C2,N1,U1,PR1,,,,,,",
        "Zoë,02/04/2023,S,C2,N1,U1,PR1,,,,,,",
    ]);
    let utf8 = read("episodes.csv", text.as_bytes());
    let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    for bytes in [
        [&b"\xFF\xFE"[..], &le].concat(),
        [&b"\xFE\xFF"[..], &be].concat(),
        le.clone(),
        be,
    ] {
        let r = read("episodes.csv", &bytes);
        assert_eq!(codes(&r.issues), ["unreadable_value"]);
        let m = &r.issues[0].message;
        assert!(m.starts_with("the file is UTF-16 ("), "{m}");
        assert!(
            m.contains("-endian) text, not UTF-8: it was decoded as UTF-16 (save"),
            "{m}"
        );
        assert_eq!(r.ret, utf8.ret);
        assert_eq!((r.files[0].rows, r.files[0].skipped), (2, 0));
    }
    // A lone low surrogate for the ë.
    let broken: Vec<u8> = text
        .encode_utf16()
        .map(|u| if u == 0xEB { 0xDC00 } else { u })
        .flat_map(u16::to_le_bytes)
        .collect();
    let r = read("episodes.csv", &[&b"\xFF\xFE"[..], &broken].concat());
    assert_eq!(codes(&r.issues), ["unreadable_value"]);
    assert!(
        r.issues[0]
            .message
            .starts_with("the file is UTF-16 (little-endian)")
    );
    assert!(
        r.issues[0]
            .message
            .contains("1 unit(s) that are no character")
    );
    assert_eq!(r.issues[0].location.as_ref().unwrap().line, Some(3));
    assert_eq!(r.ret.episodes[1].child, "Zo\u{FFFD}");
}

/// An I/O error names the file once.
#[test]
fn an_io_error_names_the_file_once() {
    let dir = scratch("io");
    let missing = dir.join("gone");
    let e = ssda903::read_dir(&missing, &ReadOptions::default()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Io);
    let shown = e.to_string();
    assert_eq!(
        shown.matches(&*missing.to_string_lossy()).count(),
        1,
        "{shown}"
    );
    let e = ssda903::read_xml(&dir.join("gone.xml"), &ReadOptions::default()).unwrap_err();
    assert_eq!(e.to_string().matches("gone.xml").count(), 1, "{e}");
    std::fs::remove_dir_all(dir).unwrap();
}
