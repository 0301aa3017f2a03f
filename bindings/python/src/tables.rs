//! Results as tables: the Arrow record batches behind `Results`, `records()`, the load report, the
//! scorecard, the catalogue and the sample's returns, and [`PyTable`], the frozen class that holds
//! one and hands it to Python (`__arrow_c_stream__`, `to_pydict`).
//!
//! Columns whose values are nested objects of varying shape (`excluded`, `options`, `extras`) are
//! JSON text in Arrow, marked with the field metadata `csc_measures.json = true`; `to_pydict`
//! gives them as dicts.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, ListBuilder, StringBuilder,
    UInt32Builder, UInt64Builder,
};
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int64Type, UInt32Type, UInt64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use csc_measures::Day;
use csc_measures::quality::Issue;
use csc_measures::records::{CinReturn, Ssda903Return};
use csc_measures::report::Scorecard;
use csc_measures::result::MeasureResult;
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyDate, PyDict, PyList};
use serde_json::Value;

use crate::arrow_io::stream_capsule;

/// The field metadata key that marks a JSON text column.
const JSON: &str = "csc_measures.json";

/// Columns being assembled into a record batch.
#[derive(Default)]
pub struct Columns {
    fields: Vec<Field>,
    arrays: Vec<ArrayRef>,
}

impl Columns {
    fn push(&mut self, field: Field, array: ArrayRef) -> &mut Columns {
        self.fields.push(field);
        self.arrays.push(array);
        self
    }

    /// A text column.
    pub fn text<'a>(
        &mut self,
        name: &str,
        v: impl IntoIterator<Item = Option<&'a str>>,
    ) -> &mut Columns {
        let mut b = StringBuilder::new();
        for x in v {
            b.append_option(x);
        }
        self.push(Field::new(name, DataType::Utf8, true), Arc::new(b.finish()))
    }

    /// A JSON text column, given as dicts by `to_pydict`.
    pub fn json(&mut self, name: &str, v: impl IntoIterator<Item = Value>) -> &mut Columns {
        let mut b = StringBuilder::new();
        for x in v {
            b.append_value(x.to_string());
        }
        let meta = HashMap::from([(JSON.to_owned(), "true".to_owned())]);
        self.push(
            Field::new(name, DataType::Utf8, false).with_metadata(meta),
            Arc::new(b.finish()),
        )
    }

    /// A date column.
    pub fn date(&mut self, name: &str, v: impl IntoIterator<Item = Option<Day>>) -> &mut Columns {
        let mut b = Date32Builder::new();
        for x in v {
            b.append_option(x.map(Day::get));
        }
        self.push(
            Field::new(name, DataType::Date32, true),
            Arc::new(b.finish()),
        )
    }

    /// An unsigned count column.
    pub fn count(&mut self, name: &str, v: impl IntoIterator<Item = Option<u64>>) -> &mut Columns {
        let mut b = UInt64Builder::new();
        for x in v {
            b.append_option(x);
        }
        self.push(
            Field::new(name, DataType::UInt64, true),
            Arc::new(b.finish()),
        )
    }

    /// A line-number column.
    pub fn line(&mut self, name: &str, v: impl IntoIterator<Item = Option<u32>>) -> &mut Columns {
        let mut b = UInt32Builder::new();
        for x in v {
            b.append_option(x);
        }
        self.push(
            Field::new(name, DataType::UInt32, true),
            Arc::new(b.finish()),
        )
    }

    /// A signed integer column.
    pub fn int(&mut self, name: &str, v: impl IntoIterator<Item = Option<i64>>) -> &mut Columns {
        let mut b = Int64Builder::new();
        for x in v {
            b.append_option(x);
        }
        self.push(
            Field::new(name, DataType::Int64, true),
            Arc::new(b.finish()),
        )
    }

    /// A float column.
    pub fn float(&mut self, name: &str, v: impl IntoIterator<Item = Option<f64>>) -> &mut Columns {
        let mut b = Float64Builder::new();
        for x in v {
            b.append_option(x);
        }
        self.push(
            Field::new(name, DataType::Float64, true),
            Arc::new(b.finish()),
        )
    }

    /// A boolean column.
    pub fn flag(&mut self, name: &str, v: impl IntoIterator<Item = Option<bool>>) -> &mut Columns {
        let mut b = BooleanBuilder::new();
        for x in v {
            b.append_option(x);
        }
        self.push(
            Field::new(name, DataType::Boolean, true),
            Arc::new(b.finish()),
        )
    }

    /// A list-of-text column.
    pub fn list<I, S>(&mut self, name: &str, v: impl IntoIterator<Item = I>) -> &mut Columns
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut b = ListBuilder::new(StringBuilder::new());
        for row in v {
            for s in row {
                b.values().append_value(s);
            }
            b.append(true);
        }
        let array = b.finish();
        let field = Field::new(name, array.data_type().clone(), false);
        self.push(field, Arc::new(array))
    }

    /// A list-of-dates column.
    pub fn date_list<'a>(
        &mut self,
        name: &str,
        v: impl IntoIterator<Item = &'a [Day]>,
    ) -> &mut Columns {
        let mut b = ListBuilder::new(Date32Builder::new());
        for row in v {
            for d in row {
                b.values().append_value(d.get());
            }
            b.append(true);
        }
        let array = b.finish();
        let field = Field::new(name, array.data_type().clone(), false);
        self.push(field, Arc::new(array))
    }

    /// The record batch.
    pub fn finish(self) -> RecordBatch {
        let schema = Arc::new(Schema::new(self.fields));
        RecordBatch::try_new(schema, self.arrays).unwrap_or_else(|e| {
            unreachable!("columns are built with equal lengths and their own types: {e}")
        })
    }
}

/// One row per measure: the long format of results.
pub fn measures(results: &[MeasureResult]) -> RecordBatch {
    let j: Vec<Value> = results.iter().map(csc_measures::json::result).collect();
    let mut c = Columns::default();
    c.text("id", results.iter().map(|r| Some(r.id.as_str())))
        .text("title", results.iter().map(|r| Some(r.id.title())))
        .text("unit", results.iter().map(|r| Some(r.id.unit().as_str())))
        .text(
            "polarity",
            results.iter().map(|r| Some(r.id.polarity().as_str())),
        )
        .date(
            "period_start",
            results.iter().map(|r| Some(r.period.start())),
        )
        .date("period_end", results.iter().map(|r| Some(r.period.end())))
        .count("numerator", results.iter().map(|r| r.numerator))
        .count("denominator", results.iter().map(|r| r.denominator))
        .float("value", results.iter().map(|r| r.value))
        .json("excluded", j.iter().map(|m| m["excluded"].clone()))
        .list(
            "warnings",
            results
                .iter()
                .map(|r| r.warnings.iter().map(|w| w.as_str()).collect::<Vec<_>>()),
        )
        .json("extras", j.iter().map(|m| m["extras"].clone()))
        .json("options", j.iter().map(|m| m["options"].clone()));
    c.finish()
}

/// One row per record the measures looked at (spec 6), measure by measure.
pub fn records<'a, I>(results: &I) -> RecordBatch
where
    I: IntoIterator<Item = &'a MeasureResult> + Clone,
{
    let rows = || {
        results
            .clone()
            .into_iter()
            .flat_map(|r| r.rows.iter().map(move |row| (r.id.as_str(), row)))
    };
    let mut c = Columns::default();
    c.text("measure", rows().map(|(id, _)| Some(id)))
        .text("child", rows().map(|(_, r)| Some(r.child.as_str())))
        .date("record", rows().map(|(_, r)| r.record))
        .flag(
            "in_denominator",
            rows().map(|(_, r)| Some(r.in_denominator)),
        )
        .flag("in_numerator", rows().map(|(_, r)| Some(r.in_numerator)))
        .int("value", rows().map(|(_, r)| r.value))
        .text(
            "reason",
            rows().map(|(_, r)| r.reason.map(csc_measures::result::Reason::as_str)),
        );
    c.finish()
}

/// The load report: one row per data-quality entry.
pub fn issues(issues: &[Issue]) -> RecordBatch {
    fn loc(i: &Issue) -> Option<&csc_measures::quality::Location> {
        i.location.as_ref()
    }
    let mut c = Columns::default();
    c.text("code", issues.iter().map(|i| Some(i.code.as_str())))
        .text(
            "severity",
            issues.iter().map(|i| Some(i.code.severity().as_str())),
        )
        .text("child", issues.iter().map(|i| i.child.as_deref()))
        .date("record", issues.iter().map(|i| i.record))
        .text("message", issues.iter().map(|i| Some(i.message.as_str())))
        .text(
            "file",
            issues
                .iter()
                .map(|i| loc(i).and_then(|l| l.file.as_deref())),
        )
        .line("line", issues.iter().map(|i| loc(i).and_then(|l| l.line)))
        .text(
            "path",
            issues
                .iter()
                .map(|i| loc(i).and_then(|l| l.path.as_deref())),
        )
        .text(
            "column",
            issues
                .iter()
                .map(|i| loc(i).and_then(|l| l.column.as_deref())),
        )
        .text(
            "value",
            issues
                .iter()
                .map(|i| loc(i).and_then(|l| l.value.as_deref())),
        );
    c.finish()
}

/// The scorecard: one row per measure, this year and the previous one.
pub fn scorecard(card: &Scorecard) -> RecordBatch {
    let l = &card.lines;
    let mut c = Columns::default();
    c.text("id", l.iter().map(|x| Some(x.current.id.as_str())))
        .text("title", l.iter().map(|x| Some(x.current.id.title())))
        .text("unit", l.iter().map(|x| Some(x.current.id.unit().as_str())))
        .text(
            "polarity",
            l.iter().map(|x| Some(x.current.id.polarity().as_str())),
        )
        .date(
            "period_start",
            l.iter().map(|x| Some(x.current.period.start())),
        )
        .date("period_end", l.iter().map(|x| Some(x.current.period.end())))
        .float("value", l.iter().map(|x| x.current.value))
        .count("numerator", l.iter().map(|x| x.current.numerator))
        .count("denominator", l.iter().map(|x| x.current.denominator))
        .int("threshold", l.iter().map(|x| x.current.extras.threshold))
        .flag(
            "meets_threshold",
            l.iter().map(|x| x.current.extras.meets_threshold.flatten()),
        )
        .float("previous_value", l.iter().map(|x| x.previous.value))
        .count("previous_numerator", l.iter().map(|x| x.previous.numerator))
        .count(
            "previous_denominator",
            l.iter().map(|x| x.previous.denominator),
        )
        .text("direction", l.iter().map(|x| Some(x.direction.as_str())))
        .list(
            "warnings",
            l.iter().map(|x| {
                x.current
                    .warnings
                    .iter()
                    .map(|w| w.as_str())
                    .collect::<Vec<_>>()
            }),
        );
    c.finish()
}

/// The catalogue of measures.
pub fn catalogue() -> RecordBatch {
    use csc_measures::MeasureId;
    use csc_measures::result::ValueKind;
    let all = MeasureId::ALL;
    let kind = |m: &MeasureId| match m.value_kind() {
        ValueKind::Count => "count",
        ValueKind::Percentage => "percentage",
        ValueKind::MeanDays => "mean_days",
    };
    let mut c = Columns::default();
    c.text("id", all.iter().map(|m| Some(m.as_str())))
        .text("title", all.iter().map(|m| Some(m.title())))
        .text("unit", all.iter().map(|m| Some(m.unit().as_str())))
        .text("polarity", all.iter().map(|m| Some(m.polarity().as_str())))
        .text("value_kind", all.iter().map(|m| Some(kind(m))))
        .list("options", all.iter().map(|m| m.options().to_vec()));
    c.finish()
}

#[allow(clippy::unnecessary_wraps)] // the shape `Columns::text` takes
fn s(c: &compact_str::CompactString) -> Option<&str> {
    Some(c.as_str())
}

/// The tables of an SSDA903 return, with the return's column names and dates as dates.
pub fn ssda903_tables(r: &Ssda903Return) -> Vec<(&'static str, RecordBatch)> {
    let (h, e, a, p) = (&r.headers, &r.episodes, &r.ad1, &r.placed_adoption);
    let mut header = Columns::default();
    header
        .text("CHILD", h.iter().map(|x| s(&x.child)))
        .text("SEX", h.iter().map(|x| s(&x.sex)))
        .date("DOB", h.iter().map(|x| x.dob))
        .text("ETHNIC", h.iter().map(|x| s(&x.ethnic)))
        .text("UPN", h.iter().map(|x| s(&x.upn)))
        .text("MOTHER", h.iter().map(|x| s(&x.mother)))
        .date("MC_DOB", h.iter().map(|x| x.mc_dob));
    let mut episodes = Columns::default();
    episodes
        .text("CHILD", e.iter().map(|x| s(&x.child)))
        .date("DECOM", e.iter().map(|x| Some(x.decom)))
        .text("RNE", e.iter().map(|x| s(&x.rne)))
        .text("LS", e.iter().map(|x| s(&x.ls)))
        .text("CIN", e.iter().map(|x| s(&x.cin)))
        .text("PLACE", e.iter().map(|x| s(&x.place)))
        .text("PLACE_PROVIDER", e.iter().map(|x| s(&x.place_provider)))
        .date("DEC", e.iter().map(|x| x.dec))
        .text("REC", e.iter().map(|x| s(&x.rec)))
        .text(
            "REASON_PLACE_CHANGE",
            e.iter().map(|x| s(&x.reason_place_change)),
        )
        .text("HOME_POST", e.iter().map(|x| s(&x.home_post)))
        .text("PL_POST", e.iter().map(|x| s(&x.pl_post)))
        .text("URN", e.iter().map(|x| s(&x.urn)));
    let mut ad1 = Columns::default();
    ad1.text("CHILD", a.iter().map(|x| s(&x.child)))
        .date("DOB", a.iter().map(|x| x.dob))
        .date("DATE_INT", a.iter().map(|x| x.date_int))
        .date("DATE_MATCH", a.iter().map(|x| x.date_match))
        .text("FOSTER_CARE", a.iter().map(|x| s(&x.foster_care)))
        .text("NB_ADOPTR", a.iter().map(|x| s(&x.nb_adoptr)))
        .text("SEX_ADOPTR", a.iter().map(|x| s(&x.sex_adoptr)))
        .text("LS_ADOPTR", a.iter().map(|x| s(&x.ls_adoptr)));
    let mut placed = Columns::default();
    placed
        .text("CHILD", p.iter().map(|x| s(&x.child)))
        .date("DOB", p.iter().map(|x| x.dob))
        .date("DATE_PLACED", p.iter().map(|x| x.date_placed))
        .date("DATE_PLACED_CEASED", p.iter().map(|x| x.date_placed_ceased))
        .text(
            "REASON_PLACED_CEASED",
            p.iter().map(|x| s(&x.reason_placed_ceased)),
        );
    vec![
        ("Header", header.finish()),
        ("Episodes", episodes.finish()),
        ("AD1", ad1.finish()),
        ("PlacedAdoption", placed.finish()),
    ]
}

/// The tables of a CIN census return, with the census's element names; nested records carry
/// their episode's `CINreferralDate`.
pub fn cin_tables(r: &CinReturn) -> Vec<(&'static str, RecordBatch)> {
    let (ch, ep, a, s47, p) = (
        &r.children,
        &r.episodes,
        &r.assessments,
        &r.section47s,
        &r.plans,
    );
    let mut children = Columns::default();
    children
        .text("LAchildID", ch.iter().map(|x| s(&x.child)))
        .text("UPN", ch.iter().map(|x| s(&x.upn)))
        .date("PersonBirthDate", ch.iter().map(|x| x.birth_date))
        .date(
            "ExpectedPersonBirthDate",
            ch.iter().map(|x| x.expected_birth_date),
        )
        .text("Sex", ch.iter().map(|x| s(&x.sex)))
        .date("PersonDeathDate", ch.iter().map(|x| x.death_date))
        .text("Ethnicity", ch.iter().map(|x| s(&x.ethnicity)))
        .list("Disability", ch.iter().map(|x| x.disabilities.iter()));
    let mut details = Columns::default();
    details
        .text("LAchildID", ep.iter().map(|x| s(&x.child)))
        .date("CINreferralDate", ep.iter().map(|x| Some(x.referral_date)))
        .text("ReferralSource", ep.iter().map(|x| s(&x.referral_source)))
        .text("PrimaryNeedCode", ep.iter().map(|x| s(&x.primary_need)))
        .date("CINclosureDate", ep.iter().map(|x| x.closure_date))
        .text(
            "ReasonForClosure",
            ep.iter().map(|x| s(&x.reason_for_closure)),
        )
        .date("DateOfInitialCPC", ep.iter().map(|x| x.initial_cpc_date))
        .flag("ReferralNFA", ep.iter().map(|x| x.referral_nfa));
    let mut assessments = Columns::default();
    assessments
        .text("LAchildID", a.iter().map(|x| s(&x.child)))
        .date(
            "CINreferralDate",
            a.iter().map(|x| Some(x.episode_referral_date)),
        )
        .date("AssessmentActualStartDate", a.iter().map(|x| x.start_date))
        .date(
            "AssessmentInternalReviewDate",
            a.iter().map(|x| x.internal_review_date),
        )
        .date(
            "AssessmentAuthorisationDate",
            a.iter().map(|x| x.authorisation_date),
        )
        .list("AssessmentFactors", a.iter().map(|x| x.factors.iter()));
    let mut section47 = Columns::default();
    section47
        .text("LAchildID", s47.iter().map(|x| s(&x.child)))
        .date(
            "CINreferralDate",
            s47.iter().map(|x| Some(x.episode_referral_date)),
        )
        .date("S47ActualStartDate", s47.iter().map(|x| x.start_date))
        .date("InitialCPCtarget", s47.iter().map(|x| x.icpc_target_date))
        .date("DateOfInitialCPC", s47.iter().map(|x| x.icpc_date))
        .flag("ICPCnotRequired", s47.iter().map(|x| x.icpc_not_required));
    let mut plans = Columns::default();
    plans
        .text("LAchildID", p.iter().map(|x| s(&x.child)))
        .date(
            "CINreferralDate",
            p.iter().map(|x| Some(x.episode_referral_date)),
        )
        .date("CPPstartDate", p.iter().map(|x| x.start_date))
        .date("CPPendDate", p.iter().map(|x| x.end_date))
        .text(
            "InitialCategoryOfAbuse",
            p.iter().map(|x| s(&x.initial_category)),
        )
        .text(
            "LatestCategoryOfAbuse",
            p.iter().map(|x| s(&x.latest_category)),
        )
        .count(
            "NumberOfPreviousCPP",
            p.iter().map(|x| x.previous_plans.map(u64::from)),
        )
        .date_list("CPPreviewDate", p.iter().map(|x| x.review_dates.as_slice()));
    let mut header = Columns::default();
    header.date("ReferenceDate", [r.source.reference_date]);
    vec![
        ("Header", header.finish()),
        ("ChildIdentifiers", children.finish()),
        ("CINdetails", details.finish()),
        ("Assessments", assessments.finish()),
        ("Section47", section47.finish()),
        ("ChildProtectionPlans", plans.finish()),
    ]
}

/// An immutable Arrow table: what `Results.records()`, `Dataset.load_report` and the other
/// tables of the module are. Python reads it through `__arrow_c_stream__` (pyarrow, polars,
/// pandas) or `to_pydict`.
#[pyclass(name = "Table", module = "csc_measures._native", frozen)]
pub struct PyTable {
    batch: RecordBatch,
}

impl PyTable {
    /// A table holding `batch`.
    pub fn new(batch: RecordBatch) -> PyTable {
        PyTable { batch }
    }
}

fn is_json(f: &Field) -> bool {
    f.metadata().get(JSON).is_some_and(|v| v == "true")
}

/// A JSON value as the Python object `json.loads` would give.
pub fn json_to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else {
                n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any()
            }
        }
        Value::String(s) => s.into_pyobject(py)?.into_any(),
        Value::Array(a) => {
            let l = PyList::empty(py);
            for x in a {
                l.append(json_to_py(py, x)?)?;
            }
            l.into_any()
        }
        Value::Object(m) => {
            let d = PyDict::new(py);
            for (k, x) in m {
                d.set_item(k, json_to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

/// A date as a Python `datetime.date`.
pub fn date_to_py(py: Python<'_>, d: Day) -> PyResult<Bound<'_, PyAny>> {
    let (y, m, dd) = d.to_ymd();
    Ok(PyDate::new(py, y, m as u8, dd as u8)?.into_any())
}

/// One column as a Python list.
fn column_to_py<'py>(
    py: Python<'py>,
    field: &Field,
    a: &dyn Array,
) -> PyResult<Bound<'py, PyList>> {
    let out = PyList::empty(py);
    let none = || py.None().into_bound(py);
    match a.data_type() {
        DataType::Utf8 => {
            let s = a.as_string::<i32>();
            let json = is_json(field);
            for i in 0..s.len() {
                if s.is_null(i) {
                    out.append(none())?;
                } else if json {
                    let v: Value = serde_json::from_str(s.value(i)).unwrap_or(Value::Null);
                    out.append(json_to_py(py, &v)?)?;
                } else {
                    out.append(s.value(i))?;
                }
            }
        }
        DataType::Date32 => {
            let d = a.as_primitive::<Date32Type>();
            for i in 0..d.len() {
                match d.is_valid(i).then(|| Day::new(d.value(i)).ok()).flatten() {
                    Some(day) => out.append(date_to_py(py, day)?)?,
                    None => out.append(none())?,
                }
            }
        }
        DataType::UInt64 => {
            let v = a.as_primitive::<UInt64Type>();
            for i in 0..v.len() {
                out.append(v.is_valid(i).then(|| v.value(i)))?;
            }
        }
        DataType::UInt32 => {
            let v = a.as_primitive::<UInt32Type>();
            for i in 0..v.len() {
                out.append(v.is_valid(i).then(|| v.value(i)))?;
            }
        }
        DataType::Int64 => {
            let v = a.as_primitive::<Int64Type>();
            for i in 0..v.len() {
                out.append(v.is_valid(i).then(|| v.value(i)))?;
            }
        }
        DataType::Float64 => {
            let v = a.as_primitive::<Float64Type>();
            for i in 0..v.len() {
                out.append(v.is_valid(i).then(|| v.value(i)))?;
            }
        }
        DataType::Boolean => {
            let v = a.as_boolean();
            for i in 0..v.len() {
                out.append(v.is_valid(i).then(|| v.value(i)))?;
            }
        }
        DataType::List(item) => {
            let l = a.as_list::<i32>();
            for i in 0..l.len() {
                if l.is_null(i) {
                    out.append(none())?;
                } else {
                    out.append(column_to_py(py, item, l.value(i).as_ref())?)?;
                }
            }
        }
        other => unreachable!("the module builds no {other} column"),
    }
    Ok(out)
}

#[pymethods]
impl PyTable {
    /// The number of rows.
    #[getter]
    fn num_rows(&self) -> usize {
        self.batch.num_rows()
    }

    /// The column names, in order.
    #[getter]
    fn column_names(&self) -> Vec<String> {
        self.batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect()
    }

    /// The type of each column: `utf8`, `json`, `date32`, `uint64`, `uint32`, `int64`, `float64`,
    /// `bool`, `list<utf8>` or `list<date32>`.
    #[getter]
    fn column_types(&self) -> Vec<String> {
        self.batch
            .schema()
            .fields()
            .iter()
            .map(|f| type_name(f).to_owned())
            .collect()
    }

    /// The columns as a dict of lists (dates as `datetime.date`, JSON columns as dicts).
    fn to_pydict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        let schema = self.batch.schema();
        for (f, a) in schema.fields().iter().zip(self.batch.columns()) {
            d.set_item(f.name(), column_to_py(py, f, a.as_ref())?)?;
        }
        Ok(d)
    }

    /// Rows `offset..offset + length` (clamped to the table), without copying.
    fn slice(&self, offset: usize, length: usize) -> PyTable {
        let n = self.batch.num_rows();
        let offset = offset.min(n);
        PyTable::new(self.batch.slice(offset, length.min(n - offset)))
    }

    fn __len__(&self) -> usize {
        self.batch.num_rows()
    }

    /// The table as an Arrow C stream (the Arrow `PyCapsule` interface). The requested schema, if
    /// any, is ignored, as the interface allows: the table has one schema.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let schema: SchemaRef = self.batch.schema();
        stream_capsule(py, schema, self.batch.clone())
    }
}

fn type_name(f: &Field) -> &'static str {
    match f.data_type() {
        DataType::Utf8 if is_json(f) => "json",
        DataType::Utf8 => "utf8",
        DataType::Date32 => "date32",
        DataType::UInt64 => "uint64",
        DataType::UInt32 => "uint32",
        DataType::Int64 => "int64",
        DataType::Float64 => "float64",
        DataType::Boolean => "bool",
        DataType::List(item) if item.data_type() == &DataType::Date32 => "list<date32>",
        DataType::List(_) => "list<utf8>",
        _ => "other",
    }
}
