//! `csc_catalog_json`: what the library knows, made from the declarations themselves (the
//! measures' specs, the options as data, the table schema), so a new measure, option, table or
//! field is documented to C without C code.

use std::ffi::c_char;

use csc_measures::measure::{MeasureId, OptionDef, OptionKind, Window, options};
use csc_measures::schema::{self, DateRole, FieldKind, FieldSchema, TableSchema};
use serde_json::{Value, json};

use crate::arg;
use crate::status::{csc_status, guard};
use crate::text;

/// The window as `{"years": N}`: the N financial years to 31 March of the scorecard's year.
fn window(w: Window) -> Value {
    let years = match w {
        Window::Year => 1,
        Window::Years(n) => n,
    };
    json!({ "years": years })
}

fn measure(id: MeasureId) -> Value {
    let s = id.spec();
    json!({
        "id": s.id,
        "title": s.title,
        "unit": s.unit.as_str(),
        "polarity": s.polarity.as_str(),
        "value_kind": s.value_kind.as_str(),
        "source": s.source.as_str(),
        "window": window(s.window),
        "options": s.options.iter().map(|d| d.key).collect::<Vec<_>>(),
    })
}

fn option(d: &OptionDef) -> Value {
    let read_by: Vec<&str> = d.read_by().map(MeasureId::as_str).collect();
    let choices = match d.kind {
        OptionKind::Choice(words) => json!(words),
        OptionKind::Whole { .. } | OptionKind::Thresholds => Value::Null,
    };
    json!({
        "key": d.key,
        "doc": d.doc,
        "values": d.kind.describe(),
        "choices": choices,
        "default": d.default,
        "read_by": read_by,
    })
}

/// A field kind's word, and its code list when it has one.
fn kind(k: FieldKind) -> (&'static str, &'static [&'static str]) {
    match k {
        FieldKind::Child => ("child", &[]),
        FieldKind::ParentKey => ("parent_key", &[]),
        FieldKind::Text => ("text", &[]),
        FieldKind::Code { list, .. } => ("code", list),
        FieldKind::Postcode => ("postcode", &[]),
        FieldKind::Date(DateRole::Required(_)) => ("required_date", &[]),
        FieldKind::Date(DateRole::Row) => ("date", &[]),
        FieldKind::Date(DateRole::Child) => ("child_date", &[]),
        FieldKind::Flag(_) => ("flag", &[]),
        FieldKind::Count => ("count", &[]),
        FieldKind::Score(_) => ("score", &[]),
        FieldKind::Codes(list) => ("codes", list),
        FieldKind::Dates => ("dates", &[]),
    }
}

fn field(f: &FieldSchema) -> Value {
    let (word, codes) = kind(f.kind);
    let max = match f.kind {
        FieldKind::Score(max) => json!(max),
        _ => Value::Null,
    };
    json!({
        "name": f.name,
        "column": f.column,
        "also": f.also,
        "xml": f.xml,
        "kind": word,
        "required": f.is_required(),
        "codes": codes,
        "max": max,
        "doc": f.doc,
    })
}

fn table(t: &TableSchema) -> Value {
    json!({
        "name": t.name,
        "family": t.family.as_str(),
        "aliases": t.aliases,
        "doc": t.doc,
        "fields": t.fields.iter().map(field).collect::<Vec<_>>(),
    })
}

/// The catalogue as JSON.
#[must_use]
pub fn catalog() -> Value {
    json!({
        "measures": MeasureId::ALL.iter().map(|&m| measure(m)).collect::<Vec<_>>(),
        "options": options::OPTIONS.iter().map(|d| option(d)).collect::<Vec<_>>(),
        "tables": schema::TABLES.iter().map(|t| table(t)).collect::<Vec<_>>(),
    })
}

/// What the library knows, as one JSON object (UTF-8, written compactly), made from the
/// declarations of the measures, the options and the tables, so that it is never out of date:
///
/// ```text
/// {"measures": [{"id", "title", "unit", "polarity", "value_kind",
///                "source": "cin"|"ssda903",            the return it reads
///                "window": {"years": N},               the scorecard's period: the N financial
///                                                      years to 31 March
///                "options": ["KEY", ...]}, ...],       the options it reads
///  "options":  [{"key", "doc", "values",               the values it takes, for people
///                "choices": ["WORD", ...] | null,      the words, when it is a choice
///                "default", "read_by": ["ID", ...]}, ...],
///  "tables":   [{"name", "family": "cin"|"ssda903", "aliases": [...], "doc",
///                "fields": [{"name",                   the field's name (the golden corpus's)
///                            "column",                 the official column: csc_builder_add_row's
///                            "also": [...],            other names it is read under
///                            "xml",                    the XML element path ("" when none)
///                            "kind",                   child, parent_key, text, code, postcode,
///                                                      date, required_date, child_date, flag,
///                                                      count, score, codes, dates
///                            "required",               a blank makes the row unusable
///                            "codes": [...],           the published codes, when checked
///                            "max": N | null,          a score's greatest value
///                            "doc"}, ...]}, ...]}
/// ```
///
/// The measures are in the spec's order (`csc_measure_id`), the options are the keys of
/// `csc_options_set` and of the JSON request's `"options"`, the tables those of
/// `csc_builder_add_row` and `csc_builder_add_arrow`. Free `*out` with `csc_string_free`.
///
/// # Safety
///
/// `out` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn csc_catalog_json(out: *mut *mut c_char) -> csc_status {
    guard(|| {
        // SAFETY: the caller's promise.
        let out = unsafe { arg::out(out, "out") }?;
        out.set(text::give(&catalog().to_string()));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_lists_every_declaration() {
        let c = catalog();
        assert_eq!(
            c["measures"].as_array().unwrap().len(),
            MeasureId::ALL.len()
        );
        assert_eq!(
            c["options"].as_array().unwrap().len(),
            options::OPTIONS.len()
        );
        assert_eq!(c["tables"].as_array().unwrap().len(), schema::TABLES.len());
        let a1 = &c["measures"][MeasureId::ALL
            .iter()
            .position(|&m| m == MeasureId::AdoptionA1)
            .unwrap()];
        assert_eq!(a1["window"]["years"], 3);
        assert_eq!(a1["source"], "ssda903");
        let unit = c["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["key"] == "unit")
            .unwrap();
        assert!(
            unit["read_by"]
                .as_array()
                .unwrap()
                .contains(&json!("cpp_repeat_2y"))
        );
        assert_eq!(unit["choices"], json!(["plans", "children"]));
    }
}
