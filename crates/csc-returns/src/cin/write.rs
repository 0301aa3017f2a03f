//! The writer of the CIN census XML.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::io::{self, BufWriter, Write};

use csc_measures::day::Day;
use csc_measures::error::{Error, ErrorKind};
use csc_measures::records::{Assessment, CinChild, CinEpisode, CinReturn, CpPlan, Section47};

/// Writes `ret` as a CIN census XML file that [`read_xml`](super::read_xml) reads back to the same
/// records (apart from their origins and the return's file list).
///
/// The file has a `Header/CollectionDetails` with `Collection` `CIN`, the `Year` when the
/// collection year is known and the `ReferenceDate` when known, then one `Child` per child in
/// `ret.children` order. Each `Child` holds its `CINdetails` (the episodes of that child, in
/// `ret.episodes` order), and each `CINdetails` the assessments, section 47 enquiries and plans of
/// that child whose `episode_referral_date` is its `CINreferralDate`, in their order. Blank
/// fields are left out; dates are ISO, booleans `true`/`false`; text is escaped. The sex goes in
/// `Sex` for collection years from 2024 on and in `GenderCurrent` before (and when the year is
/// unknown), as the DfE's specifications name it. When two children share an identifier, their
/// records go under the first; when two episodes share a child and referral date, the nested
/// records go under the first. Text is written as it stands; the reader trims it.
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`] (nothing is written) when a child's identifier is blank, when an
/// episode's child is not in `ret.children` or a nested record's episode is not in
/// `ret.episodes` (the file could not say where it belongs), or when a text holds a character
/// XML 1.0 cannot carry (a control character other than tab, newline and carriage return);
/// [`ErrorKind::Io`] when writing fails.
pub fn write_xml<W: Write>(ret: &CinReturn, w: W) -> Result<(), Error> {
    let plan = Layout::new(ret)?;
    check_text(ret)?;
    let mut out = Out {
        w: BufWriter::with_capacity(1 << 16, w),
        depth: 0,
    };
    plan.write(ret, &mut out).map_err(io_error)?;
    out.w
        .into_inner()
        .map_err(|e| io_error(e.into_error()))?
        .flush()
        .map_err(io_error)
}

#[allow(clippy::needless_pass_by_value)] // used as `map_err(io_error)`
fn io_error(e: io::Error) -> Error {
    Error::new(
        ErrorKind::Io,
        format!("cannot write the CIN census XML: {e}"),
    )
}

fn invalid(msg: String) -> Error {
    Error::new(ErrorKind::InvalidInput, msg)
}

/// Which records go under which element.
struct Layout {
    /// Episode indices per child index (the first child of each identifier).
    episodes: Vec<Vec<usize>>,
    /// Nested record indices per episode index (the first episode of each key).
    nested: Vec<Nested>,
}

#[derive(Default, Clone)]
struct Nested {
    assessments: Vec<usize>,
    section47s: Vec<usize>,
    plans: Vec<usize>,
}

impl Layout {
    fn new(ret: &CinReturn) -> Result<Layout, Error> {
        let mut child_of: HashMap<&str, usize> = HashMap::with_capacity(ret.children.len());
        for (i, c) in ret.children.iter().enumerate() {
            if c.child.trim().is_empty() {
                return Err(invalid(format!(
                    "child {} of the return has a blank LAchildID: a CIN census file cannot hold it",
                    i + 1
                )));
            }
            child_of.entry(c.child.as_str()).or_insert(i);
        }
        let mut episodes = vec![Vec::new(); ret.children.len()];
        let mut episode_of: HashMap<(&str, Day), usize> =
            HashMap::with_capacity(ret.episodes.len());
        for (i, e) in ret.episodes.iter().enumerate() {
            let Some(&c) = child_of.get(e.child.as_str()) else {
                return Err(invalid(format!(
                    "the CIN episode of child {:?} referred on {} has no Child in the return: a CIN \
                     census file cannot hold it",
                    e.child.as_str(),
                    e.referral_date
                )));
            };
            episodes[c].push(i);
            if let Entry::Vacant(v) = episode_of.entry((e.child.as_str(), e.referral_date)) {
                v.insert(i);
            }
        }
        let mut nested = vec![Nested::default(); ret.episodes.len()];
        let find = |what: &str, child: &str, referral: Day| -> Result<usize, Error> {
            episode_of.get(&(child, referral)).copied().ok_or_else(|| {
                invalid(format!(
                    "the {what} of child {child:?} belongs to a CIN episode referred on {referral} \
                     that is not in the return: a CIN census file cannot hold it"
                ))
            })
        };
        for (i, a) in ret.assessments.iter().enumerate() {
            nested[find("assessment", &a.child, a.episode_referral_date)?]
                .assessments
                .push(i);
        }
        for (i, s) in ret.section47s.iter().enumerate() {
            nested[find("section 47 enquiry", &s.child, s.episode_referral_date)?]
                .section47s
                .push(i);
        }
        for (i, p) in ret.plans.iter().enumerate() {
            nested[find("CP plan", &p.child, p.episode_referral_date)?]
                .plans
                .push(i);
        }
        Ok(Layout { episodes, nested })
    }

    fn write<W: Write>(&self, ret: &CinReturn, o: &mut Out<W>) -> io::Result<()> {
        o.w.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
        o.open("Message")?;
        o.open("Header")?;
        o.open("CollectionDetails")?;
        o.text("Collection", "CIN")?;
        if let Some(y) = ret.source.collection_year {
            o.text("Year", &y.to_string())?;
        }
        o.date("ReferenceDate", ret.source.reference_date)?;
        o.close("CollectionDetails")?;
        o.close("Header")?;
        o.open("Children")?;
        let sex = if ret.source.collection_year.is_some_and(|y| y >= 2024) {
            "Sex"
        } else {
            "GenderCurrent"
        };
        for (c, child) in ret.children.iter().enumerate() {
            o.open("Child")?;
            write_child(o, child, sex)?;
            for &e in &self.episodes[c] {
                write_episode(o, ret, &ret.episodes[e], &self.nested[e])?;
            }
            o.close("Child")?;
        }
        o.close("Children")?;
        o.close("Message")
    }
}

fn write_child<W: Write>(o: &mut Out<W>, c: &CinChild, sex: &str) -> io::Result<()> {
    o.open("ChildIdentifiers")?;
    o.text("LAchildID", &c.child)?;
    o.text("UPN", &c.upn)?;
    o.date("PersonBirthDate", c.birth_date)?;
    o.date("ExpectedPersonBirthDate", c.expected_birth_date)?;
    o.text(sex, &c.sex)?;
    o.date("PersonDeathDate", c.death_date)?;
    o.close("ChildIdentifiers")?;
    let disabilities = c.disabilities.iter().any(|d| !d.trim().is_empty());
    if c.ethnicity.trim().is_empty() && !disabilities {
        return Ok(());
    }
    o.open("ChildCharacteristics")?;
    o.text("Ethnicity", &c.ethnicity)?;
    if disabilities {
        o.open("Disabilities")?;
        for d in &c.disabilities {
            o.text("Disability", d)?;
        }
        o.close("Disabilities")?;
    }
    o.close("ChildCharacteristics")
}

fn write_episode<W: Write>(
    o: &mut Out<W>,
    ret: &CinReturn,
    e: &CinEpisode,
    n: &Nested,
) -> io::Result<()> {
    o.open("CINdetails")?;
    o.date("CINreferralDate", Some(e.referral_date))?;
    o.text("ReferralSource", &e.referral_source)?;
    o.text("PrimaryNeedCode", &e.primary_need)?;
    o.date("CINclosureDate", e.closure_date)?;
    o.text("ReasonForClosure", &e.reason_for_closure)?;
    o.date("DateOfInitialCPC", e.initial_cpc_date)?;
    for &i in &n.assessments {
        write_assessment(o, &ret.assessments[i])?;
    }
    for &i in &n.section47s {
        write_section47(o, &ret.section47s[i])?;
    }
    o.boolean("ReferralNFA", e.referral_nfa)?;
    for &i in &n.plans {
        write_plan(o, &ret.plans[i])?;
    }
    o.close("CINdetails")
}

fn write_assessment<W: Write>(o: &mut Out<W>, a: &Assessment) -> io::Result<()> {
    o.open("Assessments")?;
    o.date("AssessmentActualStartDate", a.start_date)?;
    o.date("AssessmentInternalReviewDate", a.internal_review_date)?;
    o.date("AssessmentAuthorisationDate", a.authorisation_date)?;
    if a.factors.iter().any(|f| !f.trim().is_empty()) {
        o.open("FactorsIdentifiedAtAssessment")?;
        for f in &a.factors {
            o.text("AssessmentFactors", f)?;
        }
        o.close("FactorsIdentifiedAtAssessment")?;
    }
    o.close("Assessments")
}

fn write_section47<W: Write>(o: &mut Out<W>, s: &Section47) -> io::Result<()> {
    o.open("Section47")?;
    o.date("S47ActualStartDate", s.start_date)?;
    o.date("InitialCPCtarget", s.icpc_target_date)?;
    o.date("DateOfInitialCPC", s.icpc_date)?;
    o.boolean("ICPCnotRequired", s.icpc_not_required)?;
    o.close("Section47")
}

fn write_plan<W: Write>(o: &mut Out<W>, p: &CpPlan) -> io::Result<()> {
    o.open("ChildProtectionPlans")?;
    o.date("CPPstartDate", p.start_date)?;
    o.date("CPPendDate", p.end_date)?;
    o.text("InitialCategoryOfAbuse", &p.initial_category)?;
    o.text("LatestCategoryOfAbuse", &p.latest_category)?;
    if let Some(n) = p.previous_plans {
        o.text("NumberOfPreviousCPP", &n.to_string())?;
    }
    if !p.review_dates.is_empty() {
        o.open("Reviews")?;
        for &d in &p.review_dates {
            o.date("CPPreviewDate", Some(d))?;
        }
        o.close("Reviews")?;
    }
    o.close("ChildProtectionPlans")
}

/// An indenting element writer.
struct Out<W: Write> {
    w: BufWriter<W>,
    depth: usize,
}

impl<W: Write> Out<W> {
    fn indent(&mut self) -> io::Result<()> {
        const SPACES: &[u8] = &[b' '; 64];
        let n = (self.depth * 2).min(SPACES.len());
        self.w.write_all(&SPACES[..n])
    }

    fn open(&mut self, name: &str) -> io::Result<()> {
        self.indent()?;
        writeln!(self.w, "<{name}>")?;
        self.depth += 1;
        Ok(())
    }

    fn close(&mut self, name: &str) -> io::Result<()> {
        self.depth -= 1;
        self.indent()?;
        writeln!(self.w, "</{name}>")
    }

    /// `<name>value</name>`, left out when the value is blank.
    fn text(&mut self, name: &str, value: &str) -> io::Result<()> {
        if value.trim().is_empty() {
            return Ok(());
        }
        self.indent()?;
        write!(self.w, "<{name}>")?;
        escape(&mut self.w, value)?;
        writeln!(self.w, "</{name}>")
    }

    fn date(&mut self, name: &str, value: Option<Day>) -> io::Result<()> {
        match value {
            Some(d) => {
                self.indent()?;
                writeln!(self.w, "<{name}>{d}</{name}>")
            }
            None => Ok(()),
        }
    }

    fn boolean(&mut self, name: &str, value: Option<bool>) -> io::Result<()> {
        match value {
            Some(b) => {
                self.indent()?;
                writeln!(self.w, "<{name}>{b}</{name}>")
            }
            None => Ok(()),
        }
    }
}

/// Writes `s` as XML character data: `&`, `<`, `>` as entities, a carriage return as a character
/// reference (so that no parser turns it into a newline).
fn escape<W: Write>(w: &mut W, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    let mut from = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'\r' => b"&#13;",
            _ => continue,
        };
        w.write_all(&bytes[from..i])?;
        w.write_all(rep)?;
        from = i + 1;
    }
    w.write_all(&bytes[from..])
}

/// A character XML 1.0 can carry.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn check_text(ret: &CinReturn) -> Result<(), Error> {
    let check = |what: &str, child: &str, value: &str| -> Result<(), Error> {
        match value.chars().find(|&c| !xml_char(c)) {
            None => Ok(()),
            Some(c) => Err(invalid(format!(
                "{what} {value:?} of child {child:?} holds the character U+{:04X}, which XML 1.0 \
                 cannot carry",
                u32::from(c)
            ))),
        }
    };
    for c in &ret.children {
        check("LAchildID", &c.child, &c.child)?;
        check("UPN", &c.child, &c.upn)?;
        check("sex", &c.child, &c.sex)?;
        check("Ethnicity", &c.child, &c.ethnicity)?;
        for d in &c.disabilities {
            check("Disability", &c.child, d)?;
        }
    }
    for e in &ret.episodes {
        check("ReferralSource", &e.child, &e.referral_source)?;
        check("PrimaryNeedCode", &e.child, &e.primary_need)?;
        check("ReasonForClosure", &e.child, &e.reason_for_closure)?;
    }
    for a in &ret.assessments {
        for f in &a.factors {
            check("AssessmentFactors", &a.child, f)?;
        }
    }
    for p in &ret.plans {
        check("InitialCategoryOfAbuse", &p.child, &p.initial_category)?;
        check("LatestCategoryOfAbuse", &p.child, &p.latest_category)?;
    }
    Ok(())
}
