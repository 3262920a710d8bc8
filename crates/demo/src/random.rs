//! A small deterministic generator (SplitMix64): the same demo every run, no dependency.

pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Random {
        Random(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `low..=high`.
    pub fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next_u64() % (high - low + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.between(1, 100) <= percent
    }

    /// A skewed size weight: most insatser are small, a few large (as in the real data).
    pub fn weight(&mut self) -> u64 {
        let base = self.between(1, 10);
        if self.chance(15) { base * self.between(3, 8) } else { base }
    }
}

/// Splits `total` into parts proportional to `weights`, exactly (largest remainder).
pub fn split(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u64 = weights.iter().sum();
    if sum == 0 {
        return vec![0; weights.len()];
    }
    let mut parts: Vec<u64> = weights.iter().map(|w| total * w / sum).collect();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse((total * weights[i]) % sum));
    let missing = total - parts.iter().sum::<u64>();
    for &i in order.iter().take(usize::try_from(missing).expect("small")) {
        parts[i] += 1;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_exact_and_proportional() {
        let parts = split(100, &[1, 1, 1]);
        assert_eq!(parts.iter().sum::<u64>(), 100);
        assert!(parts.iter().all(|p| *p == 33 || *p == 34));
        assert_eq!(split(10, &[0, 5, 0]), vec![0, 10, 0]);
        assert_eq!(split(7, &[0, 0]), vec![0, 0]);
    }

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let (mut a, mut b) = (Random::new(7), Random::new(7));
        assert_eq!((0..5).map(|_| a.next_u64()).collect::<Vec<_>>(), (0..5).map(|_| b.next_u64()).collect::<Vec<_>>());
    }
}
