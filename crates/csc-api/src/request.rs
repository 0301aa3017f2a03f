//! What a job asks for: its inputs, the period (or periods), the measures, the options and
//! population, and the detail wanted. Every surface builds a [`Request`] (the CLI from its flags,
//! the C ABI from JSON with [`Request::from_json`], Python from keyword arguments) with the same
//! functions here, so the same mistake gives the same error kind, code and message everywhere.

use std::path::PathBuf;
use std::sync::Arc;

use csc_measures::measure::{MeasureId, Options};
use csc_measures::population::Population;
use csc_measures::records::ReturnKind;
use csc_measures::{Day, Error, ErrorKind, Period};
use serde::Deserialize;
use serde_json::Value;

use crate::series::{Series, SeriesKind};

/// The error of a malformed request: [`ErrorKind::InvalidRequest`].
pub(crate) fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::InvalidRequest, message)
}

/// Where a return comes from.
#[derive(Clone, Debug)]
pub enum Source {
    /// A CIN census XML file; an SSDA903 folder of CSV tables or XML file.
    Path(PathBuf),
    /// A file's bytes, named `name` in entries (a CIN census XML file; an SSDA903 XML file, or
    /// one SSDA903 CSV table).
    Bytes {
        /// The name entries give it.
        name: Arc<str>,
        /// The bytes.
        bytes: Arc<[u8]>,
    },
    /// Table files: a Parquet or Arrow IPC file of one table, or a folder of them, of either
    /// return or both, of one collection year or of several in a year column
    /// ([`csc_arrow::files`]). Each file's name says which return its table belongs to, so the
    /// input's [`kind`](Input::kind) is not used ([`Input::tables`] sets it to the CIN census).
    Tables(PathBuf),
}

/// One return to load.
#[derive(Clone, Debug)]
pub struct Input {
    /// CIN census or SSDA903.
    pub kind: ReturnKind,
    /// Where it is.
    pub source: Source,
    /// The collection year, when the caller knows it.
    pub year: Option<i32>,
}

impl Input {
    /// Parses `PATH` or `YEAR=PATH` (`2024=returns/2024`), as every surface takes a return.
    ///
    /// ```
    /// use csc_api::Input;
    /// use csc_measures::records::ReturnKind;
    /// let i = Input::parse(ReturnKind::Ssda903, "2024=returns/903/2024")?;
    /// assert_eq!(i.year, Some(2024));
    /// assert_eq!(Input::parse(ReturnKind::Cin, "cin.xml")?.year, None);
    /// assert!(Input::parse(ReturnKind::Cin, "202=cin.xml").is_err());
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    pub fn parse(kind: ReturnKind, s: &str) -> Result<Input, Error> {
        Input::parse_path(s).map(|(year, path)| Input {
            kind,
            source: Source::Path(path),
            year,
        })
    }

    /// Parses table files as `PATH` or `YEAR=PATH` ([`Source::Tables`]): a Parquet or Arrow IPC
    /// file, or a folder of them. The year is that of the files without a year column; with one,
    /// only the rows of that year are read.
    ///
    /// ```
    /// use csc_api::{Input, Source};
    /// let i = Input::tables("2024=tables/2024")?;
    /// assert_eq!(i.year, Some(2024));
    /// assert!(matches!(i.source, Source::Tables(_)));
    /// assert_eq!(Input::tables("national")?.year, None);
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    pub fn tables(s: &str) -> Result<Input, Error> {
        Input::parse_path(s).map(|(year, path)| Input {
            kind: ReturnKind::Cin,
            source: Source::Tables(path),
            year,
        })
    }

    /// `PATH` or `YEAR=PATH`.
    fn parse_path(s: &str) -> Result<(Option<i32>, PathBuf), Error> {
        let bad_year = || {
            Error::new(
                ErrorKind::InvalidInput,
                format!("{s:?}: a collection year is four digits, as in 2024=PATH"),
            )
        };
        if let Some((y, p)) = s.split_once('=') {
            if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) {
                let year: i32 = y.parse().map_err(|_| bad_year())?;
                return Ok((Some(year), PathBuf::from(p)));
            }
            if y.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad_year());
            }
        }
        Ok((None, PathBuf::from(s)))
    }
}

/// The built-in synthetic local authority.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sample {
    /// Children in its history.
    pub children: u32,
    /// The seed.
    pub seed: u64,
}

impl Sample {
    /// The most children a sample may have: a request for more is refused, since the sample is
    /// made in memory.
    pub const MAX_CHILDREN: u32 = csc_synth::Config::MAX_CHILDREN;

    /// A sample of `children` (default 40,000) with `seed` (default 42); more than
    /// [`Sample::MAX_CHILDREN`] is an [`ErrorKind::InvalidRequest`] error
    /// ([`csc_synth::Config::check`]), so that no request can grow the host's memory without
    /// bound.
    ///
    /// ```
    /// use csc_api::Sample;
    /// assert_eq!(Sample::new(Some(300), None)?.children, 300);
    /// let e = Sample::new(Some(u32::MAX), None).unwrap_err();
    /// assert_eq!(e.kind(), csc_measures::ErrorKind::InvalidRequest);
    /// assert!(e.message().contains("more than the 5000000"), "{e}");
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    pub fn new(children: Option<u32>, seed: Option<u64>) -> Result<Sample, Error> {
        let d = csc_synth::Config::default();
        let children = children.unwrap_or(d.children);
        csc_synth::Config { children, ..d }.check()?;
        Ok(Sample {
            children,
            seed: seed.unwrap_or(d.seed),
        })
    }
}

impl Default for Sample {
    fn default() -> Sample {
        let d = csc_synth::Config::default();
        Sample {
            children: d.children,
            seed: d.seed,
        }
    }
}

/// The returns of a job: files, bytes or frames, or the built-in sample.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// Returns in files, bytes or table files (which may hold several collection years), in the
    /// caller's order (later wins for a repeated year).
    pub returns: Vec<Input>,
    /// Returns as Arrow tables, after those in `returns`.
    pub frames: Vec<csc_arrow::ReturnInput>,
    /// The sample to use when there are no returns; `None`: no returns is an empty dataset.
    pub sample: Option<Sample>,
    /// Stop at the first data problem instead of skipping and reporting it.
    pub strict: bool,
}

impl Inputs {
    /// No files and no frames, and a sample to use instead.
    #[must_use]
    pub fn is_sample(&self) -> bool {
        self.returns.is_empty() && self.frames.is_empty() && self.sample.is_some()
    }
}

/// The period or periods of a job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodSpec {
    /// The financial year of the latest collection year loaded, of either kind.
    Latest,
    /// The financial year ending 31 March of this year.
    Year(i32),
    /// `[start, end]`.
    Range(Period),
    /// A series of periods (see [`Series`]).
    Series(Series),
    /// A series of this kind over the [`DEFAULT_MONTHS`](crate::series::DEFAULT_MONTHS) months to
    /// 31 March of the latest collection year loaded.
    LatestSeries(SeriesKind),
}

impl PeriodSpec {
    /// The period from its parts as every surface takes them: a year; or a start and an end
    /// (dates as people type them, `YYYY-MM-DD` or `DD/MM/YYYY`: [`Day::parse_user`]); or a
    /// series (`rolling:12`, `month_end`, `quarters`, `fytd`, `years`) over the months from a
    /// start to an end (dates, or months as `YYYY-MM` or `MM/YYYY`: [`parse_month`]), or over the
    /// 24 months to the latest collection year's 31 March when neither is given; or nothing (the
    /// latest collection year). A year with a start or an end, a start without an end (or an end
    /// without a start) is an [`ErrorKind::InvalidRequest`] error; a date that is not one an
    /// [`ErrorKind::InvalidDate`] error naming the value and the two forms.
    ///
    /// ```
    /// use csc_api::PeriodSpec;
    /// assert_eq!(PeriodSpec::from_parts(None, None, None, None)?, PeriodSpec::Latest);
    /// assert!(matches!(PeriodSpec::from_parts(Some(2024), None, None, None)?, PeriodSpec::Year(2024)));
    /// let e = PeriodSpec::from_parts(Some(2024), Some("2023-04-01"), None, None).unwrap_err();
    /// assert_eq!(e.kind(), csc_measures::ErrorKind::InvalidRequest);
    /// let s = PeriodSpec::from_parts(None, Some("2023-04"), Some("2024-03"), Some("rolling:12"))?;
    /// let PeriodSpec::Series(s) = s else { panic!() };
    /// assert_eq!(s.periods().len(), 12);
    /// let PeriodSpec::Range(p) = PeriodSpec::from_parts(None, Some("01/10/2019"), Some("31/03/2020"), None)? else { panic!() };
    /// assert_eq!(p.to_string(), "2019-10-01..=2020-03-31");
    /// let e = PeriodSpec::from_parts(None, Some("01-10-2019"), Some("2020-03-31"), None).unwrap_err();
    /// assert_eq!(e.kind(), csc_measures::ErrorKind::InvalidDate);
    /// assert!(e.message().starts_with("start \"01-10-2019\" is not a date"));
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    pub fn from_parts(
        year: Option<i32>,
        start: Option<&str>,
        end: Option<&str>,
        series: Option<&str>,
    ) -> Result<PeriodSpec, Error> {
        let month = |what: &str, s: &str| {
            parse_month(s).map_err(|e| Error::new(e.kind(), format!("{what} {}", e.message())))
        };
        match (year, start, end, series) {
            (None, None, None, None) => Ok(PeriodSpec::Latest),
            (Some(y), None, None, None) => {
                financial_year(y)?;
                Ok(PeriodSpec::Year(y))
            }
            (None, Some(s), Some(e), None) => Ok(PeriodSpec::Range(Period::new(
                user_day("start", s)?,
                user_day("end", e)?,
            )?)),
            (None, Some(s), Some(e), Some(kind)) => Ok(PeriodSpec::Series(Series::new(
                kind,
                month("start", s)?,
                month("end", e)?,
            )?)),
            (None, None, None, Some(kind)) => Ok(PeriodSpec::LatestSeries(kind.parse()?)),
            (Some(_), _, _, _) => Err(invalid(
                "give a year, or a start and an end (with a series or not), not both",
            )),
            (None, _, _, Some(_)) => Err(invalid(
                "a series needs a start and an end: the months it runs over",
            )),
            (None, _, _, None) => Err(invalid(
                "a start needs an end, and an end a start (or give a year)",
            )),
        }
    }
}

/// The financial year ending 31 March `year`, as a user gives one: four digits, 1000 to 9999.
/// A year outside is an [`ErrorKind::InvalidPeriod`] error naming the year given and the range,
/// raised before anything is read, so that a job that also looks at earlier years (a report's
/// comparison with the year before, the adoption measures' three years) never fails on a year
/// the user did not give (`--year 2` once said "financial year 1 is outside 2 ..= 9999").
///
/// ```
/// let p = csc_api::financial_year(2024)?;
/// assert_eq!(p.to_string(), "2023-04-01..=2024-03-31");
/// let e = csc_api::financial_year(2).unwrap_err();
/// assert_eq!(e.kind(), csc_measures::ErrorKind::InvalidPeriod);
/// assert!(e.message().starts_with("year 2 is not a financial year"), "{e}");
/// assert!(e.message().contains("1000 to 9999"), "{e}");
/// # Ok::<(), csc_measures::Error>(())
/// ```
pub fn financial_year(year: i32) -> Result<Period, Error> {
    if !(1000..=9999).contains(&year) {
        return Err(Error::new(
            ErrorKind::InvalidPeriod,
            format!(
                "year {year} is not a financial year this takes: give the year it ends in, as four \
                 digits from 1000 to 9999 (2024 is 2023-04-01 to 2024-03-31)"
            ),
        ));
    }
    Period::financial_year(year)
}

/// A date a user typed for `what` (`start`, `end`, ...): [`Day::parse_user`], its error
/// prefixed with `what`.
pub(crate) fn user_day(what: &str, s: &str) -> Result<Day, Error> {
    Day::parse_user(s).map_err(|e| Error::new(e.kind(), format!("{what} {}", e.message())))
}

/// A month as people type one: `YYYY-MM` (`2024-09`), `MM/YYYY` (`09/2024`), or any date of it in
/// either form of [`Day::parse_user`]; the first day of the month. Anything else is an
/// [`ErrorKind::InvalidDate`] error naming the value and the forms.
///
/// ```
/// use csc_api::parse_month;
/// assert_eq!(parse_month("2024-09")?.to_string(), "2024-09-01");
/// assert_eq!(parse_month("09/2024")?, parse_month("30/09/2024")?);
/// assert!(parse_month("2024-13").unwrap_err().message().contains("YYYY-MM"));
/// # Ok::<(), csc_measures::Error>(())
/// ```
pub fn parse_month(s: &str) -> Result<Day, Error> {
    let t = s.trim();
    let num = |x: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&x.len()) && x.bytes().all(|b| b.is_ascii_digit()))
            .then(|| x.parse::<u32>().ok())
            .flatten()
    };
    let ym = if let Some((y, m)) = t
        .split_once('-')
        .filter(|(y, m)| y.len() == 4 && !m.contains('-'))
    {
        Some((y, m))
    } else {
        t.split_once('/')
            .filter(|(_, y)| y.len() == 4 && !y.contains('/'))
            .map(|(m, y)| (y, m))
    };
    let first = match ym {
        Some((y, m)) => match (num(y, 4..=4), num(m, 1..=2)) {
            (Some(y), Some(m)) => Day::from_ymd(y as i32, m, 1).ok(),
            _ => None,
        },
        None => Day::parse_user(t).ok().and_then(|d| {
            let (y, m, _) = d.to_ymd();
            Day::from_ymd(y, m, 1).ok()
        }),
    };
    if let Some(d) = first {
        return Ok(d);
    }
    Err(Error::new(
        ErrorKind::InvalidDate,
        format!(
            "{s:?} is not a month: a month is written YYYY-MM (2024-09) or MM/YYYY (09/2024), or \
             as a date of it, YYYY-MM-DD (2024-09-30) or DD/MM/YYYY (30/09/2024)"
        ),
    ))
}

/// How much of each result is wanted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Detail {
    /// Numbers, exclusions, warnings and extras.
    #[default]
    Counts,
    /// That and every record behind them (the drill-down rows).
    Records,
}

/// What to compute once the inputs are loaded.
#[derive(Clone, Debug)]
pub struct Query {
    /// The period or periods.
    pub period: PeriodSpec,
    /// The measures; empty means every measure.
    pub measures: Vec<MeasureId>,
    /// The options, with the population input.
    pub options: Options,
    /// How much of each result.
    pub detail: Detail,
}

impl Default for Query {
    fn default() -> Query {
        Query {
            period: PeriodSpec::Latest,
            measures: Vec::new(),
            options: Options::default(),
            detail: Detail::Counts,
        }
    }
}

/// Measure ids, each possibly a comma-separated list (`--measure a,b`, spaces around the ids
/// ignored); an unknown id is an [`ErrorKind::UnknownMeasure`] error listing them. No ids at all
/// means every measure, but an id that is given empty (`--measure ""`, `"measures": [""]`,
/// `a,,b`) is an [`ErrorKind::UnknownMeasure`] error too: it is most often a variable the
/// caller forgot to set, and computing every measure in its place would hide that. The same on
/// every surface.
///
/// ```
/// use csc_api::parse_measures;
/// use csc_measures::{ErrorKind, measure::MeasureId};
/// assert_eq!(parse_measures(&["referrals, cla_at_end"])?, [MeasureId::Referrals, MeasureId::ClaAtEnd]);
/// assert!(parse_measures::<&str>(&[])?.is_empty());
/// let e = parse_measures(&[""]).unwrap_err();
/// assert_eq!(e.kind(), ErrorKind::UnknownMeasure);
/// assert!(e.message().contains("empty"), "{e}");
/// # Ok::<(), csc_measures::Error>(())
/// ```
pub fn parse_measures<S: AsRef<str>>(ids: &[S]) -> Result<Vec<MeasureId>, Error> {
    ids.iter()
        .flat_map(|s| s.as_ref().split(','))
        .map(|id| {
            if id.trim().is_empty() {
                return Err(Error::new(
                    ErrorKind::UnknownMeasure,
                    "an empty measure id: give measure ids (`csc-measures compute --measure list` \
                     prints them), or none for every measure",
                ));
            }
            id.parse()
        })
        .collect()
}

/// Options from `(key, value)` pairs.
pub fn parse_options<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> Result<Options, Error> {
    let mut o = Options::default();
    for (k, v) in pairs {
        o.set(k.as_ref(), v.as_ref())?;
    }
    Ok(o)
}

/// One `KEY=VALUE` option as the command line gives it.
pub fn option_pair(kv: &str) -> Result<(&str, &str), Error> {
    kv.split_once('=').ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidOption,
            format!("option {kv:?}: expected KEY=VALUE"),
        )
    })
}

/// Local targets from `ID=VALUE` pairs (`assessments_45wd=85`): an unknown id is an
/// [`ErrorKind::UnknownMeasure`] error, a value that is not a finite number an
/// [`ErrorKind::InvalidRequest`] one.
///
/// ```
/// let t = csc_api::parse_targets(&["assessments_45wd=85", "cla_at_end=480.5"])?;
/// assert_eq!(t[1].1, 480.5);
/// assert!(csc_api::parse_targets(&["assessments_45wd=high"]).is_err());
/// # Ok::<(), csc_measures::Error>(())
/// ```
pub fn parse_targets<S: AsRef<str>>(pairs: &[S]) -> Result<Vec<(MeasureId, f64)>, Error> {
    pairs
        .iter()
        .map(|kv| {
            let kv = kv.as_ref();
            let (id, v) = kv
                .split_once('=')
                .ok_or_else(|| invalid(format!("target {kv:?}: expected MEASURE=VALUE")))?;
            let id: MeasureId = id.parse()?;
            let v: f64 = v
                .trim()
                .parse()
                .ok()
                .filter(|v: &f64| v.is_finite())
                .ok_or_else(|| invalid(format!("target {kv:?}: {v:?} is not a number")))?;
            Ok((id, v))
        })
        .collect()
}

/// A population from what a caller gives: `MIDYEAR=TOTAL` pairs, and CSV files with the columns
/// `year,population` (as ONS mid-year estimates are usually tabulated; other columns ignored). A
/// value that is not a year or a non-negative whole number is `population_invalid`, two totals for
/// one year `population_conflict` (spec 8; [`ErrorKind::InvalidInput`] errors).
pub fn parse_population(
    pairs: &[(String, String)],
    files: &[PathBuf],
) -> Result<Population, Error> {
    let mut p = Population::new();
    for (y, t) in pairs {
        p.insert_text(y, t)?;
    }
    for f in files {
        let text = std::fs::read(f)
            .map_err(|e| Error::new(ErrorKind::Io, format!("cannot read {}: {e}", f.display())))?;
        population_csv(&f.display().to_string(), &text, &mut p)?;
    }
    Ok(p)
}

/// Reads a `year,population` CSV into `p`.
pub fn population_csv(name: &str, bytes: &[u8], p: &mut Population) -> Result<(), Error> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let bad = |msg: String| Error::new(ErrorKind::InvalidInput, format!("{name}: {msg}"));
    let headers = rdr
        .headers()
        .map_err(|e| bad(format!("not a readable CSV file: {e}")))?
        .clone();
    let col = |n: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(n))
    };
    let (Some(y), Some(t)) = (col("year"), col("population")) else {
        return Err(bad(format!(
            "population_invalid: the header [{}] lacks the columns year and population",
            headers.iter().collect::<Vec<_>>().join(",")
        )));
    };
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| bad(format!("not a readable CSV file: {e}")))?;
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        p.insert_text(rec.get(y).unwrap_or(""), rec.get(t).unwrap_or(""))
            .map_err(|e| bad(format!("line {}: {}", i + 2, e.message())))?;
    }
    Ok(())
}

/// A whole job: inputs and query.
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// What to load.
    pub inputs: Inputs,
    /// What to compute.
    pub query: Query,
}

/// The JSON request, as documented on [`Request::from_json`].
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct JsonRequest {
    #[serde(default)]
    cin: Vec<String>,
    #[serde(default)]
    ssda903: Vec<String>,
    #[serde(default)]
    tables: Vec<String>,
    sample: Option<JsonSample>,
    year: Option<i32>,
    start: Option<String>,
    end: Option<String>,
    series: Option<String>,
    measures: Option<Vec<String>>,
    #[serde(default)]
    options: serde_json::Map<String, Value>,
    population: Option<Value>,
    #[serde(default)]
    strict: bool,
    #[serde(default)]
    records: bool,
}

#[derive(Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct JsonSample {
    children: Option<u32>,
    seed: Option<u64>,
}

impl Request {
    /// A request from its JSON form, the plain entry of the C ABI:
    ///
    /// ```text
    /// {"cin":     ["cin2023.xml", "2024=cin2024.xml"],      CIN census files, PATH or YEAR=PATH
    ///  "ssda903": ["2024=ssda903/2024"],                    SSDA903 folders or XML files
    ///  "tables":  ["national"],                             Parquet or Arrow IPC table files, or
    ///                                                       folders of them (PATH or YEAR=PATH)
    ///  "sample":  {"children": 40000, "seed": 42},          used when there are no files
    ///  "year":    2024,                                     the financial year ending 31 March,
    ///  "start": "2023-04-01", "end": "31/03/2024",          or a period (YYYY-MM-DD or DD/MM/YYYY),
    ///  "series": "rolling:12",                              or a series over start..end;
    ///                                                       default: the latest collection year
    ///  "measures": ["assessments_45wd"],                    default: every measure
    ///  "options": {"working_days": "networkdays", "assessment_limit_wd": 40},
    ///  "population": {"2023": 63051},                       mid-year estimates, or a CSV path
    ///  "strict":  false,                                    stop at the first data problem
    ///  "records": false}                                    add the drill-down rows
    /// ```
    ///
    /// Every field is optional. Text that is not JSON, or not of this shape (an unknown field, a
    /// value of the wrong type) is an [`ErrorKind::InvalidRequest`] error; the parts are checked by
    /// the functions every surface uses ([`PeriodSpec::from_parts`], [`parse_measures`], ...).
    ///
    /// ```
    /// use csc_api::{PeriodSpec, Request};
    /// let r = Request::from_json(r#"{"year": 2024, "measures": ["referrals"]}"#)?;
    /// assert_eq!(r.query.period, PeriodSpec::Year(2024));
    /// assert!(r.inputs.is_sample());
    /// let r = Request::from_json(r#"{"tables": ["2024=national"]}"#)?;
    /// assert!(matches!(r.inputs.returns[0].source, csc_api::Source::Tables(_)));
    /// assert_eq!(r.inputs.returns[0].year, Some(2024));
    /// let e = Request::from_json(r#"{"yeer": 2024}"#).unwrap_err();
    /// assert_eq!(e.kind().code(), 108);
    /// # Ok::<(), csc_measures::Error>(())
    /// ```
    pub fn from_json(text: &str) -> Result<Request, Error> {
        let j: JsonRequest = serde_json::from_str(text)
            .map_err(|e| invalid(format!("the request is not a valid request: {e}")))?;
        let mut returns = Vec::new();
        for s in &j.cin {
            returns.push(Input::parse(ReturnKind::Cin, s)?);
        }
        for s in &j.ssda903 {
            returns.push(Input::parse(ReturnKind::Ssda903, s)?);
        }
        for s in &j.tables {
            returns.push(Input::tables(s)?);
        }
        // As the command line: no files is the sample.
        let sample = Some(match &j.sample {
            Some(s) => Sample::new(s.children, s.seed)?,
            None => Sample::default(),
        });
        let period = PeriodSpec::from_parts(
            j.year,
            j.start.as_deref(),
            j.end.as_deref(),
            j.series.as_deref(),
        )?;
        let measures = parse_measures(j.measures.as_deref().unwrap_or_default())?;
        let mut pairs = Vec::new();
        for (k, v) in &j.options {
            let v = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                other => {
                    return Err(Error::new(
                        ErrorKind::InvalidOption,
                        format!("option {k:?}: {other} is not a string or a number"),
                    ));
                }
            };
            pairs.push((k.clone(), v));
        }
        let mut options = parse_options(&pairs)?;
        match &j.population {
            None => {}
            Some(Value::Object(m)) => {
                let pairs: Vec<(String, String)> = m
                    .iter()
                    .map(|(k, v)| {
                        let v = match v {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        };
                        (k.clone(), v)
                    })
                    .collect();
                options = options.with_population(Arc::new(parse_population(&pairs, &[])?));
            }
            Some(Value::String(path)) => {
                let p = parse_population(&[], &[PathBuf::from(path)])?;
                options = options.with_population(Arc::new(p));
            }
            Some(other) => {
                return Err(invalid(format!(
                    "population {other}: give {{\"MIDYEAR\": TOTAL, ...}} or the path of a CSV file"
                )));
            }
        }
        Ok(Request {
            inputs: Inputs {
                returns,
                frames: Vec::new(),
                sample,
                strict: j.strict,
            },
            query: Query {
                period,
                measures,
                options,
                detail: if j.records {
                    Detail::Records
                } else {
                    Detail::Counts
                },
            },
        })
    }
}
