//! The agent as notification originator (RFC 3413 §3.3): coldStart when it
//! starts, authenticationFailure on a bad community while
//! snmpEnableAuthenTraps is enabled (RFC 3418), and the application's own
//! notifications, sent as traps to every configured target.

use std::net::Ipv4Addr;
use std::time::Instant;

use crate::agent::{Agent, AgentConfig, Mib, Queued};
use crate::manager::Target;
use crate::notify::oids::{AUTHENTICATION_FAILURE, COLD_START, SNMP_TRAP_ENTERPRISE_0};
use crate::notify::{encode_trap, encode_v3_trap, Notification, Trap, TrapEngine};
use crate::oid::Oid;
use crate::pdu::VarBind;
use crate::value::Value;
use crate::Version;

/// Where and how the agent sends its notifications.
///
/// ```
/// use oxsnmp_core::agent::{Access, AgentConfig};
/// use oxsnmp_core::manager::Target;
/// use oxsnmp_core::Version;
///
/// let mut config = AgentConfig::new()
///     .community("public", Access::ReadOnly)
///     .notify(Target::new("192.0.2.10:162".parse().unwrap(), Version::V2c, "traps"))
///     .notify(Target::new("192.0.2.11:162".parse().unwrap(), Version::V1, "traps"));
/// config.enable_authen_traps = true;
/// config.notifications.agent_addr = [192, 0, 2, 1].into();
/// assert_eq!(config.notifications.targets.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct NotificationConfig {
    /// The receivers: every notification goes to each as a trap of its
    /// version (SNMPv1 targets get the RFC 3584 §3.2 translation). Empty
    /// by default: the agent sends nothing.
    pub targets: Vec<Target>,
    /// The agent-addr of SNMPv1 traps: the agent's own IPv4 address
    /// (RFC 3584 §3.2 (2)). Default 0.0.0.0, "unknown".
    pub agent_addr: Ipv4Addr,
}

impl Default for NotificationConfig {
    fn default() -> Self {
        Self {
            targets: Vec::new(),
            agent_addr: Ipv4Addr::UNSPECIFIED,
        }
    }
}

impl AgentConfig {
    /// Adds a notification target (see [`NotificationConfig`]).
    pub fn notify(mut self, target: Target) -> Self {
        self.notifications.targets.push(target);
        self
    }
}

/// The originator's own state.
#[derive(Debug, Default)]
pub(crate) struct Notifier {
    last_request_id: i32,
}

impl Notifier {
    /// Request-ids of SNMPv2 traps: 1, 2, ... (no receiver correlates them).
    fn next_request_id(&mut self) -> i32 {
        self.last_request_id = self.last_request_id.checked_add(1).unwrap_or(1);
        self.last_request_id
    }
}

impl<M: Mib> Agent<M> {
    /// Sends the notification `trap_oid` with `varbinds` (after sysUpTime.0,
    /// which is the agent's, and snmpTrapOID.0) to every target in
    /// [`AgentConfig::notifications`], as a trap of the target's version
    /// (SNMPv3 traps from the agent's own engine, keys localized to it).
    /// Returns how many traps were queued; drain them with
    /// [`poll_transmit`](Self::poll_transmit). A target is skipped when its
    /// version cannot carry the notification (a Counter64 for SNMPv1), when
    /// it is SNMPv3 and the agent has no engine, or when the transmit queue is full
    /// (counted in [`AgentStats::queue_drops`](super::AgentStats::queue_drops)).
    ///
    /// ```
    /// use std::time::Instant;
    /// use oxsnmp_core::agent::{Agent, AgentConfig, MemoryMib};
    /// use oxsnmp_core::manager::Target;
    /// use oxsnmp_core::notify::{NotificationReceiver, ReceiverConfig};
    /// use oxsnmp_core::{Value, VarBind, Version};
    ///
    /// let receiver = "192.0.2.10:162".parse().unwrap();
    /// let config = AgentConfig::new().notify(Target::new(receiver, Version::V2c, "traps"));
    /// let start = Instant::now();
    /// let mut agent = Agent::new(config, MemoryMib::new(), start);
    /// let cold_start = agent.poll_transmit().unwrap(); // sent on start
    ///
    /// let sent = agent.send_notification(
    ///     start,
    ///     "1.3.6.1.4.1.99999.0.1".parse().unwrap(),
    ///     vec![VarBind::new("1.3.6.1.4.1.99999.1.0".parse().unwrap(), Value::from("disk full"))],
    /// );
    /// assert_eq!(sent, 1);
    /// let tx = agent.poll_transmit().unwrap();
    /// assert_eq!(tx.destination, receiver);
    /// let mut r = NotificationReceiver::new(ReceiverConfig::new());
    /// r.handle_datagram(start, "192.0.2.1:161".parse().unwrap(), &cold_start.payload);
    /// r.handle_datagram(start, "192.0.2.1:161".parse().unwrap(), &tx.payload);
    /// assert_eq!(r.poll_event().unwrap().trap_oid().to_string(), "1.3.6.1.6.3.1.1.5.1");
    /// assert_eq!(r.poll_event().unwrap().varbinds()[0].value, Value::from("disk full"));
    /// ```
    pub fn send_notification(
        &mut self,
        now: Instant,
        trap_oid: Oid,
        varbinds: Vec<VarBind>,
    ) -> usize {
        let notification = Notification {
            sys_up_time: self.sys_up_time(now),
            trap_oid,
            varbinds,
        };
        let mut sent = 0;
        for i in 0..self.config.notifications.targets.len() {
            let Some(target) = self.config.notifications.targets.get(i) else {
                break;
            };
            if self.queue.len() >= self.config.max_queued_responses {
                self.stats.queue_drops += 1;
                continue;
            }
            let trap = match target.version {
                Version::V1 => match notification.to_v1(self.config.notifications.agent_addr) {
                    Ok(t) => Trap::V1(t),
                    Err(_) => continue,
                },
                _ => Trap::V2(notification.clone()),
            };
            let request_id = self.notifier.next_request_id();
            let encoded = match (&target.version, &target.v3, self.usm.as_mut()) {
                // SNMPv3: sent by the agent's own engine, the authoritative
                // one for a trap (RFC 3412 §7.1 step 9a).
                (Version::V3, Some(security), Some(engine)) => {
                    let keys = security
                        .level
                        .is_authenticated()
                        .then(|| security.user.keys_for(engine.engine_id()));
                    let msg_id = self.notifier.next_request_id();
                    let salt = engine.next_salt();
                    let trap_engine = TrapEngine {
                        engine_id: engine.engine_id(),
                        context_engine_id: engine.engine_id(),
                        boots: engine.boots,
                        time: engine.time(now),
                        keys: keys.as_ref(),
                        msg_id,
                        salt,
                    };
                    encode_v3_trap(
                        security,
                        &trap_engine,
                        request_id,
                        &trap,
                        self.config.max_message_size,
                    )
                }
                (Version::V3, _, _) => continue,
                _ => encode_trap(target, request_id, &trap, self.config.max_message_size),
            };
            let Ok(payload) = encoded else {
                continue;
            };
            let destination = target.addr;
            let start = self.out.len();
            self.out.extend_from_slice(&payload);
            self.queue.push_back(Queued {
                destination,
                start,
                end: self.out.len(),
            });
            self.stats.out_traps += 1;
            self.stats.out_pkts += 1;
            sent += 1;
        }
        sent
    }

    /// A standard trap, with snmpTrapEnterprise.0 = sysObjectID when the
    /// agent serves the system group (as Net-SNMP's agent sends it, and what
    /// gives SNMPv1 receivers the enterprise, RFC 3584 §3.2 (1)).
    fn send_standard(&mut self, now: Instant, trap_oid: Oid) {
        let varbinds = self
            .config
            .system
            .as_ref()
            .map(|s| {
                VarBind::new(
                    SNMP_TRAP_ENTERPRISE_0,
                    Value::ObjectIdentifier(s.object_id.clone()),
                )
            })
            .into_iter()
            .collect();
        self.send_notification(now, trap_oid, varbinds);
    }

    /// coldStart: the agent has just been (re)initialised (RFC 3418).
    pub(crate) fn send_cold_start(&mut self, now: Instant) {
        self.send_standard(now, COLD_START);
    }

    /// authenticationFailure, if snmpEnableAuthenTraps is enabled(1).
    pub(crate) fn send_authentication_failure(&mut self, now: Instant) {
        if self.enable_authen_traps() {
            self.send_standard(now, AUTHENTICATION_FAILURE);
        }
    }
}
