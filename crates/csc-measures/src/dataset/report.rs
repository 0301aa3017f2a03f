//! Where the build's entries go: each return's place and files, and the reporter that locates an
//! entry by its row's origin and stops a strict build at the first entry that stops it.

use std::sync::Arc;

use super::merge::Report;
use crate::error::Error;
use crate::quality::{Issue, Location};
use crate::records::{ReturnKind, RowOrigin};
use crate::table::Source;

/// A return's place in merge order and what the reporter needs of it.
pub(super) struct Meta {
    pub kind: ReturnKind,
    pub year: Option<i32>,
    pub files: Vec<Arc<str>>,
    pub file_base: u32,
}

/// Collects the build's entries, each located in its file.
pub(super) struct Reporter<'a> {
    pub metas: &'a [Meta],
    pub issues: Vec<Issue>,
    pub strict: bool,
    /// The error a strict build stops with, once an entry stops it.
    pub fatal: Option<Error>,
}

impl Reporter<'_> {
    pub(super) fn location(&self, ret: u32, origin: RowOrigin) -> Option<Location> {
        let meta = self.metas.get(ret as usize)?;
        let file = meta.files.get(origin.file as usize).cloned();
        if file.is_none() && origin.line == 0 {
            return None;
        }
        Some(Location {
            file,
            line: (origin.line > 0).then_some(origin.line),
            ..Location::default()
        })
    }

    pub(super) fn push(&mut self, issue: Issue) {
        if self.strict && self.fatal.is_none() && issue.code.stops_strict() {
            self.fatal = Some(issue.strict_error());
        }
        self.issues.push(issue);
    }

    /// Reports an issue about a row of a frozen table.
    pub(super) fn report_source(&mut self, s: Source, issue: Issue) {
        let base = self.metas.get(s.ret as usize).map_or(0, |m| m.file_base);
        self.report(
            s.ret,
            RowOrigin::new(s.file.wrapping_sub(base), s.line),
            issue,
        );
    }
}

impl Report for Reporter<'_> {
    fn report(&mut self, ret: u32, origin: RowOrigin, issue: Issue) {
        let loc = self.location(ret, origin);
        self.push(issue.at(loc));
    }
}
