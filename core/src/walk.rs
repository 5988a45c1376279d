//! Walks as state machines: the caller sends [`Walk::next_request`] through a
//! manager and feeds the response to [`Walk::handle_response`], which yields
//! the varbinds inside the subtree until the walk is finished.
//!
//! The same machine serves GETNEXT walks (v1 and v2c) and GETBULK walks with a
//! fixed or adaptive max-repetitions. [`TableWalk`] walks several columns in
//! lockstep and yields whole rows.
//!
//! ```
//! use oxsnmp_core::walk::{Walk, WalkOptions};
//! use oxsnmp_core::manager::{Request, Response};
//! use oxsnmp_core::{ErrorStatus, Value, VarBind, Version};
//!
//! let mut walk = Walk::new("1.3.6.1.2.1.1".parse().unwrap(), Version::V2c, WalkOptions::getnext());
//! let Some(Request::GetNext(oids)) = walk.next_request() else { panic!() };
//! assert_eq!(oids[0].to_string(), "1.3.6.1.2.1.1");
//! let resp = |oid: &str| Response {
//!     error_status: ErrorStatus::NoError, error_index: 0, wire_len: 0,
//!     varbinds: vec![VarBind::new(oid.parse().unwrap(), Value::Integer(1))],
//! };
//! assert_eq!(walk.handle_response(resp("1.3.6.1.2.1.1.1.0")).unwrap().len(), 1);
//! assert!(walk.handle_response(resp("1.3.6.1.2.1.2.1.0")).unwrap().is_empty());
//! assert!(walk.is_finished());
//! ```

use crate::manager::{Request, Response, MAX_UDP_MESSAGE};
use crate::message::Version;
use crate::oid::Oid;
use crate::pdu::{ErrorStatus, VarBind};
use crate::value::Value;

/// How many repetitions a bulk walk asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repetitions {
    /// Always this many (Net-SNMP's `-Cr N`).
    Fixed(u32),
    /// Start at `initial`, double while the agent answers in full and the
    /// response stays under the target size, halve on tooBig or genErr.
    Adaptive {
        /// First max-repetitions.
        initial: u32,
        /// Never more than this.
        max: u32,
    },
}

impl Repetitions {
    /// The max-repetitions of the first request (`Fixed(n)`: `n`, at least 1).
    pub fn initial(self) -> u32 {
        match self {
            Repetitions::Fixed(n) => n.max(1),
            Repetitions::Adaptive { initial, max } => initial.clamp(1, max.max(1)),
        }
    }
}

/// Start at 32 and grow to at most 256 varbinds per request.
///
/// The ceiling is measured, not guessed (BENCHMARKS.md, "Walk"): an agent
/// such as Net-SNMP's snmpd configured without its GETBULK cap spends about
/// the same per varbind up to ~300 varbinds per answer and then more with
/// every extra one, so a walk that fills 64 KB messages took 1.6× longer than
/// one at a few hundred; against agents that answer fast, 256 is within 10%
/// of filling the message.
impl Default for Repetitions {
    fn default() -> Self {
        Repetitions::Adaptive {
            initial: 32,
            max: 256,
        }
    }
}

/// Walk settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkOptions {
    /// `None` for GETNEXT; `Some` for GETBULK with these repetitions.
    pub bulk: Option<Repetitions>,
    /// Fail when an agent returns an OID not after the previous one
    /// (turn off like Net-SNMP's `-Cc`).
    pub check_increasing: bool,
    /// When the subtree is empty, GET the root itself, as `snmpwalk` does
    /// so that walking an instance (`sysDescr.0`) prints it.
    pub get_root_if_empty: bool,
    /// Response size an adaptive walk aims to stay under.
    pub target_response_size: usize,
}

impl WalkOptions {
    /// A GETNEXT walk (the only kind SNMPv1 has).
    pub fn getnext() -> Self {
        Self {
            bulk: None,
            check_increasing: true,
            get_root_if_empty: true,
            target_response_size: MAX_UDP_MESSAGE,
        }
    }

    /// A GETBULK walk.
    pub fn bulk(repetitions: Repetitions) -> Self {
        Self {
            bulk: Some(repetitions),
            ..Self::getnext()
        }
    }
}

/// Why a walk stopped early.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WalkError {
    /// The agent returned an OID that does not follow the previous one.
    #[error("OID not increasing: {previous} >= {received}")]
    NotIncreasing {
        /// The last OID returned before.
        previous: Oid,
        /// The OID that did not increase.
        received: Oid,
    },
    /// The agent answered with an error-status.
    #[error("{0}")]
    Snmp(#[from] crate::manager::SnmpError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Walking,
    GettingRoot,
    Finished,
}

/// A walk of one subtree. See the [module documentation](self).
#[derive(Debug, Clone)]
pub struct Walk {
    root: Oid,
    cursor: Oid,
    version: Version,
    options: WalkOptions,
    repetitions: u32,
    /// Largest max-repetitions known to be accepted after a refusal, so an
    /// adaptive walk does not keep growing back into tooBig/genErr.
    ceiling: u32,
    phase: Phase,
    yielded: u64,
    last_request_reps: u32,
}

impl Walk {
    /// A walk of the subtree under `root`. SNMPv1 always walks with GETNEXT.
    pub fn new(root: Oid, version: Version, mut options: WalkOptions) -> Self {
        if version == Version::V1 {
            options.bulk = None;
        }
        let repetitions = match options.bulk {
            Some(Repetitions::Fixed(n)) => n.max(1),
            Some(Repetitions::Adaptive { initial, max }) => initial.clamp(1, max.max(1)),
            None => 0,
        };
        Self {
            cursor: root.clone(),
            root,
            version,
            options,
            repetitions,
            ceiling: u32::MAX,
            phase: Phase::Walking,
            yielded: 0,
            last_request_reps: 0,
        }
    }

    /// Whether the walk has ended.
    pub fn is_finished(&self) -> bool {
        self.phase == Phase::Finished
    }

    /// Number of varbinds yielded so far.
    pub fn yielded(&self) -> u64 {
        self.yielded
    }

    /// The current max-repetitions (0 for GETNEXT walks).
    pub fn repetitions(&self) -> u32 {
        self.repetitions
    }

    /// The request to send next, or `None` once finished.
    pub fn next_request(&mut self) -> Option<Request> {
        match self.phase {
            Phase::Finished => None,
            Phase::GettingRoot => Some(Request::Get(vec![self.root.clone()])),
            Phase::Walking => Some(match self.options.bulk {
                None => Request::GetNext(vec![self.cursor.clone()]),
                Some(_) => {
                    self.last_request_reps = self.repetitions;
                    Request::GetBulk {
                        non_repeaters: 0,
                        max_repetitions: self.repetitions,
                        oids: vec![self.cursor.clone()],
                    }
                }
            }),
        }
    }

    fn end_of_walk(&mut self) {
        self.phase = if self.yielded == 0 && self.options.get_root_if_empty {
            Phase::GettingRoot
        } else {
            Phase::Finished
        };
    }

    /// Feeds the response to the last request; returns the varbinds to report.
    pub fn handle_response(&mut self, response: Response) -> Result<Vec<VarBind>, WalkError> {
        match self.phase {
            Phase::Finished => Ok(Vec::new()),
            Phase::GettingRoot => {
                self.phase = Phase::Finished;
                let vbs = match response.into_result() {
                    Ok(v) => v,
                    // v1 agents say noSuchName for a missing instance: nothing to show.
                    Err(e) if e.status == ErrorStatus::NoSuchName => return Ok(Vec::new()),
                    Err(e) => return Err(e.into()),
                };
                Ok(vbs
                    .into_iter()
                    .filter(|vb| !vb.value.is_exception())
                    .inspect(|_| self.yielded += 1)
                    .collect())
            }
            Phase::Walking => self.handle_walk_response(response),
        }
    }

    fn handle_walk_response(&mut self, response: Response) -> Result<Vec<VarBind>, WalkError> {
        match response.error_status {
            ErrorStatus::NoError => {}
            // RFC 1157 §4.1.3: a v1 GETNEXT past the last object answers noSuchName.
            ErrorStatus::NoSuchName if self.version == Version::V1 => {
                self.end_of_walk();
                return Ok(Vec::new());
            }
            // Net-SNMP answers genErr where it means tooBig for big v3 bulk replies.
            ErrorStatus::TooBig | ErrorStatus::GenErr
                if self.options.bulk.is_some() && self.repetitions > 1 =>
            {
                self.repetitions = (self.repetitions / 2).max(1);
                self.ceiling = self.repetitions;
                return Ok(Vec::new());
            }
            _ => return Err(snmp_error(response).into()),
        }
        let received = response.varbinds.len();
        let wire_len = response.wire_len;
        let mut out: Vec<VarBind> = Vec::with_capacity(received);
        for vb in response.varbinds {
            if matches!(
                vb.value,
                Value::EndOfMibView | Value::NoSuchObject | Value::NoSuchInstance
            ) || !vb.oid.starts_with(&self.root)
            {
                self.advance_cursor(&out);
                self.yielded += out.len() as u64;
                self.end_of_walk();
                return Ok(out);
            }
            // The previous OID is the last one kept from this response, or
            // the cursor: the cursor itself is moved once per response.
            let previous = out.last().map_or(&self.cursor, |v| &v.oid);
            if self.options.check_increasing && vb.oid <= *previous {
                let previous = previous.clone();
                self.advance_cursor(&out);
                return Err(WalkError::NotIncreasing {
                    previous,
                    received: vb.oid,
                });
            }
            out.push(vb);
        }
        self.advance_cursor(&out);
        self.yielded += out.len() as u64;
        if out.is_empty() {
            // An empty answer would make us ask the same question forever.
            self.end_of_walk();
            return Ok(out);
        }
        self.adapt(received, wire_len);
        Ok(out)
    }

    /// Moves the cursor to the last varbind kept, if any.
    fn advance_cursor(&mut self, kept: &[VarBind]) {
        if let Some(last) = kept.last() {
            self.cursor.clone_from(&last.oid);
        }
    }

    fn adapt(&mut self, received: usize, wire_len: usize) {
        let Some(Repetitions::Adaptive { max, .. }) = self.options.bulk else {
            return;
        };
        let asked = self.last_request_reps as usize;
        if received < asked {
            // The agent capped the answer itself; asking for more only costs it work.
            self.repetitions = (received as u32).clamp(1, max);
            return;
        }
        let per_vb = (wire_len / received.max(1)).max(1);
        let fits = (self.options.target_response_size * 3 / 4 / per_vb) as u32;
        self.repetitions = (self.repetitions.saturating_mul(2))
            .min(fits)
            .min(self.ceiling)
            .clamp(1, max);
    }
}

/// The error of a response known to carry a non-zero error-status.
fn snmp_error(response: Response) -> crate::manager::SnmpError {
    let status = response.error_status;
    response
        .into_result()
        .err()
        .unwrap_or(crate::manager::SnmpError {
            status,
            index: 0,
            oid: None,
        })
}

/// One row of a table walk: the index (the OID suffix after each column)
/// and, per requested column, its value if the row has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The instance index shared by the row's cells.
    pub index: Vec<u32>,
    /// One entry per column, in the order the columns were given.
    pub values: Vec<Option<Value>>,
}

#[derive(Debug, Clone)]
struct Column {
    root: Oid,
    cursor: Oid,
    queue: std::collections::VecDeque<(Vec<u32>, Value)>,
    done: bool,
}

/// A GETBULK walk of several columns in lockstep, yielding rows in index
/// order. Sparse tables are handled: a row missing a cell gets `None` there.
///
/// Only columns whose buffered cells have run out are asked for more, so
/// memory stays bounded by one response per column.
#[derive(Debug, Clone)]
pub struct TableWalk {
    columns: Vec<Column>,
    repetitions: u32,
    check_increasing: bool,
    asked: Vec<usize>,
}

impl TableWalk {
    /// A walk of these columns with this many repetitions per request.
    pub fn new(columns: Vec<Oid>, repetitions: u32, check_increasing: bool) -> Self {
        Self {
            columns: columns
                .into_iter()
                .map(|root| Column {
                    cursor: root.clone(),
                    root,
                    queue: Default::default(),
                    done: false,
                })
                .collect(),
            repetitions: repetitions.max(1),
            check_increasing,
            asked: Vec::new(),
        }
    }

    /// Whether every row has been yielded.
    pub fn is_finished(&self) -> bool {
        self.columns.iter().all(|c| c.done && c.queue.is_empty())
    }

    /// The next GETBULK to send, or `None` when no column needs data.
    pub fn next_request(&mut self) -> Option<Request> {
        self.asked = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.done && c.queue.is_empty())
            .map(|(i, _)| i)
            .collect();
        if self.asked.is_empty() {
            return None;
        }
        let oids = self
            .asked
            .iter()
            .filter_map(|&i| self.columns.get(i).map(|c| c.cursor.clone()))
            .collect();
        Some(Request::GetBulk {
            non_repeaters: 0,
            max_repetitions: self.repetitions,
            oids,
        })
    }

    /// Feeds the response to the last request and returns the rows now complete.
    pub fn handle_response(&mut self, response: Response) -> Result<Vec<Row>, WalkError> {
        if response.error_status != ErrorStatus::NoError {
            if matches!(
                response.error_status,
                ErrorStatus::TooBig | ErrorStatus::GenErr
            ) && self.repetitions > 1
            {
                self.repetitions /= 2;
                return Ok(Vec::new());
            }
            return Err(snmp_error(response).into());
        }
        let n = self.asked.len().max(1);
        let received = response.varbinds.len();
        let mut got_any = vec![false; self.asked.len()];
        for (k, vb) in response.varbinds.into_iter().enumerate() {
            let slot = k % n;
            let Some(&ci) = self.asked.get(slot) else {
                continue;
            };
            let Some(col) = self.columns.get_mut(ci) else {
                continue;
            };
            if col.done {
                continue;
            }
            if vb.value == Value::EndOfMibView || !vb.oid.starts_with(&col.root) {
                col.done = true;
                continue;
            }
            if self.check_increasing && vb.oid <= col.cursor {
                return Err(WalkError::NotIncreasing {
                    previous: col.cursor.clone(),
                    received: vb.oid,
                });
            }
            let index = vb
                .oid
                .arcs()
                .get(col.root.len()..)
                .unwrap_or_default()
                .to_vec();
            col.cursor = vb.oid;
            col.queue.push_back((index, vb.value));
            if let Some(g) = got_any.get_mut(slot) {
                *g = true;
            }
        }
        for (slot, &ci) in self.asked.iter().enumerate() {
            // A column missing from a truncated response (RFC 3416 §4.2.3 lets
            // an agent return fewer varbinds than asked) is asked again, not
            // ended; only an empty response, which would repeat forever, ends
            // every column.
            if !got_any.get(slot).copied().unwrap_or(false) && (received == 0 || slot < received) {
                if let Some(col) = self.columns.get_mut(ci) {
                    col.done = true;
                }
            }
        }
        Ok(self.drain_rows())
    }

    fn drain_rows(&mut self) -> Vec<Row> {
        let mut rows = Vec::new();
        loop {
            // A row can be emitted only when every unfinished column has a cell buffered.
            if self.columns.iter().any(|c| !c.done && c.queue.is_empty()) {
                break;
            }
            let Some(index) = self
                .columns
                .iter()
                .filter_map(|c| c.queue.front().map(|(i, _)| i))
                .min()
                .cloned()
            else {
                break;
            };
            let values = self
                .columns
                .iter_mut()
                .map(|c| match c.queue.front() {
                    Some((i, _)) if *i == index => c.queue.pop_front().map(|(_, v)| v),
                    _ => None,
                })
                .collect();
            rows.push(Row { index, values });
        }
        rows
    }
}
