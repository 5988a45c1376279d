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

use crate::model::{BaseType, NONE};
use crate::oid_text::{split_label, OidFormat, OidStyle, UCD_PREFIXES};
use crate::value::{hinted_integer, hinted_octets, OctetSpec};
use crate::Mibs;

impl Mibs {
    /// The OID a name printed in one of Net-SNMP's symbolic styles (`-OS`,
    /// `-Os`, `-Of`, `-Ou`, with or without `-OE`) stands for, index
    /// decoded by the row's INDEX syntax (enumeration labels, quoted
    /// strings, InetAddresses, OIDs, IpAddresses); accepted only when the
    /// OID prints exactly as `name` in one of those styles.
    fn read_name(&self, name: &str) -> Result<Oid, String> {
        let prints_as = |oid: &Oid| {
            [
                OidFormat::Module,
                OidFormat::Name,
                OidFormat::Full,
                OidFormat::Ucd,
            ]
            .into_iter()
            .flat_map(|format| {
                [false, true].map(|escape_quotes| OidStyle {
                    format,
                    decode_index: true,
                    escape_quotes,
                })
            })
            .any(|style| self.format_oid(oid, style) == name)
                // `MODULE::name` where another module loaded names the
                // same node too (Net-SNMP may print RFC1158-MIB's
                // `snmpEnableAuthTraps`): the name is that module's, as
                // the lookup checked; the index must print the same.
                || name.split_once("::").is_some_and(|(_, label)| {
                    let style = OidStyle {
                        format: OidFormat::Name,
                        decode_index: true,
                        escape_quotes: false,
                    };
                    let ours = self.format_oid(oid, style);
                    split_label(&ours).1 == split_label(label).1
                })
        };
        // A quoted index string holding `.`: Net-SNMP prints every octet
        // it cannot show as `.` too, so the octets are not known.
        let mut dotted = false;
        let mut scan = name;
        while !scan.is_empty() {
            let (part, after) = split_label(scan);
            if part.len() >= 2
                && part.starts_with(['"', '\''])
                && part.get(1..).is_some_and(|b| b.contains('.'))
            {
                dotted = true;
            }
            if after.len() >= scan.len() {
                break;
            }
            scan = after;
        }
        let ucd = !name.starts_with('.') && !name.contains("::");
        let parse = |text: &str| -> Option<Oid> {
            self.parse_oid(text).ok().or_else(|| {
                ucd.then(|| {
                    UCD_PREFIXES
                        .iter()
                        .find_map(|p| self.parse_oid(&format!("{p}.{text}")).ok())
                })
                .flatten()
            })
        };
        let first = self.parse_oid(name);
        // `MODULE::label.1.2` and `.iso.org...` paths with numbers after
        // the labels name one OID whichever MIBs printed them (a walk
        // printed with fewer MIBs says `SNMPv2-SMI::enterprises.8072...`).
        if !ucd && !name.contains(['"', '\'']) {
            if let Ok(oid) = &first {
                let labels_then_numbers = {
                    let path = name.split_once("::").map_or(name, |(_, rest)| rest);
                    let mut parts = path.trim_start_matches('.').split('.');
                    let _ = parts.next();
                    let rest: Vec<&str> = parts.collect();
                    let first_number = rest
                        .iter()
                        .position(|p| p.bytes().all(|b| b.is_ascii_digit()))
                        .unwrap_or(rest.len());
                    rest.get(first_number..).is_some_and(|tail| {
                        tail.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
                    }) && (name.starts_with('.') || first_number == 0)
                };
                if labels_then_numbers {
                    return Ok(oid.clone());
                }
            }
        }
        if !dotted {
            // A bare label (`-Os`, `-Ou`) may be defined by several
            // modules at different places: every reading that prints as
            // the name counts, and more than one is refused.
            let mut readings: Vec<Oid> = Vec::new();
            if ucd {
                let (label, _) = split_label(name);
                for &node in self.names.by_name.get(label).into_iter().flatten() {
                    let module = self
                        .model
                        .nodes
                        .get(node as usize)
                        .and_then(|n| self.model.modules.get(n.module as usize));
                    if let Some(module) = module {
                        if let Ok(oid) = self.parse_oid(&format!("{}::{name}", module.name)) {
                            readings.push(oid);
                        }
                    }
                }
                for p in UCD_PREFIXES {
                    if let Ok(oid) = self.parse_oid(&format!("{p}.{name}")) {
                        readings.push(oid);
                    }
                }
            }
            readings.extend(self.parse_oid(name).ok());
            readings.retain(|o| prints_as(o));
            readings.sort();
            readings.dedup();
            match readings.as_slice() {
                [one] => return Ok(one.clone()),
                [a, b, ..] => {
                    return Err(format!(
                        "it names more than one object, {a} and {b}, in the MIBs loaded"
                    ))
                }
                [] => {}
            }
        }
        // The index by the row's syntax: the object is the longest prefix
        // (at a `.` outside quotes) that names a node.
        let mut cuts = Vec::new();
        let mut rest = name;
        while !rest.is_empty() {
            let (_, after) = split_label(rest);
            if after.len() >= rest.len() {
                break;
            }
            cuts.push(name.len() - after.len());
            rest = after;
        }
        for &cut in cuts.iter().rev() {
            let Some(object) = name.get(..cut) else {
                continue;
            };
            let object = object.strip_suffix('.').unwrap_or(object);
            let Some(index) = name.get(cut..) else {
                continue;
            };
            if object.is_empty() || index.is_empty() {
                continue;
            }
            let Some(base) = parse(object) else { continue };
            let Some(row) = self.index_row(base.arcs()) else {
                continue;
            };
            let Some(arcs) = self.read_index(row, index) else {
                continue;
            };
            let mut all = base.arcs().to_vec();
            all.extend(arcs);
            if let Ok(oid) = Oid::from_arcs(all) {
                if prints_as(&oid) {
                    return Ok(oid);
                }
            }
        }
        if dotted {
            return Err(
                "an index string holds '.', which is also how Net-SNMP prints \
                        an octet it cannot show, so its octets are lost"
                    .to_owned(),
            );
        }
        Err(match first {
            Err(e) => e.to_string(),
            Ok(oid) => format!(
                "it reads as {oid}, which prints as {}",
                self.format_oid(&oid, OidStyle::default())
            ),
        })
    }

    /// Whether `name` is `MODULE::...` with another module than the one
    /// `instance` prints with.
    fn other_module(&self, name: &str, instance: &Oid) -> bool {
        let Some((module, _)) = name.split_once("::") else {
            return false;
        };
        let ours = self.format_oid(instance, OidStyle::default());
        ours.split_once("::").is_some_and(|(m, _)| m != module)
    }

    /// The row (node with INDEX, or the row it AUGMENTS) whose index
    /// follows `arcs`, when `arcs` name a node exactly.
    fn index_row(&self, arcs: &[u32]) -> Option<u32> {
        let m = &self.model;
        let mut node = 0u32;
        let mut row = NONE;
        for &arc in arcs {
            node = m.child(node, arc)?;
            if let Some(o) = m.object(node) {
                if !o.index.is_empty() {
                    row = node;
                } else if o.augments != NONE {
                    row = o.augments;
                }
            }
        }
        (row != NONE).then_some(row)
    }

    /// The arcs of an index printed after a column of `row`, each part
    /// read as the formatter prints its INDEX object; parts it could not
    /// decode (and so printed as numbers) are numbers.
    fn read_index(&self, row: u32, text: &str) -> Option<Vec<u32>> {
        let m = &self.model;
        let row_data = m.object(row)?;
        let mut arcs: Vec<u32> = Vec::new();
        let mut rest = text;
        let mut previous_type: Option<&str> = None;
        let mut previous_value: Option<u32> = None;
        let number = |t: &str| t.parse::<u32>().ok();
        let parts = row_data.index.len();
        for (i, ix) in row_data.index.iter().enumerate() {
            if rest.is_empty() {
                break;
            }
            let Some(obj) = (ix.node != NONE).then(|| m.object(ix.node)).flatten() else {
                break;
            };
            let syntax = &obj.syntax;
            let (mut token, mut after) = split_label(rest);
            // The last part, a string quoted whole: its quotes are the
            // first and last characters, whatever it holds (Net-SNMP
            // prints a `"` inside as it is); the result is checked by
            // printing it again.
            if i + 1 == parts && syntax.base == Some(BaseType::OctetString) {
                let whole = rest.strip_prefix('.').unwrap_or(rest);
                if let Some(q) = whole.chars().next().filter(|c| *c == '"' || *c == '\'') {
                    if whole.len() >= 2 && whole.ends_with(q) {
                        token = whole;
                        after = "";
                    }
                }
            }
            let start = arcs.len();
            match syntax.base.unwrap_or(BaseType::Unknown) {
                BaseType::OctetString => {
                    let token = token
                        .strip_prefix('\\')
                        .map(|t| t.replace("\\\"", "\"").replace("\\'", "'"))
                        .unwrap_or_else(|| token.to_owned());
                    let quote = match token.chars().next() {
                        Some(q @ ('"' | '\'')) if token.len() >= 2 && token.ends_with(q) => q,
                        _ => break,
                    };
                    let body = token.get(1..token.len() - 1)?;
                    let fixed = matches!(syntax.sizes.as_slice(), [(a, b)] if a == b);
                    // Octets as text: `.` may stand for any octet.
                    let text_octets = || (!body.contains('.')).then(|| body.bytes().collect());
                    if quote == '\'' || ix.implied || fixed {
                        let octets: Vec<u8> = text_octets()?;
                        arcs.extend(octets.into_iter().map(u32::from));
                    } else {
                        let octets: Vec<u8> = if syntax.type_name == "InetAddress"
                            && previous_type == Some("InetAddressType")
                        {
                            match inet_address(previous_value, body) {
                                Some(o) => o,
                                None => text_octets()?,
                            }
                        } else {
                            text_octets()?
                        };
                        arcs.push(u32::try_from(octets.len()).ok()?);
                        arcs.extend(octets.into_iter().map(u32::from));
                    }
                    rest = after;
                }
                BaseType::Integer | BaseType::Unsigned32 | BaseType::Gauge32 => {
                    let v = match number(token) {
                        Some(v) => v,
                        None => {
                            let (v, _) = syntax.enums.iter().find(|(_, l)| l == token)?;
                            i32::try_from(*v).ok()? as u32
                        }
                    };
                    arcs.push(v);
                    rest = after;
                }
                BaseType::TimeTicks => {
                    arcs.push(number(token)?);
                    rest = after;
                }
                BaseType::IpAddress => {
                    let mut r = rest;
                    for _ in 0..4 {
                        let (t, a) = split_label(r);
                        arcs.push(number(t)?);
                        r = a;
                    }
                    rest = r;
                }
                BaseType::ObjectIdentifier if !ix.implied => {
                    let n = number(token)?;
                    arcs.push(n);
                    let mut r = after;
                    for _ in 0..n {
                        let (t, a) = split_label(r);
                        arcs.push(number(t)?);
                        r = a;
                    }
                    rest = r;
                }
                _ => break,
            }
            previous_type = Some(syntax.type_name.as_str());
            previous_value = arcs.get(start).copied();
        }
        // What the formatter left undecoded, numerically.
        while !rest.is_empty() {
            let (t, a) = split_label(rest);
            arcs.push(number(t)?);
            rest = a;
        }
        Some(arcs)
    }
}

/// The octets of an InetAddress index as the formatter prints it after an
/// InetAddressType of `kind`: `10.0.0.1` (ipv4), `fe:80:...:01` (ipv6),
/// with `%zone` for the zoned types.
fn inet_address(kind: Option<u32>, text: &str) -> Option<Vec<u8>> {
    let zoned = matches!(kind, Some(3 | 4));
    let (address, zone) = match (zoned, text.split_once('%')) {
        (true, Some((a, z))) => (a, Some(z.parse::<u32>().ok()?)),
        (false, None) => (text, None),
        _ => return None,
    };
    let mut out: Vec<u8> = match kind {
        Some(1 | 3) => address
            .split('.')
            .map(|p| p.parse::<u8>().ok())
            .collect::<Option<Vec<u8>>>()
            .filter(|v| v.len() == 4)?,
        Some(2 | 4) => address
            .split(':')
            .map(|p| u8::from_str_radix(p, 16).ok().filter(|_| p.len() == 2))
            .collect::<Option<Vec<u8>>>()
            .filter(|v| v.len() == 16)?,
        _ => return None,
    };
    if let Some(z) = zone {
        out.extend_from_slice(&z.to_be_bytes());
    }
    Some(out)
}

impl WalkMibs for Mibs {
    fn resolve(&self, name: &str) -> Result<Oid, String> {
        self.read_name(name)
    }

    fn units(&self, instance: &Oid) -> Option<String> {
        let (node, _) = self.model.longest_prefix(instance.arcs());
        let object = self.model.object(node)?;
        (!object.units.is_empty()).then(|| object.units.clone())
    }

    fn read_value(
        &self,
        name: &str,
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
                // A quoted string under a text hint, named by another
                // module than the one whose definition is used here:
                // Net-SNMP printed it by that module's definition, one
                // without the hint (RFC1158-MIB's sysDescr under `-m ALL`).
                if is_text_hint(hint) && is_quoted(text) && self.other_module(name, instance) {
                    return None;
                }
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

/// A hint whose every part prints octets as text (`255a`, `255t`).
fn is_text_hint(hint: &str) -> bool {
    !hint.is_empty()
        && hint
            .trim_start_matches('*')
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .bytes()
            .all(|b| b == b'a' || b == b't')
}

/// `"..."` as Net-SNMP quotes a string: `"` and `\` inside escaped.
fn is_quoted(text: &[u8]) -> bool {
    let Some(inner) = text.strip_prefix(b"\"").and_then(|t| t.strip_suffix(b"\"")) else {
        return false;
    };
    let mut bytes = inner.iter();
    while let Some(&b) = bytes.next() {
        match b {
            b'\\' if bytes.next().is_none() => return false,
            b'"' => return false,
            _ => {}
        }
    }
    true
}

/// The octets whose printing under `hint` is `text`, or why there are none.
pub(crate) fn read_octets(text: &[u8], hint: &str) -> Result<Value, String> {
    let shown = String::from_utf8_lossy(text);
    let mut counts = Vec::new();
    let octets = unhint_octets(text, hint, &[], &mut counts)
        .ok_or_else(|| format!("it does not follow its DISPLAY-HINT {hint:?}"))?;
    let ambiguous =
        || format!("under DISPLAY-HINT {hint:?} more than one value prints as {shown:?}");
    if hinted_octets(&octets, hint).as_deref() != Some(text) {
        return Err(ambiguous());
    }
    // A `*` repeat count is not printed: any smaller count of a group
    // that prints the same text leaves the octets unknown.
    for (group, &count) in counts.iter().enumerate() {
        for fewer in 0..count {
            let mut limits: Vec<Option<usize>> = vec![None; counts.len()];
            if let Some(l) = limits.get_mut(group) {
                *l = Some(fewer);
            }
            let other = unhint_octets(text, hint, &limits, &mut Vec::new());
            if let Some(other) = other.filter(|o| *o != octets) {
                if hinted_octets(&other, hint).as_deref() == Some(text) {
                    return Err(ambiguous());
                }
            }
        }
    }
    Ok(Value::OctetString(octets))
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
///
/// `limits` caps the items of the n-th `*` group (none: as many as the
/// text holds); `counts` receives the items each `*` group took.
fn unhint_octets(
    text: &[u8],
    hint: &str,
    limits: &[Option<usize>],
    counts: &mut Vec<usize>,
) -> Option<Vec<u8>> {
    let hint = hint.as_bytes();
    let mut h = 0usize;
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut tp = 0usize;
    let (mut width, mut code, mut separ, mut term) = (1usize, b'd', None::<u8>, None::<u8>);
    while tp < text.len() {
        let mut star = false;
        if let Some(spec) = OctetSpec::read(hint, &mut h) {
            let spec = spec?;
            star = spec.star;
            (width, code, separ, term) = (spec.width, spec.code, spec.separ, spec.term);
        }
        let count_at = out.len();
        if star {
            out.push(0);
        }
        let mut items = 0usize;
        let at = |tp: usize| text.get(tp).copied();
        loop {
            let limit = limits.get(counts.len()).copied().flatten();
            if tp >= text.len() || (!star && items == 1) || (star && limit == Some(items)) {
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
            counts.push(items);
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
        // A `*` count the text does not show: `aa:bb:cc:11:22` is 3 items
        // then 2 repeats of the last part, or 5, or 4...
        let err = octets("aa:bb:cc:11:22", "*1x:").unwrap_err();
        assert!(err.contains("more than one value prints"), "{err}");
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
