//! A cheap look at every MIB file before the compiler sees it, to close the
//! compiler's known gaps:
//!
//! * a file containing a NUL byte is skipped by the compiler without a word:
//!   here it is reported;
//! * the compiler's memory grows with the square of an OID chain's depth
//!   (a 10,000-level chain takes ~700 MB), so the depth of every OID
//!   assignment is computed from a token scan first, and a file defining
//!   anything deeper than SNMP's 128 arcs (RFC 2578 §3.5: "at most 128
//!   sub-identifiers") is refused with the offending line;
//! * files over [`MAX_FILE_BYTES`] or with more than [`MAX_DEFINITIONS`]
//!   OID assignments are refused rather than compiled.
//!
//! The scan is a tokenizer, not a parser: it only needs each module's name
//! (`NAME DEFINITIONS ::= BEGIN`) and each `name ... ::= { parent arcs }`.

use std::collections::HashMap;

/// The largest file accepted (the largest real MIBs are about 1 MB).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;
/// The most OID assignments accepted in one file.
pub const MAX_DEFINITIONS: usize = 100_000;
/// SNMP's limit on the arcs of an OID.
pub const MAX_OID_ARCS: usize = 128;
/// Depth assumed for a parent the scan cannot see (imported roots such as
/// `enterprises`, 7 arcs deep).
const UNKNOWN_PARENT_DEPTH: usize = 7;

/// One OID assignment found by the scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Assignment {
    pub name: String,
    /// The first name inside the braces, `None` when it is a number.
    pub parent: Option<String>,
    /// Arcs added below the parent.
    pub arcs: usize,
    /// 1-based line of the `::=`.
    pub line: usize,
    /// Index in [`Scan::modules`] of the module it is in (0 before any
    /// `DEFINITIONS`).
    pub module: usize,
}

/// What the scan found in one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scan {
    pub modules: Vec<String>,
    /// For each of `modules`, the modules its IMPORTS clause reads the way
    /// Net-SNMP does (see [`NETSNMP_KEYWORDS`]), in clause order.
    pub imports: Vec<Vec<String>>,
    /// For each of `modules`, every symbol its IMPORTS clause names.
    pub imported: Vec<Vec<String>>,
    /// SMIv1 traps: (module index, trap name, ENTERPRISE name).
    pub traps: Vec<(usize, String, String)>,
    pub assignments: Vec<Assignment>,
}

/// The macros (and `OBJECT IDENTIFIER`) after a name that define it.
const DEFINING_MACROS: &[&str] = &[
    "OBJECT",
    "OBJECT-TYPE",
    "OBJECT-IDENTITY",
    "MODULE-IDENTITY",
    "NOTIFICATION-TYPE",
    "TRAP-TYPE",
    "OBJECT-GROUP",
    "NOTIFICATION-GROUP",
    "MODULE-COMPLIANCE",
    "AGENT-CAPABILITIES",
];

/// The roots every Net-SNMP module sees without importing them.
const NETSNMP_ROOTS: [&str; 3] = ["iso", "ccitt", "joint-iso-ccitt"];

impl Scan {
    /// The names of module `module` that Net-SNMP cannot link when it reads
    /// the module, because their OID chain starts at a name the module
    /// neither defines nor imports (nor one of the three roots): its
    /// `do_linkup` leaves them as orphans, linked by their parent's label
    /// only after every module was read. SMIv1 traps count with their
    /// ENTERPRISE as parent (npm's RFC-1215 uses `snmp` without importing
    /// it).
    pub(crate) fn orphans(&self, module: usize) -> Vec<&str> {
        let parents: HashMap<&str, Option<&str>> = self
            .assignments
            .iter()
            .filter(|a| a.module == module)
            .map(|a| (a.name.as_str(), a.parent.as_deref()))
            .chain(
                self.traps
                    .iter()
                    .filter(|t| t.0 == module)
                    .map(|t| (t.1.as_str(), Some(t.2.as_str()))),
            )
            .collect();
        let imported: std::collections::HashSet<&str> = self
            .imported
            .get(module)
            .map_or_else(Default::default, |v| v.iter().map(String::as_str).collect());
        // Whether each name's chain reaches an imported name or a root;
        // memoized, iterative (chains and cycles in hostile files).
        let mut linked: HashMap<&str, bool> = HashMap::new();
        for &start in parents.keys() {
            let mut path: Vec<&str> = Vec::new();
            let mut on_path: std::collections::HashSet<&str> = std::collections::HashSet::new();
            let mut at = start;
            let result = loop {
                if let Some(&known) = linked.get(at) {
                    break known;
                }
                if !on_path.insert(at) {
                    break false; // a cycle never links
                }
                path.push(at);
                match parents.get(at).copied().flatten() {
                    None => break true,
                    Some(p) if NETSNMP_ROOTS.contains(&p) || imported.contains(&p) => break true,
                    Some(p) if parents.contains_key(p) => at = p,
                    Some(_) => break false,
                }
            };
            for name in path {
                linked.insert(name, result);
            }
        }
        let mut out: Vec<&str> = linked
            .into_iter()
            .filter(|&(_, l)| !l)
            .map(|(n, _)| n)
            .collect();
        out.sort_unstable();
        out
    }
}

/// The words Net-SNMP's MIB parser (5.9, `parse.c`) takes as keywords. An
/// IMPORTS clause that names only keywords before a `FROM M` (`OBJECT-TYPE
/// FROM RFC-1212`) is "handled internally": Net-SNMP does not read M. Only
/// a module importing at least one other name reads M first, which is what
/// decides Net-SNMP's load order.
const NETSNMP_KEYWORDS: &[&str] = &[
    "obsolete",
    "Opaque",
    "optional",
    "LAST-UPDATED",
    "ORGANIZATION",
    "CONTACT-INFO",
    "MODULE-IDENTITY",
    "MODULE-COMPLIANCE",
    "DEFINITIONS",
    "END",
    "AUGMENTS",
    "not-accessible",
    "write-only",
    "NsapAddress",
    "UNITS",
    "REFERENCE",
    "NUM-ENTRIES",
    "BITSTRING",
    "BIT",
    "BITS",
    "Counter64",
    "TimeTicks",
    "NOTIFICATION-TYPE",
    "OBJECT-GROUP",
    "OBJECT-IDENTITY",
    "IDENTIFIER",
    "OBJECT",
    "NetworkAddress",
    "Gauge",
    "Gauge32",
    "Unsigned32",
    "read-write",
    "read-create",
    "OCTETSTRING",
    "OCTET",
    "OF",
    "SEQUENCE",
    "NULL",
    "IpAddress",
    "UInteger32",
    "INTEGER",
    "Integer32",
    "Counter",
    "Counter32",
    "read-only",
    "DESCRIPTION",
    "INDEX",
    "DEFVAL",
    "deprecated",
    "SIZE",
    "MAX-ACCESS",
    "ACCESS",
    "mandatory",
    "current",
    "STATUS",
    "SYNTAX",
    "OBJECT-TYPE",
    "TRAP-TYPE",
    "ENTERPRISE",
    "BEGIN",
    "IMPORTS",
    "EXPORTS",
    "accessible-for-notify",
    "TEXTUAL-CONVENTION",
    "NOTIFICATION-GROUP",
    "DISPLAY-HINT",
    "FROM",
    "AGENT-CAPABILITIES",
    "MACRO",
    "IMPLIED",
    "SUPPORTS",
    "INCLUDES",
    "VARIATION",
    "REVISION",
    "not-implemented",
    "OBJECTS",
    "NOTIFICATIONS",
    "MODULE",
    "MIN-ACCESS",
    "PRODUCT-RELEASE",
    "WRITE-SYNTAX",
    "CREATION-REQUIRES",
    "MANDATORY-GROUPS",
    "GROUP",
    "CHOICE",
    "IMPLICIT",
    "ObjectSyntax",
    "SimpleSyntax",
    "ApplicationSyntax",
    "ObjectName",
    "NotificationName",
    "VARIABLES",
];

/// Why a file is not handed to the compiler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// At this 1-based line.
    NulByte {
        line: usize,
    },
    TooLarge {
        bytes: u64,
    },
    TooManyDefinitions {
        count: usize,
    },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NulByte { line } => write!(
                f,
                "line {line}: contains a NUL byte (not a MIB text file); skipped"
            ),
            Refusal::TooLarge { bytes } => write!(
                f,
                "is {bytes} bytes, over the {MAX_FILE_BYTES}-byte limit for a MIB file; skipped"
            ),
            Refusal::TooManyDefinitions { count } => write!(
                f,
                "defines {count} OIDs, over the limit of {MAX_DEFINITIONS}; skipped"
            ),
        }
    }
}

/// Scans one file's bytes.
pub(crate) fn scan(bytes: &[u8]) -> Result<Scan, Refusal> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge {
            bytes: bytes.len() as u64,
        });
    }
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        return Err(Refusal::NulByte { line });
    }
    let tokens = tokenize(bytes);
    let mut out = Scan::default();
    let mut candidate: Option<&str> = None;
    let mut i = 0;
    while i < tokens.len() {
        let (tok, line, first_on_line) = tokens[i];
        if tok == "DEFINITIONS" && i > 0 {
            // NAME [{ oid }] DEFINITIONS ::= BEGIN; the OID form is rare.
            if let Some(&(name, _, _)) = tokens.get(i - 1) {
                if is_module_name(name) {
                    out.modules.push(name.to_owned());
                    out.imports.push(Vec::new());
                    out.imported.push(Vec::new());
                }
            }
        }
        if tok == "IMPORTS" {
            let mut named = false;
            let mut j = i + 1;
            while let Some(&(t, _, _)) = tokens.get(j) {
                if t == ";" {
                    break;
                }
                if t == "FROM" {
                    j += 1;
                    if let (Some(&(m, _, _)), true) = (tokens.get(j), named) {
                        if let Some(list) = out.imports.last_mut() {
                            list.push(m.to_owned());
                        }
                    }
                    named = false;
                } else if t != "," {
                    if let Some(list) = out.imported.last_mut() {
                        list.push(t.to_owned());
                    }
                    named |= !NETSNMP_KEYWORDS.contains(&t);
                }
                j += 1;
            }
            i = j;
            continue;
        }
        // `name MACRO` starts a definition; a lowercase name first on a
        // line but not followed by a macro (`INDEX { a,\n b }`) does not.
        if first_on_line
            && starts_lower(tok)
            && tokens
                .get(i + 1)
                .is_some_and(|t| DEFINING_MACROS.contains(&t.0))
        {
            candidate = Some(tok);
        }
        if tok == "TRAP-TYPE" {
            // name TRAP-TYPE ENTERPRISE e ... ::= number
            let trap = candidate.take();
            let mut j = i + 1;
            while let Some(&(t, _, _)) = tokens.get(j) {
                if t == "::=" {
                    break;
                }
                if t == "ENTERPRISE" {
                    if let (Some(name), Some(&(e, _, _))) = (trap, tokens.get(j + 1)) {
                        let module = out.modules.len().saturating_sub(1);
                        out.traps.push((module, name.to_owned(), e.to_owned()));
                    }
                    break;
                }
                j += 1;
            }
        }
        if tok == "::=" && tokens.get(i + 1).map(|t| t.0) == Some("{") {
            let mut j = i + 2;
            let mut parent = None;
            let mut arcs = 0usize;
            let mut first = true;
            while let Some(&(t, _, _)) = tokens.get(j) {
                if t == "}" {
                    break;
                }
                if t == "(" || t == ")" {
                    j += 1;
                    continue;
                }
                let number = t.bytes().all(|b| b.is_ascii_digit());
                let after_paren = tokens.get(j.wrapping_sub(1)).map(|t| t.0) == Some("(");
                if first {
                    if number {
                        arcs += 1;
                    } else {
                        parent = Some(t.to_owned());
                    }
                    first = false;
                } else if !after_paren {
                    // `name(7)` or `7` after the parent: one arc each.
                    arcs += 1;
                }
                j += 1;
            }
            if let Some(name) = candidate.take() {
                out.assignments.push(Assignment {
                    name: name.to_owned(),
                    parent,
                    arcs,
                    line,
                    module: out.modules.len().saturating_sub(1),
                });
                if out.assignments.len() > MAX_DEFINITIONS {
                    return Err(Refusal::TooManyDefinitions {
                        count: out.assignments.len(),
                    });
                }
            }
            i = j;
        }
        i += 1;
    }
    Ok(out)
}

/// Assignments deeper than [`MAX_OID_ARCS`], over all files together:
/// (file index, assignment index, depth). Cycles count as not deep (the
/// compiler reports them).
pub(crate) fn too_deep(files: &[&Scan]) -> Vec<(usize, usize, usize)> {
    let mut by_name: HashMap<&str, (usize, usize)> = HashMap::new();
    for (f, scan) in files.iter().enumerate() {
        for (a, assignment) in scan.assignments.iter().enumerate() {
            by_name.entry(assignment.name.as_str()).or_insert((f, a));
        }
    }
    let mut depth: HashMap<(usize, usize), usize> = HashMap::new();
    let mut out = Vec::new();
    for (f, scan) in files.iter().enumerate() {
        for a in 0..scan.assignments.len() {
            let d = depth_of(files, &by_name, &mut depth, (f, a));
            if d > MAX_OID_ARCS {
                out.push((f, a, d));
            }
        }
    }
    out
}

/// Iterative (a 5,000-level chain must not overflow the stack), memoized.
fn depth_of(
    files: &[&Scan],
    by_name: &HashMap<&str, (usize, usize)>,
    memo: &mut HashMap<(usize, usize), usize>,
    start: (usize, usize),
) -> usize {
    if let Some(&d) = memo.get(&start) {
        return d;
    }
    let mut chain = vec![start];
    let mut on_chain: std::collections::HashSet<(usize, usize)> = [start].into_iter().collect();
    let mut base = loop {
        let Some(&(f, a)) = chain.last() else {
            break 0;
        };
        let assignment = &files[f].assignments[a];
        let parent = assignment
            .parent
            .as_deref()
            .and_then(|p| by_name.get(p).copied());
        match (assignment.parent.as_deref(), parent) {
            (None, _) => break 0,
            (Some(_), None) => break UNKNOWN_PARENT_DEPTH,
            (Some(_), Some(p)) => {
                if let Some(&d) = memo.get(&p) {
                    break d;
                }
                if !on_chain.insert(p) {
                    break 0; // a cycle
                }
                chain.push(p);
            }
        }
    };
    while let Some((f, a)) = chain.pop() {
        base += files[f].assignments[a].arcs;
        memo.insert((f, a), base);
    }
    memo.get(&start).copied().unwrap_or(0)
}

fn is_module_name(s: &str) -> bool {
    s.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
}

pub(crate) fn starts_lower(s: &str) -> bool {
    s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
}

/// Tokens with their 1-based line and whether they start their line.
/// Comments (`-- ... --` or to the end of the line) and strings are
/// dropped; non-UTF-8 bytes end a token.
pub(crate) fn tokenize(bytes: &[u8]) -> Vec<(&str, usize, bool)> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut line = 1;
    let mut line_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\n' => {
                line += 1;
                line_start = true;
                i += 1;
            }
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => i += 1,
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i += 2;
                while i < bytes.len() && bytes[i] != b'\n' {
                    if bytes[i] == b'-' && bytes.get(i + 1) == Some(&b'-') {
                        i += 2;
                        break;
                    }
                    i += 1;
                }
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\n' {
                        line += 1;
                    }
                    i += 1;
                }
                i += 1;
                line_start = false;
            }
            b':' if bytes.get(i + 1) == Some(&b':') && bytes.get(i + 2) == Some(&b'=') => {
                // A slice of `bytes` (not a literal), so `repair` can take
                // its offset.
                let s = std::str::from_utf8(&bytes[i..i + 3]).unwrap_or("::=");
                out.push((s, line, line_start));
                line_start = false;
                i += 3;
            }
            b'{' | b'}' | b'(' | b')' | b',' | b';' | b'|' | b'[' | b']' | b'.' => {
                let s = std::str::from_utf8(&bytes[i..i + 1]).unwrap_or("?");
                out.push((s, line, line_start));
                line_start = false;
                i += 1;
            }
            _ if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' => {
                let start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'-')
                {
                    if bytes[i] == b'-' && bytes.get(i + 1) == Some(&b'-') {
                        break;
                    }
                    i += 1;
                }
                if let Ok(s) = std::str::from_utf8(&bytes[start..i]) {
                    out.push((s, line, line_start));
                }
                line_start = false;
            }
            _ => {
                i += 1;
                line_start = false;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_modules_and_assignments() {
        let text = b"X-MIB DEFINITIONS ::= BEGIN\n\
            IMPORTS enterprises FROM SNMPv2-SMI;\n\
            -- a comment ::= { fake 1 }\n\
            xRoot OBJECT IDENTIFIER ::= { enterprises 9 }\n\
            xObj OBJECT-TYPE\n SYNTAX INTEGER { a(1) }\n DESCRIPTION \"::= { no 1 }\"\n INDEX { a,\n b }\n ::= { xRoot 1 2 }\n\
            xOther OBJECT IDENTIFIER ::= { iso(1) org(3) 6 }\n\
            END\n";
        let scan = scan(text).unwrap();
        assert_eq!(scan.modules, ["X-MIB"]);
        assert_eq!(scan.imports, [["SNMPv2-SMI"]]);
        let got: Vec<_> = scan
            .assignments
            .iter()
            .map(|a| (a.name.as_str(), a.parent.as_deref(), a.arcs, a.line))
            .collect();
        assert_eq!(
            got,
            [
                ("xRoot", Some("enterprises"), 1, 4),
                ("xObj", Some("xRoot"), 2, 10),
                ("xOther", Some("iso"), 2, 11)
            ]
        );
    }

    #[test]
    fn imports_of_keywords_only_read_nothing() {
        let text = b"Y-MIB DEFINITIONS ::= BEGIN\n\
            IMPORTS OBJECT-TYPE FROM RFC-1212\n\
                    DisplayString, mib-2 FROM RFC1213-MIB\n\
                    Counter, TimeTicks FROM RFC1155-SMI\n\
                    TRAP-TYPE, snmp FROM RFC-1215;\n\
            y OBJECT IDENTIFIER ::= { mib-2 99 }\n\
            END\n\
            Z-MIB DEFINITIONS ::= BEGIN\nIMPORTS y FROM Y-MIB;\nEND\n";
        let scan = scan(text).unwrap();
        assert_eq!(scan.modules, ["Y-MIB", "Z-MIB"]);
        assert_eq!(
            scan.imports,
            [vec!["RFC1213-MIB", "RFC-1215"], vec!["Y-MIB"]]
        );
        assert_eq!(scan.assignments.len(), 1);
    }

    #[test]
    fn orphans_are_names_rooted_outside_the_module() {
        let text = b"T-MIB DEFINITIONS ::= BEGIN\n\
            IMPORTS enterprises FROM SNMPv2-SMI TRAP-TYPE FROM RFC-1215;\n\
            a OBJECT IDENTIFIER ::= { enterprises 1 }\n\
            b OBJECT IDENTIFIER ::= { a 2 }\n\
            c OBJECT IDENTIFIER ::= { snmp 3 }\n\
            d OBJECT IDENTIFIER ::= { c 4 }\n\
            e OBJECT IDENTIFIER ::= { iso 5 }\n\
            x OBJECT IDENTIFIER ::= { y 1 }\n\
            y OBJECT IDENTIFIER ::= { x 1 }\n\
            coldStart TRAP-TYPE\n ENTERPRISE snmp\n DESCRIPTION \"x\"\n ::= 0\n\
            myTrap TRAP-TYPE\n ENTERPRISE a\n ::= 1\n\
            END\n";
        let scan = scan(text).unwrap();
        assert_eq!(scan.traps.len(), 2);
        assert_eq!(scan.orphans(0), ["c", "coldStart", "d", "x", "y"]);
        assert!(scan.orphans(1).is_empty());
    }

    #[test]
    fn nul_bytes_are_refused_with_their_line() {
        assert_eq!(
            scan(b"A DEFINITIONS ::= BEGIN\nEND\n\0").unwrap_err(),
            Refusal::NulByte { line: 3 }
        );
    }

    #[test]
    fn deep_chains_are_found_without_recursion() {
        let mut text =
            String::from("D DEFINITIONS ::= BEGIN\nn0 OBJECT IDENTIFIER ::= { iso 1 }\n");
        for i in 1..5000 {
            text.push_str(&format!("n{i} OBJECT IDENTIFIER ::= {{ n{} 1 }}\n", i - 1));
        }
        text.push_str("END\n");
        let s = scan(text.as_bytes()).unwrap();
        let deep = too_deep(&[&s]);
        // iso is unknown to the scan: 7 + 1 per level; 121 levels fit.
        assert_eq!(deep.len(), 5000 - 121);
        assert_eq!(deep[0].2, 129);
        // Cycles do not hang and are not "deep".
        let c = scan(b"C DEFINITIONS ::= BEGIN\na OBJECT IDENTIFIER ::= { b 1 }\nb OBJECT IDENTIFIER ::= { a 1 }\nEND").unwrap();
        assert!(too_deep(&[&c]).is_empty());
    }
}
