//! The commands that let a reader check a drill-down row by hand: `measures` (what one row of
//! each measure is, and what its `record`, `value`, `start` and `end` hold) and `tables` (the
//! cleaned care episodes, periods of care and placements as CSV).

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use csc_measures::cleaned::CleanedTable;
use csc_measures::measure::MeasureId;

use crate::inputs::InputArgs;
use crate::{Failure, output_error};

#[derive(Args)]
pub(crate) struct MeasuresArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = MeasuresFormat::Table)]
    format: MeasuresFormat,
}

#[derive(Clone, Copy, ValueEnum)]
enum MeasuresFormat {
    /// One block per measure, for people.
    Table,
    /// One JSON array: id, title, unit, polarity, value_kind and rows (per, record, value,
    /// start, end; null when the measure leaves the date empty).
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
enum TableName {
    /// One row per care episode after the repairs (short breaks included), with its period of
    /// care, placement and placement start.
    CareEpisodes,
    /// One row per period of care: start, end, history truncated, REC, episodes, placements.
    PeriodsOfCare,
    /// One row per placement: period of care, number, start, end, PLACE, provider, URN,
    /// postcode, episodes.
    Placements,
}

impl From<TableName> for CleanedTable {
    fn from(t: TableName) -> CleanedTable {
        match t {
            TableName::CareEpisodes => CleanedTable::CareEpisodes,
            TableName::PeriodsOfCare => CleanedTable::PeriodsOfCare,
            TableName::Placements => CleanedTable::Placements,
        }
    }
}

#[derive(Args)]
pub(crate) struct TablesArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// Which table.
    #[arg(long, value_enum)]
    table: TableName,
    /// Only the rows that overlap the financial year ending 31 March YYYY (an episode, period of
    /// care or placement starting on or before its last day and ending after its first, or
    /// open). Default: every row.
    #[arg(long)]
    year: Option<i32>,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Write the cells exactly as the data holds them, without the ' that keeps a spreadsheet
    /// from running a value that begins with =, +, -, @, a tab or a carriage return (a child id
    /// "=1+1") as a formula.
    #[arg(long)]
    csv_raw: bool,
}

/// `csc-measures measures`: every measure with what one drill-down row is.
pub(crate) fn measures(args: &MeasuresArgs) -> Result<(), Failure> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match args.format {
        MeasuresFormat::Json => {
            let all: Vec<serde_json::Value> = MeasureId::ALL
                .iter()
                .map(|&id| {
                    serde_json::json!({
                        "id": id.as_str(),
                        "title": id.title(),
                        "unit": id.unit().as_str(),
                        "polarity": id.polarity().as_str(),
                        "value_kind": id.value_kind().as_str(),
                        "rows": csc_measures::json::row_doc(id),
                    })
                })
                .collect();
            writeln!(out, "{:#}", serde_json::Value::Array(all))
        }
        MeasuresFormat::Table => MeasureId::ALL.iter().try_for_each(|&id| {
            let d = id.spec().rows;
            writeln!(out, "{}  {}", id.as_str(), id.title())?;
            writeln!(out, "  one row per  {}", d.per)?;
            writeln!(out, "  record       {}", d.record)?;
            writeln!(out, "  value        {}", d.value)?;
            writeln!(out, "  start        {}", d.start.unwrap_or("empty"))?;
            writeln!(out, "  end          {}", d.end.unwrap_or("empty"))?;
            writeln!(out)
        }),
    };
    written.map_err(|e| output_error(&e))
}

/// `csc-measures tables`: a cleaned care table as CSV.
pub(crate) fn tables(args: &TablesArgs) -> Result<(), Failure> {
    // The year first: a bad one is refused before any file is read.
    let year = args.year.map(csc_api::financial_year).transpose()?;
    let loaded = args.inputs.load()?;
    let all = CleanedTable::from(args.table).of(&loaded.dataset);
    let table = match year {
        Some(p) => all.overlapping(p),
        None => all,
    };
    let cells = crate::csv_cells(args.csv_raw);
    crate::write_output(args.out.as_deref(), |mut w| {
        table.write_csv_with(&mut w, cells)
    })
}
