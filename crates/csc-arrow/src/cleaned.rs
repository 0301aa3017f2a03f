//! The cleaned SSDA903 care tables ([`csc_measures::cleaned`]) as Arrow record batches: the care
//! episodes after the repairs, the periods of care and the placements, the tables a reader filters
//! to check a drill-down row by hand (Python's `Dataset.care_episodes()`, `periods_of_care()`,
//! `placements()`).
//!
//! Text is `utf8` (blank as the empty string), dates `date32` (null when blank), numbers `int64`,
//! flags `bool`. Each field carries what it holds under the metadata key
//! [`DOC`]; the schema carries what one row is under [`TABLE`].
//!
//! ```
//! use csc_measures::cleaned::CleanedTable;
//! let ds = csc_synth::dataset(&csc_synth::Config { children: 300, ..Default::default() })?;
//! let t = csc_arrow::cleaned::table(&ds, CleanedTable::Placements);
//! assert_eq!(t.num_rows(), CleanedTable::Placements.of(&ds).rows());
//! assert_eq!(t.schema().field(3).name(), "start");
//! # Ok::<(), csc_measures::Error>(())
//! ```

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Date32Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use csc_measures::Dataset;
use csc_measures::cleaned::{Cells, CleanedTable, Table};

use crate::docs::DOC;

/// The schema metadata key that says what one row of a cleaned table is.
pub const TABLE: &str = "csc_measures.table";

/// The cleaned table `which` of `ds`.
#[must_use]
pub fn table(ds: &Dataset, which: CleanedTable) -> RecordBatch {
    batch(&which.of(ds))
}

/// A cleaned table (all of it, or the rows [`Table::overlapping`] a period keeps) as a record
/// batch.
#[must_use]
pub fn batch(t: &Table<'_>) -> RecordBatch {
    let which = t.table;
    let mut fields = Vec::with_capacity(t.columns.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(t.columns.len());
    for c in &t.columns {
        let (ty, array): (DataType, ArrayRef) = match &c.cells {
            Cells::Text(v) => {
                let mut b = StringBuilder::new();
                for s in v {
                    b.append_value(s);
                }
                (DataType::Utf8, Arc::new(b.finish()))
            }
            Cells::Date(v) => {
                let mut b = Date32Builder::with_capacity(v.len());
                for d in v {
                    b.append_option(d.map(csc_measures::Day::get));
                }
                (DataType::Date32, Arc::new(b.finish()))
            }
            Cells::Int(v) => {
                let mut b = Int64Builder::with_capacity(v.len());
                for n in v {
                    b.append_option(*n);
                }
                (DataType::Int64, Arc::new(b.finish()))
            }
            Cells::Flag(v) => {
                let mut b = BooleanBuilder::with_capacity(v.len());
                for &x in v {
                    b.append_value(x);
                }
                (DataType::Boolean, Arc::new(b.finish()))
            }
        };
        let nullable = matches!(c.cells, Cells::Date(_) | Cells::Int(_));
        fields.push(
            Field::new(c.name, ty, nullable)
                .with_metadata(HashMap::from([(DOC.to_owned(), c.doc.to_owned())])),
        );
        arrays.push(array);
    }
    let meta = HashMap::from([(TABLE.to_owned(), which.describe().to_owned())]);
    RecordBatch::try_new(Arc::new(Schema::new(fields).with_metadata(meta)), arrays)
        .unwrap_or_else(|e| unreachable!("columns of equal lengths and their own types: {e}"))
}
