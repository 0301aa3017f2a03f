//! SSDA903 readers and writers: recognition, tolerance, the unusable-row rules, strict mode, round
//! trips, and the public sample data.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use csc_measures::quality::{Issue, IssueCode};
use csc_measures::records::{
    Ad1, CareEpisode, Header, OtherRow, PlacedAdoption, RowOrigin, Ssda903Return,
};
use csc_measures::{Day, ErrorKind};
use csc_returns::ssda903::{self, Table};
use csc_returns::{Read, ReadOptions};

fn golden(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/ssda903")
        .join(rel)
}

fn day(s: &str) -> Day {
    s.parse().unwrap()
}

fn lenient() -> ReadOptions {
    ReadOptions::default()
}

fn strict() -> ReadOptions {
    ReadOptions {
        strict: true,
        ..ReadOptions::default()
    }
}

fn empty_read() -> Read<Ssda903Return> {
    Read {
        ret: Ssda903Return::default(),
        issues: Vec::new(),
        files: Vec::new(),
    }
}

fn read_bytes(name: &str, bytes: &[u8]) -> Read<Ssda903Return> {
    let mut read = empty_read();
    ssda903::read_csv_bytes(Arc::from(name), bytes, &lenient(), &mut read).unwrap();
    read
}

/// A fresh scratch folder under the system temp dir.
fn scratch(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "csc-returns-ssda903-{}-{tag}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The issue's code, file name (last component), line, column and value.
fn at(i: &Issue) -> (IssueCode, String, u32, String, String) {
    let loc = i.location.as_ref().expect("a location");
    let file = loc.file.as_deref().unwrap_or("");
    (
        i.code,
        file.rsplit(['/', '\\']).next().unwrap_or("").to_owned(),
        loc.line.unwrap_or(0),
        loc.column
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        loc.value.clone().unwrap_or_default(),
    )
}

fn field<'a>(row: &'a OtherRow, name: &str) -> &'a str {
    row.fields
        .iter()
        .find(|(n, _)| n == name)
        .map_or("<absent>", |(_, v)| v.as_str())
}

// ---------------------------------------------------------------------------------------------
// Recognition and tolerance

#[test]
fn tables_are_recognised_by_their_header_whatever_the_file_is_called() {
    let read = ssda903::read_dir(&golden("odd_names"), &lenient()).unwrap();
    assert!(read.issues.is_empty(), "{:?}", read.issues);
    let tables: Vec<(String, &str, usize)> = read
        .files
        .iter()
        .map(|f| {
            (
                f.path.rsplit('/').next().unwrap().to_owned(),
                f.table.as_str(),
                f.rows,
            )
        })
        .collect();
    assert_eq!(
        tables,
        [
            ("Z.CSV".to_owned(), "UASC", 1),
            ("export_1.csv".to_owned(), "Episodes", 2),
            ("reviews.csv".to_owned(), "Header", 1),
        ]
    );
    assert_eq!(read.ret.source.files.len(), 3);
    // Reordered, lower-cased, padded columns and extra columns read by name.
    let e = &read.ret.episodes;
    assert_eq!(e.len(), 2);
    assert_eq!(e[0].child, "000123");
    assert_eq!(e[0].urn, "1234567");
    assert_eq!(e[0].decom, day("2023-04-01"));
    assert_eq!(e[0].dec, Some(day("2023-06-15")));
    assert_eq!(e[0].pl_post, "EF3 4GH");
    assert_eq!(e[1].dec, None);
    assert_eq!(e[1].origin, RowOrigin::new(1, 3));
    let h = &read.ret.headers[0];
    assert_eq!(
        (h.child.as_str(), h.sex.as_str(), h.dob, h.upn.as_str()),
        ("000123", "1", Some(day("2009-06-05")), "A123456789012")
    );
    let u = &read.ret.other[0];
    assert_eq!(u.table, "UASC");
    assert_eq!(field(u, "DUC"), "05/06/2027");
}

#[test]
fn bom_crlf_blank_lines_quotes_and_whitespace() {
    let read = ssda903::read_files(&[golden("messy/data.csv")], &lenient()).unwrap();
    assert_eq!(read.files[0].table, "Header");
    assert_eq!(read.files[0].rows, 3);
    let h = &read.ret.headers;
    assert_eq!(h.len(), 3);
    assert_eq!(h[0].child, "00042");
    assert_eq!(h[0].sex, "1");
    assert_eq!(h[0].dob, Some(day("2012-04-03")));
    assert_eq!(h[0].upn, "A1,23");
    assert_eq!(h[0].origin.line, 3);
    assert_eq!(h[1].child, "0043");
    assert_eq!(h[1].dob, Some(day("2013-05-04")));
    assert_eq!(h[1].ethnic, "WO\"TH");
    assert_eq!(h[1].upn, "line one\r\nline two");
    assert_eq!(h[1].origin.line, 5);
    // The row after the two-line quoted field is on line 7, and its impossible DOB is blanked.
    assert_eq!(h[2].origin.line, 7);
    assert_eq!(h[2].dob, None);
    assert_eq!(read.issues.len(), 1);
    assert_eq!(
        at(&read.issues[0]),
        (
            IssueCode::UnreadableDate,
            "data.csv".into(),
            7,
            "DOB".to_owned(),
            "31/04/2013".to_owned()
        )
    );
}

#[test]
fn the_same_tolerance_in_memory() {
    let text = " CHILD ,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n\
                \r\n\r\n\
                \" 0007 \", 01/04/2023 ,S,C2,N1,U1,PR1,,,,\"AB1, 2CD\",,\r\n\
                ,,,,,,,,,,,,\r\n\
                0008,02/04/2023,S,C2,N1,U1,PR1,,,,,,";
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    let read = read_bytes("eps.csv", &bytes);
    assert!(read.issues.is_empty(), "{:?}", read.issues);
    assert_eq!(read.files[0].rows, 2, "an all-blank row is a blank line");
    let e = &read.ret.episodes;
    assert_eq!((e[0].child.as_str(), e[0].origin.line), ("0007", 4));
    assert_eq!(e[0].decom, day("2023-04-01"));
    assert_eq!(e[0].home_post, "AB1, 2CD");
    assert_eq!((e[1].child.as_str(), e[1].origin.line), ("0008", 6));
}

#[test]
fn leading_zeros_and_case_are_kept_and_codes_are_not_normalised() {
    let read = read_bytes(
        "h.csv",
        b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n  000001 ,1,01/01/2010, wbri ,a1,,\n0a1,2,,,,,\n",
    );
    let h = &read.ret.headers;
    assert_eq!(h[0].child, "000001");
    assert_eq!(h[0].ethnic, "wbri");
    assert_eq!(h[1].child, "0a1");
    assert_eq!(h[1].dob, None, "a blank date stays blank without an issue");
    assert!(read.issues.is_empty());
}

#[test]
fn a_file_matching_no_table_is_reported_with_its_header() {
    let read = read_bytes(
        "mystery.csv",
        b"CHILD,SEX,DOB,ETHNIC\n1,1,01/01/2010,WBRI\n\n2,1,,\n",
    );
    assert_eq!(read.files[0].table, "");
    assert_eq!((read.files[0].rows, read.files[0].skipped), (2, 2));
    assert_eq!(read.issues.len(), 1);
    let i = &read.issues[0];
    assert_eq!(i.code, IssueCode::UnknownTable);
    let loc = i.location.as_ref().unwrap();
    assert_eq!(loc.file.as_deref(), Some("mystery.csv"));
    assert_eq!(loc.line, Some(1));
    assert_eq!(loc.value.as_deref(), Some("CHILD,SEX,DOB,ETHNIC"));
    assert!(
        i.message.contains("[CHILD,SEX,DOB,ETHNIC]"),
        "{}",
        i.message
    );
    assert!(
        i.message.contains("closest: Header") && i.message.contains("UPN, MOTHER, MC_DOB"),
        "{}",
        i.message
    );

    let empty = read_bytes("empty.csv", b"\xEF\xBB\xBF\r\n\r\n");
    assert_eq!(empty.issues.len(), 1);
    assert!(empty.issues[0].message.contains("empty.csv is empty"));

    let mut into = empty_read();
    let err = ssda903::read_csv_bytes(
        Arc::from("mystery.csv"),
        b"foo,bar\n1,2\n",
        &strict(),
        &mut into,
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DataQuality);
    assert!(err.to_string().contains("mystery.csv"), "{err}");
    assert!(err.to_string().contains("[foo,bar]"), "{err}");
}

#[test]
fn a_file_that_is_not_utf8_is_read_as_windows_1252() {
    let read = read_bytes(
        "h.csv",
        b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,1,01/01/2010,WBRI,Ren\xe9e \x80,,\n",
    );
    assert_eq!(read.ret.headers[0].upn, "Renée €");
    assert_eq!(read.issues.len(), 1);
    assert_eq!(read.issues[0].code, IssueCode::UnreadableValue);
}

// ---------------------------------------------------------------------------------------------
// The unusable-row rules

#[test]
#[allow(clippy::too_many_lines)] // one scenario, read top to bottom
fn every_unusable_row_rule_with_its_code_line_column_and_value() {
    use IssueCode::{MissingIdentifier as Missing, UnreadableDate as Unreadable};
    let read = ssda903::read_dir(&golden("rules"), &lenient()).unwrap();
    let got: Vec<_> = read.issues.iter().map(at).collect();
    let want = [
        (Unreadable, "ad1.csv", 2, "DOB", "01/02/10"),
        (Unreadable, "ad1.csv", 3, "DATE_MATCH", "2020-03-01"),
        (Missing, "episodes.csv", 3, "DECOM", ""),
        (Unreadable, "episodes.csv", 4, "DECOM", "31/02/2024"),
        (Unreadable, "episodes.csv", 5, "DEC", "01/06/23"),
        (Unreadable, "episodes.csv", 6, "DEC", "07/13/2023"),
        (Missing, "header.csv", 3, "CHILD", ""),
        (Unreadable, "header.csv", 4, "DOB", "2011-02-01"),
        (Unreadable, "header.csv", 4, "MC_DOB", "31/02/2020"),
        (Unreadable, "missing.csv", 2, "MIS_END", "31/06/2023"),
        (IssueCode::UnknownTable, "notes.csv", 1, "", "foo,bar"),
        (
            Unreadable,
            "placed.csv",
            2,
            "DATE_PLACED_CEASED",
            "32/03/2021",
        ),
        (Unreadable, "prev_perm.csv", 3, "DATE_PERM", "2015"),
        (Unreadable, "reviews.csv", 3, "REVIEW", "01/05/2023 10:00"),
        (Unreadable, "reviews.csv", 4, "DOB", "2011-02-01"),
        (Missing, "sw.csv", 3, "CHILD", " "),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|&(c, f, l, col, v)| (c, f.to_owned(), l, col.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(got, want);

    // Children and record dates are named where known; messages say what happened.
    let decom = &read.issues[3];
    assert_eq!(decom.child.as_deref(), Some("0012"));
    assert_eq!(
        decom.message,
        "DECOM \"31/02/2024\" is not a DD/MM/YYYY date; row skipped"
    );
    let dec = &read.issues[4];
    assert_eq!(dec.record, Some(day("2023-05-01")));
    assert!(dec.message.ends_with("; row skipped"));
    let blank_decom = &read.issues[2];
    assert!(
        blank_decom.message.contains("DECOM is blank"),
        "{}",
        blank_decom.message
    );
    let dob = &read.issues[7];
    assert_eq!(dob.child.as_deref(), Some("0013"));
    assert!(
        dob.message.ends_with("blanked, row kept"),
        "{}",
        dob.message
    );
    assert_eq!(
        read.issues[1].record, None,
        "an unreadable key date is no record date"
    );
    assert_eq!(read.issues[11].record, Some(day("2020-03-01")));
    assert_eq!(read.issues[6].child, None);

    // What was kept.
    let r = &read.ret;
    assert_eq!(r.ad1.len(), 1);
    assert_eq!(
        (r.ad1[0].dob, r.ad1[0].date_match),
        (None, Some(day("2020-03-01")))
    );
    assert_eq!(
        r.episodes.iter().map(|e| e.decom).collect::<Vec<_>>(),
        [day("2023-04-01"), day("2023-08-01")]
    );
    assert_eq!(r.headers.len(), 2);
    assert_eq!((r.headers[1].dob, r.headers[1].mc_dob), (None, None));
    assert_eq!(r.headers[1].mother, "1");
    assert_eq!(r.placed_adoption.len(), 1);
    assert_eq!(r.placed_adoption[0].child, "0013");
    let other = |t: &str| r.other.iter().filter(|o| o.table == t).collect::<Vec<_>>();
    let perm = other("PrevPerm");
    assert_eq!(perm.len(), 1);
    assert_eq!(field(perm[0], "DATE_PERM"), "ZZ/ZZ/2015");
    assert!(other("Missing").is_empty());
    let reviews = other("Reviews");
    assert_eq!(reviews.len(), 2);
    assert_eq!(
        field(reviews[1], "DOB"),
        "",
        "the blanked DOB is left blank"
    );
    assert_eq!(field(reviews[1], "REVIEW"), "01/06/2023");
    assert_eq!(other("SWEpisodes").len(), 1);

    // The file reports.
    let report: Vec<(&str, usize, usize)> = read
        .files
        .iter()
        .map(|f| (f.table.as_str(), f.rows, f.skipped))
        .collect();
    assert_eq!(
        report,
        [
            ("AD1", 2, 1),
            ("Episodes", 6, 4),
            ("Header", 3, 1),
            ("Missing", 1, 1),
            ("", 1, 1),
            ("PlacedAdoption", 2, 1),
            ("PrevPerm", 2, 1),
            ("Reviews", 3, 1),
            ("SWEpisodes", 2, 1),
        ]
    );
}

#[test]
fn strict_mode_stops_at_the_first_problem_with_the_same_detail() {
    let dir = golden("rules");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for file in files {
        let lenient = ssda903::read_files(std::slice::from_ref(&file), &lenient()).unwrap();
        let first = &lenient.issues[0];
        let err = ssda903::read_files(std::slice::from_ref(&file), &strict()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DataQuality, "{err}");
        assert_eq!(
            err.location(),
            first.location.as_ref(),
            "{}",
            file.display()
        );
        let detail = first.message.rsplit_once("; ").unwrap().0;
        assert!(err.message().contains(detail), "{err} / {}", first.message);
        assert!(err.message().starts_with(first.code.as_str()), "{err}");
        if let Some(child) = &first.child {
            assert!(err.message().contains(child.as_str()), "{err}");
        }
    }
    let err = ssda903::read_dir(&dir, &strict()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:2 column DOB value \"01/02/10\": unreadable_date: DOB \"01/02/10\" is not a \
             DD/MM/YYYY date (child 0012); a strict read stops at the first problem",
            dir.join("ad1.csv").display()
        )
    );
}

#[test]
fn io_failures_name_the_path() {
    let missing = golden("no/such/folder");
    let err = ssda903::read_dir(&missing, &lenient()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    assert!(err.to_string().contains("no/such/folder"), "{err}");
    let err = ssda903::read_files(&[golden("nope.csv")], &lenient()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    assert!(err.to_string().contains("nope.csv"), "{err}");
    let err = ssda903::read_xml(&golden("nope.xml"), &lenient()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    assert!(err.to_string().contains("nope.xml"), "{err}");
}

#[test]
fn collection_year_and_files_are_recorded() {
    let opts = ReadOptions {
        collection_year: Some(2024),
        ..ReadOptions::default()
    };
    let read = ssda903::read_dir(&golden("odd_names"), &opts).unwrap();
    assert_eq!(read.ret.source.collection_year, Some(2024));
    assert!(read.ret.source.files[1].ends_with("export_1.csv"));
    assert_eq!(read.ret.episodes[0].origin.file, 1);
    let read = ssda903::read_xml(&golden("small.xml"), &opts).unwrap();
    assert_eq!(read.ret.source.collection_year, Some(2024));
    assert_eq!(read.ret.source.files.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// XML

#[test]
fn xml_reads_the_same_records_by_the_same_rules() {
    use IssueCode::{MissingIdentifier as Missing, UnreadableDate as Unreadable};
    let read = ssda903::read_xml(&golden("small.xml"), &lenient()).unwrap();
    let got: Vec<_> = read.issues.iter().map(at).collect();
    let want = [
        (Unreadable, 7, "DOB", "2010-02-01"),
        (Unreadable, 15, "REVIEW", "01/13/2023"),
        (Missing, 27, "DECOM", " "),
        (Missing, 33, "CHILDID", ""),
        (Unreadable, 43, "DATE_MATCH", "2020-02-01"),
        (Unreadable, 47, "DEC", "01/05/23"),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|&(c, l, col, v)| (c, "small.xml".to_owned(), l, col.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(got, want);
    let paths: Vec<&str> = read
        .issues
        .iter()
        .map(|i| i.location.as_ref().unwrap().path.as_deref().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "EXPSSDA903/CHILD[1]/HEADER/DOB",
            "EXPSSDA903/CHILD[1]/HEADER/AREVIEW[2]/REVIEW",
            "EXPSSDA903/CHILD[1]/EPISODE[2]/DECOM",
            "EXPSSDA903/CHILD[2]",
            "EXPSSDA903/CHILD[3]/HEADER/DATE_MATCH",
            "EXPSSDA903/CHILD[3]/EPISODE[1]/DEC",
        ]
    );
    assert!(
        read.issues[3]
            .message
            .contains("skipped with its 2 nested records"),
        "{}",
        read.issues[3].message
    );
    assert!(read.issues[1].message.ends_with("AREVIEW element skipped"));
    assert!(read.issues[4].message.ends_with("AD1 record skipped"));

    let r = &read.ret;
    assert_eq!(r.headers.len(), 2);
    assert_eq!(r.headers[0].child, "00501");
    assert_eq!(r.headers[0].dob, None);
    assert_eq!(r.headers[0].origin.line, 4);
    assert_eq!(r.episodes.len(), 1);
    let e = &r.episodes[0];
    assert_eq!(
        (e.child.as_str(), e.place.as_str(), e.decom, e.origin.line),
        ("00501", "U1", day("2023-04-01"), 21)
    );
    assert!(r.ad1.is_empty());
    assert_eq!(r.placed_adoption.len(), 1);
    assert_eq!(r.placed_adoption[0].dob, Some(day("2012-03-03")));
    assert_eq!(r.placed_adoption[0].date_placed, Some(day("2020-01-01")));
    let tables: Vec<&str> = r.other.iter().map(|o| o.table.as_str()).collect();
    assert_eq!(tables, ["Reviews", "UASC", "SWEpisodes"]);
    assert_eq!(
        r.other[0].fields,
        [
            ("CHILD".into(), "00501".to_owned()),
            ("DOB".into(), String::new()),
            ("REVIEW".into(), "01/05/2023".to_owned()),
            ("REVIEW_CODE".into(), "PN1".to_owned()),
        ]
    );
    assert_eq!(field(&r.other[1], "SEX"), "2");
    assert_eq!(field(&r.other[1], "DOB"), "03/03/2012");
    assert_eq!(field(&r.other[1], "DUC"), "03/03/2030");
    assert_eq!(field(&r.other[2], "SW_ID"), "S&W 1");

    let report: Vec<(&str, usize, usize)> = read
        .files
        .iter()
        .map(|f| (f.table.as_str(), f.rows, f.skipped))
        .collect();
    assert_eq!(
        report,
        [
            ("Header", 3, 1),
            ("Episodes", 4, 3),
            ("AD1", 1, 1),
            ("PlacedAdoption", 1, 0),
            ("Reviews", 3, 2),
            ("UASC", 1, 0),
            ("SWEpisodes", 1, 0),
        ]
    );

    let err = ssda903::read_xml(&golden("small.xml"), &strict()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DataQuality);
    assert_eq!(err.location(), read.issues[0].location.as_ref());
}

#[test]
fn xml_that_is_not_ssda903_or_not_well_formed_is_refused() {
    let opts = lenient();
    let err = ssda903::read_xml_bytes(Arc::from("x.xml"), b"<Message><Header/></Message>", &opts)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("<Message>"), "{err}");
    let err = ssda903::read_xml_bytes(
        Arc::from("x.xml"),
        b"<EXPSSDA903>\n<CHILD>\n<HEADER></CHILD>",
        &opts,
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().starts_with("x.xml:3"), "{err}");
    let err =
        ssda903::read_xml_bytes(Arc::from("x.xml"), b"<EXPSSDA903><CHILD>", &opts).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let err = ssda903::read_xml_bytes(Arc::from("x.xml"), b"", &opts).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let ok = ssda903::read_xml_bytes(Arc::from("x.xml"), b"<EXPSSDA903/>", &opts).unwrap();
    assert_eq!(ok.ret, {
        let mut r = Ssda903Return::default();
        r.source.files.push(Arc::from("x.xml"));
        r
    });
    assert_eq!(ok.files.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Writing and round trips

/// `ret` as a reader returns it, for comparison: origins and file list cleared, other rows in
/// table order (stable within a table).
fn normalised(mut ret: Ssda903Return) -> Ssda903Return {
    ret.source.files.clear();
    let o = RowOrigin::default();
    ret.headers.iter_mut().for_each(|r| r.origin = o);
    ret.episodes.iter_mut().for_each(|r| r.origin = o);
    ret.ad1.iter_mut().for_each(|r| r.origin = o);
    ret.placed_adoption.iter_mut().for_each(|r| r.origin = o);
    ret.other.iter_mut().for_each(|r| r.origin = o);
    ret.other
        .sort_by_key(|r| Table::from_name(&r.table).map_or(99, |t| t as usize));
    ret
}

fn csv_round_trip(ret: &Ssda903Return) -> Read<Ssda903Return> {
    let dir = scratch("csv");
    let paths = ssda903::write_csv(ret, &dir).unwrap();
    let opts = ReadOptions {
        collection_year: ret.source.collection_year,
        ..ReadOptions::default()
    };
    let read = ssda903::read_files(&paths, &opts).unwrap();
    let by_dir = ssda903::read_dir(&dir, &opts).unwrap();
    assert_eq!(normalised(by_dir.ret), normalised(read.ret.clone()));
    std::fs::remove_dir_all(&dir).unwrap();
    read
}

fn xml_round_trip(ret: &Ssda903Return) -> Read<Ssda903Return> {
    let mut xml = Vec::new();
    ssda903::write_xml(ret, &mut xml).unwrap();
    let opts = ReadOptions {
        collection_year: ret.source.collection_year,
        ..ReadOptions::default()
    };
    ssda903::read_xml_bytes(Arc::from("written.xml"), &xml, &opts).unwrap()
}

fn other(table: Table, child: &str, values: &[&str]) -> OtherRow {
    OtherRow {
        table: table.name().into(),
        child: child.into(),
        fields: table
            .columns()
            .iter()
            .zip(values)
            .map(|(c, v)| ((*c).into(), (*v).to_owned()))
            .collect(),
        origin: RowOrigin::default(),
    }
}

/// A small return with every table, awkward text, and the shape the XML form holds.
#[allow(clippy::too_many_lines)] // one literal return
fn hand_built() -> Ssda903Return {
    let mut r = Ssda903Return::default();
    r.source.collection_year = Some(2024);
    r.headers.push(Header {
        child: "00071".into(),
        sex: "2".into(),
        dob: Some(day("2009-02-28")),
        ethnic: "WBRI".into(),
        upn: "A\"1,2'3 & <4>".into(),
        mother: "1".into(),
        mc_dob: Some(day("2024-01-31")),
        origin: RowOrigin::default(),
    });
    r.headers.push(Header {
        child: "72".into(),
        sex: "1".into(),
        ..Header::default()
    });
    r.episodes.push(CareEpisode {
        child: "00071".into(),
        decom: day("2023-04-01"),
        rne: "S".into(),
        ls: "C2".into(),
        cin: "N1".into(),
        place: "U1".into(),
        place_provider: "PR1".into(),
        dec: Some(day("2023-06-15")),
        rec: "X1".into(),
        reason_place_change: "CARPL".into(),
        home_post: "AB1 2CD".into(),
        pl_post: "EF3, 4GH".into(),
        urn: "SC012345".into(),
        origin: RowOrigin::default(),
    });
    r.episodes.push(CareEpisode {
        child: "00071".into(),
        decom: day("2023-06-15"),
        ..CareEpisode::default()
    });
    r.episodes.push(CareEpisode {
        child: "72".into(),
        decom: day("1900-01-01"),
        ..CareEpisode::default()
    });
    r.ad1.push(Ad1 {
        child: "00071".into(),
        dob: Some(day("2009-02-28")),
        date_int: Some(day("2023-05-01")),
        date_match: None,
        foster_care: "0".into(),
        nb_adoptr: "2".into(),
        sex_adoptr: "MF".into(),
        ls_adoptr: "L0".into(),
        origin: RowOrigin::default(),
    });
    r.placed_adoption.push(PlacedAdoption {
        child: "00071".into(),
        dob: Some(day("2009-02-28")),
        date_placed: Some(day("2023-05-01")),
        date_placed_ceased: None,
        reason_placed_ceased: String::new().into(),
        origin: RowOrigin::default(),
    });
    r.other.push(other(
        Table::Reviews,
        "00071",
        &["00071", "28/02/2009", "01/07/2023", "PN1"],
    ));
    r.other.push(other(
        Table::Reviews,
        "00071",
        &["00071", "28/02/2009", "", "PN\"2"],
    ));
    r.other.push(other(
        Table::Uasc,
        "00071",
        &["00071", "2", "28/02/2009", "28/02/2027"],
    ));
    r.other.push(other(
        Table::Oc2,
        "00071",
        &[
            "00071",
            "28/02/2009",
            "12",
            "",
            "0",
            "1",
            "1",
            "1",
            "0",
            "0",
            "0",
            "0",
        ],
    ));
    r.other
        .push(other(Table::Oc3, "72", &["72", "", "YES", "F1", "S2"]));
    r.other.push(other(
        Table::PrevPerm,
        "00071",
        &["00071", "28/02/2009", "P1", "E09000001", "ZZ/ZZ/2015"],
    ));
    r.other.push(other(
        Table::Missing,
        "72",
        &["72", "", "M", "01/08/2023", "03/08/2023"],
    ));
    r.other.push(other(
        Table::SwEpisodes,
        "72",
        &["72", "", "SW 9", "01/04/2023", "", "LEFT"],
    ));
    r
}

#[test]
fn a_hand_built_return_round_trips_through_csv_and_xml() {
    let ret = hand_built();
    let want = normalised(ret.clone());
    let read = csv_round_trip(&ret);
    assert!(read.issues.is_empty(), "{:?}", read.issues);
    assert_eq!(normalised(read.ret), want);
    let read = xml_round_trip(&ret);
    assert!(read.issues.is_empty(), "{:?}", read.issues);
    assert_eq!(normalised(read.ret), want);
}

#[test]
fn the_csv_writer_writes_the_official_layout() {
    let dir = scratch("layout");
    let paths = ssda903::write_csv(&hand_built(), &dir).unwrap();
    let names: Vec<&str> = paths
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "header.csv",
            "episodes.csv",
            "ad1.csv",
            "placed_for_adoption.csv",
            "reviews.csv",
            "uasc.csv",
            "oc2.csv",
            "oc3.csv",
            "previous_permanence.csv",
            "missing.csv",
            "sw_episodes.csv",
        ]
    );
    let header = std::fs::read_to_string(&paths[0]).unwrap();
    assert_eq!(
        header,
        "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n\
         00071,2,28/02/2009,WBRI,\"A\"\"1,2'3 & <4>\",1,31/01/2024\n\
         72,1,,,,,\n"
    );
    let episodes = std::fs::read_to_string(&paths[1]).unwrap();
    assert!(episodes.starts_with(
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
         00071,01/04/2023,S,C2,N1,U1,PR1,15/06/2023,X1,CARPL,AB1 2CD,\"EF3, 4GH\",SC012345\n"
    ));
    assert!(episodes.ends_with("72,01/01/1900,,,,,,,,,,,\n"));
    std::fs::remove_dir_all(&dir).unwrap();

    // An empty return still writes the four main tables, each with its header row.
    let dir = scratch("empty");
    let paths = ssda903::write_csv(&Ssda903Return::default(), &dir).unwrap();
    assert_eq!(paths.len(), 4);
    let read = ssda903::read_dir(&dir, &lenient()).unwrap();
    assert!(read.issues.is_empty());
    assert_eq!(read.files.len(), 4);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_xml_writer_writes_the_layout_of_the_dfe_file() {
    let mut xml = Vec::new();
    ssda903::write_xml(&hand_built(), &mut xml).unwrap();
    let xml = String::from_utf8(xml).unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EXPSSDA903>\n  <CHILD>\n    <HEADER>\n      <CHILDID>00071</CHILDID>\n"), "{xml}");
    assert!(
        xml.contains("<UPN>A&quot;1,2&apos;3 &amp; &lt;4&gt;</UPN>"),
        "{xml}"
    );
    assert!(
        xml.contains("<UASC>1</UASC>\n      <DUC>28/02/2027</DUC>"),
        "{xml}"
    );
    assert!(xml.contains("<PL>U1</PL>"));
    assert!(xml.contains("<AREVIEW>\n        <REVIEW>01/07/2023</REVIEW>"));
    assert!(xml.contains("<DEC/>"));

    let mut bad = Ssda903Return::default();
    bad.other.push(OtherRow {
        table: "DoLo".into(),
        child: "1".into(),
        fields: vec![("CHILD".into(), "1".into())],
        origin: RowOrigin::default(),
    });
    let err = ssda903::write_xml(&bad, Vec::new()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    // The CSV writer gives such a table a file of its own.
    let dir = scratch("dolo");
    let paths = ssda903::write_csv(&bad, &dir).unwrap();
    assert!(paths[4].ends_with("dolo.csv"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn synthetic_returns_round_trip_through_csv_and_xml() {
    let synthetic = csc_synth::generate(&csc_synth::Config {
        children: 500,
        ..Default::default()
    });
    assert!(!synthetic.ssda903.is_empty());
    let mut episodes = 0;
    for ret in &synthetic.ssda903 {
        episodes += ret.episodes.len();
        let want = normalised(ret.clone());
        let read = csv_round_trip(ret);
        assert!(read.issues.is_empty(), "{:?}", &read.issues[..1]);
        assert_eq!(
            normalised(read.ret),
            want,
            "CSV, year {:?}",
            ret.source.collection_year
        );
        let read = xml_round_trip(ret);
        assert!(read.issues.is_empty(), "{:?}", &read.issues[..1]);
        assert_eq!(
            normalised(read.ret),
            want,
            "XML, year {:?}",
            ret.source.collection_year
        );
    }
    assert!(episodes > 100, "{episodes}");
}

mod arbitrary {
    use super::*;
    use proptest::prelude::*;

    fn id() -> impl Strategy<Value = String> {
        "0{0,3}[0-9A-Za-z]{1,6}"
    }

    /// Free text, trimmed (the reader trims), with commas, quotes and markup characters.
    fn text(newlines: bool) -> impl Strategy<Value = String> {
        let re = if newlines {
            "[A-Za-z0-9 ,\"'&<>;\n]{0,8}"
        } else {
            "[A-Za-z0-9 ,\"'&<>;]{0,8}"
        };
        re.prop_map(|s: String| s.trim().to_owned())
    }

    fn cs(newlines: bool) -> impl Strategy<Value = compact_str::CompactString> {
        text(newlines).prop_map(Into::into)
    }

    fn date() -> impl Strategy<Value = Day> {
        let lo = Day::from_ymd(1900, 1, 1).unwrap().get();
        let hi = Day::from_ymd(2100, 12, 31).unwrap().get();
        (lo..=hi).prop_map(|n| Day::new(n).unwrap())
    }

    fn opt_date() -> impl Strategy<Value = Option<Day>> {
        prop::option::of(date())
    }

    fn dmy(d: Option<Day>) -> String {
        d.map_or_else(String::new, |d| {
            let (y, m, dd) = d.to_ymd();
            format!("{dd:02}/{m:02}/{y:04}")
        })
    }

    fn header(child: String, nl: bool) -> impl Strategy<Value = Header> {
        (cs(nl), opt_date(), cs(nl), cs(nl), cs(nl), opt_date()).prop_map(
            move |(sex, dob, ethnic, upn, mother, mc_dob)| Header {
                child: child.as_str().into(),
                sex,
                dob,
                ethnic,
                upn,
                mother,
                mc_dob,
                origin: RowOrigin::default(),
            },
        )
    }

    fn episode(child: String, nl: bool) -> impl Strategy<Value = CareEpisode> {
        (
            date(),
            (cs(nl), cs(nl), cs(nl), cs(nl), cs(nl)),
            opt_date(),
            (cs(nl), cs(nl), cs(nl), cs(nl), cs(nl)),
        )
            .prop_map(move |(decom, a, dec, b)| CareEpisode {
                child: child.as_str().into(),
                decom,
                rne: a.0,
                ls: a.1,
                cin: a.2,
                place: a.3,
                place_provider: a.4,
                dec,
                rec: b.0,
                reason_place_change: b.1,
                home_post: b.2,
                pl_post: b.3,
                urn: b.4,
                origin: RowOrigin::default(),
            })
    }

    fn ad1(child: String, dob: Option<Day>, nl: bool) -> impl Strategy<Value = Ad1> {
        (opt_date(), opt_date(), cs(nl), cs(nl), cs(nl), cs(nl))
            .prop_map(move |(date_int, date_match, fc, nb, sx, ls)| Ad1 {
                child: child.as_str().into(),
                dob,
                date_int,
                date_match,
                foster_care: fc,
                nb_adoptr: nb,
                sex_adoptr: sx,
                ls_adoptr: ls,
                origin: RowOrigin::default(),
            })
            // The XML form has an AD1 row only where it has a value of its own.
            .prop_filter("AD1 with a value", |a| {
                a.date_int.is_some()
                    || a.date_match.is_some()
                    || [&a.foster_care, &a.nb_adoptr, &a.sex_adoptr, &a.ls_adoptr]
                        .iter()
                        .any(|v| !v.is_empty())
            })
    }

    fn placed(child: String, dob: Option<Day>, nl: bool) -> impl Strategy<Value = PlacedAdoption> {
        (opt_date(), opt_date(), cs(nl)).prop_map(move |(p, c, r)| PlacedAdoption {
            child: child.as_str().into(),
            dob,
            date_placed: p,
            date_placed_ceased: c,
            reason_placed_ceased: r,
            origin: RowOrigin::default(),
        })
    }

    const OTHER: [Table; 7] = [
        Table::Reviews,
        Table::Uasc,
        Table::Oc2,
        Table::Oc3,
        Table::PrevPerm,
        Table::Missing,
        Table::SwEpisodes,
    ];

    /// A row of one of the other tables; `child_level` gives CHILD, DOB and SEX when the row is
    /// to agree with a header (the XML form holds them once).
    fn other_row(
        table: Table,
        child: String,
        child_level: Option<&(String, String)>,
        nl: bool,
    ) -> impl Strategy<Value = OtherRow> + use<> {
        let cols = table.columns();
        let values: Vec<BoxedStrategy<String>> = cols
            .iter()
            .map(|&c| match c {
                "CHILD" => Just(child.clone()).boxed(),
                "DOB" if child_level.is_some() => Just(child_level.unwrap().0.clone()).boxed(),
                "SEX" if child_level.is_some() => Just(child_level.unwrap().1.clone()).boxed(),
                "DOB" | "REVIEW" | "DUC" | "MIS_START" | "MIS_END" | "SW_DECOM" | "SW_DEC" => {
                    opt_date().prop_map(dmy).boxed()
                }
                "DATE_PERM" => prop_oneof![
                    opt_date().prop_map(dmy),
                    Just("ZZ/ZZ/2015".to_owned()),
                    Just("ZZ/ZZ/ZZZZ".to_owned())
                ]
                .boxed(),
                _ => text(nl).boxed(),
            })
            .collect();
        values
            .prop_map(move |values| OtherRow {
                table: table.name().into(),
                child: child.as_str().into(),
                fields: cols
                    .iter()
                    .zip(values)
                    .map(|(c, v)| ((*c).into(), v))
                    .collect(),
                origin: RowOrigin::default(),
            })
            .prop_filter("OC3 with a value", move |o| {
                table != Table::Oc3 || o.fields[2..].iter().any(|(_, v)| !v.is_empty())
            })
    }

    /// Any small return: rows in any order, children repeated or missing from tables.
    fn any_return() -> impl Strategy<Value = Ssda903Return> {
        let ids = prop::collection::vec(id(), 1..4);
        ids.prop_flat_map(|ids| {
            let pick = prop::sample::select(ids);
            (
                prop::collection::vec(pick.clone().prop_flat_map(|c| header(c, true)), 0..4),
                prop::collection::vec(pick.clone().prop_flat_map(|c| episode(c, true)), 0..5),
                prop::collection::vec(
                    (pick.clone(), opt_date()).prop_flat_map(|(c, d)| ad1(c, d, true)),
                    0..3,
                ),
                prop::collection::vec(
                    (pick.clone(), opt_date()).prop_flat_map(|(c, d)| placed(c, d, true)),
                    0..3,
                ),
                prop::collection::vec(
                    (pick, prop::sample::select(OTHER.to_vec()))
                        .prop_flat_map(|(c, t)| other_row(t, c, None, true)),
                    0..6,
                ),
            )
        })
        .prop_map(
            |(headers, episodes, ad1, placed_adoption, other)| Ssda903Return {
                headers,
                episodes,
                ad1,
                placed_adoption,
                other,
                ..Ssda903Return::default()
            },
        )
    }

    /// The rows of one child as the XML form holds them.
    fn xml_child(id: String) -> impl Strategy<Value = Ssda903Return> {
        header(id.clone(), false).prop_flat_map(move |h| {
            let dob = h.dob;
            let level = (dmy(dob), h.sex.to_string());
            let id = id.clone();
            let others = prop::collection::vec(
                prop::sample::select(OTHER.to_vec()).prop_flat_map({
                    let (id, level) = (id.clone(), level.clone());
                    move |t| other_row(t, id.clone(), Some(&level), false)
                }),
                0..5,
            );
            (
                Just(h),
                prop::collection::vec(episode(id.clone(), false), 0..3),
                prop::collection::vec(ad1(id.clone(), dob, false), 0..2),
                prop::collection::vec(placed(id.clone(), dob, false), 0..2),
                others,
            )
                .prop_map(|(h, episodes, ad1, placed_adoption, mut other)| {
                    // Within a child the XML reader gives the header-held tables first.
                    other.sort_by_key(|o| {
                        !matches!(Table::from_name(&o.table), Some(Table::Uasc | Table::Oc3))
                    });
                    Ssda903Return {
                        headers: vec![h],
                        episodes,
                        ad1,
                        placed_adoption,
                        other,
                        ..Ssda903Return::default()
                    }
                })
        })
    }

    fn xml_return() -> impl Strategy<Value = Ssda903Return> {
        prop::collection::btree_set(id(), 0..4)
            .prop_flat_map(|ids| ids.into_iter().map(xml_child).collect::<Vec<_>>())
            .prop_map(|children| {
                let mut r = Ssda903Return::default();
                for c in children {
                    r.headers.extend(c.headers);
                    r.episodes.extend(c.episodes);
                    r.ad1.extend(c.ad1);
                    r.placed_adoption.extend(c.placed_adoption);
                    r.other.extend(c.other);
                }
                r
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        #[test]
        fn any_small_return_round_trips_through_csv(ret in any_return()) {
            let read = csv_round_trip(&ret);
            prop_assert!(read.issues.is_empty(), "{:?}", read.issues);
            prop_assert_eq!(normalised(read.ret), normalised(ret));
        }

        #[test]
        fn a_small_return_in_the_xml_shape_round_trips_through_xml(ret in xml_return()) {
            let read = xml_round_trip(&ret);
            prop_assert!(read.issues.is_empty(), "{:?}", read.issues);
            prop_assert_eq!(normalised(read.ret), normalised(ret));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The public sample data (read-only, outside the repository)

fn peer(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/peer-data")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("note: {} is absent; test skipped", p.display());
        None
    }
}

fn codes(issues: &[Issue]) -> Vec<IssueCode> {
    let mut c: Vec<IssueCode> = issues.iter().map(|i| i.code).collect();
    c.sort();
    c.dedup();
    c
}

#[test]
fn peer_validator_fake_csv() {
    let Some(dir) = peer("ssda903-validator-fake") else {
        return;
    };
    let read = ssda903::read_dir(&dir, &lenient()).unwrap();
    // The reader finds nothing wrong: every table is recognised and every row readable.
    assert!(read.issues.is_empty(), "{:?}", &read.issues[..1]);
    let report: Vec<(&str, usize)> = read
        .files
        .iter()
        .map(|f| (f.table.as_str(), f.rows))
        .collect();
    assert_eq!(
        report,
        [
            ("AD1", 29),
            ("Episodes", 5050),
            ("Header", 2675),
            ("Missing", 43),
            ("OC2", 2675),
            ("OC3", 53),
            ("PlacedAdoption", 29),
            ("PrevPerm", 2675),
            ("Reviews", 12582),
            ("UASC", 132),
        ]
    );
    assert_eq!(read.ret.episodes.len(), 5050);
    // Its real problems are in the episodes: open episodes followed by later ones, and overlaps.
    let ds = csc_measures::DatasetBuilder::new()
        .ssda903(read.ret)
        .build()
        .unwrap();
    let found = codes(ds.issues());
    assert!(found.contains(&IssueCode::OpenEpisodeClosed), "{found:?}");
    assert!(found.contains(&IssueCode::OverlapTruncated), "{found:?}");
    let open = ds
        .issues()
        .iter()
        .find(|i| i.code == IssueCode::OpenEpisodeClosed)
        .unwrap();
    let loc = open.location.as_ref().unwrap();
    assert!(loc.file.as_deref().unwrap().ends_with("episodes.csv"));
    assert!(loc.line.unwrap() > 1);
}

#[test]
fn peer_validator_fake_xml() {
    let Some(path) = peer("ssda903-validator-fake/fake_903.xml") else {
        return;
    };
    let read = ssda903::read_xml(&path, &lenient()).unwrap();
    assert!(read.issues.is_empty(), "{:?}", &read.issues[..1]);
    let report: Vec<(&str, usize)> = read
        .files
        .iter()
        .map(|f| (f.table.as_str(), f.rows))
        .collect();
    assert_eq!(
        report,
        [
            ("Header", 253),
            ("Episodes", 459),
            ("AD1", 3),
            ("PlacedAdoption", 3),
            ("Reviews", 1206),
            ("UASC", 12),
            ("OC2", 253),
            ("OC3", 6),
            ("PrevPerm", 253),
            ("Missing", 6),
        ]
    );
    let h = &read.ret.headers[0];
    assert_eq!(
        (h.child.as_str(), h.dob),
        ("907440", Some(day("2010-07-28")))
    );
    assert!(
        read.ret.episodes.iter().all(|e| !e.place.is_empty()),
        "PL is PLACE"
    );
    let ds = csc_measures::DatasetBuilder::new()
        .ssda903(read.ret)
        .build()
        .unwrap();
    assert!(codes(ds.issues()).contains(&IssueCode::OverlapTruncated));
    // Written back out and read again, the XML gives the same records.
    let again = ssda903::read_xml(&path, &lenient()).unwrap();
    let mut xml = Vec::new();
    ssda903::write_xml(&again.ret, &mut xml).unwrap();
    let back = ssda903::read_xml_bytes(Arc::from("again.xml"), &xml, &lenient()).unwrap();
    assert_eq!(normalised(back.ret), normalised(again.ret));
}

#[test]
fn peer_liia_tools_iso_dates_are_unreadable() {
    let Some(dir) = peer("liia-tools") else {
        return;
    };
    let read = ssda903::read_dir(&dir, &lenient()).unwrap();
    assert_eq!(read.files.len(), 1);
    assert_eq!(
        read.files[0].table, "Episodes",
        "the LA and YEAR columns are extra"
    );
    assert_eq!(read.files[0].rows, 23);
    // Every row's DECOM is an ISO date, which an SSDA903 file never holds: all are skipped.
    assert_eq!(read.files[0].skipped, 23);
    assert!(read.ret.episodes.is_empty());
    assert_eq!(read.issues.len(), 23);
    assert!(
        read.issues
            .iter()
            .all(|i| i.code == IssueCode::UnreadableDate)
    );
    let first = at(&read.issues[0]);
    assert_eq!(
        (first.2, first.3.as_str(), first.4.as_str()),
        (2, "DECOM", "2015-06-19")
    );
    assert_eq!(read.issues[0].child.as_deref(), Some("NORULE_BAD"));
    let err = ssda903::read_dir(&dir, &strict()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DataQuality);
}

#[test]
fn peer_cs_demand_model_years() {
    let mut builder = csc_measures::DatasetBuilder::new();
    let mut found = 0;
    for year in 2017..=2021 {
        let Some(dir) = peer(&format!("cs-demand-model/{year}")) else {
            continue;
        };
        let read = ssda903::read_dir(&dir, &lenient()).unwrap();
        assert!(read.issues.is_empty(), "{year}: {:?}", &read.issues[..1]);
        let tables: Vec<&str> = read.files.iter().map(|f| f.table.as_str()).collect();
        assert_eq!(tables, ["Episodes", "Header"], "{year}");
        assert!(!read.ret.episodes.is_empty());
        // The same children across years, ids as written.
        assert!(read.ret.headers.iter().all(|h| !h.child.is_empty()));
        builder.add_ssda903(read.ret);
        found += 1;
    }
    if found < 2 {
        return;
    }
    // Open episodes that a later year restates are stitched away.
    let ds = builder.build().unwrap();
    assert!(
        codes(ds.issues()).contains(&IssueCode::SupersededOpenRecord),
        "{:?}",
        codes(ds.issues())
    );
}
