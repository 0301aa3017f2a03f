//! Children looked after measures (spec section 5), read from the SSDA903 care episodes after the
//! merge and repairs of spec 2.1, with the periods of care and placements of spec 2.2.
//!
//! Every measure here carries `period_beyond_data` and `period_before_data` against the loaded
//! SSDA903 returns.

pub mod cla_at_end;
pub mod stability_3plus_placements;
pub mod stability_long_term;

use crate::dataset::Dataset;
use crate::day::Day;
use crate::period::open_at;

/// The care-episode row of `child` open at `d` (short breaks included). After the 2.1 repairs a
/// child's episodes do not overlap, so there is at most one but for zero-length episodes on `d`,
/// which are never open; should two be open, the later-starting one is taken.
pub(crate) fn open_episode(ds: &Dataset, child: u32, d: Day) -> Option<usize> {
    let t = ds.care_episodes();
    t.of_child(child)
        .rev()
        .find(|&i| open_at(t.decom[i], t.dec[i], d))
}

/// A child counted by `cla_at_end`: looked after at `d` and not on a short break then. Returns the
/// open episode's row, or `Err(row)` when that episode is a short break.
pub(crate) fn looked_after(ds: &Dataset, child: u32, d: Day) -> Option<Result<usize, usize>> {
    let row = open_episode(ds, child, d)?;
    Some(if ds.care().short_break[row] {
        Err(row)
    } else {
        Ok(row)
    })
}
