//! The CIN census reader gives the same result however its input is split into reads: the same
//! records, and every entry with the same code, message, line, path, column and value, whether
//! the document comes whole or a byte, 7 bytes or 4,093 bytes at a time (or in pieces of mixed
//! sizes), so that a tag, a reference, a character or a line split between two reads is read as
//! if it were not.

use std::io::{self, BufRead, Read as _};
use std::path::Path;
use std::sync::Arc;

use csc_measures::Error;
use csc_measures::records::CinReturn;
use csc_returns::{Read, ReadOptions, cin};

/// A reader that hands its bytes out in pieces of the given sizes, in turn.
struct Pieces<'a> {
    data: &'a [u8],
    pos: usize,
    sizes: &'a [usize],
    turn: usize,
}

impl io::Read for Pieces<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = {
            let buf = self.fill_buf()?;
            let n = buf.len().min(out.len());
            out[..n].copy_from_slice(&buf[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Pieces<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let size = self.sizes[self.turn % self.sizes.len()];
        let end = (self.pos + size).min(self.data.len());
        Ok(&self.data[self.pos..end])
    }

    fn consume(&mut self, n: usize) {
        self.pos += n;
        if n > 0 {
            self.turn += 1;
        }
    }
}

/// The ways of splitting a document.
const SPLITS: [&[usize]; 6] = [
    &[1],
    &[7],
    &[4093],
    &[2, 3],
    &[1, 7, 4093, 2, 65_536, 5],
    &[64 << 10],
];

fn options() -> [ReadOptions; 3] {
    [
        ReadOptions::default(),
        ReadOptions {
            strict: true,
            ..ReadOptions::default()
        },
        ReadOptions {
            collection_year: Some(2024),
            ..ReadOptions::default()
        },
    ]
}

fn read_split(data: &[u8], sizes: &[usize], opts: &ReadOptions) -> Result<Read<CinReturn>, Error> {
    let pieces = Pieces {
        data,
        pos: 0,
        sizes,
        turn: 0,
    };
    cin::read_xml_from(Arc::from("doc.xml"), pieces, opts)
}

/// Text that is not UTF-8, or text outside `Message`, is reported at the end of the text as the
/// read that holds it ends: its line may depend on the split (as it always has). Everything else
/// is the same however the input is split.
fn split_dependent_line(e: &Error) -> bool {
    e.message().contains("text that is not UTF-8")
        || e.message().contains("text outside the Message element")
}

/// An entry, its long text cut short.
fn brief(i: &csc_measures::quality::Issue) -> String {
    let cut = |s: &str| {
        if s.len() > 80 {
            let head: String = s.chars().take(30).collect();
            let tail: String = s
                .chars()
                .rev()
                .take(30)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("{head}[...{} bytes...]{tail}", s.len())
        } else {
            s.to_owned()
        }
    };
    let loc = i.location.clone().unwrap_or_default();
    format!(
        "{} {:?} line {:?} path {:?} column {:?} value {:?}: {}",
        i.code,
        i.child,
        loc.line,
        loc.path,
        loc.column,
        loc.value.as_deref().map(cut),
        cut(&i.message)
    )
}

/// Reads `data` whole and split every way, in each mode, and checks that the results agree.
fn same_however_split(name: &str, data: &[u8]) {
    for opts in options() {
        let whole = cin::read_xml_from(Arc::from("doc.xml"), data, &opts);
        for sizes in SPLITS {
            let split = read_split(data, sizes, &opts);
            match (&whole, &split) {
                (Ok(w), Ok(s)) => {
                    assert_eq!(
                        w.ret, s.ret,
                        "{name}, split {sizes:?}, {opts:?}: the records"
                    );
                    assert_eq!(w.files, s.files, "{name}, split {sizes:?}: the report");
                    assert_eq!(
                        w.issues.len(),
                        s.issues.len(),
                        "{name}, split {sizes:?}, {opts:?}: {:#?} vs {:#?}",
                        w.issues,
                        s.issues
                    );
                    for (a, b) in w.issues.iter().zip(&s.issues) {
                        assert!(
                            a == b,
                            "{name}, split {sizes:?}, {opts:?}: {} vs {}",
                            brief(a),
                            brief(b)
                        );
                    }
                }
                (Err(w), Err(s)) => {
                    assert_eq!(w.kind(), s.kind(), "{name}, split {sizes:?}: {w} vs {s}");
                    assert_eq!(w.message(), s.message(), "{name}, split {sizes:?}");
                    if !split_dependent_line(w) {
                        assert_eq!(w.location(), s.location(), "{name}, split {sizes:?}: {w}");
                    }
                }
                _ => panic!("{name}, split {sizes:?}, {opts:?}: {whole:?} vs {split:?}"),
            }
        }
    }
}

fn golden(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/cin")
        .join(name);
    let mut data = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut data))
        .unwrap();
    data
}

#[test]
fn synthetic_returns_read_the_same_however_split() {
    let config = csc_synth::Config {
        children: 400,
        first_year: 2023,
        last_year: 2024,
        seed: 7,
    };
    let synthetic = csc_synth::generate(&config);
    for (i, ret) in synthetic.cin.iter().enumerate() {
        let mut data = Vec::new();
        cin::write_xml(ret, &mut data).unwrap();
        same_however_split(&format!("synthetic {i}"), &data);
        let read = cin::read_xml_from(Arc::from("doc.xml"), data.as_slice(), &options()[0]);
        assert!(!read.unwrap().ret.children.is_empty());
    }
}

#[test]
fn golden_files_read_the_same_however_split() {
    for name in ["full.xml", "problems.xml", "variants.xml", "written.xml"] {
        same_however_split(name, &golden(name));
    }
}

/// A census with a problem of every kind the reader reports and keeps going after, with long text
/// in the places it streams: a value over 64 KiB (whose first characters come in a piece of their
/// own: a value that comes whole in one piece over 64 KiB long has always been reported without
/// them), stray text between elements, text in elements not read, comments, CDATA, references, and
/// characters of two, three and four bytes.
fn troubled() -> String {
    let long = "9".repeat(70_000);
    let note = "words in an element not read ".repeat(3_000);
    // Under 64 KiB: past that, what stray text is kept has always depended on where whitespace
    // before it was split from it.
    let stray = "stray words ".repeat(2_000);
    format!(
        "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!-- a comment -->\n\
         <Message xmlns=\"http://www.dfe.gov.uk/CIN\">\n\
         <Header>\n  <CollectionDetails>\n    <Collection>CIN</Collection>\n\
         <Year>2023</Year>\n    <ReferenceDate>2024-03-31</ReferenceDate>\n\
         </CollectionDetails>\n  <Note>{note}</Note>\n</Header>\n\
         <Children>\n\
         <Child>\n  <ChildIdentifiers>\n    <LAchildID>A1</LAchildID>\n\
         <UPN>the first characters of the value, then &amp; more: {long}</UPN>\n\
         <PersonBirthDate>2015-02-30</PersonBirthDate>\n  </ChildIdentifiers>\n\
         {stray} é € 𝄞\n\
         <CINdetails>\n    <CINreferralDate>2023-05-01</CINreferralDate>\n\
         <ReferralSource><![CDATA[1A]]></ReferralSource>\n\
         <PrimaryNeedCode>N&#49;</PrimaryNeedCode>\n\
         <CINclosureDate>2023-04-01</CINclosureDate>\n\
         <Assessments><AssessmentActualStartDate>2025-01-01</AssessmentActualStartDate>\n\
         <AssessmentFactors>2A</AssessmentFactors><AssessmentFactors>2A</AssessmentFactors>\n\
         </Assessments>\n\
         <Section47 a='1'><S47ActualStartDate>not a date</S47ActualStartDate></Section47>\n\
         </CINdetails>\n\
         <Assessments><AssessmentActualStartDate>2023-06-01</AssessmentActualStartDate></Assessments>\n\
         </Child>\n\
         <Child><ChildIdentifiers><LAchildID>  </LAchildID></ChildIdentifiers></Child>\n\
         <Child>\n<ChildIdentifiers><LAchildID>B2</LAchildID><LAchildID>B3</LAchildID>\n\
         <Sex>9</Sex></ChildIdentifiers>\n<Unknown>{long}<Inner/>&lt;</Unknown>\n\
         <CINdetails><CINreferralDate></CINreferralDate></CINdetails>\n</Child>\n\
         </Children>\n\
         </Message>\n\
         <!-- the end -->\n"
    )
}

#[test]
fn a_document_with_problems_and_long_text_reads_the_same_however_split() {
    let doc = troubled();
    let read = cin::read_xml_from(Arc::from("doc.xml"), doc.as_bytes(), &options()[0]).unwrap();
    assert!(read.issues.len() >= 5, "{:#?}", read.issues);
    assert!(
        read.issues.iter().any(|i| i
            .message
            .contains("bytes long, longer than any field can be")),
        "{:#?}",
        read.issues
    );
    same_however_split("troubled", doc.as_bytes());
}

#[test]
fn malformed_documents_fail_the_same_however_split() {
    let doc = troubled();
    let cut = |from: &str, to: &str| doc.replacen(from, to, 1);
    let broken = [
        cut("</Assessments>\n</Child>", "</Assessment>\n</Child>"),
        cut("<Inner/>", "<Inner>"),
        cut("&lt;", "&bogus;"),
        cut("&lt;", "&lt"),
        cut("<!-- the end -->", "<!-- the -- end -->"),
        cut("<!-- the end -->", "<!-- the end"),
        cut("<!-- a comment -->", "<![CDATA[ unclosed"),
        cut("</Message>", "</Message><Message/>"),
        cut("<Section47 a='1'>", "<Section47 a='1>"),
        cut("é", "\u{0}"),
        format!("{doc}trailing text"),
        doc[..doc.len() / 2].to_owned(),
        doc[..doc.find("<UPN>").unwrap() + 3].to_owned(),
    ];
    for (i, b) in broken.iter().enumerate() {
        same_however_split(&format!("broken {i}"), b.as_bytes());
    }
    // Bytes that are not UTF-8: in a value, in stray text, and cut short at the end.
    let mut bad = doc.clone().into_bytes();
    let at = doc.find("<Sex>9").unwrap() + 5;
    bad.insert(at, 0xFF);
    same_however_split("not UTF-8 in a value", &bad);
    let mut bad = doc.clone().into_bytes();
    bad.truncate(doc.find(" é").unwrap() + 2);
    same_however_split("cut inside a character", &bad);
}

#[test]
fn every_cut_of_a_small_document_fails_or_reads_the_same_however_split() {
    let doc = golden("problems.xml");
    for end in (0..doc.len()).step_by(3) {
        same_however_split(&format!("problems.xml cut at {end}"), &doc[..end]);
    }
}

#[test]
fn long_markup_fed_a_byte_at_a_time_is_read_once() {
    // A comment and an attribute value just under the 1 MiB bound, handed out a byte at a time:
    // read as when whole (and in linear time: the markup is not parsed again for each byte).
    let long = "x".repeat(900_000);
    let doc = format!(
        "<Message>\n<!--{long}-->\n<Children>\n<Child note=\"{long}\">\n\
         <ChildIdentifiers><LAchildID>A1</LAchildID></ChildIdentifiers>\n</Child>\n\
         </Children>\n</Message>\n"
    );
    let whole = cin::read_xml_from(Arc::from("doc.xml"), doc.as_bytes(), &options()[0]).unwrap();
    assert_eq!(whole.ret.children.len(), 1);
    for sizes in [&[1][..], &[3, 1, 7]] {
        let split = read_split(doc.as_bytes(), sizes, &options()[0]).unwrap();
        assert_eq!(whole, split, "split {sizes:?}");
    }
}
