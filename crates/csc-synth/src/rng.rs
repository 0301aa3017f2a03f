//! A small, frozen pseudo-random generator: `SplitMix64` for seeding, `xoshiro256**` for the streams.
//!
//! Both algorithms are written out here (Vigna's public-domain reference versions) so that a
//! dependency upgrade can never change a generated dataset: the same seed gives the same returns
//! in every version of this crate that keeps these functions.

/// One step of `SplitMix64`: advances `state` and returns the next output.
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `xoshiro256**`, seeded through `SplitMix64`.
#[derive(Clone, Debug)]
pub(crate) struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// The stream of child `index` under `seed`: independent of every other child's, so children
    /// can be generated in any order or in parallel chunks.
    pub(crate) fn for_child(seed: u64, index: u64) -> Rng {
        let mut sm = seed;
        let a = splitmix64(&mut sm);
        let mut sm = a ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03);
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Rng { s }
    }

    /// Stream `stream` of child `index` under `seed`: independent of [`Rng::for_child`]'s stream,
    /// so drawing more from it never changes what that stream draws.
    pub(crate) fn for_stream(seed: u64, index: u64, stream: u64) -> Rng {
        let mut sm = seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F);
        let a = splitmix64(&mut sm);
        Rng::for_child(a, index)
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// A uniform value in `0..n` (`n > 0`), by Lemire's multiply-shift (bias below 2^-32).
    pub(crate) fn below(&mut self, n: u32) -> u32 {
        (((self.next_u64() >> 32) * u64::from(n)) >> 32) as u32
    }

    /// A uniform value in `lo..=hi` (`lo <= hi`).
    pub(crate) fn range(&mut self, lo: i32, hi: i32) -> i32 {
        debug_assert!(lo <= hi);
        lo + self.below((hi - lo + 1) as u32) as i32
    }

    /// A uniform double in `[0, 1)`.
    #[allow(clippy::cast_precision_loss)] // 53 bits, exactly representable
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    pub(crate) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// An exponentially distributed number of days with the given mean, at least 1.
    pub(crate) fn exp_days(&mut self, mean: f64) -> i32 {
        let u = self.unit();
        let d = -mean * (1.0 - u).ln();
        (d.min(1.0e6) as i32).max(1)
    }

    /// An index into `weights`, chosen with probability proportional to its weight.
    pub(crate) fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    /// A value from `table`, chosen with probability proportional to its weight.
    pub(crate) fn pick<T: Copy>(&mut self, table: &[(T, u32)]) -> T {
        let total: u32 = table.iter().map(|&(_, w)| w).sum();
        let mut x = self.below(total);
        for &(v, w) in table {
            if x < w {
                return v;
            }
            x -= w;
        }
        table[table.len() - 1].0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_reference_values() {
        // First outputs of SplitMix64 seeded with 1234567 (reference implementation).
        let mut s = 1_234_567u64;
        assert_eq!(splitmix64(&mut s), 6_457_827_717_110_365_317);
        assert_eq!(splitmix64(&mut s), 3_203_168_211_198_807_973);
    }

    #[test]
    fn streams_are_stable_and_distinct() {
        let mut a = Rng::for_child(42, 7);
        let mut b = Rng::for_child(42, 7);
        let mut c = Rng::for_child(42, 8);
        let xa: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
        let xb: Vec<u64> = (0..4).map(|_| b.next_u64()).collect();
        let xc: Vec<u64> = (0..4).map(|_| c.next_u64()).collect();
        assert_eq!(xa, xb);
        assert_ne!(xa, xc);
    }

    #[test]
    fn helpers_stay_in_range() {
        let mut r = Rng::for_child(1, 1);
        for _ in 0..10_000 {
            assert!(r.below(7) < 7);
            let x = r.range(-3, 3);
            assert!((-3..=3).contains(&x));
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
            assert!(r.exp_days(10.0) >= 1);
            assert!(r.weighted(&[0, 5, 0, 1]) % 2 == 1);
        }
    }
}
