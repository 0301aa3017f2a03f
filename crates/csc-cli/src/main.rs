//! `csc-measures`: the statutory measures of English children's social care from the CIN census and
//! SSDA903 returns, on the command line.

use std::collections::BTreeMap;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use csc_measures::{Calendar, Dataset, Day, WorkingDays};

/// Statutory performance measures of English children's social care, from the CIN census and the
/// SSDA903 return.
#[derive(Parser)]
#[command(name = "csc-measures", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Count what a dataset holds: children, CIN episodes, assessments, plans, care episodes,
    /// periods of care, placements, and its data-quality issues by code.
    ///
    /// With no input it describes the built-in synthetic sample.
    Summary(SampleArgs),
    /// Working days from A to B under the England and Wales calendar (spec 1.3).
    ///
    /// Example: `csc-measures workdays 2024-03-28 2024-04-02` prints 1 (Good Friday and Easter
    /// Monday are bank holidays; the start day is not counted).
    Workdays(WorkdaysArgs),
}

#[derive(Args)]
struct SampleArgs {
    /// Children in the built-in synthetic sample.
    #[arg(long, default_value_t = csc_synth::Config::default().children)]
    sample_children: u32,
    /// Seed of the built-in synthetic sample.
    #[arg(long, default_value_t = csc_synth::Config::default().seed)]
    seed: u64,
}

#[derive(Args)]
struct WorkdaysArgs {
    /// The start date, YYYY-MM-DD.
    start: Day,
    /// The end date, YYYY-MM-DD (on or after the start).
    end: Day,
    /// How to count: after_start (days d with A < d <= B; the default), networkdays
    /// (Excel's NETWORKDAYS minus one) or busday_count (A <= d < B, as numpy).
    #[arg(long, default_value_t = WorkingDays::AfterStart)]
    convention: WorkingDays,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Summary(args) => summary(&args),
        Command::Workdays(args) => workdays(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("csc-measures: {e}");
            ExitCode::FAILURE
        }
    }
}

fn summary(args: &SampleArgs) -> Result<(), csc_measures::Error> {
    let config = csc_synth::Config {
        children: args.sample_children,
        seed: args.seed,
        ..csc_synth::Config::default()
    };
    let ds = csc_synth::dataset(&config)?;
    println!(
        "Built-in synthetic sample: {} children, collection years {}-{}, seed {}\n",
        config.children, config.first_year, config.last_year, config.seed
    );
    print_summary(&ds);
    Ok(())
}

fn print_summary(ds: &Dataset) {
    print!("{}", ds.summary());
    let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
    for i in ds.issues() {
        *by_code.entry(i.code.as_str()).or_default() += 1;
    }
    if !by_code.is_empty() {
        println!("\ndata-quality issues by code");
        for (code, n) in by_code {
            println!("  {code:<24}{n:>10}");
        }
    }
}

fn workdays(args: &WorkdaysArgs) -> Result<(), csc_measures::Error> {
    let cal = Calendar::england_and_wales();
    match cal.wd(args.start, args.end, args.convention) {
        Ok(n) => {
            println!("{}", n.days);
            if n.provisional {
                eprintln!(
                    "note: days after {} counted with the standard rules (calendar_provisional)",
                    cal.last_official_year()
                );
            }
            Ok(())
        }
        Err(e) => Err(csc_measures::Error::new(
            csc_measures::ErrorKind::InvalidPeriod,
            format!("{} is before {}: {e}", args.end, args.start),
        )),
    }
}
