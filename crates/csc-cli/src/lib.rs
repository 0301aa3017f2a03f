//! `csc-measures`: the statutory measures of English children's social care from the CIN census and
//! SSDA903 returns, on the command line. Every command parses its flags into the request layer's
//! request and prints one of its renderings.
//!
//! The command is this library's [`run`], so that the Python wheel carries the very same command
//! (`csc-measures` on the `PATH` of the environment it is installed in) without a second binary.
//!
//! Nothing here prints with `print!`: every command writes to a handle and hands a failed write
//! back, so that a reader that stops early (`csc-measures check | head`) ends the command
//! quietly instead of a panic ([`run`]). Messages on standard error are written the same way,
//! every value from the input in them [`printable`](csc_measures::cell::printable).

// The doc comments of the argument types are the `--help` text, shown to people as written.
#![allow(clippy::doc_markdown)]

mod inputs;
mod tables;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use csc_api::render::csv::CsvCells;
use csc_api::{Detail, PeriodSpec, Query, Scorecard, render};
use csc_measures::cell::printable;
use csc_measures::measure::MeasureId;
use csc_measures::{Calendar, Day, Error, ErrorKind, WorkingDays};

use crate::inputs::{InputArgs, OptionArgs};

/// Statutory performance measures of English children's social care, from the CIN census and the
/// SSDA903 return.
///
/// Every command that reads data takes `--cin FILE` and `--ssda903 DIR` (each repeatable, one per
/// collection year, optionally as `YEAR=PATH`); with neither it uses the built-in synthetic sample.
#[derive(Parser)]
#[command(name = "csc-measures", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compute measures for a period (or a series of periods), with their numerators,
    /// denominators, exclusions, warnings and extras; optionally write every record behind them
    /// (`--records`).
    ///
    /// Examples: `csc-measures compute --year 2024 --measure assessments_45wd --format json`;
    /// `csc-measures compute --series rolling:12 --start 2023-04-01 --end 2024-03-31 --format csv`
    Compute(ComputeArgs),
    /// Measures over a series of periods as one long table (measure, unit, period_start,
    /// period_end, numerator, denominator, value, warnings, then the exclusions and extras as
    /// columns): rolling 12 months to each month-end, month-end snapshots, quarters, the
    /// financial year to date, financial years. Default: every measure, rolling 12 months, the
    /// 24 month-ends to 31 March of the latest collection year.
    ///
    /// Examples: `csc-measures series --measure referrals --format csv > referrals.csv`;
    /// `csc-measures series --kind quarters --from 2022-04 --to 2024-03 --format json`;
    /// `csc-measures series --kind month_end --measure cla_at_end,cpp_at_end --format arrow --out
    /// snapshots.arrow`
    Series(SeriesArgs),
    /// The scorecard for a year, or any period: every measure with its value, numerator and
    /// denominator, unit, threshold and direction of travel against the same period a year
    /// earlier (adoption measures over the three years to the period's end). It says which
    /// period it covers and why; a measure the returns loaded do not cover says "no data loaded
    /// for this period".
    ///
    /// Examples: `csc-measures report --format markdown > scorecard.md`;
    /// `csc-measures report --month-end 2024-09 --window 12`;
    /// `csc-measures report --start 01/10/2023 --end 30/09/2024`
    Report(ReportArgs),
    /// Read returns and print what was loaded and the load report as a work list: what to read
    /// first (a table that loaded nothing, a return given the wrong year), then every skipped,
    /// repaired or doubtful row graded fix in the source system, check what was loaded, or
    /// expected from the data loaded; each code with its entries, children and the measures it
    /// touches, each entry with file, line (or element path), column and value.
    ///
    /// Example: `csc-measures check --cin cin2024.xml --ssda903 2024=ssda903/2024 --format csv
    /// --out work.csv`
    Check(CheckArgs),
    /// Write the synthetic local authority as real returns: for each collection year, a folder
    /// `YYYY/` holding `cin.xml` and `ssda903/` (CSV tables), as that year's return would hold them;
    /// or, with `--format parquet|arrow`, one file per table with every year in a `year` column.
    Synth(SynthArgs),
    /// Count what a dataset holds: children, CIN episodes, assessments, plans, care episodes,
    /// periods of care, placements, and its data-quality issues by code.
    Summary(SummaryArgs),
    /// Every option the measures take: its values, its default, and the measures that read it.
    Options,
    /// Working days from A to B under the England and Wales calendar.
    ///
    /// Example: `csc-measures workdays 2024-03-28 2024-04-02` prints 1: Good Friday and Easter
    /// Monday are bank holidays, and the start day is not counted.
    Workdays(WorkdaysArgs),
    /// Every measure with what one drill-down row is (`--records`, Python's `records()`) and what
    /// its `record`, `value`, `start` and `end` hold: `start` and `end` are the dates that check
    /// `value` by hand (for adoption_a1, entered care and moved in).
    ///
    /// Example: `csc-measures measures --format json`
    Measures(tables::MeasuresArgs),
    /// Write a cleaned SSDA903 table as CSV: the care episodes after the repairs, the periods of
    /// care or the placements (spec 2.2), to check a drill-down row by hand.
    ///
    /// Examples: `csc-measures tables --table placements --ssda903 2024=ssda903/2024 --out
    /// placements.csv`; `csc-measures tables --table periods_of_care --year 2024`
    Tables(tables::TablesArgs),
}

#[derive(Args)]
struct ComputeArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// Financial year ending 31 March YYYY (2024 is 2023-04-01 to 2024-03-31). Default: the latest
    /// collection year loaded.
    #[arg(long)]
    year: Option<i32>,
    /// First day of the period, YYYY-MM-DD or DD/MM/YYYY (with --end).
    #[arg(long)]
    start: Option<String>,
    /// Last day of the period, YYYY-MM-DD or DD/MM/YYYY, inclusive (with --start).
    #[arg(long)]
    end: Option<String>,
    /// A series of periods over the months from --start to --end: rolling:N (the N months to each
    /// month-end), month_end (each month), fytd (the financial year to each month-end), quarters,
    /// years.
    #[arg(long, value_name = "KIND")]
    series: Option<String>,
    /// A measure id (repeatable; default: every measure). `--measure list` prints the ids.
    #[arg(long = "measure", value_name = "ID")]
    measures: Vec<String>,
    #[command(flatten)]
    options: OptionArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write the drill-down rows of every measure to FILE as CSV
    /// (measure,child,record,in_denominator,in_numerator,value,reason,start,end; a series adds
    /// period_start,period_end after measure). What record, value, start and end hold for each
    /// measure: `csc-measures measures`.
    #[arg(long, value_name = "FILE")]
    records: Option<PathBuf>,
    /// Write the cells of --records exactly as the data holds them. By default a cell that
    /// begins with =, +, -, @, a tab or a carriage return (a child id "=1+1") gets a ' before it,
    /// so that Excel or LibreOffice shows it as text instead of running it as a formula (OWASP's
    /// advice on CSV injection); give this flag when a program, not a person, reads the file.
    #[arg(long)]
    csv_raw: bool,
}

#[derive(Args)]
struct SeriesArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// What each period is: rolling:N (the N months to each month-end), month_end (each month),
    /// fytd (the financial year to each month-end), quarters, years.
    #[arg(long, default_value = "rolling:12")]
    kind: String,
    /// The first month, YYYY-MM or MM/YYYY (or a day of it, YYYY-MM-DD or DD/MM/YYYY). Default:
    /// with --to absent, 23 months before the latest collection year's March.
    #[arg(long, value_name = "YYYY-MM", requires = "to")]
    from: Option<String>,
    /// The last month, YYYY-MM or MM/YYYY (or a day of it), inclusive.
    #[arg(long, value_name = "YYYY-MM", requires = "from")]
    to: Option<String>,
    /// A measure id (repeatable, or comma-separated; default: every measure).
    #[arg(long = "measure", value_name = "ID")]
    measures: Vec<String>,
    #[command(flatten)]
    options: OptionArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SeriesFormat::Csv)]
    format: SeriesFormat,
    /// Write to FILE instead of standard output (needed for arrow).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SeriesFormat {
    /// One CSV row per measure and period.
    Csv,
    /// One JSON object: series, periods, rows (one object per measure and period), data_quality.
    Json,
    /// An Arrow IPC file (pyarrow.ipc.open_file, polars.read_ipc).
    Arrow,
    /// Aligned columns for people, one block per period.
    Table,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// Aligned columns for people.
    Table,
    /// One JSON object: period, measures, data_quality.
    Json,
    /// One CSV row per measure (and period).
    Csv,
}

#[derive(Args)]
struct ReportArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// The financial year ending 31 March YYYY. Default: the latest collection year loaded (the
    /// report says which year it chose and why).
    #[arg(long, conflicts_with_all = ["start", "end", "month_end"])]
    year: Option<i32>,
    /// First day of any other period, YYYY-MM-DD or DD/MM/YYYY (with --end): every measure over
    /// the period, the adoption measures over the three years to its end, compared with the same
    /// dates a year earlier.
    #[arg(long, requires = "end", conflicts_with = "month_end")]
    start: Option<String>,
    /// Last day of the period, YYYY-MM-DD or DD/MM/YYYY, inclusive (with --start).
    #[arg(long, requires = "start")]
    end: Option<String>,
    /// A rolling period: the --window months to the end of this month, YYYY-MM or MM/YYYY
    /// (`--month-end 2024-09 --window 12` is 2023-10-01 to 2024-09-30).
    #[arg(long, value_name = "YYYY-MM")]
    month_end: Option<String>,
    /// Months of the rolling period to --month-end (default 12).
    #[arg(long, value_name = "N", requires = "month_end")]
    window: Option<u32>,
    #[command(flatten)]
    options: OptionArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Month-ends of each indicator's trend (html and json): the measure over its window ending
    /// at each of the N month-ends to 31 March (0: none).
    #[arg(long, value_name = "N", default_value_t = csc_api::DEFAULT_MONTHS)]
    trend_months: u32,
    /// A DfE published table of local authorities (explore-education-statistics CSV, such as
    /// table C2 or D3), for England, regional and neighbour comparators (repeatable).
    #[arg(long, value_name = "FILE")]
    published: Vec<PathBuf>,
    /// The local authority's DfE 3-digit code (old_la_code, e.g. 807) or its new code
    /// (E06000003): its region, and its own published figures to reconcile with.
    #[arg(long, value_name = "CODE")]
    la: Option<String>,
    /// Statistical neighbours' DfE codes, comma-separated or repeated.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    neighbours: Vec<String>,
    /// List the records behind each number in the HTML page (child identifiers included).
    #[arg(long)]
    records: bool,
    /// A local target as MEASURE=VALUE, in the measure's terms (assessments_45wd=85 for 85%),
    /// repeatable: the report says whether this year's value meets it.
    #[arg(long = "target", value_name = "MEASURE=VALUE")]
    targets: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// Aligned columns for a terminal.
    Table,
    /// A Markdown table for a report.
    Markdown,
    /// One JSON object.
    Json,
    /// One self-contained HTML page for a panel: sections, trends, comparators, data quality;
    /// prints to A4.
    Html,
}

#[derive(Args)]
struct CheckArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// Examples shown per data-quality code (0 for counts only).
    #[arg(long, default_value_t = 5)]
    examples: usize,
    /// Show every entry.
    #[arg(long, conflicts_with = "examples")]
    all: bool,
    /// Output format: table for people, json for every entry and the work list, csv for one row
    /// per entry.
    #[arg(long, value_enum, default_value_t = CheckFormat::Table)]
    format: CheckFormat,
    /// Write to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// With --format csv, write the cells exactly as the data holds them, without the ' that
    /// keeps a spreadsheet from running a value that begins with =, +, -, @, a tab or a carriage
    /// return as a formula.
    #[arg(long)]
    csv_raw: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum CheckFormat {
    /// A work list for people: what to read first, then fix in the source system, check what
    /// was loaded, expected from the data loaded; each code with its entries, children and the
    /// measures it touches.
    Table,
    /// Every entry, and the work list, as JSON.
    Json,
    /// One row per entry: grade, severity, code, file, line, path, column, value, child, record,
    /// message.
    Csv,
}

#[derive(Args)]
struct SynthArgs {
    /// The folder to write into (created if missing).
    #[arg(long)]
    out: PathBuf,
    /// Children in the synthetic local authority (at most 5,000,000).
    #[arg(long, default_value_t = csc_synth::Config::default().children)]
    children: u32,
    /// Collection years, as FIRST-LAST or one year, from 1920 to 2190.
    #[arg(long, default_value = "2019-2024")]
    years: String,
    /// Seed.
    #[arg(long, default_value_t = csc_synth::Config::default().seed)]
    seed: u64,
    /// What to write: the returns (`returns`: for each collection year, the CIN census XML file
    /// and the SSDA903 CSV tables), or one file per table of both returns with every year in a
    /// `year` column (`parquet`, `arrow`: Arrow IPC), which `--tables DIR` reads.
    #[arg(long, value_enum, default_value_t = SynthFormat::Returns)]
    format: SynthFormat,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SynthFormat {
    /// YEAR/cin.xml and YEAR/ssda903/*.csv.
    Returns,
    /// TABLE.parquet, snappy-compressed.
    Parquet,
    /// TABLE.arrow, the Arrow IPC file format, uncompressed.
    Arrow,
}

#[derive(Args)]
struct SummaryArgs {
    #[command(flatten)]
    inputs: InputArgs,
}

#[derive(Args)]
struct WorkdaysArgs {
    /// The start date, YYYY-MM-DD or DD/MM/YYYY.
    #[arg(value_parser = user_day)]
    start: Day,
    /// The end date, YYYY-MM-DD or DD/MM/YYYY (on or after the start).
    #[arg(value_parser = user_day)]
    end: Day,
    /// How to count: after_start (days d with A < d <= B; the default), networkdays (Excel's
    /// NETWORKDAYS minus one) or busday_count (A <= d < B, as numpy).
    #[arg(long, default_value_t = WorkingDays::AfterStart)]
    convention: WorkingDays,
}

/// Runs the command line `args` (the program name first, as [`std::env::args_os`] gives it) and
/// returns the process exit status: 0 on success, 1 when the command failed (the error is written to
/// standard error), 2 when the arguments are not understood (clap's usage message); `--help` and
/// `--version` print to standard output and return 0.
///
/// When standard output is a pipe whose reader stops early (`csc-measures check | head`), the
/// command stops writing and returns 0 without a message, as `ripgrep` does when its reader
/// goes: the reader took what it wanted, and a script with `set -o pipefail` does not fail on it. (The status is not 141, the shell's number for a process killed by `SIGPIPE`: the
/// command is not killed, and the Python wheel runs it inside the interpreter, which must not be.)
/// Any other failure to write, to standard output or to a file, is an `io` error with status 1.
///
/// ```
/// assert_eq!(csc_cli::run(["csc-measures", "workdays", "2024-03-28", "2024-04-02"]), 0);
/// assert_eq!(csc_cli::run(["csc-measures", "no-such-command"]), 2);
/// ```
pub fn run<I, T>(args: I) -> u8
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to standard output with status 0, usage errors to standard error
            // with status 2, exactly as `Cli::parse` would print them.
            let _ = e.print();
            let _ = std::io::stdout().flush();
            return u8::from(e.use_stderr()) * 2;
        }
    };
    let result = match cli.command {
        Command::Compute(args) => compute(&args),
        Command::Series(args) => series(&args),
        Command::Report(args) => report(&args),
        Command::Check(args) => check(&args),
        Command::Synth(args) => synth(&args),
        Command::Summary(args) => summary(&args),
        Command::Options => write!(std::io::stdout().lock(), "{}", inputs::option_help())
            .map_err(|e| output_error(&e)),
        Command::Workdays(args) => workdays(&args),
        Command::Measures(args) => tables::measures(&args),
        Command::Tables(args) => tables::tables(&args),
    };
    // Standard output is line-buffered: flush it here, whatever happened, rather than at the
    // process's exit, which a host that runs the command in its own process (the Python wheel's
    // `csc-measures`) never reaches. A failed flush fails the command: its output did not arrive.
    let flushed = std::io::stdout().flush();
    let result = result.and_then(|()| flushed.map_err(|e| output_error(&e)));
    match result {
        Ok(()) | Err(Failure::Closed) => 0,
        Err(Failure::Error(e)) => {
            say(&format!("csc-measures: error [{}]: {e}", e.kind()));
            1
        }
    }
}

/// Why a command stopped.
pub(crate) enum Failure {
    /// It failed: the error goes to standard error, status 1.
    Error(Error),
    /// The reader of standard output went away (a broken pipe): stop quietly, status 0.
    Closed,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Error(e)
    }
}

/// Writes one line to standard error, each character a terminal would act on escaped
/// ([`printable`]); a standard error that cannot be written to is ignored, never a panic.
pub(crate) fn say(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", printable(line));
}

/// A date argument as people type it: `YYYY-MM-DD` or `DD/MM/YYYY` ([`Day::parse_user`]).
fn user_day(s: &str) -> Result<Day, String> {
    Day::parse_user(s).map_err(|e| e.message().to_owned())
}

/// A failed write to standard output: [`Failure::Closed`] when its reader went away, else an
/// `io` error.
pub(crate) fn output_error(e: &std::io::Error) -> Failure {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Failure::Closed
    } else {
        Failure::Error(Error::new(
            ErrorKind::Io,
            format!("writing the output: {e}"),
        ))
    }
}

pub(crate) fn io_error(path: &std::path::Path, e: &std::io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("{}: {e}", path.display()))
}

/// Writes with `write` to the file `out` (created, buffered, flushed; an error names the file), or
/// to standard output when there is none.
pub(crate) fn write_output(
    out: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Failure> {
    match out {
        Some(path) => {
            let file = File::create(path).map_err(|e| io_error(path, &e))?;
            let mut w = BufWriter::new(file);
            write(&mut w)
                .and_then(|()| w.flush())
                .map_err(|e| io_error(path, &e).into())
        }
        None => write(&mut std::io::stdout().lock()).map_err(|e| output_error(&e)),
    }
}

/// How the CSV cells are written: as the data holds them with `--csv-raw`, else neutralised.
pub(crate) fn csv_cells(raw: bool) -> CsvCells {
    if raw {
        CsvCells::Raw
    } else {
        CsvCells::Neutralised
    }
}

fn compute(args: &ComputeArgs) -> Result<(), Failure> {
    if args.measures.iter().any(|m| m == "list") {
        let w = MeasureId::ALL
            .iter()
            .map(|m| m.as_str().len())
            .max()
            .unwrap_or(0);
        let mut out = std::io::stdout().lock();
        for id in MeasureId::ALL {
            writeln!(out, "{:<w$}  {}", id.as_str(), id.title()).map_err(|e| output_error(&e))?;
        }
        return Ok(());
    }
    // The query first: a malformed one is refused before any file is read.
    let query = Query {
        period: PeriodSpec::from_parts(
            args.year,
            args.start.as_deref(),
            args.end.as_deref(),
            args.series.as_deref(),
        )?,
        measures: csc_api::parse_measures(&args.measures)?,
        options: args.options.options()?,
        detail: if args.records.is_some() {
            Detail::Records
        } else {
            Detail::Counts
        },
    };
    let loaded = args.inputs.load()?;
    let ds = &loaded.dataset;
    let response = csc_api::run(ds, &query)?;
    if let Some(path) = &args.records {
        write_output(Some(path), |mut w| {
            render::csv::records_with(
                &response.results,
                response.series.is_some(),
                csv_cells(args.csv_raw),
                &mut w,
            )
        })?;
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match args.format {
        // The records went to their file.
        Format::Json => writeln!(
            out,
            "{:#}",
            render::json::response_with(&response, ds.issues(), false)
        ),
        Format::Csv => render::csv::measures(&response.results, &mut out),
        Format::Table => render::text::measures(
            &loaded.description,
            &response,
            ds.issues().len(),
            " (--format json lists them)",
            &mut out,
        ),
    };
    written.map_err(|e| output_error(&e))
}

fn series(args: &SeriesArgs) -> Result<(), Failure> {
    let query = Query {
        period: PeriodSpec::from_parts(
            None,
            args.from.as_deref(),
            args.to.as_deref(),
            Some(&args.kind),
        )?,
        measures: csc_api::parse_measures(&args.measures)?,
        options: args.options.options()?,
        detail: Detail::Counts,
    };
    if args.format == SeriesFormat::Arrow && args.out.is_none() {
        return Err(Error::new(
            ErrorKind::InvalidRequest,
            "--format arrow writes a file: give --out FILE",
        )
        .into());
    }
    let loaded = args.inputs.load()?;
    let ds = &loaded.dataset;
    let response = csc_api::run(ds, &query)?;
    let write = |w: &mut dyn Write| -> std::io::Result<()> {
        let mut w = w;
        match args.format {
            SeriesFormat::Csv => render::csv::series(&response.results, &mut w),
            SeriesFormat::Json => writeln!(w, "{:#}", render::json::series(&response, ds.issues())),
            SeriesFormat::Arrow => csc_arrow::results::write_ipc(
                &csc_arrow::results::series(&response.results),
                &mut w,
            ),
            SeriesFormat::Table => render::text::measures(
                &loaded.description,
                &response,
                ds.issues().len(),
                " (--format json lists them)",
                &mut w,
            ),
        }
    };
    write_output(args.out.as_deref(), write)
}

fn report(args: &ReportArgs) -> Result<(), Failure> {
    let mut query = csc_api::ReportQuery {
        options: args.options.options()?,
        // The trend is drawn in the page and listed in the JSON; the tables leave it out.
        trend_months: match args.format {
            ReportFormat::Html | ReportFormat::Json => args.trend_months,
            ReportFormat::Table | ReportFormat::Markdown => 0,
        },
        published: args.published.clone(),
        la: args.la.clone(),
        neighbours: args.neighbours.clone(),
        records: args.records && args.format == ReportFormat::Html,
        targets: csc_api::parse_targets(&args.targets)?,
        ..csc_api::ReportQuery::default()
    };
    query.set_period(
        args.year,
        args.start.as_deref(),
        args.end.as_deref(),
        args.month_end.as_deref(),
        args.window,
    )?;
    let loaded = args.inputs.load()?;
    let ds = &loaded.dataset;
    let card = Scorecard::report(ds, &query)?;
    let mut out = std::io::stdout().lock();
    let written = match args.format {
        ReportFormat::Html => write!(
            out,
            "{}",
            render::html::scorecard(
                &card,
                &render::html::Page {
                    source: &loaded.description,
                    issues: ds.issues(),
                    records: args.records,
                    comparators: !args.published.is_empty(),
                    ..render::html::Page::default()
                }
            )
        ),
        ReportFormat::Table => {
            let issues = loaded.dataset.issues().len();
            write!(
                out,
                "{}\n{}\n{issues} data-quality entries: `csc-measures compute --format json` lists \
                 them.\n",
                printable(&loaded.description),
                card.to_text()
            )
        }
        ReportFormat::Markdown => write!(out, "{}", card.to_markdown()),
        ReportFormat::Json => writeln!(out, "{:#}", card.to_json()),
    };
    written.map_err(|e| output_error(&e))
}

fn check(args: &CheckArgs) -> Result<(), Failure> {
    let loaded = args.inputs.load_quietly()?;
    let write = |w: &mut dyn Write| -> std::io::Result<()> {
        let mut w = w;
        match args.format {
            CheckFormat::Json => writeln!(w, "{:#}", render::json::check(&loaded)),
            CheckFormat::Csv => render::csv::check_with(
                &csc_api::check::WorkList::new(&loaded),
                csv_cells(args.csv_raw),
                &mut w,
            ),
            CheckFormat::Table => render::text::check(
                &loaded,
                if args.all { usize::MAX } else { args.examples },
                &mut w,
            ),
        }
    };
    write_output(args.out.as_deref(), write)
}

fn synth(args: &SynthArgs) -> Result<(), Failure> {
    let (first, last) = match args.years.split_once('-') {
        Some((a, b)) => (a.trim().parse().ok(), b.trim().parse().ok()),
        None => (
            args.years.trim().parse().ok(),
            args.years.trim().parse().ok(),
        ),
    };
    let (Some(first_year), Some(last_year)) = (first, last) else {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!(
                "--years {:?}: expected FIRST-LAST, as 2019-2024",
                args.years
            ),
        )
        .into());
    };
    if last_year < first_year {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("--years {}: the last year is before the first", args.years),
        )
        .into());
    }
    let config = csc_synth::Config {
        children: args.children,
        first_year,
        last_year,
        seed: args.seed,
    };
    // Before anything is made: a year the sample cannot have, or more children than it may, is
    // refused with the value and the limit, never clamped or left to exhaust the memory.
    config.check().map_err(|e| {
        let flag = if args.children > csc_synth::Config::MAX_CHILDREN {
            format!("--children {}", args.children)
        } else {
            format!("--years {}", args.years)
        };
        Error::new(e.kind(), format!("{flag}: {}", e.message()))
    })?;
    let synthetic = csc_synth::generate(&config);
    let mut out = std::io::stdout().lock();
    let table_format = match args.format {
        SynthFormat::Returns => None,
        SynthFormat::Parquet => Some(csc_arrow::files::TableFormat::Parquet),
        SynthFormat::Arrow => Some(csc_arrow::files::TableFormat::Ipc),
    };
    if let Some(format) = table_format {
        let mut w = csc_arrow::files::TableWriter::new(&args.out, format)?;
        for (cin, ssda) in synthetic.cin.iter().zip(&synthetic.ssda903) {
            let year = cin.source.collection_year.unwrap_or_default();
            w.write(year, cin, ssda)?;
            let _ = writeln!(
                out,
                "{year}: {} CIN episodes, {} care episodes",
                cin.episodes.len(),
                ssda.episodes.len()
            );
        }
        let files = w.finish()?;
        let _ = writeln!(
            out,
            "{}: {} table files",
            printable(&args.out.display().to_string()),
            files.len()
        );
        return Ok(());
    }
    for (cin, ssda) in synthetic.cin.iter().zip(&synthetic.ssda903) {
        let year = cin.source.collection_year.unwrap_or_default();
        let dir = args.out.join(year.to_string());
        std::fs::create_dir_all(dir.join("ssda903")).map_err(|e| io_error(&dir, &e))?;
        let cin_path = dir.join("cin.xml");
        let file = File::create(&cin_path).map_err(|e| io_error(&cin_path, &e))?;
        csc_returns::cin::write_xml(cin, BufWriter::new(file))?;
        csc_returns::ssda903::write_csv(ssda, &dir.join("ssda903"))?;
        // The files are written whatever becomes of this line: a reader that went away stops
        // the lines, not the writing.
        let _ = writeln!(
            out,
            "{}: {} CIN episodes, {} care episodes",
            printable(&dir.display().to_string()),
            cin.episodes.len(),
            ssda.episodes.len()
        );
    }
    Ok(())
}

fn summary(args: &SummaryArgs) -> Result<(), Failure> {
    let loaded = args.inputs.load()?;
    render::text::summary(&loaded, &mut std::io::stdout().lock()).map_err(|e| output_error(&e))
}

fn workdays(args: &WorkdaysArgs) -> Result<(), Failure> {
    let cal = Calendar::england_and_wales();
    let n = cal.wd(args.start, args.end, args.convention).map_err(|e| {
        Error::new(
            ErrorKind::InvalidPeriod,
            format!("{} is before {}: {e}", args.end, args.start),
        )
    })?;
    writeln!(std::io::stdout().lock(), "{}", n.days).map_err(|e| output_error(&e))?;
    if n.provisional {
        say(&format!(
            "note: days after {} were counted with the standard rules (calendar_provisional)",
            cal.last_official_year()
        ));
    }
    Ok(())
}
