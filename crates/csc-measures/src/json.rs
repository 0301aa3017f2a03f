//! The JSON shape of results, shared by the `compute` command, the C ABI and the Python module.
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
use crate::result::{MeasureResult, RecordRow, ValueKind};

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

/// One result, in the shape above (without its drill-down rows).
#[must_use]
pub fn result(r: &MeasureResult) -> Value {
    let value = match r.value_kind() {
        ValueKind::Percentage => float(r.value),
        ValueKind::Count | ValueKind::MeanDays => r.value.map_or(Value::Null, |v| json!(v as i64)),
    };
    let options: Map<String, Value> = r
        .options
        .iter()
        .map(|(k, v)| ((*k).to_owned(), option_value(v)))
        .collect();
    let excluded: Map<String, Value> = r
        .excluded
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), json!(v)))
        .collect();
    json!({
        "id": r.id.as_str(),
        "title": r.id.title(),
        "unit": r.id.unit().as_str(),
        "polarity": r.id.polarity().as_str(),
        "period": period(r.period),
        "numerator": r.numerator,
        "denominator": r.denominator,
        "value": value,
        "options": options,
        "excluded": excluded,
        "warnings": r.warnings.iter().map(|w| w.as_str()).collect::<Vec<_>>(),
        "extras": extras(r),
    })
}

/// Whole-number options are JSON numbers; the rest strings.
fn option_value(v: &str) -> Value {
    v.parse::<u64>()
        .map_or_else(|_| Value::String(v.to_owned()), |n| json!(n))
}

fn extras(r: &MeasureResult) -> Value {
    let e = &r.extras;
    let mut m = Map::new();
    if let Some(b) = &e.bands {
        let bands: Map<String, Value> =
            b.iter().map(|(k, n)| ((*k).to_owned(), json!(n))).collect();
        m.insert("bands".into(), Value::Object(bands));
    }
    if let Some(q) = e.quartiles {
        m.insert(
            "quartiles".into(),
            json!({"p25": float(q.p25), "median": float(q.median), "p75": float(q.p75)}),
        );
    }
    if e.mean.is_some() || r.value_kind() == ValueKind::MeanDays {
        m.insert("mean".into(), float(e.mean));
    }
    if let Some(t) = e.threshold {
        m.insert("threshold".into(), json!(t));
    }
    if let Some(meets) = e.meets_threshold {
        m.insert("meets_threshold".into(), json!(meets));
    }
    if let Some(d) = &e.placements_distribution {
        let dist: Map<String, Value> = d.iter().map(|(k, n)| ((*k).to_owned(), json!(n))).collect();
        m.insert("placements_distribution".into(), Value::Object(dist));
    }
    Value::Object(m)
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

/// The whole response: the period, the results and the data-quality entries.
#[must_use]
pub fn response(period_: Period, results: &[MeasureResult], issues: &[Issue]) -> Value {
    json!({
        "period": period(period_),
        "measures": results.iter().map(result).collect::<Vec<_>>(),
        "data_quality": issues.iter().map(issue).collect::<Vec<_>>(),
    })
}

/// The drill-down rows of every result, as objects with the columns of the `--records` CSV.
#[must_use]
pub fn records(results: &[MeasureResult]) -> Value {
    let rows: Vec<Value> = results
        .iter()
        .flat_map(|r| {
            r.rows.iter().map(|x| {
                json!({
                    "measure": r.id.as_str(),
                    "child": x.child.as_str(),
                    "record": day(x.record),
                    "in_denominator": x.in_denominator,
                    "in_numerator": x.in_numerator,
                    "value": x.value,
                    "reason": x.reason.map(crate::result::Reason::as_str),
                })
            })
        })
        .collect();
    Value::Array(rows)
}

/// The drill-down CSV header of `--records`.
pub const RECORDS_HEADER: &str = "measure,child,record,in_denominator,in_numerator,value,reason";

/// Writes the drill-down rows of `results` as CSV (header first; dates ISO; booleans true/false).
pub fn write_records_csv(
    results: &[MeasureResult],
    w: &mut impl std::io::Write,
) -> std::io::Result<()> {
    writeln!(w, "{RECORDS_HEADER}")?;
    for r in results {
        for row in &r.rows {
            write_row(r.id.as_str(), row, w)?;
        }
    }
    Ok(())
}

fn write_row(id: &str, row: &RecordRow, w: &mut impl std::io::Write) -> std::io::Result<()> {
    let child = csv_field(&row.child);
    let record = row.record.map(|d| d.to_string()).unwrap_or_default();
    let value = row.value.map(|v| v.to_string()).unwrap_or_default();
    let reason = row
        .reason
        .map(crate::result::Reason::as_str)
        .unwrap_or_default();
    writeln!(
        w,
        "{id},{child},{record},{},{},{value},{reason}",
        row.in_denominator, row.in_numerator
    )
}

/// Quotes a CSV field when it needs it.
#[must_use]
pub fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        std::borrow::Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::{MeasureId, Options, compute};
    use crate::records::{Assessment, CinReturn};
    use crate::{DatasetBuilder, Period};

    #[test]
    fn json_types_follow_spec_1_4() {
        let mut ret = CinReturn::default();
        ret.source.collection_year = Some(2024);
        ret.assessments.push(Assessment {
            child: "A,1".into(),
            start_date: Some("2023-06-05".parse().unwrap()),
            authorisation_date: Some("2023-06-06".parse().unwrap()),
            ..Assessment::default()
        });
        let ds = DatasetBuilder::new().cin(ret).build().unwrap();
        let p = Period::financial_year(2024).unwrap();
        let a = compute(&ds, MeasureId::Assessments45wd, p, &Options::default());
        let c = compute(&ds, MeasureId::InAssessmentAtEnd, p, &Options::default());
        let j = response(p, &[a.clone(), c], ds.issues());
        assert_eq!(j["period"]["start"], "2023-04-01");
        let m = &j["measures"][0];
        assert!(m["value"].is_f64() && m["numerator"].is_u64());
        assert_eq!(m["value"], 100.0);
        assert_eq!(m["options"]["assessment_limit_wd"], 45);
        assert_eq!(m["extras"]["bands"]["1-10"], 1);
        let keys: Vec<&String> = m["extras"]["bands"].as_object().unwrap().keys().collect();
        assert_eq!(keys[0], "same_day");
        assert_eq!(m["extras"]["quartiles"]["median"], 1.0);
        let count = &j["measures"][1];
        assert!(count["value"].is_u64());
        assert!(count["denominator"].is_null());
        let mut out = Vec::new();
        write_records_csv(&[a], &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "measure,child,record,in_denominator,in_numerator,value,reason\nassessments_45wd,\"A,1\",2023-06-05,true,true,1,\n"
        );
    }
}
