//! The object identifiers notifications are made of (RFC 3418 §2,
//! RFC 3584 §3).

use crate::oid::Oid;

/// sysUpTime.0, the first varbind of every SNMPv2 notification (RFC 3416 §4.2.6).
pub const SYS_UP_TIME_0: Oid = Oid::from_static(&[1, 3, 6, 1, 2, 1, 1, 3, 0]);

/// snmpTrapOID.0, the second varbind: which notification this is.
pub const SNMP_TRAP_OID_0: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0]);

/// snmpTrapEnterprise.0: the SNMPv1 enterprise of a standard trap (RFC 3584 §3.2 (1)).
pub const SNMP_TRAP_ENTERPRISE_0: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 1, 1, 4, 3, 0]);

/// snmpTrapAddress.0 (SNMP-COMMUNITY-MIB): the SNMPv1 agent-addr, appended
/// by a full RFC 3584 §3.1 (4) translation.
pub const SNMP_TRAP_ADDRESS_0: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 18, 1, 3, 0]);

/// snmpTrapCommunity.0 (SNMP-COMMUNITY-MIB): the community of a translated
/// SNMPv1 trap (RFC 3584 §3.1 (4)).
pub const SNMP_TRAP_COMMUNITY_0: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 18, 1, 4, 0]);

/// snmpTraps: the parent of the six standard traps, and the SNMPv1
/// enterprise of a standard trap that names no other (RFC 3584 §3.2 (1)).
pub const SNMP_TRAPS: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 1, 1, 5]);

/// coldStart (generic-trap 0).
pub const COLD_START: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 1, 1, 5, 1]);

/// warmStart (generic-trap 1).
pub const WARM_START: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 1, 1, 5, 2]);

/// linkDown (generic-trap 2).
pub const LINK_DOWN: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 1, 1, 5, 3]);

/// linkUp (generic-trap 3).
pub const LINK_UP: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 1, 1, 5, 4]);

/// authenticationFailure (generic-trap 4).
pub const AUTHENTICATION_FAILURE: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 1, 1, 5, 5]);

/// egpNeighborLoss (generic-trap 5).
pub const EGP_NEIGHBOR_LOSS: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 1, 1, 5, 6]);

/// generic-trap enterpriseSpecific(6): the trap is named by enterprise and specific-trap.
pub const ENTERPRISE_SPECIFIC: i32 = 6;

/// The standard trap for an SNMPv1 generic-trap value 0..=5 (RFC 3584 §3.1 (3)).
pub fn standard_trap(generic_trap: i32) -> Option<Oid> {
    let arc = u32::try_from(generic_trap).ok().filter(|g| *g <= 5)?;
    SNMP_TRAPS.child(arc + 1)
}

/// The SNMPv1 generic-trap value of a standard trap OID (RFC 3584 §3.2 (3)).
pub fn generic_trap_of(trap_oid: &Oid) -> Option<i32> {
    match trap_oid.arcs().split_last() {
        Some((&last @ 1..=6, parent)) if parent == SNMP_TRAPS.arcs() => Some(last as i32 - 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_traps_both_ways() {
        let all = [
            COLD_START,
            WARM_START,
            LINK_DOWN,
            LINK_UP,
            AUTHENTICATION_FAILURE,
            EGP_NEIGHBOR_LOSS,
        ];
        for (generic, oid) in all.iter().enumerate() {
            assert_eq!(standard_trap(generic as i32).as_ref(), Some(oid));
            assert_eq!(generic_trap_of(oid), Some(generic as i32));
        }
        assert_eq!(standard_trap(6), None);
        assert_eq!(standard_trap(-1), None);
        assert_eq!(generic_trap_of(&SNMP_TRAPS), None);
        assert_eq!(generic_trap_of(&SNMP_TRAPS.child(7).unwrap()), None);
        assert_eq!(generic_trap_of(&SNMP_TRAPS.child(0).unwrap()), None);
    }
}
