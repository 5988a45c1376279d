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

use crate::prescan::{starts_lower, tokenize};

/// The clauses after `STATUS` that Net-SNMP takes in any order, with their
/// place in the SMI's order.
fn rank(keyword: &str) -> Option<u8> {
    match keyword {
        "DESCRIPTION" => Some(0),
        "REFERENCE" => Some(1),
        "INDEX" | "AUGMENTS" => Some(2),
        "DEFVAL" => Some(3),
        _ => None,
    }
}

/// The repaired text, or `None` when nothing needed repairing.
pub(crate) fn repair(bytes: &[u8]) -> Option<Vec<u8>> {
    let tokens = tokenize(bytes);
    let base = bytes.as_ptr() as usize;
    let offset = |t: &str| (t.as_ptr() as usize).wrapping_sub(base);
    // Each definition to reorder: the clauses' (rank, start offset) in
    // file order, and the offset of its `::=`.
    let mut edits: Vec<(Vec<(u8, usize)>, usize)> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let is_definition = tokens[i].0 == "OBJECT-TYPE"
            && i > 0
            && starts_lower(tokens[i - 1].0)
            && tokens.get(i + 1).map(|t| t.0) != Some("MACRO");
        if !is_definition {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut after_status = false;
        let mut clauses: Vec<(u8, usize)> = Vec::new();
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
                "OBJECT-TYPE" => break, // malformed: leave it to the compiler
                "STATUS" if depth == 0 => after_status = true,
                _ if after_status && depth == 0 => {
                    if let Some(r) = rank(t) {
                        clauses.push((r, offset(t)));
                    }
                }
                _ => {}
            }
            j += 1;
        }
        let ordered = clauses.windows(2).all(|w| w[0].0 <= w[1].0);
        if let (Some(assign), false) = (assign, ordered) {
            edits.push((clauses, assign));
        }
        i = j.max(i + 1);
    }
    if edits.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    for (clauses, assign) in edits {
        let first = clauses.first()?.1;
        out.extend_from_slice(bytes.get(at..first)?);
        // Each clause runs to the next one (or the `::=`).
        let mut spans: Vec<(u8, &[u8])> = Vec::with_capacity(clauses.len());
        for (k, &(r, start)) in clauses.iter().enumerate() {
            let end = clauses.get(k + 1).map_or(assign, |c| c.1);
            spans.push((r, bytes.get(start..end)?));
        }
        spans.sort_by_key(|s| s.0); // stable: equal ranks keep their order
        for (_, span) in spans {
            out.extend_from_slice(span);
            if span.last().is_some_and(|b| !b.is_ascii_whitespace()) {
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
}
