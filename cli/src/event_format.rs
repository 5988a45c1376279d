//! How `oxsnmp listen` prints a notification: a readable block in the
//! manner of snmptrapd, or one JSON object per line.

use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use oxsnmp_blocking::{NotificationEvent, NotificationKind, Version};
use oxsnmp_core::notify::oids;
use oxsnmp_core::{Value, VarBind};

use crate::render::OutputOptions;

/// `2026-12-02T00:24:57.123Z`: a time in UTC, RFC 3339, to the millisecond.
pub fn utc(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_millis()
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (the
/// well-known era-based conversion, as in C++'s `<chrono>`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn version_label(v: Version) -> &'static str {
    match v {
        Version::V1 => "1",
        Version::V2c => "2c",
        _ => "3",
    }
}

fn kind_label(k: NotificationKind) -> &'static str {
    match k {
        NotificationKind::TrapV1 => "trap-v1",
        NotificationKind::Trap => "trap",
        _ => "inform",
    }
}

/// The snmptrapd-like block:
///
/// ```text
/// 2026-12-02T00:24:57.123Z udp:127.0.0.1:33644 TRAP2, SNMP v2c, community public
///     .1.3.6.1.2.1.1.3.0 = Timeticks: (54335) 0:09:03.35
///     .1.3.6.1.6.3.1.1.4.1.0 = OID: .1.3.6.1.4.1.8072.2.3.0.1
///     .1.3.6.1.2.1.1.5.0 = STRING: "hello"
/// ```
///
/// An SNMPv1 trap has a line with its own fields first and lists only its
/// varbinds. Bytes, not text: a string under a text DISPLAY-HINT is written
/// as its octets, as the other subcommands (and Net-SNMP) write it — except
/// control characters, in every field: anyone can send a trap, and a raw
/// CR, LF or escape sequence would let it forge records or drive the
/// terminal, so they are written as `\r`, `\n`, `\t` and `\xHH` (see
/// [`escape_controls`]). A record is its header line and one line per
/// varbind, always.
pub fn text(e: &NotificationEvent, time: SystemTime, out: &OutputOptions) -> Vec<u8> {
    let mut s = String::with_capacity(256);
    match &e.v3 {
        None => {
            let _ = writeln!(
                s,
                "{} {} {}, SNMP v{}, community {}",
                utc(time),
                crate::serve::transport(e.source),
                e.kind.label(),
                version_label(e.version),
                safe_text(&e.community)
            );
        }
        Some(v3) => {
            let _ = writeln!(
                s,
                "{} {} {}, SNMP v3, user {}, {}, engine {}{}",
                utc(time),
                crate::serve::transport(e.source),
                e.kind.label(),
                safe_text(&v3.user_name),
                v3.level,
                hex(&v3.engine_id),
                if v3.context_name.is_empty() {
                    String::new()
                } else {
                    format!(", context {}", safe_text(&v3.context_name))
                }
            );
        }
    }
    if let Some(v1) = &e.v1 {
        let mut uptime = String::new();
        out.push_value(&mut uptime, &Value::TimeTicks(v1.time_stamp));
        let _ = writeln!(
            s,
            "\tagent-addr {}, enterprise {}, generic-trap {}, specific-trap {}, time-stamp {}",
            v1.agent_addr,
            out.oid(&v1.enterprise),
            v1.generic_trap,
            v1.specific_trap,
            uptime
        );
    }
    let mut bytes = s.into_bytes();
    if e.v1.is_none() {
        let up = Value::TimeTicks(e.sys_up_time());
        push_line(&mut bytes, out, &VarBind::new(oids::SYS_UP_TIME_0, up));
        let trap = Value::ObjectIdentifier(e.trap_oid().clone());
        push_line(&mut bytes, out, &VarBind::new(oids::SNMP_TRAP_OID_0, trap));
    }
    for vb in e.varbinds() {
        push_line(&mut bytes, out, vb);
    }
    bytes
}

fn push_line(bytes: &mut Vec<u8>, out: &OutputOptions, vb: &VarBind) {
    let mut line = Vec::with_capacity(64);
    out.push_varbind_bytes(&mut line, vb);
    bytes.push(b'\t');
    escape_controls(&line, bytes);
    bytes.push(b'\n');
}

/// Appends `raw` to `out` with every control character escaped: C0 (CR,
/// LF and tab as `\r`, `\n`, `\t`, the others as `\xHH`), DEL, and the C1
/// controls (U+0080 to U+009F, which some terminals obey) in their UTF-8
/// form (`\xc2\x9b`). Everything else, invalid UTF-8 included, is kept.
pub fn escape_controls(raw: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while let Some(&b) = raw.get(i) {
        let c1 = b == 0xc2 && raw.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n));
        match b {
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x00..=0x1f | 0x7f => push_hex_escape(out, b),
            _ if c1 => {
                push_hex_escape(out, b);
                if let Some(&next) = raw.get(i + 1) {
                    push_hex_escape(out, next);
                }
                i += 1;
            }
            _ => out.push(b),
        }
        i += 1;
    }
}

fn push_hex_escape(out: &mut Vec<u8>, b: u8) {
    out.extend_from_slice(format!("\\x{b:02x}").as_bytes());
}

/// Bytes as text for a header field: the UTF-8 reading (invalid sequences
/// replaced) with control characters escaped.
fn safe_text(raw: &[u8]) -> String {
    let mut escaped = Vec::with_capacity(raw.len());
    escape_controls(raw, &mut escaped);
    String::from_utf8_lossy(&escaped).into_owned()
}

/// One JSON object on one line (see the `listen --help` text for the fields).
pub fn json(e: &NotificationEvent, time: SystemTime) -> String {
    let mut s = String::with_capacity(512);
    s.push_str("{\"time\":");
    json_string(&mut s, &utc(time));
    s.push_str(",\"source\":");
    json_string(&mut s, &e.source.to_string());
    s.push_str(",\"version\":");
    json_string(&mut s, version_label(e.version));
    s.push_str(",\"community\":");
    json_bytes(&mut s, &e.community);
    if let Some(v3) = &e.v3 {
        s.push_str(",\"user\":");
        json_bytes(&mut s, &v3.user_name);
        s.push_str(",\"level\":");
        json_string(&mut s, v3.level.name());
        s.push_str(",\"engine_id\":");
        json_string(&mut s, &hex(&v3.engine_id));
        s.push_str(",\"context\":");
        json_bytes(&mut s, &v3.context_name);
    }
    s.push_str(",\"kind\":");
    json_string(&mut s, kind_label(e.kind));
    let _ = write!(s, ",\"request_id\":{}", e.request_id);
    let _ = write!(s, ",\"uptime\":{}", e.sys_up_time());
    s.push_str(",\"trap_oid\":");
    json_string(&mut s, &e.trap_oid().to_string());
    s.push_str(",\"varbinds\":[");
    for (i, vb) in e.varbinds().iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        json_varbind(&mut s, vb);
    }
    s.push(']');
    if let Some(v1) = &e.v1 {
        s.push_str(",\"v1\":{\"enterprise\":");
        json_string(&mut s, &v1.enterprise.to_string());
        s.push_str(",\"agent_addr\":");
        json_string(&mut s, &v1.agent_addr.to_string());
        let _ = write!(
            s,
            ",\"generic_trap\":{},\"specific_trap\":{},\"time_stamp\":{}}}",
            v1.generic_trap, v1.specific_trap, v1.time_stamp
        );
    }
    s.push('}');
    s
}

fn json_varbind(s: &mut String, vb: &VarBind) {
    s.push_str("{\"oid\":");
    json_string(s, &vb.oid.to_string());
    let (kind, value): (&str, String) = match &vb.value {
        Value::Integer(v) => ("INTEGER", v.to_string()),
        Value::OctetString(b) => {
            s.push_str(",\"type\":\"OCTET STRING\"");
            match std::str::from_utf8(b) {
                Ok(text) => {
                    s.push_str(",\"value\":");
                    json_string(s, text);
                }
                Err(_) => {
                    s.push_str(",\"hex\":");
                    json_string(s, &hex(b));
                }
            }
            s.push('}');
            return;
        }
        Value::Null => ("NULL", "null".into()),
        Value::ObjectIdentifier(o) => ("OBJECT IDENTIFIER", quoted(&o.to_string())),
        Value::IpAddress(a) => ("IpAddress", quoted(&a.to_string())),
        Value::Counter32(v) => ("Counter32", v.to_string()),
        Value::Gauge32(v) => ("Gauge32", v.to_string()),
        Value::TimeTicks(v) => ("TimeTicks", v.to_string()),
        Value::Opaque(b) => {
            s.push_str(",\"type\":\"Opaque\",\"hex\":");
            json_string(s, &hex(b));
            s.push('}');
            return;
        }
        Value::Counter64(v) => ("Counter64", v.to_string()),
        Value::NoSuchObject => ("noSuchObject", "null".into()),
        Value::NoSuchInstance => ("noSuchInstance", "null".into()),
        Value::EndOfMibView => ("endOfMibView", "null".into()),
        _ => ("unknown", "null".into()),
    };
    let _ = write!(s, ",\"type\":\"{kind}\",\"value\":{value}}}");
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn quoted(text: &str) -> String {
    let mut s = String::new();
    json_string(&mut s, text);
    s
}

/// Bytes as a JSON string: the text if it is UTF-8, else with each
/// invalid sequence replaced (U+FFFD).
fn json_bytes(s: &mut String, b: &[u8]) {
    json_string(s, &String::from_utf8_lossy(b));
}

/// A JSON string literal (RFC 8259 §7).
pub fn json_string(s: &mut String, text: &str) {
    s.push('"');
    for c in text.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(s, "\\u{:04x}", u32::from(c));
            }
            c => s.push(c),
        }
    }
    s.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn utc_dates() {
        let t = |secs: u64, ms: u64| {
            utc(UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_millis(ms))
        };
        assert_eq!(t(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(t(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(t(1_796_170_497, 123), "2026-12-02T00:14:57.123Z");
        assert_eq!(t(4_102_444_799, 999), "2099-12-31T23:59:59.999Z");
    }

    #[test]
    fn control_characters_are_escaped() {
        let mut out = Vec::new();
        escape_controls(b"a\r\nb\tc\x1b[2Jd\x7f\xc2\x9be\xc3\xa9\xff\\", &mut out);
        assert_eq!(
            out,
            b"a\\r\\nb\\tc\\x1b[2Jd\\x7f\\xc2\\x9be\xc3\xa9\xff\\".to_vec()
        );
        assert_eq!(safe_text(b"pub\nlic"), "pub\\nlic");
        // A lead byte at the end is kept as it is.
        let mut out = Vec::new();
        escape_controls(b"x\xc2", &mut out);
        assert_eq!(out, b"x\xc2");
    }

    #[test]
    fn json_strings() {
        let mut s = String::new();
        json_string(&mut s, "a\"b\\c\nd\u{1}é");
        assert_eq!(s, r#""a\"b\\c\nd\u0001é""#);
    }
}
