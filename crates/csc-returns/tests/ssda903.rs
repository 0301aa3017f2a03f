//! SSDA903 readers and writers: recognition, tolerance, the unusable-row rules, strict mode, round
//! trips, and the public sample data.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use compact_str::CompactString;
use csc_measures::quality::{Issue, IssueCode};
use csc_measures::records::{
    Ad1, CareEpisode, Header, Missing, Oc2, Oc3, PlacedAdoption, PrevPerm, ReturnKind, Review,
    RowOrigin, Ssda903Return, SwEpisode, Uasc,
};
use csc_measures::rows::DateSyntax;
use csc_measures::schema::{self, Record, TableSchema, VisitRowsMut};
use csc_measures::{Day, ErrorKind};
use csc_returns::ssda903;
use csc_returns::{Read, ReadOptions};

/// The date forms of the SSDA903 return (spec 2, "Dates"), as messages name them.
const DATES: &str = DateSyntax::Ssda903.forms();

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

fn read_xml_str(xml: &str, opts: &ReadOptions) -> Result<Read<Ssda903Return>, csc_measures::Error> {
    ssda903::read_xml_bytes(Arc::from("t.xml"), xml.as_bytes(), opts)
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

/// The issue's XML element path.
fn path_of(i: &Issue) -> &str {
    i.location
        .as_ref()
        .and_then(|l| l.path.as_deref())
        .unwrap_or("")
}

/// The names of the SSDA903 tables, in the family's order, but those named in `but`.
fn tables_but(but: &[&str]) -> Vec<CompactString> {
    schema::tables(ReturnKind::Ssda903)
        .map(|t| t.name)
        .filter(|n| !but.contains(n))
        .map(CompactString::from)
        .collect()
}

fn names(v: &[&str]) -> Vec<CompactString> {
    v.iter().copied().map(CompactString::from).collect()
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
    // A CSV return holds the tables whose files it has, in the order they were read (spec 2.3,
    // "Holding a table").
    assert_eq!(
        read.ret.source.tables,
        Some(names(&["UASC", "Episodes", "Header"]))
    );
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
    // The UASC table is typed: its DUC is a date.
    assert_eq!(
        read.ret.uasc,
        [Uasc {
            child: "000123".into(),
            sex: "1".into(),
            dob: Some(day("2009-06-05")),
            duc: Some(day("2027-06-05")),
            origin: RowOrigin::new(0, 2),
        }]
    );
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
    // A file that is no table holds no table.
    assert_eq!(read.ret.source.tables, None);
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
    assert_eq!(empty.issues[0].code, IssueCode::UnknownTable);
    assert!(empty.issues[0].message.contains("empty.csv is empty"));

    // Strict mode stops at an unknown table (it stops strict mode), with the one strict wording.
    let mut lenient_into = empty_read();
    ssda903::read_csv_bytes(
        Arc::from("mystery.csv"),
        b"foo,bar\n1,2\n",
        &lenient(),
        &mut lenient_into,
    )
    .unwrap();
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
    assert_eq!(err, lenient_into.issues[0].strict_error());
    assert!(
        err.message()
            .starts_with("strict mode stops at the first problem: [unknown_table]: "),
        "{err}"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_read_as_windows_1252() {
    let bytes = b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,1,01/01/2010,WBRI,Ren\xe9e \x80,,\n";
    let read = read_bytes("h.csv", bytes);
    assert_eq!(read.ret.headers[0].upn, "Renée €");
    assert_eq!(read.issues.len(), 1);
    assert_eq!(read.issues[0].code, IssueCode::UnreadableValue);
    // A warning: strict mode reads on (it stops only at what is not used), and reports it the same.
    let mut into = empty_read();
    ssda903::read_csv_bytes(Arc::from("h.csv"), bytes, &strict(), &mut into).unwrap();
    assert_eq!(into.ret, read.ret);
    assert_eq!(into.issues, read.issues);
}

// ---------------------------------------------------------------------------------------------
// Dates (spec 2, "Dates")

#[test]
fn iso_dates_are_read_and_other_forms_are_unreadable() {
    // Spec 2 (v2 change): `YYYY-M-D` is read as well as `D/M/YYYY`.
    let csv = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
         A,2023-04-01,S,C2,N1,U1,PR1,2023-6-5,E11,,,,\n\
         B,1/4/2023,S,C2,N1,U1,PR1, 2023-12-31 ,E11,,,,\n";
    let read = read_bytes("eps.csv", csv.as_bytes());
    // Both forms are read; a file mixing them gets one entry, at the first date of the rarer form.
    assert_eq!(read.issues.len(), 1, "{:?}", read.issues);
    assert_eq!(read.issues[0].code, IssueCode::MixedDateFormats);
    assert_eq!(read.issues[0].location.as_ref().unwrap().line, Some(3));
    assert!(
        read.issues[0].message.contains("1 as DD/MM/YYYY")
            && read.issues[0].message.contains("3 as YYYY-MM-DD"),
        "{}",
        read.issues[0].message
    );
    let got: Vec<(Day, Option<Day>)> = read.ret.episodes.iter().map(|e| (e.decom, e.dec)).collect();
    assert_eq!(
        got,
        [
            (day("2023-04-01"), Some(day("2023-06-05"))),
            (day("2023-04-01"), Some(day("2023-12-31")))
        ]
    );
    let read = read_bytes(
        "h.csv",
        b"CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nA,1,2010-02-01,,,,2024-1-31\n",
    );
    assert!(read.issues.is_empty(), "{:?}", read.issues);
    assert_eq!(
        (read.ret.headers[0].dob, read.ret.headers[0].mc_dob),
        (Some(day("2010-02-01")), Some(day("2024-01-31")))
    );

    // Anything else is unreadable (never a guess): a two-digit year, a time part, an impossible
    // date, day and month in another order, another separator.
    for bad in [
        "01/04/23",
        "23-04-01",
        "2023-04-01T00:00:00",
        "01/04/2023 10:00",
        "2023-02-30",
        "30/02/2023",
        "04/13/2023",
        "2023/04/01",
        "2023-13-01",
    ] {
        let csv = format!(
            "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
             A,{bad},S,C2,N1,U1,PR1,,,,,,\n"
        );
        let read = read_bytes("eps.csv", csv.as_bytes());
        assert!(read.ret.episodes.is_empty(), "{bad}");
        assert_eq!(read.issues.len(), 1, "{bad}");
        assert_eq!(
            at(&read.issues[0]),
            (
                IssueCode::UnreadableDate,
                "eps.csv".to_owned(),
                2,
                "DECOM".to_owned(),
                bad.to_owned()
            )
        );
        assert_eq!(
            read.issues[0].message,
            format!("DECOM {bad:?} is not a date ({DATES}); row skipped")
        );
    }

    // The XML form reads dates by the same rules.
    let read = read_xml_str(
        "<EXPSSDA903><CHILD><HEADER><CHILDID>A</CHILDID><DOB>2010-02-01</DOB></HEADER>\
         <EPISODE><DECOM>2023-4-1</DECOM><DEC>01/05/2023</DEC></EPISODE>\
         <EPISODE><DECOM>2023/05/01</DECOM></EPISODE></CHILD></EXPSSDA903>",
        &lenient(),
    )
    .unwrap();
    assert_eq!(read.ret.headers[0].dob, Some(day("2010-02-01")));
    assert_eq!(
        read.ret
            .episodes
            .iter()
            .map(|e| (e.decom, e.dec))
            .collect::<Vec<_>>(),
        [(day("2023-04-01"), Some(day("2023-05-01")))]
    );
    // The file mixes the two forms: one entry for the file, after the rows' own.
    assert_eq!(read.issues.len(), 2, "{:?}", read.issues);
    assert_eq!(read.issues[1].code, IssueCode::MixedDateFormats);
    // The file is one line: no line (0 here), the element path places the entry.
    assert_eq!(
        at(&read.issues[0]),
        (
            IssueCode::UnreadableDate,
            "t.xml".to_owned(),
            0,
            "DECOM".to_owned(),
            "2023/05/01".to_owned()
        )
    );
    assert_eq!(
        path_of(&read.issues[0]),
        "EXPSSDA903/CHILD[1]/EPISODE[2]/DECOM"
    );
}

// ---------------------------------------------------------------------------------------------
// The unusable-row rules

#[test]
#[allow(clippy::too_many_lines)] // one scenario, read top to bottom
fn every_unusable_row_rule_with_its_code_line_column_and_value() {
    use IssueCode::{MissingIdentifier as Missing, UnreadableDate as Unreadable};
    let read = ssda903::read_dir(&golden("rules"), &lenient()).unwrap();
    let got: Vec<_> = read.issues.iter().map(at).collect();
    // ISO dates are read now (spec 2, v2 change): the unreadable dates of this folder are
    // `2020/03/01`, `01/13/2011` and `2011/02/01`. `DATE_PERM` is a child-level date (spec 2.3):
    // both of its unreadable values are blanked and their rows kept.
    let want = [
        (Unreadable, "ad1.csv", 2, "DOB", "01/02/10"),
        (Unreadable, "ad1.csv", 3, "DATE_MATCH", "2020/03/01"),
        (Missing, "episodes.csv", 3, "DECOM", ""),
        (Unreadable, "episodes.csv", 4, "DECOM", "31/02/2024"),
        (Unreadable, "episodes.csv", 5, "DEC", "01/06/23"),
        (Unreadable, "episodes.csv", 6, "DEC", "07/13/2023"),
        (Missing, "header.csv", 3, "CHILD", ""),
        (Unreadable, "header.csv", 4, "DOB", "01/13/2011"),
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
        (Unreadable, "prev_perm.csv", 2, "DATE_PERM", "ZZ/ZZ/2015"),
        (Unreadable, "prev_perm.csv", 3, "DATE_PERM", "2015"),
        (Unreadable, "reviews.csv", 3, "REVIEW", "01/05/2023 10:00"),
        (Unreadable, "reviews.csv", 4, "DOB", "2011/02/01"),
        (Missing, "sw.csv", 3, "CHILD", " "),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|&(c, f, l, col, v)| (c, f.to_owned(), l, col.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(got, want);

    // Children and record dates are named where known; messages say what happened, in the one
    // wording of the row rules.
    let decom = &read.issues[3];
    assert_eq!(decom.child.as_deref(), Some("0012"));
    assert_eq!(
        decom.message,
        format!("DECOM \"31/02/2024\" is not a date ({DATES}); row skipped")
    );
    let dec = &read.issues[4];
    assert_eq!(dec.record, Some(day("2023-05-01")));
    assert_eq!(
        dec.message,
        format!("DEC \"01/06/23\" is not a date ({DATES}); row skipped")
    );
    let blank_decom = &read.issues[2];
    assert_eq!(
        blank_decom.message,
        "DECOM is blank: every Episodes row needs it; row skipped"
    );
    assert_eq!(blank_decom.child.as_deref(), Some("0012"));
    assert_eq!(
        read.issues[6].message,
        "CHILD is blank: every Header row needs a child identifier; row skipped"
    );
    let dob = &read.issues[7];
    assert_eq!(dob.child.as_deref(), Some("0013"));
    assert_eq!(
        dob.message,
        format!("DOB \"01/13/2011\" is not a date ({DATES}); blanked, row kept")
    );
    assert_eq!(
        read.issues[1].record, None,
        "an unreadable key date is no record date"
    );
    assert_eq!(read.issues[11].record, Some(day("2020-03-01")));
    assert_eq!(read.issues[6].child, None);
    assert!(
        read.issues[12].message.ends_with("blanked, row kept"),
        "{}",
        read.issues[12].message
    );

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
    // Both PrevPerm rows are kept with their DATE_PERM blanked.
    let perm: Vec<(&str, &str, Option<Day>)> = r
        .prev_perm
        .iter()
        .map(|p| (p.child.as_str(), p.prev_perm.as_str(), p.date_perm))
        .collect();
    assert_eq!(perm, [("0012", "P1", None), ("0013", "P1", None)]);
    assert!(r.missing.is_empty());
    let reviews: Vec<(&str, Option<Day>, Day)> = r
        .reviews
        .iter()
        .map(|v| (v.child.as_str(), v.dob, v.review))
        .collect();
    assert_eq!(
        reviews,
        [
            ("0012", Some(day("2010-02-01")), day("2023-05-01")),
            ("0013", None, day("2023-06-01")),
        ],
        "the blanked DOB is left blank"
    );
    assert_eq!(r.sw_episodes.len(), 1);
    assert_eq!(r.sw_episodes[0].sw_decom, day("2023-04-01"));
    // The tables held are those whose files were recognised, in path order.
    assert_eq!(
        r.source.tables,
        Some(names(&[
            "AD1",
            "Episodes",
            "Header",
            "Missing",
            "PlacedAdoption",
            "PrevPerm",
            "Reviews",
            "SWEpisodes",
        ]))
    );

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
            ("PrevPerm", 2, 0),
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
        // Every entry of these files stops strict mode (a skipped row, a blanked date, an unknown
        // table): the first one is where it stops.
        assert!(
            lenient.issues.iter().all(|i| i.code.stops_strict()),
            "{}",
            file.display()
        );
        let first = &lenient.issues[0];
        let err = ssda903::read_files(std::slice::from_ref(&file), &strict()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DataQuality, "{err}");
        assert_eq!(
            err.location(),
            first.location.as_ref(),
            "{}",
            file.display()
        );
        assert!(
            err.message().contains(&first.message),
            "{err} / {}",
            first.message
        );
        assert!(
            err.message()
                .contains(&format!("[{}]", first.code.as_str())),
            "{err}"
        );
        if let Some(child) = &first.child {
            assert!(err.message().contains(child.as_str()), "{err}");
        }
        assert_eq!(err, first.strict_error(), "{}", file.display());
    }
    let err = ssda903::read_dir(&dir, &strict()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "{}:2 column DOB value \"01/02/10\": strict mode stops at the first problem: \
             [unreadable_date] child 0012 record 2020-03-01: DOB \"01/02/10\" is not a date \
             ({DATES}); blanked, row kept",
            dir.join("ad1.csv").display()
        )
    );
}

#[test]
fn strict_mode_reads_on_past_warnings() {
    // Only entries whose code stops strict mode stop it (spec 2, "Unusable rows": strict mode stops
    // where a row is not used); unknown codes are warnings, read as blank and reported.
    let csv = "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,\
               HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED\n\
               A,01/01/2010,41,SDQ1,Y,1,0,,,,,\n\
               B,01/01/2010,,,,,,,,,,\n";
    let lenient_read = read_bytes("oc2.csv", csv.as_bytes());
    let codes: Vec<IssueCode> = lenient_read.issues.iter().map(|i| i.code).collect();
    assert_eq!(
        codes,
        [
            IssueCode::UnknownCode,
            IssueCode::UnknownCode,
            IssueCode::BlankRow
        ]
    );
    let mut into = empty_read();
    let err = ssda903::read_csv_bytes(Arc::from("oc2.csv"), csv.as_bytes(), &strict(), &mut into)
        .unwrap_err();
    assert_eq!(err, lenient_read.issues[2].strict_error());
    assert_eq!(
        err.to_string(),
        "oc2.csv:3: strict mode stops at the first problem: [blank_row] child B: SDQ_SCORE, \
         SDQ_REASON, CONVICTED, HEALTH_CHECK, IMMUNISATIONS, TEETH_CHECK, HEALTH_ASSESSMENT, \
         SUBSTANCE_MISUSE, INTERVENTION_RECEIVED, INTERVENTION_OFFERED are all blank: the OC2 row \
         records nothing; row skipped"
    );
    // What was read before the stop is kept, with the warnings.
    assert_eq!(into.ret.oc2.len(), 1);
    assert_eq!(into.issues, lenient_read.issues[..2]);

    // The same in XML: an unknown UASC flag does not stop a strict read.
    let xml = "<EXPSSDA903><CHILD><HEADER><CHILDID>A</CHILDID><UASC>Y</UASC></HEADER></CHILD></EXPSSDA903>";
    let strict_read = read_xml_str(xml, &strict()).unwrap();
    assert_eq!(strict_read, read_xml_str(xml, &lenient()).unwrap());
    assert_eq!(strict_read.issues.len(), 1);
    assert_eq!(strict_read.issues[0].code, IssueCode::UnknownCode);
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
// The tables of spec 2.3

/// Reads one CSV table given as text.
fn table_csv(name: &str, text: &str) -> Read<Ssda903Return> {
    read_bytes(name, text.as_bytes())
}

#[test]
fn key_dates_of_the_tables_of_2_3_are_required() {
    // Spec 2 "Unusable rows" and 2.3 "Dates": a blank REVIEW, MIS_START or SW_DECOM makes the row
    // unusable (`missing_key_date`); an unreadable one too (`unreadable_date`).
    let cases = [
        (
            "reviews.csv",
            "CHILD,DOB,REVIEW,REVIEW_CODE\nA,01/01/2010, ,PN1\nA,01/01/2010,1/13/2023,PN1\nA,,01/05/2023,PN1\n",
            "REVIEW",
            " ",
            "Reviews",
        ),
        (
            "missing.csv",
            "CHILD,DOB,MISSING,MIS_START,MIS_END\nA,01/01/2010,M,,\nA,01/01/2010,M,1/13/2023,\nA,,M,01/05/2023,\n",
            "MIS_START",
            "",
            "Missing",
        ),
        (
            "sw.csv",
            "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\nA,01/01/2010,SW1,,,\nA,01/01/2010,SW1,1/13/2023,,\nA,,SW1,01/05/2023,,\n",
            "SW_DECOM",
            "",
            "SWEpisodes",
        ),
    ];
    for (file, text, column, blank, table) in cases {
        let read = table_csv(file, text);
        let got: Vec<_> = read.issues.iter().map(at).collect();
        assert_eq!(
            got,
            [
                (
                    IssueCode::MissingKeyDate,
                    file.to_owned(),
                    2,
                    column.to_owned(),
                    blank.to_owned()
                ),
                (
                    IssueCode::UnreadableDate,
                    file.to_owned(),
                    3,
                    column.to_owned(),
                    "1/13/2023".to_owned()
                ),
            ],
            "{file}"
        );
        assert_eq!(
            read.issues[0].message,
            format!("{column} is blank: every {table} row needs it; row skipped")
        );
        assert_eq!(read.issues[0].child.as_deref(), Some("A"));
        assert_eq!(read.issues[0].record, None);
        assert_eq!(
            (
                read.files[0].table.as_str(),
                read.files[0].rows,
                read.files[0].skipped
            ),
            (table, 3, 2)
        );
        assert_eq!(read.ret.rows(), 1, "{file}");
        // Strict mode stops at the blank key date.
        let mut into = empty_read();
        let err = ssda903::read_csv_bytes(Arc::from(file), text.as_bytes(), &strict(), &mut into)
            .unwrap_err();
        assert_eq!(err, read.issues[0].strict_error());
    }
    let read = table_csv(
        "missing.csv",
        "CHILD,DOB,MISSING,MIS_START,MIS_END\nA,01/01/2010,M,01/05/2023,03/05/2023\n",
    );
    assert_eq!(
        read.ret.missing,
        [Missing {
            child: "A".into(),
            dob: Some(day("2010-01-01")),
            missing: "M".into(),
            mis_start: day("2023-05-01"),
            mis_end: Some(day("2023-05-03")),
            origin: RowOrigin::new(0, 2),
        }]
    );
}

#[test]
fn oc2_and_oc3_rows_with_nothing_recorded_are_skipped() {
    // Spec 2.3 "When a row exists": an OC2 or OC3 line whose fields but CHILD and DOB are all blank
    // is skipped (`blank_row`).
    let oc2 = table_csv(
        "oc2.csv",
        "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,\
         HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED\n\
         A,01/01/2010,,,,,,,,,,\n\
         B,01/01/2010,,,,,,,,,,0\n",
    );
    assert_eq!(oc2.issues.len(), 1);
    assert_eq!(
        at(&oc2.issues[0]),
        (
            IssueCode::BlankRow,
            "oc2.csv".to_owned(),
            2,
            String::new(),
            String::new()
        )
    );
    assert_eq!(oc2.issues[0].child.as_deref(), Some("A"));
    assert!(
        oc2.issues[0]
            .message
            .ends_with("are all blank: the OC2 row records nothing; row skipped"),
        "{}",
        oc2.issues[0].message
    );
    assert_eq!(oc2.ret.oc2.len(), 1);
    assert_eq!(oc2.ret.oc2[0].child, "B");
    assert_eq!(oc2.ret.oc2[0].intervention_offered, Some(false));
    assert_eq!((oc2.files[0].rows, oc2.files[0].skipped), (2, 1));

    let oc3 = table_csv(
        "oc3.csv",
        "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nA,01/01/2001, , ,\nB,01/01/2001,,,S\n",
    );
    assert_eq!(oc3.issues.len(), 1);
    assert_eq!(oc3.issues[0].code, IssueCode::BlankRow);
    assert_eq!(
        oc3.issues[0].message,
        "IN_TOUCH, ACTIV, ACCOM are all blank: the OC3 row records nothing; row skipped"
    );
    assert_eq!(oc3.ret.oc3.len(), 1);
    assert_eq!(oc3.ret.oc3[0].accom, "S");
}

#[test]
fn oc2_flags_are_one_or_zero_and_scores_0_to_40() {
    // Spec 2.3 "Normalisation": the OC2 flags hold 0, 1 or blank, anything else `unknown_code` and
    // read as blank; SDQ_SCORE is 0 to 40 (leading zeros allowed), else `unknown_code`, no score.
    let read = table_csv(
        "oc2.csv",
        "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,\
         HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED\n\
         A,01/01/2010,007,SDQ1,1,0,,1,0,1,0,1\n\
         B,01/01/2010,41,,true,Y,,,,,,\n\
         C,01/01/2010,-1,,,,,,,,,\n",
    );
    let got: Vec<_> = read.issues.iter().map(at).collect();
    let want = [
        (3, "SDQ_SCORE", "41"),
        (3, "CONVICTED", "true"),
        (3, "HEALTH_CHECK", "Y"),
        (4, "SDQ_SCORE", "-1"),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|&(l, c, v)| {
            (
                IssueCode::UnknownCode,
                "oc2.csv".to_owned(),
                l,
                c.to_owned(),
                v.to_owned(),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        read.issues[0].message,
        "SDQ_SCORE \"41\" is not a score from 0 to 40: read as no score"
    );
    assert_eq!(
        read.issues[1].message,
        "CONVICTED \"true\" is not 1 or 0: read as unknown"
    );
    assert_eq!(
        read.ret.oc2[0],
        Oc2 {
            child: "A".into(),
            dob: Some(day("2010-01-01")),
            sdq_score: Some(7),
            sdq_reason: "SDQ1".into(),
            convicted: Some(true),
            health_check: Some(false),
            immunisations: None,
            teeth_check: Some(true),
            health_assessment: Some(false),
            substance_misuse: Some(true),
            intervention_received: Some(false),
            intervention_offered: Some(true),
            origin: RowOrigin::new(0, 2),
        }
    );
    // Values read as blank still make the row exist: it records something, if unknown.
    assert_eq!(read.ret.oc2.len(), 3);
    assert_eq!(
        (
            read.ret.oc2[1].sdq_score,
            read.ret.oc2[1].convicted,
            read.ret.oc2[1].health_check
        ),
        (None, None, None)
    );
    assert_eq!(read.ret.oc2[2].sdq_score, None);
}

#[test]
fn date_perm_is_a_child_level_date() {
    // Spec 2.3 "Dates": DATE_PERM unreadable is blanked with `unreadable_date`, the row kept; the
    // guide's partial forms (`ZZ/MM/YYYY`, ...) are no dates.
    let read = table_csv(
        "pp.csv",
        "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM\nA,01/01/2010,P1,E1,ZZ/05/2015\nB,,Z1,,01/05/2015\n",
    );
    assert_eq!(read.issues.len(), 1);
    assert_eq!(
        at(&read.issues[0]),
        (
            IssueCode::UnreadableDate,
            "pp.csv".to_owned(),
            2,
            "DATE_PERM".to_owned(),
            "ZZ/05/2015".to_owned()
        )
    );
    assert_eq!(
        read.issues[0].message,
        format!("DATE_PERM \"ZZ/05/2015\" is not a date ({DATES}); blanked, row kept")
    );
    let got: Vec<(&str, Option<Day>)> = read
        .ret
        .prev_perm
        .iter()
        .map(|p| (p.child.as_str(), p.date_perm))
        .collect();
    assert_eq!(got, [("A", None), ("B", Some(day("2015-05-01")))]);
}

// ---------------------------------------------------------------------------------------------
// XML

#[test]
#[allow(clippy::too_many_lines)] // one file, read top to bottom
fn xml_reads_the_same_records_by_the_same_rules() {
    use IssueCode::{MissingIdentifier as Missing, UnreadableDate as Unreadable};
    let read = ssda903::read_xml(&golden("small.xml"), &lenient()).unwrap();
    let got: Vec<_> = read.issues.iter().map(at).collect();
    // ISO dates are read now (spec 2, v2 change): the unreadable DOB and DATE_MATCH of this file
    // are `2010/02/01` and `2020/02/01`. The SW_EPISODE of CHILD[3] is not read: SWEpisodes has no
    // XML form (spec 2.3); it is reported once, after that child's rows.
    let want = [
        (Unreadable, 7, "DOB", "2010/02/01"),
        (Unreadable, 15, "REVIEW", "01/13/2023"),
        (Missing, 27, "DECOM", " "),
        (Missing, 33, "CHILDID", ""),
        (Unreadable, 43, "DATE_MATCH", "2020/02/01"),
        (Unreadable, 47, "DEC", "01/05/23"),
        (IssueCode::UnknownTable, 45, "SW_EPISODE", ""),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|&(c, l, col, v)| (c, "small.xml".to_owned(), l, col.to_owned(), v.to_owned()))
        .collect();
    assert_eq!(got, want);
    // (The path of the last entry, the SW_EPISODE in CHILD[3]'s HEADER, is checked by
    // `xml_elements_of_no_table_in_header_are_located_in_header`.)
    let paths: Vec<&str> = read.issues[..6].iter().map(path_of).collect();
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
    // The CHILD without CHILDID keeps its own message; the others are the row rules'.
    assert!(
        read.issues[3]
            .message
            .contains("skipped with its 2 nested records"),
        "{}",
        read.issues[3].message
    );
    assert_eq!(
        read.issues[0].message,
        format!("DOB \"2010/02/01\" is not a date ({DATES}); blanked, HEADER element kept")
    );
    assert_eq!(
        read.issues[1].message,
        format!("REVIEW \"01/13/2023\" is not a date ({DATES}); AREVIEW element skipped")
    );
    assert_eq!(
        read.issues[2].message,
        "DECOM is blank: every Episodes row needs it; EPISODE element skipped"
    );
    assert_eq!(
        read.issues[4].message,
        format!("DATE_MATCH \"2020/02/01\" is not a date ({DATES}); AD1 record skipped")
    );
    assert_eq!(
        read.issues[5].message,
        format!("DEC \"01/05/23\" is not a date ({DATES}); EPISODE element skipped")
    );
    assert_eq!(read.issues[5].record, Some(day("2023-04-01")));
    assert_eq!(read.issues[6].child.as_deref(), Some("00502"));
    assert!(
        read.issues[6].message.contains("<SW_EPISODE>"),
        "{}",
        read.issues[6].message
    );

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
    // The rows of the other tables take CHILD and DOB (and SEX for UASC) from the HEADER: the
    // first child's DOB was blanked, so its review's is blank.
    assert_eq!(
        r.reviews,
        [Review {
            child: "00501".into(),
            dob: None,
            review: day("2023-05-01"),
            review_code: "PN1".into(),
            origin: RowOrigin::new(0, 10),
        }]
    );
    // A UASC row exists exactly when the HEADER's UASC is 1 (spec 2.3): not for `<UASC/>`.
    assert_eq!(
        r.uasc,
        [Uasc {
            child: "00502".into(),
            sex: "2".into(),
            dob: Some(day("2012-03-03")),
            duc: Some(day("2030-03-03")),
            origin: RowOrigin::new(0, 42),
        }]
    );
    assert!(r.sw_episodes.is_empty(), "SWEpisodes has no XML form");
    // An XML return holds every table but SWEpisodes (spec 2.3).
    assert_eq!(r.source.tables, Some(tables_but(&["SWEpisodes"])));

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
        ]
    );

    let err = ssda903::read_xml(&golden("small.xml"), &strict()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DataQuality);
    assert_eq!(err.location(), read.issues[0].location.as_ref());
    assert_eq!(err, read.issues[0].strict_error());
}

/// A child with an element of no table in its HEADER (line 6) and another in CHILD (line 10).
const UNKNOWN_ELEMENTS: &str = "<EXPSSDA903>\n<CHILD>\n<HEADER>\n<CHILDID>A</CHILDID>\n<NOTE>x</NOTE>\n\
     <SW_EPISODE>\n<SW_ID>S1</SW_ID><SW_DECOM>01/13/2023</SW_DECOM>\n</SW_EPISODE>\n\
     </HEADER>\n<DOLO><DOLO_DATE>01/04/2023</DOLO_DATE><X><Y>1</Y></X></DOLO>\n\
     <EPISODE><DECOM>01/04/2023</DECOM></EPISODE>\n</CHILD>\n</EXPSSDA903>\n";

#[test]
fn xml_elements_of_no_table_are_reported_once_and_not_read() {
    // Spec 2.3: SWEpisodes has no XML form. An element with elements of its own that the form does
    // not have, directly in CHILD or HEADER, is reported once (`unknown_table`) and ignored with
    // everything in it; a leaf the form does not have is no field and is ignored quietly.
    let read = read_xml_str(UNKNOWN_ELEMENTS, &lenient()).unwrap();
    let got: Vec<_> = read
        .issues
        .iter()
        .map(|i| (at(i), i.child.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                (
                    IssueCode::UnknownTable,
                    "t.xml".to_owned(),
                    6,
                    "SW_EPISODE".to_owned(),
                    String::new()
                ),
                Some("A".into())
            ),
            (
                (
                    IssueCode::UnknownTable,
                    "t.xml".to_owned(),
                    10,
                    "DOLO".to_owned(),
                    String::new()
                ),
                Some("A".into())
            ),
        ]
    );
    // (The path of the SW_EPISODE, in HEADER, is checked by
    // `xml_elements_of_no_table_in_header_are_located_in_header`.)
    assert_eq!(path_of(&read.issues[1]), "EXPSSDA903/CHILD[1]/DOLO");
    assert_eq!(
        read.issues[1].message,
        "<DOLO> is not an element of the SSDA903 XML form (SWEpisodes, for one, is collected as \
         CSV only); ignored with everything in it"
    );
    assert!(read.ret.sw_episodes.is_empty());
    assert_eq!(read.ret.headers.len(), 1);
    assert_eq!(read.ret.episodes.len(), 1);
    // Strict mode stops there: an unknown table is not used.
    let err = read_xml_str(UNKNOWN_ELEMENTS, &strict()).unwrap_err();
    assert_eq!(err, read.issues[0].strict_error());
}

#[test]
fn xml_elements_of_no_table_in_header_are_located_in_header() {
    // An entry's location holds the element path (`Location::path`) of what it is about.
    let read = read_xml_str(UNKNOWN_ELEMENTS, &lenient()).unwrap();
    let paths: Vec<&str> = read.issues.iter().map(path_of).collect();
    assert_eq!(
        paths,
        [
            "EXPSSDA903/CHILD[1]/HEADER/SW_EPISODE",
            "EXPSSDA903/CHILD[1]/DOLO"
        ]
    );
    let read = ssda903::read_xml(&golden("small.xml"), &lenient()).unwrap();
    assert_eq!(
        path_of(&read.issues[6]),
        "EXPSSDA903/CHILD[3]/HEADER/SW_EPISODE"
    );
}

#[test]
fn xml_uasc_rows_exist_exactly_when_the_header_says_1() {
    // Spec 2.3 "When a row exists": in XML a UASC row exists exactly when the HEADER's UASC is 1;
    // another non-blank value is `unknown_code` and no row.
    let child = |id: &str, uasc: &str| {
        format!(
            "<CHILD><HEADER><CHILDID>{id}</CHILDID><SEX>1</SEX><DOB>01/02/2010</DOB>{uasc}</HEADER></CHILD>"
        )
    };
    let xml = format!(
        "<EXPSSDA903>\n{}\n{}\n{}\n{}\n{}\n{}\n</EXPSSDA903>",
        child("A", "<UASC>1</UASC><DUC>01/02/2028</DUC>"),
        child("B", "<UASC> 1 </UASC>"),
        child("C", "<UASC>0</UASC><DUC>01/02/2028</DUC>"),
        child("D", "<UASC/>"),
        child("E", "<DUC>01/02/2028</DUC>"),
        child("F", "<UASC>yes</UASC>"),
    );
    let read = read_xml_str(&xml, &lenient()).unwrap();
    let got: Vec<(&str, &str, Option<Day>, Option<Day>)> = read
        .ret
        .uasc
        .iter()
        .map(|u| (u.child.as_str(), u.sex.as_str(), u.dob, u.duc))
        .collect();
    assert_eq!(
        got,
        [
            ("A", "1", Some(day("2010-02-01")), Some(day("2028-02-01"))),
            ("B", "1", Some(day("2010-02-01")), None),
        ]
    );
    assert_eq!(read.issues.len(), 1, "{:?}", read.issues);
    assert_eq!(
        at(&read.issues[0]),
        (
            IssueCode::UnknownCode,
            "t.xml".to_owned(),
            7,
            "UASC".to_owned(),
            "yes".to_owned()
        )
    );
    assert_eq!(path_of(&read.issues[0]), "EXPSSDA903/CHILD[6]/HEADER/UASC");
    assert_eq!(read.issues[0].child.as_deref(), Some("F"));
    assert_eq!(
        read.issues[0].message,
        "UASC \"yes\" is not 1 or 0: the child has no UASC row"
    );
}

#[test]
fn xml_a_child_without_childid_counts_the_rows_that_exist() {
    // A UASC row exists exactly when the HEADER's UASC is 1 (spec 2.3): a CHILD skipped for want of
    // a CHILDID, whose UASC is 0, holds no row but its Header's.
    let xml = "<EXPSSDA903>\n<CHILD><HEADER><CHILDID/><UASC>0</UASC><DUC>01/01/2030</DUC></HEADER></CHILD>\n\
               <CHILD><HEADER><CHILDID>B</CHILDID><UASC>0</UASC><DUC>01/01/2030</DUC></HEADER></CHILD>\n\
               </EXPSSDA903>";
    let read = read_xml_str(xml, &lenient()).unwrap();
    assert!(read.ret.uasc.is_empty());
    assert_eq!(read.issues.len(), 1, "{:?}", read.issues);
    assert!(
        read.issues[0]
            .message
            .ends_with("skipped with its 0 nested records"),
        "{}",
        read.issues[0].message
    );
    let report: Vec<(&str, usize, usize)> = read
        .files
        .iter()
        .map(|f| (f.table.as_str(), f.rows, f.skipped))
        .collect();
    assert_eq!(report, [("Header", 2, 1)]);
}

#[test]
#[allow(clippy::too_many_lines)] // one child, read top to bottom
fn xml_tables_of_2_3_follow_the_same_rules() {
    // The rules of the CSV form, element by element (spec 2.3): a blank REVIEW or MIS_START skips
    // the element (`missing_key_date`); an OC2 element with nothing recorded is a `blank_row`;
    // OC2 flags and scores; DATE_PERM is a child-level date; OC3 fields held in HEADER.
    let xml = "<EXPSSDA903>\n<CHILD>\n<HEADER>\n<CHILDID>A</CHILDID><SEX>2</SEX><DOB>01/02/2010</DOB>\n\
               <AREVIEW><REVIEW/><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>\n\
               <AREVIEW><REVIEW>01/06/2023</REVIEW><REVIEW_CODE>PN2</REVIEW_CODE></AREVIEW>\n\
               <AMISSING><MISSING>M</MISSING><MIS_START> </MIS_START></AMISSING>\n\
               <AMISSING><MISSING>A</MISSING><MIS_START>01/07/2023</MIS_START><MIS_END/></AMISSING>\n\
               <OC2><SDQ_SCORE/><CONVICTED/></OC2>\n\
               <OC2><SDQ_SCORE>41</SDQ_SCORE><CONVICTED>1</CONVICTED><HEALTH_CHECK>2</HEALTH_CHECK></OC2>\n\
               <PERMANENCE><PREV_PERM>P1</PREV_PERM><DATE_PERM>ZZ/ZZ/2015</DATE_PERM></PERMANENCE>\n\
               <IN_TOUCH>YES</IN_TOUCH><ACTIV>F1</ACTIV><ACCOM/>\n\
               </HEADER>\n</CHILD>\n</EXPSSDA903>\n";
    let read = read_xml_str(xml, &lenient()).unwrap();
    let got: Vec<_> = read
        .issues
        .iter()
        .map(|i| (at(i), path_of(i).to_owned()))
        .collect();
    let want = [
        (
            IssueCode::MissingKeyDate,
            5,
            "REVIEW",
            "",
            "EXPSSDA903/CHILD[1]/HEADER/AREVIEW[1]/REVIEW",
        ),
        (
            IssueCode::MissingKeyDate,
            7,
            "MIS_START",
            " ",
            "EXPSSDA903/CHILD[1]/HEADER/AMISSING[1]/MIS_START",
        ),
        (
            IssueCode::BlankRow,
            9,
            "",
            "",
            "EXPSSDA903/CHILD[1]/HEADER/OC2[1]",
        ),
        (
            IssueCode::UnknownCode,
            10,
            "SDQ_SCORE",
            "41",
            "EXPSSDA903/CHILD[1]/HEADER/OC2[2]/SDQ_SCORE",
        ),
        (
            IssueCode::UnknownCode,
            10,
            "HEALTH_CHECK",
            "2",
            "EXPSSDA903/CHILD[1]/HEADER/OC2[2]/HEALTH_CHECK",
        ),
        (
            IssueCode::UnreadableDate,
            11,
            "DATE_PERM",
            "ZZ/ZZ/2015",
            "EXPSSDA903/CHILD[1]/HEADER/PERMANENCE[1]/DATE_PERM",
        ),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|&(c, l, col, v, p)| {
            (
                (c, "t.xml".to_owned(), l, col.to_owned(), v.to_owned()),
                p.to_owned(),
            )
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(
        read.issues[0].message,
        "REVIEW is blank: every Reviews row needs it; AREVIEW element skipped"
    );
    assert_eq!(
        read.issues[1].message,
        "MIS_START is blank: every Missing row needs it; AMISSING element skipped"
    );
    assert!(
        read.issues[2]
            .message
            .ends_with("are all blank: the OC2 row records nothing; OC2 element skipped"),
        "{}",
        read.issues[2].message
    );
    assert_eq!(
        read.issues[5].message,
        format!(
            "DATE_PERM \"ZZ/ZZ/2015\" is not a date ({DATES}); blanked, PERMANENCE element kept"
        )
    );
    let r = &read.ret;
    let dob = Some(day("2010-02-01"));
    assert_eq!(
        (r.reviews.len(), r.reviews[0].review, r.reviews[0].dob),
        (1, day("2023-06-01"), dob)
    );
    assert_eq!(
        r.missing,
        [Missing {
            child: "A".into(),
            dob,
            missing: "A".into(),
            mis_start: day("2023-07-01"),
            mis_end: None,
            origin: RowOrigin::new(0, 8),
        }]
    );
    assert_eq!(r.oc2.len(), 1);
    assert_eq!(
        (
            r.oc2[0].sdq_score,
            r.oc2[0].convicted,
            r.oc2[0].health_check
        ),
        (None, Some(true), None)
    );
    assert_eq!(
        r.prev_perm,
        [PrevPerm {
            child: "A".into(),
            dob,
            prev_perm: "P1".into(),
            la_perm: CompactString::default(),
            date_perm: None,
            origin: RowOrigin::new(0, 11),
        }]
    );
    assert_eq!(
        r.oc3,
        [Oc3 {
            child: "A".into(),
            dob,
            in_touch: "YES".into(),
            activ: "F1".into(),
            accom: CompactString::default(),
            origin: RowOrigin::new(0, 12),
        }]
    );
    let report: Vec<(&str, usize, usize)> = read
        .files
        .iter()
        .map(|f| (f.table.as_str(), f.rows, f.skipped))
        .collect();
    assert_eq!(
        report,
        [
            ("Header", 1, 0),
            ("Reviews", 2, 1),
            ("OC2", 2, 1),
            ("OC3", 1, 0),
            ("PrevPerm", 1, 0),
            ("Missing", 2, 1),
        ]
    );
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
        // An XML return holds every table but SWEpisodes, with or without rows (spec 2.3).
        r.source.tables = Some(tables_but(&["SWEpisodes"]));
        r
    });
    assert_eq!(ok.files.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// Writing and round trips

/// Sets every row's origin to the default.
struct ClearOrigins;

impl VisitRowsMut for ClearOrigins {
    fn rows<R: Record>(&mut self, rows: &mut Vec<R>) {
        for r in rows {
            r.set_origin(RowOrigin::default());
        }
    }
}

/// `ret` as a reader returns it, for comparison: origins, file list and list of tables held
/// cleared (the round trips check the tables held themselves).
fn normalised(mut ret: Ssda903Return) -> Ssda903Return {
    ret.visit_mut(&mut ClearOrigins);
    ret.source.files.clear();
    ret.source.tables = None;
    ret
}

/// `ret` without its SWEpisodes rows, which the XML form cannot hold (spec 2.3).
fn without_sw(mut ret: Ssda903Return) -> Ssda903Return {
    ret.sw_episodes.clear();
    ret
}

/// The SSDA903 table whose CSV file the writer names `path`.
fn table_of_file(path: &Path) -> &'static TableSchema {
    let name = path.file_name().unwrap().to_str().unwrap();
    schema::tables(ReturnKind::Ssda903)
        .find(|t| t.csv_file == name)
        .unwrap_or_else(|| panic!("{name} is no table's file"))
}

fn csv_round_trip(ret: &Ssda903Return) -> Read<Ssda903Return> {
    let dir = scratch("csv");
    let paths = ssda903::write_csv(ret, &dir).unwrap();
    let opts = ReadOptions {
        collection_year: ret.source.collection_year,
        ..ReadOptions::default()
    };
    let read = ssda903::read_files(&paths, &opts).unwrap();
    // The return read holds exactly the tables written, in writing order (spec 2.3).
    let written: Vec<CompactString> = paths.iter().map(|p| table_of_file(p).name.into()).collect();
    assert_eq!(read.ret.source.tables.as_ref(), Some(&written));
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
    let read = ssda903::read_xml_bytes(Arc::from("written.xml"), &xml, &opts).unwrap();
    assert_eq!(read.ret.source.tables, Some(tables_but(&["SWEpisodes"])));
    read
}

/// A small return with every table, awkward text, and the shape the XML form holds.
#[allow(clippy::too_many_lines)] // one literal return
fn hand_built() -> Ssda903Return {
    let mut r = Ssda903Return::default();
    r.source.collection_year = Some(2024);
    let dob = Some(day("2009-02-28"));
    r.headers.push(Header {
        child: "00071".into(),
        sex: "2".into(),
        dob,
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
        dob,
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
        dob,
        date_placed: Some(day("2023-05-01")),
        date_placed_ceased: None,
        reason_placed_ceased: CompactString::default(),
        origin: RowOrigin::default(),
    });
    r.reviews.push(Review {
        child: "00071".into(),
        dob,
        review: day("2023-07-01"),
        review_code: "PN1".into(),
        origin: RowOrigin::default(),
    });
    r.reviews.push(Review {
        child: "00071".into(),
        dob,
        review: day("2023-10-01"),
        review_code: "PN\"2".into(),
        origin: RowOrigin::default(),
    });
    r.uasc.push(Uasc {
        child: "00071".into(),
        sex: "2".into(),
        dob,
        duc: Some(day("2027-02-28")),
        origin: RowOrigin::default(),
    });
    r.oc2.push(Oc2 {
        child: "00071".into(),
        dob,
        sdq_score: Some(12),
        sdq_reason: CompactString::default(),
        convicted: Some(false),
        health_check: Some(true),
        immunisations: Some(true),
        teeth_check: Some(true),
        health_assessment: Some(false),
        substance_misuse: None,
        intervention_received: Some(false),
        intervention_offered: Some(false),
        origin: RowOrigin::default(),
    });
    r.oc3.push(Oc3 {
        child: "72".into(),
        dob: None,
        in_touch: "YES".into(),
        activ: "F1".into(),
        accom: "S2".into(),
        origin: RowOrigin::default(),
    });
    r.prev_perm.push(PrevPerm {
        child: "00071".into(),
        dob,
        prev_perm: "P1".into(),
        la_perm: "E09000001".into(),
        date_perm: Some(day("2015-05-01")),
        origin: RowOrigin::default(),
    });
    r.missing.push(Missing {
        child: "72".into(),
        dob: None,
        missing: "M".into(),
        mis_start: day("2023-08-01"),
        mis_end: Some(day("2023-08-03")),
        origin: RowOrigin::default(),
    });
    r.missing.push(Missing {
        child: "72".into(),
        dob: None,
        missing: "A".into(),
        mis_start: day("2023-09-01"),
        mis_end: None,
        origin: RowOrigin::default(),
    });
    r.sw_episodes.push(SwEpisode {
        child: "72".into(),
        dob: None,
        sw_id: "SW 9".into(),
        sw_decom: day("2023-04-01"),
        sw_dec: None,
        sw_reason: "LEFT".into(),
        origin: RowOrigin::default(),
    });
    r
}

/// Asserts that every table of the family has a row in `ret`.
fn assert_every_table_has_rows(ret: &Ssda903Return, but: &[&str]) {
    struct Empty(Vec<&'static str>);
    impl csc_measures::schema::VisitRows for Empty {
        fn rows<R: Record>(&mut self, rows: &[R]) {
            if rows.is_empty() {
                self.0.push(R::SCHEMA.name);
            }
        }
    }
    let mut empty = Empty(Vec::new());
    ret.visit(&mut empty);
    assert_eq!(empty.0, but, "tables without rows");
}

#[test]
fn a_hand_built_return_round_trips_through_csv_and_xml() {
    let ret = hand_built();
    assert_every_table_has_rows(&ret, &[]);
    let want = normalised(ret.clone());
    let read = csv_round_trip(&ret);
    assert!(read.issues.is_empty(), "{:?}", read.issues);
    assert_eq!(normalised(read.ret), want);
    // The XML form holds every table but SWEpisodes (spec 2.3).
    let read = xml_round_trip(&without_sw(ret));
    assert!(read.issues.is_empty(), "{:?}", read.issues);
    assert_eq!(normalised(read.ret), without_sw(want));
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
    // Each file's header row is its table's columns, in the schema's order.
    for p in &paths {
        let table = table_of_file(p);
        let text = std::fs::read_to_string(p).unwrap();
        let columns: Vec<&str> = table.fields.iter().map(|f| f.column).collect();
        assert_eq!(
            text.lines().next(),
            Some(columns.join(",").as_str()),
            "{}",
            p.display()
        );
    }
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
    // Flags are 1 or 0, a score its number, blank for none.
    let oc2 = std::fs::read_to_string(&paths[6]).unwrap();
    assert!(
        oc2.ends_with("\n00071,28/02/2009,12,,0,1,1,1,0,,0,0\n"),
        "{oc2}"
    );
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
fn the_csv_writer_writes_the_tables_the_return_holds() {
    // With `source.tables`, the tables listed (a header-only file for one without rows: spec 2.3,
    // "Holding a table") and every table that has rows.
    let mut ret = Ssda903Return::default();
    ret.source.tables = Some(names(&["Episodes", "Missing"]));
    ret.reviews.push(Review {
        child: "A".into(),
        review: day("2023-05-01"),
        ..Review::default()
    });
    let dir = scratch("held");
    let paths = ssda903::write_csv(&ret, &dir).unwrap();
    let files: Vec<&str> = paths
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(files, ["episodes.csv", "reviews.csv", "missing.csv"]);
    assert_eq!(
        std::fs::read_to_string(&paths[2]).unwrap(),
        "CHILD,DOB,MISSING,MIS_START,MIS_END\n"
    );
    let read = ssda903::read_files(&paths, &lenient()).unwrap();
    assert!(read.issues.is_empty(), "{:?}", read.issues);
    assert_eq!(
        read.ret.source.tables,
        Some(names(&["Episodes", "Reviews", "Missing"]))
    );
    std::fs::remove_dir_all(&dir).unwrap();

    // Unknown columns of the input were never part of a record: they are not written back.
    let read = read_bytes(
        "uasc.csv",
        b"LA,CHILD,SEX,DOB,DUC,NOTE\nE1,A,1,01/02/2010,01/02/2028,x\n",
    );
    let dir = scratch("extra");
    let paths = ssda903::write_csv(&read.ret, &dir).unwrap();
    let files: Vec<&str> = paths
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(files, ["uasc.csv"]);
    assert_eq!(
        std::fs::read_to_string(&paths[0]).unwrap(),
        "CHILD,SEX,DOB,DUC\nA,1,01/02/2010,01/02/2028\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_xml_writer_writes_the_layout_of_the_dfe_file() {
    let mut xml = Vec::new();
    ssda903::write_xml(&without_sw(hand_built()), &mut xml).unwrap();
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
    // A child without UASC row has a blank UASC; its OC3 fields stand in its HEADER.
    assert!(
        xml.contains(
            "<CHILDID>72</CHILDID>\n      <SEX>1</SEX>\n      <DOB/>\n      <ETHNIC/>\n      \
             <UPN/>\n      <MOTHER/>\n      <MC_DOB/>\n      <UASC/>\n      <IN_TOUCH>YES</IN_TOUCH>"
        ),
        "{xml}"
    );
    assert!(
        xml.contains("<OC2>\n        <SDQ_SCORE>12</SDQ_SCORE>\n        <SDQ_REASON/>\n        <CONVICTED>0</CONVICTED>"),
        "{xml}"
    );

    // A table without an XML form (SWEpisodes, spec 2.3) is refused by the XML writer...
    let mut sw = Ssda903Return::default();
    sw.sw_episodes.push(SwEpisode {
        child: "1".into(),
        sw_decom: day("2023-04-01"),
        ..SwEpisode::default()
    });
    let err = ssda903::write_xml(&sw, Vec::new()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(
        err.message().contains("SWEpisodes") && err.message().contains("child 1"),
        "{err}"
    );
    // ... and written by the CSV writer, in a file of its own.
    let dir = scratch("sw");
    let paths = ssda903::write_csv(&sw, &dir).unwrap();
    assert_eq!(paths.len(), 5);
    assert!(paths[4].ends_with("sw_episodes.csv"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The names of the elements standing directly in the `child`-th `HEADER` of XML written by
/// `write_xml` (which indents each level by two spaces), in order.
fn header_children(xml: &str, child: usize) -> Vec<&str> {
    let header = xml.split("<HEADER>\n").nth(child + 1).unwrap();
    let header = &header[..header.find("</HEADER>").unwrap()];
    header
        .lines()
        .filter_map(|l| l.strip_prefix("      <"))
        .filter(|l| !l.starts_with('/'))
        .map(|l| l.split(['>', '/']).next().unwrap())
        .collect()
}

#[test]
fn the_xml_writer_writes_header_fields_then_flat_tables_then_nested_elements() {
    // The layout of the writer: HEADER's fields in schema order, then the flat tables (AD1, UASC,
    // OC3), then the elements nested in HEADER in the family's table order.
    let mut xml = Vec::new();
    ssda903::write_xml(&without_sw(hand_built()), &mut xml).unwrap();
    let xml = String::from_utf8(xml).unwrap();
    assert_eq!(
        header_children(&xml, 0),
        [
            "CHILDID",
            "SEX",
            "DOB",
            "ETHNIC",
            "UPN",
            "MOTHER",
            "MC_DOB",
            "DATE_INT",
            "DATE_MATCH",
            "FOSTER_CARE",
            "NB_ADOPTR",
            "SEX_ADOPTR",
            "LS_ADOPTR",
            "UASC",
            "DUC",
            "AD_PLACED",
            "AREVIEW",
            "AREVIEW",
            "OC2",
            "PERMANENCE",
        ],
        "{xml}"
    );
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
        let read = xml_round_trip(&without_sw(ret.clone()));
        assert!(read.issues.is_empty(), "{:?}", &read.issues[..1]);
        assert_eq!(
            normalised(read.ret),
            without_sw(want),
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

    fn cs(newlines: bool) -> impl Strategy<Value = CompactString> {
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

    fn flag() -> impl Strategy<Value = Option<bool>> {
        prop::option::of(any::<bool>())
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

    fn review(child: String, dob: Option<Day>, nl: bool) -> impl Strategy<Value = Review> {
        (date(), cs(nl)).prop_map(move |(review, review_code)| Review {
            child: child.as_str().into(),
            dob,
            review,
            review_code,
            origin: RowOrigin::default(),
        })
    }

    fn uasc(child: String, sex: CompactString, dob: Option<Day>) -> impl Strategy<Value = Uasc> {
        opt_date().prop_map(move |duc| Uasc {
            child: child.as_str().into(),
            sex: sex.clone(),
            dob,
            duc,
            origin: RowOrigin::default(),
        })
    }

    fn oc2(child: String, dob: Option<Day>, nl: bool) -> impl Strategy<Value = Oc2> {
        (
            prop::option::of(0u32..=40),
            cs(nl),
            (flag(), flag(), flag(), flag()),
            (flag(), flag(), flag(), flag()),
        )
            .prop_map(move |(sdq_score, sdq_reason, a, b)| Oc2 {
                child: child.as_str().into(),
                dob,
                sdq_score,
                sdq_reason,
                convicted: a.0,
                health_check: a.1,
                immunisations: a.2,
                teeth_check: a.3,
                health_assessment: b.0,
                substance_misuse: b.1,
                intervention_received: b.2,
                intervention_offered: b.3,
                origin: RowOrigin::default(),
            })
            // An OC2 row exists only when it records something (spec 2.3).
            .prop_filter("OC2 with a value", |o| {
                (1..Oc2::SCHEMA.fields.len())
                    .filter(|&i| Oc2::SCHEMA.fields[i].column != "DOB")
                    .any(|i| !o.get(i).is_blank())
            })
    }

    fn oc3(child: String, dob: Option<Day>, nl: bool) -> impl Strategy<Value = Oc3> {
        (cs(nl), cs(nl), cs(nl))
            .prop_map(move |(in_touch, activ, accom)| Oc3 {
                child: child.as_str().into(),
                dob,
                in_touch,
                activ,
                accom,
                origin: RowOrigin::default(),
            })
            // An OC3 row exists only when it records something (spec 2.3).
            .prop_filter("OC3 with a value", |o| {
                !(o.in_touch.is_empty() && o.activ.is_empty() && o.accom.is_empty())
            })
    }

    fn prev_perm(child: String, dob: Option<Day>, nl: bool) -> impl Strategy<Value = PrevPerm> {
        (cs(nl), cs(nl), opt_date()).prop_map(move |(prev_perm, la_perm, date_perm)| PrevPerm {
            child: child.as_str().into(),
            dob,
            prev_perm,
            la_perm,
            date_perm,
            origin: RowOrigin::default(),
        })
    }

    fn missing(child: String, dob: Option<Day>, nl: bool) -> impl Strategy<Value = Missing> {
        (cs(nl), date(), opt_date()).prop_map(move |(missing, mis_start, mis_end)| Missing {
            child: child.as_str().into(),
            dob,
            missing,
            mis_start,
            mis_end,
            origin: RowOrigin::default(),
        })
    }

    fn sw_episode(child: String, dob: Option<Day>, nl: bool) -> impl Strategy<Value = SwEpisode> {
        (cs(nl), date(), opt_date(), cs(nl)).prop_map(
            move |(sw_id, sw_decom, sw_dec, sw_reason)| SwEpisode {
                child: child.as_str().into(),
                dob,
                sw_id,
                sw_decom,
                sw_dec,
                sw_reason,
                origin: RowOrigin::default(),
            },
        )
    }

    /// The rows of the tables other than Header and Episodes.
    type Others = (
        Vec<Ad1>,
        Vec<PlacedAdoption>,
        Vec<Review>,
        Vec<Uasc>,
        Vec<Oc2>,
        Vec<Oc3>,
        Vec<PrevPerm>,
        Vec<Missing>,
        Vec<SwEpisode>,
    );

    fn with_others(mut r: Ssda903Return, o: Others) -> Ssda903Return {
        r.ad1 = o.0;
        r.placed_adoption = o.1;
        r.reviews = o.2;
        r.uasc = o.3;
        r.oc2 = o.4;
        r.oc3 = o.5;
        r.prev_perm = o.6;
        r.missing = o.7;
        r.sw_episodes = o.8;
        r
    }

    /// Any small return: rows of every table in any order, children repeated or missing from
    /// tables, DOB and SEX not agreeing across tables.
    fn any_return() -> impl Strategy<Value = Ssda903Return> {
        let ids = prop::collection::vec(id(), 1..4);
        ids.prop_flat_map(|ids| {
            let pick = prop::sample::select(ids);
            let with_dob = move || (pick.clone(), opt_date());
            let others = (
                prop::collection::vec(with_dob().prop_flat_map(|(c, d)| ad1(c, d, true)), 0..3),
                prop::collection::vec(with_dob().prop_flat_map(|(c, d)| placed(c, d, true)), 0..3),
                prop::collection::vec(with_dob().prop_flat_map(|(c, d)| review(c, d, true)), 0..3),
                prop::collection::vec(
                    (with_dob(), cs(true)).prop_flat_map(|((c, d), s)| uasc(c, s, d)),
                    0..3,
                ),
                prop::collection::vec(with_dob().prop_flat_map(|(c, d)| oc2(c, d, true)), 0..3),
                prop::collection::vec(with_dob().prop_flat_map(|(c, d)| oc3(c, d, true)), 0..3),
                prop::collection::vec(
                    with_dob().prop_flat_map(|(c, d)| prev_perm(c, d, true)),
                    0..3,
                ),
                prop::collection::vec(with_dob().prop_flat_map(|(c, d)| missing(c, d, true)), 0..3),
                prop::collection::vec(
                    with_dob().prop_flat_map(|(c, d)| sw_episode(c, d, true)),
                    0..3,
                ),
            );
            (
                prop::collection::vec(with_dob().prop_flat_map(|(c, _)| header(c, true)), 0..4),
                prop::collection::vec(with_dob().prop_flat_map(|(c, _)| episode(c, true)), 0..5),
                others,
            )
        })
        .prop_map(|(headers, episodes, others)| {
            with_others(
                Ssda903Return {
                    headers,
                    episodes,
                    ..Ssda903Return::default()
                },
                others,
            )
        })
    }

    /// The rows of one child as the XML form holds them: one Header, and the other tables' DOB
    /// (and UASC's SEX) its own; no SWEpisodes (spec 2.3).
    fn xml_child(id: String) -> impl Strategy<Value = Ssda903Return> {
        header(id.clone(), false).prop_flat_map(move |h| {
            let (dob, sex) = (h.dob, h.sex.clone());
            let id = id.clone();
            let others = (
                prop::collection::vec(ad1(id.clone(), dob, false), 0..2),
                prop::collection::vec(placed(id.clone(), dob, false), 0..2),
                prop::collection::vec(review(id.clone(), dob, false), 0..3),
                prop::collection::vec(uasc(id.clone(), sex, dob), 0..2),
                prop::collection::vec(oc2(id.clone(), dob, false), 0..2),
                prop::collection::vec(oc3(id.clone(), dob, false), 0..2),
                prop::collection::vec(prev_perm(id.clone(), dob, false), 0..2),
                prop::collection::vec(missing(id.clone(), dob, false), 0..3),
                Just(Vec::new()),
            );
            (
                Just(h),
                prop::collection::vec(episode(id.clone(), false), 0..3),
                others,
            )
                .prop_map(|(h, episodes, others)| {
                    with_others(
                        Ssda903Return {
                            headers: vec![h],
                            episodes,
                            ..Ssda903Return::default()
                        },
                        others,
                    )
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
                    r.reviews.extend(c.reviews);
                    r.uasc.extend(c.uasc);
                    r.oc2.extend(c.oc2);
                    r.oc3.extend(c.oc3);
                    r.prev_perm.extend(c.prev_perm);
                    r.missing.extend(c.missing);
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

    #[test]
    fn the_generated_returns_reach_every_table() {
        // The strategies above can give rows of every table (SWEpisodes only in the CSV shape).
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        struct Seen<'a>(&'a mut std::collections::BTreeSet<&'static str>);
        impl csc_measures::schema::VisitRows for Seen<'_> {
            fn rows<R: Record>(&mut self, rows: &[R]) {
                if !rows.is_empty() {
                    self.0.insert(R::SCHEMA.name);
                }
            }
        }
        let mut runner = TestRunner::deterministic();
        let mut seen_csv = std::collections::BTreeSet::new();
        let mut seen_xml = std::collections::BTreeSet::new();
        for _ in 0..200 {
            let r = any_return().new_tree(&mut runner).unwrap().current();
            r.visit(&mut Seen(&mut seen_csv));
            let r = xml_return().new_tree(&mut runner).unwrap().current();
            r.visit(&mut Seen(&mut seen_xml));
        }
        let all: std::collections::BTreeSet<&str> = schema::tables(ReturnKind::Ssda903)
            .map(|t| t.name)
            .collect();
        assert_eq!(seen_csv, all);
        let mut no_sw = all.clone();
        no_sw.remove("SWEpisodes");
        assert_eq!(seen_xml, no_sw);
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
    // The reader finds nothing wrong: every table is recognised and every row readable (no OC2 or
    // OC3 line is blank, every flag is 1 or 0, every key date is given).
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
    // Every table is typed now: each row of each file is a record of its table.
    let r = &read.ret;
    assert_eq!(
        [
            r.reviews.len(),
            r.uasc.len(),
            r.oc2.len(),
            r.oc3.len(),
            r.prev_perm.len(),
            r.missing.len(),
            r.sw_episodes.len(),
        ],
        [12582, 132, 2675, 53, 2675, 43, 0]
    );
    assert_eq!(
        r.source.tables,
        Some(names(&[
            "AD1",
            "Episodes",
            "Header",
            "Missing",
            "OC2",
            "OC3",
            "PlacedAdoption",
            "PrevPerm",
            "Reviews",
            "UASC",
        ]))
    );
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
    // Reviews are keyed on (CHILD, REVIEW) now (spec 2.1, 2.3), so the duplicates of reviews.csv
    // are reported: it holds 2 rows that repeat an earlier row exactly (children 844067 and 11485)
    // and 12 (CHILD, REVIEW) keys with two rows that differ in REVIEW_CODE. No other table of the
    // folder repeats a key.
    let in_reviews = |code: IssueCode| {
        let of: Vec<&Issue> = ds.issues().iter().filter(|i| i.code == code).collect();
        for i in &of {
            let file = i.location.as_ref().and_then(|l| l.file.as_deref());
            assert!(file.unwrap_or("").ends_with("reviews.csv"), "{i}");
        }
        of.len()
    };
    assert_eq!(in_reviews(IssueCode::DuplicateRow), 2);
    assert_eq!(in_reviews(IssueCode::DuplicateKey), 12);
    assert_eq!(ds.ssda903().reviews.len(), 12582 - 2);
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
fn peer_liia_tools_iso_dates_are_read() {
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
    // Every row's dates are ISO dates, as sector tools write them: read (spec 2, "Dates", v2
    // change), so no row is skipped and nothing is reported.
    assert_eq!(read.files[0].skipped, 0);
    assert!(read.issues.is_empty(), "{:?}", &read.issues[..1]);
    assert_eq!(read.ret.episodes.len(), 23);
    let first = &read.ret.episodes[0];
    assert_eq!(
        (
            first.child.as_str(),
            first.decom,
            first.dec,
            first.origin.line
        ),
        ("NORULE_BAD", day("2015-06-19"), Some(day("2016-07-26")), 2)
    );
    let strict_read = ssda903::read_dir(&dir, &strict()).unwrap();
    assert_eq!(strict_read, read);
    // Its stitching cases are repaired (spec 2.1 rules 2 and 3): open episodes followed by a later
    // one (RULE1_BAD, RULE1A_BAD, RULE4_BAD), episodes ending after the next DECOM (RULE3_BAD,
    // RULE3A_BAD, RULE4_BAD twice), an X1 episode ending before the next DECOM (RULE5_BAD).
    let ds = csc_measures::DatasetBuilder::new()
        .ssda903(read.ret)
        .build()
        .unwrap();
    let count = |code: IssueCode| ds.issues().iter().filter(|i| i.code == code).count();
    assert_eq!(count(IssueCode::OpenEpisodeClosed), 3);
    assert_eq!(count(IssueCode::OverlapTruncated), 4);
    assert_eq!(count(IssueCode::X1GapClosed), 1);
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

// ---------------------------------------------------------------------------------------------
// Nothing loads silently empty; where an entry stands in a one-line XML file; the likely year.

#[test]
fn peer_liia_episodes_with_iso_dates_load_every_row() {
    // The sector's stitching cases: ISO dates, with LA and YEAR columns of their own.
    let Some(path) = peer("liia-tools/SSDA903_episodes_for_testing_fixes_INPUT.csv") else {
        return;
    };
    let bytes = std::fs::read(&path).unwrap();
    let mut read = empty_read();
    ssda903::read_csv_bytes(Arc::from("liia.csv"), &bytes, &strict(), &mut read).unwrap();
    assert_eq!(read.files[0].table, "Episodes");
    assert_eq!(read.files[0].skipped, 0);
    assert_eq!(read.ret.episodes.len(), read.files[0].rows);
    assert_eq!(read.ret.episodes.len(), 23);
    assert!(read.issues.is_empty(), "{:?}", read.issues);
    assert_eq!(read.ret.episodes[0].decom, day("2015-06-19"));
    assert_eq!(read.ret.episodes[0].dec, Some(day("2016-07-26")));
}

#[test]
fn a_table_whose_every_row_is_skipped_says_why_in_one_entry() {
    // Dates with a time part, as a spreadsheet may save them: every row unusable.
    let csv = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
               A,2023-04-01 00:00:00,S,C2,N1,U1,PR1,,,,,,\n\
               B,2023-05-01 00:00:00,S,C2,N1,U1,PR1,,,,,,\n";
    let read = read_bytes("eps.csv", csv.as_bytes());
    assert_eq!((read.files[0].rows, read.files[0].skipped), (2, 2));
    let e = read.files[0].all_skipped(&read.issues).unwrap();
    assert_eq!(e.code, IssueCode::AllRowsSkipped);
    assert_eq!(
        e.message,
        "every one of the 2 Episodes rows of eps.csv was skipped, so the table loads nothing; \
         the first reason (eps.csv:2 column DECOM value \"2023-04-01 00:00:00\"): \
         [unreadable_date] DECOM \"2023-04-01 00:00:00\" is not a date (DD/MM/YYYY or \
         YYYY-MM-DD); row skipped"
    );
    assert_eq!(
        at(&e),
        (
            IssueCode::AllRowsSkipped,
            "eps.csv".to_owned(),
            2,
            "DECOM".to_owned(),
            "2023-04-01 00:00:00".to_owned()
        )
    );
    // One row kept: no entry.
    let csv = format!("{csv}C,01/06/2023,S,C2,N1,U1,PR1,,,,,,\n");
    let read = read_bytes("eps.csv", csv.as_bytes());
    assert!(read.files[0].all_skipped(&read.issues).is_none());
    // Strict mode stops at the first row, naming file, line, column and value.
    let mut into = empty_read();
    let err = ssda903::read_csv_bytes(Arc::from("eps.csv"), csv.as_bytes(), &strict(), &mut into)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DataQuality);
    let loc = err.location().unwrap();
    assert_eq!((loc.line, loc.column.as_deref()), (Some(2), Some("DECOM")));
}

#[test]
fn entries_in_a_one_line_xml_file_have_an_element_path_and_no_line() {
    let one_line = "<?xml version=\"1.0\"?>\n<EXPSSDA903><CHILD><HEADER><CHILDID>A</CHILDID></HEADER>\
         <EPISODE><DECOM>01/04/2023</DECOM></EPISODE><EPISODE><DECOM>01/04/2023</DECOM><DEC>bad</DEC></EPISODE>\
         </CHILD><CHILD><HEADER><CHILDID>B</CHILDID></HEADER><EPISODE><DECOM>02/04/2023</DECOM></EPISODE></CHILD></EXPSSDA903>";
    let r = read_xml_str(one_line, &lenient()).unwrap();
    assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
    let loc = r.issues[0].location.as_ref().unwrap();
    assert_eq!(loc.line, None);
    assert_eq!(path_of(&r.issues[0]), "EXPSSDA903/CHILD[1]/EPISODE[2]/DEC");
    assert_eq!(r.issues[0].child.as_deref(), Some("A"));
    // The rows' origins lose the line too, so that what the merge finds has none.
    assert!(r.ret.episodes.iter().all(|e| e.origin.line == 0));
    // With its elements on lines of their own, the lines stay.
    let lines = one_line.replace("<EPISODE>", "\n<EPISODE>");
    let r = read_xml_str(&lines, &lenient()).unwrap();
    assert_eq!(r.issues[0].location.as_ref().unwrap().line, Some(4));
    assert_eq!(r.ret.episodes[0].origin.line, 3);
}

#[test]
fn peer_return_under_the_wrong_year_gets_the_likely_year() {
    // The folder named 2017 holds 2017-18: passed as 2017, most of its episodes start after
    // 31 March 2017.
    let Some(dir) = peer("cs-demand-model/2017") else {
        return;
    };
    let given = |year: Option<i32>| {
        let opts = ReadOptions {
            collection_year: year,
            ..ReadOptions::default()
        };
        ssda903::read_dir(&dir, &opts).unwrap()
    };
    let r = given(Some(2017));
    let hints: Vec<&Issue> = r
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::LikelyWrongYear)
        .collect();
    assert_eq!(hints.len(), 1);
    assert!(
        hints[0]
            .message
            .contains("941 of its 1460 care episodes (64%) start after 31 March 2017")
            && hints[0].message.contains("probably the 2018 return"),
        "{}",
        hints[0].message
    );
    assert!(path_of(hints[0]).is_empty());
    assert!(
        hints[0]
            .location
            .as_ref()
            .unwrap()
            .file
            .as_deref()
            .unwrap()
            .ends_with("episodes.csv")
    );
    // Its own year, or none: no hint.
    for year in [Some(2018), None] {
        let r = given(year);
        assert!(
            r.issues
                .iter()
                .all(|i| i.code != IssueCode::LikelyWrongYear),
            "{year:?}"
        );
    }
    // A year after the data: no episode starts in it.
    let r = given(Some(2020));
    assert!(
        r.issues.iter().any(|i| i.code == IssueCode::LikelyWrongYear
            && i.message
                .contains("none of its 1460 care episodes starts in the collection year 2020")),
        "{:?}",
        r.issues.iter().map(|i| i.code).collect::<Vec<_>>()
    );
}
