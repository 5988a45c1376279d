//! MIB views: families of view subtrees with masks, included or excluded
//! (RFC 3415 §2.4, vacmViewTreeFamilyTable DESCRIPTION in §4).

use crate::oid::{Oid, MAX_OID_LEN};

/// One vacmViewTreeFamilyEntry: a subtree, a wildcard mask and whether the
/// family is included in or excluded from the view.
///
/// ```
/// use oxsnmp_core::vacm::ViewFamily;
/// // ifDescr of every interface: 1.3.6.1.2.1.2.2.1.2.*, the 11th arc wildcarded... or simply the column:
/// let f = ViewFamily::included("1.3.6.1.2.1.2.2.1.2".parse().unwrap());
/// assert!(f.matches(&[1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 7]));
/// // Any column of row 7: mask 0xff 0xa0 wildcards the 10th arc.
/// let row = ViewFamily::included("1.3.6.1.2.1.2.2.1.0.7".parse().unwrap()).with_mask(vec![0xff, 0xa0]);
/// assert!(row.matches(&[1, 3, 6, 1, 2, 1, 2, 2, 1, 5, 7]));
/// assert!(!row.matches(&[1, 3, 6, 1, 2, 1, 2, 2, 1, 5, 8]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ViewFamily {
    /// vacmViewTreeFamilySubtree.
    pub subtree: Oid,
    /// vacmViewTreeFamilyMask (0 to 16 octets; missing bits are ones).
    pub mask: Vec<u8>,
    /// vacmViewTreeFamilyType: included(1) or excluded(2).
    pub included: bool,
}

impl ViewFamily {
    /// An included subtree without wildcards.
    pub fn included(subtree: Oid) -> Self {
        Self {
            subtree,
            mask: Vec::new(),
            included: true,
        }
    }

    /// An excluded subtree without wildcards.
    pub fn excluded(subtree: Oid) -> Self {
        Self {
            subtree,
            mask: Vec::new(),
            included: false,
        }
    }

    /// The same family with a wildcard mask (bit i of the mask, most
    /// significant first, covers arc i; 0 is a wildcard).
    pub fn with_mask(mut self, mask: Vec<u8>) -> Self {
        self.mask = mask;
        self
    }

    /// Whether arc `i` (0-based) must match exactly.
    fn significant(&self, i: usize) -> bool {
        match self.mask.get(i / 8) {
            Some(octet) => octet & (0x80 >> (i % 8)) != 0,
            None => true,
        }
    }

    fn has_wildcard(&self) -> bool {
        (0..self.subtree.len()).any(|i| !self.significant(i))
    }

    /// Whether the instance `oid` belongs to this family.
    pub fn matches(&self, oid: &[u32]) -> bool {
        let sub = self.subtree.arcs();
        oid.len() >= sub.len()
            && sub
                .iter()
                .zip(oid)
                .enumerate()
                .all(|(i, (s, o))| s == o || !self.significant(i))
    }
}

/// A MIB view: a set of view-subtree families.
///
/// An instance is in the view when the matching family with the most
/// sub-identifiers (ties: the lexicographically greatest subtree) is
/// included; no matching family means not in the view.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct View {
    families: Vec<ViewFamily>,
}

/// Where a GETNEXT should resume after a name that is not in the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resume {
    /// Nothing after this name can be in the view.
    End,
    /// Continue after this name (a skip over an excluded or uncovered
    /// region), as a buffer of arcs.
    After(Vec<u32>),
    /// No safe skip: continue after the name itself.
    Scan,
}

impl View {
    /// A view of these families.
    pub fn new(families: Vec<ViewFamily>) -> Self {
        Self { families }
    }

    /// The view holding every name under `1` (Net-SNMP's `all` view).
    pub fn everything() -> Self {
        Self::new(vec![ViewFamily::included(Oid::from_static(&[1]))])
    }

    /// The view holding the subtree `root`.
    pub fn subtree(root: Oid) -> Self {
        Self::new(vec![ViewFamily::included(root)])
    }

    /// The families.
    pub fn families(&self) -> &[ViewFamily] {
        &self.families
    }

    /// Adds a family.
    pub fn push(&mut self, family: ViewFamily) {
        self.families.push(family);
    }

    fn deciding(&self, oid: &[u32]) -> Option<&ViewFamily> {
        self.families
            .iter()
            .filter(|f| f.matches(oid))
            .max_by(|a, b| {
                a.subtree
                    .len()
                    .cmp(&b.subtree.len())
                    .then_with(|| a.subtree.cmp(&b.subtree))
            })
    }

    /// Whether the instance `oid` is in the view.
    ///
    /// ```
    /// use oxsnmp_core::vacm::{View, ViewFamily};
    /// let mut v = View::everything();
    /// v.push(ViewFamily::excluded("1.3.6.1.6.3.15".parse().unwrap()));
    /// assert!(v.contains(&[1, 3, 6, 1, 2, 1, 1, 1, 0]));
    /// assert!(!v.contains(&[1, 3, 6, 1, 6, 3, 15, 1, 1, 1, 0]));
    /// assert!(!v.contains(&[2, 5]));
    /// ```
    pub fn contains(&self, oid: &[u32]) -> bool {
        self.deciding(oid).is_some_and(|f| f.included)
    }

    /// For a name that is not in the view, a cursor past which the next
    /// name in the view may lie, skipping whole excluded or uncovered
    /// regions when that is provably safe.
    pub(crate) fn resume_after(&self, oid: &[u32]) -> Resume {
        if self.families.iter().any(ViewFamily::has_wildcard) {
            return Resume::Scan;
        }
        match self.deciding(oid) {
            Some(f) if !f.included => {
                // Past the excluded subtree unless a longer family starts
                // inside it (it could include something again).
                let sub = f.subtree.arcs();
                let nested = self
                    .families
                    .iter()
                    .any(|g| g.subtree.len() > sub.len() && g.subtree.arcs().starts_with(sub));
                if nested {
                    Resume::Scan
                } else {
                    Resume::After(past_subtree(sub))
                }
            }
            Some(_) => Resume::Scan,
            None => {
                // Uncovered: jump to just before the first included subtree
                // after `oid`.
                let next = self
                    .families
                    .iter()
                    .filter(|g| g.included && g.subtree.arcs() > oid)
                    .map(|g| g.subtree.arcs())
                    .min();
                match next {
                    None => Resume::End,
                    Some(s) => Resume::After(predecessor(s)),
                }
            }
        }
    }
}

/// The greatest name of at most 128 arcs inside `prefix`'s subtree.
fn past_subtree(prefix: &[u32]) -> Vec<u32> {
    let mut v = Vec::with_capacity(MAX_OID_LEN);
    v.extend_from_slice(prefix);
    v.resize(MAX_OID_LEN.max(prefix.len()), u32::MAX);
    v
}

/// A name before `s` with nothing of at most 128 arcs between the two.
fn predecessor(s: &[u32]) -> Vec<u32> {
    match s.split_last() {
        Some((&last, head)) if last > 0 => {
            let mut v = head.to_vec();
            v.push(last - 1);
            v.resize(MAX_OID_LEN.max(v.len()), u32::MAX);
            v
        }
        Some((_, head)) => head.to_vec(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(s: &str) -> Oid {
        s.parse().unwrap()
    }

    #[test]
    fn longest_family_decides() {
        let v = View::new(vec![
            ViewFamily::included(oid("1.3.6.1.2.1")),
            ViewFamily::excluded(oid("1.3.6.1.2.1.2")),
            ViewFamily::included(oid("1.3.6.1.2.1.2.2.1.2")),
        ]);
        assert!(v.contains(&[1, 3, 6, 1, 2, 1, 1, 1, 0]));
        assert!(!v.contains(&[1, 3, 6, 1, 2, 1, 2, 1, 0]));
        assert!(v.contains(&[1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 3]));
        assert!(!v.contains(&[1, 3, 6, 1, 2, 1, 2, 2, 1, 3, 3]));
        assert!(!v.contains(&[1, 3, 6, 1, 4, 1]));
        // A name shorter than the family's subtree is not in it.
        assert!(!v.contains(&[1, 3, 6, 1, 2]));
        // The excluded subtree holds an included one: no skip.
        assert_eq!(v.resume_after(&[1, 3, 6, 1, 2, 1, 2, 1, 0]), Resume::Scan);
    }

    #[test]
    fn equal_length_tie_goes_to_greatest_subtree() {
        let mask = vec![0xfe]; // wildcard the 8th arc
        let v = View::new(vec![
            ViewFamily::included(oid("1.3.6.1.2.1.2.1")).with_mask(mask.clone()),
            ViewFamily::excluded(oid("1.3.6.1.2.1.2.2")),
        ]);
        // Both match 1.3.6.1.2.1.2.2.x; the excluded subtree is greater.
        assert!(!v.contains(&[1, 3, 6, 1, 2, 1, 2, 2, 5]));
        assert!(v.contains(&[1, 3, 6, 1, 2, 1, 2, 3, 5]));
    }

    #[test]
    fn skips() {
        let v = View::new(vec![
            ViewFamily::included(oid("1.3.6.1.2.1.1")),
            ViewFamily::included(oid("1.3.6.1.4.1.5")),
            ViewFamily::excluded(oid("1.3.6.1.4.1.5.9")),
        ]);
        let Resume::After(c) = v.resume_after(&[1, 3, 6, 1, 2, 1, 2, 1, 0]) else {
            panic!()
        };
        assert_eq!(&c[..8], &[1, 3, 6, 1, 4, 1, 4, u32::MAX]);
        let Resume::After(c) = v.resume_after(&[1, 3, 6, 1, 4, 1, 5, 9, 1]) else {
            panic!()
        };
        assert_eq!(&c[..9], &[1, 3, 6, 1, 4, 1, 5, 9, u32::MAX]);
        assert_eq!(v.resume_after(&[1, 3, 6, 1, 4, 1, 6]), Resume::End);
        assert_eq!(predecessor(&[1, 3, 0]), vec![1, 3]);
    }
}
