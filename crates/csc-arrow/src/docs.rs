//! What the columns of a drill-down table hold, as Arrow metadata: each measure's own words
//! ([`csc_measures::measure::RowDoc`]) on the schema and on its `record`, `value`, `start` and `end`
//! fields, so that a reader of the table (pandas, polars, any Arrow tool) finds them without the
//! docs.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::RecordBatch;
use arrow_schema::{Field, Schema};
use csc_measures::MeasureId;

/// The schema metadata key of a drill-down table ([`crate::results::records`]) that holds, as
/// JSON, what one row of each of its measures is and what its columns hold: an object by measure
/// id of `{"per", "record", "value", "start", "end"}` ([`csc_measures::json::row_doc`]).
pub const ROWS: &str = "csc_measures.rows";

/// The field metadata key of a drill-down column (`record`, `value`, `start`, `end`) that says
/// what it holds: the measure's own words when the table holds one measure, else a pointer to
/// [`ROWS`].
pub const DOC: &str = "csc_measures.doc";

/// `batch` (a drill-down table of the measures `ids`, repeats allowed) with the metadata that
/// says what its columns hold: [`ROWS`] on the schema, [`DOC`] on `record`, `value`, `start` and
/// `end`.
///
/// ```
/// use csc_measures::measure::{MeasureId, Options, compute};
/// use csc_measures::records::{Assessment, CinReturn};
/// use csc_measures::{DatasetBuilder, Period};
/// let mut ret = CinReturn::default();
/// ret.assessments.push(Assessment {
///     child: "A".into(),
///     start_date: Some("2023-06-05".parse()?),
///     authorisation_date: Some("2023-06-06".parse()?),
///     ..Assessment::default()
/// });
/// let ds = DatasetBuilder::new().cin(ret).build()?;
/// let r = compute(&ds, MeasureId::Assessments45wd, Period::financial_year(2024)?, &Options::default());
/// let t = csc_arrow::results::records(std::slice::from_ref(&r));
/// let end = t.schema().field_with_name("end")?.metadata()[csc_arrow::docs::DOC].clone();
/// assert_eq!(end, "`AssessmentAuthorisationDate`");
/// assert!(t.schema().metadata()[csc_arrow::docs::ROWS].contains("assessments_45wd"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[must_use]
pub fn with_row_docs(batch: RecordBatch, ids: impl IntoIterator<Item = MeasureId>) -> RecordBatch {
    let mut seen: Vec<MeasureId> = Vec::new();
    for id in ids {
        if !seen.contains(&id) {
            seen.push(id);
        }
    }
    let one = match seen.as_slice() {
        [id] => Some(id.spec().rows),
        _ => None,
    };
    let doc = |name: &str| -> Option<String> {
        let several = format!("what it holds differs by measure: see the schema metadata {ROWS}");
        let text = match (name, one) {
            ("record", Some(d)) => d.record.to_owned(),
            ("value", Some(d)) => d.value.to_owned(),
            ("start", Some(d)) => d.start.unwrap_or("empty for this measure").to_owned(),
            ("end", Some(d)) => d.end.unwrap_or("empty for this measure").to_owned(),
            ("record" | "value" | "start" | "end", None) => several,
            _ => return None,
        };
        Some(text)
    };
    let (schema, columns, _) = batch.into_parts();
    let fields: Vec<Field> = schema
        .fields()
        .iter()
        .map(|f| match doc(f.name()) {
            Some(text) => f
                .as_ref()
                .clone()
                .with_metadata(HashMap::from([(DOC.to_owned(), text)])),
            None => f.as_ref().clone(),
        })
        .collect();
    let meta = HashMap::from([(
        ROWS.to_owned(),
        csc_measures::json::row_docs(&seen).to_string(),
    )]);
    let schema = Arc::new(Schema::new(fields).with_metadata(meta));
    RecordBatch::try_new(schema, columns)
        .unwrap_or_else(|e| unreachable!("the same columns under the same types: {e}"))
}
