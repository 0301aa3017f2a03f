//! Columnar tables of the [`crate::Dataset`]: one `Vec` per field, rows sorted by child then date,
//! and an offset per child so that a child's rows are one slice of every column.

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

/// Declares a columnar table for a row type of [`crate::records`]. The row type must have the
/// fields `child: CompactString` and `origin: RowOrigin` besides the ones listed.
macro_rules! table {
    ($(#[$doc:meta])* $name:ident for $row:ident { $($(#[$fdoc:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Eq)]
        pub struct $name {
            /// Index of the row's child in [`crate::Dataset::children`].
            pub child: Vec<u32>,
            $($(#[$fdoc])* pub $field: Vec<$ty>,)*
            /// Where each row came from.
            pub source: Vec<$crate::table::Source>,
            offsets: Vec<u32>,
        }

        impl $name {
            /// The number of rows.
            #[must_use]
            pub fn len(&self) -> usize {
                self.child.len()
            }

            /// No rows?
            #[must_use]
            pub fn is_empty(&self) -> bool {
                self.child.is_empty()
            }

            /// The rows of child `child` (an index into [`crate::Dataset::children`]).
            #[must_use]
            pub fn of_child(&self, child: u32) -> std::ops::Range<usize> {
                let c = child as usize;
                match (self.offsets.get(c), self.offsets.get(c + 1)) {
                    (Some(&a), Some(&b)) => a as usize..b as usize,
                    _ => 0..0,
                }
            }

            /// Row `i` as a record, with `origin.file` an index into [`crate::Dataset::files`].
            #[must_use]
            pub fn row(&self, i: usize, children: &[compact_str::CompactString]) -> $row {
                let s = self.source[i];
                $row {
                    child: children[self.child[i] as usize].clone(),
                    $($field: self.$field[i].clone(),)*
                    origin: $crate::records::RowOrigin::new(s.file, s.line),
                }
            }

            /// Builds the table from rows sorted by child index.
            pub(crate) fn from_rows(
                rows: Vec<(u32, $row, $crate::table::Source)>,
                n_children: usize,
            ) -> $name {
                let n = rows.len();
                let mut t = $name {
                    child: Vec::with_capacity(n),
                    $($field: Vec::with_capacity(n),)*
                    source: Vec::with_capacity(n),
                    offsets: Vec::new(),
                };
                for (c, row, s) in rows {
                    t.child.push(c);
                    $(t.$field.push(row.$field);)*
                    t.source.push(s);
                }
                t.offsets = $crate::table::offsets(&t.child, n_children);
                t
            }
        }
    };
}

pub(crate) use table;
