//! The scorecard as one self-contained HTML page, for a scrutiny panel: what
//! `csc-measures report --format html` writes and Python's `Scorecard.to_html()` returns.
//!
//! * **Self-contained**: no script, no external style sheet, font or image; the charts are inline
//!   SVG; a Content-Security-Policy (`default-src 'none'`) stops the browser fetching anything.
//! * **Laid out as councils lay it out**: one part per [`Section`] (referrals and assessments,
//!   children in need, child protection, children looked after, placement stability, health,
//!   missing, adoption, care leavers), each indicator a row: its title, the value with numerator
//!   and denominator and the rate per 10,000 where there is one, the trend over the months to the
//!   year's end (when the scorecard has one, [`Scorecard::with_trend`]), last year's value and the
//!   direction of travel judged by the measure's polarity, DfE's comparators (England, region,
//!   statistical neighbours, the authority's own published figure and whether the computed one
//!   reconciles with it), and notes: the threshold where one exists, every warning in words, and
//!   a small-number caution when the denominator is below [`SMALL_DENOMINATOR`].
//! * **Says which period and why**: the header names the period and why it was chosen
//!   ([`Scorecard::reason`]: the year or period asked for, or the latest collection year loaded,
//!   with the collection years of each kind); a measure without data for it shows "no data loaded
//!   for this period" where its value would be.
//! * **A data-quality summary** at the end: each code with its severity, count and meaning.
//! * **Prints to A4** (`@page` A4, rows not split across pages, the contents list hidden).
//! * **Every value is escaped**, and no child identifier appears unless the page is asked for
//!   the drill-down lists ([`Page::records`], the CLI's `--records`).
//!
//! Each indicator row carries `data-measure` (its id) and `data-value` (the value as the JSON
//! scorecard gives it), and its displayed value is the element `[data-field="value"]`, so a test
//! or a script can read the page back.
//!
//! ```
//! use csc_api::render::html::{Page, scorecard};
//! use csc_api::Scorecard;
//! use csc_measures::measure::Options;
//! let ds = csc_synth::dataset(&csc_synth::Config { children: 200, ..Default::default() })?;
//! let card = Scorecard::new(&ds, None, &Options::default())?;
//! let html = scorecard(&card, &Page { source: "sample", issues: ds.issues(), ..Page::default() });
//! assert!(html.starts_with("<!DOCTYPE html>"));
//! assert!(html.contains(r#"data-measure="assessments_45wd""#) && !html.contains("<script"));
//! # Ok::<(), csc_measures::Error>(())
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;

use csc_measures::quality::{Issue, IssueCode};
use csc_measures::result::{MeasureResult, Polarity, Reason};

use crate::render::text::{escape, value_text};
use crate::scorecard::{
    Comparison, Direction, SMALL_DENOMINATOR, ScoreLine, Scorecard, Section, Shown, TrendPoint,
};

/// What the page says besides the scorecard.
#[derive(Clone, Copy, Debug)]
pub struct Page<'a> {
    /// Where the data came from (the load description: files, or the sample).
    pub source: &'a str,
    /// The data-quality entries of the dataset, summarised at the end.
    pub issues: &'a [Issue],
    /// List the records behind each number (child identifiers included); off by default.
    pub records: bool,
    /// Published comparators were asked for: a line without any says "not published".
    pub comparators: bool,
    /// The most drill-down rows listed per indicator (the rest are counted, not shown).
    pub max_records: usize,
}

impl Default for Page<'_> {
    fn default() -> Self {
        Page {
            source: "",
            issues: &[],
            records: false,
            comparators: false,
            max_records: 500,
        }
    }
}

const STYLE: &str = r#"
:root { --ink: #1b1b1b; --muted: #5b616b; --rule: #d0d4da; --better: #00703c; --worse: #b3261e; --band: #f3f5f7; }
* { box-sizing: border-box; }
body { font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1200px; padding: 16px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 20px 0 6px; padding-bottom: 3px; border-bottom: 2px solid var(--ink); }
p.meta, p.legend { color: var(--muted); margin: 2px 0; }
nav ul { list-style: none; padding: 0; margin: 8px 0; display: flex; flex-wrap: wrap; gap: 4px 14px; }
nav a { color: var(--ink); }
table { width: 100%; border-collapse: collapse; table-layout: fixed; }
th, td { text-align: left; vertical-align: top; padding: 5px 6px; border-bottom: 1px solid var(--rule); overflow-wrap: anywhere; }
thead th { font-size: 11px; color: var(--muted); font-weight: 600; }
tbody th { font-weight: normal; }
.title { display: block; font-weight: 600; }
.id, .sub { display: block; color: var(--muted); font-size: 11px; }
.value { display: block; font-size: 17px; font-weight: 700; }
.nodata { color: var(--muted); font-weight: 400; }
.dir { display: block; font-size: 11px; font-weight: 600; }
.improved { color: var(--better); } .worsened { color: var(--worse); } .up, .down, .same, .not_comparable { color: var(--muted); }
.trend svg { width: 100%; max-width: 150px; height: auto; display: block; }
.trend .line { fill: none; stroke: #1d70b8; stroke-width: 1.6; }
.trend .last { fill: #1d70b8; }
.trend .base { stroke: var(--rule); stroke-width: 1; }
.comp span, .notes span { display: block; font-size: 11px; }
.flag { font-weight: 600; }
.agree { color: var(--better); } .differ { color: var(--worse); }
.small { background: #fff7e6; }
tr.records td { background: var(--band); font-size: 11px; }
tr.records table { table-layout: auto; }
tr.records th, tr.records td { padding: 2px 4px; border-bottom: 1px solid #e4e7eb; }
details summary { cursor: pointer; }
section[data-role="data-quality"] td, section[data-role="data-quality"] th { font-size: 12px; }
footer { color: var(--muted); font-size: 11px; margin-top: 16px; }
@page { size: A4; margin: 12mm; }
@media print {
  body { font-size: 9pt; max-width: none; padding: 0; }
  nav { display: none; }
  .value { font-size: 12pt; }
  tr { break-inside: avoid; }
  thead { display: table-header-group; }
  h2 { break-after: avoid; }
  details { display: block; }
}
"#;

fn col_widths() -> &'static str {
    r#"<colgroup><col style="width:25%"><col style="width:14%"><col style="width:17%"><col style="width:11%"><col style="width:18%"><col style="width:15%"></colgroup>"#
}

/// The scorecard as one HTML page (see the module docs).
#[must_use]
pub fn scorecard(card: &Scorecard, page: &Page<'_>) -> String {
    let year_name = card.period_name();
    let mut s = String::with_capacity(64 * 1024);
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Children's social care scorecard, {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&year_name)
    );
    let _ = write!(
        s,
        "<header>\n<h1>Children's social care scorecard, {}</h1>\n\
         <p class=\"meta\" data-field=\"period\">Period {} to {}; adoption measures (A1, A10, A2, A3) over the three years to {}. Source: {}.</p>\n\
         <p class=\"meta\" data-field=\"year-reason\">Why this period: {}</p>\n",
        escape(&year_name),
        card.period.start(),
        card.period.end(),
        escape(&card.end_words()),
        escape(page.source),
        escape(&card.reason)
    );
    if let Some(l) = card.lines.iter().find(|l| !l.trend.is_empty()) {
        let (first, last) = (
            l.trend[0].period.end(),
            l.trend[l.trend.len() - 1].period.end(),
        );
        let _ = writeln!(
            s,
            "<p class=\"legend\">Trend: the measure over its window (12 months; 36 for adoption) ending at each month-end from {first} to {last}. \
             Direction: this year against last year, judged by which way is better; \"up\" and \"down\" for volumes.</p>"
        );
    }
    s.push_str("</header>\n<nav aria-label=\"Sections\"><ul>");
    let sections: Vec<Section> = Section::ALL
        .into_iter()
        .filter(|sec| card.lines.iter().any(|l| l.section() == *sec))
        .collect();
    for sec in &sections {
        let _ = write!(
            s,
            "<li><a href=\"#{}\">{}</a></li>",
            sec.as_str(),
            escape(sec.title())
        );
    }
    s.push_str("<li><a href=\"#data-quality\">Data quality</a></li></ul></nav>\n<main>\n");
    for sec in sections {
        let _ = write!(
            s,
            "<section id=\"{}\">\n<h2>{}</h2>\n<table>{}<thead><tr><th>Indicator</th><th>This year</th><th>Trend</th><th>Last year</th><th>Comparators</th><th>Notes</th></tr></thead>\n<tbody>\n",
            sec.as_str(),
            escape(sec.title()),
            col_widths()
        );
        for l in card.lines.iter().filter(|l| l.section() == sec) {
            indicator(&mut s, l, page);
        }
        s.push_str("</tbody></table>\n</section>\n");
    }
    data_quality(&mut s, page.issues);
    let _ = write!(
        s,
        "</main>\n<footer>Computed by csc-measures {} from the child-level returns; definitions in its MEASURES.md.</footer>\n</body>\n</html>\n",
        escape(env!("CARGO_PKG_VERSION"))
    );
    s
}

fn json_number(r: &MeasureResult) -> String {
    crate::render::json::value(r).to_string()
}

fn indicator(s: &mut String, l: &ScoreLine, page: &Page<'_>) {
    let r = &l.current;
    let small = l.is_small();
    let _ = write!(
        s,
        "<tr data-measure=\"{}\" data-value=\"{}\" data-direction=\"{}\"{}>",
        escape(r.id.as_str()),
        escape(&json_number(r)),
        l.direction.as_str(),
        if small { " class=\"small\"" } else { "" }
    );
    let _ = write!(
        s,
        "<th scope=\"row\"><span class=\"title\">{}</span><span class=\"id\">{} · {}{}</span></th>",
        escape(&csc_measures::measure::options::title(r.id, &r.options)),
        escape(r.id.as_str()),
        escape(r.unit.as_str()),
        match r.id.polarity() {
            Polarity::Higher => " · higher is better",
            Polarity::Lower => " · lower is better",
            _ => "",
        }
    );
    // This year.
    let nodata = if r.is_no_data() { " nodata" } else { "" };
    let _ = write!(
        s,
        "<td><span class=\"value{nodata}\" data-field=\"value\">{}</span>",
        escape(&value_text(r))
    );
    if let Some(d) = r.denominator {
        let _ = write!(
            s,
            "<span class=\"sub\">{} of {}</span>",
            r.numerator.unwrap_or(0),
            d
        );
    }
    if let Some(rate) = r.extras.float("rate_per_10000") {
        let _ = write!(
            s,
            "<span class=\"sub\">{rate:.1} per 10,000 children</span>"
        );
    }
    s.push_str("</td>");
    // Trend.
    s.push_str("<td class=\"trend\">");
    trend_svg(s, r, &l.trend);
    s.push_str("</td>");
    // Last year.
    let _ = write!(
        s,
        "<td><span>{}</span><span class=\"dir {}\">{}</span></td>",
        escape(&value_text(&l.previous)),
        l.direction.as_str(),
        direction_words(l.direction)
    );
    // Comparators.
    s.push_str("<td class=\"comp\">");
    match &l.comparison {
        Some(c) => comparison(s, c),
        None if page.comparators => s.push_str("<span>Not in the published tables given</span>"),
        None => s.push_str("<span>&ndash;</span>"),
    }
    s.push_str("</td>");
    notes(s, l, small);
    s.push_str("</tr>\n");
    if page.records && !r.rows.is_empty() {
        records(s, r, page.max_records);
    }
}

/// The notes cell: threshold, target, small-number caution, warnings in words, exclusions.
fn notes(s: &mut String, l: &ScoreLine, small: bool) {
    let r = &l.current;
    s.push_str("<td class=\"notes\">");
    if let Some(t) = r.extras.int("threshold") {
        let met = match r.extras.flag("meets_threshold") {
            Some(true) => ": met",
            Some(false) => ": not met",
            None => "",
        };
        let _ = write!(s, "<span>Threshold {t} days{met}</span>");
    }
    if let Some(t) = l.target {
        let mut one = r.clone();
        one.value = Some(t);
        let met = match l.meets_target() {
            Some(true) => ": met",
            Some(false) => ": not met",
            None => "",
        };
        let _ = write!(s, "<span>Target {}{met}</span>", escape(&value_text(&one)));
    }
    if small {
        let _ = write!(
            s,
            "<span class=\"flag\">Small number: fewer than {SMALL_DENOMINATOR} in the denominator; read with care</span>"
        );
    }
    for w in &r.warnings {
        let _ = write!(s, "<span>{}</span>", escape(&w.describe().replace('`', "")));
    }
    let excluded: u64 = r.excluded.values().sum();
    if excluded > 0 {
        let reasons: Vec<String> = r
            .excluded
            .iter()
            .map(|(k, n)| format!("{n} {}", k.as_str().replace('_', " ")))
            .collect();
        let _ = write!(s, "<span>Excluded: {}</span>", escape(&reasons.join(", ")));
    }
    s.push_str("</td>");
}

fn direction_words(d: Direction) -> &'static str {
    match d {
        Direction::Improved => "&#9650; better",
        Direction::Worsened => "&#9660; worse",
        Direction::Up => "up",
        Direction::Down => "down",
        Direction::Same => "same",
        Direction::NotComparable => "not comparable",
    }
}

fn shown(s: &Shown) -> String {
    escape(&s.text)
}

fn comparison(s: &mut String, c: &Comparison) {
    if let Some(e) = &c.england {
        let _ = write!(s, "<span>England {}</span>", shown(e));
    }
    if let Some((name, v)) = &c.region {
        let _ = write!(s, "<span>{} {}</span>", escape(name), shown(v));
    }
    if let Some((mean, median, with, of)) = &c.neighbours {
        let _ = write!(
            s,
            "<span>Neighbours mean {}, median {} ({with} of {of})</span>",
            shown(mean),
            shown(median)
        );
    }
    if let Some(own) = &c.own {
        let (class, words) = match c.reconciles() {
            Some(true) => ("agree", "reconciles"),
            Some(false) => ("differ", "differs from the computed"),
            None => ("", "not comparable"),
        };
        let _ = write!(
            s,
            "<span class=\"{class}\" data-field=\"published\">Published {}: {}</span>",
            shown(own),
            words
        );
        let differing: Vec<String> = c
            .reconciliation
            .iter()
            .filter(|l| l.agrees == Some(false))
            .map(|l| format!("{} {} vs {}", l.label, l.computed, l.published))
            .collect();
        if !differing.is_empty() {
            let _ = write!(
                s,
                "<span class=\"differ\">Differs: {}</span>",
                escape(&differing.join("; "))
            );
        }
    }
    let _ = write!(
        s,
        "<span class=\"id\">DfE {}, {}-{:02}</span>",
        escape(&c.source),
        c.year - 1,
        c.year % 100
    );
}

/// A line chart of the trend: one polyline per run of months with a value (a month without data
/// breaks the line), the last point marked; the title lists the first and last values.
fn trend_svg(s: &mut String, r: &MeasureResult, trend: &[TrendPoint]) {
    const W: f64 = 150.0;
    const H: f64 = 40.0;
    const PAD: f64 = 4.0;
    let values: Vec<f64> = trend.iter().filter_map(|t| t.value).collect();
    if values.is_empty() {
        if !trend.is_empty() {
            s.push_str("<span class=\"sub\">no data</span>");
        }
        return;
    }
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let n = trend.len().max(2) - 1;
    let x = |i: usize| PAD + (W - 2.0 * PAD) * i as f64 / n as f64;
    let y = |v: f64| {
        if hi > lo {
            H - PAD - (H - 2.0 * PAD) * (v - lo) / (hi - lo)
        } else {
            H / 2.0
        }
    };
    let point_text = |t: &TrendPoint| {
        let shown = match t.value {
            Some(v) => {
                let mut one = r.clone();
                one.value = Some(v);
                value_text(&one)
            }
            None => "no data".to_owned(),
        };
        format!("{} {}", t.period.end(), shown)
    };
    let first = point_text(&trend[0]);
    let last = point_text(&trend[trend.len() - 1]);
    let label = format!(
        "Trend of {} over {} month-ends: {first} to {last}",
        csc_measures::measure::options::title(r.id, &r.options),
        trend.len()
    );
    let _ = write!(
        s,
        "<svg viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\"><title>{}</title><line class=\"base\" x1=\"{PAD}\" y1=\"{b}\" x2=\"{e}\" y2=\"{b}\"/>",
        escape(&label),
        escape(&label),
        b = H - PAD / 2.0,
        e = W - PAD
    );
    let mut run: Vec<String> = Vec::new();
    let flush = |run: &mut Vec<String>, s: &mut String| {
        if run.len() == 1 {
            let (px, py) = run[0].split_once(',').unwrap_or(("0", "0"));
            let _ = write!(
                s,
                "<circle class=\"last\" cx=\"{px}\" cy=\"{py}\" r=\"1.5\"/>"
            );
        } else if run.len() > 1 {
            let _ = write!(s, "<polyline class=\"line\" points=\"{}\"/>", run.join(" "));
        }
        run.clear();
    };
    let mut last_point = None;
    for (i, t) in trend.iter().enumerate() {
        match t.value {
            Some(v) => {
                let p = (x(i), y(v));
                run.push(format!("{:.1},{:.1}", p.0, p.1));
                last_point = Some(p);
            }
            None => flush(&mut run, s),
        }
    }
    flush(&mut run, s);
    if let Some((px, py)) = last_point {
        let _ = write!(
            s,
            "<circle class=\"last\" cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"2.5\"/>"
        );
    }
    s.push_str("</svg>");
    let _ = write!(
        s,
        "<span class=\"sub\">{} &rarr; {}</span>",
        escape(&first),
        escape(&last)
    );
}

fn records(s: &mut String, r: &MeasureResult, max: usize) {
    let n = r.rows.len();
    let _ = write!(
        s,
        "<tr class=\"records\"><td colspan=\"6\"><details><summary>The {n} records behind {}</summary><table><thead><tr><th>child</th><th>record</th><th>in denominator</th><th>in numerator</th><th>value</th><th>reason</th></tr></thead><tbody>",
        escape(r.id.as_str())
    );
    for row in r.rows.iter().take(max) {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&row.child),
            row.record.map(|d| d.to_string()).unwrap_or_default(),
            row.in_denominator,
            row.in_numerator,
            row.value.map(|v| v.to_string()).unwrap_or_default(),
            row.reason.map(Reason::as_str).unwrap_or_default()
        );
    }
    s.push_str("</tbody></table>");
    if n > max {
        let _ = write!(
            s,
            "<p>The first {max} of {n} records; <code>csc-measures compute --records FILE</code> writes them all.</p>"
        );
    }
    s.push_str("</details></td></tr>\n");
}

fn data_quality(s: &mut String, issues: &[Issue]) {
    let mut by_code: BTreeMap<IssueCode, usize> = BTreeMap::new();
    for i in issues {
        *by_code.entry(i.code).or_default() += 1;
    }
    let _ = write!(
        s,
        "<section id=\"data-quality\" data-role=\"data-quality\">\n<h2>Data quality</h2>\n<p class=\"meta\">{} entries from reading and merging the returns: rows skipped, repaired or doubted. <code>csc-measures check</code> lists each with its file, line, column and value.</p>\n",
        issues.len()
    );
    if by_code.is_empty() {
        s.push_str("<p>No entries.</p>\n</section>\n");
        return;
    }
    s.push_str("<table><colgroup><col style=\"width:28%\"><col style=\"width:10%\"><col style=\"width:8%\"><col style=\"width:54%\"></colgroup><thead><tr><th>code</th><th>severity</th><th>entries</th><th>meaning</th></tr></thead><tbody>\n");
    for (code, n) in by_code {
        let _ = writeln!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{n}</td><td>{}</td></tr>",
            escape(code.as_str()),
            escape(code.severity().as_str()),
            escape(code.description())
        );
    }
    s.push_str("</tbody></table>\n</section>\n");
}
