//! Running a query on a dataset: every (measure, period) pair, on all cores with the default
//! `parallel` feature, the results in a fixed order whatever the threads did.

use csc_measures::measure::{MeasureId, Options, compute};
use csc_measures::{Dataset, Error, ErrorKind, MeasureResult, Period};

use crate::request::{Detail, PeriodSpec, Query};
use crate::series::Series;

impl PeriodSpec {
    /// The periods this specification gives on `ds`: the latest collection year loaded needs one
    /// (an [`ErrorKind::InvalidPeriod`] error when no return has a known collection year).
    pub fn periods(&self, ds: &Dataset) -> Result<Vec<Period>, Error> {
        Ok(match self.series(ds)? {
            Some(s) => s.periods(),
            None => match *self {
                PeriodSpec::Year(y) => vec![Period::financial_year(y)?],
                PeriodSpec::Range(p) => vec![p],
                _ => vec![Period::financial_year(latest_year(ds)?)?],
            },
        })
    }

    /// The series this specification gives on `ds`, when it gives one.
    pub fn series(&self, ds: &Dataset) -> Result<Option<Series>, Error> {
        Ok(match *self {
            PeriodSpec::Series(s) => Some(s),
            PeriodSpec::LatestSeries(k) => Some(Series::to_year_end(k, latest_year(ds)?)?),
            _ => None,
        })
    }
}

/// The latest collection year loaded, of either kind: the default year of every job.
pub fn latest_year(ds: &Dataset) -> Result<i32, Error> {
    ds.latest_collection_year().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidPeriod,
            "no collection year is known: give a year, or a start and an end",
        )
    })
}

/// What a query gave.
#[derive(Clone, Debug)]
pub struct Response {
    /// The periods, in order (one, unless the query asked for a series).
    pub periods: Vec<Period>,
    /// The series, when the query asked for one.
    pub series: Option<Series>,
    /// For each period in order, each measure in registry order.
    pub results: Vec<MeasureResult>,
    /// How much each result holds: with [`Detail::Counts`] the drill-down rows are dropped.
    pub detail: Detail,
    /// The first day of the first period to the last day of the last.
    pub span: Period,
}

/// Computes `pairs` in order, on all cores with the `parallel` feature.
#[must_use]
pub fn compute_pairs(
    ds: &Dataset,
    pairs: &[(MeasureId, Period)],
    options: &Options,
) -> Vec<MeasureResult> {
    pairs_at(ds, pairs, options, Detail::Records)
}

/// [`compute_pairs`], each result's drill-down rows dropped as soon as it is computed when
/// `detail` is [`Detail::Counts`]: a long series then never holds every period's rows at once.
fn pairs_at(
    ds: &Dataset,
    pairs: &[(MeasureId, Period)],
    options: &Options,
    detail: Detail,
) -> Vec<MeasureResult> {
    let each = |&(id, p): &(MeasureId, Period)| at_detail(compute(ds, id, p, options), detail);
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        pairs.par_iter().map(each).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        pairs.iter().map(each).collect()
    }
}

/// Computes each measure over its periods (`(measure, periods)` jobs; the measures on all cores
/// with the `parallel` feature) with [`csc_measures::measure::compute_series`], which reads the
/// data once per measure and slices it per period: for each job, the results in the order of its
/// periods, each equal to `compute` for that period alone.
#[must_use]
pub fn compute_series(
    ds: &Dataset,
    jobs: &[(MeasureId, Vec<Period>)],
    options: &Options,
) -> Vec<Vec<MeasureResult>> {
    series_at(ds, jobs, options, Detail::Records)
}

/// [`compute_series`], the drill-down rows dropped per measure as [`pairs_at`] does.
fn series_at(
    ds: &Dataset,
    jobs: &[(MeasureId, Vec<Period>)],
    options: &Options,
    detail: Detail,
) -> Vec<Vec<MeasureResult>> {
    // One measure's periods at a time: its facts are built once and sliced per period.
    let each = |(id, periods): &(MeasureId, Vec<Period>)| {
        let mut results = csc_measures::measure::compute_series(ds, *id, periods, options);
        if detail == Detail::Counts {
            for r in &mut results {
                r.rows = Vec::new();
            }
        }
        results
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        jobs.par_iter().map(each).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        jobs.iter().map(each).collect()
    }
}

/// `r` as `detail` keeps it: without its drill-down rows for [`Detail::Counts`].
fn at_detail(mut r: MeasureResult, detail: Detail) -> MeasureResult {
    if detail == Detail::Counts {
        r.rows = Vec::new();
    }
    r
}

/// The measures a query names, in registry order without repeats; every measure when it names
/// none.
#[must_use]
pub fn measures(ids: &[MeasureId]) -> Vec<MeasureId> {
    csc_measures::measure::selected(ids)
}

/// Runs `q` on `ds`.
pub fn run(ds: &Dataset, q: &Query) -> Result<Response, Error> {
    let periods = q.period.periods(ds)?;
    let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
        return Err(Error::new(
            ErrorKind::InvalidRequest,
            "the request gives no period",
        ));
    };
    let span = Period::new(first.start(), last.end())?;
    let ids = measures(&q.measures);
    let results = if periods.len() == 1 {
        let pairs: Vec<(MeasureId, Period)> = ids.iter().map(|&id| (id, periods[0])).collect();
        pairs_at(ds, &pairs, &q.options, q.detail)
    } else {
        // A series: each measure over every period at once, then period by period.
        let jobs: Vec<(MeasureId, Vec<Period>)> =
            ids.iter().map(|&id| (id, periods.clone())).collect();
        let mut by_measure: Vec<std::vec::IntoIter<MeasureResult>> =
            series_at(ds, &jobs, &q.options, q.detail)
                .into_iter()
                .map(Vec::into_iter)
                .collect();
        let mut out = Vec::with_capacity(periods.len() * ids.len());
        for _ in &periods {
            for it in &mut by_measure {
                out.extend(it.next());
            }
        }
        out
    };
    Ok(Response {
        periods,
        series: q.period.series(ds)?,
        results,
        detail: q.detail,
        span,
    })
}
