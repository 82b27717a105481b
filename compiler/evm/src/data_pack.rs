//! The data section: every blob stored once, and blobs overlapping wherever their bytes
//! agree.
//!
//! A blob may have holes: bytes the code overwrites after copying the blob (the run-time
//! words of a call-data template), whose content therefore does not matter. A hole can
//! hold another blob's bytes, a hole at the end can run past the end of the section,
//! and two blobs fit at one place when every byte fixed in both is the same (a grant's
//! template, with a hole for its amount, and its revocation's, with a zero there).
//! Unfilled holes are zeros.
//!
//! Blobs are placed in order, each at the first place that fits: where an earlier blob
//! has the same distinctive four bytes (a call's selector), else in a run of unfilled
//! hole bytes, else at the end (overlapping the holes the section ends with). The result depends only on
//! the blobs, so the same program always gives the same bytes.

use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::ops::Range;

/// Candidate places looked at per blob where its distinctive bytes already occur: a
/// bound that keeps packing linear in pathological programs.
const MAX_CANDIDATES: usize = 16;

/// Blobs without distinctive bytes are looked for byte by byte while this costs at most
/// this many comparisons.
const MAX_SCAN: usize = 1 << 16;

/// Bytes of the section so far, which of them are fixed, and indexes to find places.
#[derive(Default)]
struct Section {
    bytes: Vec<u8>,
    fixed: Vec<bool>,
    /// Where each placed blob's distinctive four bytes are (see `Blob::key`), by their
    /// value.
    windows: FxHashMap<[u8; 4], Vec<usize>>,
    /// Runs of unfilled hole bytes inside the section: start → end.
    free: BTreeMap<usize, usize>,
    /// One past the last fixed byte.
    end: usize,
    /// The length of the longest run in `free`.
    longest_free: usize,
}

/// One blob as the packer sees it.
struct Blob<'a> {
    bytes: &'a [u8],
    fixed: Vec<bool>,
    /// The first and one past the last fixed byte (empty when nothing is fixed).
    span: Range<usize>,
}

impl<'a> Blob<'a> {
    fn new(bytes: &'a [u8], holes: &[Range<usize>]) -> Self {
        let mut fixed = vec![true; bytes.len()];
        for h in holes {
            let h = h.start.min(bytes.len())..h.end.min(bytes.len());
            fixed[h].iter_mut().for_each(|f| *f = false);
        }
        let start = fixed.iter().position(|f| *f).unwrap_or(0);
        let end = fixed.iter().rposition(|f| *f).map_or(start, |i| i + 1);
        Blob {
            bytes,
            fixed,
            span: start..end,
        }
    }

    /// The first four fixed bytes with a non-zero one among them (zeros are everywhere),
    /// with their index.
    fn key(&self) -> Option<(usize, [u8; 4])> {
        (self.span.start..self.span.end.saturating_sub(3))
            .find(|&i| {
                self.fixed[i..i + 4].iter().all(|f| *f)
                    && self.bytes[i..i + 4].iter().any(|b| *b != 0)
            })
            .map(|i| (i, [0, 1, 2, 3].map(|k| self.bytes[i + k])))
    }
}

impl Section {
    /// Whether the blob's fixed bytes agree with the section when it starts at `at`.
    fn fits(&self, blob: &Blob, at: usize) -> bool {
        blob.span.clone().all(|i| {
            let p = at + i;
            !blob.fixed[i]
                || p >= self.bytes.len()
                || !self.fixed[p]
                || self.bytes[p] == blob.bytes[i]
        })
    }

    /// Where the blob goes; `key` is its [`Blob::key`].
    fn place(&self, blob: &Blob, key: Option<(usize, [u8; 4])>) -> usize {
        if blob.span.is_empty() {
            return 0;
        }
        // Where its distinctive bytes already are.
        if let Some((k, key)) = key {
            // The latest places first: a blob most often agrees with one made nearby.
            let found = self.windows.get(&key).into_iter().flatten().rev();
            let at = found
                .filter(|q| **q >= k)
                .map(|q| q - k)
                .take(MAX_CANDIDATES)
                .find(|at| self.fits(blob, *at));
            if let Some(at) = at {
                return at;
            }
        } else if blob.span.len() * self.bytes.len() <= MAX_SCAN {
            // Short or all-zero blobs: anywhere they agree.
            if let Some(at) = (0..self.bytes.len()).find(|at| self.fits(blob, *at)) {
                return at;
            }
        }
        // In a run of unfilled hole bytes.
        let need = blob.span.len();
        let runs = self.free.iter().filter(|_| need <= self.longest_free);
        for (&start, &end) in runs {
            if end - start >= need && start >= blob.span.start {
                let at = start - blob.span.start;
                if self.fits(blob, at) {
                    return at;
                }
            }
        }
        // At the end, over the holes the section ends with.
        self.end.saturating_sub(blob.span.start)
    }

    /// Writes the blob's fixed bytes at `at` and updates the indexes.
    fn write(&mut self, blob: &Blob, at: usize, key: Option<(usize, [u8; 4])>) {
        let old_len = self.bytes.len();
        let new_len = old_len.max(at + blob.span.end);
        self.bytes.resize(new_len, 0);
        self.fixed.resize(new_len, false);
        for i in blob.span.clone().filter(|i| blob.fixed[*i]) {
            self.bytes[at + i] = blob.bytes[i];
            self.fixed[at + i] = true;
        }
        self.end = self.end.max(at + blob.span.end);
        let touched = (at + blob.span.start).min(old_len)..at + blob.span.end;
        // The blob's distinctive bytes, where later blobs look for them.
        if let Some((k, key)) = key {
            self.windows.entry(key).or_default().push(at + k);
        }
        // Free runs: recompute those meeting the touched range.
        let (mut lo, mut hi) = (touched.start, touched.end);
        let meeting: Vec<usize> = self
            .free
            .range(..=hi)
            .rev()
            .take_while(|(_, end)| **end >= lo)
            .map(|(start, _)| *start)
            .collect();
        let mut lost_longest = false;
        for start in meeting {
            if let Some(end) = self.free.remove(&start) {
                lost_longest |= end - start == self.longest_free;
                lo = lo.min(start);
                hi = hi.max(end);
            }
        }
        let mut p = lo;
        while p < hi {
            if self.fixed[p] {
                p += 1;
                continue;
            }
            let start = p;
            while p < hi && !self.fixed[p] {
                p += 1;
            }
            self.free.insert(start, p);
            self.longest_free = self.longest_free.max(p - start);
        }
        if lost_longest {
            self.longest_free = self.free.iter().map(|(s, e)| e - s).max().unwrap_or(0);
        }
    }
}

/// Packs the blobs (with their holes; a missing entry means none) into one section;
/// returns it and each blob's offset inside it.
pub(crate) fn pack(blobs: &[Vec<u8>], holes: &[Vec<Range<usize>>]) -> (Vec<u8>, Vec<usize>) {
    let mut section = Section::default();
    // Blobs seen before, with the same holes, go where they went.
    let mut placed: FxHashMap<(&[u8], &[Range<usize>]), usize> = FxHashMap::default();
    let offsets = blobs
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            let hs = holes.get(i).map_or(&[][..], |h| h.as_slice());
            if let Some(at) = placed.get(&(bytes.as_slice(), hs)) {
                return *at;
            }
            let blob = Blob::new(bytes, hs);
            let key = blob.key();
            let at = section.place(&blob, key);
            section.write(&blob, at, key);
            placed.insert((bytes, hs), at);
            at
        })
        .collect();
    (section.bytes, offsets)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks every blob reads back at its offset (holes excepted), past the section's
    /// end as zeros.
    fn check(blobs: &[Vec<u8>], holes: &[Vec<Range<usize>>]) -> Vec<u8> {
        let (section, offsets) = pack(blobs, holes);
        for (i, blob) in blobs.iter().enumerate() {
            let b = Blob::new(blob, holes.get(i).map_or(&[][..], |h| h.as_slice()));
            for (k, byte) in blob.iter().enumerate() {
                if b.fixed[k] {
                    let got = section.get(offsets[i] + k).copied().unwrap_or(0);
                    assert_eq!(got, *byte, "blob {i} byte {k}");
                }
            }
        }
        section
    }

    #[test]
    fn identical_blobs_are_stored_once() {
        let (section, offsets) = pack(&[vec![1, 2], vec![3], vec![1, 2], vec![]], &[]);
        assert_eq!(section, [1, 2, 3]);
        assert_eq!(offsets, [0, 2, 0, 0]);
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn a_template_with_a_hole_shares_the_bytes_of_one_without() {
        let revoke = [vec![9, 9, 9, 9], vec![0; 4]].concat();
        let grant = [vec![9, 9, 9, 9], vec![7; 4]].concat();
        let section = check(&[grant, revoke], &[vec![4..8]]);
        assert_eq!(section, [9, 9, 9, 9, 0, 0, 0, 0]);
    }

    #[test]
    fn a_blob_fills_a_hole_and_trailing_holes_are_not_stored() {
        let template = [vec![1, 2, 3, 4], vec![0; 8], vec![5, 6, 7, 8], vec![0; 8]].concat();
        let message = b"oops".to_vec();
        let section = check(&[template, message], &[vec![4..12, 16..24]]);
        assert_eq!(
            section,
            [1, 2, 3, 4, b'o', b'o', b'p', b's', 0, 0, 0, 0, 5, 6, 7, 8]
        );
    }

    #[test]
    fn many_random_blobs_read_back() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..200 {
            let n = (next() % 12) as usize;
            let mut blobs = Vec::new();
            let mut holes = Vec::new();
            for _ in 0..n {
                let len = (next() % 40) as usize;
                // Few distinct byte values, so that blobs agree often.
                let blob: Vec<u8> = (0..len).map(|_| (next() % 3) as u8).collect();
                let mut hs = Vec::new();
                if len > 0 && next() % 2 == 0 {
                    let a = (next() as usize) % len;
                    let b = a + (next() as usize) % (len - a + 1);
                    hs.push(a..b);
                }
                blobs.push(blob);
                holes.push(hs);
            }
            check(&blobs, &holes);
        }
    }
}
