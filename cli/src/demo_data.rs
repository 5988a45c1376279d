//! The built-in demo dataset: what `oxsnmp agent` serves without `--data`
//! and what `oxsnmp demo` walks.
//!
//! * the `system` group (served by the agent from [`system`]): sysDescr
//!   `oxsnmp demo agent`, sysObjectID under the documentation enterprise
//!   number 32473 (RFC 5612), sysContact, sysName and sysLocation writable;
//! * IF-MIB under its real numbers: ifNumber, ifTable (1.3.6.1.2.1.2.2.1)
//!   with ifIndex, ifDescr, ifType, ifMtu, ifSpeed, ifPhysAddress,
//!   ifAdminStatus (read-write, up(1)/down(2)/testing(3)), ifOperStatus,
//!   ifInOctets and ifOutOctets for four interfaces, and ifXTable
//!   (1.3.6.1.2.1.31.1.1.1) with ifName, ifHCInOctets and ifHCOutOctets
//!   (Counter64, hidden from SNMPv1) and ifAlias (read-write).
//!
//! The values are fixed, so two walks print the same (sysUpTime aside).
//! MAC addresses come from the documentation range 00-00-5E-00-53-xx
//! (RFC 7042).

use oxsnmp_core::agent::{Column, MaxAccess, MemoryMib, RegisterError, Syntax, SystemInfo};
use oxsnmp_core::{Oid, Value};

/// sysDescr.
pub const SYS_DESCR: &str = "oxsnmp demo agent";
/// sysObjectID: the RFC 5612 documentation enterprise, `.1`.
pub const SYS_OBJECT_ID: Oid = Oid::from_static(&[1, 3, 6, 1, 4, 1, 32473, 1]);

/// ifNumber.0's object.
pub const IF_NUMBER: Oid = Oid::from_static(&[1, 3, 6, 1, 2, 1, 2, 1]);
/// ifTable's ifEntry.
pub const IF_ENTRY: Oid = Oid::from_static(&[1, 3, 6, 1, 2, 1, 2, 2, 1]);
/// ifXTable's ifXEntry.
pub const IF_X_ENTRY: Oid = Oid::from_static(&[1, 3, 6, 1, 2, 1, 31, 1, 1, 1]);

/// ifEntry column numbers (IF-MIB).
pub mod if_column {
    /// ifIndex.
    pub const INDEX: u32 = 1;
    /// ifDescr.
    pub const DESCR: u32 = 2;
    /// ifType.
    pub const TYPE: u32 = 3;
    /// ifMtu.
    pub const MTU: u32 = 4;
    /// ifSpeed.
    pub const SPEED: u32 = 5;
    /// ifPhysAddress.
    pub const PHYS_ADDRESS: u32 = 6;
    /// ifAdminStatus.
    pub const ADMIN_STATUS: u32 = 7;
    /// ifOperStatus.
    pub const OPER_STATUS: u32 = 8;
    /// ifInOctets.
    pub const IN_OCTETS: u32 = 10;
    /// ifOutOctets.
    pub const OUT_OCTETS: u32 = 16;
}

/// ifXEntry column numbers (IF-MIB).
pub mod if_x_column {
    /// ifName.
    pub const NAME: u32 = 1;
    /// ifHCInOctets.
    pub const HC_IN_OCTETS: u32 = 6;
    /// ifHCOutOctets.
    pub const HC_OUT_OCTETS: u32 = 10;
    /// ifAlias.
    pub const ALIAS: u32 = 18;
}

/// One demo interface.
struct Interface {
    index: u32,
    name: &'static str,
    /// IANAifType: softwareLoopback(24), ethernetCsmacd(6), ieee80211(71).
    if_type: i32,
    mtu: i32,
    speed: u32,
    mac: &'static [u8],
    admin: i32,
    oper: i32,
    in_octets: u64,
    out_octets: u64,
    alias: &'static str,
}

const INTERFACES: [Interface; 4] = [
    Interface {
        index: 1,
        name: "lo",
        if_type: 24,
        mtu: 65536,
        speed: 10_000_000,
        mac: &[],
        admin: 1,
        oper: 1,
        in_octets: 1_234_567,
        out_octets: 1_234_567,
        alias: "",
    },
    Interface {
        index: 2,
        name: "eth0",
        if_type: 6,
        mtu: 1500,
        speed: 1_000_000_000,
        mac: &[0x00, 0x00, 0x5e, 0x00, 0x53, 0x01],
        admin: 1,
        oper: 1,
        // Past 2^32: ifInOctets shows the wrapped value, ifHCInOctets all of it.
        in_octets: 123_456_789_012,
        out_octets: 98_765_432_109,
        alias: "uplink",
    },
    Interface {
        index: 3,
        name: "eth1",
        if_type: 6,
        mtu: 9000,
        speed: 1_000_000_000,
        mac: &[0x00, 0x00, 0x5e, 0x00, 0x53, 0x02],
        admin: 1,
        oper: 2,
        in_octets: 0,
        out_octets: 0,
        alias: "",
    },
    Interface {
        index: 4,
        name: "wlan0",
        if_type: 71,
        mtu: 1500,
        speed: 54_000_000,
        mac: &[0x00, 0x00, 0x5e, 0x00, 0x53, 0x03],
        admin: 2,
        oper: 2,
        in_octets: 5_000_000,
        out_octets: 750_000,
        alias: "guest network",
    },
];

/// The demo agent's `system` group, writable.
pub fn system() -> SystemInfo {
    SystemInfo::new(SYS_DESCR)
        .object_id(SYS_OBJECT_ID)
        .contact("admin@example.org")
        .name("demo")
        .location("the oxsnmp demo rack")
        .writable(true)
}

/// The demo dataset's MIB (everything but the `system` group, which the
/// agent serves from [`system`]).
pub fn mib() -> Result<MemoryMib, RegisterError> {
    use if_column as c;
    use if_x_column as x;
    let mut mib = MemoryMib::new();
    mib.add_scalar(IF_NUMBER, Value::Integer(INTERFACES.len() as i32))?;
    let if_table = mib.add_table(
        IF_ENTRY,
        [
            Column::new(c::INDEX, Syntax::integer_range(1, i32::MAX)),
            Column::new(c::DESCR, Syntax::display_string()),
            Column::new(c::TYPE, Syntax::integer()),
            Column::new(c::MTU, Syntax::integer()),
            Column::new(c::SPEED, Syntax::gauge32()),
            Column::new(c::PHYS_ADDRESS, Syntax::octet_string()),
            Column::new(c::ADMIN_STATUS, Syntax::enumeration(&[1, 2, 3]))
                .access(MaxAccess::ReadWrite),
            Column::new(c::OPER_STATUS, Syntax::enumeration(&[1, 2, 3, 4, 5, 6, 7])),
            Column::new(c::IN_OCTETS, Syntax::counter32()),
            Column::new(c::OUT_OCTETS, Syntax::counter32()),
        ],
    )?;
    let if_x_table = mib.add_table(
        IF_X_ENTRY,
        [
            Column::new(x::NAME, Syntax::display_string()),
            Column::new(x::HC_IN_OCTETS, Syntax::counter64()),
            Column::new(x::HC_OUT_OCTETS, Syntax::counter64()),
            Column::new(x::ALIAS, Syntax::octet_string_size(0, 64)).access(MaxAccess::ReadWrite),
        ],
    )?;
    for i in &INTERFACES {
        mib.insert_row(
            if_table,
            &[i.index],
            [
                Value::Integer(i.index as i32),
                Value::from(i.name),
                Value::Integer(i.if_type),
                Value::Integer(i.mtu),
                Value::Gauge32(i.speed),
                Value::OctetString(i.mac.to_vec()),
                Value::Integer(i.admin),
                Value::Integer(i.oper),
                // Counter32 is the low 32 bits of the 64-bit counter.
                Value::Counter32(i.in_octets as u32),
                Value::Counter32(i.out_octets as u32),
            ],
        )?;
        mib.insert_row(
            if_x_table,
            &[i.index],
            [
                Value::from(i.name),
                Value::Counter64(i.in_octets),
                Value::Counter64(i.out_octets),
                Value::from(i.alias),
            ],
        )?;
    }
    Ok(mib)
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxsnmp_core::agent::{Context, Mib};

    #[test]
    fn dataset_builds_and_walks_in_order() {
        let mib = mib().unwrap();
        // ifNumber, 10 ifTable and 4 ifXTable columns per interface.
        assert_eq!(mib.len(), 1 + 4 * 10 + 4 * 4);
        let ctx = Context::new(std::time::Instant::now());
        let mut cursor = vec![0, 0];
        let mut n = 0;
        while let Some(f) = mib.next(&ctx, &cursor).unwrap() {
            assert!(f.oid.as_ref() > cursor.as_slice());
            cursor = f.oid.to_vec();
            n += 1;
        }
        assert_eq!(n, mib.len());
        let cell = |entry: &Oid, col: u32, row: u32| entry.extended(&[col, row]).unwrap();
        assert_eq!(
            mib.value(cell(&IF_ENTRY, if_column::IN_OCTETS, 2).arcs()),
            Some(&Value::Counter32((123_456_789_012u64 % (1 << 32)) as u32))
        );
        assert_eq!(
            mib.value(cell(&IF_X_ENTRY, if_x_column::HC_IN_OCTETS, 2).arcs()),
            Some(&Value::Counter64(123_456_789_012))
        );
        assert_eq!(system().descr, SYS_DESCR);
    }
}
