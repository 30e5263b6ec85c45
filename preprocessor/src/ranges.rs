//! Sets of byte ranges with logarithmic membership tests, so that asking
//! "is this offset inside a code span / a lemma form / ..." for every form or
//! number of a chapter stays linear overall, not forms × ranges.

use std::ops::Range;

/// Byte ranges, kept sorted and merged so that membership is a binary
/// search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ranges(Vec<Range<usize>>);

impl Ranges {
    /// The union of `ranges` (in any order, overlapping or not).
    pub fn new(mut ranges: Vec<Range<usize>>) -> Ranges {
        ranges.sort_by_key(|r| r.start);
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        Ranges(merged)
    }

    /// The merged ranges, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Range<usize>> {
        self.0.iter()
    }

    /// Whether `at` lies in one of the ranges (start inclusive, end
    /// exclusive).
    pub fn contains(&self, at: usize) -> bool {
        let i = self.0.partition_point(|r| r.end <= at);
        self.0.get(i).is_some_and(|r| r.start <= at)
    }

    /// Whether some range shares a byte with `r`.
    pub fn overlaps(&self, r: &Range<usize>) -> bool {
        let i = self.0.partition_point(|x| x.end <= r.start);
        self.0.get(i).is_some_and(|x| x.start < r.end)
    }

    /// The parts of `within` that no range covers, in order.
    #[inline]
    pub fn gaps(&self, within: Range<usize>) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        let mut at = within.start;
        let first = self.0.partition_point(|r| r.end <= within.start);
        for r in self.0[first..].iter().take_while(|r| r.start < within.end) {
            if r.start > at {
                out.push(at..r.start);
            }
            at = at.max(r.end);
        }
        if at < within.end {
            out.push(at..within.end);
        }
        out
    }
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)] // a set of one range, on purpose
mod tests {
    use super::*;

    fn check(ranges: &[Range<usize>], at: usize, expect: bool) {
        assert_eq!(Ranges::new(ranges.to_vec()).contains(at), expect, "{at} in {ranges:?}");
    }

    #[test]
    fn membership() {
        check(&[], 0, false);
        check(&[2..4], 1, false);
        check(&[2..4], 2, true);
        check(&[2..4], 3, true);
        check(&[2..4], 4, false);
        check(&[6..9, 2..4], 7, true);
        check(&[6..9, 2..4], 5, false);
        check(&[2..6, 4..9], 8, true);
        check(&[2..4, 4..6], 4, true);
        check(&[3..3], 3, false);
    }

    /// Gaps, against the obvious byte-by-byte scan.
    #[test]
    fn gaps() {
        let cases: &[&[Range<usize>]] = &[&[], &[3..5], &[0..2, 4..9, 6..8, 12..13], &[0..20], &[5..6, 6..7]];
        for ranges in cases {
            let set = Ranges::new(ranges.to_vec());
            for within in [0..15, 3..9, 5..5, 7..14] {
                let got: Vec<usize> = set.gaps(within.clone()).into_iter().flatten().collect();
                let want: Vec<usize> = within.clone().filter(|&i| !ranges.iter().any(|r| r.contains(&i))).collect();
                assert_eq!(got, want, "gaps of {within:?} in {ranges:?}");
                // Gaps are maximal: no two touch.
                let g = set.gaps(within.clone());
                assert!(g.windows(2).all(|w| w[0].end < w[1].start), "{g:?}");
            }
        }
    }
}
