//! The streaming reader of the CIN census XML (rules in the [module docs](super)).

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

use compact_str::CompactString;
use csc_measures::day::Day;
use csc_measures::error::{Error, ErrorKind};
use csc_measures::quality::{Issue, IssueCode, Location};
use csc_measures::records::{
    Assessment, CinChild, CinEpisode, CinReturn, CpPlan, RowOrigin, Section47,
};
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::TABLE;
use crate::field;
use crate::{FileReport, Read, ReadOptions};

/// Reads the CIN census XML file at `path`.
///
/// See the [module docs](super) for the rules. The issues and the [`FileReport`] name the file as
/// `path` shows it.
///
/// # Errors
///
/// [`ErrorKind::Io`] when the file cannot be opened or read, [`ErrorKind::InvalidInput`] when it
/// is not well-formed XML or not a CIN census, [`ErrorKind::DataQuality`] in strict mode at the
/// first problem.
pub fn read_xml(path: &Path, opts: &ReadOptions) -> Result<Read<CinReturn>, Error> {
    let file: Arc<str> = path.to_string_lossy().into();
    let f = File::open(path).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("cannot open the CIN census file {file}: {e}"),
        )
        .at(file_location(&file))
    })?;
    read_xml_from(file, BufReader::with_capacity(1 << 16, f), opts)
}

/// Reads a CIN census XML document from `reader`, naming it `file` in issues and errors.
///
/// This is [`read_xml`] without the file system: the same rules, one streamed pass.
///
/// # Errors
///
/// As [`read_xml`]: [`ErrorKind::Io`] when `reader` fails, [`ErrorKind::InvalidInput`] for XML
/// that is not well-formed or not a CIN census, [`ErrorKind::DataQuality`] in strict mode.
pub fn read_xml_from<R: BufRead>(
    file: Arc<str>,
    reader: R,
    opts: &ReadOptions,
) -> Result<Read<CinReturn>, Error> {
    let mut xml = Reader::from_reader(Counted::new(reader));
    xml.config_mut().enable_all_checks(true);
    let mut p = Parser::new(file, opts);
    let mut buf = Vec::with_capacity(4096);
    loop {
        xml.get_mut().marks.clear();
        let event = match xml.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => {
                let line = xml.get_ref().line_at(xml.error_position());
                return Err(p.xml_error(&e, line));
            }
        };
        let newlines = xml.get_ref().newlines;
        match event {
            Event::Start(e) => {
                let line = start_line(newlines, &e);
                p.start(&e, line)?;
            }
            Event::Empty(e) => {
                let line = start_line(newlines, &e);
                p.start(&e, line)?;
                p.end()?;
            }
            Event::End(_) => p.end()?,
            Event::Text(t) => {
                let text = t
                    .decode()
                    .map_err(|e| p.invalid(&format!("text that is not UTF-8 ({e})"), newlines))?;
                p.text(&text, newlines)?;
            }
            Event::CData(c) => {
                let text = c
                    .decode()
                    .map_err(|e| p.invalid(&format!("text that is not UTF-8 ({e})"), newlines))?;
                p.text(&text, newlines)?;
            }
            Event::GeneralRef(r) => p.reference(&r, newlines)?,
            Event::Eof => break,
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
        buf.clear();
    }
    let newlines = xml.get_ref().newlines;
    p.finish(newlines)
}

/// The line where a start tag begins, from the newlines read so far (through its `>`) less those
/// inside the tag.
fn start_line(newlines: u64, e: &BytesStart<'_>) -> u32 {
    line_number(newlines.saturating_sub(count_newlines(e)))
}

fn count_newlines(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0, |n, &b| n + u64::from(b == b'\n'))
}

fn line_number(newlines_before: u64) -> u32 {
    u32::try_from(newlines_before + 1).unwrap_or(u32::MAX)
}

fn file_location(file: &Arc<str>) -> Location {
    Location {
        file: Some(file.clone()),
        ..Location::default()
    }
}

/// A [`BufRead`] that counts the newlines consumed, so that lines come from byte positions
/// without keeping the document. It drops a UTF-8 byte order mark itself (even when the inner
/// reader hands it out a byte at a time), so that its offsets are those of the parser.
struct Counted<R> {
    inner: R,
    /// Leading bytes taken to look for a byte order mark that turned out not to be one.
    head: [u8; 3],
    head_len: usize,
    head_pos: usize,
    bom_checked: bool,
    /// Bytes consumed.
    offset: u64,
    /// Newlines consumed.
    newlines: u64,
    /// Offsets of the newlines consumed since the last clear (one event's worth).
    marks: Vec<u64>,
}

const BOM: &[u8; 3] = b"\xEF\xBB\xBF";

impl<R: BufRead> Counted<R> {
    fn new(inner: R) -> Counted<R> {
        Counted {
            inner,
            head: [0; 3],
            head_len: 0,
            head_pos: 0,
            bom_checked: false,
            offset: 0,
            newlines: 0,
            marks: Vec::new(),
        }
    }

    /// The 1-based line of byte `pos`, which lies within the current event.
    fn line_at(&self, pos: u64) -> u32 {
        let after = self.marks.iter().filter(|&&m| m >= pos).count() as u64;
        line_number(self.newlines - after.min(self.newlines))
    }

    fn check_bom(&mut self) -> io::Result<()> {
        while self.head_len < BOM.len() {
            let Some(&b) = self.inner.fill_buf()?.first() else {
                break;
            };
            if b != BOM[self.head_len] {
                break;
            }
            self.head[self.head_len] = b;
            self.head_len += 1;
            self.inner.consume(1);
        }
        if self.head_len == BOM.len() {
            self.head_len = 0;
        }
        self.bom_checked = true;
        Ok(())
    }

    fn count(&mut self, bytes: &[u8], n: usize) {
        for (i, _) in bytes[..n.min(bytes.len())]
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
        {
            self.newlines += 1;
            self.marks.push(self.offset + i as u64);
        }
        self.offset += n as u64;
    }
}

impl<R: BufRead> io::Read for Counted<R> {
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

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if !self.bom_checked {
            self.check_bom()?;
        }
        if self.head_pos < self.head_len {
            return Ok(&self.head[self.head_pos..self.head_len]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        if self.head_pos < self.head_len {
            // `fill_buf` handed out the head: `n` is within it.
            let head = self.head;
            let k = n.min(self.head_len - self.head_pos);
            self.count(&head[self.head_pos..self.head_len], k);
            self.head_pos += k;
            return;
        }
        // The bytes being consumed are still in the inner buffer: `fill_buf` returns them without
        // reading.
        if let Ok(buf) = self.inner.fill_buf() {
            let take = n.min(buf.len());
            for (i, _) in buf[..take].iter().enumerate().filter(|&(_, &b)| b == b'\n') {
                self.newlines += 1;
                self.marks.push(self.offset + i as u64);
            }
        }
        self.offset += n as u64;
        self.inner.consume(n);
    }
}

/// What an open element is, from its name and its parent's kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Frame {
    Message,
    Header,
    CollectionDetails,
    Children,
    Child,
    Identifiers,
    Characteristics,
    Disabilities,
    Episode,
    Assessment,
    Factors,
    Section47,
    Plan,
    Reviews,
    Field(F),
    /// An element the records do not model: ignored with everything in it.
    Other,
}

impl Frame {
    /// The element name of a container (for paths and messages).
    fn name(self) -> &'static str {
        match self {
            Frame::Message => "Message",
            Frame::Header => "Header",
            Frame::CollectionDetails => "CollectionDetails",
            Frame::Children => "Children",
            Frame::Child => "Child",
            Frame::Identifiers => "ChildIdentifiers",
            Frame::Characteristics => "ChildCharacteristics",
            Frame::Disabilities => "Disabilities",
            Frame::Episode => "CINdetails",
            Frame::Assessment => "Assessments",
            Frame::Factors => "FactorsIdentifiedAtAssessment",
            Frame::Section47 => "Section47",
            Frame::Plan => "ChildProtectionPlans",
            Frame::Reviews => "Reviews",
            Frame::Field(f) => f.name(),
            Frame::Other => "",
        }
    }

    /// The kind of the element `name` opened inside an element of kind `parent`.
    fn enter(parent: Frame, name: &[u8]) -> Frame {
        use Frame as K;
        match (parent, name) {
            (K::Message, b"Header") => K::Header,
            (K::Header, b"CollectionDetails") => K::CollectionDetails,
            (K::CollectionDetails, b"ReferenceDate") => K::Field(F::ReferenceDate),
            (K::Message, b"Children") => K::Children,
            (K::Children, b"Child") => K::Child,
            (K::Child, b"ChildIdentifiers") => K::Identifiers,
            (K::Child, b"ChildCharacteristics") => K::Characteristics,
            (K::Child, b"CINdetails") => K::Episode,
            (K::Child | K::Identifiers | K::Characteristics, b"Disabilities") => K::Disabilities,
            (K::Child | K::Identifiers | K::Characteristics | K::Disabilities, b"Disability") => {
                K::Field(F::Disability)
            }
            (K::Child | K::Identifiers | K::Characteristics, n) => {
                F::child(n).map_or(K::Other, K::Field)
            }
            (K::Episode, b"Assessments") => K::Assessment,
            (K::Episode, b"Section47") => K::Section47,
            (K::Episode, b"ChildProtectionPlans") => K::Plan,
            (K::Episode, n) => F::episode(n).map_or(K::Other, K::Field),
            (K::Assessment, b"FactorsIdentifiedAtAssessment" | b"AssessmentFactorsList") => {
                K::Factors
            }
            (K::Assessment | K::Factors, b"AssessmentFactors") => K::Field(F::AssessmentFactors),
            (K::Assessment, n) => F::assessment(n).map_or(K::Other, K::Field),
            (K::Section47, n) => F::section47(n).map_or(K::Other, K::Field),
            (K::Plan, b"Reviews") => K::Reviews,
            (K::Plan | K::Reviews, b"CPPreviewDate") => K::Field(F::ReviewDate),
            (K::Plan, n) => F::plan(n).map_or(K::Other, K::Field),
            _ => K::Other,
        }
    }
}

/// The fields the records hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum F {
    ReferenceDate,
    // Child
    LaChildId,
    Upn,
    BirthDate,
    ExpectedBirthDate,
    GenderCurrent,
    Sex,
    DeathDate,
    Ethnicity,
    Disability,
    // CINdetails
    ReferralDate,
    ReferralSource,
    PrimaryNeed,
    ClosureDate,
    ReasonForClosure,
    EpisodeIcpc,
    ReferralNfa,
    // Assessments
    AssessmentStart,
    InternalReview,
    Authorisation,
    AssessmentFactors,
    // Section47
    S47Start,
    IcpcTarget,
    S47Icpc,
    IcpcNotRequired,
    // ChildProtectionPlans
    CppStart,
    CppEnd,
    InitialCategory,
    LatestCategory,
    PreviousCpp,
    ReviewDate,
}

impl F {
    fn name(self) -> &'static str {
        match self {
            F::ReferenceDate => "ReferenceDate",
            F::LaChildId => "LAchildID",
            F::Upn => "UPN",
            F::BirthDate => "PersonBirthDate",
            F::ExpectedBirthDate => "ExpectedPersonBirthDate",
            F::GenderCurrent => "GenderCurrent",
            F::Sex => "Sex",
            F::DeathDate => "PersonDeathDate",
            F::Ethnicity => "Ethnicity",
            F::Disability => "Disability",
            F::ReferralDate => "CINreferralDate",
            F::ReferralSource => "ReferralSource",
            F::PrimaryNeed => "PrimaryNeedCode",
            F::ClosureDate => "CINclosureDate",
            F::ReasonForClosure => "ReasonForClosure",
            F::EpisodeIcpc | F::S47Icpc => "DateOfInitialCPC",
            F::ReferralNfa => "ReferralNFA",
            F::AssessmentStart => "AssessmentActualStartDate",
            F::InternalReview => "AssessmentInternalReviewDate",
            F::Authorisation => "AssessmentAuthorisationDate",
            F::AssessmentFactors => "AssessmentFactors",
            F::S47Start => "S47ActualStartDate",
            F::IcpcTarget => "InitialCPCtarget",
            F::IcpcNotRequired => "ICPCnotRequired",
            F::CppStart => "CPPstartDate",
            F::CppEnd => "CPPendDate",
            F::InitialCategory => "InitialCategoryOfAbuse",
            F::LatestCategory => "LatestCategoryOfAbuse",
            F::PreviousCpp => "NumberOfPreviousCPP",
            F::ReviewDate => "CPPreviewDate",
        }
    }

    /// The bit of a single-valued field in [`Meta::seen`] (`GenderCurrent` and `Sex` share one).
    fn bit(self) -> u64 {
        let f = if self == F::GenderCurrent {
            F::Sex
        } else {
            self
        };
        1 << (f as u8)
    }

    fn child(name: &[u8]) -> Option<F> {
        Some(match name {
            b"LAchildID" => F::LaChildId,
            b"UPN" => F::Upn,
            b"PersonBirthDate" => F::BirthDate,
            b"ExpectedPersonBirthDate" => F::ExpectedBirthDate,
            b"GenderCurrent" => F::GenderCurrent,
            b"Sex" => F::Sex,
            b"PersonDeathDate" => F::DeathDate,
            b"Ethnicity" => F::Ethnicity,
            _ => return None,
        })
    }

    fn episode(name: &[u8]) -> Option<F> {
        Some(match name {
            b"CINreferralDate" => F::ReferralDate,
            b"ReferralSource" => F::ReferralSource,
            b"PrimaryNeedCode" => F::PrimaryNeed,
            b"CINclosureDate" => F::ClosureDate,
            b"ReasonForClosure" => F::ReasonForClosure,
            b"DateOfInitialCPC" => F::EpisodeIcpc,
            b"ReferralNFA" => F::ReferralNfa,
            _ => return None,
        })
    }

    fn assessment(name: &[u8]) -> Option<F> {
        Some(match name {
            b"AssessmentActualStartDate" => F::AssessmentStart,
            b"AssessmentInternalReviewDate" => F::InternalReview,
            b"AssessmentAuthorisationDate" => F::Authorisation,
            _ => return None,
        })
    }

    fn section47(name: &[u8]) -> Option<F> {
        Some(match name {
            b"S47ActualStartDate" => F::S47Start,
            b"InitialCPCtarget" => F::IcpcTarget,
            b"DateOfInitialCPC" => F::S47Icpc,
            b"ICPCnotRequired" => F::IcpcNotRequired,
            _ => return None,
        })
    }

    fn plan(name: &[u8]) -> Option<F> {
        Some(match name {
            b"CPPstartDate" => F::CppStart,
            b"CPPendDate" => F::CppEnd,
            b"InitialCategoryOfAbuse" => F::InitialCategory,
            b"LatestCategoryOfAbuse" => F::LatestCategory,
            b"NumberOfPreviousCPP" => F::PreviousCpp,
            _ => return None,
        })
    }
}

/// A problem found in an element, turned into an [`Issue`] when the element ends.
#[derive(Debug)]
struct Pending {
    code: IssueCode,
    column: &'static str,
    line: u32,
    value: Option<String>,
    message: String,
}

impl Pending {
    fn new(code: IssueCode, column: &'static str, line: u32, value: &str, message: String) -> Self {
        Pending {
            code,
            column,
            line,
            value: Some(value.to_owned()),
            message,
        }
    }
}

/// What every buffered record element keeps beside its fields.
#[derive(Debug)]
struct Meta {
    /// 1-based position among the same-named siblings.
    index: u32,
    /// Line where the element starts.
    line: u32,
    /// Element name.
    element: &'static str,
    /// Single-valued fields already given.
    seen: u64,
    /// Unreadable dates that make the element unusable.
    bad: Vec<Pending>,
    /// Problems reported with the element when it is kept.
    notes: Vec<Pending>,
}

impl Meta {
    fn new(element: &'static str, index: usize, line: u32) -> Meta {
        Meta {
            index: u32::try_from(index).unwrap_or(u32::MAX),
            line,
            element,
            seen: 0,
            bad: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Marks `f` given; true the first time.
    fn first(&mut self, f: F) -> bool {
        let first = self.seen & f.bit() == 0;
        self.seen |= f.bit();
        first
    }

    fn repeated(&mut self, f: F, value: &str, line: u32) {
        let msg = format!(
            "{} is given more than once in this {} (again as {value:?}); the first value is kept",
            f.name(),
            self.element
        );
        self.notes.push(Pending::new(
            IssueCode::UnreadableValue,
            f.name(),
            line,
            value,
            msg,
        ));
    }

    fn text(&mut self, f: F, slot: &mut CompactString, value: &str, line: u32) {
        if self.first(f) {
            *slot = CompactString::from(value);
        } else if slot != value {
            self.repeated(f, value, line);
        }
    }

    /// Stores the first value of a single-valued field (a repeat that differs is reported);
    /// false when that first value was unreadable.
    fn single<T: PartialEq + Copy>(
        &mut self,
        f: F,
        slot: &mut Option<T>,
        parsed: Result<Option<T>, ()>,
        value: &str,
        line: u32,
    ) -> bool {
        if !self.first(f) {
            if parsed != Ok(*slot) {
                self.repeated(f, value, line);
            }
            return true;
        }
        if let Ok(v) = parsed {
            *slot = v;
            true
        } else {
            false
        }
    }

    fn note(&mut self, code: IssueCode, f: F, value: &str, line: u32, message: String) {
        self.notes
            .push(Pending::new(code, f.name(), line, value, message));
    }

    /// A date of a record: unreadable makes the record unusable.
    fn date(&mut self, f: F, slot: &mut Option<Day>, value: &str, line: u32) {
        let parsed = field::cin_date(value).map_err(drop);
        if !self.single(f, slot, parsed, value, line) {
            let p = Pending::new(
                IssueCode::UnreadableDate,
                f.name(),
                line,
                value,
                String::new(),
            );
            self.bad.push(p);
        }
    }

    /// A child-level date: unreadable is blanked and the child kept.
    fn child_date(&mut self, f: F, slot: &mut Option<Day>, value: &str, line: u32) {
        let parsed = field::cin_date(value).map_err(drop);
        if !self.single(f, slot, parsed, value, line) {
            let msg = format!(
                "{} {value:?} is not a valid YYYY-MM-DD date: it is left blank and the \
                 child is kept",
                f.name()
            );
            self.note(IssueCode::UnreadableDate, f, value, line, msg);
        }
    }

    fn boolean(&mut self, f: F, slot: &mut Option<bool>, value: &str, line: u32) {
        let parsed = field::cin_bool(value).map_err(drop);
        if !self.single(f, slot, parsed, value, line) {
            let msg = format!(
                "{} {value:?} is not true, false, 1 or 0: it is treated as unknown",
                f.name()
            );
            self.note(IssueCode::UnreadableValue, f, value, line, msg);
        }
    }

    fn count(&mut self, f: F, slot: &mut Option<u32>, value: &str, line: u32) {
        let parsed = field::count(value).map_err(drop);
        if !self.single(f, slot, parsed, value, line) {
            let msg = format!(
                "{} {value:?} is not a whole number of plans: it is treated as unknown",
                f.name()
            );
            self.note(IssueCode::UnreadableValue, f, value, line, msg);
        }
    }

    fn stray(&mut self, container: &'static str, text: &str, line: u32) {
        let msg = format!(
            "text {text:?} stands between the elements of {container}, outside any field: it is \
             ignored"
        );
        self.notes.push(Pending::new(
            IssueCode::UnreadableValue,
            container,
            line,
            text,
            msg,
        ));
    }
}

/// A `Child` being read: the child's fields and everything nested in it.
#[derive(Debug)]
struct ChildAcc {
    meta: Meta,
    rec: CinChild,
    /// Line of the first `LAchildID` element, when there is one.
    id_line: Option<u32>,
    episodes: Vec<EpisodeAcc>,
}

/// How the `CINreferralDate` of a `CINdetails` stood.
#[derive(Debug)]
enum Referral {
    Absent,
    Blank { line: u32, raw: String },
    Unreadable { line: u32, raw: String },
    Read(Day),
}

#[derive(Debug)]
struct EpisodeAcc {
    meta: Meta,
    rec: CinEpisode,
    referral: Referral,
    assessments: Vec<(Meta, Assessment)>,
    section47s: Vec<(Meta, Section47)>,
    plans: Vec<(Meta, CpPlan)>,
}

struct Parser<'o> {
    file: Arc<str>,
    opts: &'o ReadOptions,
    ret: CinReturn,
    issues: Vec<Issue>,
    rows: usize,
    skipped: usize,
    /// Open elements and the lines they start on.
    stack: Vec<(Frame, u32)>,
    seen_root: bool,
    /// The text of the open field.
    text: String,
    /// Text standing in a container, not yet reported, and its line.
    stray: String,
    stray_line: u32,
    children: usize,
    child: Option<ChildAcc>,
    /// `ReferenceDate` given already.
    reference_seen: bool,
}

impl<'o> Parser<'o> {
    fn new(file: Arc<str>, opts: &'o ReadOptions) -> Parser<'o> {
        let ret = CinReturn {
            source: csc_measures::records::ReturnSource {
                files: vec![file.clone()],
                collection_year: opts.collection_year,
                reference_date: None,
            },
            ..CinReturn::default()
        };
        Parser {
            file,
            opts,
            ret,
            issues: Vec::new(),
            rows: 0,
            skipped: 0,
            stack: Vec::with_capacity(16),
            seen_root: false,
            text: String::new(),
            stray: String::new(),
            stray_line: 0,
            children: 0,
            child: None,
            reference_seen: false,
        }
    }

    fn location(&self, line: u32) -> Location {
        Location::new(self.file.clone(), line)
    }

    fn invalid(&self, what: &str, newlines: u64) -> Error {
        Error::new(
            ErrorKind::InvalidInput,
            format!("not a well-formed CIN census XML file: {what}"),
        )
        .at(self.location(line_number(newlines)))
    }

    fn xml_error(&self, e: &quick_xml::Error, line: u32) -> Error {
        match e {
            quick_xml::Error::Io(io) => Error::new(
                ErrorKind::Io,
                format!("cannot read the CIN census file {}: {io}", self.file),
            )
            .at(file_location(&self.file)),
            other => Error::new(
                ErrorKind::InvalidInput,
                format!("not well-formed XML: {other}"),
            )
            .at(self.location(line)),
        }
    }

    /// Reports an issue found outside any `Child` (strict mode: stops).
    fn report(&mut self, issue: Issue) -> Result<(), Error> {
        if self.opts.strict {
            return Err(strict_error(&issue));
        }
        self.issues.push(issue);
        Ok(())
    }

    fn start(&mut self, e: &BytesStart<'_>, line: u32) -> Result<(), Error> {
        for attr in e.attributes() {
            if let Err(err) = attr {
                return Err(Error::new(
                    ErrorKind::InvalidInput,
                    format!("not well-formed XML: {err}"),
                )
                .at(self.location(line)));
            }
        }
        self.flush_stray()?;
        let name = e.local_name();
        let name = name.as_ref();
        let frame = match self.stack.last() {
            None => {
                if self.seen_root {
                    return Err(self.root_error(name, line, "a second root element"));
                }
                if name != b"Message" {
                    return Err(self.root_error(name, line, "the root element"));
                }
                self.seen_root = true;
                Frame::Message
            }
            Some(&(Frame::Other, _)) => Frame::Other,
            Some(&(parent, _)) => Frame::enter(parent, name),
        };
        self.open(frame, line);
        self.stack.push((frame, line));
        Ok(())
    }

    fn root_error(&self, name: &[u8], line: u32, what: &str) -> Error {
        Error::new(
            ErrorKind::InvalidInput,
            format!(
                "{what} is <{}>, not <Message>: this is not a CIN census file",
                String::from_utf8_lossy(name)
            ),
        )
        .at(self.location(line))
    }

    /// Starts the records an element opens.
    fn open(&mut self, frame: Frame, line: u32) {
        match frame {
            Frame::Child => {
                self.children += 1;
                self.child = Some(ChildAcc {
                    meta: Meta::new("Child", self.children, line),
                    rec: CinChild {
                        origin: RowOrigin::new(0, line),
                        ..CinChild::default()
                    },
                    id_line: None,
                    episodes: Vec::new(),
                });
            }
            Frame::Episode => {
                if let Some(c) = &mut self.child {
                    let meta = Meta::new("CINdetails", c.episodes.len() + 1, line);
                    c.episodes.push(EpisodeAcc {
                        meta,
                        rec: CinEpisode {
                            origin: RowOrigin::new(0, line),
                            ..CinEpisode::default()
                        },
                        referral: Referral::Absent,
                        assessments: Vec::new(),
                        section47s: Vec::new(),
                        plans: Vec::new(),
                    });
                }
            }
            Frame::Assessment => {
                if let Some(ep) = self.episode() {
                    let meta = Meta::new("Assessments", ep.assessments.len() + 1, line);
                    let rec = Assessment {
                        origin: RowOrigin::new(0, line),
                        ..Assessment::default()
                    };
                    ep.assessments.push((meta, rec));
                }
            }
            Frame::Section47 => {
                if let Some(ep) = self.episode() {
                    let meta = Meta::new("Section47", ep.section47s.len() + 1, line);
                    let rec = Section47 {
                        origin: RowOrigin::new(0, line),
                        ..Section47::default()
                    };
                    ep.section47s.push((meta, rec));
                }
            }
            Frame::Plan => {
                if let Some(ep) = self.episode() {
                    let meta = Meta::new("ChildProtectionPlans", ep.plans.len() + 1, line);
                    let rec = CpPlan {
                        origin: RowOrigin::new(0, line),
                        ..CpPlan::default()
                    };
                    ep.plans.push((meta, rec));
                }
            }
            Frame::Field(_) => self.text.clear(),
            _ => {}
        }
    }

    fn episode(&mut self) -> Option<&mut EpisodeAcc> {
        self.child.as_mut()?.episodes.last_mut()
    }

    fn end(&mut self) -> Result<(), Error> {
        self.flush_stray()?;
        let Some((frame, line)) = self.stack.pop() else {
            return Ok(());
        };
        match frame {
            Frame::Field(f) => self.field(f, line),
            Frame::Child => match self.child.take() {
                Some(acc) => self.finish_child(acc),
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }

    fn text(&mut self, text: &str, newlines: u64) -> Result<(), Error> {
        match self.stack.last() {
            Some((Frame::Field(_), _)) => self.text.push_str(text),
            Some((Frame::Other, _)) => {}
            Some(_) => {
                if let Some(at) = text.find(|c: char| !c.is_whitespace()) {
                    if self.stray.is_empty() {
                        let after = count_newlines(&text.as_bytes()[at..]);
                        self.stray_line = line_number(newlines - after.min(newlines));
                    }
                    self.stray.push_str(text);
                } else if !self.stray.is_empty() {
                    self.stray.push_str(text);
                }
            }
            None => {
                if !text.trim().is_empty() {
                    return Err(self.invalid("text outside the Message element", newlines));
                }
            }
        }
        Ok(())
    }

    fn reference(&mut self, r: &BytesRef<'_>, newlines: u64) -> Result<(), Error> {
        let mut tmp = [0u8; 4];
        let resolved: &str = match r.resolve_char_ref() {
            Ok(Some(c)) => c.encode_utf8(&mut tmp),
            Ok(None) => {
                let name = r.decode().unwrap_or_default();
                match quick_xml::escape::resolve_predefined_entity(&name) {
                    Some(s) => s,
                    None => {
                        return Err(self.invalid(
                            &format!("unknown entity &{name}; (only &amp; &lt; &gt; &quot; &apos; and character references are defined)"),
                            newlines,
                        ));
                    }
                }
            }
            Err(e) => return Err(self.invalid(&format!("{e}"), newlines)),
        };
        // A reference is text like any other: `&#32;` is whitespace, `&amp;` is not.
        self.text(resolved, newlines)
    }

    /// Reports text that stood in a container since the last tag.
    fn flush_stray(&mut self) -> Result<(), Error> {
        if self.stray.is_empty() {
            return Ok(());
        }
        let text = std::mem::take(&mut self.stray);
        let trimmed = text.trim();
        let line = self.stray_line;
        let Some(&(frame, _)) = self.stack.last() else {
            return Ok(());
        };
        let container = frame.name();
        let in_child = self.child.as_mut();
        let meta = match (frame, in_child) {
            (
                Frame::Child | Frame::Identifiers | Frame::Characteristics | Frame::Disabilities,
                Some(c),
            ) => Some(&mut c.meta),
            (Frame::Episode, Some(c)) => c.episodes.last_mut().map(|e| &mut e.meta),
            (Frame::Assessment | Frame::Factors, Some(c)) => c
                .episodes
                .last_mut()
                .and_then(|e| e.assessments.last_mut())
                .map(|a| &mut a.0),
            (Frame::Section47, Some(c)) => c
                .episodes
                .last_mut()
                .and_then(|e| e.section47s.last_mut())
                .map(|a| &mut a.0),
            (Frame::Plan | Frame::Reviews, Some(c)) => c
                .episodes
                .last_mut()
                .and_then(|e| e.plans.last_mut())
                .map(|a| &mut a.0),
            _ => None,
        };
        if let Some(meta) = meta {
            meta.stray(container, trimmed, line);
            return Ok(());
        }
        let path = self
            .stack
            .iter()
            .map(|(f, _)| f.name())
            .collect::<Vec<_>>()
            .join("/");
        let msg = format!(
            "text {trimmed:?} stands between the elements of {container}, outside any field: it is \
             ignored"
        );
        let issue = Issue::new(IssueCode::UnreadableValue, msg).at(Some(Location {
            path: Some(path.into()),
            column: Some(container.into()),
            value: Some(trimmed.to_owned()),
            ..self.location(line)
        }));
        self.report(issue)
    }

    /// A field element ended: stores its trimmed text in the record it belongs to.
    fn field(&mut self, f: F, line: u32) -> Result<(), Error> {
        let value = self.text.trim();
        if f == F::ReferenceDate {
            let value = value.to_owned();
            return self.reference_date(&value, line);
        }
        let Some(c) = self.child.as_mut() else {
            return Ok(());
        };
        match f {
            F::LaChildId => {
                if c.id_line.is_none() {
                    c.id_line = Some(line);
                }
                c.meta.text(f, &mut c.rec.child, value, line);
            }
            F::Upn => c.meta.text(f, &mut c.rec.upn, value, line),
            F::GenderCurrent | F::Sex => c.meta.text(f, &mut c.rec.sex, value, line),
            F::Ethnicity => c.meta.text(f, &mut c.rec.ethnicity, value, line),
            F::Disability => {
                if !value.is_empty() {
                    c.rec.disabilities.push(value.into());
                }
            }
            F::BirthDate => c.meta.child_date(f, &mut c.rec.birth_date, value, line),
            F::ExpectedBirthDate => {
                c.meta
                    .child_date(f, &mut c.rec.expected_birth_date, value, line);
            }
            F::DeathDate => c.meta.child_date(f, &mut c.rec.death_date, value, line),
            _ => {
                if let Some(ep) = c.episodes.last_mut() {
                    episode_field(ep, f, value, line);
                }
            }
        }
        Ok(())
    }

    fn reference_date(&mut self, value: &str, line: u32) -> Result<(), Error> {
        let parsed = field::cin_date(value);
        if self.reference_seen {
            if parsed.ok() != Some(self.ret.source.reference_date) {
                let msg = format!(
                    "ReferenceDate is given more than once (again as {value:?}); the first value is kept"
                );
                return self.report(self.header_issue(
                    IssueCode::UnreadableValue,
                    msg,
                    line,
                    value,
                ));
            }
            return Ok(());
        }
        self.reference_seen = true;
        if let Ok(d) = parsed {
            self.ret.source.reference_date = d;
            return Ok(());
        }
        let msg = format!(
            "ReferenceDate {value:?} is not a valid YYYY-MM-DD date: the return is read \
             without a reference date"
        );
        self.report(self.header_issue(IssueCode::UnreadableDate, msg, line, value))
    }

    fn header_issue(&self, code: IssueCode, msg: String, line: u32, value: &str) -> Issue {
        Issue::new(code, msg).at(Some(Location {
            path: Some("Message/Header/CollectionDetails".into()),
            column: Some("ReferenceDate".into()),
            value: Some(value.to_owned()),
            ..self.location(line)
        }))
    }

    fn finish(mut self, newlines: u64) -> Result<Read<CinReturn>, Error> {
        if let Some(&(frame, line)) = self.stack.last() {
            let what = match frame {
                Frame::Other => "an element".to_owned(),
                f => format!("<{}>", f.name()),
            };
            return Err(self.invalid(
                &format!("the file ends before the end of {what} opened on line {line}"),
                newlines,
            ));
        }
        if !self.seen_root {
            return Err(self.invalid(
                "there is no <Message> element (the file is empty or not XML)",
                newlines,
            ));
        }
        self.flush_stray()?;
        let report = FileReport {
            path: self.file.clone(),
            table: TABLE.to_owned(),
            rows: self.rows,
            skipped: self.skipped,
        };
        Ok(Read {
            ret: self.ret,
            issues: self.issues,
            files: vec![report],
        })
    }

    /// A `Child` ended: applies the rules and moves its usable records into the return.
    fn finish_child(&mut self, acc: ChildAcc) -> Result<(), Error> {
        let ChildAcc {
            meta,
            rec,
            id_line,
            episodes,
        } = acc;
        let counts = [
            episodes.len(),
            episodes.iter().map(|e| e.assessments.len()).sum(),
            episodes.iter().map(|e| e.section47s.len()).sum(),
            episodes.iter().map(|e| e.plans.len()).sum(),
        ];
        let nested: usize = counts.iter().sum();
        self.rows += 1 + nested;
        let path = RecPath {
            child: meta.index,
            episode: None,
            nested: None,
        };
        let first_issue = self.issues.len();
        if rec.child.is_empty() {
            self.skipped += 1 + nested;
            let (line, value, what) = match id_line {
                Some(line) => (line, Some(String::new()), "whose LAchildID is blank"),
                None => (meta.line, None, "without a LAchildID"),
            };
            let msg = format!(
                "Child {what}: it is skipped {}; give the child its LAchildID",
                nested_text(counts)
            );
            let issue = Issue::new(IssueCode::MissingIdentifier, msg).at(Some(Location {
                path: Some(path.render()),
                column: Some("LAchildID".into()),
                value,
                ..self.location(line)
            }));
            return self.report(issue);
        }
        let child = rec.child.clone();
        for p in meta.notes {
            self.issues.push(self.issue(p, path, &child, None));
        }
        self.ret.children.push(rec);
        for ep in episodes {
            self.finish_episode(ep, &child, path);
        }
        self.issues[first_issue..].sort_by_key(|i| i.location.as_ref().and_then(|l| l.line));
        if self.opts.strict && self.issues.len() > first_issue {
            return Err(strict_error(&self.issues[first_issue]));
        }
        Ok(())
    }

    fn finish_episode(&mut self, ep: EpisodeAcc, child: &CompactString, child_path: RecPath) {
        let EpisodeAcc {
            mut meta,
            mut rec,
            referral,
            assessments,
            section47s,
            plans,
        } = ep;
        let counts = [0, assessments.len(), section47s.len(), plans.len()];
        let nested: usize = counts.iter().sum();
        let path = RecPath {
            episode: Some(meta.index),
            ..child_path
        };
        let referral = match referral {
            Referral::Read(d) => d,
            Referral::Absent | Referral::Blank { .. } => {
                self.skipped += 1 + nested;
                let (line, value, what) = match referral {
                    Referral::Blank { line, raw } => {
                        (line, Some(raw), "whose CINreferralDate is blank")
                    }
                    _ => (meta.line, None, "without a CINreferralDate"),
                };
                let msg = format!(
                    "CINdetails {what}: it is skipped {}; give the referral date as YYYY-MM-DD",
                    nested_text(counts)
                );
                let p = Pending {
                    code: IssueCode::MissingIdentifier,
                    column: F::ReferralDate.name(),
                    line,
                    value,
                    message: msg,
                };
                self.issues.push(self.issue(p, path, child, None));
                return;
            }
            Referral::Unreadable { line, raw } => {
                self.skipped += 1 + nested;
                let msg = format!(
                    "CINreferralDate {raw:?} is not a valid YYYY-MM-DD date: the CINdetails \
                     element is skipped {}",
                    nested_text(counts)
                );
                let p = Pending::new(
                    IssueCode::UnreadableDate,
                    F::ReferralDate.name(),
                    line,
                    &raw,
                    msg,
                );
                self.issues.push(self.issue(p, path, child, None));
                return;
            }
        };
        if !meta.bad.is_empty() {
            self.skipped += 1 + nested;
            let p = unusable(&mut meta, &nested_text(counts));
            self.issues.push(self.issue(p, path, child, Some(referral)));
            return;
        }
        rec.child.clone_from(child);
        rec.referral_date = referral;
        for p in meta.notes {
            self.issues.push(self.issue(p, path, child, Some(referral)));
        }
        self.ret.episodes.push(rec);
        for (meta, mut rec) in assessments {
            rec.child.clone_from(child);
            rec.episode_referral_date = referral;
            let key = rec.start_date;
            if let Some(rec) = self.nested(meta, rec, path, child, key) {
                self.ret.assessments.push(rec);
            }
        }
        for (meta, mut rec) in section47s {
            rec.child.clone_from(child);
            rec.episode_referral_date = referral;
            let key = rec.start_date;
            if let Some(rec) = self.nested(meta, rec, path, child, key) {
                self.ret.section47s.push(rec);
            }
        }
        for (meta, mut rec) in plans {
            rec.child.clone_from(child);
            rec.episode_referral_date = referral;
            let key = rec.start_date;
            if let Some(rec) = self.nested(meta, rec, path, child, key) {
                self.ret.plans.push(rec);
            }
        }
    }

    /// Reports a nested record's problems; the record when it is usable.
    fn nested<T>(
        &mut self,
        mut meta: Meta,
        rec: T,
        episode_path: RecPath,
        child: &str,
        key: Option<Day>,
    ) -> Option<T> {
        let path = RecPath {
            nested: Some((meta.element, meta.index)),
            ..episode_path
        };
        if !meta.bad.is_empty() {
            self.skipped += 1;
            let p = unusable(&mut meta, "");
            self.issues.push(self.issue(p, path, child, key));
            return None;
        }
        for p in meta.notes {
            self.issues.push(self.issue(p, path, child, key));
        }
        Some(rec)
    }

    fn issue(&self, p: Pending, path: RecPath, child: &str, record: Option<Day>) -> Issue {
        Issue::new(p.code, p.message)
            .child(child)
            .record(record)
            .at(Some(Location {
                path: Some(path.render()),
                column: Some(p.column.into()),
                value: p.value,
                ..self.location(p.line)
            }))
    }
}

/// Where a record stands, rendered into its element path only for an issue.
#[derive(Clone, Copy, Debug)]
struct RecPath {
    /// 1-based index of the `Child`.
    child: u32,
    /// 1-based index of the `CINdetails` in it.
    episode: Option<u32>,
    /// Element name and 1-based index of a record nested in the `CINdetails`.
    nested: Option<(&'static str, u32)>,
}

impl RecPath {
    fn render(self) -> Arc<str> {
        let mut s = format!("Message/Children/Child[{}]", self.child);
        if let Some(e) = self.episode {
            let _ = write!(s, "/CINdetails[{e}]");
        }
        if let Some((name, i)) = self.nested {
            let _ = write!(s, "/{name}[{i}]");
        }
        s.into()
    }
}

/// Stores a field of a `CINdetails` or of a record nested in it.
fn episode_field(ep: &mut EpisodeAcc, f: F, value: &str, line: u32) {
    let m = &mut ep.meta;
    let r = &mut ep.rec;
    match f {
        F::ReferralDate => {
            if !m.first(f) {
                let same = matches!((&ep.referral, field::cin_date(value)), (Referral::Read(d), Ok(Some(v))) if *d == v);
                if !same {
                    m.repeated(f, value, line);
                }
                return;
            }
            ep.referral = match field::cin_date(value) {
                Ok(Some(d)) => Referral::Read(d),
                Ok(None) => Referral::Blank {
                    line,
                    raw: value.to_owned(),
                },
                Err(_) => Referral::Unreadable {
                    line,
                    raw: value.to_owned(),
                },
            };
        }
        F::ReferralSource => m.text(f, &mut r.referral_source, value, line),
        F::PrimaryNeed => m.text(f, &mut r.primary_need, value, line),
        F::ClosureDate => m.date(f, &mut r.closure_date, value, line),
        F::ReasonForClosure => m.text(f, &mut r.reason_for_closure, value, line),
        F::EpisodeIcpc => m.date(f, &mut r.initial_cpc_date, value, line),
        F::ReferralNfa => m.boolean(f, &mut r.referral_nfa, value, line),
        F::AssessmentStart | F::InternalReview | F::Authorisation | F::AssessmentFactors => {
            if let Some((m, a)) = ep.assessments.last_mut() {
                match f {
                    F::AssessmentStart => m.date(f, &mut a.start_date, value, line),
                    F::InternalReview => m.date(f, &mut a.internal_review_date, value, line),
                    F::Authorisation => m.date(f, &mut a.authorisation_date, value, line),
                    _ => {
                        if !value.is_empty() {
                            a.factors.push(value.into());
                        }
                    }
                }
            }
        }
        F::S47Start | F::IcpcTarget | F::S47Icpc | F::IcpcNotRequired => {
            if let Some((m, s)) = ep.section47s.last_mut() {
                match f {
                    F::S47Start => m.date(f, &mut s.start_date, value, line),
                    F::IcpcTarget => m.date(f, &mut s.icpc_target_date, value, line),
                    F::S47Icpc => m.date(f, &mut s.icpc_date, value, line),
                    _ => m.boolean(f, &mut s.icpc_not_required, value, line),
                }
            }
        }
        F::CppStart
        | F::CppEnd
        | F::InitialCategory
        | F::LatestCategory
        | F::PreviousCpp
        | F::ReviewDate => {
            if let Some((m, p)) = ep.plans.last_mut() {
                plan_field(m, p, f, value, line);
            }
        }
        _ => {}
    }
}

fn plan_field(m: &mut Meta, p: &mut CpPlan, f: F, value: &str, line: u32) {
    match f {
        F::CppStart => m.date(f, &mut p.start_date, value, line),
        F::CppEnd => m.date(f, &mut p.end_date, value, line),
        F::InitialCategory => m.text(f, &mut p.initial_category, value, line),
        F::LatestCategory => m.text(f, &mut p.latest_category, value, line),
        F::PreviousCpp => m.count(f, &mut p.previous_plans, value, line),
        _ => match field::cin_date(value) {
            Ok(Some(d)) => p.review_dates.push(d),
            Ok(None) => {}
            Err(_) => {
                let msg = format!(
                    "CPPreviewDate {value:?} is not a valid YYYY-MM-DD date: this review \
                     date is dropped and the plan is kept"
                );
                m.notes.push(Pending::new(
                    IssueCode::UnreadableDate,
                    f.name(),
                    line,
                    value,
                    msg,
                ));
            }
        },
    }
}

/// The issue of an element made unusable by its unreadable dates: located at the first, naming
/// the others.
fn unusable(meta: &mut Meta, nested: &str) -> Pending {
    let mut bad = std::mem::take(&mut meta.bad).into_iter();
    let Some(mut first) = bad.next() else {
        return Pending::new(IssueCode::UnreadableDate, "", meta.line, "", String::new());
    };
    let value = first.value.as_deref().unwrap_or_default();
    let mut msg = format!(
        "{} {value:?} is not a valid YYYY-MM-DD date: the {} element is skipped",
        first.column, meta.element
    );
    if !nested.is_empty() {
        msg.push(' ');
        msg.push_str(nested);
    }
    let others: Vec<String> = bad
        .map(|p| format!("{} {:?}", p.column, p.value.unwrap_or_default()))
        .collect();
    if !others.is_empty() {
        let _ = write!(msg, "; also unreadable: {}", others.join(", "));
    }
    first.message = msg;
    first
}

/// `with the 3 records nested in it (1 CINdetails, 2 Assessments)`, or that nothing was.
fn nested_text(counts: [usize; 4]) -> String {
    const NAMES: [&str; 4] = [
        "CINdetails",
        "Assessments",
        "Section47",
        "ChildProtectionPlans",
    ];
    let total: usize = counts.iter().sum();
    if total == 0 {
        return "(no records are nested in it)".to_owned();
    }
    let parts: Vec<String> = NAMES
        .iter()
        .zip(counts)
        .filter(|&(_, n)| n > 0)
        .map(|(name, n)| format!("{n} {name}"))
        .collect();
    format!(
        "with the {total} record{} nested in it ({})",
        if total == 1 { "" } else { "s" },
        parts.join(", ")
    )
}

/// The error of strict mode for an issue: the same detail and location.
fn strict_error(issue: &Issue) -> Error {
    let mut msg = format!("[{}]", issue.code);
    if let Some(child) = &issue.child {
        let _ = write!(msg, " child {child}");
    }
    if let Some(record) = issue.record {
        let _ = write!(msg, " record {record}");
    }
    let _ = write!(msg, ": {} (strict mode stops here)", issue.message);
    let err = Error::new(ErrorKind::DataQuality, msg);
    match &issue.location {
        Some(loc) => err.at(loc.clone()),
        None => err,
    }
}
