//! The two forms of a notification — SNMPv2 ([`Notification`]) and SNMPv1
//! ([`TrapV1Pdu`]) — and the translations between them (RFC 3584 §3.1, §3.2).

use std::net::Ipv4Addr;

use crate::message::Version;
use crate::notify::oids::{
    generic_trap_of, standard_trap, ENTERPRISE_SPECIFIC, SNMP_TRAPS, SNMP_TRAP_ENTERPRISE_0,
    SNMP_TRAP_OID_0, SYS_UP_TIME_0,
};
use crate::oid::Oid;
use crate::pdu::{AnyPdu, Pdu, PduType, TrapV1Pdu, VarBind};
use crate::value::Value;

/// A notification in its SNMPv2 form (RFC 3416 §4.2.6, §4.2.7): the value
/// of sysUpTime.0, the value of snmpTrapOID.0, and the varbinds that follow
/// those two on the wire.
///
/// ```
/// use oxsnmp_core::notify::{oids, Notification};
/// use oxsnmp_core::Value;
///
/// let n = Notification::new(4242, oids::LINK_DOWN)
///     .varbind("1.3.6.1.2.1.2.2.1.1.3".parse().unwrap(), Value::Integer(3));
/// let on_the_wire = n.to_varbinds();
/// assert_eq!(on_the_wire[0].oid, oids::SYS_UP_TIME_0);
/// assert_eq!(on_the_wire[1].value, Value::ObjectIdentifier(oids::LINK_DOWN));
/// assert_eq!(Notification::from_varbinds(&on_the_wire).unwrap(), n);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Notification {
    /// sysUpTime.0 of the originator when the event happened, in hundredths
    /// of a second.
    pub sys_up_time: u32,
    /// snmpTrapOID.0: which notification this is.
    pub trap_oid: Oid,
    /// The varbinds after sysUpTime.0 and snmpTrapOID.0.
    pub varbinds: Vec<VarBind>,
}

/// Why a varbind list or a Trap-PDU is not a well-formed notification, or
/// cannot be put into the other form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NotificationError {
    /// The first varbind is not sysUpTime.0 with a TimeTicks value.
    #[error("the first varbind is not sysUpTime.0 (TimeTicks)")]
    MissingSysUpTime,
    /// The second varbind is not snmpTrapOID.0 with an OBJECT IDENTIFIER value.
    #[error("the second varbind is not snmpTrapOID.0 (OBJECT IDENTIFIER)")]
    MissingTrapOid,
    /// A generic-trap outside 0..=6.
    #[error("generic-trap {0} is not 0..=6")]
    BadGenericTrap(i32),
    /// An enterpriseSpecific trap whose specific-trap is negative, so it
    /// cannot be the last arc of an OID.
    #[error("specific-trap {0} is negative")]
    BadSpecificTrap(i32),
    /// enterprise.0.specific-trap would exceed 128 arcs.
    #[error("enterprise OID too long to name the trap")]
    OidTooLong,
    /// A Counter64 varbind, which SNMPv1 cannot carry (RFC 3584 §3.2 (6)).
    #[error("a Counter64 value cannot be sent in an SNMPv1 trap")]
    Counter64InV1,
    /// A trap OID whose last arc exceeds 2^31-1, too large for the SNMPv1
    /// specific-trap INTEGER.
    #[error("specific-trap {0} does not fit an SNMPv1 INTEGER")]
    SpecificTrapTooLarge(u32),
    /// A trap OID with fewer than two arcs, which leaves no SNMPv1 enterprise.
    #[error("trap OID {0} is too short for an SNMPv1 enterprise")]
    TrapOidTooShort(Oid),
}

impl Notification {
    /// A notification with no varbinds beyond the first two.
    pub fn new(sys_up_time: u32, trap_oid: Oid) -> Self {
        Self {
            sys_up_time,
            trap_oid,
            varbinds: Vec::new(),
        }
    }

    /// Appends a varbind (builder style).
    pub fn varbind(mut self, oid: Oid, value: impl Into<Value>) -> Self {
        self.varbinds.push(VarBind::new(oid, value.into()));
        self
    }

    /// The whole varbind list as sent: sysUpTime.0, snmpTrapOID.0, then
    /// [`varbinds`](Self::varbinds).
    pub fn to_varbinds(&self) -> Vec<VarBind> {
        let mut all = Vec::with_capacity(self.varbinds.len() + 2);
        all.push(VarBind::new(
            SYS_UP_TIME_0,
            Value::TimeTicks(self.sys_up_time),
        ));
        all.push(VarBind::new(
            SNMP_TRAP_OID_0,
            Value::ObjectIdentifier(self.trap_oid.clone()),
        ));
        all.extend(self.varbinds.iter().cloned());
        all
    }

    /// Reads the varbind list of an SNMPv2-Trap or InformRequest PDU: the
    /// first two must be sysUpTime.0 and snmpTrapOID.0 (RFC 3416 §4.2.6).
    pub fn from_varbinds(varbinds: &[VarBind]) -> Result<Self, NotificationError> {
        let sys_up_time = match varbinds.first() {
            Some(VarBind {
                oid,
                value: Value::TimeTicks(t),
            }) if *oid == SYS_UP_TIME_0 => *t,
            _ => return Err(NotificationError::MissingSysUpTime),
        };
        let trap_oid = match varbinds.get(1) {
            Some(VarBind {
                oid,
                value: Value::ObjectIdentifier(t),
            }) if *oid == SNMP_TRAP_OID_0 => t.clone(),
            _ => return Err(NotificationError::MissingTrapOid),
        };
        Ok(Self {
            sys_up_time,
            trap_oid,
            varbinds: varbinds.get(2..).unwrap_or(&[]).to_vec(),
        })
    }

    /// The SNMPv2 form of an SNMPv1 trap, RFC 3584 §3.1 (1) to (3): the
    /// time-stamp becomes sysUpTime, a generic trap becomes its standard
    /// trap OID, an enterpriseSpecific one `enterprise.0.specific-trap`;
    /// the varbinds are kept as they are. (The three varbinds that §3.1 (4)
    /// appends when a proxy translates are not added here.)
    ///
    /// ```
    /// use oxsnmp_core::notify::Notification;
    /// use oxsnmp_core::TrapV1Pdu;
    /// let trap = TrapV1Pdu {
    ///     enterprise: "1.3.6.1.4.1.8072".parse().unwrap(),
    ///     agent_addr: [192, 0, 2, 1].into(),
    ///     generic_trap: 6,
    ///     specific_trap: 17,
    ///     time_stamp: 100,
    ///     varbinds: vec![],
    /// };
    /// let n = Notification::from_v1(&trap).unwrap();
    /// assert_eq!(n.trap_oid.to_string(), "1.3.6.1.4.1.8072.0.17");
    /// assert_eq!(n.sys_up_time, 100);
    /// ```
    pub fn from_v1(trap: &TrapV1Pdu) -> Result<Self, NotificationError> {
        Ok(Self {
            sys_up_time: trap.time_stamp,
            trap_oid: v1_trap_oid(&trap.enterprise, trap.generic_trap, trap.specific_trap)?,
            varbinds: trap.varbinds.clone(),
        })
    }

    /// The SNMPv1 form, RFC 3584 §3.2, for an originator whose IPv4 address
    /// is `agent_addr` (0.0.0.0 when it has none or does not know it):
    ///
    /// * a standard trap (coldStart ... egpNeighborLoss) gets its
    ///   generic-trap, specific-trap 0, and as enterprise the value of an
    ///   snmpTrapEnterprise.0 varbind if there is one, else snmpTraps;
    /// * any other trap is enterpriseSpecific(6), its specific-trap the last
    ///   arc of the trap OID, its enterprise the trap OID without that arc
    ///   and, when the arc before it is 0, without that one too;
    /// * the varbinds are kept; a Counter64 among them makes the translation
    ///   fail, as SNMPv1 cannot carry it (§3.2 (6)).
    pub fn to_v1(&self, agent_addr: Ipv4Addr) -> Result<TrapV1Pdu, NotificationError> {
        if self
            .varbinds
            .iter()
            .any(|vb| matches!(vb.value, Value::Counter64(_)))
        {
            return Err(NotificationError::Counter64InV1);
        }
        let (enterprise, generic_trap, specific_trap) = match generic_trap_of(&self.trap_oid) {
            Some(generic) => {
                let enterprise = self
                    .varbinds
                    .iter()
                    .find_map(|vb| match &vb.value {
                        Value::ObjectIdentifier(e) if vb.oid == SNMP_TRAP_ENTERPRISE_0 => {
                            Some(e.clone())
                        }
                        _ => None,
                    })
                    .unwrap_or(SNMP_TRAPS);
                (enterprise, generic, 0)
            }
            None => {
                let arcs = self.trap_oid.arcs();
                let too_short = || NotificationError::TrapOidTooShort(self.trap_oid.clone());
                let (&last, rest) = arcs.split_last().ok_or_else(too_short)?;
                // §3.2 (1): drop the next-to-last arc too when it is zero.
                let rest = match rest.split_last() {
                    Some((0, before)) => before,
                    _ => rest,
                };
                let enterprise = Oid::from_slice(rest).map_err(|_| too_short())?;
                if enterprise.len() < 2 {
                    return Err(too_short());
                }
                // §3.2 (4): the last sub-identifier; SNMPv1 carries it as INTEGER.
                let specific = i32::try_from(last)
                    .map_err(|_| NotificationError::SpecificTrapTooLarge(last))?;
                (enterprise, ENTERPRISE_SPECIFIC, specific)
            }
        };
        Ok(TrapV1Pdu {
            enterprise,
            agent_addr,
            generic_trap,
            specific_trap,
            time_stamp: self.sys_up_time,
            varbinds: self.varbinds.clone(),
        })
    }
}

/// snmpTrapOID for SNMPv1 trap parameters (RFC 3584 §3.1 (2), (3)).
pub(crate) fn v1_trap_oid(
    enterprise: &Oid,
    generic_trap: i32,
    specific_trap: i32,
) -> Result<Oid, NotificationError> {
    if generic_trap == ENTERPRISE_SPECIFIC {
        let specific = u32::try_from(specific_trap)
            .map_err(|_| NotificationError::BadSpecificTrap(specific_trap))?;
        enterprise
            .extended(&[0, specific])
            .ok_or(NotificationError::OidTooLong)
    } else {
        standard_trap(generic_trap).ok_or(NotificationError::BadGenericTrap(generic_trap))
    }
}

/// A notification to send as a trap, in either form. A message of the
/// other version gets the RFC 3584 translation (see [`Trap::to_pdu`]).
///
/// ```
/// use oxsnmp_core::notify::{oids, Notification, Trap};
/// use oxsnmp_core::{AnyPdu, PduType, Version};
/// let trap = Trap::from(Notification::new(100, oids::COLD_START));
/// let AnyPdu::Pdu(v2) = trap.to_pdu(Version::V2c, 7).unwrap() else { panic!() };
/// assert_eq!((v2.pdu_type, v2.request_id, v2.varbinds.len()), (PduType::SnmpV2Trap, 7, 2));
/// let AnyPdu::TrapV1(v1) = trap.to_pdu(Version::V1, 7).unwrap() else { panic!() };
/// assert_eq!((v1.generic_trap, v1.time_stamp), (0, 100));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Trap {
    /// The SNMPv2 form.
    V2(Notification),
    /// The SNMPv1 Trap-PDU.
    V1(TrapV1Pdu),
}

impl From<Notification> for Trap {
    fn from(n: Notification) -> Self {
        Trap::V2(n)
    }
}

impl From<TrapV1Pdu> for Trap {
    fn from(t: TrapV1Pdu) -> Self {
        Trap::V1(t)
    }
}

impl Trap {
    /// The PDU that carries this trap in a message of `version`:
    ///
    /// * SNMPv1: the Trap-PDU as it is, or the SNMPv2 form translated by
    ///   RFC 3584 §3.2 with agent-addr 0.0.0.0 (use
    ///   [`Notification::to_v1`] to set it);
    /// * SNMPv2c (and SNMPv3, whose scoped PDU is the same): an
    ///   SNMPv2-Trap-PDU with `request_id`, the Trap-PDU translated by
    ///   RFC 3584 §3.1.
    pub fn to_pdu(&self, version: Version, request_id: i32) -> Result<AnyPdu, NotificationError> {
        Ok(match (version, self) {
            (Version::V1, Trap::V1(t)) => AnyPdu::TrapV1(t.clone()),
            (Version::V1, Trap::V2(n)) => AnyPdu::TrapV1(n.to_v1(Ipv4Addr::UNSPECIFIED)?),
            (_, Trap::V2(n)) => AnyPdu::Pdu(v2_trap_pdu(request_id, n)),
            (_, Trap::V1(t)) => AnyPdu::Pdu(v2_trap_pdu(request_id, &Notification::from_v1(t)?)),
        })
    }
}

fn v2_trap_pdu(request_id: i32, n: &Notification) -> Pdu {
    Pdu {
        pdu_type: PduType::SnmpV2Trap,
        request_id,
        error_status: 0,
        error_index: 0,
        varbinds: n.to_varbinds(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::oids::{AUTHENTICATION_FAILURE, COLD_START, LINK_UP};

    fn oid(s: &str) -> Oid {
        s.parse().unwrap()
    }

    fn v1(enterprise: &str, generic: i32, specific: i32) -> TrapV1Pdu {
        TrapV1Pdu {
            enterprise: oid(enterprise),
            agent_addr: [10, 1, 2, 3].into(),
            generic_trap: generic,
            specific_trap: specific,
            time_stamp: 777,
            varbinds: vec![VarBind::new(
                oid("1.3.6.1.2.1.2.2.1.1.4"),
                Value::Integer(4),
            )],
        }
    }

    #[test]
    fn v1_to_v2_rfc3584_3_1() {
        let n = Notification::from_v1(&v1("1.3.6.1.4.1.9", 3, 99)).unwrap();
        assert_eq!(n.trap_oid, LINK_UP, "generic 3 is linkUp, specific ignored");
        assert_eq!(n.sys_up_time, 777);
        assert_eq!(n.varbinds.len(), 1);
        let n = Notification::from_v1(&v1("1.3.6.1.4.1.9", 6, 5)).unwrap();
        assert_eq!(n.trap_oid, oid("1.3.6.1.4.1.9.0.5"));
        assert_eq!(
            Notification::from_v1(&v1("1.3.6.1.4.1.9", 7, 0)),
            Err(NotificationError::BadGenericTrap(7))
        );
        assert_eq!(
            Notification::from_v1(&v1("1.3.6.1.4.1.9", 6, -1)),
            Err(NotificationError::BadSpecificTrap(-1))
        );
        let long = vec!["1"; 127].join(".").replacen('1', "1.3", 1);
        assert_eq!(
            Notification::from_v1(&v1(&long, 6, 1)),
            Err(NotificationError::OidTooLong)
        );
    }

    #[test]
    fn v2_to_v1_rfc3584_3_2() {
        let addr = Ipv4Addr::new(192, 0, 2, 7);
        // Standard trap without snmpTrapEnterprise.0: enterprise snmpTraps.
        let t = Notification::new(5, AUTHENTICATION_FAILURE)
            .to_v1(addr)
            .unwrap();
        assert_eq!(
            (t.enterprise, t.generic_trap, t.specific_trap, t.time_stamp),
            (SNMP_TRAPS, 4, 0, 5)
        );
        assert_eq!(t.agent_addr, addr);
        // Standard trap with snmpTrapEnterprise.0.
        let t = Notification::new(5, COLD_START)
            .varbind(
                SNMP_TRAP_ENTERPRISE_0,
                Value::ObjectIdentifier(oid("1.3.6.1.4.1.8072.3.2.10")),
            )
            .to_v1(addr)
            .unwrap();
        assert_eq!(t.enterprise, oid("1.3.6.1.4.1.8072.3.2.10"));
        assert_eq!(t.varbinds.len(), 1, "varbinds kept (§3.2 (6))");
        // Next-to-last arc 0: both removed.
        let t = Notification::new(1, oid("1.3.6.1.4.1.8072.2.3.0.1"))
            .to_v1(addr)
            .unwrap();
        assert_eq!(
            (t.enterprise, t.generic_trap, t.specific_trap),
            (oid("1.3.6.1.4.1.8072.2.3"), 6, 1)
        );
        // Next-to-last arc non-zero: only the last removed.
        let t = Notification::new(1, oid("1.3.6.1.4.1.8072.2.3.7.9"))
            .to_v1(addr)
            .unwrap();
        assert_eq!(
            (t.enterprise, t.specific_trap),
            (oid("1.3.6.1.4.1.8072.2.3.7"), 9)
        );
        // Counter64 cannot go into SNMPv1.
        let c64 = Notification::new(1, LINK_UP)
            .varbind(oid("1.3.6.1.2.1.31.1.1.1.6.1"), Value::Counter64(1));
        assert_eq!(c64.to_v1(addr), Err(NotificationError::Counter64InV1));
        assert_eq!(
            Notification::new(1, oid("1.3.6.1.4.1.9.0.4294967295")).to_v1(addr),
            Err(NotificationError::SpecificTrapTooLarge(u32::MAX))
        );
        assert!(matches!(
            Notification::new(1, oid("1.0.3")).to_v1(addr),
            Err(NotificationError::TrapOidTooShort(_))
        ));
    }

    #[test]
    fn round_trips_between_forms() {
        for (e, g, s) in [("1.3.6.1.4.1.9.9", 6, 42), ("1.3.6.1.4.1.9", 6, 0)] {
            let original = v1(e, g, s);
            let back = Notification::from_v1(&original)
                .unwrap()
                .to_v1(original.agent_addr)
                .unwrap();
            assert_eq!(back, original);
        }
    }

    #[test]
    fn varbind_list_form() {
        let n =
            Notification::new(9, oid("1.3.6.1.4.1.1.0.1")).varbind(oid("1.3.6.1.2.1.1.5.0"), "x");
        let vbs = n.to_varbinds();
        assert_eq!(vbs.len(), 3);
        assert_eq!(Notification::from_varbinds(&vbs).unwrap(), n);
        assert_eq!(
            Notification::from_varbinds(&vbs[1..]),
            Err(NotificationError::MissingSysUpTime)
        );
        let mut swapped = vbs.clone();
        swapped.swap(0, 1);
        assert_eq!(
            Notification::from_varbinds(&swapped),
            Err(NotificationError::MissingSysUpTime)
        );
        let mut wrong_type = vbs.clone();
        wrong_type[1].value = Value::from("1.3.6");
        assert_eq!(
            Notification::from_varbinds(&wrong_type),
            Err(NotificationError::MissingTrapOid)
        );
        assert_eq!(
            Notification::from_varbinds(&vbs[..1]),
            Err(NotificationError::MissingTrapOid)
        );
    }

    #[test]
    fn trap_pdu_per_version() {
        let t = Trap::V1(v1("1.3.6.1.4.1.9", 6, 3));
        let AnyPdu::Pdu(p) = t.to_pdu(Version::V2c, 11).unwrap() else {
            panic!()
        };
        assert_eq!(p.pdu_type, PduType::SnmpV2Trap);
        let n = Notification::from_varbinds(&p.varbinds).unwrap();
        assert_eq!(n.trap_oid, oid("1.3.6.1.4.1.9.0.3"));
        assert_eq!(
            t.to_pdu(Version::V1, 0).unwrap(),
            AnyPdu::TrapV1(v1("1.3.6.1.4.1.9", 6, 3))
        );
    }
}
