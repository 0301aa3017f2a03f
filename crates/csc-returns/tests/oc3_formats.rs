//! The annual tables read from files (spec 2.3, 2.5) and the measures over them (spec 5.1): an OC3
//! line in the CSV and in the XML form (`EDGE_CL_CSV_XML`), an unknown OC2 flag
//! (`EDGE_OC2_FIELD_Y`) and SDQ scores as written (`EDGE_SDQ_PARSE`). The golden corpus gives
//! records as read; these cases pin the reading.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::quality::IssueCode;
use csc_measures::records::Ssda903Return;
use csc_measures::result::{MeasureResult, Reason};
use csc_measures::{DatasetBuilder, Day, Period};
use csc_returns::ssda903::{read_files, read_xml};
use csc_returns::{Read, ReadOptions};

const HEADER: &str = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n";
const EPISODES: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,\
                        HOME_POST,PL_POST,URN\n";
const OC2: &str = "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,\
                   HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED\n";

fn day(s: &str) -> Day {
    s.parse().unwrap()
}

fn opts() -> ReadOptions {
    ReadOptions {
        collection_year: Some(2024),
        ..ReadOptions::default()
    }
}

/// A fresh scratch folder under the system temp dir.
fn scratch(tag: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "csc-returns-oc3-{}-{tag}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `files` (name, content) into a fresh folder and reads them as one CSV return.
fn read_csv_files(tag: &str, files: &[(&str, String)]) -> Read<Ssda903Return> {
    let dir = scratch(tag);
    let mut paths = Vec::new();
    for (name, content) in files {
        let p = dir.join(name);
        std::fs::write(&p, content).unwrap();
        paths.push(p);
    }
    let read = read_files(&paths, &opts()).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    read
}

fn read_xml_text(tag: &str, xml: &str) -> Read<Ssda903Return> {
    let dir = scratch(tag);
    let p: PathBuf = Path::new(&dir).join("return.xml");
    std::fs::write(&p, xml).unwrap();
    let read = read_xml(&p, &opts()).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    read
}

fn measure(read: Read<Ssda903Return>, id: MeasureId) -> MeasureResult {
    let mut b = DatasetBuilder::new();
    b.add_issues(read.issues);
    b.add_ssda903(read.ret);
    let ds = b.build().unwrap();
    compute(
        &ds,
        id,
        Period::financial_year(2024).unwrap(),
        &Options::default(),
    )
}

#[test]
fn edge_cl_csv_xml_one_row_in_both_forms() {
    // EDGE_CL_CSV_XML (spec 2.3 "When a row exists": OC3 has a row when one of IN_TOUCH, ACTIV,
    // ACCOM is non-blank): IN_TOUCH blank, ACTIV F1: one row in both forms, in the EET numerator.
    let csv = read_csv_files(
        "csv",
        &[
            ("header.csv", format!("{HEADER}A,1,01/06/2005,WBRI,,,\n")),
            (
                "episodes.csv",
                format!("{EPISODES}A,01/05/2015,S,C2,N1,U1,PR1,01/05/2022,E8,,,,\n"),
            ),
            (
                "oc3.csv",
                "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nA,01/06/2005,,F1,\n".to_owned(),
            ),
        ],
    );
    let xml = read_xml_text(
        "xml",
        "<EXPSSDA903>\n<CHILD>\n<HEADER>\n<CHILDID>A</CHILDID><SEX>1</SEX><DOB>01/06/2005</DOB>\n\
         <IN_TOUCH/><ACTIV>F1</ACTIV><ACCOM/>\n</HEADER>\n\
         <EPISODE><DECOM>01/05/2015</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL>\
         <PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC>01/05/2022</DEC><REC>E8</REC></EPISODE>\n\
         </CHILD>\n</EXPSSDA903>\n",
    );
    for (form, read) in [("csv", csv), ("xml", xml)] {
        assert_eq!(read.ret.oc3.len(), 1, "{form}");
        let row = &read.ret.oc3[0];
        assert_eq!(
            (
                row.in_touch.as_str(),
                row.activ.as_str(),
                row.accom.as_str()
            ),
            ("", "F1", ""),
            "{form}"
        );
        let r = measure(read, MeasureId::CareLeaversEet1718);
        assert!(r.warnings.is_empty(), "{form}: {:?}", r.warnings);
        assert_eq!((r.numerator, r.denominator), (Some(1), Some(1)), "{form}");
        assert_eq!(r.rows.len(), 1, "{form}");
        assert_eq!(r.rows[0].record, Some(day("2023-06-01")), "{form}");
        assert_eq!(r.rows[0].value, Some(18), "{form}");
    }
}

/// A return of child A (DOB `dob`) looked after since 2022-05-01 with the OC2 lines `oc2`.
fn oc2_return(tag: &str, dob: &str, oc2: &str) -> Read<Ssda903Return> {
    read_csv_files(
        tag,
        &[
            (
                "header.csv",
                format!("{HEADER}A,1,{dob},WBRI,,,\nB,1,{dob},WBRI,,,\n"),
            ),
            (
                "episodes.csv",
                format!(
                    "{EPISODES}A,01/05/2022,S,C2,N1,U1,PR1,,,,,,\nB,01/05/2022,S,C2,N1,U1,PR1,,,,,,\n"
                ),
            ),
            ("oc2.csv", format!("{OC2}{oc2}")),
        ],
    )
}

#[test]
fn edge_oc2_field_y_unknown_code_then_value_missing() {
    // EDGE_OC2_FIELD_Y (spec 2.3: OC2 flags hold 0, 1 or blank; another value is `unknown_code`
    // and read as blank; 2.5: rows are compared as read). A: HEALTH_CHECK Y, excluded
    // value_missing. B: two lines differing only by Y against blank are one row as read: not
    // conflicting, excluded value_missing.
    let read = oc2_return(
        "y",
        "01/06/2021",
        "A,01/06/2021,,SDQ1,,Y,,,,,,\nB,01/06/2021,,SDQ1,,Y,,,,,,\nB,01/06/2021,,SDQ1,,,,,,,,\n",
    );
    let unknown: Vec<_> = read
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::UnknownCode)
        .map(|i| i.location.as_ref().and_then(|l| l.column.clone()))
        .collect();
    assert_eq!(unknown.len(), 2);
    assert!(unknown.iter().all(|c| c.as_deref() == Some("HEALTH_CHECK")));
    let r = measure(read, MeasureId::HealthChecksUnder5);
    assert_eq!(
        (r.numerator, r.denominator, r.value),
        (Some(0), Some(0), None)
    );
    let reasons: Vec<_> = r.rows.iter().map(|row| row.reason).collect();
    assert_eq!(
        reasons,
        [Some(Reason::ValueMissing), Some(Reason::ValueMissing)]
    );
}

#[test]
fn edge_sdq_parse_leading_zero_and_out_of_range() {
    // EDGE_SDQ_PARSE (spec 2.3: SDQ_SCORE an integer 0 to 40, leading zeros allowed; another
    // value `unknown_code`, no score): "07" is 7; "41" is excluded no_sdq_score.
    let read = oc2_return(
        "sdq",
        "01/06/2012",
        "A,01/06/2012,07,SDQ1,,,,,,,,\nB,01/06/2012,41,,,,,,,,,\n",
    );
    let unknown: Vec<_> = read
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::UnknownCode)
        .collect();
    assert_eq!(unknown.len(), 1);
    let r = measure(read, MeasureId::SdqAverage);
    assert_eq!(
        (r.numerator, r.denominator, r.value),
        (Some(7), Some(1), Some(7.0))
    );
    assert_eq!(r.rows[0].value, Some(7));
    assert_eq!(r.rows[1].reason, Some(Reason::NoSdqScore));
}
