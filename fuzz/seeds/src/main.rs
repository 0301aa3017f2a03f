//! Writes seed corpora for the fuzz targets: small synthetic returns from `csc-synth` (a few
//! children each), the readers' documented examples, and, with `--peer DIR`, the first rows of the
//! CSV and XML files found under DIR.
//!
//! ```text
//! cargo run --manifest-path fuzz/Cargo.toml -p csc-fuzz-seeds -- OUT [--peer DIR]
//! ```
//!
//! writes `OUT/ssda903_csv/*`, `OUT/ssda903_xml/*`, `OUT/cin_xml/*` and `OUT/load_and_measure/*`.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use csc_measures::records::{CinReturn, Ssda903Return};
use csc_returns::{cin, ssda903};

/// Seeds larger than this are not written: libFuzzer's `-max_len` follows the largest seed.
const MAX_SEED: usize = 12 * 1024;

struct Out {
    dir: PathBuf,
    counts: [(&'static str, usize); 4],
}

impl Out {
    fn put(&mut self, target: &'static str, name: &str, bytes: &[u8]) {
        if bytes.len() > MAX_SEED {
            return;
        }
        let dir = self.dir.join(target);
        fs::create_dir_all(&dir).expect("create the corpus folder");
        fs::write(dir.join(name), bytes).expect("write a seed");
        for c in &mut self.counts {
            if c.0 == target {
                c.1 += 1;
            }
        }
    }
}

/// Keeps the rows of the children in `ids`, in every table.
struct Keep<'a>(&'a HashSet<&'a str>);

impl csc_measures::schema::VisitRowsMut for Keep<'_> {
    fn rows<R: csc_measures::schema::Record>(&mut self, rows: &mut Vec<R>) {
        rows.retain(|r| self.0.contains(r.child()));
    }
}

fn cin_subset(r: &CinReturn, ids: &HashSet<&str>) -> CinReturn {
    let mut r = r.clone();
    r.visit_mut(&mut Keep(ids));
    r
}

fn ssda903_subset(r: &Ssda903Return, ids: &HashSet<&str>) -> Ssda903Return {
    let mut r = r.clone();
    r.visit_mut(&mut Keep(ids));
    r
}

fn cin_xml(r: &CinReturn) -> Vec<u8> {
    let mut out = Vec::new();
    cin::write_xml(r, &mut out).expect("write CIN XML");
    out
}

fn ssda903_xml(r: &Ssda903Return) -> Vec<u8> {
    // The XML form has no SWEpisodes (spec 2.3).
    let mut r = r.clone();
    r.sw_episodes.clear();
    let mut out = Vec::new();
    ssda903::write_xml(&r, &mut out).expect("write SSDA903 XML");
    out
}

/// The CSV tables of `r`, by file name, without the tables that have no rows.
fn ssda903_csv(r: &Ssda903Return, tmp: &Path) -> Vec<(String, Vec<u8>)> {
    let _ = fs::remove_dir_all(tmp);
    let paths = ssda903::write_csv(r, tmp).expect("write SSDA903 CSV");
    paths
        .iter()
        .filter_map(|p| {
            let bytes = fs::read(p).expect("read back a CSV table");
            let rows = bytes.iter().filter(|&&b| b == b'\n').count();
            (rows > 1).then(|| (p.file_name().unwrap().to_string_lossy().into_owned(), bytes))
        })
        .collect()
}

fn synthetic(out: &mut Out) {
    let tmp = std::env::temp_dir().join(format!("csc-fuzz-seeds-{}", std::process::id()));
    let synth = csc_synth::generate(&csc_synth::Config {
        children: 400,
        first_year: 2023,
        last_year: 2024,
        seed: 7,
    });
    for (y, (c, s)) in synth.cin.iter().zip(&synth.ssda903).enumerate() {
        // CIN: groups of 1, 2 and 3 children.
        let ids: Vec<&str> = c.children.iter().map(|x| x.child.as_str()).collect();
        let mut at = 0;
        for (g, size) in [1usize, 1, 2, 3, 1, 2, 1, 3, 2, 1].into_iter().enumerate() {
            let group: HashSet<&str> = ids.iter().skip(at).take(size).copied().collect();
            at += size * 7;
            out.put(
                "cin_xml",
                &format!("synth-{y}-{g}.xml"),
                &cin_xml(&cin_subset(c, &group)),
            );
        }
        // SSDA903: children in care, adopted children first.
        let mut in_care: Vec<&str> = s.ad1.iter().map(|x| x.child.as_str()).collect();
        in_care.extend(s.episodes.iter().map(|x| x.child.as_str()));
        let mut seen = HashSet::new();
        in_care.retain(|c| seen.insert(*c));
        for (g, chunk) in in_care.chunks(2).take(8).enumerate() {
            let group: HashSet<&str> = chunk.iter().copied().collect();
            let sub = ssda903_subset(s, &group);
            out.put(
                "ssda903_xml",
                &format!("synth-{y}-{g}.xml"),
                &ssda903_xml(&sub),
            );
            let tables = ssda903_csv(&sub, &tmp);
            for (name, bytes) in &tables {
                out.put("ssda903_csv", &format!("synth-{y}-{g}-{name}"), bytes);
            }
            // The pipeline: the same children's CIN return and SSDA903 tables.
            let cin_part = cin_xml(&cin_subset(c, &group));
            let flags = [0u8, 2, 4, 8, 1, 6, 0, 2][g];
            let mut input = vec![flags];
            input.extend_from_slice(&cin_part);
            for (name, bytes) in &tables {
                if name == "episodes.csv" || name == "header.csv" || g % 2 == 0 {
                    input.extend_from_slice(csc_fuzz::SEP);
                    input.extend_from_slice(bytes);
                }
            }
            out.put("load_and_measure", &format!("synth-{y}-{g}"), &input);
        }
    }
    let _ = fs::remove_dir_all(&tmp);
}

const EPISODES: &str = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n\
007,01/04/2023,S,C2,N1,U1,PR1,31/02/2024,E11,,,,\n\
007,01/04/2023,S,C2,N1,U1,PR1,,,,,,\n";

const HEADER: &str = "\u{feff}CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n\
007,1,27/03/2015,WBRI,A123456789012,,\r\n\
\r\n\
\"008\" , 2 ,\"01/01/2010\",MIXD,UN1,1,01/02/2028\r\n";

const CIN: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<Message xmlns="http://www.dfe.gov.uk/CoreSchema/CIN"><Header><CollectionDetails><Collection>CIN</Collection><Year>2024</Year><ReferenceDate>2024-03-31</ReferenceDate></CollectionDetails></Header>
<Children><Child>
  <ChildIdentifiers><LAchildID>C1</LAchildID><PersonBirthDate>2015-3-27</PersonBirthDate><Sex>M</Sex></ChildIdentifiers>
  <ChildCharacteristics><Ethnicity>WBRI</Ethnicity><Disabilities><Disability>NONE</Disability></Disabilities></ChildCharacteristics>
  <CINdetails><CINreferralDate>2023-06-01</CINreferralDate><ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode><ReferralNFA>TRUE</ReferralNFA>
    <Assessments><AssessmentActualStartDate>2023-06-02</AssessmentActualStartDate><AssessmentAuthorisationDate>2023-07-20</AssessmentAuthorisationDate><FactorsIdentifiedAtAssessment><AssessmentFactors>2A</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>
    <Section47><S47ActualStartDate>2023-06-03</S47ActualStartDate><InitialCPCtarget>2023-06-20</InitialCPCtarget><DateOfInitialCPC>2023-06-19</DateOfInitialCPC><ICPCnotRequired>false</ICPCnotRequired></Section47>
    <ChildProtectionPlans><CPPstartDate>2023-06-19</CPPstartDate><InitialCategoryOfAbuse>NEG</InitialCategoryOfAbuse><NumberOfPreviousCPP>1</NumberOfPreviousCPP><Reviews><CPPreviewDate>2023-09-01</CPPreviewDate></Reviews></ChildProtectionPlans>
  </CINdetails>
</Child>
<cin:Child xmlns:cin="x"><cin:LAchildID>C2</cin:LAchildID><CINdetails><CINreferralDate><![CDATA[2024-01-05]]></CINreferralDate><CINclosureDate>2024-02-30</CINclosureDate><!-- c --></CINdetails></cin:Child>
</Children></Message>
"#;

const SSDA903_XML: &str = r#"<?xml version="1.0"?>
<EXPSSDA903><CHILD><HEADER><CHILDID>007</CHILDID><SEX>1</SEX><DOB>27/03/2015</DOB><ETHNIC>WBRI</ETHNIC>
<UASC>0</UASC><DATE_INT>01/01/2023</DATE_INT><AREVIEW><REVIEW>01/06/2023</REVIEW><REVIEW_CODE>PN1</REVIEW_CODE></AREVIEW>
<AMISSING><MISSING>M</MISSING><MIS_START>02/06/2023</MIS_START><MIS_END>03/06/2023</MIS_END></AMISSING></HEADER>
<EPISODE><DECOM>01/04/2023</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER><DEC>31/12/2023</DEC><REC>E11</REC></EPISODE>
</CHILD><CHILD><HEADER><SEX>2</SEX></HEADER><EPISODE><DECOM>01/04/2023</DECOM></EPISODE></CHILD></EXPSSDA903>
"#;

fn handmade(out: &mut Out) {
    out.put("ssda903_csv", "doc-episodes.csv", EPISODES.as_bytes());
    out.put("ssda903_csv", "doc-header.csv", HEADER.as_bytes());
    out.put("ssda903_csv", "empty.csv", b"");
    out.put("cin_xml", "doc.xml", CIN.as_bytes());
    out.put("ssda903_xml", "doc.xml", SSDA903_XML.as_bytes());
    let mut pipeline = vec![0u8];
    pipeline.extend_from_slice(CIN.as_bytes());
    pipeline.extend_from_slice(csc_fuzz::SEP);
    pipeline.extend_from_slice(EPISODES.as_bytes());
    pipeline.extend_from_slice(csc_fuzz::SEP);
    pipeline.extend_from_slice(HEADER.as_bytes());
    out.put("load_and_measure", "doc", &pipeline);
}

/// The first `n` lines.
fn head(bytes: &[u8], n: usize) -> &[u8] {
    let mut end = 0;
    for _ in 0..n {
        match bytes[end..].iter().position(|&b| b == b'\n') {
            Some(i) => end += i + 1,
            None => return bytes,
        }
    }
    &bytes[..end]
}

/// The document up to the end of its `n`-th `close` element, closed with `tail`.
fn first_records(bytes: &[u8], close: &[u8], n: usize, tail: &[u8]) -> Vec<u8> {
    let mut end = 0;
    for _ in 0..n {
        match bytes[end..].windows(close.len()).position(|w| w == close) {
            Some(i) => end += i + close.len(),
            None => return bytes.to_vec(),
        }
    }
    let mut v = bytes[..end].to_vec();
    v.extend_from_slice(tail);
    v
}

fn peer(out: &mut Out, dir: &Path) {
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let name = p
                .strip_prefix(dir)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace(['/', '\\'], "-");
            let Ok(bytes) = fs::read(&p) else { continue };
            let ext = p.extension().and_then(|x| x.to_str()).unwrap_or("");
            if ext.eq_ignore_ascii_case("csv") {
                out.put("ssda903_csv", &format!("peer-{name}"), head(&bytes, 25));
            } else if ext.eq_ignore_ascii_case("xml") {
                let text = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned();
                if text.contains("EXPSSDA903") {
                    let v = first_records(&bytes, b"</CHILD>", 3, b"\n</EXPSSDA903>\n");
                    out.put("ssda903_xml", &format!("peer-{name}"), &v);
                } else if text.contains("Message") {
                    let v = first_records(&bytes, b"</Child>", 3, b"\n</Children>\n</Message>\n");
                    out.put("cin_xml", &format!("peer-{name}"), &v);
                }
            }
        }
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut peer_dir = None;
    while let Some(a) = args.next() {
        if a == "--peer" {
            peer_dir = Some(PathBuf::from(args.next().expect("--peer DIR")));
        } else {
            dir = Some(PathBuf::from(a));
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: csc-fuzz-seeds OUT [--peer DIR]");
        std::process::exit(2);
    };
    let mut out = Out {
        dir,
        counts: [
            ("ssda903_csv", 0),
            ("ssda903_xml", 0),
            ("cin_xml", 0),
            ("load_and_measure", 0),
        ],
    };
    synthetic(&mut out);
    handmade(&mut out);
    if let Some(p) = peer_dir {
        peer(&mut out, &p);
    }
    for (t, n) in out.counts {
        println!("{t}: {n} seeds in {}", out.dir.join(t).display());
    }
}
