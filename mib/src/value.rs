//! Values rendered by the object's syntax, as Net-SNMP 5.9 prints them with
//! MIBs loaded: enumerations (`INTEGER: up(1)`), DISPLAY-HINTs (RFC 2579
//! §3.1: `STRING: 0:c:29:a1:b2:3`, DateAndTime, `d-2` integers), BITS with
//! their labels, UNITS, and `Wrong Type (should be ...)` when the agent's
//! type differs from the MIB's.
//!
//! A string under a text hint (`255a`, `255t`) whose octets are not valid
//! UTF-8 is written as those octets, as Net-SNMP 5.9 does (measured with
//! `snmpwalk`): [`ValueText::Bytes`].

use std::fmt::Write as _;

use oxsnmp_core::{Oid, Value};

use crate::model::{BaseType, SyntaxData};
use crate::oid_text::OidStyle;
use crate::Mibs;

/// The `-O` flags that change values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ValueOptions {
    /// `-Oq`: no type labels, enum labels alone.
    pub quick: bool,
    /// `-Oe`: enumerations as numbers.
    pub numeric_enums: bool,
    /// `-OU`: no UNITS.
    pub no_units: bool,
    /// `-Ot`: TimeTicks as plain numbers.
    pub numeric_timeticks: bool,
    /// `-OQ`: quick printing with ` = `, which also drops the
    /// `Wrong Type (should be ...): ` prefix.
    pub quick_equals: bool,
    /// `-OT`: hex dumps (BITS) followed by their printable characters.
    pub hex_text: bool,
    /// How OID values are printed.
    pub oid_style: OidStyle,
}

/// What [`Mibs::format_value`] decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueText {
    /// The MIB says nothing that changes the output: print the value as
    /// without MIBs.
    Plain,
    /// Print the value as without MIBs, then this (` UNITS`).
    PlainThen(String),
    /// Print this, then the value as without MIBs (`Wrong Type (...): `).
    Prefix(String),
    /// The whole text.
    Text(String),
    /// The whole text as octets that are not all UTF-8: a string under a
    /// text DISPLAY-HINT, which Net-SNMP writes byte for byte.
    Bytes(Vec<u8>),
}

impl Mibs {
    /// How the value of the instance `oid` prints with this set loaded.
    pub fn format_value(&self, oid: &Oid, value: &Value, opts: &ValueOptions) -> ValueText {
        if value.is_exception() {
            return ValueText::Plain;
        }
        let (node, _) = self.model.longest_prefix(oid.arcs());
        let Some(object) = self.model.object(node) else {
            return ValueText::Plain;
        };
        let syntax = &object.syntax;
        let units = if opts.no_units || object.units.is_empty() {
            None
        } else {
            Some(object.units.as_str())
        };
        let with_units = |text: String| match units {
            Some(u) => format!("{text} {u}"),
            None => text,
        };
        let plain_units = || match units {
            Some(u) => ValueText::PlainThen(format!(" {u}")),
            None => ValueText::Plain,
        };
        let label = |l: &str| {
            if opts.quick {
                String::new()
            } else {
                format!("{l}: ")
            }
        };
        let wrong = |should: &str| {
            if opts.quick_equals {
                ValueText::Plain
            } else {
                ValueText::Prefix(format!("Wrong Type (should be {should}): "))
            }
        };
        let hint = syntax.hint.as_str();
        match syntax.base.unwrap_or(BaseType::Unknown) {
            BaseType::Integer => {
                let Value::Integer(v) = value else {
                    return wrong("INTEGER");
                };
                let v = i64::from(*v);
                let mut text = label("INTEGER");
                match syntax.enums.iter().find(|(e, _)| *e == v) {
                    Some((_, name)) if !opts.numeric_enums => {
                        if opts.quick {
                            text.push_str(name);
                        } else {
                            let _ = write!(text, "{name}({v})");
                        }
                    }
                    _ if !hint.is_empty() => hinted_integer(&mut text, v, hint, false),
                    _ => {
                        let _ = write!(text, "{v}");
                    }
                }
                ValueText::Text(with_units(text))
            }
            BaseType::Unsigned32 | BaseType::Gauge32 => {
                let Value::Gauge32(v) = value else {
                    return wrong("Gauge32 or Unsigned32");
                };
                if hint.is_empty() {
                    return plain_units();
                }
                let mut text = label("Gauge32");
                hinted_integer(&mut text, i64::from(*v), hint, true);
                ValueText::Text(with_units(text))
            }
            BaseType::Counter32 => match value {
                Value::Counter32(_) => plain_units(),
                _ => wrong("Counter32"),
            },
            BaseType::Counter64 => match value {
                Value::Counter64(_) => plain_units(),
                _ => wrong("Counter64"),
            },
            BaseType::TimeTicks => match value {
                Value::TimeTicks(_) if opts.numeric_timeticks => ValueText::Plain,
                Value::TimeTicks(_) => plain_units(),
                _ => wrong("Timeticks"),
            },
            BaseType::IpAddress => match value {
                Value::IpAddress(_) => ValueText::Plain,
                _ => wrong("IpAddress"),
            },
            BaseType::ObjectIdentifier => match value {
                Value::ObjectIdentifier(o) => {
                    let mut text = label("OID");
                    self.push_oid(&mut text, o.arcs(), opts.oid_style);
                    ValueText::Text(with_units(text))
                }
                _ => wrong("OBJECT IDENTIFIER"),
            },
            BaseType::Bits => match value {
                Value::OctetString(bytes) => ValueText::Text(bits(bytes, syntax, opts)),
                _ => wrong("BITS"),
            },
            BaseType::OctetString => match value {
                Value::OctetString(bytes) if !hint.is_empty() => match hinted_octets(bytes, hint) {
                    Some(body) => {
                        let mut text = label("STRING").into_bytes();
                        text.extend_from_slice(&body);
                        if let Some(u) = units {
                            text.push(b' ');
                            text.extend_from_slice(u.as_bytes());
                        }
                        match String::from_utf8(text) {
                            Ok(text) => ValueText::Text(text),
                            Err(e) => ValueText::Bytes(e.into_bytes()),
                        }
                    }
                    None => plain_units(),
                },
                Value::OctetString(_) => plain_units(),
                _ => wrong("OCTET STRING"),
            },
            BaseType::Opaque => match value {
                Value::Opaque(_) => ValueText::Plain,
                _ => wrong("Opaque"),
            },
            _ => ValueText::Plain,
        }
    }
}

/// An integer under a `d[-N]`, `x`, `o` or `b` hint (RFC 2579 §3.1).
pub(crate) fn hinted_integer(out: &mut String, v: i64, hint: &str, unsigned: bool) {
    let mut chars = hint.chars();
    match chars.next() {
        Some('d') => {
            let shift: usize = hint
                .strip_prefix("d-")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0)
                .min(40);
            let negative = !unsigned && v < 0;
            let digits = v.unsigned_abs().to_string();
            let body = if shift == 0 {
                digits
            } else if shift < digits.len() {
                let (a, b) = digits.split_at(digits.len() - shift);
                format!("{a}.{b}")
            } else {
                format!(".{}{digits}", "0".repeat(shift - digits.len()))
            };
            if negative {
                out.push('-');
            }
            out.push_str(&body);
        }
        Some('x') => {
            let _ = write!(out, "{:x}", v as u64 & 0xffff_ffff);
        }
        Some('o') => {
            let _ = write!(out, "{:o}", v as u64 & 0xffff_ffff);
        }
        Some('b') => {
            let _ = write!(out, "{:032b}", v as u32);
        }
        _ => {
            let _ = write!(out, "{v}");
        }
    }
}

/// One octet-format specification of a DISPLAY-HINT (RFC 2579 §3.1): an
/// optional `*` repeat indicator, the octet count, the display format
/// (`x d o a t`), an optional separator and, after `*`, an optional
/// repeat terminator. Shared by the formatter and the reader of hinted
/// text, so both read a hint alike.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct OctetSpec {
    /// A `*`: the first octet (or the text's count) says how many times.
    pub(crate) star: bool,
    /// Octets per item (at least 1).
    pub(crate) width: usize,
    /// `x`, `d`, `o`, `a` or `t`.
    pub(crate) code: u8,
    /// The separator after each item.
    pub(crate) separ: Option<u8>,
    /// The terminator after a `*` group.
    pub(crate) term: Option<u8>,
}

impl OctetSpec {
    /// The specification at `hint[*h..]`, advancing `*h` past it: `None`
    /// at the end of the hint (the last specification then repeats),
    /// `Some(None)` when the hint is malformed there.
    pub(crate) fn read(hint: &[u8], h: &mut usize) -> Option<Option<Self>> {
        if *h >= hint.len() {
            return None;
        }
        let star = hint.get(*h) == Some(&b'*');
        if star {
            *h += 1;
        }
        let mut width = 0usize;
        while let Some(d) = hint.get(*h).filter(|d| d.is_ascii_digit()) {
            width = width
                .saturating_mul(10)
                .saturating_add(usize::from(d - b'0'));
            *h += 1;
        }
        let Some(&code) = hint.get(*h) else {
            return Some(None);
        };
        *h += 1;
        // A separator or terminator is any character that cannot start
        // the next specification; after a zero width, not a format letter.
        let takes = |c: Option<&u8>| match c {
            Some(&c) => {
                c != b'*'
                    && !c.is_ascii_digit()
                    && (width != 0 || (c != b'x' && c != b'd' && c != b'o'))
            }
            None => false,
        };
        let mut separ = None;
        let mut term = None;
        if takes(hint.get(*h)) {
            separ = hint.get(*h).copied();
            *h += 1;
        }
        if takes(hint.get(*h)) {
            term = hint.get(*h).copied();
            *h += 1;
        }
        Some(Some(Self {
            star,
            width: width.max(1),
            code,
            separ,
            term,
        }))
    }
}

/// An OCTET STRING under a DISPLAY-HINT, Net-SNMP's way (the last hint
/// component repeats; `x` with a one-octet width is not zero-padded when a
/// separator follows). The octets of `a`/`t` parts are copied as they are
/// (UTF-8 or not), as Net-SNMP does. `None` when the hint is malformed:
/// the caller prints the plain form instead.
pub(crate) fn hinted_octets(bytes: &[u8], hint: &str) -> Option<Vec<u8>> {
    let hint = hint.as_bytes();
    let mut h = 0usize;
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len() * 3);
    let mut cp = 0usize;
    let (mut width, mut code, mut separ, mut term) = (1usize, b'd', None::<u8>, None::<u8>);
    while cp < bytes.len() {
        let mut repeat = 1usize;
        if let Some(spec) = OctetSpec::read(hint, &mut h) {
            let spec = spec?;
            if spec.star {
                repeat = usize::from(*bytes.get(cp)?);
                cp += 1;
            }
            (width, code, separ, term) = (spec.width, spec.code, spec.separ, spec.term);
        }
        while repeat > 0 && cp < bytes.len() {
            match code {
                b'a' | b't' => {
                    let n = width.min(bytes.len() - cp);
                    let chunk = &bytes[cp..cp + n];
                    if chunk.contains(&0) {
                        for &b in chunk {
                            if (0x20..0x7f).contains(&b) || (0x09..=0x0d).contains(&b) {
                                if b == b'\\' || b == b'"' {
                                    out.push(b'\\');
                                }
                                out.push(b);
                            } else {
                                out.push(b'.');
                            }
                        }
                    } else {
                        out.extend_from_slice(chunk);
                    }
                    cp += n;
                }
                b'x' | b'd' | b'o' => {
                    let mut value: u64 = 0;
                    for _ in 0..width.min(8) {
                        if cp < bytes.len() {
                            value = (value << 8) | u64::from(bytes[cp]);
                            cp += 1;
                        }
                    }
                    let text = match code {
                        b'x' if value < 16 && width == 1 && separ.is_none() && h >= hint.len() => {
                            format!("0{value:x}")
                        }
                        b'x' => format!("{value:x}"),
                        b'o' => format!("{value:o}"),
                        _ => format!("{}", value as i64),
                    };
                    out.extend_from_slice(text.as_bytes());
                }
                _ => return None,
            }
            if cp < bytes.len() {
                if let Some(s) = separ {
                    out.push(s);
                }
            }
            repeat -= 1;
        }
        if cp < bytes.len() {
            if let Some(t) = term {
                out.push(t);
            }
        }
    }
    Some(out)
}

/// `BITS: 40 up(1) ` — the octets in hex, then each set bit's label; under
/// `-Oq` only the hex, quoted (`"40 "`), as Net-SNMP prints them.
fn bits(bytes: &[u8], syntax: &SyntaxData, opts: &ValueOptions) -> String {
    let mut out = String::new();
    if opts.quick {
        out.push('"');
        hex_dump(&mut out, bytes, opts.hex_text);
        out.push('"');
        return out;
    }
    out.push_str("BITS: ");
    hex_dump(&mut out, bytes, opts.hex_text);
    for (i, &byte) in bytes.iter().enumerate() {
        for bit in 0..8u32 {
            if byte & (0x80 >> bit) != 0 {
                let n = i as u32 * 8 + bit;
                match syntax.bits.iter().find(|(b, _)| *b == n) {
                    Some((_, label)) if !opts.numeric_enums => {
                        let _ = write!(out, "{label}({n}) ");
                    }
                    _ => {
                        let _ = write!(out, "{n} ");
                    }
                }
            }
        }
    }
    out
}

/// Net-SNMP's hex dump: `XX ` per octet, a newline after every 16 octets
/// when more follow; with `text` (`-OT`) each line ends in `  [chars]`.
fn hex_dump(out: &mut String, bytes: &[u8], text: bool) {
    if bytes.is_empty() && text {
        out.push_str("  []");
    }
    for (i, chunk) in bytes.chunks(16).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for b in chunk {
            let _ = write!(out, "{b:02X} ");
        }
        if text {
            out.push_str("  [");
            for &b in chunk {
                let printable = (0x20..0x7f).contains(&b) || (0x09..=0x0d).contains(&b);
                out.push(if printable { char::from(b) } else { '.' });
            }
            out.push(']');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn octet_hints() {
        let h = |b: &[u8], hint: &str| String::from_utf8(hinted_octets(b, hint).unwrap()).unwrap();
        assert_eq!(h(&[0, 0x0c, 0x29, 0xa1, 0xb2, 3], "1x:"), "0:c:29:a1:b2:3");
        assert_eq!(h(b"plain text", "255a"), "plain text");
        assert_eq!(h(b"a\0b", "255a"), "a.b");
        // DateAndTime.
        assert_eq!(
            h(
                &[0x07, 0xe8, 1, 2, 3, 4, 5, 6, b'+', 1, 30],
                "2d-1d-1d,1d:1d:1d.1d,1a1d:1d"
            ),
            "2024-1-2,3:4:5.6,+1:30"
        );
        assert_eq!(h(&[10, 0, 0, 1], "1d.1d.1d.1d"), "10.0.0.1");
        assert_eq!(h(&[0xab, 0x01], "1x"), "ab01");
        // Not UTF-8: the octets as they are.
        assert_eq!(hinted_octets(&[0xff, 0xfe], "255a").unwrap(), [0xff, 0xfe]);
    }

    #[test]
    fn integer_hints() {
        let h = |v: i64, hint: &str| {
            let mut s = String::new();
            hinted_integer(&mut s, v, hint, false);
            s
        };
        assert_eq!(h(1234, "d-2"), "12.34");
        assert_eq!(h(-5, "d-2"), "-.05");
        assert_eq!(h(5, "d-3"), ".005");
        assert_eq!(h(255, "x"), "ff");
        assert_eq!(h(8, "o"), "10");
    }
}
