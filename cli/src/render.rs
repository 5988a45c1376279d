//! Net-SNMP-compatible rendering of variable bindings.
//!
//! The output is what Net-SNMP 5.9's tools print when no MIB is loaded
//! (`snmpget -On -m '' -M /nonexistent`): no DISPLAY-HINTs, no enum labels,
//! no units. Every format here was measured against `snmpget`/`snmpwalk`
//! 5.9.3 talking to `snmpd` and to a scripted agent that answers with
//! hand-made values (see the unit tests for the exact strings).
//!
//! Net-SNMP quirks reproduced on purpose:
//!
//! * an empty OCTET STRING prints as `""` with no `STRING: ` prefix;
//! * a string is printed as text only when every byte is printable ASCII
//!   or one of `\t \n \v \f \r` (C's `isprint || isspace` in the C locale);
//!   otherwise as `Hex-STRING: ` with two upper-case digits and a space per
//!   byte, and a newline after every 16 bytes when more follow;
//! * inside quotes only `"` and `\` are escaped; newlines are printed raw;
//! * Opaque-wrapped doubles print with the `Float:` label, `%f` style, and
//!   the number is cut at 127 characters (Net-SNMP's buffer);
//! * an Opaque that wraps nothing Net-SNMP knows prints as `OPAQUE: ` and a
//!   hex dump.

use std::fmt::Write as _;

use oxsnmp_core::{Oid, Value, VarBind};
use oxsnmp_mib::{Mibs, ValueText};

/// How OIDs are printed (`-On`, `-Os`/`-OS`, `-Of`/`-Ou`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OidFormat {
    /// `-On`: `.1.3.6.1.2.1.1.1.0` (the default).
    Numeric,
    /// `-Os`: `sysDescr.0` (`iso.3.6.1.2.1.1.1.0` without MIBs).
    Suffix,
    /// `-OS`: `SNMPv2-MIB::sysDescr.0` (`iso.3.6...` without MIBs).
    Module,
    /// `-Of`: `.iso.org.dod...` (`.iso.3.6.1.2.1.1.1.0` without MIBs).
    Full,
    /// `-Ou`: `-Of` without the leading `.iso.org.dod.internet.mgmt.mib-2.`
    /// (or `private.`, ...), as Net-SNMP's UCD style (`-Of` without MIBs).
    Ucd,
}

/// How OCTET STRINGs are printed (`-Oa`, `-Ox`, or Net-SNMP's guess).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StringFormat {
    /// Text when every byte is printable, hex otherwise.
    Guess,
    /// `-Oa`: always text, unprintable bytes as `.`.
    Ascii,
    /// `-Ox`: always hex.
    Hex,
}

/// A printf `%W.Pf` conversion for floating-point values (`-Op`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FloatFormat {
    /// Minimum field width.
    pub width: Option<usize>,
    /// Digits after the decimal point (6 when `None`, as `%f`).
    pub precision: Option<usize>,
}

/// The `-O` output options that apply without MIBs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputOptions {
    /// OID style.
    pub oid_format: OidFormat,
    /// `-Oq`: no type labels, `OID value`.
    pub quick: bool,
    /// `-OQ`: no type labels, `OID = value`.
    pub quick_equals: bool,
    /// `-Ov`: the value only.
    pub bare_value: bool,
    /// `-Ot`: TimeTicks as a plain number.
    pub numeric_timeticks: bool,
    /// `-Oa` / `-Ox`.
    pub string_format: StringFormat,
    /// `-OT`: the text of hex strings next to them.
    pub hex_text: bool,
    /// `-Op`: the printf conversion for floats.
    pub float_format: Option<FloatFormat>,
    /// The MIBs to print names and values with (none: Net-SNMP without MIBs).
    pub mibs: Option<MibRef>,
    /// Whether a `-O` flag chose the OID style (else it follows the MIBs).
    pub oid_format_set: bool,
    /// `-Ob` toggles off: decode table indexes (with MIBs).
    pub decode_index: bool,
    /// `-Oe`: enumerations as numbers (with MIBs).
    pub numeric_enums: bool,
    /// `-OU`: no UNITS (with MIBs).
    pub no_units: bool,
    /// `-OE`: escaped quotes around string indexes (with MIBs).
    pub escape_quotes: bool,
}

/// A loaded MIB set, compared by identity.
#[derive(Debug, Clone, Copy)]
pub struct MibRef(pub &'static Mibs);

impl PartialEq for MibRef {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}

impl Eq for MibRef {}

impl Default for OutputOptions {
    fn default() -> Self {
        Self {
            // Net-SNMP's default, -OS: `SNMPv2-MIB::sysName.0` with MIBs,
            // `iso.3.6.1.2.1.1.5.0` without.
            oid_format: OidFormat::Module,
            quick: false,
            quick_equals: false,
            bare_value: false,
            numeric_timeticks: false,
            string_format: StringFormat::Guess,
            hex_text: false,
            float_format: None,
            mibs: None,
            oid_format_set: false,
            decode_index: true,
            numeric_enums: false,
            no_units: false,
            escape_quotes: false,
        }
    }
}

/// Net-SNMP's texts for the three SNMPv2 exceptions.
pub const NO_SUCH_OBJECT: &str = "No Such Object available on this agent at this OID";
/// See [`NO_SUCH_OBJECT`].
pub const NO_SUCH_INSTANCE: &str = "No Such Instance currently exists at this OID";
/// See [`NO_SUCH_OBJECT`].
pub const END_OF_MIB_VIEW: &str =
    "No more variables left in this MIB View (It is past the end of the MIB tree)";

/// Net-SNMP's longest printed float (a 128-byte buffer with its NUL).
const MAX_FLOAT_CHARS: usize = 127;

impl OutputOptions {
    /// Applies a `-O` argument such as `nq` or `p.2`, flag by flag, the way
    /// Net-SNMP does (`q`, `v`, `t`, `T` toggle; `n`, `s`, `f`... set).
    ///
    /// Flags that only matter with MIBs loaded (`b`, `e`, `E`, `U`) have no
    /// effect without them; `0` and `X` (extended index format, not
    /// implemented: an error rather than output different from
    /// Net-SNMP's) are exceptions. The error is Net-SNMP's text.
    pub fn apply_flags(&mut self, flags: &str) -> Result<(), String> {
        for (at, c) in flags.char_indices() {
            if matches!(c, 'n' | 's' | 'S' | 'f' | 'u') {
                self.oid_format_set = true;
            }
            match c {
                'n' => self.oid_format = OidFormat::Numeric,
                's' => self.oid_format = OidFormat::Suffix,
                'S' => self.oid_format = OidFormat::Module,
                'f' => self.oid_format = OidFormat::Full,
                'u' => self.oid_format = OidFormat::Ucd,
                'b' => self.decode_index = !self.decode_index,
                'e' => self.numeric_enums = true,
                'U' => self.no_units = true,
                'q' => self.quick = !self.quick,
                'Q' => {
                    self.quick = true;
                    self.quick_equals = true;
                }
                'v' => self.bare_value = !self.bare_value,
                't' => self.numeric_timeticks = !self.numeric_timeticks,
                'T' => self.hex_text = !self.hex_text,
                'a' => self.string_format = StringFormat::Ascii,
                'x' => self.string_format = StringFormat::Hex,
                'E' => self.escape_quotes = true,
                '0' => {}
                'X' => {
                    return Err("oxsnmp: -OX (extended index format) is not supported; \
                         use the default index format or -Ob"
                        .to_owned())
                }
                'p' => {
                    // The rest of the argument is the precision, as in Net-SNMP.
                    let spec = &flags[at + 1..];
                    self.float_format = Some(parse_float_format(spec)?);
                    return Ok(());
                }
                other => return Err(format!("Unknown output option passed to -O: {other}.")),
            }
        }
        Ok(())
    }

    /// The defaults with numeric OIDs (`-On`), as the unit tests are
    /// written.
    #[cfg(test)]
    pub fn numeric() -> Self {
        Self {
            oid_format: OidFormat::Numeric,
            ..Self::default()
        }
    }

    /// An OID in the selected style.
    pub fn oid(&self, oid: &Oid) -> String {
        let mut out = String::with_capacity(oid.arcs().len() * 4 + 8);
        self.push_oid(&mut out, oid);
        out
    }

    /// Uses `mibs` for names and values, and `-OS` unless a flag chose
    /// the OID style.
    pub fn with_mibs(&mut self, mibs: &'static Mibs) {
        self.mibs = Some(MibRef(mibs));
        if !self.oid_format_set {
            self.oid_format = OidFormat::Module;
        }
    }

    fn mib_style(&self) -> oxsnmp_mib::OidStyle {
        oxsnmp_mib::OidStyle {
            format: match self.oid_format {
                OidFormat::Numeric => oxsnmp_mib::OidFormat::Numeric,
                OidFormat::Suffix => oxsnmp_mib::OidFormat::Name,
                OidFormat::Module => oxsnmp_mib::OidFormat::Module,
                OidFormat::Full => oxsnmp_mib::OidFormat::Full,
                OidFormat::Ucd => oxsnmp_mib::OidFormat::Ucd,
            },
            decode_index: self.decode_index,
            escape_quotes: self.escape_quotes,
        }
    }

    /// Appends an OID in the selected style to `out`.
    pub fn push_oid(&self, out: &mut String, oid: &Oid) {
        if let (Some(m), false) = (self.mibs, self.oid_format == OidFormat::Numeric) {
            m.0.push_oid(out, oid.arcs(), self.mib_style());
            return;
        }
        let arcs = oid.arcs();
        let rest = match self.oid_format {
            OidFormat::Numeric => arcs,
            OidFormat::Suffix | OidFormat::Module | OidFormat::Full | OidFormat::Ucd => {
                if matches!(self.oid_format, OidFormat::Full | OidFormat::Ucd) {
                    out.push('.');
                }
                match arcs.split_first() {
                    Some((first, rest)) => {
                        match first {
                            0 => out.push_str("ccitt"),
                            1 => out.push_str("iso"),
                            2 => out.push_str("joint-iso-ccitt"),
                            &n => push_decimal(out, u64::from(n)),
                        }
                        rest
                    }
                    None => arcs,
                }
            }
        };
        for &arc in rest {
            out.push('.');
            push_decimal(out, u64::from(arc));
        }
    }

    /// One output line (without the newline): `OID = TYPE: value` and its
    /// `-Oq`/`-OQ`/`-Ov` variants.
    #[cfg(test)]
    pub fn varbind(&self, vb: &VarBind) -> String {
        let mut line = Vec::new();
        self.push_varbind_bytes(&mut line, vb);
        String::from_utf8_lossy(&line).into_owned()
    }

    /// Appends `vb`'s line to `out` as Net-SNMP writes it: text, except a
    /// string under a text DISPLAY-HINT whose octets are not UTF-8, which
    /// Net-SNMP (and so this) writes as they are.
    pub fn push_varbind_bytes(&self, out: &mut Vec<u8>, vb: &VarBind) {
        // Render into `out`'s own allocation when it is empty (a reused line).
        let reuse = out.is_empty();
        let mut text = if reuse {
            String::from_utf8(std::mem::take(out)).unwrap_or_default()
        } else {
            String::new()
        };
        if !self.bare_value {
            self.push_oid(&mut text, &vb.oid);
            text.push_str(if self.quick && !self.quick_equals {
                " "
            } else {
                " = "
            });
        }
        let raw = self.push_value_text(&mut text, &vb.oid, &vb.value);
        if reuse {
            *out = text.into_bytes();
        } else {
            out.extend_from_slice(text.as_bytes());
        }
        if let Some(raw) = raw {
            out.extend_from_slice(&raw);
        }
    }

    /// Appends the value of `oid` as text to `out`, or returns it as
    /// octets (appending nothing) when it is not UTF-8.
    pub fn push_value_text(&self, out: &mut String, oid: &Oid, value: &Value) -> Option<Vec<u8>> {
        let Some(m) = self.mibs else {
            self.push_value(out, value);
            return None;
        };
        let options = oxsnmp_mib::ValueOptions {
            quick: self.quick,
            numeric_enums: self.numeric_enums,
            no_units: self.no_units,
            numeric_timeticks: self.numeric_timeticks,
            quick_equals: self.quick_equals,
            hex_text: self.hex_text,
            oid_style: self.mib_style(),
        };
        match m.0.format_value(oid, value, &options) {
            ValueText::Plain => self.push_value(out, value),
            ValueText::PlainThen(after) => {
                self.push_value(out, value);
                out.push_str(&after);
            }
            ValueText::Prefix(before) => {
                out.push_str(&before);
                self.push_value(out, value);
            }
            ValueText::Text(text) => out.push_str(&text),
            ValueText::Bytes(bytes) => return Some(bytes),
        }
        None
    }

    /// A value, with its type label unless quick printing.
    #[cfg(test)]
    pub fn value(&self, value: &Value) -> String {
        let mut out = String::new();
        self.push_value(&mut out, value);
        out
    }

    /// Appends `value`'s text to `out`.
    pub fn push_value(&self, out: &mut String, value: &Value) {
        let label = |out: &mut String, label: &str| {
            if !self.quick {
                out.push_str(label);
                out.push_str(": ");
            }
        };
        match value {
            Value::Integer(v) => {
                label(out, "INTEGER");
                if *v < 0 {
                    out.push('-');
                }
                push_decimal(out, u64::from(v.unsigned_abs()));
            }
            Value::OctetString(bytes) => self.push_octet_string(out, bytes),
            Value::Null => out.push_str("NULL"),
            Value::ObjectIdentifier(o) => {
                label(out, "OID");
                self.push_oid(out, o);
            }
            Value::IpAddress(a) => {
                label(out, "IpAddress");
                let [a, b, c, d] = a.octets();
                for (i, octet) in [a, b, c, d].into_iter().enumerate() {
                    if i > 0 {
                        out.push('.');
                    }
                    push_decimal(out, u64::from(octet));
                }
            }
            Value::Counter32(v) => {
                label(out, "Counter32");
                push_decimal(out, u64::from(*v));
            }
            Value::Gauge32(v) => {
                label(out, "Gauge32");
                push_decimal(out, u64::from(*v));
            }
            Value::TimeTicks(t) => {
                if self.numeric_timeticks {
                    push_decimal(out, u64::from(*t));
                } else if self.quick {
                    push_uptime_quick(out, *t);
                } else {
                    out.push_str("Timeticks: (");
                    push_decimal(out, u64::from(*t));
                    out.push_str(") ");
                    push_uptime(out, *t);
                }
            }
            Value::Opaque(bytes) => out.push_str(&self.opaque(bytes)),
            Value::Counter64(v) => {
                label(out, "Counter64");
                push_decimal(out, *v);
            }
            Value::NoSuchObject => out.push_str(NO_SUCH_OBJECT),
            Value::NoSuchInstance => out.push_str(NO_SUCH_INSTANCE),
            Value::EndOfMibView => out.push_str(END_OF_MIB_VIEW),
            _ => out.push_str("Variable has bad type"),
        }
    }

    fn push_octet_string(&self, out: &mut String, bytes: &[u8]) {
        if bytes.is_empty() {
            out.push_str("\"\"");
            return;
        }
        let as_hex = match self.string_format {
            StringFormat::Hex => true,
            StringFormat::Ascii => false,
            StringFormat::Guess => !bytes.iter().all(|&b| is_print_or_space(b)),
        };
        if as_hex {
            let dump = hex_dump(bytes, self.hex_text);
            if self.quick {
                out.push('"');
                out.push_str(&dump);
                out.push('"');
            } else {
                out.push_str("Hex-STRING: ");
                out.push_str(&dump);
            }
        } else {
            out.reserve(bytes.len() + 10);
            if !self.quick {
                out.push_str("STRING: ");
            }
            out.push('"');
            for &b in bytes {
                match b {
                    b'"' => out.push_str("\\\""),
                    b'\\' => out.push_str("\\\\"),
                    b if is_print_or_space(b) => out.push(char::from(b)),
                    _ => out.push('.'),
                }
            }
            out.push('"');
        }
    }

    fn opaque(&self, bytes: &[u8]) -> String {
        let q = self.quick;
        let labelled = |label: &str, text: String| {
            if q {
                text
            } else {
                format!("Opaque: {label}: {text}")
            }
        };
        match decode_opaque(bytes) {
            Some(OpaqueValue::Float(f)) => labelled("Float", self.float(f64::from(f))),
            Some(OpaqueValue::Double(d)) => labelled("Float", self.float(d)),
            Some(OpaqueValue::Int64(v)) => labelled("Int64", v.to_string()),
            Some(OpaqueValue::UInt64(v)) => labelled("UInt64", v.to_string()),
            Some(OpaqueValue::Counter64(v)) => labelled("Counter64", v.to_string()),
            None => {
                let dump = hex_dump(bytes, self.hex_text);
                if q {
                    dump
                } else {
                    format!("OPAQUE: {dump}")
                }
            }
        }
    }

    fn float(&self, v: f64) -> String {
        let mut text = printf_f(
            v,
            self.float_format.unwrap_or(FloatFormat {
                width: None,
                precision: None,
            }),
        );
        text.truncate(MAX_FLOAT_CHARS);
        text
    }
}

/// Parses the `-Op` argument: `[WIDTH][.PRECISION]`, the body of a printf
/// `%f` conversion (Net-SNMP passes it to printf as `%<spec>f`).
fn parse_float_format(spec: &str) -> Result<FloatFormat, String> {
    let bad = || {
        format!(
            "Unsupported -Op precision {spec:?}: oxsnmp takes [WIDTH][.PRECISION] digits, e.g. -Op.2"
        )
    };
    let (width, precision) = match spec.split_once('.') {
        Some((w, p)) => (w, Some(p)),
        None => (spec, None),
    };
    let number = |s: &str| -> Result<Option<usize>, String> {
        if s.is_empty() {
            Ok(None)
        } else if s.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 3 {
            s.parse().map(Some).map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let width = number(width)?;
    let precision = match precision {
        // printf reads "%.f" as precision 0.
        Some(p) => Some(number(p)?.unwrap_or(0)),
        None => None,
    };
    if spec.is_empty() {
        return Err(bad());
    }
    Ok(FloatFormat { width, precision })
}

/// C's `printf("%W.Pf", v)` for a double: exact decimal expansion rounded
/// half-to-even (as glibc does), `inf`/`nan` in lower case with their sign.
fn printf_f(v: f64, format: FloatFormat) -> String {
    let body = if v.is_nan() {
        if v.is_sign_negative() {
            "-nan".to_owned()
        } else {
            "nan".to_owned()
        }
    } else if v.is_infinite() {
        if v < 0.0 {
            "-inf".to_owned()
        } else {
            "inf".to_owned()
        }
    } else {
        format!("{:.*}", format.precision.unwrap_or(6), v)
    };
    match format.width {
        Some(w) if body.len() < w => format!("{body:>w$}"),
        _ => body,
    }
}

/// C's `isprint(b) || isspace(b)` in the C locale.
pub fn is_print_or_space(b: u8) -> bool {
    (0x20..0x7f).contains(&b) || (0x09..=0x0d).contains(&b)
}

/// Octets per line of a hex dump (snmp.conf's `hexOutputLength`; 0: one
/// line), 16 unless [`set_hex_line`] changed it.
static HEX_LINE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(16);

/// Sets the octets per line of hex dumps, for the whole process.
pub fn set_hex_line(octets: usize) {
    HEX_LINE.store(octets, std::sync::atomic::Ordering::Relaxed);
}

/// Net-SNMP's hex dump: `XX ` per byte, a newline after every 16 bytes when
/// more follow; with `text` (`-OT`) each line ends in `  [chars]`.
pub fn hex_dump(bytes: &[u8], text: bool) -> String {
    let mut out = String::with_capacity(bytes.len() * 3 + bytes.len() / 16 + 8);
    if bytes.is_empty() && text {
        out.push_str("  []");
    }
    // snmp.conf's hexOutputLength: 0 breaks no line.
    let line = match HEX_LINE.load(std::sync::atomic::Ordering::Relaxed) {
        0 => bytes.len().max(1),
        n => n,
    };
    for (i, chunk) in bytes.chunks(line).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        for b in chunk {
            let _ = write!(out, "{b:02X} ");
        }
        if text {
            out.push_str("  [");
            for &b in chunk {
                out.push(if is_print_or_space(b) {
                    char::from(b)
                } else {
                    '.'
                });
            }
            out.push(']');
        }
    }
    out
}

/// `sysUpTime` style: `0:00:42.42`, `1 day, 0:00:00.00`, `14 days, 6:56:07.89`.
fn push_uptime(out: &mut String, ticks: u32) {
    let (days, h, m, s, cs) = split_ticks(ticks);
    match days {
        0 => {}
        1 => out.push_str("1 day, "),
        d => {
            push_decimal(out, u64::from(d));
            out.push_str(" days, ");
        }
    }
    push_clock(out, h, m, s, cs);
}

/// The `-Oq` TimeTicks style: `days:hours:mm:ss.cc`.
fn push_uptime_quick(out: &mut String, ticks: u32) {
    let (days, h, m, s, cs) = split_ticks(ticks);
    push_decimal(out, u64::from(days));
    out.push(':');
    push_clock(out, h, m, s, cs);
}

/// `h:mm:ss.cc`.
fn push_clock(out: &mut String, h: u32, m: u32, s: u32, cs: u32) {
    push_decimal(out, u64::from(h));
    for (sep, two) in [(':', m), (':', s), ('.', cs)] {
        out.push(sep);
        if two < 10 {
            out.push('0');
        }
        push_decimal(out, u64::from(two));
    }
}

/// Appends `v` in decimal without going through `core::fmt` (the walk's
/// hot path prints several numbers per varbind).
fn push_decimal(out: &mut String, mut v: u64) {
    if v < 10 {
        out.push(char::from(b'0' + v as u8));
        return;
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    while v > 0 {
        at -= 1;
        digits[at] = b'0' + (v % 10) as u8;
        v /= 10;
    }
    // Always ASCII digits, so the check cannot fail.
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

fn split_ticks(ticks: u32) -> (u32, u32, u32, u32, u32) {
    let cs = ticks % 100;
    let secs = ticks / 100;
    (
        secs / 86_400,
        (secs / 3600) % 24,
        (secs / 60) % 60,
        secs % 60,
        cs,
    )
}

/// A value wrapped in an Opaque the way Net-SNMP encodes its special types
/// (a context-specific tag `9F 7x` inside the Opaque octets).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OpaqueValue {
    /// `9F 78`, four octets, IEEE 754 single.
    Float(f32),
    /// `9F 79`, eight octets, IEEE 754 double.
    Double(f64),
    /// `9F 7A`, two's complement, up to nine octets.
    Int64(i64),
    /// `9F 7B`, unsigned, up to nine octets.
    UInt64(u64),
    /// `9F 76`, unsigned, up to nine octets.
    Counter64(u64),
}

/// Opaque tag octets (after the `9F` escape) of Net-SNMP's special types.
pub mod opaque_tag {
    /// Counter64 in an Opaque.
    pub const COUNTER64: u8 = 0x76;
    /// Float.
    pub const FLOAT: u8 = 0x78;
    /// Double.
    pub const DOUBLE: u8 = 0x79;
    /// Int64.
    pub const INT64: u8 = 0x7a;
    /// UInt64.
    pub const UINT64: u8 = 0x7b;
}

/// Decodes a special Opaque, or `None` when the octets are anything else
/// (Net-SNMP shows those as an `OPAQUE:` hex dump). Malformed special values,
/// which Net-SNMP drops together with their whole response, also give `None`.
pub fn decode_opaque(bytes: &[u8]) -> Option<OpaqueValue> {
    let [0x9f, tag, len, body @ ..] = bytes else {
        return None;
    };
    if usize::from(*len) != body.len() {
        return None;
    }
    match *tag {
        opaque_tag::FLOAT => Some(OpaqueValue::Float(f32::from_be_bytes(
            body.try_into().ok()?,
        ))),
        opaque_tag::DOUBLE => Some(OpaqueValue::Double(f64::from_be_bytes(
            body.try_into().ok()?,
        ))),
        opaque_tag::INT64 if body.len() <= 9 => {
            let negative = body.first().is_some_and(|b| b & 0x80 != 0);
            let mut v: u64 = if negative { u64::MAX } else { 0 };
            for &b in body {
                v = (v << 8) | u64::from(b);
            }
            Some(OpaqueValue::Int64(v as i64))
        }
        opaque_tag::UINT64 | opaque_tag::COUNTER64 if body.len() <= 9 => {
            let v = body.iter().fold(0u64, |v, &b| (v << 8) | u64::from(b));
            Some(if *tag == opaque_tag::UINT64 {
                OpaqueValue::UInt64(v)
            } else {
                OpaqueValue::Counter64(v)
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn oid(s: &str) -> Oid {
        s.parse().unwrap()
    }

    fn line(value: Value) -> String {
        OutputOptions::numeric().varbind(&VarBind::new(oid("1.3.6.1.4.1.77777.1"), value))
    }

    fn val(value: Value) -> String {
        OutputOptions::numeric().value(&value)
    }

    fn with(flags: &str, value: Value) -> String {
        let mut o = OutputOptions::numeric();
        o.apply_flags(flags).unwrap();
        o.varbind(&VarBind::new(oid("1.3.6.1.4.1.77777.1"), value))
    }

    #[test]
    fn whole_line() {
        assert_eq!(
            line(Value::Integer(-42)),
            ".1.3.6.1.4.1.77777.1 = INTEGER: -42"
        );
    }

    #[test]
    fn integers_and_counters() {
        assert_eq!(val(Value::Integer(i32::MIN)), "INTEGER: -2147483648");
        assert_eq!(val(Value::Integer(i32::MAX)), "INTEGER: 2147483647");
        assert_eq!(val(Value::Counter32(u32::MAX)), "Counter32: 4294967295");
        assert_eq!(val(Value::Gauge32(u32::MAX)), "Gauge32: 4294967295");
        assert_eq!(
            val(Value::Counter64(u64::MAX)),
            "Counter64: 18446744073709551615"
        );
        assert_eq!(val(Value::Counter64(0)), "Counter64: 0");
    }

    #[test]
    fn strings() {
        assert_eq!(val(Value::from("")), "\"\"");
        assert_eq!(val(Value::from("hello")), "STRING: \"hello\"");
        assert_eq!(
            val(Value::from("He said \"hi\" \\ back")),
            "STRING: \"He said \\\"hi\\\" \\\\ back\""
        );
        assert_eq!(val(Value::from("AB\nC")), "STRING: \"AB\nC\"");
        assert_eq!(
            val(Value::from("a\tb\rc\x0bd\x0ce")),
            "STRING: \"a\tb\rc\x0bd\x0ce\""
        );
        assert_eq!(val(Value::from("it's {}~`")), "STRING: \"it's {}~`\"");
        let long = "a very long string that is more than sixteen bytes long indeed";
        assert_eq!(val(Value::from(long)), format!("STRING: \"{long}\""));
    }

    #[test]
    fn hex_strings() {
        let hex = |b: &[u8]| val(Value::OctetString(b.to_vec()));
        assert_eq!(hex(b"\x7f"), "Hex-STRING: 7F ");
        assert_eq!(hex(b"abc\0"), "Hex-STRING: 61 62 63 00 ");
        assert_eq!(hex(b"\0"), "Hex-STRING: 00 ");
        assert_eq!(hex("café".as_bytes()), "Hex-STRING: 63 61 66 C3 A9 ");
        assert_eq!(hex(&[0x80]), "Hex-STRING: 80 ");
        let b: Vec<u8> = (0..16).collect();
        assert_eq!(
            hex(&b),
            "Hex-STRING: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F "
        );
        let b: Vec<u8> = (0..17).collect();
        assert_eq!(
            hex(&b),
            "Hex-STRING: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F \n10 "
        );
        let b: Vec<u8> = (0..32).collect();
        assert_eq!(
            hex(&b),
            "Hex-STRING: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F \n\
             10 11 12 13 14 15 16 17 18 19 1A 1B 1C 1D 1E 1F "
        );
        let b = [
            0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f, 0x70, 0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6,
            0xe7, 0xf8, 0x09, 0x10, 0x11,
        ];
        assert_eq!(
            hex(&b),
            "Hex-STRING: 00 1A 2B 3C 4D 5E 6F 70 81 92 A3 B4 C5 D6 E7 F8 \n09 10 11 "
        );
    }

    #[test]
    fn timeticks() {
        assert_eq!(val(Value::TimeTicks(0)), "Timeticks: (0) 0:00:00.00");
        assert_eq!(val(Value::TimeTicks(4242)), "Timeticks: (4242) 0:00:42.42");
        assert_eq!(
            val(Value::TimeTicks(360_000)),
            "Timeticks: (360000) 1:00:00.00"
        );
        assert_eq!(
            val(Value::TimeTicks(8_640_000)),
            "Timeticks: (8640000) 1 day, 0:00:00.00"
        );
        assert_eq!(
            val(Value::TimeTicks(17_280_001)),
            "Timeticks: (17280001) 2 days, 0:00:00.01"
        );
        assert_eq!(
            val(Value::TimeTicks(123_456_789)),
            "Timeticks: (123456789) 14 days, 6:56:07.89"
        );
        assert_eq!(
            val(Value::TimeTicks(u32::MAX)),
            "Timeticks: (4294967295) 497 days, 2:27:52.95"
        );
    }

    #[test]
    fn oids_addresses_null_exceptions() {
        assert_eq!(
            val(Value::ObjectIdentifier(oid("1.3.6.1.4.1.8072.3.2.10"))),
            "OID: .1.3.6.1.4.1.8072.3.2.10"
        );
        assert_eq!(val(Value::ObjectIdentifier(oid("0.0"))), "OID: .0.0");
        assert_eq!(
            val(Value::IpAddress(Ipv4Addr::new(10, 1, 2, 3))),
            "IpAddress: 10.1.2.3"
        );
        assert_eq!(
            val(Value::IpAddress(Ipv4Addr::UNSPECIFIED)),
            "IpAddress: 0.0.0.0"
        );
        assert_eq!(val(Value::Null), "NULL");
        assert_eq!(
            val(Value::NoSuchObject),
            "No Such Object available on this agent at this OID"
        );
        assert_eq!(
            val(Value::NoSuchInstance),
            "No Such Instance currently exists at this OID"
        );
        assert_eq!(
            val(Value::EndOfMibView),
            "No more variables left in this MIB View (It is past the end of the MIB tree)"
        );
    }

    fn opaque(tag: u8, body: &[u8]) -> Value {
        let mut v = vec![0x9f, tag, body.len() as u8];
        v.extend_from_slice(body);
        Value::Opaque(v)
    }

    #[test]
    fn opaque_special_types() {
        let f = |x: f32| opaque(0x78, &x.to_be_bytes());
        let d = |x: f64| opaque(0x79, &x.to_be_bytes());
        assert_eq!(val(f(1.5)), "Opaque: Float: 1.500000");
        assert_eq!(val(f(std::f32::consts::PI)), "Opaque: Float: 3.141593");
        assert_eq!(val(f(0.1)), "Opaque: Float: 0.100000");
        assert_eq!(val(f(1e20)), "Opaque: Float: 100000002004087734272.000000");
        assert_eq!(
            val(f(-3.0e38)),
            "Opaque: Float: -300000000549775575777803994281145270272.000000"
        );
        assert_eq!(val(d(-2.25)), "Opaque: Float: -2.250000");
        assert_eq!(val(d(123_456.789)), "Opaque: Float: 123456.789000");
        assert_eq!(val(d(-0.0)), "Opaque: Float: -0.000000");
        assert_eq!(val(d(1e-7)), "Opaque: Float: 0.000000");
        assert_eq!(val(d(0.007_812_5)), "Opaque: Float: 0.007812");
        assert_eq!(val(d(f64::NAN)), "Opaque: Float: nan");
        assert_eq!(val(d(-f64::NAN)), "Opaque: Float: -nan");
        assert_eq!(val(d(f64::INFINITY)), "Opaque: Float: inf");
        assert_eq!(val(d(f64::NEG_INFINITY)), "Opaque: Float: -inf");
        // Cut at 127 characters like Net-SNMP's buffer.
        assert_eq!(
            val(d(1e300)),
            "Opaque: Float: 1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523"
        );
        assert_eq!(
            val(d(-1e300)),
            "Opaque: Float: -100000000000000005250476025520442024870446858110815915491585411551180245798890819578637137508044786404370444383288387817694252"
        );
        assert_eq!(
            val(d(1e125)),
            "Opaque: Float: 99999999999999992486776161899288204254467086983483846143922597222529419997579302660316349376281765375153005841365553228283904.0"
        );
        assert_eq!(
            val(opaque(0x7a, &(-300i16).to_be_bytes())),
            "Opaque: Int64: -300"
        );
        assert_eq!(val(opaque(0x7a, &[0x80])), "Opaque: Int64: -128");
        assert_eq!(val(opaque(0x7a, &[])), "Opaque: Int64: 0");
        assert_eq!(val(opaque(0x7a, &[0; 9])), "Opaque: Int64: 0");
        assert_eq!(
            val(opaque(0x7a, &i64::MIN.to_be_bytes())),
            "Opaque: Int64: -9223372036854775808"
        );
        assert_eq!(val(opaque(0x7b, &[5])), "Opaque: UInt64: 5");
        assert_eq!(val(opaque(0x7b, &[0xff])), "Opaque: UInt64: 255");
        assert_eq!(
            val(opaque(0x7b, &u64::MAX.to_be_bytes())),
            "Opaque: UInt64: 18446744073709551615"
        );
        let mut nine = vec![0];
        nine.extend_from_slice(&u64::MAX.to_be_bytes());
        assert_eq!(
            val(opaque(0x76, &nine)),
            "Opaque: Counter64: 18446744073709551615"
        );
        assert_eq!(val(opaque(0x76, &[0])), "Opaque: Counter64: 0");
    }

    #[test]
    fn opaque_other() {
        assert_eq!(val(Value::Opaque(vec![1, 2, 3])), "OPAQUE: 01 02 03 ");
        assert_eq!(val(Value::Opaque(vec![])), "OPAQUE: ");
        assert_eq!(val(Value::Opaque(vec![0x9f, 0x78])), "OPAQUE: 9F 78 ");
        assert_eq!(val(opaque(0x70, &[1])), "OPAQUE: 9F 70 01 01 ");
        assert_eq!(
            val(Value::Opaque(b"\x04\x02hi".to_vec())),
            "OPAQUE: 04 02 68 69 "
        );
        let b: Vec<u8> = (0..40).collect();
        assert_eq!(
            val(Value::Opaque(b)),
            "OPAQUE: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F \n\
             10 11 12 13 14 15 16 17 18 19 1A 1B 1C 1D 1E 1F \n20 21 22 23 24 25 26 27 "
        );
    }

    #[test]
    fn quick_print() {
        assert_eq!(with("q", Value::from("")), ".1.3.6.1.4.1.77777.1 \"\"");
        assert_eq!(
            with("q", Value::from("a\tb")),
            ".1.3.6.1.4.1.77777.1 \"a\tb\""
        );
        assert_eq!(
            with("q", Value::OctetString(vec![0x7f])),
            ".1.3.6.1.4.1.77777.1 \"7F \""
        );
        assert_eq!(with("q", Value::Counter64(0)), ".1.3.6.1.4.1.77777.1 0");
        assert_eq!(
            with("q", Value::TimeTicks(0)),
            ".1.3.6.1.4.1.77777.1 0:0:00:00.00"
        );
        assert_eq!(
            with("q", Value::TimeTicks(u32::MAX)),
            ".1.3.6.1.4.1.77777.1 497:2:27:52.95"
        );
        assert_eq!(
            with("q", Value::TimeTicks(360_000)),
            ".1.3.6.1.4.1.77777.1 0:1:00:00.00"
        );
        assert_eq!(with("q", Value::Null), ".1.3.6.1.4.1.77777.1 NULL");
        assert_eq!(
            with("q", Value::IpAddress(Ipv4Addr::UNSPECIFIED)),
            ".1.3.6.1.4.1.77777.1 0.0.0.0"
        );
        assert_eq!(
            with("q", Value::ObjectIdentifier(oid("0.0"))),
            ".1.3.6.1.4.1.77777.1 .0.0"
        );
        assert_eq!(
            with("q", opaque(0x78, &1.5f32.to_be_bytes())),
            ".1.3.6.1.4.1.77777.1 1.500000"
        );
        assert_eq!(
            with("q", Value::Opaque(vec![1, 2, 3])),
            ".1.3.6.1.4.1.77777.1 01 02 03 "
        );
        assert_eq!(with("q", Value::Opaque(vec![])), ".1.3.6.1.4.1.77777.1 ");
        assert_eq!(
            with("q", Value::EndOfMibView),
            ".1.3.6.1.4.1.77777.1 No more variables left in this MIB View (It is past the end of the MIB tree)"
        );
        assert_eq!(with("Q", Value::Integer(-5)), ".1.3.6.1.4.1.77777.1 = -5");
        assert_eq!(with("Q", Value::from("x")), ".1.3.6.1.4.1.77777.1 = \"x\"");
        // q toggles.
        assert_eq!(
            with("qq", Value::Integer(1)),
            ".1.3.6.1.4.1.77777.1 = INTEGER: 1"
        );
    }

    #[test]
    fn bare_values() {
        assert_eq!(with("v", Value::from("")), "\"\"");
        assert_eq!(with("v", Value::Gauge32(7)), "Gauge32: 7");
        assert_eq!(with("v", Value::Opaque(vec![1, 2, 3])), "OPAQUE: 01 02 03 ");
        assert_eq!(with("vq", Value::Counter32(3)), "3");
        assert_eq!(with("Qv", Value::from("x")), "\"x\"");
    }

    #[test]
    fn timeticks_numeric() {
        assert_eq!(
            with("t", Value::TimeTicks(17_280_001)),
            ".1.3.6.1.4.1.77777.1 = 17280001"
        );
        assert_eq!(with("qt", Value::TimeTicks(5)), ".1.3.6.1.4.1.77777.1 5");
    }

    #[test]
    fn hex_and_ascii_forms() {
        assert_eq!(with("x", Value::from("")), ".1.3.6.1.4.1.77777.1 = \"\"");
        assert_eq!(
            with("x", Value::from("a\"b\\c")),
            ".1.3.6.1.4.1.77777.1 = Hex-STRING: 61 22 62 5C 63 "
        );
        assert_eq!(
            with("x", Value::from("\n")),
            ".1.3.6.1.4.1.77777.1 = Hex-STRING: 0A "
        );
        assert_eq!(
            with("a", Value::OctetString(b"abc\0".to_vec())),
            ".1.3.6.1.4.1.77777.1 = STRING: \"abc.\""
        );
        assert_eq!(
            with("a", Value::OctetString("café".into())),
            ".1.3.6.1.4.1.77777.1 = STRING: \"caf..\""
        );
        assert_eq!(
            with("a", Value::from("a\"b\\c")),
            ".1.3.6.1.4.1.77777.1 = STRING: \"a\\\"b\\\\c\""
        );
        let b: Vec<u8> = (0..16).collect();
        assert_eq!(
            with("a", Value::OctetString(b)),
            ".1.3.6.1.4.1.77777.1 = STRING: \".........\t\n\x0b\x0c\r..\""
        );
    }

    #[test]
    fn hex_with_text() {
        assert_eq!(
            with("T", Value::OctetString(vec![0x7f])),
            ".1.3.6.1.4.1.77777.1 = Hex-STRING: 7F   [.]"
        );
        assert_eq!(
            with("T", Value::OctetString(b"abc\0".to_vec())),
            ".1.3.6.1.4.1.77777.1 = Hex-STRING: 61 62 63 00   [abc.]"
        );
        let b: Vec<u8> = (0x10..0x21).collect();
        assert_eq!(
            with("T", Value::OctetString(b)),
            ".1.3.6.1.4.1.77777.1 = Hex-STRING: 10 11 12 13 14 15 16 17 18 19 1A 1B 1C 1D 1E 1F   [................]\n20   [ ]"
        );
        assert_eq!(
            with("T", Value::from("plain")),
            ".1.3.6.1.4.1.77777.1 = STRING: \"plain\""
        );
        assert_eq!(
            with("T", Value::Opaque(vec![1, 2, 3])),
            ".1.3.6.1.4.1.77777.1 = OPAQUE: 01 02 03   [...]"
        );
        assert_eq!(
            with("T", Value::Opaque(vec![])),
            ".1.3.6.1.4.1.77777.1 = OPAQUE:   []"
        );
    }

    #[test]
    fn oid_styles() {
        let o = |flags: &str, s: &str| {
            let mut opts = OutputOptions::numeric();
            opts.apply_flags(flags).unwrap();
            opts.oid(&oid(s))
        };
        assert_eq!(o("n", "1.3.6.1"), ".1.3.6.1");
        assert_eq!(o("s", "1.3.6.1"), "iso.3.6.1");
        assert_eq!(o("S", "0.1.2"), "ccitt.1.2");
        assert_eq!(o("f", "2.5.1"), ".joint-iso-ccitt.5.1");
        assert_eq!(o("u", "1.3"), ".iso.3");
        // The last style wins.
        assert_eq!(o("fn", "2.5.1"), ".2.5.1");
        assert_eq!(o("nf", "2.5.1"), ".joint-iso-ccitt.5.1");
        let mut opts = OutputOptions::numeric();
        opts.apply_flags("s").unwrap();
        assert_eq!(
            opts.value(&Value::ObjectIdentifier(oid("1.3.6.1.4.1.8072.3.2.10"))),
            "OID: iso.3.6.1.4.1.8072.3.2.10"
        );
    }

    #[test]
    fn float_precision() {
        let f = |flags: &str, x: f32| with(flags, opaque(0x78, &x.to_be_bytes()));
        assert_eq!(f("p.2", 1.5), ".1.3.6.1.4.1.77777.1 = Opaque: Float: 1.50");
        assert_eq!(
            f("p5.1", 1.5),
            ".1.3.6.1.4.1.77777.1 = Opaque: Float:   1.5"
        );
        assert_eq!(
            f("p5.1", -2.25),
            ".1.3.6.1.4.1.77777.1 = Opaque: Float:  -2.2"
        );
        assert_eq!(f("p.", 2.5), ".1.3.6.1.4.1.77777.1 = Opaque: Float: 2");
        let mut o = OutputOptions::numeric();
        assert!(o.apply_flags("pe").is_err());
        assert!(o.apply_flags("p").is_err());
    }

    #[test]
    fn flags_without_effect_and_errors() {
        let mut o = OutputOptions::numeric();
        o.apply_flags("0n").unwrap();
        assert_eq!(
            o,
            OutputOptions {
                oid_format_set: true,
                ..OutputOptions::numeric()
            }
        );
        assert!(o.apply_flags("X").unwrap_err().contains("-OX"));
        o.apply_flags("E").unwrap();
        assert!(o.escape_quotes);
        o.apply_flags("beU").unwrap();
        assert!(!o.decode_index && o.numeric_enums && o.no_units);
        assert_eq!(
            o.apply_flags("nz").unwrap_err(),
            "Unknown output option passed to -O: z."
        );
    }
}
