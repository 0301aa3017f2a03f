//! The SSDA903 CSV reader splits a file into records in one pass over its text: a file read
//! whole gives the same rows and the same entries (code, message, child, file, line, column,
//! value) however its lines end (LF, CRLF, a lone CR), with or without a byte-order mark, with
//! its fields quoted or not, and with its cells spanning whatever lies around them; quoted line
//! breaks and quotes left open are counted in the lines of what follows.

use std::sync::Arc;

use csc_measures::quality::Issue;
use csc_measures::records::Ssda903Return;
use csc_returns::{Read, ReadOptions, ssda903};

fn read(name: &str, bytes: &[u8]) -> Read<Ssda903Return> {
    let mut read = Read::default();
    ssda903::read_csv_bytes(Arc::from(name), bytes, &ReadOptions::default(), &mut read).unwrap();
    read
}

/// Each entry as it stands: code, message, child, record, line, column and value.
fn entries(issues: &[Issue]) -> Vec<String> {
    issues
        .iter()
        .map(|i| {
            let loc = i.location.as_ref();
            format!(
                "{} | {} | {:?} | {:?} | {:?} | {:?} | {:?} | {:?}",
                i.code.as_str(),
                i.message,
                i.child,
                i.record,
                loc.and_then(|l| l.file.clone()),
                loc.and_then(|l| l.line),
                loc.and_then(|l| l.column.clone()),
                loc.and_then(|l| l.value.clone()),
            )
        })
        .collect()
}

/// The file with every line ending `end` instead of LF.
fn line_ends(text: &str, end: &str) -> String {
    text.replace('\n', end)
}

/// The file with every field quoted (quotes inside doubled), as some systems write every field.
fn quote_all(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            if line.is_empty() {
                return String::new();
            }
            line.split(',')
                .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Reads `text` and each variant of it, and checks they give the same return and entries.
fn same_every_way(name: &str, text: &str) {
    let want = read(name, text.as_bytes());
    let variants = [
        ("CRLF", line_ends(text, "\r\n")),
        ("CR", line_ends(text, "\r")),
        ("BOM", format!("\u{FEFF}{text}")),
        ("BOM CRLF", format!("\u{FEFF}{}", line_ends(text, "\r\n"))),
        ("quoted", quote_all(text)),
        ("quoted CRLF", line_ends(&quote_all(text), "\r\n")),
    ];
    for (what, v) in &variants {
        let got = read(name, v.as_bytes());
        assert_eq!(got.ret, want.ret, "{name} ({what})");
        assert_eq!(
            entries(&got.issues),
            entries(&want.issues),
            "{name} ({what})"
        );
        assert_eq!(got.files, want.files, "{name} ({what})");
    }
}

#[test]
fn synthetic_tables_read_the_same_every_way() {
    let config = csc_synth::Config {
        children: 4000,
        first_year: 2023,
        last_year: 2024,
        seed: 7,
    };
    let synthetic = csc_synth::generate(&config);
    let dir = std::env::temp_dir().join(format!("csc-ssda903-blocks-{}", std::process::id()));
    for (i, ret) in synthetic.ssda903.iter().enumerate() {
        let out = dir.join(i.to_string());
        let paths = ssda903::write_csv(ret, &out).unwrap();
        assert!(!paths.is_empty());
        let mut rows = 0;
        for path in &paths {
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy();
            let r = read(&name, text.as_bytes());
            rows += r.files.iter().map(|f| f.rows).sum::<usize>();
            same_every_way(&name, &text);
        }
        assert!(rows > 100, "{rows} rows");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

const H: &str =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN";

#[test]
fn files_with_errors_read_the_same_every_way() {
    let text = format!(
        "{H}\n\
         1,01/04/2023,S,C2,N1,U1,PR1,31/02/2024,E11,,,,\n\
         ,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n\
         \n\
         2,,S,C2,N1,U1,PR1,,,,,,\n\
         3,2023-04-01,S,C2,N1,U1,PR1,,,,,,\n\
         4,01/04/23,S,C2,N1,U1,PR1,,,,,,\n\
         \x20 ,  ,  ,\n\
         5,01/05/2023,S,C2,N1,U1,PR1,01/06/2023,E4A,CHILD,AB1 2CD,,\n\
         6,01/05/2023,S,C2,N1,U1,PR1\n\
         7,01/05/2023,S,C2,N1,U1,PR1,,,,,,,extra,cells\n"
    );
    same_every_way("episodes.csv", &text);
    let r = read("episodes.csv", text.as_bytes());
    let lines: Vec<Option<u32>> = r
        .issues
        .iter()
        .map(|i| i.location.as_ref().and_then(|l| l.line))
        .collect();
    assert!(
        lines.contains(&Some(2)) && lines.contains(&Some(7)),
        "{lines:?}"
    );
    let header = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n\
                  1,1,01/01/2010,WBRI,A123,,\n\
                  2,9,31/02/2010,WBRI,A124,1,01/01/2030\n\
                  ,1,01/01/2010,WBRI,A125,,\n";
    same_every_way("header.csv", header);
    same_every_way("unknown.csv", "A,B,C\n1,2,3\n");
}

#[test]
fn quoted_line_breaks_count_in_the_lines_that_follow() {
    // A field with a line break, closed in its row, is read as written; the rows after it keep
    // their physical lines at every kind of line end.
    for end in ["\n", "\r\n", "\r"] {
        let text = [
            H,
            "1,01/04/2023,S,C2,N1,U1,PR1,,,\"a",
            "b\",,,",
            "2,01/04/2023,S,C2,N1,U1,PR1,31/02/2024,,,,,",
            "",
        ]
        .join(end);
        let r = read("eps.csv", text.as_bytes());
        assert_eq!(r.ret.episodes.len(), 1, "{end:?}");
        assert_eq!(r.ret.episodes[0].origin.line, 2, "{end:?}");
        assert_eq!(r.issues.len(), 1, "{end:?}: {:?}", r.issues);
        assert_eq!(r.issues[0].location.as_ref().unwrap().line, Some(4));
    }
}

#[test]
fn a_quote_left_open_is_one_row_to_the_end_of_the_file() {
    for end in ["\n", "\r\n", "\r"] {
        let text = [
            H,
            "1,01/04/2023,S,C2,N1,U1,PR1,,,,,,",
            "2,01/04/2023,S,C2,N1,U1,PR1,,,\"open,,,",
            "3,01/04/2023,S,C2,N1,U1,PR1,,,,,,",
            "",
        ]
        .join(end);
        let r = read("eps.csv", text.as_bytes());
        assert_eq!(r.ret.episodes.len(), 1, "{end:?}");
        let codes: Vec<&str> = r.issues.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes, ["unclosed_quote"], "{end:?}");
        let loc = r.issues[0].location.as_ref().unwrap();
        assert_eq!(loc.line, Some(3), "{end:?}");
        assert_eq!(
            loc.column.as_deref(),
            Some("REASON_PLACE_CHANGE"),
            "{end:?}"
        );
        assert!(
            r.issues[0]
                .message
                .contains("not closed before the end of the file"),
            "{}",
            r.issues[0].message
        );
    }
}
