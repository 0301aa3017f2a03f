//! The inputs every data command takes, parsed into the request layer's [`Inputs`].

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use csc_api::{Input, Inputs, Loaded, Sample, load};
use csc_measures::Error;
use csc_measures::measure::Options;
use csc_measures::records::ReturnKind;

/// Returns to read; with none, the built-in synthetic sample.
#[derive(Args)]
pub struct InputArgs {
    /// A CIN census XML file (repeatable, one per collection year; `YEAR=FILE` gives its year).
    #[arg(long = "cin", value_name = "FILE")]
    cin: Vec<String>,
    /// An SSDA903 return: a folder of CSV tables, or an XML file (repeatable; `YEAR=DIR`).
    #[arg(long = "ssda903", value_name = "DIR")]
    ssda903: Vec<String>,
    /// Table files: a Parquet or Arrow IPC file of one table, or a folder of them, of either
    /// return or both, with any number of collection years in a `year` column (repeatable;
    /// `YEAR=PATH` for files without one).
    #[arg(long = "tables", value_name = "PATH")]
    tables: Vec<String>,
    /// Stop at the first data problem instead of skipping and reporting it.
    #[arg(long)]
    strict: bool,
    /// Children in the built-in synthetic sample (used when no returns are given; at most
    /// 5,000,000).
    #[arg(long, default_value_t = Sample::default().children)]
    sample_children: u32,
    /// Seed of the built-in synthetic sample.
    #[arg(long, default_value_t = Sample::default().seed)]
    seed: u64,
}

impl InputArgs {
    /// The request layer's inputs.
    pub fn inputs(&self) -> Result<Inputs, Error> {
        let mut returns = Vec::new();
        for s in &self.cin {
            returns.push(Input::parse(ReturnKind::Cin, s)?);
        }
        for s in &self.ssda903 {
            returns.push(Input::parse(ReturnKind::Ssda903, s)?);
        }
        for s in &self.tables {
            returns.push(Input::tables(s)?);
        }
        Ok(Inputs {
            returns,
            frames: Vec::new(),
            // No returns given: the sample.
            sample: Some(Sample::new(Some(self.sample_children), Some(self.seed))?),
            strict: self.strict,
        })
    }

    /// Reads the returns given (saying which on a terminal), or builds the sample; then warns on
    /// standard error of each entry that makes the load itself doubtful
    /// ([`IssueCode::prominent`](csc_measures::quality::IssueCode::prominent): a table that loaded
    /// nothing, a return probably given the wrong year, a year that disagrees with the
    /// `ReferenceDate`), so that no command reports on silently empty or misdated data.
    pub fn load(&self) -> Result<Loaded, Error> {
        let loaded = self.load_quietly()?;
        for i in loaded
            .dataset
            .issues()
            .iter()
            .filter(|i| i.code.prominent())
        {
            crate::say(&format!(
                "csc-measures: {i} (`csc-measures check` lists every entry)"
            ));
        }
        Ok(loaded)
    }

    /// [`InputArgs::load`] without the warnings (`check` shows them in its output).
    pub fn load_quietly(&self) -> Result<Loaded, Error> {
        let inputs = self.inputs()?;
        let tty = std::io::stderr().is_terminal();
        load(&inputs, &|i| {
            if tty {
                crate::say(&format!("reading {}", csc_api::load::input_name(i)));
            }
        })
    }
}

/// The options and the population input, as every command that computes takes them.
#[derive(Args)]
pub struct OptionArgs {
    /// An option as KEY=VALUE (repeatable): working_days=networkdays, assessment_limit_wd=40, ...
    /// A key sets it for every measure that reads it; MEASURE.KEY for that measure only.
    #[arg(long = "option", value_name = "KEY=VALUE", long_help = option_help())]
    options: Vec<String>,
    /// The ONS mid-year estimate of children aged 0 to 17, for rates per 10,000 (repeatable):
    /// MIDYEAR=TOTAL (2023=63051), or a CSV file with the columns year,population.
    #[arg(long = "population", value_name = "MIDYEAR=TOTAL|FILE")]
    population: Vec<String>,
}

impl OptionArgs {
    /// The options in force, with the population.
    pub fn options(&self) -> Result<Options, Error> {
        let mut pairs = Vec::new();
        for kv in &self.options {
            pairs.push(csc_api::option_pair(kv)?);
        }
        let mut options = csc_api::parse_options(&pairs)?;
        if !self.population.is_empty() {
            let mut given = Vec::new();
            let mut files = Vec::new();
            for p in &self.population {
                match p.split_once('=') {
                    Some((y, t)) if !y.is_empty() && y.bytes().all(|b| b.is_ascii_digit()) => {
                        given.push((y.to_owned(), t.to_owned()));
                    }
                    _ => files.push(PathBuf::from(p)),
                }
            }
            let population = csc_api::parse_population(&given, &files)?;
            options = options.with_population(Arc::new(population));
        }
        Ok(options)
    }
}

/// The options, for `--help` and `csc-measures options`: made from their declarations.
pub fn option_help() -> String {
    use std::fmt::Write as _;
    let mut s = String::from(
        "An option as KEY=VALUE (repeatable). A key sets it for every measure that reads it; \
         MEASURE.KEY (cpp_repeat_2y.unit=children) for that measure only.\n",
    );
    for d in csc_measures::measure::options::OPTIONS {
        let readers: Vec<&str> = d.read_by().map(csc_measures::MeasureId::as_str).collect();
        let _ = write!(
            s,
            "\n{} (default {}): {}.\n  Values: {}.\n  Read by: {}.\n",
            d.key,
            d.default,
            d.doc,
            d.kind.describe(),
            readers.join(", ")
        );
    }
    s
}
