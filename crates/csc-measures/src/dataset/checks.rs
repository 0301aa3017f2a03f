//! The checks of spec 3 that look across a child's records once they are merged: `cpp_overlap`,
//! `open_after_cin_closed` (CIN census), `no_care_episode` (SSDA903).

use compact_str::CompactString;

use super::merge::show;
use super::report::Reporter;
use super::{Ad1s, CareEpisodes, PlacedAdoptions};
use crate::day::Day;
use crate::quality::{Issue, IssueCode};
use crate::records::{CinTables, Ssda903Tables};
use crate::table::Source;

/// Every check, in this order: the CIN census's, then the SSDA903's.
pub(super) fn check(
    cin: &CinTables,
    ssda903: &Ssda903Tables,
    ids: &[CompactString],
    rep: &mut Reporter<'_>,
) {
    check_cin(cin, ids, rep);
    check_adoption_rows(
        &ssda903.episodes,
        &ssda903.ad1,
        &ssda903.placed_adoption,
        ids,
        rep,
    );
}

/// `no_care_episode`: adoption rows (AD1, PlacedAdoption) of a child without any care episode.
fn check_adoption_rows(
    care: &CareEpisodes,
    ad1: &Ad1s,
    placed: &PlacedAdoptions,
    ids: &[CompactString],
    rep: &mut Reporter<'_>,
) {
    for c in 0..ids.len() as u32 {
        if !care.of_child(c).is_empty() {
            continue;
        }
        let rows = ad1
            .of_child(c)
            .map(|i| ("AD1", ad1.date_match[i], ad1.source[i]))
            .chain(
                placed
                    .of_child(c)
                    .map(|i| ("PlacedAdoption", placed.date_placed[i], placed.source[i])),
            );
        for (table, date, s) in rows {
            let msg = format!(
                "{table} row for a child with no care episode in the loaded returns; no adoption measure can use it"
            );
            rep.report_source(
                s,
                Issue::new(IssueCode::NoCareEpisode, msg)
                    .child(&ids[c as usize])
                    .record(date),
            );
        }
    }
}

/// `cpp_overlap` and `open_after_cin_closed` (spec 3; CIN plans too, spec 2.4).
fn check_cin(cin: &CinTables, ids: &[CompactString], rep: &mut Reporter<'_>) {
    let (eps, assessments, plans, cin_plans) =
        (&cin.episodes, &cin.assessments, &cin.plans, &cin.cin_plans);
    let report_at = |rep: &mut Reporter<'_>, s: Source, issue: Issue| rep.report_source(s, issue);
    // A child's episodes by referral date, looked up by binary search: a child with N records
    // costs N log N, not N squared (issue 16, D14). The sort is stable, so the first episode of a
    // date in row order is the one found, as a scan would find it.
    let mut referrals: Vec<(Day, usize)> = Vec::new();
    for c in 0..ids.len() as u32 {
        let child = ids[c as usize].as_str();
        referrals.clear();
        referrals.extend(eps.of_child(c).map(|i| (eps.referral_date[i], i)));
        referrals.sort_by_key(|&(d, _)| d);
        let referrals = &referrals;
        let closure = |referral: Day| {
            let at = referrals.partition_point(|&(d, _)| d < referral);
            referrals
                .get(at)
                .filter(|&&(d, _)| d == referral)
                .and_then(|&(_, i)| eps.closure_date[i])
        };
        // `open_after_cin_closed`: a record of the episode `referral` still open (ending `end`,
        // blank: open) after the episode closed.
        let after_closed = |rep: &mut Reporter<'_>,
                            (source, referral, record): (Source, Day, Option<Day>),
                            end: Option<Day>,
                            what: &str| {
            if let Some(cl) = closure(referral).filter(|&cl| end.is_none_or(|e| e > cl)) {
                let msg = format!(
                    "{what} open after its CIN episode closed on {cl} ({} {})",
                    if what == "assessment" {
                        "authorised"
                    } else {
                        "plan ends"
                    },
                    show(end)
                );
                let issue = Issue::new(IssueCode::OpenAfterCinClosed, msg)
                    .child(child)
                    .record(record);
                report_at(rep, source, issue);
            }
        };
        let mut latest_end: Option<(Day, Option<Day>)> = None; // (start, end) of the plan reaching furthest
        for i in plans.of_child(c) {
            let (Some(s), e) = (plans.start_date[i], plans.end_date[i]) else {
                continue;
            };
            if let Some((ps, pe)) = latest_end {
                if pe.is_none_or(|pe| s <= pe) {
                    let msg = format!(
                        "CP plan starting {s} starts while the plan starting {ps} is open (ends {})",
                        show(pe)
                    );
                    report_at(
                        rep,
                        plans.source[i],
                        Issue::new(IssueCode::CppOverlap, msg)
                            .child(child)
                            .record(Some(s)),
                    );
                }
            }
            if latest_end
                .is_none_or(|(_, pe)| pe.is_some() && e.is_none_or(|e| pe.is_some_and(|pe| e > pe)))
            {
                latest_end = Some((s, e));
            }
            let at = (plans.source[i], plans.episode_referral_date[i], Some(s));
            after_closed(rep, at, e, "CP plan");
        }
        for i in cin_plans.of_child(c) {
            let (Some(s), e) = (cin_plans.start_date[i], cin_plans.end_date[i]) else {
                continue;
            };
            let at = (
                cin_plans.source[i],
                cin_plans.episode_referral_date[i],
                Some(s),
            );
            after_closed(rep, at, e, "CIN plan");
        }
        for i in assessments.of_child(c) {
            let a = &assessments;
            let at = (a.source[i], a.episode_referral_date[i], a.start_date[i]);
            after_closed(rep, at, a.authorisation_date[i], "assessment");
        }
    }
}
