//! `check` as a work list: nothing loads silently empty; entries graded, grouped, counted by child
//! and by the measures they touch; rendered as text, JSON and CSV.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use csc_api::check::WorkList;
use csc_api::{Input, Inputs, Loaded, Source, load, render};
use csc_measures::ErrorKind;
use csc_measures::MeasureId;
use csc_measures::quality::{Grade, IssueCode};
use csc_measures::records::ReturnKind;

const EPISODES: &str =
    "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN";

fn bytes(kind: ReturnKind, name: &str, text: &str, year: Option<i32>) -> Input {
    Input {
        kind,
        source: Source::Bytes {
            name: Arc::from(name),
            bytes: text.as_bytes().into(),
        },
        year,
    }
}

fn inputs(returns: Vec<Input>, strict: bool) -> Inputs {
    Inputs {
        returns,
        frames: Vec::new(),
        sample: None,
        strict,
    }
}

fn load_all(returns: Vec<Input>) -> Loaded {
    load(&inputs(returns, false), &|_| {}).unwrap()
}

fn text(loaded: &Loaded, examples: usize) -> String {
    let mut out = Vec::new();
    render::text::check(loaded, examples, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn peer(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/peer-data")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("note: {} is absent; skipping", p.display());
        None
    }
}

#[test]
fn an_episodes_table_with_iso_dates_loads_and_one_that_loads_nothing_says_so_first() {
    // ISO dates, as LIIA writes them: read.
    let iso = format!(
        "{EPISODES},LA,YEAR\nA,2023-04-10,S,C2,N1,U1,PR1,,,,,,,Newham,2024\n\
         B,2023-05-01,S,C2,N1,U1,PR1,2023-06-01,E11,,,,,Newham,2024\n"
    );
    let loaded = load_all(vec![bytes(ReturnKind::Ssda903, "episodes.csv", &iso, None)]);
    assert_eq!(loaded.dataset.summary().care_episodes, 2);
    assert!(
        loaded
            .dataset
            .issues()
            .iter()
            .all(|i| i.code != IssueCode::AllRowsSkipped)
    );

    // A time part on every date: every row skipped. The load says so in one prominent entry,
    // naming the file, the table and the first reason with its line, column and value.
    let timed = format!(
        "{EPISODES}\nA,2023-04-10 00:00:00,S,C2,N1,U1,PR1,,,,,,\n\
         B,2023-05-01 00:00:00,S,C2,N1,U1,PR1,,,,,,\n"
    );
    let loaded = load_all(vec![bytes(
        ReturnKind::Ssda903,
        "episodes.csv",
        &timed,
        Some(2024),
    )]);
    assert_eq!(loaded.dataset.summary().care_episodes, 0);
    let all: Vec<_> = loaded
        .dataset
        .issues()
        .iter()
        .filter(|i| i.code == IssueCode::AllRowsSkipped)
        .collect();
    assert_eq!(all.len(), 1);
    assert!(
        all[0]
            .message
            .starts_with("every one of the 2 Episodes rows of episodes.csv was skipped"),
        "{}",
        all[0].message
    );
    assert!(
        all[0].message.contains("[unreadable_date]"),
        "{}",
        all[0].message
    );
    let loc = all[0].location.as_ref().unwrap();
    assert_eq!(
        (loc.file.as_deref(), loc.line, loc.column.as_deref()),
        (Some("episodes.csv"), Some(2), Some("DECOM"))
    );
    let list = WorkList::new(&loaded);
    assert_eq!(list.prominent.len(), 1);
    // The text shows it before anything else, and marks the file.
    let out = text(&loaded, 5);
    let first = out.find("READ THIS FIRST").unwrap();
    assert!(first < out.find("file ").unwrap(), "{out}");
    assert!(
        out.contains("! [all_rows_skipped] episodes.csv:2 column DECOM"),
        "{out}"
    );
    assert!(out.contains("<- nothing loaded"), "{out}");
    // Strict mode: an error at the first row, with the same detail.
    let err = load(
        &inputs(
            vec![bytes(
                ReturnKind::Ssda903,
                "episodes.csv",
                &timed,
                Some(2024),
            )],
            true,
        ),
        &|_| {},
    )
    .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DataQuality);
    assert!(err.to_string().starts_with("episodes.csv:2"), "{err}");
}

/// A CIN census of 2024 with an assessment authorised eight years before it started (child A), a
/// referral after the `ReferenceDate` (child B), and a `Year` that is not the `ReferenceDate`'s.
const CIN: &str = "<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2023</Year>\
    <ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header><Children>\n\
    <Child><LAchildID>A</LAchildID><PersonBirthDate>2015-01-01</PersonBirthDate>\n\
    <CINdetails><CINreferralDate>2023-05-01</CINreferralDate>\n\
    <Assessments><AssessmentActualStartDate>2023-06-01</AssessmentActualStartDate>\n\
    <AssessmentAuthorisationDate>2015-06-01</AssessmentAuthorisationDate></Assessments>\n\
    </CINdetails></Child>\n\
    <Child><LAchildID>B</LAchildID><PersonBirthDate>2016-01-01</PersonBirthDate>\n\
    <CINdetails><CINreferralDate>2023-05-02</CINreferralDate></CINdetails>\n\
    <CINdetails><CINreferralDate>2025-01-01</CINreferralDate></CINdetails></Child>\n\
    </Children></Message>\n";

/// The census of [`CIN`] with an SSDA903 return given the wrong year.
fn mixed_load() -> Loaded {
    // Care episodes given as the return of 2022-23 when two of the three start in 2023-24: the
    // likely-year hint; the period of care begun in 2020 with RNE P is `history_truncated`, which
    // the data loaded makes expected. The report year is 2023-24 (the census's).
    let eps = format!(
        "{EPISODES}\nC,01/05/2020,P,C2,N1,U1,PR1,,,,,,\nD,01/06/2023,S,C2,N1,U1,PR1,,,,,,\n\
         E,01/07/2023,S,C2,N1,U1,PR1,,,,,,\n"
    );
    load_all(vec![
        bytes(ReturnKind::Cin, "cin.xml", CIN, None),
        bytes(ReturnKind::Ssda903, "episodes.csv", &eps, Some(2023)),
    ])
}

#[test]
fn the_work_list_grades_counts_children_and_names_the_measures_touched() {
    let loaded = mixed_load();
    let list = WorkList::new(&loaded);
    assert_eq!(list.entries(), loaded.dataset.issues().len());
    let codes: Vec<IssueCode> = list.codes.iter().map(|c| c.code).collect();
    // Source first, then loading, then expected.
    let grades: Vec<Grade> = codes.iter().map(|c| c.grade()).collect();
    assert!(grades.windows(2).all(|w| w[0] <= w[1]), "{codes:?}");
    for c in [
        IssueCode::ReversedDates,
        IssueCode::DateAfterReturnEnd,
        IssueCode::YearMismatch,
        IssueCode::LikelyWrongYear,
        IssueCode::HistoryTruncated,
    ] {
        assert!(codes.contains(&c), "{c} not in {codes:?}");
    }
    let group = |c: IssueCode| list.codes.iter().find(|g| g.code == c).unwrap();
    // The reversed assessment is child A's; A's referral of 2023-24 is a drill-down row of the
    // referral measures (the measures are those with a row of the child, not of the record).
    let reversed = group(IssueCode::ReversedDates);
    assert_eq!((reversed.entries.len(), reversed.children), (1, 1));
    assert!(
        reversed.measures.contains(&MeasureId::Referrals)
            && reversed
                .measures
                .iter()
                .all(|m| m.spec().source == ReturnKind::Cin),
        "{:?}",
        reversed.measures
    );
    // Child B's referral of 2025 is after the census: B's other referral, of 2023-24, is counted.
    // The care episodes of D and E start after 31 March 2023, the end of the year the SSDA903
    // return was given (the dates that follow from the wrong year, as the hint says).
    let after = group(IssueCode::DateAfterReturnEnd);
    assert_eq!(after.children, 3);
    assert_eq!(after.entries[0].child.as_deref(), Some("B"));
    let decoms: Vec<(Option<&str>, &str)> = after.entries[1..]
        .iter()
        .map(|i| (i.child.as_deref(), &i.message[..34]))
        .collect();
    assert_eq!(
        decoms,
        [
            (Some("D"), "DECOM 2023-06-01 is after 31 March"),
            (Some("E"), "DECOM 2023-07-01 is after 31 March")
        ]
    );
    assert!(
        after.measures.contains(&MeasureId::Referrals),
        "{:?}",
        after.measures
    );
    // No CIN measure is touched by an SSDA903 child, and the likely-year hint (no child) touches
    // every SSDA903 measure.
    let hint = group(IssueCode::LikelyWrongYear);
    assert_eq!(hint.children, 0);
    assert!(hint.measures.contains(&MeasureId::ClaAtEnd));
    assert!(!hint.measures.contains(&MeasureId::Referrals));
    let history = group(IssueCode::HistoryTruncated);
    assert!(
        history
            .measures
            .iter()
            .all(|m| m.spec().source == ReturnKind::Ssda903)
    );
    // Prominent: the year mismatch and the hint.
    let prominent: Vec<IssueCode> = list.prominent.iter().map(|i| i.code).collect();
    assert_eq!(prominent.len(), 2, "{prominent:?}");
}

#[test]
fn the_work_list_renders_as_csv_json_and_text() {
    let loaded = mixed_load();
    let list = WorkList::new(&loaded);
    // CSV: one row per entry, in work-list order.
    let mut out = Vec::new();
    render::csv::check(&list, &mut out).unwrap();
    let csv = String::from_utf8(out).unwrap();
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows[0], render::csv::CHECK_HEADER);
    assert_eq!(rows.len(), 1 + list.entries());
    let grades_csv: Vec<&str> = rows[1..]
        .iter()
        .map(|r| r.split(',').next().unwrap())
        .collect();
    assert_eq!(grades_csv[0], "source");
    assert_eq!(*grades_csv.last().unwrap(), "expected");
    let reversed_row = rows
        .iter()
        .find(|r| r.contains(",reversed_dates,"))
        .unwrap();
    assert!(
        reversed_row.starts_with(
            "source,warning,reversed_dates,cin.xml,5,Message/Children/Child[1]/CINdetails[1]/Assessments[1],\
             AssessmentAuthorisationDate,2015-06-01,A,2023-06-01,"
        ),
        "{reversed_row}"
    );

    // JSON: the entries with their grade, the work list by grade.
    let j = render::json::check(&loaded);
    let wl = j["work_list"].as_array().unwrap();
    let names: Vec<&str> = wl.iter().map(|g| g["grade"].as_str().unwrap()).collect();
    assert_eq!(names, ["source", "loading", "expected"]);
    let total: u64 = wl.iter().map(|g| g["entries"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, list.entries());
    let rev = wl[0]["codes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "reversed_dates")
        .unwrap();
    assert_eq!(rev["children"], 1);
    assert!(
        rev["measures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "referrals")
    );
    assert_eq!(j["prominent"].as_array().unwrap().len(), 2);
    assert_eq!(j["prominent"][0]["grade"], "loading");
    // The entries as every surface gives them.
    assert_eq!(
        j["data_quality"],
        serde_json::Value::Array(
            loaded
                .dataset
                .issues()
                .iter()
                .map(render::json::issue)
                .collect()
        )
    );

    // Text: graded headings in order, the counts per code.
    let out = text(&loaded, 1);
    let s = out.find("== fix in the source system").unwrap();
    let l = out.find("== check what was loaded").unwrap();
    let e = out.find("== expected from the data you loaded").unwrap();
    assert!(s < l && l < e, "{out}");
    assert!(
        out.contains("reversed_dates (warning): 1 entry, 1 child; touches"),
        "{out}"
    );
}

#[test]
fn an_entry_the_merge_finds_in_a_one_line_xml_file_gets_its_childs_element_path() {
    // Two episodes of child 7: the first ends after the second starts (cut back by the merge).
    let xml = "<?xml version=\"1.0\"?>\n<EXPSSDA903><CHILD><HEADER><CHILDID>7</CHILDID></HEADER>\
        <EPISODE><DECOM>01/04/2023</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL>\
        <PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC>01/07/2023</DEC><REC>E11</REC></EPISODE>\
        <EPISODE><DECOM>01/06/2023</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL>\
        <PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE></CHILD></EXPSSDA903>";
    let loaded = load_all(vec![bytes(ReturnKind::Ssda903, "903.xml", xml, Some(2024))]);
    let list = WorkList::new(&loaded);
    let cut = loaded
        .dataset
        .issues()
        .iter()
        .find(|i| i.code == IssueCode::OverlapTruncated)
        .unwrap();
    // As stored: the file, no line (the file is one line), no path.
    let stored = cut.location.as_ref().unwrap();
    assert_eq!((stored.line, stored.path.as_deref()), (None, None));
    let shown = list.location(cut).unwrap();
    assert_eq!(
        shown.path.as_deref(),
        Some("EXPSSDA903/CHILD[HEADER/CHILDID=\"7\"]")
    );
    assert_eq!(shown.line, None);
    // A CSV file's entries keep their lines and get no path.
    let csv = format!(
        "{EPISODES}\n7,01/04/2023,S,C2,N1,U1,PR1,01/07/2023,E11,,,,\n7,01/06/2023,S,C2,N1,U1,PR1,,,,,,\n"
    );
    let loaded = load_all(vec![bytes(
        ReturnKind::Ssda903,
        "eps.csv",
        &csv,
        Some(2024),
    )]);
    let list = WorkList::new(&loaded);
    let cut = loaded
        .dataset
        .issues()
        .iter()
        .find(|i| i.code == IssueCode::OverlapTruncated)
        .unwrap();
    let shown = list.location(cut).unwrap();
    assert_eq!((shown.line, shown.path), (Some(2), None));
}

/// Does a text people read cite the spec: `spec`, `rule 3`, `section 2.1`? (`section 47` is
/// the Children Act's, not a citation.)
fn cites_the_spec(s: &str) -> bool {
    let l = s.to_ascii_lowercase();
    let followed = |word: &str, what: &dyn Fn(&str) -> bool| {
        l.match_indices(word)
            .any(|(i, _)| what(&l[i + word.len()..]))
    };
    let digit = |t: &str| t.starts_with(|c: char| c.is_ascii_digit());
    let numbered = |t: &str| {
        let n = t.bytes().take_while(u8::is_ascii_digit).count();
        n > 0 && t[n..].starts_with('.') && digit(&t[n + 1..])
    };
    l.contains("spec ")
        || l.contains("spec's")
        || l.contains("(spec")
        || followed("rule ", &digit)
        || followed("section ", &numbered)
}

#[test]
fn the_spec_citation_check_finds_citations() {
    assert!(cites_the_spec("cut back (spec 2.1 rule 3)."));
    assert!(cites_the_spec("as section 2.3 says"));
    assert!(!cites_the_spec("a section 47 enquiry; 4.5 days"));
}

#[test]
fn no_description_or_message_of_a_load_cites_the_spec() {
    for c in IssueCode::ALL {
        assert!(!cites_the_spec(c.description()), "{c}: {}", c.description());
    }
    // The sample (repairs, stitching, history) and the sector's files, as check shows them.
    let mut loads = vec![
        load(
            &Inputs {
                returns: Vec::new(),
                frames: Vec::new(),
                sample: Some(csc_api::Sample::new(Some(400), None).unwrap()),
                strict: false,
            },
            &|_| {},
        )
        .unwrap(),
    ];
    if let Some(p) = peer("ssda903-validator-fake/fake_903.xml") {
        loads.push(load_all(vec![Input {
            kind: ReturnKind::Ssda903,
            source: Source::Path(p),
            year: Some(2018),
        }]));
    }
    if let Some(p) = peer("cin-validator-fake/CIN_Census_2024.xml") {
        loads.push(load_all(vec![Input {
            kind: ReturnKind::Cin,
            source: Source::Path(p),
            year: None,
        }]));
    }
    for loaded in &loads {
        assert!(!loaded.dataset.issues().is_empty());
        for i in loaded.dataset.issues() {
            assert!(!cites_the_spec(&i.message), "{i}");
        }
        let out = text(loaded, usize::MAX);
        assert!(!out.contains("spec 2") && !out.contains("rule 3"), "{out}");
    }
}

#[test]
fn peer_folder_of_2017_18_given_as_2017_is_flagged_first_with_the_likely_year() {
    let Some(dir) = peer("cs-demand-model/2017") else {
        return;
    };
    let loaded = load_all(vec![Input {
        kind: ReturnKind::Ssda903,
        source: Source::Path(dir.clone()),
        year: Some(2017),
    }]);
    let list = WorkList::new(&loaded);
    assert_eq!(list.prominent.len(), 1);
    assert_eq!(list.prominent[0].code, IssueCode::LikelyWrongYear);
    assert!(
        list.prominent[0]
            .message
            .contains("probably the 2018 return")
    );
    let out = text(&loaded, 0);
    assert!(
        out.starts_with(&format!(
            "{}\n\nREAD THIS FIRST\n  ! [likely_wrong_year]",
            loaded.description
        )),
        "{out}"
    );
    // Given as 2018, nothing of the kind; the date warnings of the wrong year are gone too.
    let right = load_all(vec![Input {
        kind: ReturnKind::Ssda903,
        source: Source::Path(dir),
        year: Some(2018),
    }]);
    let count =
        |l: &Loaded, c: IssueCode| l.dataset.issues().iter().filter(|i| i.code == c).count();
    assert_eq!(count(&right, IssueCode::LikelyWrongYear), 0);
    assert!(
        count(&right, IssueCode::DateAfterReturnEnd)
            < count(&loaded, IssueCode::DateAfterReturnEnd)
    );
}

#[test]
fn a_frame_whose_every_row_is_skipped_says_so_too() {
    use arrow_array::{ArrayRef, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    let columns: Vec<&str> = EPISODES.split(',').collect();
    let fields: Vec<Field> = columns
        .iter()
        .map(|c| Field::new(*c, DataType::Utf8, true))
        .collect();
    let arrays: Vec<ArrayRef> = columns
        .iter()
        .map(|c| {
            let v = match *c {
                "CHILD" => "A",
                "DECOM" => "2023-04-10 00:00:00",
                _ => "",
            };
            Arc::new(StringArray::from(vec![v])) as ArrayRef
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays).unwrap();
    let frames = vec![csc_arrow::ReturnInput::new(
        Some(ReturnKind::Ssda903),
        Some(2024),
        vec![csc_arrow::TableInput::new("Episodes", schema, vec![batch])],
    )];
    let loaded = load(
        &Inputs {
            returns: Vec::new(),
            frames,
            sample: None,
            strict: false,
        },
        &|_| {},
    )
    .unwrap();
    let codes: Vec<IssueCode> = loaded.dataset.issues().iter().map(|i| i.code).collect();
    assert_eq!(
        codes,
        [IssueCode::UnreadableDate, IssueCode::AllRowsSkipped],
        "{:?}",
        loaded.dataset.issues()
    );
    assert_eq!(WorkList::new(&loaded).prominent.len(), 1);
}
