//! PDU processing (RFC 3416 §4.2) for Get, GetNext, GetBulk and Set, with
//! the SNMPv1 rules of RFC 3584 §4.2.2, writing varbinds straight into the
//! agent's reused scratch buffer.

use std::borrow::Cow;

use crate::message::Version;
use crate::oid::MAX_OID_LEN;
use crate::pdu::{ErrorStatus, PduRef};
use crate::vacm;
use crate::value::{Value, ValueRef};

use super::encode::{arcs_of, write_varbind, ResponseHeader};
use super::mib::{Context, Lookup, Mib};
use super::view::View;
use super::{Agent, UndoEntry};

/// What processing decided; [`Agent::respond`] turns it into a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    /// noError with the varbinds in the scratch buffer; `retrieved` objects
    /// count towards snmpInTotalReqVars.
    Built { retrieved: u64 },
    /// noError echoing the request's varbinds (a successful Set).
    Echo,
    /// An error for the whole PDU: the request's varbinds are echoed
    /// (RFC 3416 §4.2.1, RFC 3584 §4.2.2.3 (1)). `status` is the SNMPv2
    /// one; v1 responses translate it.
    Error { status: ErrorStatus, index: i32 },
    /// The response does not fit: the alternate tooBig response.
    TooBig,
}

/// 1-based varbind index for error-index (a datagram holds far fewer than
/// 2^31 varbinds).
fn one_based(i: usize) -> i32 {
    i32::try_from(i.saturating_add(1)).unwrap_or(i32::MAX)
}

/// Copies a name into a cursor slot, returning its length.
fn store(slot: &mut [u32], oid: &[u32]) -> usize {
    let mut n = 0;
    for (d, &s) in slot.iter_mut().zip(oid) {
        *d = s;
        n += 1;
    }
    n
}

fn is_counter64(v: &Value) -> bool {
    matches!(v, Value::Counter64(_))
}

impl<M: Mib> Agent<M> {
    /// GetRequest-PDU: RFC 3416 §4.2.1; v1 per RFC 3584 §4.2.2.3.
    pub(super) fn process_get(
        &mut self,
        ctx: &Context,
        pdu: &PduRef<'_>,
        h: &ResponseHeader<'_>,
        access: &vacm::View,
    ) -> Outcome {
        let view = View {
            user: &self.mib,
            builtin: &self.builtin,
            stats: &self.stats,
            access,
        };
        let vbl = &mut self.scratch.vbl;
        let limit = h.limit;
        let v1 = ctx.version == Version::V1;
        let mut buf = [0u32; MAX_OID_LEN];
        let mut retrieved = 0;
        vbl.clear();
        for (i, vb) in pdu.varbinds.iter().enumerate() {
            let name = arcs_of(vb.oid, &mut buf);
            let value = match view.get(ctx, name) {
                Ok(Lookup::Value(v)) => v,
                Ok(Lookup::NoSuchObject) => Cow::Owned(Value::NoSuchObject),
                Ok(Lookup::NoSuchInstance) => Cow::Owned(Value::NoSuchInstance),
                Err(_) => {
                    return Outcome::Error {
                        status: ErrorStatus::GenErr,
                        index: one_based(i),
                    }
                }
            };
            if matches!(*value, Value::Null | Value::EndOfMibView) {
                // Not a value a GET can produce: the MIB is at fault.
                return Outcome::Error {
                    status: ErrorStatus::GenErr,
                    index: one_based(i),
                };
            }
            // RFC 3584 §4.2.2.1 and §4.2.2.3 (2): an exception or a
            // Counter64 in a v1 response becomes noSuchName for the PDU.
            if v1 && (value.is_exception() || is_counter64(&value)) {
                return Outcome::Error {
                    status: ErrorStatus::NoSuchName,
                    index: one_based(i),
                };
            }
            if !value.is_exception() {
                retrieved += 1;
            }
            write_varbind(vbl, name, &value);
            if h.message_len(0, 0, vbl.len()) > limit {
                return Outcome::TooBig;
            }
        }
        Outcome::Built { retrieved }
    }

    /// GetNextRequest-PDU: RFC 3416 §4.2.2; v1 per RFC 3584 §4.2.2.4
    /// (Counter64 instances skipped, endOfMibView becomes noSuchName).
    pub(super) fn process_get_next(
        &mut self,
        ctx: &Context,
        pdu: &PduRef<'_>,
        h: &ResponseHeader<'_>,
        access: &vacm::View,
    ) -> Outcome {
        let view = View {
            user: &self.mib,
            builtin: &self.builtin,
            stats: &self.stats,
            access,
        };
        let vbl = &mut self.scratch.vbl;
        let limit = h.limit;
        let v1 = ctx.version == Version::V1;
        let mut buf = [0u32; MAX_OID_LEN];
        let mut skip = [0u32; MAX_OID_LEN];
        let mut retrieved = 0;
        vbl.clear();
        for (i, vb) in pdu.varbinds.iter().enumerate() {
            let name = arcs_of(vb.oid, &mut buf);
            let mut cursor: &[u32] = name;
            loop {
                match view.next(ctx, cursor) {
                    Err(_) => {
                        return Outcome::Error {
                            status: ErrorStatus::GenErr,
                            index: one_based(i),
                        }
                    }
                    Ok(None) if v1 => {
                        // RFC 3584 §4.2.2.2.2.
                        return Outcome::Error {
                            status: ErrorStatus::NoSuchName,
                            index: one_based(i),
                        };
                    }
                    Ok(None) => {
                        // RFC 3416 §4.2.2 (2): the request's name, endOfMibView.
                        write_varbind(vbl, name, &Value::EndOfMibView);
                        break;
                    }
                    Ok(Some(f)) if v1 && is_counter64(&f.value) => {
                        // RFC 3584 §4.2.2.1: Counter64 is outside a v1 view.
                        let n = store(&mut skip, &f.oid);
                        cursor = skip.get(..n).unwrap_or(&[]);
                    }
                    Ok(Some(f)) => {
                        write_varbind(vbl, &f.oid, &f.value);
                        retrieved += 1;
                        break;
                    }
                }
            }
            if h.message_len(0, 0, vbl.len()) > limit {
                return Outcome::TooBig;
            }
        }
        Outcome::Built { retrieved }
    }

    /// GetBulkRequest-PDU: RFC 3416 §4.2.3 (v2c only; a v1 message cannot
    /// carry it).
    ///
    /// Bounded three ways: at most `max_bulk_varbinds` varbinds (but always
    /// one full repetition, §4.2.3 (3)); trailing varbinds dropped to stay
    /// within `max_message_size` (§4.2.3 (1)); and no further repetitions
    /// once one is all endOfMibView (§4.2.3 (2)). If the non-repeaters (or,
    /// without any, the first varbind) do not fit, the answer is tooBig
    /// rather than a response missing them that a manager would retry
    /// forever.
    pub(super) fn process_get_bulk(
        &mut self,
        ctx: &Context,
        pdu: &PduRef<'_>,
        h: &ResponseHeader<'_>,
        access: &vacm::View,
    ) -> Outcome {
        let view = View {
            user: &self.mib,
            builtin: &self.builtin,
            stats: &self.stats,
            access,
        };
        let scratch = &mut self.scratch;
        let limit = h.limit;
        let fits = |len: usize| h.message_len(0, 0, len) <= limit;

        // N, M and R of §4.2.3; negative fields count as zero.
        let total = pdu.varbinds.len();
        let n = usize::try_from(pdu.error_status).unwrap_or(0).min(total);
        let m = usize::try_from(pdu.error_index).unwrap_or(0);
        let r = total - n;
        let reps = if r == 0 || m == 0 {
            0
        } else {
            m.min((self.config.max_bulk_varbinds.saturating_sub(n) / r).max(1))
        };

        let mut buf = [0u32; MAX_OID_LEN];
        let mut retrieved = 0;
        let mut written = 0usize;
        scratch.vbl.clear();
        let mut varbinds = pdu.varbinds.iter();
        for i in 0..n {
            let Some(vb) = varbinds.next() else { break };
            let name = arcs_of(vb.oid, &mut buf);
            match view.next(ctx, name) {
                Err(_) => {
                    return Outcome::Error {
                        status: ErrorStatus::GenErr,
                        index: one_based(i),
                    }
                }
                Ok(None) => write_varbind(&mut scratch.vbl, name, &Value::EndOfMibView),
                Ok(Some(f)) => {
                    write_varbind(&mut scratch.vbl, &f.oid, &f.value);
                    retrieved += 1;
                }
            }
            if !fits(scratch.vbl.len()) {
                return Outcome::TooBig;
            }
            written += 1;
        }
        if reps == 0 {
            return Outcome::Built { retrieved };
        }

        // Later repetitions continue from each repeater's last name, kept in
        // fixed 128-arc slots (only needed when there is a second repetition,
        // which implies R <= max_bulk_varbinds / 2).
        let keep = reps > 1;
        scratch.cursors.clear();
        scratch.cursor_lens.clear();
        scratch.done.clear();
        if keep {
            scratch.cursors.resize(r * MAX_OID_LEN, 0);
            scratch.cursor_lens.resize(r, 0);
            scratch.done.resize(r, false);
        }

        // First repetition, straight from the request's names.
        let mut all_end = true;
        for (j, vb) in varbinds.enumerate() {
            let name = arcs_of(vb.oid, &mut buf);
            let mark = scratch.vbl.len();
            let (last, ended) = match view.next(ctx, name) {
                Err(_) => {
                    return Outcome::Error {
                        status: ErrorStatus::GenErr,
                        index: one_based(n + j),
                    }
                }
                Ok(None) => {
                    write_varbind(&mut scratch.vbl, name, &Value::EndOfMibView);
                    (Cow::Borrowed(name), true)
                }
                Ok(Some(f)) => {
                    write_varbind(&mut scratch.vbl, &f.oid, &f.value);
                    retrieved += 1;
                    all_end = false;
                    (f.oid, false)
                }
            };
            if !fits(scratch.vbl.len()) {
                scratch.vbl.truncate(mark);
                return if written == 0 {
                    Outcome::TooBig
                } else {
                    Outcome::Built {
                        retrieved: retrieved - u64::from(!ended),
                    }
                };
            }
            written += 1;
            if keep {
                let start = j * MAX_OID_LEN;
                if let (Some(slot), Some(len), Some(done)) = (
                    scratch.cursors.get_mut(start..start + MAX_OID_LEN),
                    scratch.cursor_lens.get_mut(j),
                    scratch.done.get_mut(j),
                ) {
                    *len = store(slot, &last) as u8;
                    *done = ended;
                }
            }
        }

        // Repetitions 2..=reps; stop early after an all-endOfMibView one.
        for _ in 1..reps {
            if all_end {
                break;
            }
            all_end = true;
            for j in 0..r {
                let start = j * MAX_OID_LEN;
                let len = usize::from(scratch.cursor_lens.get(j).copied().unwrap_or(0));
                let done = scratch.done.get(j).copied().unwrap_or(true);
                let Some(cursor) = scratch.cursors.get(start..start + len) else {
                    return Outcome::Error {
                        status: ErrorStatus::GenErr,
                        index: one_based(n + j),
                    };
                };
                let mark = scratch.vbl.len();
                let mut advanced = None;
                if done {
                    // §4.2.3: endOfMibView named by the last successor.
                    write_varbind(&mut scratch.vbl, cursor, &Value::EndOfMibView);
                } else {
                    match view.next(ctx, cursor) {
                        Err(_) => {
                            return Outcome::Error {
                                status: ErrorStatus::GenErr,
                                index: one_based(n + j),
                            }
                        }
                        Ok(None) => {
                            write_varbind(&mut scratch.vbl, cursor, &Value::EndOfMibView);
                            if let Some(d) = scratch.done.get_mut(j) {
                                *d = true;
                            }
                        }
                        Ok(Some(f)) => {
                            write_varbind(&mut scratch.vbl, &f.oid, &f.value);
                            retrieved += 1;
                            all_end = false;
                            advanced = Some(f.oid);
                        }
                    }
                }
                if !fits(scratch.vbl.len()) {
                    scratch.vbl.truncate(mark);
                    return Outcome::Built {
                        retrieved: retrieved - u64::from(advanced.is_some()),
                    };
                }
                if let Some(oid) = advanced {
                    if let (Some(slot), Some(l)) = (
                        scratch.cursors.get_mut(start..start + MAX_OID_LEN),
                        scratch.cursor_lens.get_mut(j),
                    ) {
                        *l = store(slot, &oid) as u8;
                    }
                }
            }
        }
        Outcome::Built { retrieved }
    }

    /// SetRequest-PDU: RFC 3416 §4.2.5 (two phases, all-or-nothing); v1 per
    /// RFC 3584 §4.2.2.5.
    pub(super) fn process_set(
        &mut self,
        ctx: &Context,
        pdu: &PduRef<'_>,
        h: &ResponseHeader<'_>,
        access: &vacm::View,
    ) -> Outcome {
        // §4.2.5: if the response with the request's varbinds and the
        // largest error fields would not fit, answer tooBig at once.
        let echo_len = pdu.varbinds.raw().len();
        let count = pdu.varbinds.len();
        let largest_status = ErrorStatus::InconsistentName.as_i32();
        if h.message_len(largest_status, one_based(count), echo_len) > h.limit {
            return Outcome::TooBig;
        }

        let mut buf = [0u32; MAX_OID_LEN];
        // Phase one: every varbind is validated before anything changes.
        for (i, vb) in pdu.varbinds.iter().enumerate() {
            let name = arcs_of(vb.oid, &mut buf);
            // §4.2.5 (1): a name outside the write view (RFC 3413 §3.2).
            let tested = if !access.contains(name) {
                Err(super::SetError::NoAccess)
            } else if self.builtin.subtree_of(name).is_some() {
                self.builtin.test_set(name, &vb.value)
            } else {
                self.mib.test_set(ctx, name, &vb.value)
            };
            if let Err(e) = tested {
                return Outcome::Error {
                    status: e.status(),
                    index: one_based(i),
                };
            }
        }

        // Phase two: assign in order; on failure undo newest first.
        self.undo_log.clear();
        for (i, vb) in pdu.varbinds.iter().enumerate() {
            let name = arcs_of(vb.oid, &mut buf);
            let committed = if self.builtin.subtree_of(name).is_some() {
                self.builtin
                    .commit_set(name, &vb.value)
                    .map(UndoEntry::Builtin)
            } else {
                self.mib
                    .commit_set(ctx, name, &vb.value)
                    .map(UndoEntry::User)
            };
            match committed {
                Ok(u) => self.undo_log.push(u),
                Err(_) => {
                    return if self.undo_all(ctx) {
                        Outcome::Error {
                            status: ErrorStatus::CommitFailed,
                            index: one_based(i),
                        }
                    } else {
                        Outcome::Error {
                            status: ErrorStatus::UndoFailed,
                            index: 0,
                        }
                    };
                }
            }
        }
        self.undo_log.clear();
        self.mib.finish_set(ctx);
        self.stats.in_total_set_vars += count as u64;
        Outcome::Echo
    }

    /// Reverts every logged assignment, newest first; false if any failed.
    fn undo_all(&mut self, ctx: &Context) -> bool {
        let mut ok = true;
        while let Some(u) = self.undo_log.pop() {
            ok &= match u {
                UndoEntry::Builtin(b) => self.builtin.undo_set(b),
                UndoEntry::User(u) => self.mib.undo_set(ctx, u).is_ok(),
            };
        }
        ok
    }
}

/// Whether a v1 request carries a Counter64 value, which makes it
/// ill-formed (RFC 3584 §4.2.2.1: drop and count snmpInASNParseErrs).
pub(super) fn v1_has_counter64(pdu: &PduRef<'_>) -> bool {
    pdu.varbinds
        .iter()
        .any(|vb| matches!(vb.value, ValueRef::Counter64(_)))
}
