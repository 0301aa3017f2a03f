//! Returns out as tables: one Arrow record batch per table of a return, made from the
//! [schema](csc_measures::schema), with the tables' names and the official column names, so that
//! [`crate::read`] reads them back into the same return.
//!
//! A column's Arrow type follows its field's [`FieldKind`]:
//!
//! | kind | Arrow type |
//! | --- | --- |
//! | child identifier | `utf8`, not null |
//! | text, code, postcode | `utf8` (a blank value is the empty string) |
//! | required date, the CIN episode's `CINreferralDate` of a nested record | `date32`, not null |
//! | other dates | `date32`, null when blank |
//! | flag | `bool`, null when unknown |
//! | count, score | `int64`, null when unknown (signed, so that a frame can fill it with -1) |
//! | set of codes | `list<utf8>`, not null |
//! | set of dates | `list<date32>`, not null |
//!
//! ```
//! use csc_measures::records::{CareEpisode, Ssda903Return};
//! let mut r = Ssda903Return::default();
//! r.episodes.push(CareEpisode { child: "A".into(), decom: "2023-05-01".parse()?, ..Default::default() });
//! let tables = csc_arrow::ssda903_tables(&r);
//! assert_eq!(tables[1].0, "Episodes");
//! assert_eq!(tables[1].1.num_rows(), 1);
//! assert_eq!(tables[1].1.schema().field(1).name(), "DECOM");
//! # Ok::<(), csc_measures::Error>(())
//! ```

use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, FieldRef as ArrowFieldRef, Schema};
use csc_measures::Day;
use csc_measures::records::{CinReturn, ReturnSource, Ssda903Return};
use csc_measures::schema::{
    DateRole, FieldKind, FieldRef, FieldSchema, Record, TableSchema, VisitRows,
};

use crate::input::REFERENCE_DATE;

/// The name of the CIN census header table that [`cin_tables`] gives first.
pub const CIN_HEADER: &str = "Header";

fn item(dt: DataType) -> ArrowFieldRef {
    Arc::new(Field::new_list_field(dt, true))
}

/// The Arrow field of a field of the schema: its official column name, and its type by its kind
/// (see the [module docs](self)).
#[must_use]
pub fn arrow_field(f: &FieldSchema) -> Field {
    let (dt, nullable) = match f.kind {
        FieldKind::Child => (DataType::Utf8, false),
        FieldKind::Text | FieldKind::Code { .. } | FieldKind::Postcode => (DataType::Utf8, true),
        FieldKind::ParentKey | FieldKind::Date(DateRole::Required(_)) => (DataType::Date32, false),
        FieldKind::Date(_) => (DataType::Date32, true),
        FieldKind::Flag(_) => (DataType::Boolean, true),
        FieldKind::Count | FieldKind::Score(_) => (DataType::Int64, true),
        FieldKind::Codes(_) => (DataType::List(item(DataType::Utf8)), false),
        FieldKind::Dates => (DataType::List(item(DataType::Date32)), false),
    };
    Field::new(f.column, dt, nullable)
}

/// The Arrow schema of a table: one field per field of the table, in order.
#[must_use]
pub fn schema_of(table: &TableSchema) -> Schema {
    Schema::new(table.fields.iter().map(arrow_field).collect::<Vec<_>>())
}

/// The Arrow schema of the CIN census header table: its `ReferenceDate`.
#[must_use]
pub fn cin_header_schema() -> Schema {
    Schema::new(vec![Field::new(REFERENCE_DATE, DataType::Date32, true)])
}

/// One column being built.
enum Builder {
    Text(StringBuilder),
    Date(Date32Builder),
    Flag(BooleanBuilder),
    Int(Int64Builder),
    Codes(ListBuilder<StringBuilder>),
    Dates(ListBuilder<Date32Builder>),
}

impl Builder {
    fn new(f: &FieldSchema, rows: usize) -> Builder {
        match f.kind {
            FieldKind::Child | FieldKind::Text | FieldKind::Code { .. } | FieldKind::Postcode => {
                Builder::Text(StringBuilder::with_capacity(rows, rows * 4))
            }
            FieldKind::ParentKey | FieldKind::Date(_) => {
                Builder::Date(Date32Builder::with_capacity(rows))
            }
            FieldKind::Flag(_) => Builder::Flag(BooleanBuilder::with_capacity(rows)),
            FieldKind::Count | FieldKind::Score(_) => {
                Builder::Int(Int64Builder::with_capacity(rows))
            }
            FieldKind::Codes(_) => Builder::Codes(
                ListBuilder::with_capacity(StringBuilder::new(), rows)
                    .with_field(item(DataType::Utf8)),
            ),
            FieldKind::Dates => Builder::Dates(
                ListBuilder::with_capacity(Date32Builder::new(), rows)
                    .with_field(item(DataType::Date32)),
            ),
        }
    }

    fn append(&mut self, v: FieldRef<'_>) {
        match (self, v) {
            (Builder::Text(b), FieldRef::Text(s)) => b.append_value(s),
            (Builder::Date(b), FieldRef::Day(d)) => b.append_value(d.get()),
            (Builder::Date(b), FieldRef::Date(d)) => b.append_option(d.map(Day::get)),
            (Builder::Flag(b), FieldRef::Flag(f)) => b.append_option(f),
            (Builder::Int(b), FieldRef::Count(n)) => b.append_option(n.map(i64::from)),
            (Builder::Codes(b), FieldRef::Texts(t)) => {
                for s in t {
                    b.values().append_value(s);
                }
                b.append(true);
            }
            (Builder::Dates(b), FieldRef::Days(d)) => {
                for x in d {
                    b.values().append_value(x.get());
                }
                b.append(true);
            }
            // A field whose Rust type does not follow its kind: the schema's own tests forbid it.
            (b, _) => b.append_null(),
        }
    }

    fn append_null(&mut self) {
        match self {
            Builder::Text(b) => b.append_null(),
            Builder::Date(b) => b.append_null(),
            Builder::Flag(b) => b.append_null(),
            Builder::Int(b) => b.append_null(),
            Builder::Codes(b) => b.append_null(),
            Builder::Dates(b) => b.append_null(),
        }
    }

    fn finish(self) -> ArrayRef {
        match self {
            Builder::Text(mut b) => Arc::new(b.finish()),
            Builder::Date(mut b) => Arc::new(b.finish()),
            Builder::Flag(mut b) => Arc::new(b.finish()),
            Builder::Int(mut b) => Arc::new(b.finish()),
            Builder::Codes(mut b) => Arc::new(b.finish()),
            Builder::Dates(mut b) => Arc::new(b.finish()),
        }
    }
}

fn batch(schema: Schema, columns: Vec<ArrayRef>) -> RecordBatch {
    RecordBatch::try_new(Arc::new(schema), columns).unwrap_or_else(|e| {
        unreachable!("columns are built from the schema's fields, of equal lengths: {e}")
    })
}

/// The rows of one table as a record batch of [`schema_of`] its table.
#[must_use]
pub fn table_batch<R: Record>(rows: &[R]) -> RecordBatch {
    let table = R::SCHEMA;
    let mut builders: Vec<Builder> = table
        .fields
        .iter()
        .map(|f| Builder::new(f, rows.len()))
        .collect();
    for r in rows {
        for (i, b) in builders.iter_mut().enumerate() {
            b.append(r.get(i));
        }
    }
    batch(
        schema_of(table),
        builders.into_iter().map(Builder::finish).collect(),
    )
}

/// The visit that makes the batches of a return's tables.
struct Batches<'s> {
    source: &'s ReturnSource,
    out: Vec<(&'static str, RecordBatch)>,
}

impl VisitRows for Batches<'_> {
    fn rows<R: Record>(&mut self, rows: &[R]) {
        if self.source.holds(R::SCHEMA.name) {
            self.out.push((R::SCHEMA.name, table_batch(rows)));
        }
    }
}

/// The tables of an SSDA903 return: one batch per table it holds (every table when
/// [`ReturnSource::tables`] is `None`), in the schema's order, named as the schema names them.
#[must_use]
pub fn ssda903_tables(r: &Ssda903Return) -> Vec<(&'static str, RecordBatch)> {
    let mut v = Batches {
        source: &r.source,
        out: Vec::new(),
    };
    r.visit(&mut v);
    v.out
}

/// The tables of a CIN census return: first its `Header` (one row: the `ReferenceDate`, null when
/// unknown), then one batch per table it holds (every table when [`ReturnSource::tables`] is
/// `None`), in the schema's order, named as the schema names them (the child table is `Child`);
/// nested records carry their episode's `CINreferralDate`.
#[must_use]
pub fn cin_tables(r: &CinReturn) -> Vec<(&'static str, RecordBatch)> {
    let mut date = Date32Builder::with_capacity(1);
    date.append_option(r.source.reference_date.map(Day::get));
    let header = batch(cin_header_schema(), vec![Arc::new(date.finish())]);
    let mut v = Batches {
        source: &r.source,
        out: vec![(CIN_HEADER, header)],
    };
    r.visit(&mut v);
    v.out
}
