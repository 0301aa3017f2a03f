//! The CIN census XML: [`read_xml`] (and [`read_xml_from`]) into a [`CinReturn`], [`write_xml`]
//! back out.
//!
//! # The file
//!
//! One `Message` per collection year (element names are the DfE's; the records, their fields and
//! paths are the schema's, [`csc_measures::schema::cin`]):
//!
//! ```text
//! Message
//!   Header/CollectionDetails/(Collection, Year, ReferenceDate)
//!   Children/Child*
//!     ChildIdentifiers/(LAchildID, UPN, PersonBirthDate, ExpectedPersonBirthDate,
//!                       GenderCurrent | Sex, PersonDeathDate)
//!     ChildCharacteristics/(Ethnicity, Disabilities/Disability*)
//!     CINdetails*/(CINreferralDate, ReferralSource, PrimaryNeedCode, CINclosureDate,
//!                  ReasonForClosure, DateOfInitialCPC, ReferralNFA,
//!                  CINPlanDates*/(CINPlanStartDate, CINPlanEndDate),
//!                  Assessments*/(AssessmentActualStartDate, AssessmentInternalReviewDate,
//!                                AssessmentAuthorisationDate,
//!                                FactorsIdentifiedAtAssessment/AssessmentFactors*),
//!                  Section47*/(S47ActualStartDate, InitialCPCtarget, DateOfInitialCPC,
//!                              ICPCnotRequired),
//!                  ChildProtectionPlans*/(CPPstartDate, CPPendDate, InitialCategoryOfAbuse,
//!                                         LatestCategoryOfAbuse, NumberOfPreviousCPP,
//!                                         Reviews/CPPreviewDate*))
//! ```
//!
//! The reader takes the fields of a record in any order and matches elements by their local name,
//! so a namespace prefix (`<cin:Child>`) or a default namespace changes nothing; attributes are
//! checked for well-formedness and otherwise ignored. It also takes these variants, found in files
//! in use: `GenderCurrent` (before 2024) or `Sex` (from 2024); the factors of an assessment in
//! `FactorsIdentifiedAtAssessment` (the DfE's name), `AssessmentFactorsList`, or directly in
//! `Assessments`; review dates in `Reviews` or directly in `ChildProtectionPlans`; child fields in
//! `ChildIdentifiers`, `ChildCharacteristics` or directly in `Child`; `Disability` with or without
//! its `Disabilities` wrapper. A UTF-8 byte order mark, an XML declaration, comments, processing
//! instructions, CDATA sections and character references are all read as XML says, and so are the
//! five entities XML predefines (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`). No other entity is
//! ever expanded: a reference to one, even one a DOCTYPE declares, makes the file an error (as in
//! the SSDA903 XML reader), never a value kept as the literal `&name;`.
//!
//! Elements the records do not model are ignored with everything in them: `Header/Source`,
//! `Collection`, `FormerUPN`, `UPNunknown`, `PreProceedingsandFGDM` (2026), and any element the DfE
//! adds later. `Year` is read only to be compared with the `ReferenceDate` (below).
//!
//! A record element (`Child`, `CINdetails`, `Assessments`, `Section47`, `ChildProtectionPlans`,
//! `CINPlanDates`) met outside its place (an `Assessments` directly in `Child`, a `Child` outside
//! `Children` or inside an unknown wrapper, a `CINdetails` in `ChildIdentifiers`) is not read,
//! with everything in it; it is never dropped without a word. Decided here: it is one
//! `unknown_table` entry (an element the census does not have in that place; strict mode stops
//! there) at the outermost such element, with its line and element path
//! (`Message/Children/Child[1]/Assessments`), naming where it belongs and counting the record
//! elements inside it; each of them counts as a skipped row in the [`FileReport`]. An entry inside
//! a `Child` names the child and goes with the record it stands in (like every issue found inside
//! a skipped element, it is not reported when that record is skipped).
//!
//! # Reading rules (spec section 2, 2.4)
//!
//! The reader finds the records and their fields; each record then goes through the core's row
//! rules ([`csc_measures::rows`]), the same for every format. Every text is trimmed; codes are kept
//! as they stand (the [`csc_measures::DatasetBuilder`] normalises them and reports unknown codes,
//! `AssessmentFactors` included). Dates are `YYYY-M-D`; booleans (`ReferralNFA`,
//! `ICPCnotRequired`) `true`/`false`/`1`/`0` in any case; `NumberOfPreviousCPP` a non-negative whole
//! number. Then:
//!
//! * A `Child` without a `LAchildID` (absent or blank) is skipped with everything nested in it:
//!   one `missing_identifier` issue, whose message counts the nested records.
//! * A `CINdetails` without a readable `CINreferralDate` is skipped with everything nested in it:
//!   `missing_identifier` when the date is absent or blank, `unreadable_date` when it is not a date.
//! * Any other unreadable date of a `CINdetails`, `Assessments`, `Section47` or
//!   `ChildProtectionPlans` makes that element unusable: it is skipped with its nested content,
//!   with one `unreadable_date` issue (located at the first unreadable date; the message names the
//!   others).
//! * An unreadable child-level date (`PersonBirthDate`, `ExpectedPersonBirthDate`,
//!   `PersonDeathDate`) is blanked with an `unreadable_date` issue; the child is kept.
//! * An unreadable `CPPreviewDate` drops that review date with an `unreadable_date` issue and keeps
//!   the plan (a review is a row of its own in the DfE's tables, not a field of the plan); a blank
//!   one is no review (`missing_key_date`, spec 2.4).
//! * A boolean that is not one of its words is unknown (`None`) with an `unknown_code` issue (spec
//!   2.4); an unreadable `NumberOfPreviousCPP` is unknown with an `unreadable_value` issue; the
//!   record is kept. A blank one is unknown without an issue.
//! * A blank date stays blank (`None`). A blank `Disability` or `AssessmentFactors` is no code.
//! * Decided here (the spec is silent): a single-valued field given twice in one element keeps the
//!   first value, with an `unreadable_value` issue when the second differs; text standing between
//!   the elements of a known container (outside any field, as in `</UPNunknown>PersonBirthDate`)
//!   is ignored with an `unreadable_value` issue. Both are dropped with their element when it is
//!   skipped, like every issue found inside a skipped element.
//!
//! Decided here too, all warnings that keep the record as it stands (the measures apply their own
//! exclusions): a record that ends before it starts (`CINclosureDate` before `CINreferralDate`,
//! `AssessmentAuthorisationDate` before `AssessmentActualStartDate`, `CPPendDate` before
//! `CPPstartDate`, `CINPlanEndDate` before `CINPlanStartDate`) is `reversed_dates`; a date after
//! the census's end (the earlier of its `ReferenceDate` and the 31 March that ends its collection
//! year; `ExpectedPersonBirthDate` and `InitialCPCtarget` are rightly later) is
//! `date_after_return_end`, one entry per record naming its other such dates (judged when the
//! `Header` comes before `Children`, as it does in the DfE's layout); a `Year` that is not the
//! collection year of the `ReferenceDate`, or a year given by the caller that is not, is
//! `year_mismatch` (the return is read as the caller's year, else the `ReferenceDate`'s).
//!
//! Each issue names the child and the record's key date when known, and a [`Location`] with the
//! file, the line (1-based) where the element at fault starts (the field's element for a field, the
//! record's element when the field is absent), the path of the record
//! (`Message/Children/Child[3]/CINdetails[1]/Assessments[2]`, 1-based among same-named siblings),
//! the column (the field's element name) and the trimmed value. The issues of one `Child` come in
//! line order, the children in file order. Each record's [`RowOrigin`] is file 0 and the line where
//! its element starts.
//!
//! In strict mode ([`ReadOptions::strict`]) the read stops at the first issue that
//! [stops strict mode](csc_measures::quality::IssueCode::stops_strict) (a skipped record, a blanked
//! date), with [`Issue::strict_error`](csc_measures::quality::Issue::strict_error): the same location
//! and detail; warnings never stop it.
//! XML that is not well-formed (a mismatched or missing end tag, an unknown entity, text that is not
//! UTF-8, a root element other than `Message`) is an [`ErrorKind::InvalidInput`] error with the
//! line, in both modes; an I/O failure is an [`ErrorKind::Io`] error naming the file.
//!
//! The reader streams: one pass, linear time (in the records of one child too), and memory bounded
//! by the largest single `Child` (its records are buffered until its end, since its `LAchildID` may
//! come last) plus fixed buffers. Each piece of input the reader hands out (a `BufRead` buffer) is
//! parsed where it lies: the plain tags that make up nearly all of a census (`<Name>`, `</Name>`,
//! `<Name/>`, with a name of ASCII letters, digits, `_`, `-` and `.`) are read directly, and any
//! other markup (attributes, namespace prefixes, comments, CDATA, references, declarations) with
//! [`quick_xml`]'s borrowed events, end tags checked against the open elements as quick-xml checks
//! them; markup that a piece ends inside is copied, with the piece after it, and read there. Lines
//! are counted only as far as one is needed (where an element starts, an entry, an error). Text is
//! streamed, never held whole: text in
//! elements the records do not model costs nothing, and a field keeps at most 64 KiB of its
//! value. Decided here: a longer value (no field of the census comes near it) is not read, with an
//! `unreadable_value` entry at its element (line, path, column, its first characters), and the
//! field is taken as not given (so a `LAchildID` that long also skips its `Child`). A single tag,
//! comment, CDATA section, processing instruction, DOCTYPE or reference longer than 1 MiB, which
//! the XML parser would have to hold whole, is an [`ErrorKind::InvalidInput`] error naming its
//! line, and so are elements nested more than 100,000 deep.
//!
//! [`Location`]: csc_measures::quality::Location
//! [`RowOrigin`]: csc_measures::records::RowOrigin
//! [`ReadOptions::strict`]: crate::ReadOptions::strict
//! [`ErrorKind::DataQuality`]: csc_measures::ErrorKind::DataQuality
//! [`ErrorKind::InvalidInput`]: csc_measures::ErrorKind::InvalidInput
//! [`ErrorKind::Io`]: csc_measures::ErrorKind::Io
//!
//! ```
//! use csc_returns::{ReadOptions, cin};
//! let xml = r#"<Message><Children><Child>
//!   <ChildIdentifiers><LAchildID>C1</LAchildID><PersonBirthDate>2015-3-27</PersonBirthDate></ChildIdentifiers>
//!   <CINdetails><CINreferralDate>2023-06-01</CINreferralDate><ReferralNFA>TRUE</ReferralNFA></CINdetails>
//! </Child></Children></Message>"#;
//! let read = cin::read_xml_from("a.xml".into(), xml.as_bytes(), &ReadOptions::default())?;
//! assert_eq!(read.ret.children[0].birth_date.unwrap().to_string(), "2015-03-27");
//! assert_eq!(read.ret.episodes[0].referral_nfa, Some(true));
//! assert!(read.issues.is_empty());
//!
//! let mut out = Vec::new();
//! cin::write_xml(&read.ret, &mut out)?;
//! let again = cin::read_xml_from("b.xml".into(), out.as_slice(), &ReadOptions::default())?;
//! assert_eq!(again.ret.episodes[0].referral_date, read.ret.episodes[0].referral_date);
//! # Ok::<(), csc_measures::Error>(())
//! ```
//!
//! A record element out of its place is reported, not lost:
//!
//! ```
//! use csc_returns::{ReadOptions, cin};
//! let xml = "<Message><Children><Child><LAchildID>C1</LAchildID>
//!   <Assessments><AssessmentActualStartDate>2023-07-03</AssessmentActualStartDate></Assessments>
//! </Child></Children></Message>";
//! let read = cin::read_xml_from("a.xml".into(), xml.as_bytes(), &ReadOptions::default())?;
//! assert!(read.ret.assessments.is_empty());
//! assert_eq!(read.issues[0].code.as_str(), "unknown_table");
//! let at = read.issues[0].location.as_ref().unwrap();
//! assert_eq!(at.path.as_deref(), Some("Message/Children/Child[1]/Assessments"));
//! assert_eq!((read.files[0].rows, read.files[0].skipped), (2, 1));
//! # Ok::<(), csc_measures::Error>(())
//! ```
//!
//! [`FileReport`]: crate::FileReport
//! [`CinReturn`]: csc_measures::records::CinReturn

mod read;
mod write;

pub(crate) use read::{MAX_DEPTH, MAX_MARKUP, MAX_VALUE};
pub use read::{read_xml, read_xml_from};
pub use write::write_xml;

/// The table name of a CIN census file in [`crate::FileReport::table`].
pub const TABLE: &str = "CIN census";
