//! The JSON documents of a response and of `check`. The shape of each result, extra and
//! data-quality entry is the core's ([`csc_measures::json`]), re-exported here.

use serde_json::{Map, Value, json};

pub use csc_measures::json::{
    excluded, extra, extras, issue, options, period, records, result, value,
};
use csc_measures::quality::Issue;

use crate::run::Response;

/// The whole response: the period, the results and the data-quality entries, and the drill-down
/// rows when the query asked for them. A series adds `"series"`, `"periods"` and `"rows"` (the long
/// table of [`series_rows`]); its `"period"` runs from the first period's start to the last's end,
/// and each result carries its own.
#[must_use]
pub fn response(r: &Response, issues: &[Issue]) -> Value {
    response_with(r, issues, r.detail == crate::request::Detail::Records)
}

/// [`response`], with the drill-down rows exactly when `records` (a surface that kept the rows for
/// another use, a CSV file or a table, may leave them out of the JSON).
#[must_use]
pub fn response_with(r: &Response, issues: &[Issue], records: bool) -> Value {
    let mut m = Map::new();
    m.insert("period".into(), period(r.span));
    if let Some(s) = r.series {
        m.insert("series".into(), Value::String(s.to_string()));
        m.insert(
            "periods".into(),
            Value::Array(r.periods.iter().map(|&p| period(p)).collect()),
        );
    }
    m.insert(
        "measures".into(),
        Value::Array(r.results.iter().map(result).collect()),
    );
    if r.series.is_some() {
        m.insert("rows".into(), series_rows(&r.results));
    }
    m.insert(
        "data_quality".into(),
        Value::Array(issues.iter().map(issue).collect()),
    );
    if records {
        m.insert(
            "records".into(),
            self::records(&r.results, r.series.is_some()),
        );
    }
    Value::Object(m)
}

/// The long table of a series as JSON: one object per result with the keys of
/// [`crate::render::csv::series`] (`warnings` an array, null for null), in column order.
#[must_use]
pub fn series_rows(results: &[csc_measures::MeasureResult]) -> Value {
    use csc_measures::flat::{Cell, FlatTable};
    let flat = FlatTable::of(results);
    let rows = results
        .iter()
        .zip(&flat.cells)
        .map(|(r, cells)| {
            let mut m = Map::new();
            m.insert("measure".into(), r.id.as_str().into());
            m.insert("unit".into(), r.unit.as_str().into());
            m.insert("period_start".into(), r.period.start().to_string().into());
            m.insert("period_end".into(), r.period.end().to_string().into());
            m.insert("numerator".into(), json!(r.numerator));
            m.insert("denominator".into(), json!(r.denominator));
            m.insert("value".into(), value(r));
            m.insert(
                "warnings".into(),
                r.warnings
                    .iter()
                    .map(|w| w.as_str())
                    .collect::<Vec<_>>()
                    .into(),
            );
            for (c, cell) in flat.columns.iter().zip(cells) {
                let v = match *cell {
                    Cell::Int(n) => json!(n),
                    Cell::Float(x) => json!(x),
                    Cell::Flag(b) => json!(b),
                    Cell::Null => Value::Null,
                };
                m.insert(c.name.clone(), v);
            }
            Value::Object(m)
        })
        .collect();
    Value::Array(rows)
}

/// What `csc-measures series --format json` gives: [`response_with`] without the per-result
/// objects, so the series, its periods, the long table (`"rows"`, see [`series_rows`]) and the
/// data-quality entries (the C ABI's response to a series request holds the same and
/// `"measures"`).
#[must_use]
pub fn series(r: &Response, issues: &[Issue]) -> Value {
    let mut v = response_with(r, issues, false);
    if let Some(m) = v.as_object_mut() {
        m.shift_remove("measures");
    }
    v
}

/// What `check --format json` gives: what each file held (`files`), what was loaded after the
/// merge (`loaded`), every data-quality entry in load order (`data_quality`, exactly as every
/// surface gives them), then the work list ([`crate::check`]): `prominent`, the entries to read
/// first (each with its `grade`, at the work list's location: an entry the merge found in an XML
/// file gets its child's element path), and `work_list`, one object per grade (`grade`, `label`,
/// `entries`, `codes`), each code with its `code`, `severity`, `description`, `entries`,
/// `children` and `measures` (ids).
///
/// ```
/// use csc_api::{Request, load, render};
/// let req = Request::from_json(r#"{"sample": {"children": 300}}"#)?;
/// let loaded = load(&req.inputs, &|_| {})?;
/// let j = render::json::check(&loaded);
/// assert_eq!(j["work_list"][0]["grade"], "source");
/// assert_eq!(j["work_list"][2]["label"], "expected from the data you loaded");
/// assert_eq!(j["data_quality"].as_array().unwrap().len(), loaded.dataset.issues().len());
/// # Ok::<(), csc_measures::Error>(())
/// ```
#[must_use]
pub fn check(loaded: &crate::load::Loaded) -> Value {
    use csc_measures::quality::Grade;
    let list = crate::check::WorkList::new(loaded);
    let entry = |i: &Issue| {
        let mut located = i.clone();
        located.location = list.location(i);
        let mut v = issue(&located);
        if let Some(m) = v.as_object_mut() {
            m.insert("grade".into(), i.code.grade().as_str().into());
        }
        v
    };
    let ds = &loaded.dataset;
    let files: Vec<Value> = loaded
        .files
        .iter()
        .map(|f| json!({"path": &*f.path, "table": f.table, "rows": f.rows, "skipped": f.skipped}))
        .collect();
    let s = ds.summary();
    let grades: Vec<Value> = Grade::ALL
        .iter()
        .map(|&g| {
            let codes: Vec<Value> = list
                .of_grade(g)
                .map(|c| {
                    json!({
                        "code": c.code.as_str(),
                        "severity": c.code.severity().as_str(),
                        "description": c.code.description(),
                        "entries": c.entries.len(),
                        "children": c.children,
                        "measures": c.measures.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
                    })
                })
                .collect();
            json!({
                "grade": g.as_str(),
                "label": g.label(),
                "entries": list.of_grade(g).map(|c| c.entries.len()).sum::<usize>(),
                "codes": codes,
            })
        })
        .collect();
    json!({
        "files": files,
        "loaded": {
            "children": s.children, "cin_episodes": s.cin_episodes,
            "assessments": s.assessments, "section47s": s.section47s,
            "cp_plans": s.cp_plans, "care_episodes": s.care_episodes,
            "periods_of_care": s.periods_of_care, "placements": s.placements,
        },
        "data_quality": ds.issues().iter().map(issue).collect::<Vec<_>>(),
        "prominent": list.prominent.iter().map(|i| entry(i)).collect::<Vec<_>>(),
        "work_list": grades,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use csc_measures::measure::{MeasureId, Options, compute};
    use csc_measures::records::{Assessment, CinReturn};
    use csc_measures::{DatasetBuilder, Period};

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
        let r = Response {
            periods: vec![p],
            series: None,
            results: vec![a.clone(), c],
            detail: crate::request::Detail::Counts,
            span: p,
        };
        let j = response(&r, ds.issues());
        assert!(j.get("records").is_none() && j.get("series").is_none());
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
        super::super::csv::records(&[a], false, &mut out).unwrap();
        let series = Response {
            series: Some(crate::Series::new("quarters", p.start(), p.end()).unwrap()),
            detail: crate::request::Detail::Records,
            ..r
        };
        let rows = response(&series, &[])["records"].clone();
        let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "measure",
                "period_start",
                "period_end",
                "child",
                "record",
                "in_denominator",
                "in_numerator",
                "value",
                "reason",
                "start",
                "end"
            ]
        );
        assert_eq!(rows[0]["period_end"], "2024-03-31");
        // The dates that check the value by hand: one working day from start to end.
        assert_eq!(
            (&rows[0]["start"], &rows[0]["end"]),
            (&json!("2023-06-05"), &json!("2023-06-06"))
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "measure,child,record,in_denominator,in_numerator,value,reason,start,end\nassessments_45wd,\"A,1\",2023-06-05,true,true,1,,2023-06-05,2023-06-06\n"
        );
    }
}
