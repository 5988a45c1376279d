//! Reads Net-SNMP's `-On` value text back into oxsnmp values, so interop
//! tests compare what Net-SNMP's tools saw with what our clients decoded
//! without trusting our own renderer (an independent oracle).

use oxsnmp_core::{Oid, Value};

fn unquote(s: &str) -> Option<Vec<u8>> {
    let inner = s.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = Vec::with_capacity(inner.len());
    let mut bytes = inner.bytes();
    while let Some(b) = bytes.next() {
        if b == b'\\' {
            out.push(bytes.next()?);
        } else {
            out.push(b);
        }
    }
    Some(out)
}

fn hex_bytes(s: &str) -> Option<Vec<u8>> {
    s.split_whitespace()
        .map(|h| u8::from_str_radix(h, 16).ok())
        .collect()
}

/// Parses one rendered value (`STRING: "x"`, `Counter64: 5`, ...).
/// Returns `None` for forms this oracle does not know.
pub fn parse_value(text: &str) -> Option<Value> {
    let text = text.trim_end_matches([' ', '\n']);
    match text {
        "NULL" => return Some(Value::Null),
        "\"\"" => return Some(Value::OctetString(Vec::new())),
        "No Such Object available on this agent at this OID" => return Some(Value::NoSuchObject),
        "No Such Instance currently exists at this OID" => return Some(Value::NoSuchInstance),
        "No more variables left in this MIB View (It is past the end of the MIB tree)" => {
            return Some(Value::EndOfMibView)
        }
        _ => {}
    }
    let (kind, rest) = text.split_once(": ")?;
    Some(match kind {
        "STRING" => Value::OctetString(unquote(rest)?),
        "Hex-STRING" => Value::OctetString(hex_bytes(rest)?),
        "INTEGER" => Value::Integer(rest.parse().ok()?),
        "Counter32" => Value::Counter32(rest.parse().ok()?),
        "Gauge32" => Value::Gauge32(rest.parse().ok()?),
        "Counter64" => Value::Counter64(rest.parse().ok()?),
        "Timeticks" => {
            let ticks = rest.strip_prefix('(')?.split_once(')')?.0;
            Value::TimeTicks(ticks.parse().ok()?)
        }
        "IpAddress" => Value::IpAddress(rest.parse().ok()?),
        "OID" => Value::ObjectIdentifier(rest.parse::<Oid>().ok()?),
        "OPAQUE" | "Opaque" => Value::Opaque(hex_bytes(rest)?),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms() {
        assert_eq!(
            parse_value("STRING: \"a \\\"b\\\"\""),
            Some(Value::from("a \"b\""))
        );
        assert_eq!(
            parse_value("Hex-STRING: 00 1A FF "),
            Some(Value::OctetString(vec![0, 0x1a, 0xff]))
        );
        assert_eq!(
            parse_value("Timeticks: (4242) 0:00:42.42"),
            Some(Value::TimeTicks(4242))
        );
        assert_eq!(
            parse_value("Counter64: 18446744073709551615"),
            Some(Value::Counter64(u64::MAX))
        );
        assert_eq!(parse_value("\"\""), Some(Value::OctetString(vec![])));
        assert_eq!(parse_value("Wrong: 1"), None);
    }
}
