//! The JSON shape of results, the one every surface gives: the `compute` command, the C ABI's
//! `csc_compute_json`, Python's `to_json()`, the JSON columns of the Arrow tables.
//!
//! ```text
//! {"period": {"start": "2023-04-01", "end": "2024-03-31"},
//!  "measures": [{"id": "...", "title": "...", "unit": "...", "polarity": "higher|lower|neither",
//!                "numerator": n|null, "denominator": n|null, "value": x|null,
//!                "options": {...}, "excluded": {"reason": n}, "warnings": ["..."], "extras": {...}}],
//!  "data_quality": [{"code": "...", "severity": "...", "child": "...", "record": "YYYY-MM-DD",
//!                    "message": "...", "file": "...", "line": n, "column": "...", "value": "..."}]}
//! ```
//!
//! Counts, numerators, denominators, day sums and rounded means are integers; percentages, `mean` and
//! quartiles are floats; absent values are `null` (spec 1.4).

use serde_json::{Map, Value, json};

use crate::day::Day;
use crate::period::Period;
use crate::quality::Issue;
use crate::result::{Extra, MeasureResult, Reason, ValueKind};

fn day(d: Option<Day>) -> Value {
    d.map_or(Value::Null, |d| Value::String(d.to_string()))
}

fn float(x: Option<f64>) -> Value {
    x.and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

/// The period as `{"start": ..., "end": ...}`.
#[must_use]
pub fn period(p: Period) -> Value {
    json!({"start": p.start().to_string(), "end": p.end().to_string()})
}

/// A result's value as JSON (spec 1.4): a float for percentages and means, an integer for
/// counts and mean days, null when absent.
#[must_use]
pub fn value(r: &MeasureResult) -> Value {
    match r.value_kind() {
        ValueKind::Percentage | ValueKind::Mean => float(r.value),
        ValueKind::Count | ValueKind::MeanDays => r.value.map_or(Value::Null, |v| json!(v as i64)),
    }
}

/// One result, in the shape above (without its drill-down rows).
#[must_use]
pub fn result(r: &MeasureResult) -> Value {
    let value = value(r);
    json!({
        "id": r.id.as_str(),
        "title": crate::measure::options::title(r.id, &r.options),
        "unit": r.unit.as_str(),
        "polarity": r.id.polarity().as_str(),
        "period": period(r.period),
        "numerator": r.numerator,
        "denominator": r.denominator,
        "value": value,
        "options": options(r),
        "excluded": excluded(r),
        "warnings": r.warnings.iter().map(|w| w.as_str()).collect::<Vec<_>>(),
        "extras": extras(r),
    })
}

/// The options the result was computed with, as an object: whole numbers as JSON numbers, the
/// rest as strings.
#[must_use]
pub fn options(r: &MeasureResult) -> Value {
    Value::Object(
        r.options
            .iter()
            .map(|(k, v)| {
                let v = v
                    .parse::<u64>()
                    .map_or_else(|_| Value::String(v.clone()), |n| json!(n));
                ((*k).to_owned(), v)
            })
            .collect(),
    )
}

/// The exclusions, as an object of reason → count.
#[must_use]
pub fn excluded(r: &MeasureResult) -> Value {
    Value::Object(
        r.excluded
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), json!(v)))
            .collect(),
    )
}

/// The extras, as an object of name → [`extra`].
#[must_use]
pub fn extras(r: &MeasureResult) -> Value {
    Value::Object(
        r.extras
            .iter()
            .map(|(k, e)| ((*k).to_owned(), extra(e)))
            .collect(),
    )
}

/// One extra, by its kind: counts an object of integers, quartiles `{p25, median, p75}`, numbers
/// and flags as themselves, absent values `null`.
#[must_use]
pub fn extra(e: &Extra) -> Value {
    match e {
        Extra::Counts(v) => {
            Value::Object(v.iter().map(|(k, n)| ((*k).to_owned(), json!(n))).collect())
        }
        Extra::Quartiles(q) => {
            json!({"p25": float(q.p25), "median": float(q.median), "p75": float(q.p75)})
        }
        Extra::Int(n) => json!(n),
        Extra::Float(x) => float(*x),
        Extra::Flag(b) => json!(b),
        Extra::Floats(v) => Value::Object(
            v.iter()
                .map(|(k, x)| ((*k).to_owned(), float(*x)))
                .collect(),
        ),
        Extra::Null => Value::Null,
    }
}

/// One data-quality entry.
#[must_use]
pub fn issue(i: &Issue) -> Value {
    let loc = i.location.as_ref();
    json!({
        "code": i.code.as_str(),
        "severity": i.code.severity().as_str(),
        "child": i.child.as_deref(),
        "record": day(i.record),
        "message": i.message,
        "file": loc.and_then(|l| l.file.as_deref()),
        "line": loc.and_then(|l| l.line),
        "path": loc.and_then(|l| l.path.as_deref()),
        "column": loc.and_then(|l| l.column.as_deref()),
        "value": loc.and_then(|l| l.value.as_deref()),
    })
}

/// What one drill-down row of measure `id` is and what its columns hold
/// ([`MeasureSpec::rows`](crate::measure::MeasureSpec::rows)): `{"per", "record", "value",
/// "start", "end"}`, texts, `start` and `end` null when the measure leaves them empty.
///
/// ```
/// use csc_measures::MeasureId;
/// let doc = csc_measures::json::row_doc(MeasureId::Assessments45wd);
/// assert_eq!(doc["end"], "`AssessmentAuthorisationDate`");
/// assert!(csc_measures::json::row_doc(MeasureId::Referrals)["start"].is_null());
/// ```
#[must_use]
pub fn row_doc(id: crate::MeasureId) -> Value {
    let d = id.spec().rows;
    json!({"per": d.per, "record": d.record, "value": d.value, "start": d.start, "end": d.end})
}

/// [`row_doc`] of each measure of `ids`, as an object by measure id, in the order given.
#[must_use]
pub fn row_docs(ids: &[crate::MeasureId]) -> Value {
    Value::Object(
        ids.iter()
            .map(|&id| (id.as_str().to_owned(), row_doc(id)))
            .collect(),
    )
}

/// The drill-down rows of every result, as objects with the columns of the `--records` CSV (spec
/// 6, then the dates `start` and `end` of [`row_doc`]), and, `with_period` (a series, where a measure has a result per period), each row's
/// `period_start` and `period_end` after `measure`.
#[must_use]
pub fn records(results: &[MeasureResult], with_period: bool) -> Value {
    let rows: Vec<Value> = results
        .iter()
        .flat_map(|r| {
            r.rows.iter().map(move |x| {
                let mut m = Map::new();
                m.insert("measure".into(), json!(r.id.as_str()));
                if with_period {
                    m.insert("period_start".into(), json!(r.period.start().to_string()));
                    m.insert("period_end".into(), json!(r.period.end().to_string()));
                }
                m.insert("child".into(), json!(x.child.as_str()));
                m.insert("record".into(), day(x.record));
                m.insert("in_denominator".into(), json!(x.in_denominator));
                m.insert("in_numerator".into(), json!(x.in_numerator));
                m.insert("value".into(), json!(x.value));
                m.insert("reason".into(), json!(x.reason.map(Reason::as_str)));
                m.insert("start".into(), day(x.start));
                m.insert("end".into(), day(x.end));
                Value::Object(m)
            })
        })
        .collect();
    Value::Array(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::result::Quartiles;

    #[test]
    fn extras_are_json_by_their_kind() {
        let text = |e: Extra| extra(&e).to_string();
        assert_eq!(
            text(Extra::Counts(vec![("a\"b", 1), ("c", 0)])),
            r#"{"a\"b":1,"c":0}"#
        );
        let q = Quartiles {
            p25: Some(1.0),
            median: Some(2.5),
            p75: None,
        };
        assert_eq!(
            text(Extra::Quartiles(q)),
            r#"{"p25":1.0,"median":2.5,"p75":null}"#
        );
        assert_eq!(text(Extra::Int(Some(-3))), "-3");
        assert_eq!(text(Extra::Int(None)), "null");
        assert_eq!(text(Extra::Float(Some(5.0))), "5.0");
        assert_eq!(text(Extra::Float(Some(1e20))), "1e+20");
        assert_eq!(
            text(Extra::Float(Some(0.475_805_300_471_047_24))),
            "0.47580530047104724"
        );
        assert_eq!(text(Extra::Float(Some(f64::NAN))), "null");
        assert_eq!(text(Extra::Flag(Some(true))), "true");
        assert_eq!(text(Extra::Flag(None)), "null");
    }
}
