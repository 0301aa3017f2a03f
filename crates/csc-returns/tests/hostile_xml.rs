//! Hostile and careless XML (issue 16): record elements out of their place are reported, never
//! dropped without a word; entities a DOCTYPE declares are refused alike by both readers; memory
//! stays bounded whatever the length of a text node; a child with any number of records reads in
//! linear time; the errors about a second root say what they mean.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;
use std::io::{self, BufReader};
use std::sync::Arc;

use csc_measures::ErrorKind;
use csc_measures::quality::{Issue, IssueCode};
use csc_returns::{ReadOptions, cin, ssda903};

/// The system allocator, counting the bytes each thread holds and the most it has held.
struct Counting;

thread_local! {
    static HELD: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn note(delta: isize) {
    let _ = HELD.try_with(|h| {
        let now = h.get() + delta;
        h.set(now);
        let _ = PEAK.try_with(|p| p.set(p.get().max(now)));
    });
}

// SAFETY: every call is passed to `System` unchanged; the counts are thread-local cells.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(isize::try_from(layout.size()).unwrap_or(isize::MAX));
        // SAFETY: as the caller's contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note(-isize::try_from(layout.size()).unwrap_or(isize::MAX));
        // SAFETY: as the caller's contract.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(
            isize::try_from(new_size).unwrap_or(isize::MAX)
                - isize::try_from(layout.size()).unwrap_or(isize::MAX),
        );
        // SAFETY: as the caller's contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

/// The most bytes this thread held at once while `f` ran, beyond what it held before.
fn peak_while<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = HELD.with(Cell::get);
    PEAK.with(|p| p.set(base));
    let out = f();
    let peak = PEAK.with(Cell::get) - base;
    (out, usize::try_from(peak).unwrap_or(0))
}

/// `head`, then `len` bytes of `fill`, then `tail`, made as they are read (never held whole).
struct Generated {
    head: io::Cursor<Vec<u8>>,
    fill: u8,
    left: u64,
    tail: io::Cursor<Vec<u8>>,
}

fn generated(head: &str, fill: u8, len: u64, tail: &str) -> BufReader<Generated> {
    BufReader::with_capacity(
        1 << 16,
        Generated {
            head: io::Cursor::new(head.as_bytes().to_vec()),
            fill,
            left: len,
            tail: io::Cursor::new(tail.as_bytes().to_vec()),
        },
    )
}

impl io::Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = self.head.read(out)?;
        if n > 0 {
            return Ok(n);
        }
        if self.left > 0 {
            let n = out
                .len()
                .min(usize::try_from(self.left).unwrap_or(usize::MAX));
            out[..n].fill(self.fill);
            self.left -= n as u64;
            return Ok(n);
        }
        self.tail.read(out)
    }
}

/// The generated document written to a file of its own (the SSDA903 XML reader reads files).
struct TempFile(std::path::PathBuf);

impl TempFile {
    fn of(name: &str, mut input: impl io::Read) -> TempFile {
        let path =
            std::env::temp_dir().join(format!("csc-returns-hostile-{}-{name}", std::process::id()));
        let mut f = std::fs::File::create(&path).unwrap();
        io::copy(&mut input, &mut f).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
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

fn cin_read(xml: &str) -> csc_returns::Read<csc_measures::records::CinReturn> {
    cin::read_xml_from("t.xml".into(), xml.as_bytes(), &lenient()).unwrap()
}

fn ssda903_read(xml: &str) -> csc_returns::Read<csc_measures::records::Ssda903Return> {
    ssda903::read_xml_bytes(Arc::from("t.xml"), xml.as_bytes(), &lenient()).unwrap()
}

#[track_caller]
fn assert_at(i: &Issue, code: IssueCode, line: u32, path: &str, column: &str) {
    let loc = i.location.as_ref().expect("a location");
    assert_eq!(i.code, code, "{i}");
    assert_eq!(loc.line, Some(line), "{i}");
    assert_eq!(loc.path.as_deref(), Some(path), "{i}");
    assert_eq!(loc.column.as_deref(), Some(column), "{i}");
}

const CHILD_A: &str = "<Child><ChildIdentifiers><LAchildID>A</LAchildID></ChildIdentifiers>\n\
    <CINdetails><CINreferralDate>2023-06-01</CINreferralDate></CINdetails>\n";

// ---------------------------------------------------------------------------------------------
// D7: record elements out of their place

#[test]
fn cin_records_out_of_their_place_are_reported_and_counted() {
    // The report's reproduction: an Assessments directly in Child, after its CINdetails.
    let xml = format!(
        "<Message>\n<Children>\n{CHILD_A}<Assessments><AssessmentActualStartDate>2023-07-03\
         </AssessmentActualStartDate></Assessments>\n</Child>\n</Children>\n</Message>\n"
    );
    let r = cin_read(&xml);
    assert!(r.ret.assessments.is_empty());
    assert_eq!(r.ret.episodes.len(), 1);
    assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
    let i = &r.issues[0];
    assert_at(
        i,
        IssueCode::UnknownTable,
        5,
        "Message/Children/Child[1]/Assessments",
        "Assessments",
    );
    assert_eq!(i.child.as_deref(), Some("A"));
    assert_eq!(
        i.message,
        "<Assessments> belongs in <CINdetails>, not in <Child>: this element is not read, with \
         everything in it"
    );
    // Child, CINdetails, and the Assessments skipped.
    assert_eq!((r.files[0].rows, r.files[0].skipped), (3, 1));
    // Strict mode stops there.
    let err = cin::read_xml_from("t.xml".into(), xml.as_bytes(), &strict()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DataQuality, "{err}");
    assert!(err.to_string().contains("unknown_table"), "{err}");

    // A Child outside Children (with a CINdetails in it), and one in a wrapper inside Children.
    let xml = format!(
        "<Message>\n{CHILD_A}</Child>\n<Children>\n<Wrapper>\n{CHILD_A}</Child>\n</Wrapper>\n\
         </Children>\n</Message>\n"
    );
    let r = cin_read(&xml);
    assert!(r.ret.children.is_empty());
    let paths: Vec<(&str, Option<u32>, &str)> = r
        .issues
        .iter()
        .map(|i| {
            let l = i.location.as_ref().unwrap();
            (i.code.as_str(), l.line, l.path.as_deref().unwrap())
        })
        .collect();
    assert_eq!(
        paths,
        [
            ("unknown_table", Some(2), "Message/Child"),
            ("unknown_table", Some(7), "Message/Children/Wrapper/Child"),
        ]
    );
    assert!(
        r.issues[0]
            .message
            .contains("(2 record elements in all, counting those inside it)"),
        "{}",
        r.issues[0].message
    );
    assert_eq!(r.issues[0].child, None);
    assert_eq!((r.files[0].rows, r.files[0].skipped), (4, 4));

    // Unmodelled elements holding no record element stay silent, as before.
    let r = cin_read(&format!(
        "<Message><Header><Source><LEA>201</LEA></Source></Header><Children>{CHILD_A}\
         <PreProceedingsandFGDM><PPStartDate>2026-09-09</PPStartDate></PreProceedingsandFGDM>\
         </Child></Children></Message>"
    ));
    assert!(r.issues.is_empty(), "{:?}", r.issues);
}

#[test]
fn ssda903_records_out_of_their_place_are_reported_and_counted() {
    const EPISODE: &str = "<EPISODE><DECOM>01/05/2023</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN>\
        <PL>U1</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE>";
    // An EPISODE under the root, and a CHILD inside a wrapper.
    let xml = format!(
        "<EXPSSDA903>\n{EPISODE}\n<WRAP>\n<CHILD><HEADER><CHILDID>B</CHILDID></HEADER>{EPISODE}\
         </CHILD>\n</WRAP>\n<CHILD><HEADER><CHILDID>A</CHILDID></HEADER>\n{EPISODE}\n\
         <HEADER><EPISODE><DECOM>01/06/2023</DECOM><RNE>P</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL>\
         <PLACE_PROVIDER>PR1</PLACE_PROVIDER><EPISODE/></EPISODE></HEADER></CHILD>\n</EXPSSDA903>\n"
    );
    let r = ssda903_read(&xml);
    assert_eq!(r.ret.headers.len(), 1);
    // A's own episode, and the one in its second HEADER (records are taken there too).
    assert_eq!(r.ret.episodes.len(), 2);
    let found: Vec<(&str, Option<u32>, &str, Option<&str>)> = r
        .issues
        .iter()
        .map(|i| {
            let l = i.location.as_ref().unwrap();
            (
                i.code.as_str(),
                l.line,
                l.path.as_deref().unwrap(),
                i.child.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("unknown_table", Some(2), "EXPSSDA903/EPISODE", None),
            ("unknown_table", Some(4), "EXPSSDA903/WRAP/CHILD", None),
            (
                "unknown_table",
                Some(8),
                "EXPSSDA903/CHILD[1]/HEADER/EPISODE[1]/EPISODE",
                Some("A")
            ),
        ]
    );
    assert_eq!(
        r.issues[1].message,
        "<CHILD> belongs in <EXPSSDA903>, not in <WRAP>: this element is not read, with \
         everything in it (3 record elements in all, counting those inside it)"
    );
    let report = |table: &str| {
        r.files
            .iter()
            .find(|f| f.table == table)
            .map(|f| (f.rows, f.skipped))
    };
    // Headers: A's, and B's CHILD and HEADER; episodes: A's two, the one under the root, B's,
    // and the one inside A's second episode.
    assert_eq!(report("Header"), Some((3, 2)));
    assert_eq!(report("Episodes"), Some((5, 3)));
    let err = ssda903::read_xml_bytes(Arc::from("t.xml"), xml.as_bytes(), &strict()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DataQuality, "{err}");
}

// ---------------------------------------------------------------------------------------------
// D14: one child with many records

#[test]
fn one_child_with_many_records_numbers_them_per_table() {
    // The index of a nested record is a count kept per table (not a scan of its siblings, which
    // made one child of N records cost N squared; `benches/benches/returns.rs`, group
    // `returns/one_child`, measures it). The numbering must stay what it was.
    let n = 20_000;
    let mut xml = String::from("<Message><Children><Child><LAchildID>C1</LAchildID>\n");
    for i in 0..n {
        let bad = if i + 1 == n { "x" } else { "2023-06-02" };
        let _ = writeln!(
            xml,
            "<CINdetails><CINreferralDate>2023-06-01</CINreferralDate><Section47/>\
             <Assessments/><Assessments><AssessmentActualStartDate>{bad}\
             </AssessmentActualStartDate></Assessments></CINdetails>"
        );
    }
    xml.push_str("</Child></Children></Message>\n");
    let r = cin_read(&xml);
    assert_eq!(r.ret.episodes.len(), n);
    assert_eq!(r.ret.assessments.len(), 2 * n - 1);
    assert_eq!(r.issues.len(), 1, "{:?}", &r.issues[..1]);
    let loc = r.issues[0].location.as_ref().unwrap();
    assert_eq!(
        loc.path.as_deref(),
        Some("Message/Children/Child[1]/CINdetails[20000]/Assessments[2]")
    );

    let mut xml = String::from("<EXPSSDA903><CHILD><HEADER><CHILDID>A</CHILDID></HEADER>\n");
    for i in 0..n {
        let decom = if i + 1 == n { "x" } else { "01/05/2023" };
        let _ = writeln!(
            xml,
            "<EPISODE><DECOM>{decom}</DECOM></EPISODE><HEADER><AREVIEW><REVIEW>01/05/2023\
             </REVIEW></AREVIEW></HEADER>"
        );
    }
    xml.push_str("</CHILD></EXPSSDA903>\n");
    let r = ssda903_read(&xml);
    assert_eq!(r.ret.reviews.len(), n);
    // Each record takes its own leaves, none of another's.
    assert_eq!(r.ret.episodes.len(), n - 1);
    assert!(
        r.ret
            .episodes
            .iter()
            .all(|e| e.decom.to_string() == "2023-05-01")
    );
    let bad: Vec<&str> = r
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::UnreadableDate)
        .map(|i| i.location.as_ref().unwrap().path.as_deref().unwrap())
        .collect();
    assert_eq!(bad, ["EXPSSDA903/CHILD[1]/EPISODE[20000]/DECOM"]);
}

// ---------------------------------------------------------------------------------------------
// D15: entities

#[test]
fn declared_entities_are_refused_by_both_readers() {
    let doctype = "<?xml version=\"1.0\"?>\n<!DOCTYPE R [ <!ENTITY id \"C123\"> \
                   <!ENTITY xxe SYSTEM \"file:///etc/passwd\"> ]>\n";
    let ssda = format!(
        "{doctype}<EXPSSDA903><CHILD><HEADER>\n<CHILDID>&id;</CHILDID></HEADER></CHILD></EXPSSDA903>"
    );
    let cin = format!(
        "{doctype}<Message><Children><Child>\n<LAchildID>&id;</LAchildID></Child></Children></Message>"
    );
    for opts in [lenient(), strict()] {
        let e1 = ssda903::read_xml_bytes(Arc::from("e.xml"), ssda.as_bytes(), &opts).unwrap_err();
        let e2 = cin::read_xml_from("e.xml".into(), cin.as_bytes(), &opts).unwrap_err();
        for e in [&e1, &e2] {
            assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
            assert_eq!(e.location().unwrap().line, Some(4), "{e}");
            assert!(e.message().contains("unknown entity &id;"), "{e}");
            assert!(e.message().contains("never expanded"), "{e}");
        }
    }
    // Outside a field too, as the CIN reader always did.
    let ssda = format!("{doctype}<EXPSSDA903>&xxe;</EXPSSDA903>");
    let e = ssda903::read_xml_bytes(Arc::from("e.xml"), ssda.as_bytes(), &lenient()).unwrap_err();
    assert!(e.message().contains("unknown entity &xxe;"), "{e}");
    // The five XML defines, and character references, are read.
    let r = ssda903_read(
        "<EXPSSDA903><CHILD><HEADER><CHILDID>&lt;&#65;&amp;&#x42;&gt;</CHILDID></HEADER></CHILD></EXPSSDA903>",
    );
    assert_eq!(r.ret.headers[0].child, "<A&B>");
}

// ---------------------------------------------------------------------------------------------
// D18: memory bounded whatever the length of a text node

/// 40 MiB: any reader buffering the node whole holds at least that much.
const HUGE: u64 = 40 << 20;
/// What a read may hold at its peak here: its buffers and a child's records.
const BOUND: usize = 4 << 20;

#[test]
fn cin_memory_does_not_grow_with_a_text_node() {
    // The report's reproduction (1 GiB there): a huge text in an element the records do not model.
    let input = generated(
        "<Message><Header><Note>",
        b'A',
        HUGE,
        "</Note></Header><Children><Child><LAchildID>A</LAchildID></Child></Children></Message>",
    );
    let (r, peak) = peak_while(|| cin::read_xml_from("big.xml".into(), input, &strict()));
    let r = r.unwrap();
    assert_eq!(r.ret.children.len(), 1);
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    assert!(peak < BOUND, "{peak} bytes held");

    // In a field: the value is not read, and says so with its place; the child is kept.
    let input = generated(
        "<Message><Children><Child><LAchildID>A</LAchildID>\n<UPN>",
        b'9',
        HUGE,
        "</UPN></Child></Children></Message>",
    );
    let (r, peak) = peak_while(|| cin::read_xml_from("big.xml".into(), input, &lenient()));
    let r = r.unwrap();
    assert!(peak < BOUND, "{peak} bytes held");
    assert_eq!(r.ret.children[0].upn, "");
    assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
    let i = &r.issues[0];
    assert_at(
        i,
        IssueCode::UnreadableValue,
        2,
        "Message/Children/Child[1]",
        "UPN",
    );
    assert_eq!(i.child.as_deref(), Some("A"));
    assert!(
        i.message
            .contains(&format!("the value of UPN is {HUGE} bytes long")),
        "{}",
        i.message
    );

    // A key too long to read: said, and the child is skipped for want of it.
    let input = generated(
        "<Message><Children><Child><LAchildID>",
        b'C',
        1 << 20,
        "</LAchildID></Child></Children></Message>",
    );
    let r = cin::read_xml_from("big.xml".into(), input, &lenient()).unwrap();
    let codes: Vec<&str> = r.issues.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes, ["unreadable_value", "missing_identifier"]);
    assert!(r.ret.children.is_empty());

    // A value just within the bound is read.
    let value = "7".repeat(1 << 16);
    let r = cin_read(&format!(
        "<Message><Children><Child><LAchildID>A</LAchildID><UPN>{value}</UPN></Child></Children></Message>"
    ));
    assert_eq!(r.ret.children[0].upn.len(), 1 << 16);
}

#[test]
fn ssda903_memory_does_not_grow_with_a_text_node() {
    let input = generated(
        "<EXPSSDA903><NOTE>",
        b'A',
        HUGE,
        "</NOTE><CHILD><HEADER><CHILDID>A</CHILDID></HEADER></CHILD></EXPSSDA903>",
    );
    let file = TempFile::of("note.xml", input);
    let (r, peak) = peak_while(|| ssda903::read_xml(&file.0, &strict()));
    let r = r.unwrap();
    assert_eq!(r.ret.headers.len(), 1);
    assert!(peak < BOUND, "{peak} bytes held");

    let input = generated(
        "<EXPSSDA903>\n<CHILD><HEADER><CHILDID>A</CHILDID>\n<UPN>",
        b'9',
        HUGE,
        "</UPN></HEADER></CHILD></EXPSSDA903>",
    );
    let file = TempFile::of("upn.xml", input);
    let (r, peak) = peak_while(|| ssda903::read_xml(&file.0, &lenient()));
    let r = r.unwrap();
    assert!(peak < BOUND, "{peak} bytes held");
    assert_eq!(r.ret.headers.len(), 1);
    assert_eq!(r.issues.len(), 1, "{:?}", r.issues);
    let i = &r.issues[0];
    assert_at(
        i,
        IssueCode::UnreadableValue,
        3,
        "EXPSSDA903/CHILD[1]/HEADER/UPN",
        "UPN",
    );
    assert_eq!(i.child.as_deref(), Some("A"));
}

#[test]
fn markup_longer_than_the_bound_is_refused_with_its_line() {
    // A comment (or tag, CDATA section, declaration) is buffered by the parser: past 1 MiB it is
    // refused, before it costs more.
    for huge_comment in [true, false] {
        let (head, tail) = if huge_comment {
            ("<Message>\n<!--", "--></Message>")
        } else {
            ("<Message>\n<Children a=\"", "\"/></Message>")
        };
        let input = generated(head, b'x', 8 << 20, tail);
        let (r, peak) = peak_while(|| cin::read_xml_from("big.xml".into(), input, &lenient()));
        let e = r.unwrap_err();
        assert!(peak < BOUND, "{peak} bytes held");
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
        assert_eq!(e.location().unwrap().line, Some(2), "{e}");
        assert!(e.message().contains("longer than 1048576 bytes"), "{e}");
        let head = head.replace("Message", "EXPSSDA903");
        let tail = tail.replace("Message", "EXPSSDA903");
        let file = TempFile::of(
            &format!("markup-{huge_comment}.xml"),
            generated(&head, b'x', 8 << 20, &tail),
        );
        let (r, peak) = peak_while(|| ssda903::read_xml(&file.0, &lenient()));
        let e = r.unwrap_err();
        assert!(peak < BOUND, "{peak} bytes held");
        assert_eq!(e.location().unwrap().line, Some(2), "{e}");
        assert!(e.message().contains("longer than 1048576 bytes"), "{e}");
    }
}

#[test]
fn nesting_deeper_than_the_bound_is_refused() {
    // Each open element costs a little memory: a file of nothing but `<a>` would otherwise grow
    // the element stack with its length.
    let deep = "<a>".repeat(200_000);
    let cin_doc = format!("<Message>\n{deep}");
    let (r, peak) =
        peak_while(|| cin::read_xml_from("d.xml".into(), cin_doc.as_bytes(), &lenient()));
    let e = r.unwrap_err();
    // The 100,000 open elements themselves (the reader's stack and path, the parser's names).
    assert!(peak < 4 * BOUND, "{peak} bytes held");
    assert_eq!(e.location().unwrap().line, Some(2), "{e}");
    assert!(e.message().contains("nested more than 100000 deep"), "{e}");
    let ssda = format!("<EXPSSDA903>\n{deep}");
    let e = ssda903::read_xml_bytes(Arc::from("d.xml"), ssda.as_bytes(), &lenient()).unwrap_err();
    assert_eq!(e.location().unwrap().line, Some(2), "{e}");
    assert!(e.message().contains("nested more than 100000 deep"), "{e}");
    // 10,000 deep is read (as the fuzz regressions require).
    let ok = format!(
        "<Message>{}{}</Message>",
        "<a>".repeat(10_000),
        "</a>".repeat(10_000)
    );
    assert!(cin::read_xml_from("d.xml".into(), ok.as_bytes(), &lenient()).is_ok());
}

// ---------------------------------------------------------------------------------------------
// D21: the messages of a second root

#[test]
fn a_second_root_is_named_as_such_and_the_file_once() {
    let e = cin::read_xml_from(
        "two.xml".into(),
        "<Message></Message>\n<Message/>".as_bytes(),
        &lenient(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "two.xml:2: not well-formed XML: a second root element <Message> follows the end of \
         <Message> (a CIN census file is one <Message> element)"
    );
    let e = ssda903::read_xml_bytes(
        Arc::from("two.xml"),
        b"<EXPSSDA903></EXPSSDA903>\n<EXPSSDA903/>",
        &lenient(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "two.xml:2: not well-formed XML: a second root element <EXPSSDA903> follows the end of \
         <EXPSSDA903> (an SSDA903 XML file is one <EXPSSDA903> element)"
    );
    let e = ssda903::read_xml_bytes(Arc::from("f.xml"), b"<Message/>", &lenient()).unwrap_err();
    assert_eq!(e.to_string().matches("f.xml").count(), 1, "{e}");
}
