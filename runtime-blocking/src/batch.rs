//! Batched UDP I/O: many datagrams per system call.
//!
//! On Linux, [`recv_batch`] is one `recvmmsg(2)` and [`send_batch`] one
//! `sendmmsg(2)`; elsewhere they loop over [`UdpSocket::recv_from`] and
//! [`UdpSocket::send_to`] with the same results. Most of the cost of a
//! small UDP request/response is the kernel's per-call work, so an agent
//! under load answers several requests per call instead of one.
//!
//! This is the only module of the crate with `unsafe` code: the two calls
//! and the conversion of socket addresses to and from the C layout. Every
//! pointer handed to the kernel points into buffers borrowed for the
//! duration of the call, with lengths taken from those buffers.

use std::io;
use std::net::{SocketAddr, UdpSocket};

/// Largest UDP payload; each receive slot holds this much, so no datagram is
/// ever truncated.
pub const MAX_DATAGRAM: usize = 65535;

/// Receive buffers for up to `capacity` datagrams, reused across calls.
///
/// The slots are allocated zeroed in one block; memory is committed only
/// for the parts the kernel writes to, so large slots cost little.
pub struct RecvBatch {
    buf: Vec<u8>,
    slot: usize,
    lens: Vec<usize>,
    from: Vec<SocketAddr>,
    filled: usize,
}

impl std::fmt::Debug for RecvBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecvBatch")
            .field("capacity", &self.capacity())
            .field("filled", &self.filled)
            .finish_non_exhaustive()
    }
}

impl RecvBatch {
    /// Room for `capacity` (at least 1) datagrams of up to `slot` bytes each.
    pub fn new(capacity: usize, slot: usize) -> Self {
        let capacity = capacity.max(1);
        let slot = slot.max(1);
        Self {
            buf: vec![0; capacity * slot],
            slot,
            lens: vec![0; capacity],
            from: vec![SocketAddr::from(([0, 0, 0, 0], 0)); capacity],
            filled: 0,
        }
    }

    /// How many datagrams one call can receive.
    pub fn capacity(&self) -> usize {
        self.lens.len()
    }

    /// Number of datagrams received by the last call.
    pub fn len(&self) -> usize {
        self.filled
    }

    /// Whether the last call received nothing.
    pub fn is_empty(&self) -> bool {
        self.filled == 0
    }

    /// The datagrams received by the last call, with their senders.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], SocketAddr)> + '_ {
        (0..self.filled).map(move |i| {
            let start = i * self.slot;
            let bytes = self.buf.get(start..start + self.lens[i]).unwrap_or(&[]);
            (bytes, self.from[i])
        })
    }
}

/// Datagrams to send, back to back in one buffer, reused across calls.
#[derive(Debug, Default)]
pub struct SendBatch {
    buf: Vec<u8>,
    /// (start, end, destination) of each datagram in `buf`.
    items: Vec<(usize, usize, SocketAddr)>,
}

impl SendBatch {
    /// An empty batch.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a datagram for `to`.
    pub fn push(&mut self, payload: &[u8], to: SocketAddr) {
        let start = self.buf.len();
        self.buf.extend_from_slice(payload);
        self.items.push((start, self.buf.len(), to));
    }

    /// Appends a datagram written by `write` into the batch's buffer (which
    /// it must only append to), for `to`. Saves a copy when the payload is
    /// produced by an encoder that appends to a `Vec<u8>`.
    pub fn push_with(&mut self, to: SocketAddr, write: impl FnOnce(&mut Vec<u8>)) {
        let start = self.buf.len();
        write(&mut self.buf);
        let end = self.buf.len().max(start);
        self.items.push((start, end, to));
    }

    /// Number of datagrams waiting.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Forgets every datagram, keeping the buffers.
    pub fn clear(&mut self) {
        self.buf.clear();
        self.items.clear();
    }

    fn get(&self, i: usize) -> Option<(&[u8], SocketAddr)> {
        let &(start, end, to) = self.items.get(i)?;
        Some((self.buf.get(start..end).unwrap_or(&[]), to))
    }
}

/// Receives up to `batch.capacity()` datagrams: waits (as the socket's
/// blocking mode and read timeout say) for the first, then takes whatever
/// else is already queued without waiting. Returns how many arrived; see
/// [`RecvBatch::iter`].
pub fn recv_batch(socket: &UdpSocket, batch: &mut RecvBatch) -> io::Result<usize> {
    batch.filled = 0;
    let n = sys::recv_batch(socket, batch)?;
    batch.filled = n;
    Ok(n)
}

/// Sends every datagram of `batch`, in order, and clears it. A datagram the
/// kernel refuses is skipped (UDP gives no delivery guarantee anyway);
/// returns how many were handed to the kernel. An error is returned only
/// when not a single datagram could be sent.
pub fn send_batch(socket: &UdpSocket, batch: &mut SendBatch) -> io::Result<usize> {
    let mut sent = 0;
    let mut next = 0;
    let mut last_err = None;
    while next < batch.len() {
        match sys::send_batch(socket, batch, next) {
            Ok(0) => next += 1,
            Ok(n) => {
                sent += n;
                next += n;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                // The datagram at `next` failed; skip it and go on.
                last_err = Some(e);
                next += 1;
            }
        }
    }
    batch.clear();
    match last_err {
        Some(e) if sent == 0 => Err(e),
        _ => Ok(sent),
    }
}

/// Asks for a socket receive buffer of `bytes` (the kernel may cap it, at
/// `net.core.rmem_max` on Linux); returns the size it then reports. Without
/// Linux this does nothing and returns `Ok(0)`.
pub fn set_recv_buffer(socket: &UdpSocket, bytes: usize) -> io::Result<usize> {
    sys::set_recv_buffer(socket, bytes)
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
mod sys {
    use super::{RecvBatch, SendBatch};
    use std::io;
    use std::mem::{size_of, zeroed, MaybeUninit};
    use std::net::{SocketAddr, SocketAddrV4, SocketAddrV6, UdpSocket};
    use std::os::fd::AsRawFd;

    /// Most datagrams one call handles; larger batches are split.
    const MAX_BATCH: usize = 64;

    /// The address the kernel wrote into `storage`, of which `len` octets
    /// are initialised.
    fn to_socket_addr(
        storage: &MaybeUninit<libc::sockaddr_storage>,
        len: u32,
    ) -> Option<SocketAddr> {
        let len = len as usize;
        let p = storage.as_ptr();
        if len < size_of::<libc::sa_family_t>() {
            return None;
        }
        // SAFETY: the family field is within the `len` initialised octets.
        let family = unsafe { std::ptr::addr_of!((*p).ss_family).read() };
        match i32::from(family) {
            libc::AF_INET if len >= size_of::<libc::sockaddr_in>() => {
                // SAFETY: the family says the storage holds a sockaddr_in,
                // all of it initialised (`len`); sockaddr_storage is large
                // and aligned enough for it.
                let a = unsafe { p.cast::<libc::sockaddr_in>().read() };
                let ip = u32::from_be(a.sin_addr.s_addr);
                Some(SocketAddr::V4(SocketAddrV4::new(
                    ip.into(),
                    u16::from_be(a.sin_port),
                )))
            }
            libc::AF_INET6 if len >= size_of::<libc::sockaddr_in6>() => {
                // SAFETY: as above, for sockaddr_in6.
                let a = unsafe { p.cast::<libc::sockaddr_in6>().read() };
                Some(SocketAddr::V6(SocketAddrV6::new(
                    a.sin6_addr.s6_addr.into(),
                    u16::from_be(a.sin6_port),
                    u32::from_be(a.sin6_flowinfo),
                    a.sin6_scope_id,
                )))
            }
            _ => None,
        }
    }

    /// Writes `addr` into `storage` in the C layout; returns its length.
    fn from_socket_addr(
        addr: &SocketAddr,
        storage: &mut MaybeUninit<libc::sockaddr_storage>,
    ) -> u32 {
        let p = storage.as_mut_ptr();
        match addr {
            SocketAddr::V4(v4) => {
                // SAFETY: all-zero is a valid sockaddr_in (padding included).
                let mut a: libc::sockaddr_in = unsafe { zeroed() };
                a.sin_family = libc::AF_INET as libc::sa_family_t;
                a.sin_port = v4.port().to_be();
                a.sin_addr = libc::in_addr {
                    s_addr: u32::from(*v4.ip()).to_be(),
                };
                // SAFETY: sockaddr_storage is large and aligned enough for a
                // sockaddr_in.
                unsafe { p.cast::<libc::sockaddr_in>().write(a) };
                size_of::<libc::sockaddr_in>() as u32
            }
            SocketAddr::V6(v6) => {
                // SAFETY: as above, for sockaddr_in6.
                let mut a: libc::sockaddr_in6 = unsafe { zeroed() };
                a.sin6_family = libc::AF_INET6 as libc::sa_family_t;
                a.sin6_port = v6.port().to_be();
                a.sin6_flowinfo = v6.flowinfo().to_be();
                a.sin6_addr = libc::in6_addr {
                    s6_addr: v6.ip().octets(),
                };
                a.sin6_scope_id = v6.scope_id();
                // SAFETY: as above.
                unsafe { p.cast::<libc::sockaddr_in6>().write(a) };
                size_of::<libc::sockaddr_in6>() as u32
            }
        }
    }

    /// One message header for `recvmmsg`/`sendmmsg`, everything else zero.
    fn header(
        name: *mut libc::sockaddr_storage,
        namelen: u32,
        iov: *mut libc::iovec,
    ) -> libc::mmsghdr {
        // SAFETY: all-zero is a valid value for this plain C struct.
        let mut m: libc::mmsghdr = unsafe { zeroed() };
        m.msg_hdr.msg_name = name.cast();
        m.msg_hdr.msg_namelen = namelen;
        m.msg_hdr.msg_iov = iov;
        m.msg_hdr.msg_iovlen = 1;
        m
    }

    // Only the entries a call uses are initialised (a request/response
    // exchange uses one of 32 or 64): zeroing whole arrays of
    // sockaddr_storage and headers cost about 13 KiB of memset per call.

    pub(super) fn recv_batch(socket: &UdpSocket, batch: &mut RecvBatch) -> io::Result<usize> {
        let count = batch.capacity().min(MAX_BATCH);
        let slot = batch.slot;
        let mut names = [const { MaybeUninit::<libc::sockaddr_storage>::uninit() }; MAX_BATCH];
        let mut iovs = [const { MaybeUninit::<libc::iovec>::uninit() }; MAX_BATCH];
        let mut msgs = [const { MaybeUninit::<libc::mmsghdr>::uninit() }; MAX_BATCH];
        let mut ready = 0;
        for ((chunk, (name, iov)), msg) in batch
            .buf
            .chunks_exact_mut(slot)
            .zip(names.iter_mut().zip(iovs.iter_mut()))
            .zip(msgs.iter_mut())
            .take(count)
        {
            let iov = iov.write(libc::iovec {
                iov_base: chunk.as_mut_ptr().cast(),
                iov_len: chunk.len(),
            });
            msg.write(header(
                name.as_mut_ptr(),
                size_of::<libc::sockaddr_storage>() as u32,
                iov,
            ));
            ready += 1;
        }
        // SAFETY: `msgs[..ready]` are initialised and point at `ready`
        // iovecs, each covering a distinct slot of `batch.buf`, and at
        // `ready` sockaddr_storage buffers, all alive and exclusively
        // borrowed for the call; the kernel writes at most `namelen` octets
        // of each name and reports how many.
        let n = unsafe {
            libc::recvmmsg(
                socket.as_raw_fd(),
                msgs.as_mut_ptr().cast::<libc::mmsghdr>(),
                ready as u32,
                libc::MSG_WAITFORONE,
                std::ptr::null_mut(),
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        let n = (n as usize).min(ready);
        let mut kept = 0;
        for (i, (name, msg)) in names.iter().zip(&msgs).take(n).enumerate() {
            // SAFETY: the first `ready` headers were initialised above.
            let msg = unsafe { msg.assume_init_ref() };
            let Some(from) = to_socket_addr(name, msg.msg_hdr.msg_namelen) else {
                continue;
            };
            let len = (msg.msg_len as usize).min(slot);
            if kept != i {
                // Keep the datagrams dense when one was skipped.
                batch.buf.copy_within(i * slot..i * slot + len, kept * slot);
            }
            batch.lens[kept] = len;
            batch.from[kept] = from;
            kept += 1;
        }
        Ok(kept)
    }

    /// Sends datagrams of `batch` from index `first`; returns how many the
    /// kernel took (an error concerns the datagram at `first`).
    pub(super) fn send_batch(
        socket: &UdpSocket,
        batch: &SendBatch,
        first: usize,
    ) -> io::Result<usize> {
        let mut names = [const { MaybeUninit::<libc::sockaddr_storage>::uninit() }; MAX_BATCH];
        let mut iovs = [const { MaybeUninit::<libc::iovec>::uninit() }; MAX_BATCH];
        let mut msgs = [const { MaybeUninit::<libc::mmsghdr>::uninit() }; MAX_BATCH];
        let mut count = 0;
        for ((name, iov), msg) in names.iter_mut().zip(iovs.iter_mut()).zip(msgs.iter_mut()) {
            let Some((payload, to)) = batch.get(first + count) else {
                break;
            };
            let namelen = from_socket_addr(&to, name);
            let iov = iov.write(libc::iovec {
                // The kernel only reads through this pointer.
                iov_base: payload.as_ptr() as *mut libc::c_void,
                iov_len: payload.len(),
            });
            msg.write(header(name.as_mut_ptr(), namelen, iov));
            count += 1;
        }
        if count == 0 {
            return Ok(0);
        }
        // SAFETY: `msgs[..count]` are initialised and point at live iovecs
        // over payloads borrowed from `batch` and at addresses initialised
        // for the given lengths.
        let n = unsafe {
            libc::sendmmsg(
                socket.as_raw_fd(),
                msgs.as_mut_ptr().cast::<libc::mmsghdr>(),
                count as u32,
                0,
            )
        };
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(n as usize)
    }

    pub(super) fn set_recv_buffer(socket: &UdpSocket, bytes: usize) -> io::Result<usize> {
        let fd = socket.as_raw_fd();
        let value = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
        let len = size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: `value` is a live c_int and `len` its size.
        let rc = unsafe {
            libc::setsockopt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_RCVBUF,
                (&value as *const libc::c_int).cast(),
                len,
            )
        };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        let mut got: libc::c_int = 0;
        let mut got_len = len;
        // SAFETY: `got` is a live c_int and `got_len` its size.
        let rc = unsafe {
            libc::getsockopt(
                fd,
                libc::SOL_SOCKET,
                libc::SO_RCVBUF,
                (&mut got as *mut libc::c_int).cast(),
                &mut got_len,
            )
        };
        if rc != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(usize::try_from(got).unwrap_or(0))
    }
}

#[cfg(not(target_os = "linux"))]
mod sys {
    use super::{RecvBatch, SendBatch};
    use std::io;
    use std::net::UdpSocket;

    pub(super) fn recv_batch(socket: &UdpSocket, batch: &mut RecvBatch) -> io::Result<usize> {
        let slot = batch.slot;
        let first = batch.buf.get_mut(..slot).unwrap_or(&mut []);
        let (len, from) = socket.recv_from(first)?;
        batch.lens[0] = len;
        batch.from[0] = from;
        Ok(1)
    }

    pub(super) fn send_batch(
        socket: &UdpSocket,
        batch: &SendBatch,
        first: usize,
    ) -> io::Result<usize> {
        match batch.get(first) {
            Some((payload, to)) => socket.send_to(payload, to).map(|_| 1),
            None => Ok(0),
        }
    }

    pub(super) fn set_recv_buffer(_socket: &UdpSocket, _bytes: usize) -> io::Result<usize> {
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_v4_and_v6() {
        for ip in ["127.0.0.1:0", "[::1]:0"] {
            let Ok(a) = UdpSocket::bind(ip) else {
                continue; // no IPv6 here
            };
            let b = UdpSocket::bind(ip).unwrap();
            b.set_read_timeout(Some(std::time::Duration::from_secs(5)))
                .unwrap();
            let to = b.local_addr().unwrap();
            let mut out = SendBatch::new();
            for i in 0..5u8 {
                out.push(&vec![i; usize::from(i) * 100], to);
            }
            assert_eq!(send_batch(&a, &mut out).unwrap(), 5);
            assert!(out.is_empty());
            let mut got = Vec::new();
            let mut rx = RecvBatch::new(4, MAX_DATAGRAM);
            while got.len() < 5 {
                recv_batch(&b, &mut rx).unwrap();
                assert!(rx.len() <= 4);
                for (bytes, from) in rx.iter() {
                    assert_eq!(from, a.local_addr().unwrap());
                    got.push(bytes.to_vec());
                }
            }
            for (i, bytes) in (0u8..).zip(&got) {
                assert_eq!(bytes, &vec![i; usize::from(i) * 100]);
            }
            assert!(set_recv_buffer(&b, 1 << 20).is_ok());
        }
    }
}
