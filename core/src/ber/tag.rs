//! BER identifier octets used by SNMP (RFC 3416 §3, RFC 2578 §7.1).

/// INTEGER / Integer32.
pub const INTEGER: u8 = 0x02;
/// OCTET STRING.
pub const OCTET_STRING: u8 = 0x04;
/// NULL.
pub const NULL: u8 = 0x05;
/// OBJECT IDENTIFIER.
pub const OBJECT_IDENTIFIER: u8 = 0x06;
/// SEQUENCE (constructed).
pub const SEQUENCE: u8 = 0x30;
/// IpAddress, `[APPLICATION 0]`.
pub const IP_ADDRESS: u8 = 0x40;
/// Counter32, `[APPLICATION 1]`.
pub const COUNTER32: u8 = 0x41;
/// Gauge32 / Unsigned32, `[APPLICATION 2]`.
pub const GAUGE32: u8 = 0x42;
/// TimeTicks, `[APPLICATION 3]`.
pub const TIMETICKS: u8 = 0x43;
/// Opaque, `[APPLICATION 4]`.
pub const OPAQUE: u8 = 0x44;
/// Counter64, `[APPLICATION 6]`.
pub const COUNTER64: u8 = 0x46;
/// noSuchObject exception, `[0] IMPLICIT NULL`.
pub const NO_SUCH_OBJECT: u8 = 0x80;
/// noSuchInstance exception, `[1] IMPLICIT NULL`.
pub const NO_SUCH_INSTANCE: u8 = 0x81;
/// endOfMibView exception, `[2] IMPLICIT NULL`.
pub const END_OF_MIB_VIEW: u8 = 0x82;
