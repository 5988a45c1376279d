//! Recorded devices: snmpsim `.snmprec` files, Net-SNMP `snmpwalk -On`
//! output (and snmpsim's `.snmpwalk` files) and SimpleAgentPro `.sapwalk`
//! files, parsed into a read-only [`RecordedMib`] that an [`Agent`] serves,
//! so a walk recorded from a real device can be replayed.
//!
//! Parsing only: the functions take the file's text (or its bytes:
//! [`RecordingFormat::parse_bytes`] reads a file that is not UTF-8 as
//! Latin-1, as snmpsim does) and return records or a [`RecordingError`]
//! naming the line. Reading the file is the caller's job.
//!
//! # `.snmprec` (snmpsim)
//!
//! One record per line, `OID|TYPE|VALUE`: the OID without leading dot (one
//! is accepted), TYPE the decimal BER tag, with a trailing `x` when VALUE is
//! hex-encoded and `e` when it holds Python string escapes. Blank lines and
//! lines starting with `#` are skipped. Values are read as snmpsim reads
//! them (its grammar and pyasn1's): a line's trailing whitespace is not part
//! of its value, numbers as Python's `int()` reads them (`+5`, `1_000`).
//!
//! | TYPE | value | example |
//! | --- | --- | --- |
//! | `2` | INTEGER (Integer32), decimal | `1.3.6.1.2.1.2.2.1.7.1\|2\|1` |
//! | `4` / `4x` / `4e` | OCTET STRING, the rest of the line as is / hex / escaped | `1.3.6.1.2.1.2.2.1.6.2\|4x\|0a1B2c3d4e5f` |
//! | `5` | NULL, empty value (`5x`, `5e` too) | `1.3.6.1.4.1.1.1\|5\|` |
//! | `6` | OBJECT IDENTIFIER, dotted (empty parts skipped, as pyasn1 does) | `1.3.6.1.2.1.1.2.0\|6\|1.3.6.1.4.1.8072.3.2.10` |
//! | `64` / `64x` / `64e` | IpAddress: a dotted quad, or exactly 4 characters that are its raw octets (`J}M}` is 74.125.77.125) / 4 octets in hex / escaped | `1.3.6.1.2.1.4.20.1.1.10.0.0.1\|64\|10.0.0.1` |
//! | `65`, `66`, `67` | Counter32, Gauge32 (Unsigned32), TimeTicks, decimal | `1.3.6.1.2.1.1.3.0\|67\|12345` |
//! | `68` / `68x` / `68e` | Opaque, the raw octets as text / hex / escaped | `1.3.6.1.4.1.1.2\|68x\|9f780441c80000` |
//! | `70` | Counter64, decimal | `1.3.6.1.2.1.31.1.1.1.6.1\|70\|12345678901` |
//! | `128`, `129`, `130` | noSuchObject, noSuchInstance, endOfMibView (value ignored) | `1.3.6.1.4.1.1.3\|129\|` |
//!
//! Hex is either case; an odd last digit is a high nibble (`abc` is
//! `ab c0`), and a space within a pair of digits is ignored, as pyasn1
//! reads it. `e` values take `\\`, `\'`, `\"`, `\a`,
//! `\b`, `\f`, `\n`, `\r`, `\t`, `\v` and `\xHH`.
//!
//! A line whose TYPE names one of snmpsim's variation modules
//! (`TYPE:MODULE`, e.g. `2:numeric`, `4:writecache`, `:multiplex`) is
//! refused: snmpsim computes those values at run time, oxsnmp serves static
//! data only, and the error names the module.
//!
//! # `snmpwalk -On` output (Net-SNMP)
//!
//! What `snmpwalk -On` and `snmpbulkwalk -On` print without MIBs (and
//! `oxsnmp walk` prints the same): `.1.3.6... = TYPE: value` lines, with
//!
//! * `STRING: "..."` (only `\"` and `\\` escaped, newlines raw: the string
//!   continues on the following lines up to its closing quote), `""`,
//!   `Hex-STRING: 0A 1B ...` (16 octets per line, continued on the next
//!   lines), `INTEGER: 5` (also `up(1)` as printed with MIBs), `Counter32:`,
//!   `Gauge32:`, `Counter64:`, `Timeticks: (123) 0:00:01.23`,
//!   `OID: .1.3...`, `IpAddress: 10.0.0.1`, `Network Address: 0A:00:00:01`,
//!   `NULL`, `Opaque: Float: 1.5` (also `Double`, `Int64`, `UInt64`,
//!   `Counter64`), `OPAQUE: 01 02 ...`;
//! * `No Such Object available...` and `No Such Instance currently...`
//!   kept as exception records;
//! * the `No more variables left in this MIB View ...` line that ends a
//!   v2c walk, `End of MIB`, `Variables found: N`, blank lines and `#`
//!   comments skipped.
//!
//! Names are read in every numeric style Net-SNMP prints without MIBs:
//! `.1.3.6...` (`-On`), `iso.3.6...` (`-OS`, its default), `.iso.3.6...`
//! (`-Of`), with the `ccitt` and `joint-iso-ccitt` roots too, in the OID
//! column and in `OID:` values. A walk printed with MIBs (`SNMPv2-MIB::sysName.0
//! = STRING: demo`) needs them: [`parse_snmpwalk_with`] takes a [`WalkMibs`]
//! that resolves names and reads back values printed under DISPLAY-HINTs;
//! without one a name is refused ([`RecordingErrorKind::NeedsMibs`]). A
//! walk with numeric names and values printed with MIBs is read as
//! without them (an ifPhysAddress `STRING: 0:0:5e:0:53:1` as the octets a
//! MAC-like text stands for, but a DisplayString unquoted as its text):
//! record with `snmpwalk -On -m ''` or `oxsnmp walk`.
//!
//! Lines end in `\n`; a `\r` before it is ignored except inside a quoted
//! string, where Net-SNMP prints control characters raw.
//!
//! snmpsim's own `.snmpwalk` files are `snmpwalk -ObentU` output and read
//! the same way, with what that prints: TimeTicks as a bare number
//! (`= 121722922`), unquoted strings (a MAC-like `0:e:84:9f:9c:19` is its
//! octets, as snmpsim reads it), `BITS: C0 0 1` (the octets, then the set
//! bits), `Wrong Type (should be ...): INTEGER: 5` (the value as received),
//! numbers followed by units, type labels in any case.
//!
//! # `.sapwalk` (SimpleAgentPro)
//!
//! `OID, TYPE, VALUE` lines, see [`parse_sapwalk`].
//!
//! # Serving
//!
//! [`RecordedMib`] keeps the records sorted in three flat arrays (all OIDs'
//! arcs back to back, their offsets, the values), so a GET or GETNEXT is a
//! binary search and a record costs its arcs, one offset and one [`Value`].
//! Measured on 1,000,000 instances of 11 arcs (`core/tests/recording.rs`):
//! 80 bytes each against 137 in a [`MemoryMib`](super::MemoryMib) table
//! holding the same values, built about ten times faster, and GETNEXT about
//! a third faster.
//!
//! Records under the agent's own subtrees are shadowed unless the agent
//! leaves them to the MIB: configure it with
//! [`AgentConfig::system`](super::AgentConfig::system)`(None)` and
//! [`AgentConfig::snmp_group`](super::AgentConfig::snmp_group)`(false)` to
//! serve exactly the recording, its `system` (`1.3.6.1.2.1.1`) and `snmp`
//! (`1.3.6.1.2.1.11`) groups as recorded and none added where it has none.
//!
//! ```
//! use std::time::Instant;
//! use oxsnmp_core::agent::{Access, Agent, AgentConfig};
//! use oxsnmp_core::agent::recording::{RecordedMib, RecordingFormat};
//!
//! let text = "\
//! 1.3.6.1.2.1.1.1.0|4|Linux router 5.10
//! 1.3.6.1.2.1.1.3.0|67|123456
//! 1.3.6.1.2.1.2.2.1.6.2|4x|001a2b3c4d5e
//! ";
//! let mib = RecordedMib::parse(RecordingFormat::Snmprec, text).unwrap();
//! assert_eq!(mib.len(), 3);
//! // Serve the recorded system and snmp groups rather than the agent's own.
//! let config = AgentConfig::new()
//!     .community("public", Access::ReadOnly)
//!     .system(None)
//!     .snmp_group(false);
//! let agent = Agent::new(config, mib, Instant::now());
//! # let _ = agent;
//!
//! let err = RecordedMib::parse(RecordingFormat::Snmprec, "1.3.x|2|5\n").unwrap_err();
//! assert_eq!(err.to_string(), "line 1: invalid OID \"1.3.x\"");
//! ```
//!
//! [`Agent`]: super::Agent

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::net::Ipv4Addr;
use std::str::FromStr;

use crate::oid::Oid;
use crate::value::Value;

use super::encode::valid_oid;
use super::mib::{Context, Found, GenErr, Lookup, Mib};

/// The file formats a device can be recorded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordingFormat {
    /// snmpsim's `.snmprec`: `OID|TYPE|VALUE` lines.
    Snmprec,
    /// The output of Net-SNMP's `snmpwalk` (or `snmpbulkwalk`, `oxsnmp
    /// walk`): `OID = TYPE: value` lines, names numeric in any style
    /// Net-SNMP prints without MIBs, or symbolic with a [`WalkMibs`]
    /// ([`parse_bytes_with`](RecordingFormat::parse_bytes_with)).
    /// snmpsim's `.snmpwalk` files (`snmpwalk -ObentU` output) are read too.
    Snmpwalk,
    /// SimpleAgentPro's `.sapwalk` (as snmpsim reads it): `OID, TYPE, VALUE`
    /// lines.
    Sapwalk,
}

impl RecordingFormat {
    /// The format a file name suggests: `.snmprec` files are snmprec,
    /// `.sapwalk` and `.sapwalk2` sapwalk, anything else is taken as
    /// snmpwalk output.
    pub fn from_file_name(name: &str) -> Self {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".snmprec") {
            RecordingFormat::Snmprec
        } else if lower.ends_with(".sapwalk") || lower.ends_with(".sapwalk2") {
            RecordingFormat::Sapwalk
        } else {
            RecordingFormat::Snmpwalk
        }
    }

    /// Parses a recording into records in file order (see
    /// [`parse_snmprec`], [`parse_snmpwalk`] and [`parse_sapwalk`]).
    pub fn parse(self, text: &str) -> Result<Vec<Record>, RecordingError> {
        self.parse_as(text, Octets::Utf8)
    }

    /// Parses a file's bytes: UTF-8 text as [`parse`](Self::parse) does,
    /// anything else as Latin-1, as snmpsim reads every file, so each byte
    /// of a string value is served as it is in the file.
    ///
    /// ```
    /// use oxsnmp_core::agent::recording::RecordingFormat;
    /// use oxsnmp_core::Value;
    /// let records = RecordingFormat::Snmprec.parse_bytes(b"1.3.6.1.2.1.1.5.0|4|caf\xe9\n").unwrap();
    /// assert_eq!(records[0].value, Value::OctetString(b"caf\xe9".to_vec()));
    /// ```
    pub fn parse_bytes(self, bytes: &[u8]) -> Result<Vec<Record>, RecordingError> {
        match std::str::from_utf8(bytes) {
            Ok(text) => self.parse(text),
            Err(_) => {
                let text: String = bytes.iter().copied().map(char::from).collect();
                self.parse_as(&text, Octets::Latin1)
            }
        }
    }

    /// [`parse_bytes`](Self::parse_bytes), with MIBs for a walk printed
    /// with MIBs loaded (see [`parse_snmpwalk_with`]); the other formats
    /// have no names and ignore them.
    pub fn parse_bytes_with(
        self,
        bytes: &[u8],
        mibs: &dyn WalkMibs,
    ) -> Result<Vec<Record>, RecordingError> {
        let names = Names { mibs: Some(mibs) };
        match std::str::from_utf8(bytes) {
            Ok(text) => self.parse_names(text, Octets::Utf8, names),
            Err(_) => {
                let text: String = bytes.iter().copied().map(char::from).collect();
                self.parse_names(&text, Octets::Latin1, names)
            }
        }
    }

    fn parse_as(self, text: &str, octets: Octets) -> Result<Vec<Record>, RecordingError> {
        self.parse_names(text, octets, Names { mibs: None })
    }

    fn parse_names(
        self,
        text: &str,
        octets: Octets,
        names: Names<'_>,
    ) -> Result<Vec<Record>, RecordingError> {
        match self {
            RecordingFormat::Snmprec => snmprec_records(text, octets),
            RecordingFormat::Snmpwalk => snmpwalk_records(text, octets, names),
            RecordingFormat::Sapwalk => sapwalk_records(text, octets),
        }
    }
}

impl FromStr for RecordingFormat {
    type Err = UnknownFormat;

    /// `snmprec`, `snmpwalk` or `sapwalk` (case-insensitive).
    fn from_str(s: &str) -> Result<Self, UnknownFormat> {
        match s.to_ascii_lowercase().as_str() {
            "snmprec" => Ok(RecordingFormat::Snmprec),
            "snmpwalk" => Ok(RecordingFormat::Snmpwalk),
            "sapwalk" => Ok(RecordingFormat::Sapwalk),
            _ => Err(UnknownFormat(s.to_owned())),
        }
    }
}

impl fmt::Display for RecordingFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecordingFormat::Snmprec => "snmprec",
            RecordingFormat::Snmpwalk => "snmpwalk",
            RecordingFormat::Sapwalk => "sapwalk",
        })
    }
}

/// A format name other than `snmprec`, `snmpwalk` and `sapwalk`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown recording format {0:?} (expected snmprec, snmpwalk or sapwalk)")]
pub struct UnknownFormat(pub String);

/// One recorded object instance and the line it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based line number in the recording (the first line of a value
    /// that spans several).
    pub line: usize,
    /// The instance name.
    pub oid: Oid,
    /// Its value: any SMI value, NULL, or an exception.
    pub value: Value,
}

/// A line of a recording that cannot be read, with its 1-based number.
///
/// Displays as `line 7: invalid OID "1.3.x"`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct RecordingError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub kind: RecordingErrorKind,
}

/// What is wrong with a line of a recording. Quoted texts are cut to 60
/// characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordingErrorKind {
    /// An snmprec line without two `|` separators.
    #[error("expected OID|TYPE|VALUE, found {0:?}")]
    NotARecord(String),
    /// A sapwalk line without two `,` separators.
    #[error("expected \"OID, TYPE, VALUE\", found {0:?}")]
    NotASapwalkLine(String),
    /// An snmpwalk line that is not `OID = value`.
    #[error("expected \"OID = TYPE: VALUE\", found {0:?}")]
    NotAWalkLine(String),
    /// The record's name is not a numeric OID of 2 to 128 arcs.
    #[error("invalid OID {0:?}")]
    InvalidOid(String),
    /// An snmprec tag or snmpwalk type label this parser does not know.
    #[error("unknown type {0:?}")]
    UnknownType(String),
    /// An snmprec tag naming a variation module (`TYPE:MODULE`): snmpsim
    /// computes such a value at run time, oxsnmp serves recorded values
    /// only.
    #[error(
        "this line needs snmpsim's variation module {module:?} (type {tag:?}); \
         oxsnmp serves static data only"
    )]
    VariationModule {
        /// The module's name (`numeric`, `writecache`, ...).
        module: String,
        /// The whole tag (`2:numeric`).
        tag: String,
    },
    /// A value that is not valid for its type.
    #[error("invalid {syntax} value {value:?}")]
    InvalidValue {
        /// The type, as the format names it (`Counter32`, `4x`, ...).
        syntax: String,
        /// The value text.
        value: String,
    },
    /// A quoted string that never ends.
    #[error("string not terminated (no closing quote before the end of the file)")]
    UnterminatedString,
    /// Text after a quoted string's closing quote.
    #[error("unexpected text after the closing quote: {0:?}")]
    TrailingText(String),
    /// The same OID recorded twice.
    #[error("duplicate OID {oid} (first recorded on line {first_line})")]
    Duplicate {
        /// The repeated name.
        oid: Oid,
        /// Line of its first record.
        first_line: usize,
    },
    /// A string printed with MIBs, as its DISPLAY-HINT's raw text, that
    /// continues on the line given: where it ends cannot be told.
    #[error(
        "this string, printed unquoted under its DISPLAY-HINT, continues on line {0}, \
         so where it ends cannot be told; record with `oxsnmp record` or \
         `snmpwalk -On -Ox -m ''`"
    )]
    RawStringContinues(usize),
    /// A symbolic name in a walk read without MIBs.
    #[error(
        "{0:?} is a name: this walk was printed with MIBs; read it with MIBs loaded \
         (`oxsnmp agent` loads them as the other subcommands do), or record with \
         `oxsnmp record` or `snmpwalk -On -Ox -m ''`"
    )]
    NeedsMibs(String),
    /// A symbolic name the MIBs do not resolve.
    #[error(
        "cannot resolve {name:?} ({why}); load the MIBs it was printed with (-m, -M), \
         or record with `oxsnmp record` or `snmpwalk -On -Ox -m ''`"
    )]
    UnknownName {
        /// The name as printed.
        name: String,
        /// The MIB library's reason.
        why: String,
    },
    /// A value printed under the object's DISPLAY-HINT (or otherwise
    /// changed by its MIB) that does not read back to the value printed.
    #[error(
        "{syntax} value {value:?} cannot be read back exactly ({why}); \
         record with `oxsnmp record` or `snmpwalk -On -Ox -m ''`"
    )]
    NotReversible {
        /// The type label as printed.
        syntax: String,
        /// The value text.
        value: String,
        /// Why.
        why: String,
    },
    /// More arcs in all than the store can index (over 2^32).
    #[error("recording too large")]
    TooLarge,
}

/// How a text's characters stand for a file's bytes.
#[derive(Debug, Clone, Copy)]
enum Octets {
    /// The text is the file: its UTF-8 bytes are the file's.
    Utf8,
    /// The file was not UTF-8 and was read as Latin-1: each character is
    /// one byte of it.
    Latin1,
}

impl Octets {
    /// The file's bytes that `text` stands for.
    fn of(self, text: &str) -> Vec<u8> {
        match self {
            Octets::Utf8 => text.as_bytes().to_vec(),
            Octets::Latin1 => text
                .chars()
                .map(|c| u8::try_from(c).unwrap_or(b'?'))
                .collect(),
        }
    }

    /// [`of`](Self::of) for bytes taken from the text (valid UTF-8 when
    /// they were taken whole characters at a time).
    fn fix(self, taken: Vec<u8>) -> Vec<u8> {
        match (self, String::from_utf8(taken)) {
            (Octets::Utf8, Ok(s)) => s.into_bytes(),
            (Octets::Latin1, Ok(s)) => self.of(&s),
            (_, Err(e)) => e.into_bytes(),
        }
    }
}

const QUOTE_MAX: usize = 60;

/// A text for an error message: at most [`QUOTE_MAX`] characters.
fn quote(s: &str) -> String {
    match s.char_indices().nth(QUOTE_MAX) {
        Some((at, _)) => format!("{}...", s.get(..at).unwrap_or(s)),
        None => s.to_owned(),
    }
}

fn error(line: usize, kind: RecordingErrorKind) -> RecordingError {
    RecordingError { line, kind }
}

fn invalid(syntax: &str, value: &str) -> RecordingErrorKind {
    RecordingErrorKind::InvalidValue {
        syntax: syntax.to_owned(),
        value: quote(value),
    }
}

/// A record name: dotted decimal, optional leading dot, 2 to 128 arcs that
/// can be encoded.
fn parse_name(text: &str) -> Result<Oid, RecordingErrorKind> {
    match text.parse::<Oid>() {
        Ok(oid) if valid_oid(oid.arcs()) => Ok(oid),
        _ => Err(RecordingErrorKind::InvalidOid(quote(text))),
    }
}

/// A numeric OID as Net-SNMP prints one without MIBs: dotted decimal with
/// or without a leading dot, the first arc also as its root's name
/// (`iso.3.6.1`, `.iso.3.6.1`, `ccitt.1`, `joint-iso-ccitt.5`, as
/// `-OS`/`-Of` print it). `None` when it is not of that form.
fn walk_numeric_oid(text: &str) -> Option<Oid> {
    let path = text.strip_prefix('.').unwrap_or(text);
    let (first, rest) = match path.split_once('.') {
        Some((first, rest)) => (first, Some(rest)),
        None => (path, None),
    };
    let root = match first {
        "ccitt" => "0",
        "iso" => "1",
        "joint-iso-ccitt" => "2",
        _ => first,
    };
    let numeric = match rest {
        Some(rest) => format!("{root}.{rest}"),
        None => root.to_owned(),
    };
    if !numeric.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    numeric.parse::<Oid>().ok().filter(|o| valid_oid(o.arcs()))
}

/// What [`parse_snmpwalk_with`] needs from the MIBs to read a walk printed
/// with MIBs loaded (`SNMPv2-MIB::sysName.0 = STRING: demo`): names, and
/// how the objects' values print. The core has no MIB knowledge; a MIB
/// library implements this (`oxsnmp-mib`'s `Mibs` does).
pub trait WalkMibs {
    /// The OID a symbolic name stands for (`SNMPv2-MIB::sysName.0`,
    /// `sysName.0`, `.iso.org.dod.internet...`, `SNMPv2-SMI::enterprises.8072`),
    /// or why not.
    fn resolve(&self, name: &str) -> Result<Oid, String>;

    /// The UNITS clause of the instance's object, if any: printed after
    /// its value, and dropped before the value is read.
    fn units(&self, instance: &Oid) -> Option<String>;

    /// Reads a value the MIB changes the printing of: `name` is the
    /// instance's name as printed in the walk (which may say by which
    /// module's definition it was printed), `label` the type label as
    /// printed (`STRING`, `INTEGER`, `Gauge32`), `text` the printed value
    /// (as the file's octets, units dropped, not trimmed).
    /// `None` when the MIB prints this value as it prints without MIBs,
    /// so the usual reading applies; `Some(Err(why))` when the text cannot
    /// be read back to exactly the value that printed it.
    fn read_value(
        &self,
        name: &str,
        instance: &Oid,
        label: &str,
        text: &[u8],
    ) -> Option<Result<Value, String>>;
}

/// How a walk file's names and values are read: without MIBs, or with.
#[derive(Clone, Copy)]
struct Names<'a> {
    mibs: Option<&'a dyn WalkMibs>,
}

impl Names<'_> {
    /// A name in the OID column.
    fn name(&self, text: &str) -> Result<Oid, RecordingErrorKind> {
        if let Some(oid) = walk_numeric_oid(text) {
            return Ok(oid);
        }
        match self.mibs {
            Some(mibs) if has_label(text) => match mibs.resolve(text) {
                Ok(oid) if valid_oid(oid.arcs()) => Ok(oid),
                Ok(_) => Err(RecordingErrorKind::InvalidOid(quote(text))),
                Err(why) => Err(RecordingErrorKind::UnknownName {
                    name: quote(text),
                    why,
                }),
            },
            None if has_label(text) => Err(RecordingErrorKind::NeedsMibs(quote(text))),
            // `-Ou` prints what follows a prefix it drops: `49` for
            // `.iso.org.dod.internet.mgmt.mib-2.49`.
            Some(mibs) if ucd_remainder(text) => match mibs.resolve(text) {
                Ok(oid) if valid_oid(oid.arcs()) => Ok(oid),
                Ok(_) => Err(RecordingErrorKind::InvalidOid(quote(text))),
                Err(why) => Err(RecordingErrorKind::UnknownName {
                    name: quote(text),
                    why,
                }),
            },
            _ => Err(RecordingErrorKind::InvalidOid(quote(text))),
        }
    }

    /// An `OID:` value.
    fn oid_value(&self, syntax: &str, text: &str) -> Result<Value, RecordingErrorKind> {
        if let Some(oid) = walk_numeric_oid(text) {
            return Ok(Value::ObjectIdentifier(oid));
        }
        match self.mibs {
            Some(mibs) if has_label(text) => match mibs.resolve(text) {
                Ok(oid) if valid_oid(oid.arcs()) => Ok(Value::ObjectIdentifier(oid)),
                Ok(_) => Err(invalid(syntax, text)),
                Err(why) => Err(RecordingErrorKind::UnknownName {
                    name: quote(text),
                    why,
                }),
            },
            None if has_label(text) => Err(RecordingErrorKind::NeedsMibs(quote(text))),
            Some(mibs) if ucd_remainder(text) => match mibs.resolve(text) {
                Ok(oid) if valid_oid(oid.arcs()) => Ok(Value::ObjectIdentifier(oid)),
                Ok(_) => Err(invalid(syntax, text)),
                Err(why) => Err(RecordingErrorKind::UnknownName {
                    name: quote(text),
                    why,
                }),
            },
            _ => Err(invalid(syntax, text)),
        }
    }
}

/// Numbers without a leading dot that are no OID (`49`, `99.1`): what
/// `-Ou` prints after the prefix it drops, for the MIBs to read.
fn ucd_remainder(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('.')
        && text.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// Whether an OID text is a name (`sysName.0`, `SNMPv2-MIB::sysName.0`,
/// `.iso.org.dod...`): it starts with a label, where a numeric OID starts
/// with a number.
fn has_label(text: &str) -> bool {
    text.strip_prefix('.')
        .unwrap_or(text)
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic())
}

fn number<T: FromStr>(syntax: &str, text: &str) -> Result<T, RecordingErrorKind> {
    // Rust's parsers accept a leading '+'; the formats never write one.
    if text.starts_with('+') {
        return Err(invalid(syntax, text));
    }
    text.parse().map_err(|_| invalid(syntax, text))
}

/// Contiguous hex digits, two per octet (`0a1B2c`).
fn compact_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] => Some(hex_digit(*hi)? << 4 | hex_digit(*lo)?),
            _ => None,
        })
        .collect()
}

fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Whitespace-separated two-digit hex octets (`0A 1B 2C`).
fn spaced_hex(text: &str) -> Option<Vec<u8>> {
    text.split_ascii_whitespace()
        .map(|pair| match pair.as_bytes() {
            [hi, lo] => Some(hex_digit(*hi)? << 4 | hex_digit(*lo)?),
            _ => None,
        })
        .collect()
}

/// The lines of a text, `\n`-separated, with 1-based numbers. A final
/// empty piece after the last newline is not a line.
fn lines(text: &str) -> Vec<&str> {
    let mut v: Vec<&str> = text.split('\n').collect();
    if v.last().is_some_and(|l| l.is_empty()) {
        v.pop();
    }
    v
}

fn strip_cr(line: &str) -> &str {
    line.strip_suffix('\r').unwrap_or(line)
}

// ---------------------------------------------------------------------------
// snmprec

/// Parses an snmpsim `.snmprec` recording into records in file order.
///
/// ```
/// use oxsnmp_core::agent::recording::parse_snmprec;
/// use oxsnmp_core::Value;
/// let records = parse_snmprec("# a comment\n1.3.6.1.2.1.1.5.0|4|core-1\n1.3.6.1.2.1.2.1.0|2|3\n").unwrap();
/// assert_eq!(records[0].line, 2);
/// assert_eq!(records[0].value, Value::from("core-1"));
/// assert_eq!(records[1].value, Value::Integer(3));
/// ```
pub fn parse_snmprec(text: &str) -> Result<Vec<Record>, RecordingError> {
    snmprec_records(text, Octets::Utf8)
}

fn snmprec_records(text: &str, octets: Octets) -> Result<Vec<Record>, RecordingError> {
    let mut records = Vec::new();
    for (i, raw) in lines(text).into_iter().enumerate() {
        let line = i + 1;
        let l = strip_cr(raw);
        let trimmed = l.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut fields = l.splitn(3, '|');
        let (Some(name), Some(tag), Some(value)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(error(line, RecordingErrorKind::NotARecord(quote(l))));
        };
        let oid = parse_name(name.trim()).map_err(|k| error(line, k))?;
        let value = snmprec_value(tag.trim(), value, octets).map_err(|k| error(line, k))?;
        records.push(Record { line, oid, value });
    }
    Ok(records)
}

fn snmprec_value(tag: &str, raw: &str, octets: Octets) -> Result<Value, RecordingErrorKind> {
    if let Some((_, module)) = tag.split_once(':') {
        return Err(RecordingErrorKind::VariationModule {
            module: quote(module.trim()),
            tag: quote(tag),
        });
    }
    let (number_part, encoding) = if let Some(n) = tag.strip_suffix('x') {
        (n, Encoding::Hex)
    } else if let Some(n) = tag.strip_suffix('e') {
        (n, Encoding::Escaped)
    } else {
        (tag, Encoding::Plain)
    };
    let unknown = || RecordingErrorKind::UnknownType(quote(tag));
    if number_part.is_empty() || !number_part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(unknown());
    }
    let code: u32 = number_part.parse().map_err(|_| unknown())?;
    // snmpsim strips the whole line, so a value loses its trailing
    // whitespace (but keeps its leading spaces).
    let bytes = octets.of(raw);
    let value = py_trim_end(&bytes);
    let text = raw.trim();
    let decoded = match encoding {
        Encoding::Plain => None,
        // Leading spaces count: pyasn1 reads the digits two characters at a time.
        Encoding::Hex => Some(loose_hex(value).ok_or_else(|| invalid(tag, text))?),
        Encoding::Escaped => Some(unescape(value).ok_or_else(|| invalid(tag, text))?),
    };
    if let Some(bytes) = decoded {
        return match code {
            4 => Ok(Value::OctetString(bytes)),
            68 => Ok(Value::Opaque(bytes)),
            64 => match <[u8; 4]>::try_from(bytes.as_slice()) {
                Ok(a) => Ok(Value::IpAddress(Ipv4Addr::from(a))),
                Err(_) => Err(invalid(tag, text)),
            },
            5 if bytes.is_empty() => Ok(Value::Null),
            5 => Err(invalid(tag, text)),
            128 => Ok(Value::NoSuchObject),
            129 => Ok(Value::NoSuchInstance),
            130 => Ok(Value::EndOfMibView),
            _ => Err(unknown()),
        };
    }
    Ok(match code {
        2 => Value::Integer(py_int(tag, text)?),
        // The rest of the line: strings keep their leading spaces.
        4 => Value::OctetString(value.to_vec()),
        5 if text.is_empty() => Value::Null,
        5 => return Err(invalid(tag, text)),
        6 => py_oid(tag, text)?,
        64 => Value::IpAddress(snmprec_ip(value).ok_or_else(|| invalid(tag, text))?),
        65 => Value::Counter32(py_int(tag, text)?),
        66 => Value::Gauge32(py_int(tag, text)?),
        67 => Value::TimeTicks(py_int(tag, text)?),
        68 => Value::Opaque(value.to_vec()),
        70 => Value::Counter64(py_int(tag, text)?),
        128 => Value::NoSuchObject,
        129 => Value::NoSuchInstance,
        130 => Value::EndOfMibView,
        _ => return Err(unknown()),
    })
}

/// How an snmprec value is written: the tag's suffix.
#[derive(Clone, Copy)]
enum Encoding {
    /// No suffix: the value as text.
    Plain,
    /// `x`: hex digits.
    Hex,
    /// `e`: Python string escapes (`\n`, `\x00`, ...).
    Escaped,
}

/// `bytes` without the trailing characters Python's `str.strip()` removes
/// from a Latin-1 text, as snmpsim reads its files.
fn py_trim_end(bytes: &[u8]) -> &[u8] {
    let keep = bytes
        .iter()
        .rposition(|b| !py_space(*b))
        .map_or(0, |i| i + 1);
    bytes.get(..keep).unwrap_or(bytes)
}

/// A decimal integer as Python's `int()` reads it: optional sign (`+` too),
/// surrounding whitespace already trimmed, `_` between digits allowed.
fn py_int<T: TryFrom<i128>>(syntax: &str, text: &str) -> Result<T, RecordingErrorKind> {
    let bad = || invalid(syntax, text);
    let (sign, digits) = match text.as_bytes().first() {
        Some(b'+') => ("", text.get(1..).unwrap_or("")),
        Some(b'-') => ("-", text.get(1..).unwrap_or("")),
        _ => ("", text),
    };
    let well_formed = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    if !well_formed {
        return Err(bad());
    }
    let clean: String = sign
        .chars()
        .chain(digits.chars().filter(|c| *c != '_'))
        .collect();
    // Through i128, so `-0` is an unsigned 0 as in Python.
    let n: i128 = clean.parse().map_err(|_| bad())?;
    T::try_from(n).map_err(|_| bad())
}

/// An OBJECT IDENTIFIER value as pyasn1 reads one: dotted arcs in Python's
/// `int()` forms, empty parts (`.1.3.6`, `1.3.6.`) skipped; then the rules
/// of a name (2 to 128 arcs that can be encoded).
fn py_oid(syntax: &str, text: &str) -> Result<Value, RecordingErrorKind> {
    let arcs: Vec<u32> = text
        .split('.')
        .filter(|part| !part.is_empty())
        .map(|part| py_int::<u32>(syntax, part.trim()))
        .collect::<Result<_, _>>()
        .map_err(|_| invalid(syntax, text))?;
    match Oid::from_arcs(arcs) {
        Ok(oid) if valid_oid(oid.arcs()) => Ok(Value::ObjectIdentifier(oid)),
        _ => Err(invalid(syntax, text)),
    }
}

/// Hex digits as pyasn1 reads an snmprec `x` value: two characters per
/// octet, either case, an odd last digit taken as the high nibble (`abc` is
/// `ab c0`). Each pair goes through Python's `int(pair, 16)`, which ignores
/// a space in it: `" 0a0b"` is `00 a0 b0`, as snmpsim serves it.
fn loose_hex(value: &[u8]) -> Option<Vec<u8>> {
    value
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] => match (py_space(*hi), py_space(*lo)) {
                (false, false) => Some(hex_digit(*hi)? << 4 | hex_digit(*lo)?),
                (true, false) => hex_digit(*lo),
                (false, true) => hex_digit(*hi),
                (true, true) => None,
            },
            // pyasn1 appends a 0: `int(" 0", 16)` for a space.
            [hi] if py_space(*hi) => Some(0),
            [hi] => Some(hex_digit(*hi)? << 4),
            _ => None,
        })
        .collect()
}

/// Whether Python's `str.strip()` removes this Latin-1 character.
fn py_space(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | 0x1c..=0x20 | 0x85 | 0xa0)
}

/// An snmprec `e` value: the escapes of a Python string literal (`\\`,
/// `\'`, `\"`, `\a`, `\b`, `\f`, `\n`, `\r`, `\t`, `\v`, `\xHH`) as snmpsim
/// reads them; other bytes as they are. An escape cut short by the end of
/// the value is dropped, as snmpsim drops it; an unknown escape is an
/// error.
fn unescape(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.iter().copied();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        let Some(escaped) = bytes.next() else { break };
        out.push(match escaped {
            b'\\' | b'\'' | b'"' => escaped,
            b'a' => 0x07,
            b'b' => 0x08,
            b'f' => 0x0c,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 0x0b,
            b'x' => {
                let (Some(hi), Some(lo)) = (bytes.next(), bytes.next()) else {
                    break;
                };
                hex_digit(hi)? << 4 | hex_digit(lo)?
            }
            _ => return None,
        });
    }
    Some(out)
}

/// An snmprec IpAddress: exactly 4 characters are the address's 4 raw
/// octets (as snmpsim reads `64|J}M}`, 74.125.77.125), anything else a
/// dotted quad whose parts Python's `int()` reads (`010` is 10).
fn snmprec_ip(value: &[u8]) -> Option<Ipv4Addr> {
    if let Ok(octets) = <[u8; 4]>::try_from(value) {
        return Some(Ipv4Addr::from(octets));
    }
    let text = std::str::from_utf8(value).ok()?;
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for slot in &mut octets {
        *slot = py_int::<u8>("64", parts.next()?.trim()).ok()?;
    }
    parts.next().is_none().then_some(Ipv4Addr::from(octets))
}

/// Writes records as `.snmprec` text that [`parse_snmprec`] reads back to
/// the same values (and snmpsim reads as the same values): strings of
/// printable ASCII not ending in a space (no `|` needed to be escaped,
/// since the value is the rest of the line) as text, other strings and
/// Opaque values in hex.
pub fn write_snmprec<'a>(records: impl IntoIterator<Item = (&'a [u32], &'a Value)>) -> String {
    let mut out = String::new();
    for (arcs, value) in records {
        for (i, arc) in arcs.iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            let _ = write!(out, "{arc}");
        }
        let tag = value.tag();
        let _ = match value {
            Value::Integer(v) => write!(out, "|{tag}|{v}"),
            // snmpsim strips a line's trailing spaces: such a string goes in hex.
            Value::OctetString(s)
                if s.iter().all(|b| (0x20..0x7f).contains(b)) && s.last() != Some(&b' ') =>
            {
                // Printable ASCII is valid UTF-8.
                write!(out, "|{tag}|{}", String::from_utf8_lossy(s))
            }
            Value::OctetString(s) | Value::Opaque(s) => {
                let _ = write!(out, "|{tag}x|");
                s.iter().try_for_each(|b| write!(out, "{b:02x}"))
            }
            Value::ObjectIdentifier(o) => write!(out, "|{tag}|{o}"),
            Value::IpAddress(a) => write!(out, "|{tag}|{a}"),
            Value::Counter32(v) | Value::Gauge32(v) | Value::TimeTicks(v) => {
                write!(out, "|{tag}|{v}")
            }
            Value::Counter64(v) => write!(out, "|{tag}|{v}"),
            _ => write!(out, "|{tag}|"),
        };
        out.push('\n');
    }
    out
}

// ---------------------------------------------------------------------------
// sapwalk

/// Parses a SimpleAgentPro `.sapwalk` recording into records in file
/// order, as snmpsim reads one: `OID, TYPE, VALUE` lines (spaces around the
/// fields ignored) with TYPE `Integer`, `OctetString` (`0x` and hex digits,
/// else the text), `ObjectID`, `IpAddress`, `Counter`, `Gauge`,
/// `TimeTicks` or `Counter64`. Blank lines and `#` comments are skipped.
///
/// ```
/// use oxsnmp_core::agent::recording::parse_sapwalk;
/// use oxsnmp_core::Value;
/// let records = parse_sapwalk("1.3.6.1.2.1.1.5.0  , OctetString , CRAY\n1.3.6.1.2.1.2.2.1.6.2, OctetString, 0x000e35d33d53\n").unwrap();
/// assert_eq!(records[0].value, Value::from("CRAY"));
/// assert_eq!(records[1].value, Value::OctetString(vec![0, 0x0e, 0x35, 0xd3, 0x3d, 0x53]));
/// ```
pub fn parse_sapwalk(text: &str) -> Result<Vec<Record>, RecordingError> {
    sapwalk_records(text, Octets::Utf8)
}

fn sapwalk_records(text: &str, octets: Octets) -> Result<Vec<Record>, RecordingError> {
    let mut records = Vec::new();
    for (i, raw) in lines(text).into_iter().enumerate() {
        let line = i + 1;
        let l = strip_cr(raw);
        let trimmed = l.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut fields = l.splitn(3, ',').map(str::trim);
        let (Some(name), Some(tag), Some(value)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(error(line, RecordingErrorKind::NotASapwalkLine(quote(l))));
        };
        let oid = parse_name(name).map_err(|k| error(line, k))?;
        let value = sapwalk_value(tag, value, octets).map_err(|k| error(line, k))?;
        records.push(Record { line, oid, value });
    }
    Ok(records)
}

fn sapwalk_value(tag: &str, text: &str, octets: Octets) -> Result<Value, RecordingErrorKind> {
    Ok(match tag {
        "Integer" => Value::Integer(py_int(tag, text)?),
        "OctetString" => match text.strip_prefix("0x") {
            // Pairs of digits; a last single digit is its own value, as
            // snmpsim reads it.
            Some(hex) => Value::OctetString(
                hex.as_bytes()
                    .chunks(2)
                    .map(|pair| match pair {
                        [hi, lo] => Some(hex_digit(*hi)? << 4 | hex_digit(*lo)?),
                        [lo] => hex_digit(*lo),
                        _ => None,
                    })
                    .collect::<Option<Vec<u8>>>()
                    .ok_or_else(|| invalid(tag, text))?,
            ),
            None => Value::OctetString(octets.of(text)),
        },
        "ObjectID" => py_oid(tag, text)?,
        "IpAddress" => {
            Value::IpAddress(snmprec_ip(&octets.of(text)).ok_or_else(|| invalid(tag, text))?)
        }
        "Counter" => Value::Counter32(py_int(tag, text)?),
        "Gauge" => Value::Gauge32(py_int(tag, text)?),
        "TimeTicks" => Value::TimeTicks(py_int(tag, text)?),
        "Counter64" => Value::Counter64(py_int(tag, text)?),
        _ => return Err(RecordingErrorKind::UnknownType(quote(tag))),
    })
}

// ---------------------------------------------------------------------------
// snmpwalk output

const END_OF_MIB_VIEW: &str =
    "No more variables left in this MIB View (It is past the end of the MIB tree)";
const NO_SUCH_OBJECT: &str = "No Such Object available on this agent at this OID";
const NO_SUCH_INSTANCE: &str = "No Such Instance currently exists at this OID";

/// Parses the output of `snmpwalk -On` into records in file order.
///
/// ```
/// use oxsnmp_core::agent::recording::parse_snmpwalk;
/// use oxsnmp_core::Value;
/// let text = "\
/// .1.3.6.1.2.1.1.1.0 = STRING: \"two
/// lines\"
/// .1.3.6.1.2.1.1.3.0 = Timeticks: (4242) 0:00:42.42
/// .1.3.6.1.2.1.1.3.0 = No more variables left in this MIB View (It is past the end of the MIB tree)
/// ";
/// let records = parse_snmpwalk(text).unwrap();
/// assert_eq!(records.len(), 2);
/// assert_eq!(records[0].value, Value::from("two\nlines"));
/// assert_eq!((records[1].line, &records[1].value), (3, &Value::TimeTicks(4242)));
/// ```
pub fn parse_snmpwalk(text: &str) -> Result<Vec<Record>, RecordingError> {
    snmpwalk_records(text, Octets::Utf8, Names { mibs: None })
}

/// Parses a walk printed with MIBs loaded (Net-SNMP's default `-OS`
/// style, and `-Os`, `-Of`, `-Ou`): names resolved by `mibs`, values
/// printed under a DISPLAY-HINT read back through it, UNITS dropped. A
/// value that cannot be read back to exactly what printed it is refused
/// with [`RecordingErrorKind::NotReversible`]. Numeric names read as
/// [`parse_snmpwalk`] reads them.
pub fn parse_snmpwalk_with(text: &str, mibs: &dyn WalkMibs) -> Result<Vec<Record>, RecordingError> {
    snmpwalk_records(text, Octets::Utf8, Names { mibs: Some(mibs) })
}

fn snmpwalk_records(
    text: &str,
    octets: Octets,
    names: Names<'_>,
) -> Result<Vec<Record>, RecordingError> {
    let all = lines(text);
    let mut records = Vec::new();
    let mut next = 0usize;
    // The line of the last value printed as an unquoted string with MIBs
    // loaded: a DISPLAY-HINT's text is printed raw, so a line after it
    // that is no walk line (blank ones too) is more of that text.
    let mut raw_string: Option<usize> = None;
    while let Some(&raw) = all.get(next) {
        let line = next + 1;
        next += 1;
        let l = strip_cr(raw);
        let trimmed = l.trim();
        if let Some(first) = raw_string.take() {
            if !raw.contains(" = ") {
                return Err(error(first, RecordingErrorKind::RawStringContinues(line)));
            }
        }
        if trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed == "End of MIB"
            || trimmed.starts_with("Variables found:")
        {
            continue;
        }
        let Some((name, rest)) = raw.split_once(" = ") else {
            return Err(error(line, RecordingErrorKind::NotAWalkLine(quote(l))));
        };
        let oid = names.name(name.trim()).map_err(|k| error(line, k))?;
        let value = match walk_value(name.trim(), &oid, rest, &all, &mut next, octets, names) {
            Ok(Some(v)) => v,
            Ok(None) => continue,
            Err(k) => return Err(error(line, k)),
        };
        if names.mibs.is_some()
            && rest
                .strip_prefix("STRING:")
                .is_some_and(|body| !body.trim_start().starts_with('"'))
        {
            raw_string = Some(line);
        }
        records.push(Record { line, oid, value });
    }
    Ok(records)
}

/// The value after ` = `, reading continuation lines from `all[*next..]`.
/// `None` for the end-of-walk line.
///
/// Type labels are case-insensitive. Besides `snmpwalk -On` output this
/// reads what snmpsim's `.snmpwalk` files hold (`snmpwalk -ObentU`):
/// unquoted strings, bare TimeTicks numbers, `BITS:`, values after Net-SNMP's
/// `Wrong Type (should be ...): ` complaint, units after numbers.
fn walk_value(
    name: &str,
    oid: &Oid,
    rest: &str,
    all: &[&str],
    next: &mut usize,
    octets: Octets,
    names: Names<'_>,
) -> Result<Option<Value>, RecordingErrorKind> {
    // Net-SNMP's complaint that the value's type is not the MIB's: the
    // value follows it as received.
    let rest = match rest.strip_prefix("Wrong Type (should be ") {
        Some(r) => r.split_once("): ").map_or(rest, |(_, value)| value),
        None => rest,
    };
    let text = rest.trim_end();
    match text {
        END_OF_MIB_VIEW => return Ok(None),
        NO_SUCH_OBJECT => return Ok(Some(Value::NoSuchObject)),
        NO_SUCH_INSTANCE => return Ok(Some(Value::NoSuchInstance)),
        "NULL" => return Ok(Some(Value::Null)),
        "\"\"" => return Ok(Some(Value::OctetString(Vec::new()))),
        _ => {}
    }
    // With MIBs: UNITS the MIB names are dropped, and values it prints
    // its own way (DISPLAY-HINTs) are read back by it.
    let units = names.mibs.and_then(|m| m.units(oid));
    let unitless = |body: &'_ str| -> String {
        let body = body.strip_suffix('\r').unwrap_or(body);
        match &units {
            Some(u) => body
                .strip_suffix(u.as_str())
                .and_then(|b| b.strip_suffix(' '))
                .unwrap_or(body)
                .to_owned(),
            None => body.to_owned(),
        }
    };
    if let (Some(mibs), Some((label, body))) = (names.mibs, type_label(rest)) {
        let body = unitless(body);
        if let Some(read) = mibs.read_value(name, oid, label, &octets.of(&body)) {
            return read
                .map(Some)
                .map_err(|why| RecordingErrorKind::NotReversible {
                    syntax: label.to_owned(),
                    value: quote(&body),
                    why,
                });
        }
    }
    let owned;
    let rest = if units.is_some() && !rest.trim_start().starts_with("STRING: \"") {
        owned = unitless(rest);
        owned.as_str()
    } else {
        rest
    };
    let Some((label, body)) = type_label(rest) else {
        // `snmpwalk -Ot` prints TimeTicks as a bare number.
        if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(Some(Value::TimeTicks(number("Timeticks", text)?)));
        }
        return Err(RecordingErrorKind::UnknownType(quote(text)));
    };
    let b = body.trim();
    Ok(Some(match label.to_ascii_uppercase().as_str() {
        "STRING" => match body.trim_start().strip_prefix('"') {
            Some(inner) => Value::OctetString(octets.fix(quoted(inner, all, next)?)),
            // Unquoted, as `snmpwalk -Oq`/DISPLAY-HINTs print: a MAC-like
            // `0:e:84:9f:9c:19` is its octets, anything else the text.
            None => Value::OctetString(colon_hex(b).unwrap_or_else(|| octets.of(b))),
        },
        "HEX-STRING" => Value::OctetString(hex_dump(label, b, all, next)?),
        "BITS" => Value::OctetString(bits(b).ok_or_else(|| invalid(label, b))?),
        "INTEGER" => Value::Integer(enum_number(label, b)?),
        "COUNTER32" => Value::Counter32(number(label, b)?),
        "GAUGE32" | "UNSIGNED32" => Value::Gauge32(number(label, with_units(b))?),
        "COUNTER64" => Value::Counter64(number(label, b)?),
        "TIMETICKS" => Value::TimeTicks(timeticks(b)?),
        "OID" => names.oid_value(label, b)?,
        "IPADDRESS" => Value::IpAddress(b.parse().map_err(|_| invalid(label, b))?),
        "NETWORK ADDRESS" => {
            let octets: Option<Vec<u8>> = b
                .split(':')
                .map(|pair| compact_hex(pair).filter(|o| o.len() == 1))
                .collect::<Option<Vec<_>>>()
                .map(|v| v.concat());
            match octets.as_deref().map(<[u8; 4]>::try_from) {
                Some(Ok(a)) => Value::IpAddress(Ipv4Addr::from(a)),
                _ => return Err(invalid(label, b)),
            }
        }
        "NULL" if b.is_empty() => Value::Null,
        // `Opaque: Float: 1.5` and the like, else a hex dump.
        "OPAQUE" if type_label(b).is_some() => Value::Opaque(special_opaque(b)?),
        "OPAQUE" => Value::Opaque(hex_dump(label, b, all, next)?),
        _ => return Err(RecordingErrorKind::UnknownType(quote(label))),
    }))
}

/// `LABEL: body` where LABEL is one or two words (`Hex-STRING`,
/// `Network Address`), as snmpsim recognises a type; the body may be empty
/// (`STRING:`).
fn type_label(text: &str) -> Option<(&str, &str)> {
    let (label, body) = text.split_once(':')?;
    let mut words = label.splitn(2, ['-', ' ']);
    let word = |w: Option<&str>| {
        w.is_some_and(|w| {
            !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
    };
    let first = words.next();
    let second = words.next();
    if !word(first) || (second.is_some() && !word(second)) {
        return None;
    }
    Some((label, body.strip_prefix(' ').unwrap_or(body)))
}

/// `0:e:84:9f:9c:19`: octets of one or two hex digits joined by colons.
fn colon_hex(text: &str) -> Option<Vec<u8>> {
    if !text.contains(':') {
        return None;
    }
    text.split(':')
        .map(|part| match part.as_bytes() {
            [lo] => hex_digit(*lo),
            [hi, lo] => Some(hex_digit(*hi)? << 4 | hex_digit(*lo)?),
            _ => None,
        })
        .collect()
}

/// A number followed by units (`10000 milli-seconds`, as printed without
/// `-OU`): the number.
fn with_units(text: &str) -> &str {
    match text.split_once(' ') {
        Some((n, _)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'-') => n,
        _ => text,
    }
}

/// Net-SNMP's BITS: the octets in hex, then the set bits' numbers (or
/// `name(n)` with MIBs): `C0 0 1`, `80 linkUp(0)`, `` for no octet. The
/// octets are the longest run of two-digit hex tokens whose set bits are
/// exactly the numbers that follow (a bit number such as 10 also reads as
/// hex); failing that, every leading two-digit hex token.
fn bits(text: &str) -> Option<Vec<u8>> {
    let tokens: Vec<&str> = text.split_ascii_whitespace().collect();
    let octet = |t: &str| match t.as_bytes() {
        [hi, lo] => Some(hex_digit(*hi)? << 4 | hex_digit(*lo)?),
        _ => None,
    };
    let run = tokens.iter().take_while(|t| octet(t).is_some()).count();
    let decode =
        |k: usize| -> Option<Vec<u8>> { tokens.get(..k)?.iter().map(|t| octet(t)).collect() };
    for k in (0..=run).rev() {
        let Some(octets) = decode(k) else { continue };
        let set: Vec<u32> = octets
            .iter()
            .zip(0u32..)
            .flat_map(|(o, i)| {
                (0..8u32)
                    .filter(move |b| o & (0x80 >> b) != 0)
                    .map(move |b| i * 8 + b)
            })
            .collect();
        let named: Option<Vec<u32>> = tokens
            .get(k..)?
            .iter()
            .map(|t| {
                let n = t
                    .strip_suffix(')')
                    .and_then(|t| t.rsplit_once('('))
                    .map_or(*t, |(_, n)| n);
                n.parse().ok()
            })
            .collect();
        if named.as_ref() == Some(&set) {
            return Some(octets);
        }
    }
    if tokens.is_empty() {
        return Some(Vec::new());
    }
    decode(run).filter(|o| !o.is_empty())
}

/// A quoted string's content after its opening quote, continuing over the
/// following lines until the closing quote; `\"` and `\\` are unescaped.
fn quoted(first: &str, all: &[&str], next: &mut usize) -> Result<Vec<u8>, RecordingErrorKind> {
    let mut out = Vec::with_capacity(first.len());
    let mut current = first;
    loop {
        let mut bytes = current.bytes().enumerate();
        while let Some((at, b)) = bytes.next() {
            match b {
                b'\\' => match bytes.next() {
                    Some((_, escaped)) => out.push(escaped),
                    // A backslash ending the line: keep it, the newline follows.
                    None => out.push(b'\\'),
                },
                b'"' => {
                    let after = current.get(at + 1..).unwrap_or("");
                    if !after.trim().is_empty() {
                        return Err(RecordingErrorKind::TrailingText(quote(after.trim())));
                    }
                    return Ok(out);
                }
                other => out.push(other),
            }
        }
        let Some(&line) = all.get(*next) else {
            return Err(RecordingErrorKind::UnterminatedString);
        };
        *next += 1;
        out.push(b'\n');
        current = line;
    }
}

/// A Net-SNMP hex dump: octets on the first line and, while every line
/// so far held 16 octets, on following lines made only of hex octets.
fn hex_dump(
    label: &str,
    first: &str,
    all: &[&str],
    next: &mut usize,
) -> Result<Vec<u8>, RecordingErrorKind> {
    // `00 C0 FF 43   [...C.E]` (with the octets as text after them), and
    // `00C0FF43` as some Windows tools print it, are read too.
    let octets = match first.split_once("  [") {
        Some((hex, _)) if first.ends_with(']') => hex.trim_end(),
        _ => first,
    };
    let mut out = spaced_hex(octets)
        .or_else(|| compact_hex(octets).filter(|_| !octets.contains(' ')))
        .ok_or_else(|| invalid(label, first))?;
    while !out.is_empty() && out.len() % 16 == 0 {
        let Some(line) = all.get(*next) else { break };
        let l = line.trim();
        if l.is_empty() || l.contains(" = ") {
            break;
        }
        match spaced_hex(l) {
            Some(more) if !more.is_empty() && more.len() <= 16 => {
                out.extend_from_slice(&more);
                *next += 1;
                if more.len() < 16 {
                    break;
                }
            }
            _ => break,
        }
    }
    Ok(out)
}

/// `5`, or `up(1)` as Net-SNMP prints enumerations with MIBs loaded.
fn enum_number(label: &str, text: &str) -> Result<i32, RecordingErrorKind> {
    if let Some(inner) = text
        .strip_suffix(')')
        .and_then(|t| t.rsplit_once('('))
        .map(|(_, n)| n)
    {
        return number(label, inner).map_err(|_| invalid(label, text));
    }
    number(label, with_units(text)).map_err(|_| invalid(label, text))
}

/// `(123) 0:00:01.23`, or a plain number.
fn timeticks(text: &str) -> Result<u32, RecordingErrorKind> {
    let inner = match text.strip_prefix('(') {
        Some(t) => t.split_once(')').map(|(n, _)| n).unwrap_or(""),
        None => text,
    };
    number("Timeticks", inner).map_err(|_| invalid("Timeticks", text))
}

/// Net-SNMP's Opaque-wrapped types (`Float: 1.500000`, `Int64: -5`, ...),
/// encoded as Net-SNMP encodes them: `9F 78` + 4 octets for a float,
/// `9F 79` + 8 for a double, `9F 7A` / `9F 7B` / `9F 76` + a minimal
/// integer for Int64 / UInt64 / Counter64. Doubles print as `Float:` too,
/// so a printed `Float` is stored as a float.
fn special_opaque(text: &str) -> Result<Vec<u8>, RecordingErrorKind> {
    let bad = || invalid("Opaque", text);
    let (kind, n) = text.split_once(": ").ok_or_else(bad)?;
    let n = n.trim();
    let wrap = |tag: u8, body: &[u8]| {
        let mut v = vec![0x9f, tag, body.len() as u8];
        v.extend_from_slice(body);
        v
    };
    Ok(match kind {
        "Float" => {
            let f: f32 = n.parse().map_err(|_| bad())?;
            wrap(0x78, &f.to_be_bytes())
        }
        "Double" => {
            let f: f64 = n.parse().map_err(|_| bad())?;
            wrap(0x79, &f.to_be_bytes())
        }
        "Int64" => {
            let v: i64 = number("Opaque Int64", n)?;
            let bytes = v.to_be_bytes();
            // Minimal two's complement: drop leading octets that only repeat the sign.
            let mut start = 0;
            while start < 7 {
                let (Some(&a), Some(&b)) = (bytes.get(start), bytes.get(start + 1)) else {
                    break;
                };
                if (a == 0 && b & 0x80 == 0) || (a == 0xff && b & 0x80 != 0) {
                    start += 1;
                } else {
                    break;
                }
            }
            wrap(0x7a, bytes.get(start..).unwrap_or(&bytes))
        }
        "UInt64" | "Counter64" => {
            let v: u64 = number("Opaque UInt64", n)?;
            let mut body = vec![0u8];
            body.extend_from_slice(&v.to_be_bytes());
            // Minimal unsigned: a leading zero only before a high bit.
            let mut start = 0;
            while start < 8 {
                let (Some(&a), Some(&b)) = (body.get(start), body.get(start + 1)) else {
                    break;
                };
                if a == 0 && b & 0x80 == 0 {
                    start += 1;
                } else {
                    break;
                }
            }
            let tag = if kind == "UInt64" { 0x7b } else { 0x76 };
            wrap(tag, body.get(start..).unwrap_or(&body))
        }
        _ => return Err(bad()),
    })
}

// ---------------------------------------------------------------------------
// The store

/// A read-only [`Mib`] replaying recorded instances.
///
/// Built from [`Record`]s (or parsed straight from a file's text with
/// [`parse`](Self::parse)); the records are sorted, so files need not be.
/// Serving:
///
/// * GET answers the recorded value; a recorded exception is answered as
///   that exception (`endOfMibView`, which a GET cannot return, as
///   `noSuchObject`). A name not recorded is `noSuchInstance` when a
///   neighbouring record shares all of its name but the last arc with a
///   prefix of the request (so `sysName.1` next to `sysName.0`, or row 9 of
///   a recorded column), else `noSuchObject`: without the MIB module the
///   object types are not known.
/// * GETNEXT and GETBULK answer the next recorded instance, skipping
///   recorded exceptions.
/// * SET is refused with notWritable (the [`Mib`] defaults).
///
/// A recorded NULL is served as recorded by GETNEXT; a GET of it makes the
/// agent answer genErr, since NULL is not a value an agent may return.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct RecordedMib {
    /// Every name's arcs, back to back, in order.
    arcs: Vec<u32>,
    /// `offsets[i]..offsets[i + 1]` is the i-th name in `arcs`.
    offsets: Vec<u32>,
    values: Vec<Value>,
}

impl fmt::Debug for RecordedMib {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordedMib")
            .field("records", &self.len())
            .finish_non_exhaustive()
    }
}

impl RecordedMib {
    /// An empty store.
    pub fn new() -> Self {
        Self {
            arcs: Vec::new(),
            offsets: vec![0],
            values: Vec::new(),
        }
    }

    /// Parses a recording and builds the store.
    pub fn parse(format: RecordingFormat, text: &str) -> Result<Self, RecordingError> {
        Self::from_records(format.parse(text)?)
    }

    /// Parses a recording file's bytes (UTF-8, or else Latin-1 as snmpsim
    /// reads it, see [`RecordingFormat::parse_bytes`]) and builds the store.
    pub fn parse_bytes(format: RecordingFormat, bytes: &[u8]) -> Result<Self, RecordingError> {
        Self::from_records(format.parse_bytes(bytes)?)
    }

    /// Builds the store from records in any order. The same OID twice is an
    /// error naming the second record's line.
    pub fn from_records(records: impl IntoIterator<Item = Record>) -> Result<Self, RecordingError> {
        let mut records: Vec<Record> = records.into_iter().collect();
        records.sort_by(|a, b| a.oid.cmp(&b.oid).then(a.line.cmp(&b.line)));
        let mut mib = Self::new();
        let total: usize = records.iter().map(|r| r.oid.len()).sum();
        mib.arcs.reserve_exact(total);
        mib.offsets.reserve_exact(records.len());
        mib.values.reserve_exact(records.len());
        let mut previous: Option<(usize, usize)> = None; // (index, line)
        for record in records {
            if let Some((index, first_line)) = previous {
                if mib.name(index) == record.oid.arcs() {
                    return Err(error(
                        record.line,
                        RecordingErrorKind::Duplicate {
                            oid: record.oid,
                            first_line,
                        },
                    ));
                }
            }
            mib.arcs.extend_from_slice(record.oid.arcs());
            let end = u32::try_from(mib.arcs.len())
                .map_err(|_| error(record.line, RecordingErrorKind::TooLarge))?;
            mib.offsets.push(end);
            mib.values.push(record.value);
            previous = Some((mib.values.len() - 1, record.line));
        }
        Ok(mib)
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there is no record.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The records in OID order, as (arcs, value).
    pub fn iter(&self) -> impl Iterator<Item = (&[u32], &Value)> + '_ {
        (0..self.len()).map(move |i| (self.name(i), self.value_at(i)))
    }

    /// The recorded value of exactly `oid`.
    pub fn value(&self, oid: &[u32]) -> Option<&Value> {
        let i = self.lower_bound(oid);
        (i < self.len() && self.name(i) == oid).then(|| self.value_at(i))
    }

    /// The records as `.snmprec` text (see [`write_snmprec`]).
    pub fn to_snmprec(&self) -> String {
        write_snmprec(self.iter())
    }

    fn name(&self, i: usize) -> &[u32] {
        let start = self.offsets.get(i).copied().unwrap_or(0) as usize;
        let end = self.offsets.get(i + 1).copied().unwrap_or(0) as usize;
        self.arcs.get(start..end).unwrap_or(&[])
    }

    fn value_at(&self, i: usize) -> &Value {
        self.values.get(i).unwrap_or(&Value::Null)
    }

    /// Index of the first name ≥ `oid` (`len()` if none).
    fn lower_bound(&self, oid: &[u32]) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.name(mid) < oid {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Index of the first name > `oid`.
    fn upper_bound(&self, oid: &[u32]) -> usize {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.name(mid) <= oid {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }
}

impl Mib for RecordedMib {
    type Undo = ();

    fn get(&self, _: &Context, oid: &[u32]) -> Result<Lookup<'_>, GenErr> {
        let i = self.lower_bound(oid);
        if i < self.len() && self.name(i) == oid {
            return Ok(match self.value_at(i) {
                Value::NoSuchInstance => Lookup::NoSuchInstance,
                Value::NoSuchObject | Value::EndOfMibView => Lookup::NoSuchObject,
                v => Lookup::Value(Cow::Borrowed(v)),
            });
        }
        // Neighbours whose name without its last arc contains the request.
        let near = |j: usize| {
            let n = self.name(j);
            n.split_last()
                .is_some_and(|(_, parent)| parent.len() >= 2 && oid.starts_with(parent))
        };
        let instance = (i > 0 && near(i - 1)) || (i < self.len() && near(i));
        Ok(if instance {
            Lookup::NoSuchInstance
        } else {
            Lookup::NoSuchObject
        })
    }

    fn next(&self, _: &Context, after: &[u32]) -> Result<Option<Found<'_>>, GenErr> {
        let mut i = self.upper_bound(after);
        while i < self.len() {
            let value = self.value_at(i);
            if !value.is_exception() {
                return Ok(Some(Found::borrowed(self.name(i), value)));
            }
            i += 1;
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn oid(s: &str) -> Oid {
        s.parse().unwrap()
    }

    fn one(format: RecordingFormat, text: &str) -> Value {
        let records = format.parse(text).unwrap();
        assert_eq!(records.len(), 1, "{records:?}");
        records.into_iter().next().unwrap().value
    }

    fn rec(text: &str) -> Value {
        one(RecordingFormat::Snmprec, text)
    }

    fn walk(text: &str) -> Value {
        one(RecordingFormat::Snmpwalk, text)
    }

    fn rec_err(text: &str) -> String {
        parse_snmprec(text).unwrap_err().to_string()
    }

    fn walk_err(text: &str) -> String {
        parse_snmpwalk(text).unwrap_err().to_string()
    }

    #[test]
    fn snmprec_every_type() {
        assert_eq!(rec("1.3.6.1.2.1.1.7.0|2|72"), Value::Integer(72));
        assert_eq!(
            rec("1.3.6.1.2.1.1.7.0|2|-2147483648"),
            Value::Integer(i32::MIN)
        );
        assert_eq!(rec("1.3.6.1.2.1.1.5.0|4|core 1|b"), Value::from("core 1|b"));
        assert_eq!(
            rec("1.3.6.1.2.1.1.5.0|4|  padded "),
            Value::from("  padded")
        );
        assert_eq!(rec("1.3.6.1.2.1.1.5.0|4|"), Value::from(""));
        assert_eq!(
            rec("1.3.6.1.2.1.2.2.1.6.1|4x|001A2b3c4d5e"),
            Value::OctetString(vec![0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e])
        );
        assert_eq!(rec("1.3.6.1.2.1.2.2.1.6.1|4x|"), Value::OctetString(vec![]));
        assert_eq!(rec("1.3.6.1.4.1.1.1|5|"), Value::Null);
        assert_eq!(
            rec("1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10"),
            Value::ObjectIdentifier(oid("1.3.6.1.4.1.8072.3.2.10"))
        );
        assert_eq!(
            rec("1.3.6.1.2.1.1.2.0|6|.0.0"),
            Value::ObjectIdentifier(oid("0.0"))
        );
        assert_eq!(
            rec("1.3.6.1.2.1.4.20.1.1.10.0.0.1|64|10.0.0.1"),
            Value::IpAddress(Ipv4Addr::new(10, 0, 0, 1))
        );
        assert_eq!(
            rec("1.3.6.1.2.1.4.20.1.1.10.0.0.1|64x|c0000201"),
            Value::IpAddress(Ipv4Addr::new(192, 0, 2, 1))
        );
        assert_eq!(
            rec("1.3.6.1.2.1.2.2.1.10.1|65|4294967295"),
            Value::Counter32(u32::MAX)
        );
        assert_eq!(
            rec("1.3.6.1.2.1.2.2.1.5.1|66|1000000000"),
            Value::Gauge32(1_000_000_000)
        );
        assert_eq!(
            rec("1.3.6.1.2.1.1.3.0|67|123456"),
            Value::TimeTicks(123_456)
        );
        assert_eq!(
            rec("1.3.6.1.4.1.1.2|68x|9f780441c80000"),
            Value::Opaque(vec![0x9f, 0x78, 4, 0x41, 0xc8, 0, 0])
        );
        assert_eq!(rec("1.3.6.1.4.1.1.2|68|ab"), Value::Opaque(b"ab".to_vec()));
        assert_eq!(
            rec("1.3.6.1.2.1.31.1.1.1.6.1|70|18446744073709551615"),
            Value::Counter64(u64::MAX)
        );
        assert_eq!(rec("1.3.6.1.4.1.1.3|128|"), Value::NoSuchObject);
        assert_eq!(rec("1.3.6.1.4.1.1.3|129|"), Value::NoSuchInstance);
        assert_eq!(rec("1.3.6.1.4.1.1.3|130|ignored"), Value::EndOfMibView);
        // A leading dot, CRLF line ends, spaces around the numbers.
        assert_eq!(rec(".1.3.6.1.4.1.1.4|2| 7 \r\n"), Value::Integer(7));
    }

    /// The forms snmpsim's own data files use and its grammar reads.
    #[test]
    fn snmprec_as_snmpsim_reads_it() {
        // An IpAddress of exactly 4 characters is its raw octets.
        assert_eq!(
            rec("1.3.6.1.2.1.4.20.1.1.74.125.77.125|64|J}M}"),
            Value::IpAddress(Ipv4Addr::new(74, 125, 77, 125))
        );
        assert_eq!(
            rec("1.3.6.1.2.1.4.20.1.2.1|64|32VF"),
            Value::IpAddress(Ipv4Addr::new(0x33, 0x32, 0x56, 0x46))
        );
        // Dotted quads as Python's int() reads the parts.
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|64|010.0.0.1"),
            Value::IpAddress(Ipv4Addr::new(10, 0, 0, 1))
        );
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|64x|0A00000A"),
            Value::IpAddress(Ipv4Addr::new(10, 0, 0, 10))
        );
        // Hex in either case; an odd last digit is a high nibble (pyasn1).
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|4x|ABCDEF"),
            Value::OctetString(vec![0xab, 0xcd, 0xef])
        );
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|4x|abc"),
            Value::OctetString(vec![0xab, 0xc0])
        );
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|68x|9F78"),
            Value::Opaque(vec![0x9f, 0x78])
        );
        // pyasn1 reads hex two characters at a time, each pair through
        // Python's int(), which ignores a space in it.
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|4x| 0a0b"),
            Value::OctetString(vec![0, 0xa0, 0xb0])
        );
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|4x|0a 0b"),
            Value::OctetString(vec![0x0a, 0, 0xb0])
        );
        // NULL and the exceptions with an empty hex or escaped value.
        assert_eq!(rec("1.3.6.1.4.1.1.1|5x|"), Value::Null);
        assert_eq!(rec("1.3.6.1.4.1.1.1|5e|"), Value::Null);
        assert_eq!(rec("1.3.6.1.4.1.1.1|128x|"), Value::NoSuchObject);
        assert_eq!(rec("1.3.6.1.4.1.1.1|130e|"), Value::EndOfMibView);
        // OIDs and addresses in Python's forms.
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|6|1.3.6."),
            Value::ObjectIdentifier(oid("1.3.6"))
        );
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|6|1..3.+6"),
            Value::ObjectIdentifier(oid("1.3.6"))
        );
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|64|1.2.3.-0"),
            Value::IpAddress(Ipv4Addr::new(1, 2, 3, 0))
        );
        // `e`: Python escapes.
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|4e|a\\nb\\x00\\\\\\'\\\"\\t\\r\\a\\b\\f\\v|"),
            Value::OctetString(b"a\nb\0\\'\"\t\r\x07\x08\x0c\x0b|".to_vec())
        );
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|64e|\\x0a\\x00\\x00\\x01"),
            Value::IpAddress(Ipv4Addr::new(10, 0, 0, 1))
        );
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|68e|\\x9fx"),
            Value::Opaque(vec![0x9f, b'x'])
        );
        // An escape cut short by the end of the value is dropped.
        assert_eq!(rec("1.3.6.1.4.1.1.1|4e|ab\\x4"), Value::from("ab"));
        assert_eq!(rec("1.3.6.1.4.1.1.1|4e|"), Value::from(""));
        // Edge numbers, a sign, Python's digit separators.
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|2|2147483647"),
            Value::Integer(i32::MAX)
        );
        assert_eq!(rec("1.3.6.1.4.1.1.1|2|+5"), Value::Integer(5));
        assert_eq!(rec("1.3.6.1.4.1.1.1|2|-0"), Value::Integer(0));
        assert_eq!(rec("1.3.6.1.4.1.1.1|65|1_000"), Value::Counter32(1000));
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|67|4294967295"),
            Value::TimeTicks(u32::MAX)
        );
        assert_eq!(rec("1.3.6.1.4.1.1.1|66|0"), Value::Gauge32(0));
        assert_eq!(rec("1.3.6.1.4.1.1.1|70|0"), Value::Counter64(0));
        // Empty values where the type allows them; trailing whitespace
        // goes with the line end (snmpsim strips lines), leading stays.
        assert_eq!(rec("1.3.6.1.4.1.1.1|4x|"), Value::OctetString(vec![]));
        assert_eq!(rec("1.3.6.1.4.1.1.1|68|"), Value::Opaque(vec![]));
        assert_eq!(rec("1.3.6.1.4.1.1.1|4| a b \t"), Value::from(" a b"));
        assert_eq!(
            rec("1.3.6.1.4.1.1.1|4|caf\u{e9}"),
            Value::OctetString("caf\u{e9}".as_bytes().to_vec())
        );
        // A string ending in a space is written in hex, so it reads back.
        let mib = RecordedMib::from_records([Record {
            line: 1,
            oid: oid("1.3.6.1.4.1.1.1"),
            value: Value::from("a "),
        }])
        .unwrap();
        assert_eq!(mib.to_snmprec(), "1.3.6.1.4.1.1.1|4x|6120\n");
    }

    /// A file that is not UTF-8 is read as Latin-1, as snmpsim reads every
    /// file: each byte of a value as it is in the file.
    #[test]
    fn files_that_are_not_utf8() {
        let values = |format: RecordingFormat, bytes: &[u8]| -> Vec<Value> {
            format
                .parse_bytes(bytes)
                .unwrap()
                .into_iter()
                .map(|r| r.value)
                .collect()
        };
        assert_eq!(
            values(
                RecordingFormat::Snmprec,
                b"1.3.6.1.4.1.1.1|4|caf\xe9 \xa0\n1.3.6.1.4.1.1.2|64|\xc0\xa8\x01\xff\n\
                  1.3.6.1.4.1.1.3|4e|\xe9\\x41\n1.3.6.1.4.1.1.4|68|\x9f\x78\n"
            ),
            [
                Value::OctetString(b"caf\xe9".to_vec()),
                Value::IpAddress(Ipv4Addr::new(192, 168, 1, 255)),
                Value::OctetString(b"\xe9A".to_vec()),
                Value::Opaque(vec![0x9f, 0x78]),
            ]
        );
        assert_eq!(
            values(
                RecordingFormat::Snmpwalk,
                b".1.3.6.1.4.1.1.1 = STRING: \"caf\xe9 \\\"x\\\"\"\n.1.3.6.1.4.1.1.2 = STRING: \xe9t\xe9\n"
            ),
            [
                Value::OctetString(b"caf\xe9 \"x\"".to_vec()),
                Value::OctetString(b"\xe9t\xe9".to_vec()),
            ]
        );
        assert_eq!(
            values(
                RecordingFormat::Sapwalk,
                b"1.3.6.1.4.1.1.1, OctetString, \xe9t\xe9\n"
            ),
            [Value::OctetString(b"\xe9t\xe9".to_vec())]
        );
        // UTF-8 stays UTF-8: the file's bytes.
        assert_eq!(
            values(
                RecordingFormat::Snmprec,
                "1.3.6.1.4.1.1.1|4|caf\u{e9}\n".as_bytes()
            ),
            [Value::OctetString(b"caf\xc3\xa9".to_vec())]
        );
        // Errors keep their line numbers.
        let err = RecordedMib::parse_bytes(
            RecordingFormat::Snmprec,
            b"1.3.6.1.4.1.1.1|4|\xe9\n1.3.x|2|1\n",
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "line 2: invalid OID \"1.3.x\"");
    }

    #[test]
    fn sapwalk_every_type() {
        let text = "\
1.3.6.1.2.1.1.1.0             , OctetString , Hardware: x86, Windows
1.3.6.1.2.1.1.2.0             , ObjectID    , 1.3.6.1.4.1.311.1.1.3.1.1
1.3.6.1.2.1.1.3.0             , TimeTicks   , 200846
# a comment

1.3.6.1.2.1.2.2.1.6.2         , OctetString , 0x000e35D33d53
1.3.6.1.2.1.2.2.1.6.3         , OctetString , 0xabc
1.3.6.1.2.1.2.2.1.8.1         , Integer     , -1
1.3.6.1.2.1.2.2.1.10.1        , Counter     , 4294967295
1.3.6.1.2.1.2.2.1.5.1         , Gauge       , 10000000
1.3.6.1.2.1.4.20.1.1.127.0.0.1, IpAddress   , 127.0.0.1
1.3.6.1.2.1.31.1.1.1.6.1      , Counter64   , 18446744073709551615
";
        let got: Vec<(usize, Value)> = parse_sapwalk(text)
            .unwrap()
            .into_iter()
            .map(|r| (r.line, r.value))
            .collect();
        assert_eq!(
            got,
            [
                (1, Value::from("Hardware: x86, Windows")),
                (2, Value::ObjectIdentifier(oid("1.3.6.1.4.1.311.1.1.3.1.1"))),
                (3, Value::TimeTicks(200_846)),
                (6, Value::OctetString(vec![0, 0x0e, 0x35, 0xd3, 0x3d, 0x53])),
                (7, Value::OctetString(vec![0xab, 0x0c])),
                (8, Value::Integer(-1)),
                (9, Value::Counter32(u32::MAX)),
                (10, Value::Gauge32(10_000_000)),
                (11, Value::IpAddress(Ipv4Addr::new(127, 0, 0, 1))),
                (12, Value::Counter64(u64::MAX)),
            ]
        );
        let err = |t: &str| parse_sapwalk(t).unwrap_err().to_string();
        assert_eq!(
            err("1.3.6.1 OctetString x"),
            "line 1: expected \"OID, TYPE, VALUE\", found \"1.3.6.1 OctetString x\""
        );
        assert_eq!(err("1.3.6.1, Float, 1.5"), "line 1: unknown type \"Float\"");
        assert_eq!(
            err("1.3.6.1, Counter, -1"),
            "line 1: invalid Counter value \"-1\""
        );
        assert_eq!(
            err("1.3.6.1, OctetString, 0xzz"),
            "line 1: invalid OctetString value \"0xzz\""
        );
        assert_eq!(err("1.3.x, Integer, 1"), "line 1: invalid OID \"1.3.x\"");
        assert_eq!(
            RecordingFormat::from_file_name("winxp2.sapwalk"),
            RecordingFormat::Sapwalk
        );
        assert_eq!("SAPWALK".parse(), Ok(RecordingFormat::Sapwalk));
        assert_eq!(RecordingFormat::Sapwalk.to_string(), "sapwalk");
    }

    /// snmpsim's `.snmpwalk` files: `snmpwalk -ObentU` output.
    #[test]
    fn snmpwalk_as_snmpsim_records_it() {
        let text = "\
.1.3.6.1.2.1.1.1.0 = STRING: Linux cray 2.6.37.6-smp #2 SMP i686
.1.3.6.1.2.1.1.3.0 = 121722922
.1.3.6.1.2.1.2.2.1.6.2 = STRING: 0:12:79:62:f9:40
.1.3.6.1.2.1.4.31.1.1.47.1 = Gauge32: 10000 milli-seconds
.1.3.6.1.2.1.4.13.0 = INTEGER: 60 seconds
.1.3.6.1.2.1.25.4.2.1.7.1 = Wrong Type (should be Gauge32 or Unsigned32): INTEGER: 1900
.1.3.6.1.4.1.8072.1.2.1.1.5.0.9.1 = BITS: C0 0 1
.1.3.6.1.4.1.8072.1.2.1.1.5.0.9.2 = BITS: 80 0
.1.3.6.1.4.1.8072.1.2.1.1.5.0.9.3 = BITS: 00 20 10
.1.3.6.1.4.1.8072.1.2.1.1.5.0.9.4 = BITS: 00 20 linkUp(10)
.1.3.6.1.2.1.10.7.9.1.1.509 = BITS:
.1.3.6.1.2.1.3.1.1.2.2.1.172.30.1.30 = Hex-STRING: 00 C0 FF 43 CE 45   [...C.E]
.1.3.6.1.2.1.2.2.1.6.1 = HEX-STRING: 00029929AE3C
.1.3.6.1.2.1.1.5.0 = STRING:
.1.3.6.1.2.1.1.6.0 = string: \"lower case\"
.1.3.6.1.2.1.1.7.0 = TIMETICKS: 5
.1.3.6.1.2.1.1.8.0 = COUNTER32: 7
";
        let got: Vec<Value> = parse_snmpwalk(text)
            .unwrap()
            .into_iter()
            .map(|r| r.value)
            .collect();
        assert_eq!(
            got,
            [
                Value::from("Linux cray 2.6.37.6-smp #2 SMP i686"),
                Value::TimeTicks(121_722_922),
                Value::OctetString(vec![0, 0x12, 0x79, 0x62, 0xf9, 0x40]),
                Value::Gauge32(10_000),
                Value::Integer(60),
                Value::Integer(1900),
                Value::OctetString(vec![0xc0]),
                Value::OctetString(vec![0x80]),
                Value::OctetString(vec![0x00, 0x20]),
                Value::OctetString(vec![0x00, 0x20]),
                Value::OctetString(vec![]),
                Value::OctetString(vec![0, 0xc0, 0xff, 0x43, 0xce, 0x45]),
                Value::OctetString(vec![0, 0x02, 0x99, 0x29, 0xae, 0x3c]),
                Value::from(""),
                Value::from("lower case"),
                Value::TimeTicks(5),
                Value::Counter32(7),
            ]
        );
        assert_eq!(
            walk_err(".1.3.6.1 = BITS: zz"),
            "line 1: invalid BITS value \"zz\""
        );
        assert_eq!(walk_err(".1.3.6.1 = 12x"), "line 1: unknown type \"12x\"");
    }

    #[test]
    fn snmprec_comments_blank_lines_and_line_numbers() {
        let text =
            "# header\n\n1.3.6.1.4.1.1.2|2|2\n   \n  # indented comment\n1.3.6.1.4.1.1.1|2|1\n";
        let records = parse_snmprec(text).unwrap();
        let lines: Vec<usize> = records.iter().map(|r| r.line).collect();
        assert_eq!(lines, [3, 6]);
        assert!(parse_snmprec("").unwrap().is_empty());
        assert!(parse_snmprec("\n\n# only comments\n").unwrap().is_empty());
    }

    #[test]
    fn snmprec_errors() {
        assert_eq!(rec_err("1.3.x|2|5"), "line 1: invalid OID \"1.3.x\"");
        assert_eq!(
            rec_err("\n\n1.3.6.1|2|5\n1|2|5"),
            "line 4: invalid OID \"1\""
        );
        assert_eq!(rec_err("5.3.6|2|5"), "line 1: invalid OID \"5.3.6\"");
        assert_eq!(rec_err("|2|5"), "line 1: invalid OID \"\"");
        assert_eq!(
            rec_err("1.3.6.1 2 5"),
            "line 1: expected OID|TYPE|VALUE, found \"1.3.6.1 2 5\""
        );
        assert_eq!(
            rec_err("1.3.6.1|2"),
            "line 1: expected OID|TYPE|VALUE, found \"1.3.6.1|2\""
        );
        assert_eq!(rec_err("1.3.6.1|3|5"), "line 1: unknown type \"3\"");
        assert_eq!(
            rec_err("1.3.6.1|INTEGER|5"),
            "line 1: unknown type \"INTEGER\""
        );
        assert_eq!(rec_err("1.3.6.1|2x|05"), "line 1: unknown type \"2x\"");
        assert_eq!(rec_err("1.3.6.1|x|05"), "line 1: unknown type \"x\"");
        assert_eq!(
            rec_err("1.3.6.1|99999999999|05"),
            "line 1: unknown type \"99999999999\""
        );
        assert_eq!(
            rec_err("1.3.6.1|2:numeric|min=0"),
            "line 1: this line needs snmpsim's variation module \"numeric\" (type \"2:numeric\"); \
             oxsnmp serves static data only"
        );
        assert_eq!(
            rec_err("1.3.6.1|:multiplex|dir=variation/multiplex"),
            "line 1: this line needs snmpsim's variation module \"multiplex\" (type \":multiplex\"); \
             oxsnmp serves static data only"
        );
        assert_eq!(
            rec_err("1.3.6.1|2|five"),
            "line 1: invalid 2 value \"five\""
        );
        assert_eq!(
            rec_err("1.3.6.1|2|2147483648"),
            "line 1: invalid 2 value \"2147483648\""
        );
        assert_eq!(rec_err("1.3.6.1|2|5_"), "line 1: invalid 2 value \"5_\"");
        assert_eq!(rec_err("1.3.6.1|2|"), "line 1: invalid 2 value \"\"");
        assert_eq!(rec_err("1.3.6.1|67|"), "line 1: invalid 67 value \"\"");
        assert_eq!(rec_err("1.3.6.1|64|"), "line 1: invalid 64 value \"\"");
        assert_eq!(
            rec_err("1.3.6.1|64|J}M}x"),
            "line 1: invalid 64 value \"J}M}x\""
        );
        assert_eq!(
            rec_err("1.3.6.1|64|10.0.0.256"),
            "line 1: invalid 64 value \"10.0.0.256\""
        );
        assert_eq!(
            rec_err("1.3.6.1|64e|\\x0a\\x00"),
            "line 1: invalid 64e value \"\\\\x0a\\\\x00\""
        );
        assert_eq!(
            rec_err("1.3.6.1|4e|a\\qb"),
            "line 1: invalid 4e value \"a\\\\qb\""
        );
        assert_eq!(
            rec_err("1.3.6.1|4e|\\xzz"),
            "line 1: invalid 4e value \"\\\\xzz\""
        );
        assert_eq!(rec_err("1.3.6.1|2e|5"), "line 1: unknown type \"2e\"");
        assert_eq!(rec_err("1.3.6.1|5x|00"), "line 1: invalid 5x value \"00\"");
        assert_eq!(
            rec_err("1.3.6.1|4x|0a   0b"),
            "line 1: invalid 4x value \"0a   0b\""
        );
        assert_eq!(rec_err("1.3.6.1|6x|2b06"), "line 1: unknown type \"6x\"");
        assert_eq!(
            rec_err("1.3.6.1|2|-2147483649"),
            "line 1: invalid 2 value \"-2147483649\""
        );
        assert_eq!(
            rec_err("1.3.6.1|70|18446744073709551616"),
            "line 1: invalid 70 value \"18446744073709551616\""
        );
        assert_eq!(rec_err("1.3.6.1|65|-1"), "line 1: invalid 65 value \"-1\"");
        assert_eq!(
            rec_err("1.3.6.1|66|4294967296"),
            "line 1: invalid 66 value \"4294967296\""
        );
        assert_eq!(
            rec_err("1.3.6.1|67|1.5"),
            "line 1: invalid 67 value \"1.5\""
        );
        assert_eq!(rec_err("1.3.6.1|70|-1"), "line 1: invalid 70 value \"-1\"");
        assert_eq!(
            rec_err("1.3.6.1|4x|abz"),
            "line 1: invalid 4x value \"abz\""
        );
        assert_eq!(rec_err("1.3.6.1|4x|zz"), "line 1: invalid 4x value \"zz\"");
        assert_eq!(
            rec_err("1.3.6.1|64|10.0.0"),
            "line 1: invalid 64 value \"10.0.0\""
        );
        assert_eq!(
            rec_err("1.3.6.1|64x|0a0000"),
            "line 1: invalid 64x value \"0a0000\""
        );
        assert_eq!(
            rec_err("1.3.6.1|6|1.3.x"),
            "line 1: invalid 6 value \"1.3.x\""
        );
        assert_eq!(rec_err("1.3.6.1|6|7"), "line 1: invalid 6 value \"7\"");
        assert_eq!(rec_err("1.3.6.1|5|x"), "line 1: invalid 5 value \"x\"");
        let long = format!("1.3.6.1|2|{}", "9".repeat(100));
        assert_eq!(
            rec_err(&long),
            format!("line 1: invalid 2 value \"{}...\"", "9".repeat(60))
        );
    }

    #[test]
    fn snmpwalk_every_type() {
        let o = ".1.3.6.1.4.1.77777.1 = ";
        let w = |v: &str| walk(&format!("{o}{v}\n"));
        assert_eq!(w("STRING: \"hello\""), Value::from("hello"));
        assert_eq!(
            w("STRING: \"He said \\\"hi\\\" \\\\ back\""),
            Value::from("He said \"hi\" \\ back")
        );
        assert_eq!(w("STRING: \"a\tb\rc\""), Value::from("a\tb\rc"));
        assert_eq!(w("\"\""), Value::from(""));
        assert_eq!(
            w("Hex-STRING: 00 1A 2B 3C 4D 5E "),
            Value::OctetString(vec![0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e])
        );
        assert_eq!(w("INTEGER: -42"), Value::Integer(-42));
        assert_eq!(w("INTEGER: up(1)"), Value::Integer(1));
        assert_eq!(w("INTEGER: minus(-3)"), Value::Integer(-3));
        assert_eq!(w("Counter32: 4294967295"), Value::Counter32(u32::MAX));
        assert_eq!(w("Gauge32: 1000"), Value::Gauge32(1000));
        assert_eq!(w("Unsigned32: 7"), Value::Gauge32(7));
        assert_eq!(
            w("Counter64: 18446744073709551615"),
            Value::Counter64(u64::MAX)
        );
        assert_eq!(
            w("Timeticks: (8640000) 1 day, 0:00:00.00"),
            Value::TimeTicks(8_640_000)
        );
        assert_eq!(w("Timeticks: 42"), Value::TimeTicks(42));
        assert_eq!(
            w("OID: .1.3.6.1.4.1.8072.3.2.10"),
            Value::ObjectIdentifier(oid("1.3.6.1.4.1.8072.3.2.10"))
        );
        assert_eq!(w("OID: .0.0"), Value::ObjectIdentifier(oid("0.0")));
        assert_eq!(
            w("IpAddress: 10.1.2.3"),
            Value::IpAddress(Ipv4Addr::new(10, 1, 2, 3))
        );
        assert_eq!(
            w("Network Address: 0A:01:02:FF"),
            Value::IpAddress(Ipv4Addr::new(10, 1, 2, 255))
        );
        assert_eq!(w("NULL"), Value::Null);
        assert_eq!(w("NULL\r"), Value::Null);
        assert_eq!(w(NO_SUCH_OBJECT), Value::NoSuchObject);
        assert_eq!(w(NO_SUCH_INSTANCE), Value::NoSuchInstance);
        assert_eq!(
            w("Opaque: Float: 1.500000"),
            Value::Opaque(vec![0x9f, 0x78, 4, 0x3f, 0xc0, 0, 0])
        );
        assert_eq!(
            w("Opaque: Double: 0.5"),
            Value::Opaque(vec![0x9f, 0x79, 8, 0x3f, 0xe0, 0, 0, 0, 0, 0, 0])
        );
        assert_eq!(
            w("Opaque: Int64: -1"),
            Value::Opaque(vec![0x9f, 0x7a, 1, 0xff])
        );
        assert_eq!(
            w("Opaque: Int64: 128"),
            Value::Opaque(vec![0x9f, 0x7a, 2, 0, 0x80])
        );
        assert_eq!(
            w("Opaque: Int64: -9223372036854775808"),
            Value::Opaque(vec![0x9f, 0x7a, 8, 0x80, 0, 0, 0, 0, 0, 0, 0])
        );
        assert_eq!(
            w("Opaque: UInt64: 0"),
            Value::Opaque(vec![0x9f, 0x7b, 1, 0])
        );
        assert_eq!(
            w("Opaque: UInt64: 18446744073709551615"),
            Value::Opaque([&[0x9f, 0x7b, 9, 0][..], &[0xff; 8]].concat())
        );
        assert_eq!(
            w("Opaque: Counter64: 300"),
            Value::Opaque(vec![0x9f, 0x76, 2, 1, 0x2c])
        );
        assert_eq!(w("OPAQUE: 01 02 03 "), Value::Opaque(vec![1, 2, 3]));
    }

    #[test]
    fn snmpwalk_multi_line_values() {
        let text = "\
.1.3.6.1.4.1.77777.1 = STRING: \"first line
second \\\"quoted\\\" line

fourth\"
.1.3.6.1.4.1.77777.2 = Hex-STRING: 00 1A 2B 3C 4D 5E 6F 70 81 92 A3 B4 C5 D6 E7 F8 
09 10 11 
.1.3.6.1.4.1.77777.3 = Hex-STRING: FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF FF 
.1.3.6.1.4.1.77777.4 = Hex-STRING: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 
10 11 12 13 14 15 16 17 18 19 1A 1B 1C 1D 1E 1F 
20 
.1.3.6.1.4.1.77777.5 = OPAQUE: 00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 
10 
.1.3.6.1.4.1.77777.6 = INTEGER: 1
";
        let records = parse_snmpwalk(text).unwrap();
        let got: Vec<(usize, Value)> = records.into_iter().map(|r| (r.line, r.value)).collect();
        assert_eq!(
            got,
            [
                (
                    1,
                    Value::from("first line\nsecond \"quoted\" line\n\nfourth")
                ),
                (
                    5,
                    Value::OctetString(vec![
                        0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f, 0x70, 0x81, 0x92, 0xa3, 0xb4, 0xc5,
                        0xd6, 0xe7, 0xf8, 9, 0x10, 0x11
                    ])
                ),
                (7, Value::OctetString(vec![0xff; 16])),
                (8, Value::OctetString((0..=0x20).collect())),
                (11, Value::Opaque((0..=0x10).collect())),
                (13, Value::Integer(1)),
            ]
        );
    }

    #[test]
    fn snmpwalk_skips_walk_trailers_and_keeps_line_numbers() {
        let text = "\
# recorded from router-1

.1.3.6.1.2.1.1.5.0 = STRING: \"router-1\"
.1.3.6.1.2.1.1.5.0 = No more variables left in this MIB View (It is past the end of the MIB tree)
End of MIB
Variables found: 1
.1.3.6.1.2.1.1.6.0 = STRING: \"rack\"\r
";
        let records = parse_snmpwalk(text).unwrap();
        let got: Vec<(usize, Value)> = records.into_iter().map(|r| (r.line, r.value)).collect();
        assert_eq!(
            got,
            [(3, Value::from("router-1")), (7, Value::from("rack"))]
        );
    }

    #[test]
    fn snmpwalk_numeric_styles_without_mibs() {
        // What Net-SNMP prints without MIBs: -OS (its default), -Of/-Ou, -On.
        let text = "\
iso.3.6.1.2.1.1.5.0 = STRING: \"demo\"
.iso.3.6.1.2.1.1.6.0 = STRING: \"rack\"
ccitt.1 = INTEGER: 1
joint-iso-ccitt.5.2 = INTEGER: 2
.joint-iso-ccitt.5.3 = INTEGER: 3
.1.3.6.1.2.1.1.2.0 = OID: iso.3.6.1.4.1.8072.3.2.10
1.3.6.1.2.1.1.9.1.2.1 = OID: .iso.3.6.1.6.3.1
1.3.6.1.2.1.1.9.1.2.2 = OID: ccitt.0
1.3.6.1.2.1.1.9.1.2.3 = OID: .joint-iso-ccitt.1
";
        let got: Vec<(String, Value)> = parse_snmpwalk(text)
            .unwrap()
            .into_iter()
            .map(|r| (r.oid.to_string(), r.value))
            .collect();
        let o = |s: &str| Value::ObjectIdentifier(oid(s));
        assert_eq!(
            got,
            [
                ("1.3.6.1.2.1.1.5.0".to_owned(), Value::from("demo")),
                ("1.3.6.1.2.1.1.6.0".to_owned(), Value::from("rack")),
                ("0.1".to_owned(), Value::Integer(1)),
                ("2.5.2".to_owned(), Value::Integer(2)),
                ("2.5.3".to_owned(), Value::Integer(3)),
                ("1.3.6.1.2.1.1.2.0".to_owned(), o("1.3.6.1.4.1.8072.3.2.10")),
                ("1.3.6.1.2.1.1.9.1.2.1".to_owned(), o("1.3.6.1.6.3.1")),
                ("1.3.6.1.2.1.1.9.1.2.2".to_owned(), o("0.0")),
                ("1.3.6.1.2.1.1.9.1.2.3".to_owned(), o("2.1")),
            ]
        );
        // A root name alone is one arc, and other labels are names.
        assert_eq!(walk_err("iso = INTEGER: 1"), "line 1: \"iso\" is a name: this walk was printed with MIBs; read it with MIBs loaded (`oxsnmp agent` loads them as the other subcommands do), or record with `oxsnmp record` or `snmpwalk -On -Ox -m ''`");
        assert!(walk_err("iso.3.x = INTEGER: 1").contains("\"iso.3.x\" is a name"));
        assert!(walk_err("isoo.3.6 = INTEGER: 1").contains("\"isoo.3.6\" is a name"));
        assert!(walk_err(".1.3.6.1.2.1.1.2.0 = OID: iso.3.x").contains("\"iso.3.x\" is a name"));
        assert_eq!(
            walk_err(".1.3.6.1.2.1.1.2.0 = OID: 1.3.x"),
            "line 1: invalid OID value \"1.3.x\""
        );
        assert!(
            walk_err(".1.3.6.1.2.1.1.2.0 = OID: SNMPv2-SMI::enterprises.8072")
                .contains("\"SNMPv2-SMI::enterprises.8072\" is a name")
        );
    }

    /// A stand-in for the MIB library: one name, one hinted object whose
    /// printed form is upper-case, one object with units.
    struct FakeMibs;

    impl WalkMibs for FakeMibs {
        fn resolve(&self, name: &str) -> Result<Oid, String> {
            match name {
                "TEST-MIB::thing.0" | "thing.0" => Ok(oid("1.3.6.1.4.1.9.1.0")),
                "TEST-MIB::loud.0" => Ok(oid("1.3.6.1.4.1.9.2.0")),
                "TEST-MIB::timed.0" => Ok(oid("1.3.6.1.4.1.9.3.0")),
                _ => match name.strip_prefix("TEST-MIB::ent.") {
                    Some(rest) => Ok(oid(&format!("1.3.6.1.4.1.{rest}"))),
                    None => Err(format!("Unknown Object Identifier ({name})")),
                },
            }
        }

        fn units(&self, instance: &Oid) -> Option<String> {
            (instance.arcs() == [1, 3, 6, 1, 4, 1, 9, 3, 0]).then(|| "milli-seconds".to_owned())
        }

        fn read_value(
            &self,
            _name: &str,
            instance: &Oid,
            label: &str,
            text: &[u8],
        ) -> Option<Result<Value, String>> {
            if instance.arcs() != [1, 3, 6, 1, 4, 1, 9, 2, 0] || label != "STRING" {
                return None;
            }
            if text.iter().any(u8::is_ascii_lowercase) {
                return Some(Err("prints in capitals".to_owned()));
            }
            Some(Ok(Value::OctetString(text.to_ascii_lowercase())))
        }
    }

    #[test]
    fn snmpwalk_with_mibs() {
        let text = "\
TEST-MIB::thing.0 = OID: TEST-MIB::ent.8072
TEST-MIB::timed.0 = INTEGER: up(1)
TEST-MIB::loud.0 = STRING: AB CD \r
iso.3.6.1.4.1.9.5.0 = Gauge32: 250 milli-seconds
iso.3.6.1.4.1.9.4.0 = STRING: \"plain\"
";
        let got: Vec<(String, Value)> = parse_snmpwalk_with(text, &FakeMibs)
            .unwrap()
            .into_iter()
            .map(|r| (r.oid.to_string(), r.value))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "1.3.6.1.4.1.9.1.0".to_owned(),
                    Value::ObjectIdentifier(oid("1.3.6.1.4.1.8072"))
                ),
                ("1.3.6.1.4.1.9.3.0".to_owned(), Value::Integer(1)),
                // Trailing space kept, the \r dropped.
                ("1.3.6.1.4.1.9.2.0".to_owned(), Value::from("ab cd ")),
                // Units only dropped where the MIB names them: a bare
                // number followed by words still reads as before.
                ("1.3.6.1.4.1.9.5.0".to_owned(), Value::Gauge32(250)),
                ("1.3.6.1.4.1.9.4.0".to_owned(), Value::from("plain")),
            ]
        );
        let refused = parse_snmpwalk_with("TEST-MIB::loud.0 = STRING: ab\n", &FakeMibs)
            .unwrap_err()
            .to_string();
        assert_eq!(
            refused,
            "line 1: STRING value \"ab\" cannot be read back exactly (prints in capitals); \
             record with `oxsnmp record` or `snmpwalk -On -Ox -m ''`"
        );
        let unknown = parse_snmpwalk_with("IF-MIB::ifDescr.1 = STRING: x\n", &FakeMibs)
            .unwrap_err()
            .to_string();
        assert!(
            unknown.starts_with(
                "line 1: cannot resolve \"IF-MIB::ifDescr.1\" (Unknown Object Identifier (IF-MIB::ifDescr.1)); load the MIBs"
            ),
            "{unknown}"
        );
        // A raw string's text going on over the next line, blank or not.
        for more in ["\n", "more text\n", "# more\n"] {
            let text = format!("TEST-MIB::loud.0 = STRING: AB\n{more}thing.0 = INTEGER: 1\n");
            let err = parse_snmpwalk_with(&text, &FakeMibs).unwrap_err();
            assert_eq!(
                (err.line, &err.kind),
                (1, &RecordingErrorKind::RawStringContinues(2)),
                "{more:?}"
            );
        }
        // Quoted strings end at their quote; without MIBs nothing changes.
        let text = "iso.3.6.1.4.1.9.4.0 = STRING: \"a\nb\"\n\nthing.0 = INTEGER: 1\n";
        assert_eq!(parse_snmpwalk_with(text, &FakeMibs).unwrap().len(), 2);
        assert_eq!(
            parse_snmpwalk("iso.3.6.1.2.1.1.5.0 = STRING: x\n\n")
                .unwrap()
                .len(),
            1
        );
        // Units the MIB names, on a counter.
        let v = parse_snmpwalk_with(
            "TEST-MIB::timed.0 = Counter32: 7 milli-seconds\n",
            &FakeMibs,
        )
        .unwrap();
        assert_eq!(v[0].value, Value::Counter32(7));
    }

    #[test]
    fn snmpwalk_errors() {
        assert_eq!(
            walk_err(".1.3.x = INTEGER: 1"),
            "line 1: invalid OID \".1.3.x\""
        );
        assert_eq!(
            walk_err("\n.1.3.6.1 = INTEGER: 1\nSNMPv2-MIB::sysName.0 = STRING: x"),
            "line 3: \"SNMPv2-MIB::sysName.0\" is a name: this walk was printed with MIBs; \
             read it with MIBs loaded (`oxsnmp agent` loads them as the other subcommands do), \
             or record with `oxsnmp record` or `snmpwalk -On -Ox -m ''`"
        );
        assert_eq!(
            walk_err("garbage"),
            "line 1: expected \"OID = TYPE: VALUE\", found \"garbage\""
        );
        assert_eq!(
            walk_err(".1.3.6.1 = Wrong: 1"),
            "line 1: unknown type \"Wrong\""
        );
        assert_eq!(
            walk_err(".1.3.6.1 = something"),
            "line 1: unknown type \"something\""
        );
        assert_eq!(
            walk_err(".1.3.6.1 = INTEGER: x"),
            "line 1: invalid INTEGER value \"x\""
        );
        assert_eq!(
            walk_err(".1.3.6.1 = INTEGER: up(x)"),
            "line 1: invalid INTEGER value \"up(x)\""
        );
        assert_eq!(
            walk_err(".1.3.6.1 = Counter32: -1"),
            "line 1: invalid Counter32 value \"-1\""
        );
        assert_eq!(
            walk_err(".1.3.6.1 = Gauge32: 4294967296"),
            "line 1: invalid Gauge32 value \"4294967296\""
        );
        assert_eq!(
            walk_err(".1.3.6.1 = Counter64: 1e3"),
            "line 1: invalid Counter64 value \"1e3\""
        );
        assert_eq!(
            walk_err(".1.3.6.1 = Timeticks: (12 0:00:00.12"),
            "line 1: invalid Timeticks value \"(12 0:00:00.12\""
        );
        assert_eq!(
            walk_err(".1.3.6.1 = OID: 1.x"),
            "line 1: invalid OID value \"1.x\""
        );
        assert_eq!(
            walk_err(".1.3.6.1 = IpAddress: 1.2.3"),
            "line 1: invalid IpAddress value \"1.2.3\""
        );
        assert_eq!(
            walk_err(".1.3.6.1 = Network Address: 0A:01:02"),
            "line 1: invalid Network Address value \"0A:01:02\""
        );
        assert_eq!(
            walk_err(".1.3.6.1 = Hex-STRING: 0A 1"),
            "line 1: invalid Hex-STRING value \"0A 1\""
        );
        assert_eq!(
            walk_err(".1.3.6.1 = OPAQUE: zz"),
            "line 1: invalid OPAQUE value \"zz\""
        );
        assert_eq!(
            walk_err(".1.3.6.1 = Opaque: Float: abc"),
            "line 1: invalid Opaque value \"Float: abc\""
        );
        assert_eq!(
            walk_err(".1.3.6.1 = Opaque: Weird: 1"),
            "line 1: invalid Opaque value \"Weird: 1\""
        );

        assert_eq!(
            walk_err(".1.3.6.1 = INTEGER: 1\n.1.3.6.2 = STRING: \"open\nstill open\n"),
            "line 2: string not terminated (no closing quote before the end of the file)"
        );
        assert_eq!(
            walk_err(".1.3.6.1 = STRING: \"a\" b"),
            "line 1: unexpected text after the closing quote: \"b\""
        );
    }

    #[test]
    fn duplicates_and_order() {
        let err = RecordedMib::parse(
            RecordingFormat::Snmprec,
            "1.3.6.1.4.1.1.2|2|1\n1.3.6.1.4.1.1.1|2|1\n# x\n1.3.6.1.4.1.1.2|2|3\n",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 4: duplicate OID 1.3.6.1.4.1.1.2 (first recorded on line 1)"
        );
        let mib = RecordedMib::parse(
            RecordingFormat::Snmprec,
            "1.3.6.1.4.1.1.10|2|10\n1.3.6.1.4.1.1.9|2|9\n1.3.6.1.4.1.1.9.1|2|91\n",
        )
        .unwrap();
        let names: Vec<&[u32]> = mib.iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            [
                &[1, 3, 6, 1, 4, 1, 1, 9][..],
                &[1, 3, 6, 1, 4, 1, 1, 9, 1],
                &[1, 3, 6, 1, 4, 1, 1, 10]
            ]
        );
    }

    #[test]
    fn serving_get_and_next() {
        let mib = RecordedMib::parse(
            RecordingFormat::Snmprec,
            "\
1.3.6.1.2.1.1.5.0|4|name
1.3.6.1.2.1.2.2.1.2.1|4|lo
1.3.6.1.2.1.2.2.1.2.2|4|eth0
1.3.6.1.2.1.2.2.1.3.1|2|24
1.3.6.1.4.1.1.1|128|
1.3.6.1.4.1.1.2|129|
1.3.6.1.4.1.1.3|130|
1.3.6.1.4.1.1.4|5|
",
        )
        .unwrap();
        let ctx = Context::new(Instant::now());
        let get = |s: &str| mib.get(&ctx, oid(s).arcs()).unwrap();
        assert_eq!(
            get("1.3.6.1.2.1.1.5.0"),
            Lookup::Value(Cow::Owned(Value::from("name")))
        );
        assert_eq!(get("1.3.6.1.2.1.1.5.1"), Lookup::NoSuchInstance);
        assert_eq!(get("1.3.6.1.2.1.2.2.1.2.9"), Lookup::NoSuchInstance);
        assert_eq!(get("1.3.6.1.2.1.2.2.1.2.0"), Lookup::NoSuchInstance);
        assert_eq!(get("1.3.6.1.2.1.2.2.1.3.7"), Lookup::NoSuchInstance);
        assert_eq!(get("1.3.6.1.2.1.1.99.0"), Lookup::NoSuchObject);
        assert_eq!(get("1.3.6.1.2.1.1"), Lookup::NoSuchObject);
        assert_eq!(get("1.3.6.1.9"), Lookup::NoSuchObject);
        assert_eq!(get("1.3.6.1.4.1.1.1"), Lookup::NoSuchObject);
        assert_eq!(get("1.3.6.1.4.1.1.2"), Lookup::NoSuchInstance);
        assert_eq!(get("1.3.6.1.4.1.1.3"), Lookup::NoSuchObject);
        assert_eq!(
            get("1.3.6.1.4.1.1.4"),
            Lookup::Value(Cow::Owned(Value::Null))
        );

        // A walk from the start: in order, exceptions skipped.
        let mut cursor = vec![0u32, 0];
        let mut seen = Vec::new();
        while let Some(f) = mib.next(&ctx, &cursor).unwrap() {
            assert!(f.oid.as_ref() > cursor.as_slice());
            cursor = f.oid.to_vec();
            seen.push(Oid::from_slice(&cursor).unwrap().to_string());
        }
        assert_eq!(
            seen,
            [
                "1.3.6.1.2.1.1.5.0",
                "1.3.6.1.2.1.2.2.1.2.1",
                "1.3.6.1.2.1.2.2.1.2.2",
                "1.3.6.1.2.1.2.2.1.3.1",
                "1.3.6.1.4.1.1.4"
            ]
        );
        // From inside, between and past the records.
        let next = |s: &str| {
            mib.next(&ctx, oid(s).arcs())
                .unwrap()
                .map(|f| Oid::from_slice(&f.oid).unwrap().to_string())
        };
        assert_eq!(
            next("1.3.6.1.2.1.2.2.1.2.1").as_deref(),
            Some("1.3.6.1.2.1.2.2.1.2.2")
        );
        assert_eq!(
            next("1.3.6.1.2.1.2.2.1.2.1.5").as_deref(),
            Some("1.3.6.1.2.1.2.2.1.2.2")
        );
        assert_eq!(
            next("1.3.6.1.2.1.2.2.1.2.3").as_deref(),
            Some("1.3.6.1.2.1.2.2.1.3.1")
        );
        assert_eq!(next("1.3.6.1.4.1.1.4"), None);
        assert_eq!(next("2.0"), None);
        assert!(mib
            .test_set(
                &ctx,
                oid("1.3.6.1.2.1.1.5.0").arcs(),
                &crate::ValueRef::Integer(1)
            )
            .is_err());
        assert_eq!(
            mib.value(oid("1.3.6.1.2.1.2.2.1.3.1").arcs()),
            Some(&Value::Integer(24))
        );
        assert_eq!(mib.value(oid("1.3.6.1.2.1.2.2.1.3.2").arcs()), None);
        let empty = RecordedMib::new();
        assert!(empty.is_empty());
        assert_eq!(empty.next(&ctx, &[0, 0]).unwrap(), None);
        assert_eq!(empty.get(&ctx, &[1, 3]).unwrap(), Lookup::NoSuchObject);
        assert_eq!(RecordedMib::default().next(&ctx, &[0, 0]).unwrap(), None);
    }

    #[test]
    fn snmprec_round_trip_and_formats() {
        let text = "\
1.3.6.1.4.1.1.1|2|-5
1.3.6.1.4.1.1.2|4|plain text | with bar
1.3.6.1.4.1.1.3|4x|00ff0a
1.3.6.1.4.1.1.4|5|
1.3.6.1.4.1.1.5|6|1.3.6.1.4.1.8072
1.3.6.1.4.1.1.6|64|192.0.2.1
1.3.6.1.4.1.1.7|65|1
1.3.6.1.4.1.1.8|66|2
1.3.6.1.4.1.1.9|67|3
1.3.6.1.4.1.1.10|68x|9f780441c80000
1.3.6.1.4.1.1.11|70|12345678901234
1.3.6.1.4.1.1.12|129|
";
        let mib = RecordedMib::parse(RecordingFormat::Snmprec, text).unwrap();
        let again = RecordedMib::parse(RecordingFormat::Snmprec, &mib.to_snmprec()).unwrap();
        assert_eq!(again, mib);
        assert_eq!(again.len(), 12);
        assert_eq!(
            RecordingFormat::from_file_name("dev.SNMPREC"),
            RecordingFormat::Snmprec
        );
        assert_eq!(
            RecordingFormat::from_file_name("dev.walk"),
            RecordingFormat::Snmpwalk
        );
        assert_eq!("snmpwalk".parse(), Ok(RecordingFormat::Snmpwalk));
        assert_eq!("SnmpRec".parse(), Ok(RecordingFormat::Snmprec));
        assert_eq!(
            "csv".parse::<RecordingFormat>().unwrap_err().to_string(),
            "unknown recording format \"csv\" (expected snmprec, snmpwalk or sapwalk)"
        );
        assert_eq!(RecordingFormat::Snmprec.to_string(), "snmprec");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Lines built from the pieces both formats use, so the parsers get
        /// deep into their branches, not only the first check.
        fn piece() -> impl Strategy<Value = String> {
            prop_oneof![
                Just("1.3.6.1.2.1.1.5.0".to_owned()),
                Just(".1.3.6.1.4.1.9".to_owned()),
                Just("|".to_owned()),
                Just(" = ".to_owned()),
                Just(": ".to_owned()),
                Just("\"".to_owned()),
                Just("\\".to_owned()),
                Just("\n".to_owned()),
                Just("\r".to_owned()),
                Just("4x".to_owned()),
                Just("STRING".to_owned()),
                Just("Hex-STRING".to_owned()),
                Just("Opaque: Int64".to_owned()),
                Just("Timeticks: (".to_owned()),
                Just("00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF ".to_owned()),
                "[0-9]{1,12}",
                "[ -~]{0,8}",
                any::<String>().prop_map(|s| s.chars().take(6).collect()),
            ]
        }

        fn value() -> impl Strategy<Value = Value> {
            prop_oneof![
                any::<i32>().prop_map(Value::Integer),
                proptest::collection::vec(any::<u8>(), 0..40).prop_map(Value::OctetString),
                "[ -~]{0,30}".prop_map(|s| Value::from(s.as_str())),
                Just(Value::Null),
                proptest::collection::vec(any::<u32>(), 1..12).prop_map(|mut a| {
                    a.insert(0, 1);
                    a[1] %= 40;
                    Value::ObjectIdentifier(Oid::from_arcs(a).unwrap())
                }),
                any::<[u8; 4]>().prop_map(|a| Value::IpAddress(Ipv4Addr::from(a))),
                any::<u32>().prop_map(Value::Counter32),
                any::<u32>().prop_map(Value::Gauge32),
                any::<u32>().prop_map(Value::TimeTicks),
                proptest::collection::vec(any::<u8>(), 0..20).prop_map(Value::Opaque),
                any::<u64>().prop_map(Value::Counter64),
                Just(Value::NoSuchObject),
                Just(Value::NoSuchInstance),
                Just(Value::EndOfMibView),
            ]
        }

        proptest! {
            #[test]
            fn parsers_never_panic(
                lines in proptest::collection::vec(proptest::collection::vec(piece(), 0..8), 0..12),
                raw in any::<String>(),
            ) {
                let text: String = lines.iter().map(|l| l.concat() + "\n").collect();
                for t in [text.as_str(), raw.as_str()] {
                    for format in [RecordingFormat::Snmprec, RecordingFormat::Snmpwalk] {
                        if let Ok(records) = format.parse(t) {
                            for r in &records {
                                prop_assert!(r.line >= 1 && r.line <= t.split('\n').count());
                                prop_assert!(valid_oid(r.oid.arcs()));
                            }
                            let _ = RecordedMib::from_records(records);
                        }
                        if let Err(e) = format.parse(t) {
                            prop_assert!(e.line >= 1 && e.line <= t.split('\n').count());
                        }
                    }
                }
            }

            #[test]
            fn bytes_never_panic(
                bytes in proptest::collection::vec(any::<u8>(), 0..300),
                prefix in prop_oneof![
                    Just(&b"1.3.6.1.4.1.1|4|"[..]),
                    Just(&b"1.3.6.1.4.1.1|64|"[..]),
                    Just(&b"1.3.6.1.4.1.1|4e|"[..]),
                    Just(&b".1.3.6.1.4.1.1 = STRING: \""[..]),
                    Just(&b"1.3.6.1.4.1.1, OctetString, "[..]),
                ],
            ) {
                let mut input = prefix.to_vec();
                input.extend_from_slice(&bytes);
                for format in [RecordingFormat::Snmprec, RecordingFormat::Snmpwalk, RecordingFormat::Sapwalk] {
                    match format.parse_bytes(&input) {
                        Ok(records) => {
                            for r in &records {
                                prop_assert!(valid_oid(r.oid.arcs()));
                            }
                        }
                        Err(e) => prop_assert!(e.line >= 1),
                    }
                }
            }

            #[test]
            fn snmprec_round_trip(values in proptest::collection::vec(value(), 0..30)) {
                let records: Vec<Record> = values
                    .into_iter()
                    .zip(1u32..)
                    .map(|(value, i)| Record {
                        line: i as usize,
                        oid: Oid::from_arcs(vec![1, 3, 6, 1, 4, 1, 32473, i]).unwrap(),
                        value,
                    })
                    .collect();
                let mib = RecordedMib::from_records(records.clone()).unwrap();
                let text = mib.to_snmprec();
                let back = parse_snmprec(&text).unwrap();
                prop_assert_eq!(back.len(), records.len());
                for (a, b) in back.iter().zip(&records) {
                    prop_assert_eq!(&a.oid, &b.oid);
                    prop_assert_eq!(&a.value, &b.value);
                }
            }
        }
    }
}
