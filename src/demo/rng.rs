//! The demo's randomness: a seeded SplitMix64 stream per file and weighted picks.
//!
//! The demo data must be byte-identical for the same options on every machine and every run,
//! so it draws from its own tiny generator instead of a crate whose stream may change between
//! versions.

/// SplitMix64 (Steele, Lea and Flood, 2014): tiny, fast and plenty for demo data.
pub(super) struct Rng(u64);

impl Rng {
    /// An independent stream per file, so changing one generator leaves the others' bytes.
    pub(super) fn new(seed: u64, stream: u64) -> Self {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next_u64();
        rng
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub(super) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n`; `n` must be positive.
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi`.
    pub(super) fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }

    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with the given weights (small tables; see [`Table`] for hot loops).
    pub(super) fn weighted(&mut self, weights: &[u32]) -> usize {
        let mut x = self.below(u64::from(weights.iter().sum::<u32>())) as u32;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
}

/// Cumulative weights, for weighted picks in O(log n). Entries of weight 0 are never picked.
pub(super) struct Table(Vec<u64>);

impl Table {
    pub(super) fn new(weights: impl IntoIterator<Item = u64>) -> Self {
        let mut sum = 0;
        Table(
            weights
                .into_iter()
                .map(|w| {
                    sum += w;
                    sum
                })
                .collect(),
        )
    }

    pub(super) fn pick(&self, rng: &mut Rng) -> usize {
        let x = rng.below(*self.0.last().expect("a non-empty table"));
        self.0.partition_point(|c| *c <= x)
    }
}
