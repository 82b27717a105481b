//! Fuzzed parameters: ranges, values drawn with their edges first, and shrinking.

use super::expect::{parse_amount, plain_units, Units};
use alloy_primitives::U256;

/// One fuzzed parameter: a closed range in base units, and the unit values are written in.
#[derive(Clone, Debug)]
pub(super) struct Range {
    pub name: String,
    pub lo: u128,
    pub hi: u128,
    /// The unit and its decimals (`USDC`, 6); none for plain integers (`bps`).
    pub unit: Option<(String, u8)>,
}

impl Range {
    /// Parses `["1 USDC", "1_000_000 USDC"]` (or two integers).
    pub(super) fn parse(name: &str, lo: &str, hi: &str, units: Units) -> Result<Range, String> {
        // A unit written on one bound only applies to both (`["0", "500 USDC"]`).
        let written = |s: &str| {
            s.trim()
                .split_once(char::is_whitespace)
                .map(|(_, u)| u.trim().to_string())
        };
        let unit = written(hi).or_else(|| written(lo));
        let (lo_v, lo_u) = parse_amount(lo, unit.as_deref(), units)?;
        let (hi_v, hi_u) = parse_amount(hi, unit.as_deref(), units)?;
        if let (Some(a), Some(b)) = (&lo_u, &hi_u) {
            if a.0 != b.0 {
                return Err(format!("the bounds' units differ (`{}`, `{}`)", a.0, b.0));
            }
        }
        let to_u128 = |v: alloy_primitives::I256, which: &str| -> Result<u128, String> {
            if v.is_negative() {
                return Err(format!("the {which} bound is negative"));
            }
            u128::try_from(v.unsigned_abs())
                .map_err(|_| format!("the {which} bound is too large to fuzz"))
        };
        let (lo_n, hi_n) = (to_u128(lo_v, "lower")?, to_u128(hi_v, "upper")?);
        if lo_n > hi_n {
            return Err("the lower bound is above the upper bound".into());
        }
        Ok(Range {
            name: name.to_string(),
            lo: lo_n,
            hi: hi_n,
            unit: hi_u.or(lo_u),
        })
    }

    /// A value as a script parameter is written: `1000.5 USDC`, `250`.
    pub(super) fn text(&self, v: u128) -> String {
        match &self.unit {
            Some((u, d)) => format!("{} {u}", plain_units(U256::from(v), *d)),
            None => v.to_string(),
        }
    }

    /// The edges, in order, without repeats: 0 (if in range), the bounds, the bounds ± 1.
    pub(super) fn edges(&self) -> Vec<u128> {
        let mut out = Vec::new();
        let mut push = |v: u128| {
            if v >= self.lo && v <= self.hi && !out.contains(&v) {
                out.push(v);
            }
        };
        push(0);
        push(self.lo);
        push(self.hi);
        push(self.lo.saturating_add(1));
        push(self.hi.saturating_sub(1));
        out
    }

    /// A random value: half the time uniform, half the time uniform in magnitude (so that
    /// small amounts of a wide range are drawn too).
    pub(super) fn draw(&self, rng: &mut Rng) -> u128 {
        let span = self.hi - self.lo;
        if span == 0 {
            return self.lo;
        }
        let r = (u128::from(rng.next()) << 64) | u128::from(rng.next());
        if rng.next() & 1 == 0 || span < 1000 {
            return self.lo + r % (span.saturating_add(1)).max(1);
        }
        let bits = 128 - span.leading_zeros();
        let take = 1 + (rng.next() as u32) % bits;
        let cap = if take >= 128 {
            u128::MAX
        } else {
            (1u128 << take) - 1
        };
        self.lo + (r & cap).min(span)
    }
}

/// SplitMix64: small, seeded, the same on every machine.
pub(super) struct Rng(u64);

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub(super) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The values of every run: run `i` takes each range's `i`-th edge while it has one, then
/// random values.
pub(super) fn plan(ranges: &[Range], runs: usize, seed: u64) -> Vec<Vec<u128>> {
    let mut rng = Rng::new(seed);
    let edges: Vec<Vec<u128>> = ranges.iter().map(Range::edges).collect();
    let most = edges.iter().map(Vec::len).max().unwrap_or(0);
    (0..runs)
        .map(|i| {
            ranges
                .iter()
                .zip(&edges)
                .map(|(r, e)| {
                    if i < most {
                        e.get(i).copied().unwrap_or_else(|| r.draw(&mut rng))
                    } else {
                        r.draw(&mut rng)
                    }
                })
                .collect()
        })
        .collect()
}

/// The smallest value of `[lo, failing]` for which `fails` holds, by binary search toward
/// the lower bound (assuming the failure is monotone; else a smaller failing value than
/// `failing`, still failing).
pub(super) fn shrink(lo: u128, failing: u128, mut fails: impl FnMut(u128) -> bool) -> u128 {
    if fails(lo) {
        return lo;
    }
    let (mut good, mut bad) = (lo, failing);
    while bad - good > 1 {
        let mid = good + (bad - good) / 2;
        if fails(mid) {
            bad = mid;
        } else {
            good = mid;
        }
    }
    bad
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(u: &str) -> Option<u8> {
        (u == "USDC").then_some(6)
    }

    #[test]
    fn ranges_edges_and_shrinking() {
        let r = Range::parse("amount", "1 USDC", "1_000_000 USDC", &units).unwrap();
        assert_eq!((r.lo, r.hi), (1_000_000, 1_000_000_000_000));
        assert_eq!(
            r.edges(),
            vec![1_000_000, 1_000_000_000_000, 1_000_001, 999_999_999_999]
        );
        assert_eq!(r.text(1_500_000), "1.5 USDC");
        let r = Range::parse("bps", "0", "500", &units).unwrap();
        assert_eq!(r.edges(), vec![0, 500, 1, 499]);
        let p = plan(std::slice::from_ref(&r), 10, 7);
        assert_eq!(p.len(), 10);
        assert!(p.iter().all(|v| v[0] <= 500));
        assert_eq!(plan(&[r], 10, 7), p);
        assert_eq!(shrink(0, 1000, |v| v > 640), 641);
        assert_eq!(shrink(5, 1000, |_| true), 5);
    }
}
