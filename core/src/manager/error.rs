use std::io;

use crate::manager::{RequestError, SendError, SnmpError};
use crate::transport::AddressError;
use crate::walk::WalkError;

/// Everything a client operation in a runtime crate can fail with.
///
/// Shared by `oxsnmp-tokio`, `oxsnmp-smol` and `oxsnmp-blocking`, so code
/// written against one runtime handles errors the same way on the others.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// No response after every retry.
    #[error("Timeout: No Response from {0}")]
    Timeout(std::net::SocketAddr),
    /// The agent answered with a non-zero error-status.
    #[error("{0}")]
    Snmp(SnmpError),
    /// A walk received an OID that does not increase.
    #[error("Error: OID not increasing: {previous} >= {received}")]
    NotIncreasing {
        /// The previous OID.
        previous: crate::Oid,
        /// The OID that did not increase.
        received: crate::Oid,
    },
    /// The request could not be built.
    #[error("{0}")]
    Send(#[from] SendError),
    /// The target address could not be parsed or resolved.
    #[error("{0}")]
    Address(#[from] AddressError),
    /// A socket error.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// The client was closed while the request was in flight.
    #[error("client closed")]
    Closed,
    /// An SNMPv3 Report-PDU ended the request; Display gives Net-SNMP's
    /// wording (`Unknown user name`, `Authentication failure (incorrect
    /// password, community or key)`, `Decryption error`, ...).
    #[error("{0}")]
    Report(crate::v3::ReportKind),
}

impl From<SnmpError> for ClientError {
    fn from(e: SnmpError) -> Self {
        ClientError::Snmp(e)
    }
}

impl From<RequestError> for ClientError {
    fn from(e: RequestError) -> Self {
        match e {
            RequestError::Timeout(addr) => ClientError::Timeout(addr),
            RequestError::Cancelled => ClientError::Closed,
            RequestError::Report(kind) => ClientError::Report(kind),
        }
    }
}

impl From<WalkError> for ClientError {
    fn from(e: WalkError) -> Self {
        match e {
            WalkError::NotIncreasing { previous, received } => {
                ClientError::NotIncreasing { previous, received }
            }
            WalkError::Snmp(s) => ClientError::Snmp(s),
        }
    }
}
