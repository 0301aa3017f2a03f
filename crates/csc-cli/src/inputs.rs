//! The inputs every data command takes: returns on the command line, or the built-in sample.

use std::io::IsTerminal;

use clap::Args;
use csc_measures::records::ReturnKind;
use csc_measures::{Dataset, Error, ErrorKind, Period};
use csc_returns::load::{Input, load};

/// Returns to read; with none, the built-in synthetic sample.
#[derive(Args)]
pub struct Inputs {
    /// A CIN census XML file (repeatable, one per collection year; `YEAR=FILE` gives its year).
    #[arg(long = "cin", value_name = "FILE")]
    cin: Vec<String>,
    /// An SSDA903 return: a folder of CSV tables, or an XML file (repeatable; `YEAR=DIR`).
    #[arg(long = "ssda903", value_name = "DIR")]
    ssda903: Vec<String>,
    /// Stop at the first data problem instead of skipping and reporting it.
    #[arg(long)]
    strict: bool,
    /// Children in the built-in synthetic sample (used when no returns are given).
    #[arg(long, default_value_t = csc_synth::Config::default().children)]
    sample_children: u32,
    /// Seed of the built-in synthetic sample.
    #[arg(long, default_value_t = csc_synth::Config::default().seed)]
    seed: u64,
}

/// A loaded dataset and a line saying where it came from.
pub struct Loaded {
    pub dataset: Dataset,
    pub description: String,
    /// What each file held (empty for the sample).
    pub files: Vec<csc_returns::FileReport>,
}

impl Inputs {
    /// Reads the returns given, or builds the sample.
    pub fn load(&self) -> Result<Loaded, Error> {
        let mut inputs = Vec::new();
        for s in &self.cin {
            inputs.push(Input::parse(ReturnKind::Cin, s)?);
        }
        for s in &self.ssda903 {
            inputs.push(Input::parse(ReturnKind::Ssda903, s)?);
        }
        if inputs.is_empty() {
            let config = csc_synth::Config {
                children: self.sample_children,
                seed: self.seed,
                ..csc_synth::Config::default()
            };
            let dataset = csc_synth::dataset(&config)?;
            let description = format!(
                "Built-in synthetic sample: {} children, collection years {}-{}, seed {}",
                config.children, config.first_year, config.last_year, config.seed
            );
            return Ok(Loaded {
                dataset,
                description,
                files: Vec::new(),
            });
        }
        let tty = std::io::stderr().is_terminal();
        let loaded = load(&inputs, self.strict, &mut |p| {
            if tty {
                eprintln!("reading {}", p.display());
            }
        })?;
        let description = format!(
            "{} returns ({} files): {} CIN census, {} SSDA903",
            inputs.len(),
            loaded.files.len(),
            self.cin.len(),
            self.ssda903.len()
        );
        Ok(Loaded {
            dataset: loaded.dataset,
            description,
            files: loaded.files,
        })
    }
}

/// The latest collection year loaded, of either kind.
pub fn default_period(ds: &Dataset) -> Result<Period, Error> {
    let latest = ds.latest_collection_year().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidPeriod,
            "no collection year is known: give --year, or --start and --end",
        )
    })?;
    Period::financial_year(latest)
}
