//! The catalogues as tables, made from the declarations: the measures (each measure's `SPEC`), the
//! options ([`OPTIONS`]) and the tables of the returns ([`TABLES`]). Every surface documents
//! itself from these.
//!
//! ```
//! let m = csc_arrow::catalogue::measures();
//! assert_eq!(m.num_rows(), csc_measures::MeasureId::ALL.len());
//! let o = csc_arrow::catalogue::options();
//! assert_eq!(o.schema().field(0).name(), "key");
//! let s = csc_arrow::catalogue::schema();
//! assert!(s.num_rows() > 100);
//! ```

use csc_measures::MeasureId;
use csc_measures::measure::Window;
use csc_measures::measure::options::OPTIONS;
use csc_measures::schema::{DateRole, FieldKind, TABLES};

use arrow_array::RecordBatch;

use crate::results::Columns;

/// A field kind's name in the schema catalogue: `child`, `parent_key`, `text`, `code`,
/// `postcode`, `date`, `required_date`, `child_date`, `flag`, `count`, `score`, `codes` or
/// `dates`.
#[must_use]
pub const fn kind_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Child => "child",
        FieldKind::ParentKey => "parent_key",
        FieldKind::Text => "text",
        FieldKind::Code { .. } => "code",
        FieldKind::Postcode => "postcode",
        FieldKind::Date(DateRole::Row) => "date",
        FieldKind::Date(DateRole::Required(_)) => "required_date",
        FieldKind::Date(DateRole::Child) => "child_date",
        FieldKind::Flag(_) => "flag",
        FieldKind::Count => "count",
        FieldKind::Score(_) => "score",
        FieldKind::Codes(_) => "codes",
        FieldKind::Dates => "dates",
    }
}

/// A scorecard window's name: `year`, or `years:N` for the N financial years to 31 March.
#[must_use]
pub fn window_name(w: Window) -> String {
    match w {
        Window::Year => "year".to_owned(),
        Window::Years(n) => format!("years:{n}"),
    }
}

/// The measures, in registry order: `id`, `title`, `unit`, `polarity`, `value_kind` (`count`,
/// `percentage`, `mean_days`), `source` (the return it reads: `cin`, `ssda903`), `window` (the
/// period a scorecard uses: [`window_name`]), `options` (the keys of the options it reads), then
/// what one drill-down row is (`row`) and what its `record`, `value`, `start` and `end` hold
/// (`row_record`, `row_value`, `row_start`, `row_end`; the dates null when the measure leaves
/// them empty).
///
/// ```
/// let m = csc_arrow::catalogue::measures();
/// let names: Vec<String> = m.schema().fields().iter().map(|f| f.name().clone()).collect();
/// assert_eq!(&names[8..], ["row", "row_record", "row_value", "row_start", "row_end"]);
/// ```
#[must_use]
pub fn measures() -> RecordBatch {
    let all = MeasureId::ALL;
    let rows = || all.iter().map(|m| m.spec().rows);
    let windows: Vec<String> = all.iter().map(|m| window_name(m.spec().window)).collect();
    let mut c = Columns::default();
    c.text("id", all.iter().map(|m| Some(m.as_str())))
        .text("title", all.iter().map(|m| Some(m.title())))
        .text("unit", all.iter().map(|m| Some(m.unit().as_str())))
        .text("polarity", all.iter().map(|m| Some(m.polarity().as_str())))
        .text(
            "value_kind",
            all.iter().map(|m| Some(m.value_kind().as_str())),
        )
        .text("source", all.iter().map(|m| Some(m.spec().source.as_str())))
        .text("window", windows.iter().map(|w| Some(w.as_str())))
        .list("options", all.iter().map(|m| m.options()))
        .text("row", rows().map(|d| Some(d.per)))
        .text("row_record", rows().map(|d| Some(d.record)))
        .text("row_value", rows().map(|d| Some(d.value)))
        .text("row_start", rows().map(|d| d.start))
        .text("row_end", rows().map(|d| d.end));
    c.finish()
}

/// The options, in the spec's order: `key`, `doc` (one line), `values` (the values it takes, for
/// people), `default`, `read_by` (the measures that read it, in registry order).
#[must_use]
pub fn options() -> RecordBatch {
    let values: Vec<String> = OPTIONS.iter().map(|d| d.kind.describe()).collect();
    let read_by = OPTIONS
        .iter()
        .map(|d| d.read_by().map(MeasureId::as_str).collect::<Vec<_>>());
    let mut c = Columns::default();
    c.text("key", OPTIONS.iter().map(|d| Some(d.key)))
        .text("doc", OPTIONS.iter().map(|d| Some(d.doc)))
        .text("values", values.iter().map(|v| Some(v.as_str())))
        .text("default", OPTIONS.iter().map(|d| Some(d.default)))
        .list("read_by", read_by);
    c.finish()
}

/// The tables of the returns, one row per field, in the schema's order: `table` (its name in
/// frames), `family` (`cin`, `ssda903`), `rows` (the field of the return that holds its rows, as
/// the golden corpus names it), `aliases` (other names the table is read under), `field` (the
/// field's Rust name, as the golden corpus names it), `column` (the official column: CSV header,
/// Arrow column), `xml` (the element path in the XML form, empty when none), `kind`
/// ([`kind_name`]) and `doc`.
#[must_use]
pub fn schema() -> RecordBatch {
    let fields = || {
        TABLES
            .iter()
            .flat_map(|t| t.fields.iter().map(move |f| (*t, f)))
    };
    let mut c = Columns::default();
    c.text("table", fields().map(|(t, _)| Some(t.name)))
        .text("family", fields().map(|(t, _)| Some(t.family.as_str())))
        .text("rows", fields().map(|(t, _)| Some(t.rows)))
        .list("aliases", fields().map(|(t, _)| t.aliases.iter()))
        .text("field", fields().map(|(_, f)| Some(f.name)))
        .text("column", fields().map(|(_, f)| Some(f.column)))
        .text("xml", fields().map(|(_, f)| Some(f.xml)))
        .text("kind", fields().map(|(_, f)| Some(kind_name(f.kind))))
        .text("doc", fields().map(|(_, f)| Some(f.doc)));
    c.finish()
}
