//! Repairs of MIB texts that Net-SNMP reads and the compiler refuses,
//! applied to the octets handed to the compiler (the file is not changed).
//! Every repair keeps each definition on its lines, so warnings still point
//! at the right line.
//!
//! * The clauses after `STATUS` in an `OBJECT-TYPE` in another order than
//!   the SMI's (`DESCRIPTION`, `REFERENCE`, `INDEX` or `AUGMENTS`,
//!   `DEFVAL`; RFC 2578 §7.1, RFC 1212 §4.1): Net-SNMP's parser (5.9,
//!   `parse_objecttype`) takes these in any order, the compiler drops the
//!   whole definition ("expected '::='"), which KAMAILIO-MIB's `DEFVAL`
//!   before `DESCRIPTION` cost. They are put in the SMI's order, each with
//!   the text that follows it up to the next clause, so the definition keeps
//!   its lines (only its clauses trade places). Clauses Net-SNMP refuses
//!   out of order (`UNITS` after `STATUS`, `SYNTAX` after `STATUS`) are
//!   left alone.
//! * A `NOTIFICATION-TYPE`'s clauses, all optional and in any order for
//!   Net-SNMP (`parse_notificationDefinition`): put in the SMI's order
//!   (`OBJECTS`, `STATUS`, `DESCRIPTION`, `REFERENCE`), with `STATUS
//!   current` added when missing (the compiler drops a notification
//!   without it). The line count stays the same.

use crate::prescan::{starts_lower, tokenize};

/// The clauses after `STATUS` in an `OBJECT-TYPE` that Net-SNMP takes in
/// any order, with their place in the SMI's order.
fn object_rank(keyword: &str) -> Option<u8> {
    match keyword {
        "DESCRIPTION" => Some(0),
        "REFERENCE" => Some(1),
        "INDEX" | "AUGMENTS" => Some(2),
        "DEFVAL" => Some(3),
        _ => None,
    }
}

/// The clauses of a `NOTIFICATION-TYPE`, all optional and in any order for
/// Net-SNMP (`parse_notificationDefinition`), with their SMI order.
fn notification_rank(keyword: &str) -> Option<u8> {
    match keyword {
        "OBJECTS" => Some(0),
        "STATUS" => Some(1),
        "DESCRIPTION" => Some(2),
        "REFERENCE" => Some(3),
        _ => None,
    }
}

/// What a `NOTIFICATION-TYPE` without `STATUS` gets (the compiler requires
/// the clause; Net-SNMP does not, and its default is `current`).
const DEFAULT_STATUS: &[u8] = b"STATUS current ";

/// One clause of a definition being reordered: its rank and text.
enum Clause {
    /// `start..end` of the file.
    Text(u8, usize, usize),
    /// Text the repair adds.
    Added(u8, &'static [u8]),
}

impl Clause {
    fn rank(&self) -> u8 {
        match self {
            Clause::Text(r, _, _) | Clause::Added(r, _) => *r,
        }
    }
}

/// The repaired text, or `None` when nothing needed repairing.
pub(crate) fn repair(bytes: &[u8]) -> Option<Vec<u8>> {
    let tokens = tokenize(bytes);
    let base = bytes.as_ptr() as usize;
    let offset = |t: &str| (t.as_ptr() as usize).wrapping_sub(base);
    // Each definition to rewrite: where its clauses start, the clauses in
    // the SMI's order, and the offset of its `::=`.
    let mut edits: Vec<(usize, Vec<Clause>, usize)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let macro_name = tokens[i].0;
        let rank: fn(&str) -> Option<u8> = match macro_name {
            "OBJECT-TYPE" => object_rank,
            "NOTIFICATION-TYPE" => notification_rank,
            _ => {
                i += 1;
                continue;
            }
        };
        let is_definition = i > 0
            && starts_lower(tokens[i - 1].0)
            && tokens.get(i + 1).map(|t| t.0) != Some("MACRO");
        if !is_definition {
            i += 1;
            continue;
        }
        // OBJECT-TYPE: only what follows STATUS's value moves.
        let mut open = macro_name == "NOTIFICATION-TYPE";
        let mut j = i + 1;
        let mut found: Vec<(u8, usize)> = Vec::new();
        let mut depth = 0usize;
        let mut assign = None;
        while let Some(&(t, _, _)) = tokens.get(j) {
            match t {
                "{" => depth += 1,
                "}" => depth = depth.saturating_sub(1),
                "::=" if depth == 0 => {
                    assign = Some(offset(t));
                    break;
                }
                "OBJECT-TYPE" | "NOTIFICATION-TYPE" => break, // malformed
                "STATUS" if depth == 0 && !open => open = true,
                _ if open && depth == 0 => {
                    if let Some(r) = rank(t) {
                        found.push((r, offset(t)));
                    }
                }
                _ => {}
            }
            j += 1;
        }
        i = j.max(i + 1);
        let Some(assign) = assign else { continue };
        let ordered = found.windows(2).all(|w| w[0].0 <= w[1].0);
        let needs_status = macro_name == "NOTIFICATION-TYPE" && !found.iter().any(|&(r, _)| r == 1);
        if ordered && !needs_status {
            continue;
        }
        let start = found.first().map_or(assign, |c| c.1);
        let mut clauses: Vec<Clause> = found
            .iter()
            .enumerate()
            .map(|(k, &(r, from))| Clause::Text(r, from, found.get(k + 1).map_or(assign, |c| c.1)))
            .collect();
        if needs_status {
            clauses.push(Clause::Added(1, DEFAULT_STATUS));
        }
        clauses.sort_by_key(Clause::rank); // stable: equal ranks keep their order
        edits.push((start, clauses, assign));
    }
    if edits.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() + 16 * edits.len());
    let mut at = 0;
    for (start, clauses, assign) in edits {
        out.extend_from_slice(bytes.get(at..start)?);
        for clause in clauses {
            let text = match clause {
                Clause::Text(_, from, to) => bytes.get(from..to)?,
                Clause::Added(_, text) => text,
            };
            out.extend_from_slice(text);
            if text.last().is_some_and(|b| !b.is_ascii_whitespace()) {
                out.push(b' ');
            }
        }
        at = assign;
    }
    out.extend_from_slice(bytes.get(at..)?);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clauses_after_status_are_put_in_smi_order_keeping_lines() {
        let text = b"M DEFINITIONS ::= BEGIN\n\
            a OBJECT-TYPE\n SYNTAX TruthValue\n MAX-ACCESS read-only\n STATUS current\n\
            \tDEFVAL { false }\n DESCRIPTION \"x } INDEX y\"\n ::= { b 1 }\n\
            e OBJECT-TYPE\n SYNTAX E\n MAX-ACCESS not-accessible\n STATUS current\n\
            INDEX { i }\n REFERENCE \"r\"\n DESCRIPTION \"d\"\n ::= { t 1 }\n\
            c OBJECT-TYPE\n SYNTAX Integer32\n DESCRIPTION \"ok\"\n DEFVAL { 1 }\n ::= { b 2 }\n\
            END\n";
        let fixed = String::from_utf8(repair(text).unwrap()).unwrap();
        assert_eq!(
            fixed.lines().count(),
            text.iter().filter(|&&b| b == b'\n').count()
        );
        let lines: Vec<&str> = fixed.lines().collect();
        assert_eq!(lines[5], "\tDESCRIPTION \"x } INDEX y\"");
        assert_eq!(lines[6], " DEFVAL { false }");
        assert_eq!(lines[7], " ::= { b 1 }");
        assert_eq!(lines[12], "DESCRIPTION \"d\"");
        assert_eq!(lines[13], " REFERENCE \"r\"");
        assert_eq!(lines[14], " INDEX { i }");
        assert_eq!(lines[15], " ::= { t 1 }");
        // The well-ordered definition (and where the next one starts) is
        // untouched.
        assert_eq!(lines[16], "c OBJECT-TYPE");
        assert_eq!(lines[19], " DEFVAL { 1 }");
        assert!(repair(b"M DEFINITIONS ::= BEGIN\nEND\n").is_none());
    }

    #[test]
    fn a_notification_gets_its_clauses_in_order_and_a_status() {
        let text = b"N DEFINITIONS ::= BEGIN\n\
            n NOTIFICATION-TYPE\n DESCRIPTION \"d\"\n OBJECTS { a }\n ::= { b 0 1 }\n\
            m NOTIFICATION-TYPE\n OBJECTS { a }\n STATUS current\n ::= { b 0 2 }\n\
            END\n";
        let fixed = String::from_utf8(repair(text).unwrap()).unwrap();
        let lines: Vec<&str> = fixed.lines().collect();
        assert_eq!(lines.len(), 10);
        assert_eq!(lines[2], " OBJECTS { a }");
        assert_eq!(lines[3], " STATUS current DESCRIPTION \"d\"");
        assert_eq!(lines[4], " ::= { b 0 1 }");
        assert_eq!(
            &lines[5..8],
            ["m NOTIFICATION-TYPE", " OBJECTS { a }", " STATUS current"]
        );
    }
}
