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
//! * An `OBJECT-IDENTITY` without `STATUS` (Net-SNMP says "Expected STATUS"
//!   and keeps it) gets `STATUS current`; a `TEXTUAL-CONVENTION`'s clauses
//!   before `SYNTAX` are put in order (`DISPLAY-HINT` after `STATUS` is
//!   common), `STATUS current` added when missing; a `MODULE-IDENTITY`'s
//!   `REVISION` without its `DESCRIPTION` gets an empty one — without the
//!   repair the compiler drops the module identity and every name below it.

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

/// The clauses of an `OBJECT-IDENTITY`.
fn identity_rank(keyword: &str) -> Option<u8> {
    match keyword {
        "STATUS" => Some(0),
        "DESCRIPTION" => Some(1),
        "REFERENCE" => Some(2),
        _ => None,
    }
}

/// The clauses of a `TEXTUAL-CONVENTION` before its `SYNTAX`.
fn convention_rank(keyword: &str) -> Option<u8> {
    match keyword {
        "DISPLAY-HINT" => Some(0),
        "STATUS" => Some(1),
        "DESCRIPTION" => Some(2),
        "REFERENCE" => Some(3),
        _ => None,
    }
}

/// What a definition without `STATUS` gets (the compiler requires the
/// clause where Net-SNMP does not, or only complains; `current` is what
/// Net-SNMP assumes).
const DEFAULT_STATUS: &[u8] = b"STATUS current ";
/// What a `REVISION` without its `DESCRIPTION` gets.
const EMPTY_DESCRIPTION: &[u8] = b"DESCRIPTION \"\" ";

/// How one kind of definition is repaired.
struct Spec {
    rank: fn(&str) -> Option<u8>,
    /// Clauses move only after this one (`OBJECT-TYPE`: `STATUS`).
    after: Option<&'static str>,
    /// Where the clauses end: `::=`, or `SYNTAX` for a TEXTUAL-CONVENTION.
    end: &'static str,
    /// The rank of `STATUS` when it must be added if missing.
    status: Option<u8>,
}

fn spec(tokens: &[(&str, usize, bool)], i: usize) -> Option<Spec> {
    let prev = i.checked_sub(1).and_then(|p| tokens.get(p)).map(|t| t.0);
    let next = tokens.get(i + 1).map(|t| t.0);
    if next == Some("MACRO") {
        return None;
    }
    let named = prev.is_some_and(starts_lower);
    match tokens.get(i)?.0 {
        "OBJECT-TYPE" if named => Some(Spec {
            rank: object_rank,
            after: Some("STATUS"),
            end: "::=",
            status: None,
        }),
        "NOTIFICATION-TYPE" if named => Some(Spec {
            rank: notification_rank,
            after: None,
            end: "::=",
            status: Some(1),
        }),
        "OBJECT-IDENTITY" if named => Some(Spec {
            rank: identity_rank,
            after: None,
            end: "::=",
            status: Some(0),
        }),
        "TEXTUAL-CONVENTION" if prev == Some("::=") => Some(Spec {
            rank: convention_rank,
            after: None,
            end: "SYNTAX",
            status: Some(1),
        }),
        _ => None,
    }
}

/// The repaired text, or `None` when nothing needed repairing.
pub(crate) fn repair(bytes: &[u8]) -> Option<Vec<u8>> {
    let tokens = tokenize(bytes);
    let base = bytes.as_ptr() as usize;
    let offset = |t: &str| (t.as_ptr() as usize).wrapping_sub(base);
    // Replacements: (start, end, new text), in file order.
    let mut edits: Vec<(usize, usize, Vec<u8>)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let named = i > 0 && starts_lower(tokens[i - 1].0);
        if tokens[i].0 == "MODULE-IDENTITY" && named {
            // REVISION "date" without its DESCRIPTION: Net-SNMP complains
            // and keeps the module identity; the compiler drops it, and
            // every name under it.
            let mut j = i + 1;
            while let Some(&(t, _, _)) = tokens.get(j) {
                if t == "::=" {
                    break;
                }
                if t == "REVISION" {
                    if let Some(&(n, _, _)) = tokens.get(j + 1) {
                        if n != "DESCRIPTION" {
                            let at = offset(n);
                            edits.push((at, at, EMPTY_DESCRIPTION.to_vec()));
                        }
                    }
                }
                j += 1;
            }
            i = j.max(i + 1);
            continue;
        }
        let Some(spec) = spec(&tokens, i) else {
            i += 1;
            continue;
        };
        let mut open = spec.after.is_none();
        let mut j = i + 1;
        let mut found: Vec<(u8, usize)> = Vec::new();
        let mut depth = 0usize;
        let mut end = None;
        while let Some(&(t, _, _)) = tokens.get(j) {
            match t {
                "{" => depth += 1,
                "}" => depth = depth.saturating_sub(1),
                _ if t == spec.end && depth == 0 => {
                    end = Some(offset(t));
                    break;
                }
                // Another definition: malformed, left to the compiler.
                "OBJECT-TYPE" | "NOTIFICATION-TYPE" | "OBJECT-IDENTITY" | "TEXTUAL-CONVENTION"
                | "::=" => break,
                _ if depth == 0 && !open => open = Some(t) == spec.after,
                _ if open && depth == 0 => {
                    if let Some(r) = (spec.rank)(t) {
                        found.push((r, offset(t)));
                    }
                }
                _ => {}
            }
            j += 1;
        }
        i = j.max(i + 1);
        let Some(end) = end else { continue };
        let ordered = found.windows(2).all(|w| w[0].0 <= w[1].0);
        let add_status = spec
            .status
            .filter(|&rank| !found.iter().any(|&(r, _)| r == rank));
        if ordered && add_status.is_none() {
            continue;
        }
        let start = found.first().map_or(end, |c| c.1);
        // Each clause runs to the next one (or the end); the sort is
        // stable, so equal ranks keep their order.
        let mut clauses: Vec<(u8, &[u8])> = Vec::with_capacity(found.len() + 1);
        for (k, &(r, from)) in found.iter().enumerate() {
            let to = found.get(k + 1).map_or(end, |c| c.1);
            clauses.push((r, bytes.get(from..to)?));
        }
        if let Some(rank) = add_status {
            clauses.push((rank, DEFAULT_STATUS));
        }
        clauses.sort_by_key(|c| c.0);
        let mut text = Vec::with_capacity(end - start + DEFAULT_STATUS.len());
        for (_, clause) in clauses {
            text.extend_from_slice(clause);
            if clause.last().is_some_and(|b| !b.is_ascii_whitespace()) {
                text.push(b' ');
            }
        }
        edits.push((start, end, text));
    }
    if edits.is_empty() {
        return None;
    }
    edits.sort_by_key(|e| e.0);
    let mut out = Vec::with_capacity(bytes.len() + 16 * edits.len());
    let mut at = 0;
    for (start, end, text) in edits {
        if start < at {
            continue; // overlapping (malformed input): keep the first
        }
        out.extend_from_slice(bytes.get(at..start)?);
        out.extend_from_slice(&text);
        at = end;
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
    fn identities_conventions_and_revisions_get_what_the_compiler_needs() {
        let text = b"I DEFINITIONS ::= BEGIN\n\
            iMIB MODULE-IDENTITY\n LAST-UPDATED \"200101010000Z\"\n ORGANIZATION \"o\"\n\
             CONTACT-INFO \"c\"\n DESCRIPTION \"d\"\n REVISION \"200101010000Z\"\n ::= { e 1 }\n\
            iIdent OBJECT-IDENTITY\n DESCRIPTION \"no status\"\n ::= { iMIB 1 }\n\
            IHint ::= TEXTUAL-CONVENTION\n STATUS current\n DISPLAY-HINT \"d\"\n DESCRIPTION \"h\"\n SYNTAX Integer32\n\
            END\n";
        let fixed = String::from_utf8(repair(text).unwrap()).unwrap();
        let lines: Vec<&str> = fixed.lines().collect();
        assert_eq!(lines.len(), text.iter().filter(|&&b| b == b'\n').count());
        assert_eq!(lines[6], " REVISION \"200101010000Z\"");
        assert_eq!(lines[7], " DESCRIPTION \"\" ::= { e 1 }");
        assert_eq!(lines[9], " STATUS current DESCRIPTION \"no status\"");
        assert_eq!(
            &lines[12..15],
            [
                " DISPLAY-HINT \"d\"",
                " STATUS current",
                " DESCRIPTION \"h\""
            ]
        );
        assert_eq!(lines[15], " SYNTAX Integer32");
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
