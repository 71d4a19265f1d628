//! Random draws that never panic and do not depend on the platform.
//!
//! fastrand panics on an empty range, and its `usize` draws differ between 32-bit and 64-bit
//! targets; these helpers take bounds in any order and draw only 64- and 128-bit integers, so a
//! seed gives the same sequence everywhere.

use fastrand::Rng;

/// A uniform integer in `lo..=hi` (bounds in any order).
pub(crate) fn between(rng: &mut Rng, lo: u64, hi: u64) -> u64 {
    rng.u64(lo.min(hi)..=lo.max(hi))
}

/// A uniform integer in `lo..=hi` (bounds in any order).
pub(crate) fn between_i128(rng: &mut Rng, lo: i128, hi: i128) -> i128 {
    rng.i128(lo.min(hi)..=lo.max(hi))
}

/// A uniform count in `lo..=hi` (bounds in any order).
pub(crate) fn count(rng: &mut Rng, lo: usize, hi: usize) -> usize {
    let drawn = between(rng, to_u64(lo), to_u64(hi));
    usize::try_from(drawn).unwrap_or(lo)
}

/// `true` with a probability of `percent` / 100.
pub(crate) fn chance(rng: &mut Rng, percent: u64) -> bool {
    rng.u64(0..100) < percent
}

/// A uniform element of `items`, or `None` when it is empty.
pub(crate) fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> Option<&'a T> {
    let last = items.len().checked_sub(1)?;
    let index = between(rng, 0, to_u64(last));
    items.get(usize::try_from(index).ok()?)
}

/// A uniform element of `items`, or `fallback` when it is empty.
pub(crate) fn pick_or<T: Copy>(rng: &mut Rng, items: &[T], fallback: T) -> T {
    pick(rng, items).copied().unwrap_or(fallback)
}

fn to_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_in_any_order_and_empty_slices_do_not_panic() {
        let mut rng = Rng::with_seed(7);
        for _ in 0..100 {
            let n = between(&mut rng, 10, 3);
            assert!((3..=10).contains(&n));
            let m = between_i128(&mut rng, 5, -5);
            assert!((-5..=5).contains(&m));
        }
        assert_eq!(pick::<u8>(&mut rng, &[]), None);
        assert_eq!(pick_or(&mut rng, &[], 9), 9);
        assert_eq!(count(&mut rng, 2, 2), 2);
    }
}
