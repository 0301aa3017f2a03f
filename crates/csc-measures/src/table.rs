//! Building blocks of the columnar tables of the [`crate::Dataset`] (made from the
//! [schema](crate::schema)): where a row came from, and the offsets that make a child's rows one
//! slice of every column.

/// Where a row of the dataset came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Source {
    /// Index of the return in [`crate::Dataset::returns`].
    pub ret: u32,
    /// Index of the file in [`crate::Dataset::files`], `u32::MAX` when the row was built in code.
    pub file: u32,
    /// 1-based line in that file, 0 when unknown.
    pub line: u32,
}

impl Source {
    /// No file.
    pub const NO_FILE: u32 = u32::MAX;
}

/// Builds, for rows sorted by child index, the offsets `o` such that child `c`'s rows are
/// `o[c]..o[c + 1]`.
pub(crate) fn offsets(child: &[u32], n_children: usize) -> Vec<u32> {
    let mut o = vec![0u32; n_children + 1];
    for &c in child {
        o[c as usize + 1] += 1;
    }
    for i in 0..n_children {
        o[i + 1] += o[i];
    }
    o
}
