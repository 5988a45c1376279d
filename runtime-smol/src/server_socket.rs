//! Binding a socket that receives bursts (an agent's, a listener's, a
//! client driver's with many requests in flight): a std socket, non-blocking,
//! with [`SERVER_RECV_BUFFER`] asked as its receive buffer (best effort:
//! the kernel's default only drops more under bursts), then handed to the
//! runtime.

use std::io;
use std::net::{SocketAddr, UdpSocket};

use oxsnmp_core::transport::SERVER_RECV_BUFFER;

/// A bound, non-blocking socket with the larger receive buffer.
pub(crate) fn bind(addr: SocketAddr) -> io::Result<UdpSocket> {
    let socket = UdpSocket::bind(addr)?;
    socket.set_nonblocking(true)?;
    let _ = socket2::SockRef::from(&socket).set_recv_buffer_size(SERVER_RECV_BUFFER);
    Ok(socket)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asks_for_a_larger_receive_buffer() {
        let plain = UdpSocket::bind("127.0.0.1:0").unwrap();
        let default = socket2::SockRef::from(&plain).recv_buffer_size().unwrap();
        let server = bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let granted = socket2::SockRef::from(&server).recv_buffer_size().unwrap();
        assert!(granted > default, "{granted} <= {default}");
    }
}
