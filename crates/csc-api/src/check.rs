//! The work list of `check`: every data-quality entry of a load, graded by who can act on it, then
//! grouped by code, each code with how many entries and children it has and which measures it
//! touches. One model, three renderings ([`crate::render::text::check`],
//! [`crate::render::json::check`], [`crate::render::csv::check`]).
//!
//! # The rules (decided here; the spec is silent)
//!
//! * **Order.** Codes come by [`Grade`] (fix in the source system, then check what was loaded,
//!   then expected from the data you loaded), then in the order of [`IssueCode::ALL`]; a code's
//!   entries in load order. The entries whose code is [prominent](IssueCode::prominent) (a table
//!   that loads nothing, a return probably given the wrong year, a year that disagrees with its
//!   `ReferenceDate`) are also listed first of all, as [`WorkList::prominent`]: they make the
//!   other entries beside the point.
//! * **Children.** The distinct child identifiers of a code's entries.
//! * **Measures touched.** A measure is touched by a code when one of the code's children has a
//!   drill-down row of that measure (counted or excluded) over the financial year of the latest
//!   collection year loaded, the year a report would show. That takes one run of every measure,
//!   as `compute` does (with no collection year known, there is no such year, and no measure is
//!   listed for a child). The rule follows the child, not the record: an assessment authorised
//!   before it started touches the measures that count its child's referral that year. An entry
//!   without a child (a file that is no table, a table that loads
//!   nothing, a return given the wrong year, two returns for one year) touches every measure of
//!   the kind of return its file belongs to when its code is prominent or is `unknown_table` or
//!   `duplicate_collection_year`; any other entry without a child touches none in particular.
//! * **Where.** An entry keeps its location. An entry found after reading (by the merge) in an XML
//!   file has no element path of its own; it gets the path of its child's element, chosen by the
//!   child's identifier (`EXPSSDA903/CHILD[HEADER/CHILDID="A1"]`,
//!   `Message/Children/Child[ChildIdentifiers/LAchildID="A1"]`), which any XML tool finds.
//!
//! ```
//! use csc_api::{Request, check::WorkList, load};
//! use csc_measures::quality::Grade;
//! let req = Request::from_json(r#"{"sample": {"children": 300}}"#)?;
//! let loaded = load(&req.inputs, &|_| {})?;
//! let list = WorkList::new(&loaded);
//! assert_eq!(list.entries(), loaded.dataset.issues().len());
//! // Grades in order: every `source` code before every `loading` one, then `expected`.
//! let grades: Vec<Grade> = list.codes.iter().map(|c| c.code.grade()).collect();
//! assert!(grades.windows(2).all(|w| w[0] <= w[1]));
//! # Ok::<(), csc_measures::Error>(())
//! ```

use std::collections::{BTreeSet, HashMap, HashSet};

use csc_measures::MeasureId;
use csc_measures::quality::{Grade, Issue, IssueCode, Location};
use csc_measures::records::ReturnKind;

use crate::load::Loaded;
use crate::request::{Detail, PeriodSpec, Query};

/// One code of the work list.
#[derive(Clone, Debug)]
pub struct CodeGroup<'a> {
    /// The code.
    pub code: IssueCode,
    /// Its entries, in load order.
    pub entries: Vec<&'a Issue>,
    /// The distinct children of its entries.
    pub children: usize,
    /// The measures it touches, in registry order (see the [module docs](self)).
    pub measures: Vec<MeasureId>,
}

/// The work list of a load (see the [module docs](self)).
#[derive(Clone, Debug)]
pub struct WorkList<'a> {
    /// Every code with entries, by grade then code.
    pub codes: Vec<CodeGroup<'a>>,
    /// The entries of prominent codes, in load order: shown before everything else.
    pub prominent: Vec<&'a Issue>,
    /// The files whose entries get an element path by child (XML files), with their kind.
    xml: HashMap<&'a str, ReturnKind>,
}

impl<'a> WorkList<'a> {
    /// The work list of `loaded`.
    #[must_use]
    pub fn new(loaded: &'a Loaded) -> WorkList<'a> {
        let ds = &loaded.dataset;
        let issues = ds.issues();
        let mut by_code: Vec<(IssueCode, Vec<&Issue>)> = Vec::new();
        for i in issues {
            match by_code.iter_mut().find(|(c, _)| *c == i.code) {
                Some((_, list)) => list.push(i),
                None => by_code.push((i.code, vec![i])),
            }
        }
        let order = |c: IssueCode| {
            (
                c.grade(),
                IssueCode::ALL
                    .iter()
                    .position(|&x| x == c)
                    .unwrap_or(usize::MAX),
            )
        };
        by_code.sort_by_key(|(c, _)| order(*c));

        // The kind of return of each file.
        let mut kind_of: HashMap<&str, ReturnKind> = HashMap::new();
        for r in ds.returns() {
            for &f in &r.files {
                if let Some(name) = ds.files().get(f as usize) {
                    kind_of.insert(name, r.kind);
                }
            }
        }
        let mut xml: HashMap<&str, ReturnKind> = HashMap::new();
        for f in &loaded.files {
            let is_xml = f.table == csc_returns::cin::TABLE
                || std::path::Path::new(&*f.path)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("xml"));
            if is_xml {
                let kind = if f.table == csc_returns::cin::TABLE {
                    ReturnKind::Cin
                } else {
                    ReturnKind::Ssda903
                };
                xml.insert(&f.path, kind);
            }
        }

        let touched = touched_by_child(loaded, issues);
        let codes = by_code
            .into_iter()
            .map(|(code, entries)| {
                let children: HashSet<&str> =
                    entries.iter().filter_map(|i| i.child.as_deref()).collect();
                let mut measures: BTreeSet<MeasureId> = BTreeSet::new();
                for c in &children {
                    if let Some(m) = touched.get(c) {
                        measures.extend(m.iter().copied());
                    }
                }
                let whole = code.prominent()
                    || matches!(
                        code,
                        IssueCode::UnknownTable | IssueCode::DuplicateCollectionYear
                    );
                if whole {
                    for i in entries.iter().filter(|i| i.child.is_none()) {
                        let file = i.location.as_ref().and_then(|l| l.file.as_deref());
                        if let Some(kind) = file.and_then(|f| kind_of.get(f)) {
                            measures.extend(
                                MeasureId::ALL
                                    .iter()
                                    .filter(|m| m.spec().source == *kind)
                                    .copied(),
                            );
                        }
                    }
                }
                let mut measures: Vec<MeasureId> = measures.into_iter().collect();
                measures.sort_by_key(|m| MeasureId::ALL.iter().position(|x| x == m));
                CodeGroup {
                    code,
                    children: children.len(),
                    entries,
                    measures,
                }
            })
            .collect();
        let prominent = issues.iter().filter(|i| i.code.prominent()).collect();
        WorkList {
            codes,
            prominent,
            xml,
        }
    }

    /// How many entries it holds.
    #[must_use]
    pub fn entries(&self) -> usize {
        self.codes.iter().map(|c| c.entries.len()).sum()
    }

    /// The codes of one grade.
    pub fn of_grade(&self, grade: Grade) -> impl Iterator<Item = &CodeGroup<'a>> {
        self.codes.iter().filter(move |c| c.code.grade() == grade)
    }

    /// Where an entry stands, as the work list shows it: its location, with the element path of
    /// its child when it is in an XML file and has no path of its own.
    #[must_use]
    pub fn location(&self, i: &Issue) -> Option<Location> {
        let mut loc = i.location.clone()?;
        if loc.path.is_none() {
            let kind = loc.file.as_deref().and_then(|f| self.xml.get(f));
            if let (Some(kind), Some(child)) = (kind, i.child.as_deref()) {
                let id = child.replace('"', "&quot;");
                loc.path = Some(
                    match kind {
                        ReturnKind::Ssda903 => format!("EXPSSDA903/CHILD[HEADER/CHILDID=\"{id}\"]"),
                        ReturnKind::Cin => {
                            format!("Message/Children/Child[ChildIdentifiers/LAchildID=\"{id}\"]")
                        }
                    }
                    .into(),
                );
            }
        }
        Some(loc)
    }
}

/// For each child of an entry, the measures with a drill-down row of it over the financial year
/// of the latest collection year loaded (none when no year is known).
fn touched_by_child<'i>(
    loaded: &Loaded,
    issues: &'i [Issue],
) -> HashMap<&'i str, BTreeSet<MeasureId>> {
    let mut out: HashMap<&str, BTreeSet<MeasureId>> = issues
        .iter()
        .filter_map(|i| i.child.as_deref())
        .map(|c| (c, BTreeSet::new()))
        .collect();
    if out.is_empty() || loaded.dataset.latest_collection_year().is_none() {
        return out;
    }
    let query = Query {
        period: PeriodSpec::Latest,
        detail: Detail::Records,
        ..Query::default()
    };
    let Ok(response) = crate::run(&loaded.dataset, &query) else {
        return out;
    };
    for r in &response.results {
        for row in &r.rows {
            if let Some(set) = out.get_mut(row.child.as_str()) {
                set.insert(r.id);
            }
        }
    }
    out
}
