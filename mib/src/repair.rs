//! Repairs of MIB texts that Net-SNMP reads and the compiler refuses,
//! applied to the octets handed to the compiler (the file is not changed).
//! Every repair keeps each definition on its lines, so warnings still point
//! at the right line.
//!
//! * A `DEFVAL { ... }` before other clauses of an `OBJECT-TYPE` (SMI
//!   requires it last, RFC 2578 §7.1; Net-SNMP takes clauses in any order,
//!   and KAMAILIO-MIB puts `DEFVAL` before `DESCRIPTION`): the compiler
//!   drops the whole definition ("expected '::='"). The clause is moved to
//!   just before the `::=`, its old place blanked.

use crate::prescan::{starts_lower, tokenize};

/// Clauses that must come before `DEFVAL` in an `OBJECT-TYPE`.
const BEFORE_DEFVAL: &[&str] = &[
    "SYNTAX",
    "UNITS",
    "MAX-ACCESS",
    "ACCESS",
    "STATUS",
    "DESCRIPTION",
    "REFERENCE",
    "INDEX",
    "AUGMENTS",
];

/// The repaired text, or `None` when nothing needed repairing.
pub(crate) fn repair(bytes: &[u8]) -> Option<Vec<u8>> {
    let tokens = tokenize(bytes);
    let base = bytes.as_ptr() as usize;
    let offset = |t: &str| (t.as_ptr() as usize).wrapping_sub(base);
    // (DEFVAL start, end of its closing brace, offset of the `::=`).
    let mut moves: Vec<(usize, usize, usize)> = Vec::new();
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
        let mut defval: Option<(usize, usize)> = None;
        let mut late = false;
        while let Some(&(t, _, _)) = tokens.get(j) {
            if t == "::=" || t == "OBJECT-TYPE" {
                break;
            }
            if t == "DEFVAL" && tokens.get(j + 1).map(|t| t.0) == Some("{") {
                let mut depth = 0usize;
                let mut k = j + 1;
                while let Some(&(u, _, _)) = tokens.get(k) {
                    if u == "{" {
                        depth += 1;
                    } else if u == "}" {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            break;
                        }
                    }
                    k += 1;
                }
                let Some(&(close, _, _)) = tokens.get(k) else {
                    break;
                };
                defval = Some((offset(t), offset(close) + 1));
                j = k + 1;
                continue;
            }
            if defval.is_some() && BEFORE_DEFVAL.contains(&t) {
                late = true;
            }
            j += 1;
        }
        if let (Some((start, end)), true, Some(&(assign, _, _))) = (defval, late, tokens.get(j)) {
            if assign == "::=" && end <= bytes.len() && start < end {
                moves.push((start, end, offset(assign)));
            }
        }
        i = j.max(i + 1);
    }
    if moves.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() + 64);
    let mut at = 0;
    for (start, end, assign) in moves {
        let (Some(before), Some(clause), Some(between)) = (
            bytes.get(at..start),
            bytes.get(start..end),
            bytes.get(end..assign),
        ) else {
            return None;
        };
        out.extend_from_slice(before);
        out.extend(
            clause
                .iter()
                .map(|&b| if b == b'\n' || b == b'\r' { b } else { b' ' }),
        );
        out.extend_from_slice(between);
        out.extend(
            clause
                .iter()
                .map(|&b| if b == b'\n' || b == b'\r' { b' ' } else { b }),
        );
        out.push(b' ');
        at = assign;
    }
    out.extend_from_slice(bytes.get(at..)?);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_early_defval_moves_before_the_assignment_keeping_lines() {
        let text = b"M DEFINITIONS ::= BEGIN\n\
            a OBJECT-TYPE\n SYNTAX TruthValue\n MAX-ACCESS read-only\n STATUS current\n\
            \tDEFVAL { false }\n DESCRIPTION \"x } y\"\n ::= { b 1 }\n\
            c OBJECT-TYPE\n SYNTAX Integer32\n DESCRIPTION \"ok\"\n DEFVAL { 1 }\n ::= { b 2 }\n\
            END\n";
        let fixed = repair(text).unwrap();
        let fixed = String::from_utf8(fixed).unwrap();
        assert_eq!(fixed.lines().count(), 14);
        let lines: Vec<&str> = fixed.lines().collect();
        assert_eq!(lines[5].trim(), "");
        assert_eq!(lines[6], " DESCRIPTION \"x } y\"");
        assert_eq!(lines[7], " DEFVAL { false } ::= { b 1 }");
        // The well-ordered definition is untouched.
        assert_eq!(lines[11], " DEFVAL { 1 }");
        assert!(repair(b"M DEFINITIONS ::= BEGIN\nEND\n").is_none());
    }
}
