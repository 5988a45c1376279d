//! Reading back what [`Mibs::format_value`] printed: the MIB side of
//! replaying a walk recorded with MIBs loaded
//! ([`WalkMibs`](oxsnmp_core::agent::recording::WalkMibs)).
//!
//! A value printed under a DISPLAY-HINT (RFC 2579 §3.1) is parsed by the
//! hint's octet-format (or integer-format) specification and accepted only
//! when formatting the result again with the same hint gives exactly the
//! text read: a hint that loses information (a `1a` field that printed a
//! NUL as `.`, a separator that also occurs in the data, a short last
//! field) is refused rather than guessed.

use oxsnmp_core::agent::recording::WalkMibs;
use oxsnmp_core::{Oid, Value};

use crate::model::BaseType;
use crate::value::{hinted_integer, hinted_octets};
use crate::Mibs;

impl WalkMibs for Mibs {
    fn resolve(&self, name: &str) -> Result<Oid, String> {
        self.parse_oid(name).map_err(|e| e.to_string())
    }

    fn units(&self, instance: &Oid) -> Option<String> {
        let (node, _) = self.model.longest_prefix(instance.arcs());
        let object = self.model.object(node)?;
        (!object.units.is_empty()).then(|| object.units.clone())
    }

    fn read_value(
        &self,
        instance: &Oid,
        label: &str,
        text: &[u8],
    ) -> Option<Result<Value, String>> {
        let (node, _) = self.model.longest_prefix(instance.arcs());
        let syntax = &self.model.object(node)?.syntax;
        let hint = syntax.hint.as_str();
        if hint.is_empty() {
            return None;
        }
        let base = syntax.base.unwrap_or(BaseType::Unknown);
        match (base, label.to_ascii_uppercase().as_str()) {
            (BaseType::OctetString, "STRING") => {
                // A malformed hint prints the plain form: read it so.
                hinted_octets(&[1; 16], hint)?;
                Some(read_octets(text, hint))
            }
            (BaseType::Integer, "INTEGER") => {
                let text = std::str::from_utf8(text).ok()?;
                // An enumeration's `label(N)`: the core takes N.
                if text.ends_with(')') {
                    return None;
                }
                Some(read_integer(text, hint, false).and_then(|v| {
                    i32::try_from(v)
                        .map(Value::Integer)
                        .map_err(|_| format!("{v} is out of range for INTEGER"))
                }))
            }
            (BaseType::Gauge32 | BaseType::Unsigned32, "GAUGE32" | "UNSIGNED32") => {
                let text = std::str::from_utf8(text).ok()?;
                Some(read_integer(text, hint, true).and_then(|v| {
                    u32::try_from(v)
                        .map(Value::Gauge32)
                        .map_err(|_| format!("{v} is out of range for Gauge32"))
                }))
            }
            _ => None,
        }
    }
}

/// The octets whose printing under `hint` is `text`, or why there are none.
pub(crate) fn read_octets(text: &[u8], hint: &str) -> Result<Value, String> {
    let shown = String::from_utf8_lossy(text);
    let octets = unhint_octets(text, hint)
        .ok_or_else(|| format!("it does not follow its DISPLAY-HINT {hint:?}"))?;
    match hinted_octets(&octets, hint) {
        Some(again) if again == text => Ok(Value::OctetString(octets)),
        _ => Err(format!(
            "under DISPLAY-HINT {hint:?} more than one value prints as {shown:?}"
        )),
    }
}

/// The integer whose printing under `hint` (`d-2`, `x`, `o`, `b`) is
/// `text`, checked by printing it again.
pub(crate) fn read_integer(text: &str, hint: &str, unsigned: bool) -> Result<i64, String> {
    let bad = || format!("it does not follow its DISPLAY-HINT {hint:?}");
    let parsed = match hint.as_bytes().first() {
        Some(b'd') => {
            let (negative, digits) = match text.strip_prefix('-') {
                Some(d) => (true, d),
                None => (false, text),
            };
            let mut parts = digits.splitn(2, '.');
            let whole = parts.next().unwrap_or("");
            let joined = format!("{whole}{}", parts.next().unwrap_or(""));
            if joined.is_empty() || !joined.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            let n: i64 = joined.parse().map_err(|_| bad())?;
            if negative {
                -n
            } else {
                n
            }
        }
        Some(b'x') => i64::from_str_radix(text, 16).map_err(|_| bad())?,
        Some(b'o') => i64::from_str_radix(text, 8).map_err(|_| bad())?,
        Some(b'b') => i64::from_str_radix(text, 2).map_err(|_| bad())?,
        _ => return Err(bad()),
    };
    // x/o/b print a negative INTEGER as its 32-bit pattern.
    let candidates: Vec<i64> = if unsigned {
        vec![parsed]
    } else {
        [
            i32::try_from(parsed).ok(),
            u32::try_from(parsed).ok().map(|u| u as i32),
        ]
        .into_iter()
        .flatten()
        .map(i64::from)
        .collect()
    };
    for v in candidates {
        let mut again = String::new();
        hinted_integer(&mut again, v, hint, unsigned);
        if again == text {
            return Ok(v);
        }
    }
    Err(format!(
        "under DISPLAY-HINT {hint:?} no value prints as {text:?}"
    ))
}

/// Reverses RFC 2579 §3.1 octet-format specifications the way
/// `hinted_octets` applies them (the last one repeating): each part read
/// by its format (`x`, `d`, `o` numbers of `width` octets, `a`/`t` up to
/// `width` characters), separators and terminators consumed where the
/// formatter writes them, a `*` repeat count from the items read. `None`
/// when the text does not follow the hint; the caller checks the result
/// by formatting it again.
fn unhint_octets(text: &[u8], hint: &str) -> Option<Vec<u8>> {
    let hint = hint.as_bytes();
    let mut h = 0usize;
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut tp = 0usize;
    let (mut width, mut code, mut separ, mut term) = (1usize, b'd', None::<u8>, None::<u8>);
    while tp < text.len() {
        let mut star = false;
        if h < hint.len() {
            if hint.get(h) == Some(&b'*') {
                star = true;
                h += 1;
            }
            width = 0;
            while let Some(d) = hint.get(h).filter(|d| d.is_ascii_digit()) {
                width = width
                    .saturating_mul(10)
                    .saturating_add(usize::from(d - b'0'));
                h += 1;
            }
            code = *hint.get(h)?;
            h += 1;
            let takes = |c: Option<&u8>, width: usize| match c {
                Some(&c) => {
                    c != b'*'
                        && !c.is_ascii_digit()
                        && (width != 0 || (c != b'x' && c != b'd' && c != b'o'))
                }
                None => false,
            };
            separ = None;
            term = None;
            if takes(hint.get(h), width) {
                separ = hint.get(h).copied();
                h += 1;
            }
            if takes(hint.get(h), width) {
                term = hint.get(h).copied();
                h += 1;
            }
            if width == 0 {
                width = 1;
            }
        }
        let count_at = out.len();
        if star {
            out.push(0);
        }
        let mut items = 0usize;
        let at = |tp: usize| text.get(tp).copied();
        loop {
            if tp >= text.len() || (!star && items == 1) {
                break;
            }
            if star && term.is_some() && at(tp) == term {
                break;
            }
            match code {
                b'a' | b't' => {
                    let mut n = 0;
                    while n < width {
                        match at(tp + n) {
                            Some(c) if Some(c) != separ && Some(c) != term => n += 1,
                            Some(_) if n == 0 => n += 1,
                            _ => break,
                        }
                    }
                    out.extend_from_slice(text.get(tp..tp + n)?);
                    tp += n;
                }
                b'x' | b'd' | b'o' => {
                    let radix = match code {
                        b'x' => 16,
                        b'o' => 8,
                        _ => 10,
                    };
                    let mut n = 0;
                    while at(tp + n).is_some_and(|c| char::from(c).is_digit(radix)) {
                        n += 1;
                    }
                    let digits = std::str::from_utf8(text.get(tp..tp + n)?).ok()?;
                    let value = u64::from_str_radix(digits, radix).ok()?;
                    let bytes = width.min(8);
                    if bytes < 8 && value >> (8 * bytes) != 0 {
                        return None;
                    }
                    let be = value.to_be_bytes();
                    out.extend_from_slice(be.get(8 - bytes..)?);
                    tp += n;
                }
                _ => return None,
            }
            items += 1;
            if separ.is_some() && tp < text.len() && at(tp) == separ {
                tp += 1;
            }
        }
        if star {
            *out.get_mut(count_at)? = u8::try_from(items).ok()?;
        }
        if term.is_some() && tp < text.len() && at(tp) == term {
            tp += 1;
        }
        if items == 0 && !star {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn octets(text: &str, hint: &str) -> Result<Vec<u8>, String> {
        match read_octets(text.as_bytes(), hint)? {
            Value::OctetString(o) => Ok(o),
            other => Err(format!("{other:?}")),
        }
    }

    #[test]
    fn octet_hints_read_back() {
        assert_eq!(
            octets("0:c:29:a1:b2:3", "1x:"),
            Ok(vec![0, 0x0c, 0x29, 0xa1, 0xb2, 3])
        );
        assert_eq!(octets("demo router ", "255a"), Ok(b"demo router ".to_vec()));
        assert_eq!(octets("", "255a"), Ok(Vec::new()));
        assert_eq!(octets("10.0.0.1", "1d.1d.1d.1d"), Ok(vec![10, 0, 0, 1]));
        // DateAndTime.
        assert_eq!(
            octets("2026-12-6,22:5:30.0,+1:0", "2d-1d-1d,1d:1d:1d.1d,1a1d:1d"),
            Ok(vec![0x07, 0xea, 12, 6, 22, 5, 30, 0, b'+', 1, 0])
        );
        assert_eq!(
            octets("2026-12-6,22:5:30.0", "2d-1d-1d,1d:1d:1d.1d,1a1d:1d"),
            Ok(vec![0x07, 0xea, 12, 6, 22, 5, 30, 0])
        );
        // IPv6 as 2x: groups.
        assert_eq!(
            octets("fe80:0:0:0:0:0:0:1", "2x:"),
            Ok(vec![0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])
        );
        // A repeat count from the items read (the separator is written
        // after the last item too when octets follow).
        let counted = vec![3, 1, 2, 3, b'a', b'b'];
        assert_eq!(
            hinted_octets(&counted, "*1d./1a"),
            Some(b"1.2.3./ab".to_vec())
        );
        assert_eq!(octets("1.2.3./ab", "*1d./1a"), Ok(counted));
    }

    #[test]
    fn octet_hints_refuse_what_does_not_read_back() {
        // Not the hint's form.
        assert!(octets("zz:1", "1x:").is_err());
        // A field too wide for its octets.
        assert!(octets("300.1.1.1", "1d.1d.1d.1d").is_err());
        // Zero-padded where the formatter would not pad.
        let err = octets("00:0c", "1x:").unwrap_err();
        assert!(err.contains("more than one value prints"), "{err}");
    }

    #[test]
    fn integer_hints_read_back() {
        assert_eq!(read_integer("12.34", "d-2", false), Ok(1234));
        assert_eq!(read_integer("-.05", "d-2", false), Ok(-5));
        assert_eq!(read_integer("ff", "x", true), Ok(255));
        assert_eq!(read_integer("ffffffff", "x", false), Ok(-1));
        assert!(read_integer("1.2.3", "d-2", false).is_err());
        // The hint prints two decimals: one is not what it printed.
        assert!(read_integer("12.3", "d-2", false).is_err());
    }
}
