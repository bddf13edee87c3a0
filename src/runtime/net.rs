//! TCP for the `http` module: listening sockets, server connections and client connections on
//! a mio `Poll`, which is the event loop's poll step. Messages are parsed with httparse.
//!
//! Server side: a connection's JavaScript `Socket` comes from the server's `_onConnection`;
//! each request's head goes to `_onRequest`, which returns the `IncomingMessage`; its body
//! (Content-Length or chunked) follows as Buffers (strings after `setEncoding`) through
//! `_onData` and `_onEnd` as the bytes
//! arrive. Requests on one connection are answered one at a time, in order (pipelining): the
//! next head is parsed once the response ended (`finish`) and the body was read. A malformed
//! request gets `400 Bad Request` (a header block past 16 KiB `431`) and the connection is
//! closed, as node does — unless the server has 'clientError' listeners. So does input that
//! ends inside a request (400, HPE_INVALID_EOF_STATE), and a request whose head is not in by
//! the server's headersTimeout or that is not complete by its requestTimeout, both counted
//! from the request's first byte (from the connection for the first request): 408. node
//! checks these every connectionsCheckingInterval (30 s); minijs at the deadline itself.
//!
//! Client side: `connect` starts a non-blocking connect; the request bytes wait in the output
//! buffer until the socket is writable. The response head goes to the ClientRequest's
//! `_onResponse` (which returns the response's `IncomingMessage`), the body as above; the
//! connection is closed when the response ended (no agent keeps sockets). A failed connect
//! calls `_onError` with node's error code and errno.
//!
//! Closed connections are reported to JavaScript from the poll step (`_onClose` on the Socket
//! or the ClientRequest), never from inside a native, so no JavaScript runs re-entrantly.

use std::collections::HashMap;
use std::io::{ErrorKind as IoErrorKind, Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use mio::net::{TcpListener, TcpStream};
use mio::{Events, Interest, Poll, Token};

use crate::gc::{EdgeName, Tracer};
use crate::vm::interp::{Thrown, Vm};
use crate::vm::object::{attrs, Object};
use crate::vm::realm::arg;
use crate::vm::value::Value;

type R = Result<Value, Thrown>;

/// The largest header block accepted (node's maxHeaderSize).
const MAX_HEADER_BYTES: usize = 16 * 1024;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Side {
    Server,
    Client,
}

/// How the body of the message being read is framed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Body {
    /// No body being read.
    Idle,
    /// Content-Length: the bytes still to come.
    Length(u64),
    Chunked(Chunk),
    /// A response without framing: the body ends when the server closes.
    UntilClose,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Chunk {
    Size,
    Data(u64),
    DataEnd,
    Trailers,
}

/// How body bytes reach JavaScript: as Buffers (node's default), or decoded to strings after
/// `setEncoding`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Encoding {
    Buffer,
    Utf8,
    Latin1,
    Hex,
    Base64,
}

struct Conn {
    stream: TcpStream,
    side: Side,
    /// Server side: the Server; client side: the ClientRequest.
    owner: Value,
    /// Server side: the connection's JavaScript Socket.
    socket: Value,
    /// The IncomingMessage whose body is being read (UNDEFINED when none).
    msg: Value,
    body: Body,
    encoding: Encoding,
    /// Bytes of a character (UTF-8) or group (base64) split across reads.
    partial: Vec<u8>,
    inbuf: Vec<u8>,
    outbuf: Vec<u8>,
    /// Server: a request was dispatched and its response has not ended. Client: the response
    /// has not ended.
    busy: bool,
    /// Server: the current response has written bytes (a 400 can no longer be sent).
    responded: bool,
    close_after_flush: bool,
    /// The server stopped listening: close once the current response is done.
    close_when_idle: bool,
    /// The peer finished sending (a read returned 0).
    read_closed: bool,
    /// A read or write failed: close at once.
    broken: bool,
    /// Client: connect() has not completed.
    connecting: bool,
    /// Client: the request is HEAD (its response has no body).
    head: bool,
    /// Client: the addresses still to try, and the one being tried.
    fallback: Vec<SocketAddr>,
    addr: Option<SocketAddr>,
    /// Server: an idle keep-alive connection closes at this time unless a request comes
    /// (node's keepAliveTimeout, plus the second node waits beyond it).
    idle_deadline: Option<Instant>,
    /// Server: the request being received must have its head by `headers_deadline` and be
    /// complete by `request_deadline` (node's headersTimeout and requestTimeout, counted from
    /// the request's first byte, or from the connection for the first request), else `408`.
    headers_deadline: Option<Instant>,
    request_deadline: Option<Instant>,
    /// Server: headersTimeout and requestTimeout in ms (0: none), as last read from the Server.
    timeouts: (f64, f64),
}

impl Conn {
    fn new(stream: TcpStream, side: Side, owner: Value) -> Conn {
        Conn {
            stream,
            side,
            owner,
            socket: Value::UNDEFINED,
            msg: Value::UNDEFINED,
            body: Body::Idle,
            encoding: Encoding::Buffer,
            partial: Vec::new(),
            inbuf: Vec::new(),
            outbuf: Vec::new(),
            busy: false,
            responded: false,
            close_after_flush: false,
            close_when_idle: false,
            read_closed: false,
            broken: false,
            connecting: false,
            head: false,
            fallback: Vec::new(),
            addr: None,
            idle_deadline: None,
            headers_deadline: None,
            request_deadline: None,
            timeouts: (0.0, 0.0),
        }
    }

    /// A request starts arriving: arms its headers and request deadlines. Returns the
    /// earliest, for the sweep.
    fn start_request_timers(&mut self, now: Instant) -> Option<Instant> {
        let at = |ms: f64| {
            // (A timeout past a year is no timeout.)
            (ms > 0.0 && ms < 3.2e10)
                .then(|| now.checked_add(Duration::from_millis(ms as u64)))
                .flatten()
        };
        self.headers_deadline = at(self.timeouts.0);
        self.request_deadline = at(self.timeouts.1);
        match (self.headers_deadline, self.request_deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Whether the request timers run (a request is being received).
    fn timing_request(&self) -> bool {
        self.headers_deadline.is_some() || self.request_deadline.is_some()
    }
}

/// Moves the sweep earlier to `d`.
fn arm_sweep(net: &mut NetState, d: Option<Instant>) {
    if let Some(d) = d {
        net.sweep_at = Some(net.sweep_at.map_or(d, |s| s.min(d)));
    }
}

/// The Server's headersTimeout and requestTimeout.
fn server_timeouts(vm: &mut Vm, server: Value) -> Result<(f64, f64), Thrown> {
    let hk = vm.intern("headersTimeout");
    let h = vm.get(server, hk)?.as_number().unwrap_or(0.0);
    let rk = vm.intern("requestTimeout");
    let r = vm.get(server, rk)?.as_number().unwrap_or(0.0);
    Ok((h, r))
}

#[derive(Default)]
pub struct NetState {
    poll: Option<Poll>,
    listeners: HashMap<Token, (TcpListener, Value)>,
    conns: HashMap<Token, Conn>,
    next_token: usize,
    /// Closed connections whose JavaScript side (the Socket or ClientRequest) has not been
    /// told yet.
    closed: Vec<Value>,
    /// Connections with work to do without new readiness (a response ended while the next
    /// request waits in the input buffer).
    ready: Vec<Token>,
    /// Read buffer, reused.
    scratch: Vec<u8>,
    /// The earliest idle deadline of a connection, if any.
    sweep_at: Option<Instant>,
}

impl NetState {
    pub fn trace(&self, t: &mut dyn Tracer) {
        for (_, server) in self.listeners.values() {
            crate::vm::object::trace_value(t, EdgeName::Internal("server"), *server, None);
        }
        for c in self.conns.values() {
            crate::vm::object::trace_value(t, EdgeName::Internal("owner"), c.owner, None);
            crate::vm::object::trace_value(t, EdgeName::Internal("socket"), c.socket, None);
            crate::vm::object::trace_value(t, EdgeName::Internal("message"), c.msg, None);
        }
        for v in &self.closed {
            crate::vm::object::trace_value(t, EdgeName::Internal("closed"), *v, None);
        }
    }

    /// Whether a listening socket, an open connection or a pending notification keeps the
    /// process alive.
    pub fn active(&self) -> bool {
        !self.listeners.is_empty()
            || !self.conns.is_empty()
            || !self.closed.is_empty()
            || !self.ready.is_empty()
    }

    pub(crate) fn poll(&mut self) -> std::io::Result<&mut Poll> {
        if self.poll.is_none() {
            self.poll = Some(Poll::new()?);
        }
        Ok(self.poll.as_mut().expect("just made"))
    }

    fn token(&mut self) -> Token {
        self.next_token += 1;
        Token(self.next_token)
    }
}

fn id_arg(a: &[Value]) -> Token {
    let n = arg(a, 0).as_number().unwrap_or(-1.0);
    if n >= 0.0 {
        Token(n as usize)
    } else {
        Token(usize::MAX - 1)
    }
}

/// The natives `http.js` uses.
pub fn native_module(vm: &mut Vm) -> R {
    let o = vm.new_object();
    vm.define_native(o, "listen", 3, listen);
    vm.define_native(o, "connect", 4, connect);
    // write(id, string): queues bytes and writes what the socket takes.
    vm.define_native(o, "write", 2, |vm, _, a| {
        let t = id_arg(a);
        let data = arg(a, 1);
        let view = data
            .as_heap::<Object>()
            .and_then(|o| crate::vm::typed::typed_array(o.get()).map(|v| v.to_bytes()));
        if let Some(s) = data.as_heap::<crate::vm::string::JsString>() {
            if let Some(c) = vm.host.net.conns.get_mut(&t) {
                append_utf8(s.get(), &mut c.outbuf);
                c.responded = true;
            }
        } else if let Some(bytes) = view {
            // A Buffer or another typed array: its bytes.
            if let Some(c) = vm.host.net.conns.get_mut(&t) {
                c.outbuf.extend_from_slice(&bytes);
                c.responded = true;
            }
        } else {
            let s = vm.to_rust_string(data)?;
            if let Some(c) = vm.host.net.conns.get_mut(&t) {
                c.outbuf.extend_from_slice(s.as_bytes());
                c.responded = true;
            }
        }
        flush(vm, t);
        Ok(Value::UNDEFINED)
    });
    // finish(id, close, keepAliveTimeout, headersTimeout, requestTimeout): the server's
    // response ended; the next request may be read; an idle connection closes after
    // keepAliveTimeout + 1 s.
    vm.define_native(o, "finish", 5, |vm, _, a| {
        let t = id_arg(a);
        let close = crate::vm::interp::to_boolean(arg(a, 1));
        let keep_alive_ms = arg(a, 2).as_number().unwrap_or(0.0);
        let timeouts = (
            arg(a, 3).as_number().unwrap_or(0.0),
            arg(a, 4).as_number().unwrap_or(0.0),
        );
        let net = &mut vm.host.net;
        if let Some(c) = net.conns.get_mut(&t) {
            c.busy = false;
            c.timeouts = timeouts;
            if close || c.close_when_idle || (c.read_closed && c.inbuf.is_empty()) {
                c.close_after_flush = true;
            } else if !c.inbuf.is_empty() || c.read_closed {
                if !c.inbuf.is_empty() && !c.timing_request() {
                    let d = c.start_request_timers(Instant::now());
                    arm_sweep(net, d);
                }
                net.ready.push(t);
            } else if keep_alive_ms > 0.0 {
                // (A timeout past a year is no timeout.)
                let ms = (keep_alive_ms.min(3.2e10) as u64).saturating_add(1000);
                if let Some(d) = Instant::now().checked_add(Duration::from_millis(ms)) {
                    c.idle_deadline = Some(d);
                    net.sweep_at = Some(net.sweep_at.map_or(d, |s| s.min(d)));
                }
            }
        }
        flush(vm, t);
        Ok(Value::UNDEFINED)
    });
    // shutdown(id): close once the queued bytes are written (socket.end()).
    vm.define_native(o, "shutdown", 1, |vm, _, a| {
        let t = id_arg(a);
        if let Some(c) = vm.host.net.conns.get_mut(&t) {
            c.close_after_flush = true;
        }
        flush(vm, t);
        Ok(Value::UNDEFINED)
    });
    // destroy(id): close now, dropping what was not written.
    vm.define_native(o, "destroy", 1, |vm, _, a| {
        close_conn(vm, id_arg(a));
        Ok(Value::UNDEFINED)
    });
    // setEncoding(id, name): how later body bytes of the connection's message are decoded.
    vm.define_native(o, "setEncoding", 2, |vm, _, a| {
        let t = id_arg(a);
        let name = vm.to_rust_string(arg(a, 1))?;
        let e = match name.as_str() {
            "latin1" => Encoding::Latin1,
            "hex" => Encoding::Hex,
            "base64" => Encoding::Base64,
            _ => Encoding::Utf8,
        };
        if let Some(c) = vm.host.net.conns.get_mut(&t) {
            if c.encoding != e {
                c.encoding = e;
                c.partial.clear();
            }
        }
        Ok(Value::UNDEFINED)
    });
    vm.define_native(o, "close", 1, |vm, _, a| {
        let server = arg(a, 0);
        let net = &mut vm.host.net;
        let tokens: Vec<Token> = net
            .listeners
            .iter()
            .filter(|(_, (_, s))| *s == server)
            .map(|(t, _)| *t)
            .collect();
        for t in tokens {
            if let Some((mut l, _)) = net.listeners.remove(&t) {
                if let Ok(p) = net.poll() {
                    let _ = p.registry().deregister(&mut l);
                }
            }
        }
        // node v19+: idle keep-alive connections close at once, busy ones after their
        // response.
        let mut idle = Vec::new();
        for (t, c) in net.conns.iter_mut() {
            if c.side == Side::Server && c.owner == server {
                c.close_when_idle = true;
                if !c.busy && c.inbuf.is_empty() && c.body == Body::Idle {
                    idle.push(*t);
                }
            }
        }
        for t in idle {
            close_conn(vm, t);
        }
        Ok(Value::UNDEFINED)
    });
    Ok(Value::heap(o))
}

/// Appends a string's UTF-8 bytes (ASCII strings are copied as they are).
fn append_utf8(s: &crate::vm::string::JsString, out: &mut Vec<u8>) {
    match s.as_latin1() {
        Some(b) if b.is_ascii() => out.extend_from_slice(b),
        Some(b) => {
            for &x in b {
                let mut tmp = [0u8; 4];
                out.extend_from_slice((x as char).encode_utf8(&mut tmp).as_bytes());
            }
        }
        None => out.extend_from_slice(s.to_rust_string().as_bytes()),
    }
}

/// listen(server, port, host) → [address, family, port]; throws node's listen errors.
fn listen(vm: &mut Vm, _: Value, a: &[Value]) -> R {
    let server = arg(a, 0);
    let port = vm.to_number(arg(a, 1))? as u16;
    let host = arg(a, 2);
    let host = if host.is_nullish() {
        None
    } else {
        Some(vm.to_rust_string(host)?)
    };
    let bound = match &host {
        // node binds `::` (dual-stack) when it can, else 0.0.0.0.
        None => TcpListener::bind(SocketAddr::from((std::net::Ipv6Addr::UNSPECIFIED, port)))
            .or_else(|e| {
                if e.kind() == IoErrorKind::AddrInUse {
                    Err(e)
                } else {
                    TcpListener::bind(SocketAddr::from((std::net::Ipv4Addr::UNSPECIFIED, port)))
                }
            }),
        Some(h) => {
            let addr = std::net::ToSocketAddrs::to_socket_addrs(&(h.as_str(), port))
                .ok()
                .and_then(|mut a| a.next());
            match addr {
                Some(addr) => TcpListener::bind(addr),
                None => {
                    return Err(sys_error(
                        vm,
                        &format!("getaddrinfo ENOTFOUND {h}"),
                        "ENOTFOUND",
                        -3008,
                        "getaddrinfo",
                    ))
                }
            }
        }
    };
    let mut listener = match bound {
        Ok(l) => l,
        Err(e) => {
            let (code, errno, text) = error_code(&e);
            let shown = match &host {
                None => format!("::{port}"),
                Some(h) if h.contains(':') => format!("{h}:{port}"),
                Some(h) => format!("{h}:{port}"),
            };
            let t = sys_error(
                vm,
                &format!("listen {code}: {text} {shown}"),
                code,
                errno,
                "listen",
            );
            return Err(t);
        }
    };
    let net = &mut vm.host.net;
    let token = net.token();
    let registered = net.poll().and_then(|p| {
        p.registry()
            .register(&mut listener, token, Interest::READABLE)
    });
    if registered.is_err() {
        return Err(vm.type_error("cannot register the listening socket"));
    }
    let local = listener.local_addr().ok();
    vm.host.net.listeners.insert(token, (listener, server));
    let (address, family, port) = match local {
        Some(SocketAddr::V6(a)) => (a.ip().to_string(), "IPv6", a.port()),
        Some(SocketAddr::V4(a)) => (a.ip().to_string(), "IPv4", a.port()),
        None => ("::".to_string(), "IPv6", port),
    };
    let address = vm.new_string(&address);
    let family = vm.new_string(family);
    let arr = vm.new_array(vec![address, family, Value::number(port as f64)]);
    Ok(Value::heap(arr))
}

/// An Error with node's system-error properties (code, errno, syscall).
fn sys_error(vm: &mut Vm, message: &str, code: &str, errno: i32, syscall: &str) -> Thrown {
    let t = vm.throw_error(crate::vm::realm::ErrorKind::Error, message);
    if let Some(o) = t.value.as_heap::<Object>() {
        let k = vm.intern("errno");
        o.get()
            .define(&mut vm.heap, k, Value::int(errno), attrs::DEFAULT);
        let k = vm.intern("code");
        let c = vm.new_string(code);
        o.get().define(&mut vm.heap, k, c, attrs::DEFAULT);
        let k = vm.intern("syscall");
        let s = vm.new_string(syscall);
        o.get().define(&mut vm.heap, k, s, attrs::DEFAULT);
    }
    t
}

/// node's code, errno and libuv message for an I/O error.
fn error_code(e: &std::io::Error) -> (&'static str, i32, &'static str) {
    match e.raw_os_error() {
        Some(98) => ("EADDRINUSE", -98, "address already in use"),
        Some(13) => ("EACCES", -13, "permission denied"),
        Some(99) => ("EADDRNOTAVAIL", -99, "address not available"),
        Some(111) => ("ECONNREFUSED", -111, "connection refused"),
        Some(104) => ("ECONNRESET", -104, "connection reset by peer"),
        Some(110) => ("ETIMEDOUT", -110, "connection timed out"),
        Some(113) => ("EHOSTUNREACH", -113, "host is unreachable"),
        Some(101) => ("ENETUNREACH", -101, "network is unreachable"),
        Some(32) => ("EPIPE", -32, "broken pipe"),
        _ => match e.kind() {
            IoErrorKind::AddrInUse => ("EADDRINUSE", -98, "address already in use"),
            IoErrorKind::ConnectionRefused => ("ECONNREFUSED", -111, "connection refused"),
            IoErrorKind::PermissionDenied => ("EACCES", -13, "permission denied"),
            _ => ("EIO", -5, "i/o error"),
        },
    }
}

/// connect(request, host, port, isHead) → the connection id, or [code, errno, syscall] when
/// the host cannot be resolved or the connect fails at once. The request bytes written before
/// the connection completes wait in its buffer.
fn connect(vm: &mut Vm, _: Value, a: &[Value]) -> R {
    let owner = arg(a, 0);
    let host = vm.to_rust_string(arg(a, 1))?;
    let port = vm.to_number(arg(a, 2))? as u16;
    let head = crate::vm::interp::to_boolean(arg(a, 3));
    let h = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = std::net::ToSocketAddrs::to_socket_addrs(&(h, port))
        .map(|a| a.collect())
        .unwrap_or_default();
    if addrs.is_empty() {
        let code = vm.new_string("ENOTFOUND");
        let syscall = vm.new_string("getaddrinfo");
        let arr = vm.new_array(vec![code, Value::int(-3008), syscall]);
        return Ok(Value::heap(arr));
    }
    let token = vm.host.net.token();
    match start_connect(vm, token, owner, addrs, head) {
        Ok(()) => Ok(Value::number(token.0 as f64)),
        Err(e) => {
            let (code, errno, _) = error_code(&e);
            let code = vm.new_string(code);
            let syscall = vm.new_string("connect");
            let arr = vm.new_array(vec![code, Value::int(errno), syscall]);
            Ok(Value::heap(arr))
        }
    }
}

/// Starts connecting to the first of `addrs` (the rest are tried if it fails).
fn start_connect(
    vm: &mut Vm,
    token: Token,
    owner: Value,
    mut addrs: Vec<SocketAddr>,
    head: bool,
) -> std::io::Result<()> {
    let addr = addrs.remove(0);
    let mut stream = TcpStream::connect(addr)?;
    let _ = stream.set_nodelay(true);
    let net = &mut vm.host.net;
    net.poll()?
        .registry()
        .register(&mut stream, token, Interest::READABLE | Interest::WRITABLE)?;
    let mut c = Conn::new(stream, Side::Client, owner);
    c.connecting = true;
    c.busy = true;
    c.head = head;
    c.fallback = addrs;
    c.addr = Some(addr);
    if let Some(old) = net.conns.remove(&token) {
        // A retry on the next address keeps what the request wrote.
        c.outbuf = old.outbuf;
    }
    net.conns.insert(token, c);
    Ok(())
}

/// A client connection became writable or failed: whether the connect completed.
fn check_connect(vm: &mut Vm, token: Token) -> Result<(), Thrown> {
    let Some(c) = vm.host.net.conns.get_mut(&token) else {
        return Ok(());
    };
    let err = match c.stream.take_error() {
        Ok(Some(e)) => Some(e),
        Err(e) => Some(e),
        Ok(None) => match c.stream.peer_addr() {
            Ok(_) => None,
            Err(e) if e.kind() == IoErrorKind::NotConnected => return Ok(()),
            Err(e) => Some(e),
        },
    };
    let Some(e) = err else {
        c.connecting = false;
        flush(vm, token);
        return Ok(());
    };
    let addr = c.addr;
    let owner = c.owner;
    let head = c.head;
    let rest = std::mem::take(&mut c.fallback);
    if !rest.is_empty() {
        if let Some(mut old) = vm.host.net.conns.remove(&token) {
            if let Ok(p) = vm.host.net.poll() {
                let _ = p.registry().deregister(&mut old.stream);
            }
            let outbuf = std::mem::take(&mut old.outbuf);
            if start_connect(vm, token, owner, rest, head).is_ok() {
                if let Some(c) = vm.host.net.conns.get_mut(&token) {
                    c.outbuf = outbuf;
                }
                return Ok(());
            }
        }
    }
    let (code, errno, _) = error_code(&e);
    let (address, port) = match addr {
        Some(a) => (a.ip().to_string(), a.port()),
        None => (String::new(), 0),
    };
    close_conn(vm, token);
    let k = vm.intern("_onError");
    let f = vm.get(owner, k)?;
    let code = vm.new_string(code);
    let syscall = vm.new_string("connect");
    let address = vm.new_string(&address);
    vm.call(
        f,
        owner,
        &[
            code,
            Value::int(errno),
            syscall,
            address,
            Value::int(port as i32),
        ],
    )?;
    Ok(())
}

/// Writes what a connection has buffered; closes it when asked and drained.
fn flush(vm: &mut Vm, token: Token) {
    let Some(c) = vm.host.net.conns.get_mut(&token) else {
        return;
    };
    if c.connecting {
        return;
    }
    let mut written = 0;
    while written < c.outbuf.len() {
        match c.stream.write(&c.outbuf[written..]) {
            Ok(0) => {
                c.broken = true;
                break;
            }
            Ok(n) => written += n,
            Err(e) if e.kind() == IoErrorKind::WouldBlock => break,
            Err(e) if e.kind() == IoErrorKind::Interrupted => continue,
            Err(_) => {
                c.broken = true;
                break;
            }
        }
    }
    if written == c.outbuf.len() {
        c.outbuf.clear();
    } else {
        c.outbuf.drain(..written);
    }
    if c.broken || (c.close_after_flush && c.outbuf.is_empty()) {
        close_conn(vm, token);
    }
}

/// Closes a connection and queues the report to its JavaScript side.
fn close_conn(vm: &mut Vm, token: Token) {
    let net = &mut vm.host.net;
    if let Some(mut c) = net.conns.remove(&token) {
        if !c.broken {
            let _ = c.stream.shutdown(std::net::Shutdown::Both);
        }
        if let Ok(p) = net.poll() {
            let _ = p.registry().deregister(&mut c.stream);
        }
        let js = match c.side {
            Side::Server => c.socket,
            Side::Client => c.owner,
        };
        if !js.is_undefined() {
            net.closed.push(js);
        }
    }
}

/// The token of the waker another thread ends a wait in the poll step with.
const WAKER: Token = Token(usize::MAX);

/// A waker for the poll step: another thread's `wake()` ends a wait in `poll_once` (the REPL's
/// input thread). One per process.
pub fn waker(vm: &mut Vm) -> std::io::Result<mio::Waker> {
    let p = vm.host.net.poll()?;
    mio::Waker::new(p.registry(), WAKER)
}

/// The poll step: waits up to `timeout` for socket readiness and handles it (accepting
/// connections, reading and dispatching requests, writing). Returns after one round.
pub fn poll_once(vm: &mut Vm, timeout: Option<Duration>) -> Result<(), Thrown> {
    let mut events = Events::with_capacity(256);
    let timeout = if vm.host.net.closed.is_empty() && vm.host.net.ready.is_empty() {
        match vm.host.net.sweep_at {
            Some(s) => {
                let until = s.saturating_duration_since(Instant::now());
                Some(timeout.map_or(until, |t| t.min(until)))
            }
            None => timeout,
        }
    } else {
        Some(Duration::ZERO)
    };
    {
        let Ok(p) = vm.host.net.poll() else {
            return Ok(());
        };
        if let Err(e) = p.poll(&mut events, timeout) {
            if e.kind() != IoErrorKind::Interrupted {
                return Ok(());
            }
        }
    }
    for e in events.iter() {
        let token = e.token();
        if token == WAKER {
            continue;
        }
        if token == super::signals::TOKEN {
            super::signals::drain(vm);
            continue;
        }
        if vm.host.net.listeners.contains_key(&token) {
            accept_all(vm, token)?;
            continue;
        }
        let Some(c) = vm.host.net.conns.get(&token) else {
            continue;
        };
        if c.connecting {
            check_connect(vm, token)?;
            if vm.host.net.conns.get(&token).is_none_or(|c| c.connecting) {
                continue;
            }
        }
        if e.is_writable() {
            flush(vm, token);
        }
        if e.is_readable() || e.is_read_closed() || e.is_error() {
            read_conn(vm, token);
            process(vm, token)?;
        }
        super::drain_ticks(vm)?;
    }
    let ready = std::mem::take(&mut vm.host.net.ready);
    for token in ready {
        process(vm, token)?;
        super::drain_ticks(vm)?;
    }
    sweep_idle(vm)?;
    report_closed(vm)
}

/// Tells the JavaScript side of closed connections (`_onClose`), in order. Each waits in the
/// traced list until its turn, then in the handle roots while its `_onClose` runs.
fn report_closed(vm: &mut Vm) -> Result<(), Thrown> {
    while !vm.host.net.closed.is_empty() {
        let v = vm.host.net.closed.remove(0);
        vm.host_roots.push(v);
        let k = vm.intern("_onClose");
        let r = vm.get(v, k).and_then(|f| vm.call(f, v, &[]));
        vm.host_roots.pop();
        r?;
        super::drain_ticks(vm)?;
    }
    Ok(())
}

fn accept_all(vm: &mut Vm, token: Token) -> Result<(), Thrown> {
    loop {
        let net = &mut vm.host.net;
        let Some((listener, server)) = net.listeners.get(&token) else {
            return Ok(());
        };
        let server = *server;
        match listener.accept() {
            Ok((mut stream, peer)) => {
                let t = net.token();
                let _ = stream.set_nodelay(true);
                let ok = net.poll().is_ok_and(|p| {
                    p.registry()
                        .register(&mut stream, t, Interest::READABLE | Interest::WRITABLE)
                        .is_ok()
                });
                if !ok {
                    continue;
                }
                net.conns.insert(t, Conn::new(stream, Side::Server, server));
                // The Socket object ('connection' listeners see it).
                let k = vm.intern("_onConnection");
                let f = vm.get(server, k)?;
                let (ip, family) = match peer {
                    SocketAddr::V4(a) => (a.ip().to_string(), "IPv4"),
                    SocketAddr::V6(a) => match a.ip().to_ipv4_mapped() {
                        Some(v4) => (format!("::ffff:{v4}"), "IPv6"),
                        None => (a.ip().to_string(), "IPv6"),
                    },
                };
                let ip = vm.new_string(&ip);
                let family = vm.new_string(family);
                let socket = vm.call(
                    f,
                    server,
                    &[
                        Value::number(t.0 as f64),
                        ip,
                        Value::int(peer.port() as i32),
                        family,
                    ],
                )?;
                let timeouts = server_timeouts(vm, server)?;
                let net = &mut vm.host.net;
                match net.conns.get_mut(&t) {
                    Some(c) => {
                        c.socket = socket;
                        c.timeouts = timeouts;
                        let d = c.start_request_timers(Instant::now());
                        arm_sweep(net, d);
                    }
                    // Destroyed by a 'connection' listener.
                    None => {
                        vm.host.net.closed.push(socket);
                    }
                }
                super::drain_ticks(vm)?;
            }
            Err(e) if e.kind() == IoErrorKind::WouldBlock => return Ok(()),
            Err(e) if e.kind() == IoErrorKind::Interrupted => continue,
            // EMFILE and the like: try again on the next readiness.
            Err(_) => return Ok(()),
        }
    }
}

fn read_conn(vm: &mut Vm, token: Token) {
    let net = &mut vm.host.net;
    let Some(c) = net.conns.get_mut(&token) else {
        return;
    };
    if net.scratch.len() < 65536 {
        net.scratch.resize(65536, 0);
    }
    let buf = &mut net.scratch;
    loop {
        match c.stream.read(buf) {
            Ok(0) => {
                c.read_closed = true;
                break;
            }
            Ok(n) => {
                if c.side == Side::Server
                    && !c.busy
                    && c.body == Body::Idle
                    && c.inbuf.is_empty()
                    && !c.timing_request()
                {
                    let d = c.start_request_timers(Instant::now());
                    if let Some(d) = d {
                        net.sweep_at = Some(net.sweep_at.map_or(d, |s| s.min(d)));
                    }
                }
                c.inbuf.extend_from_slice(&buf[..n]);
                c.idle_deadline = None;
            }
            Err(e) if e.kind() == IoErrorKind::WouldBlock => break,
            Err(e) if e.kind() == IoErrorKind::Interrupted => continue,
            Err(_) => {
                c.broken = true;
                break;
            }
        }
    }
}

/// Closes the keep-alive connections idle past their deadline, and answers the requests
/// that passed their headersTimeout or requestTimeout with node's 408.
fn sweep_idle(vm: &mut Vm) -> Result<(), Thrown> {
    let now = Instant::now();
    let net = &mut vm.host.net;
    if net.sweep_at.is_none_or(|s| s > now) {
        return Ok(());
    }
    let mut expired = Vec::new();
    let mut timed_out = Vec::new();
    let mut next: Option<Instant> = None;
    let mut later = |d: Instant| next = Some(next.map_or(d, |n: Instant| n.min(d)));
    for (t, c) in &net.conns {
        if let Some(d) = c.idle_deadline {
            if d <= now && !c.busy && c.body == Body::Idle && c.inbuf.is_empty() {
                expired.push(*t);
            } else if d > now {
                later(d);
            }
        }
        let late = |d: Option<Instant>| d.is_some_and(|d| d <= now);
        if late(c.headers_deadline) || late(c.request_deadline) {
            timed_out.push(*t);
        } else {
            for d in [c.headers_deadline, c.request_deadline]
                .into_iter()
                .flatten()
            {
                later(d);
            }
        }
    }
    net.sweep_at = next;
    for t in expired {
        close_conn(vm, t);
    }
    // In token order, so that runs are deterministic.
    timed_out.sort();
    for t in timed_out {
        if let Some(c) = vm.host.net.conns.get_mut(&t) {
            c.headers_deadline = None;
            c.request_deadline = None;
        }
        bad_message(vm, t, Bad::Timeout)?;
    }
    Ok(())
}

/// A parsed message head.
struct Head {
    /// Request: method and path. Response: status and reason.
    method: String,
    path: String,
    status: u16,
    minor: u8,
    headers: Vec<(String, String)>,
    len: usize,
}

enum Parsed {
    Complete(Head),
    Partial,
    Bad,
    /// The header block passed node's maxHeaderSize (16 KiB).
    TooLarge,
}

/// node's (llhttp's) request methods.
const METHODS: &[&str] = &[
    "DELETE",
    "GET",
    "HEAD",
    "POST",
    "PUT",
    "CONNECT",
    "OPTIONS",
    "TRACE",
    "COPY",
    "LOCK",
    "MKCOL",
    "MOVE",
    "PROPFIND",
    "PROPPATCH",
    "SEARCH",
    "UNLOCK",
    "BIND",
    "REBIND",
    "UNBIND",
    "ACL",
    "REPORT",
    "MKACTIVITY",
    "CHECKOUT",
    "MERGE",
    "M-SEARCH",
    "NOTIFY",
    "SUBSCRIBE",
    "UNSUBSCRIBE",
    "PATCH",
    "PURGE",
    "MKCALENDAR",
    "LINK",
    "UNLINK",
    "SOURCE",
    "QUERY",
];

fn owned_headers(hs: &[httparse::Header]) -> Vec<(String, String)> {
    hs.iter()
        .map(|h| {
            (
                h.name.to_string(),
                String::from_utf8_lossy(h.value).into_owned(),
            )
        })
        .collect()
}

/// Whether a head block uses bare LF line endings (llhttp rejects them).
fn bare_lf(head: &[u8]) -> bool {
    head.iter()
        .enumerate()
        .any(|(i, &b)| b == b'\n' && (i == 0 || head[i - 1] != b'\r'))
}

fn parse_request(buf: &[u8]) -> Parsed {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut req = httparse::Request::new(&mut headers);
    let r = req.parse(buf);
    let mut big;
    let (r, req) = match r {
        Err(httparse::Error::TooManyHeaders) => {
            big = vec![httparse::EMPTY_HEADER; MAX_HEADER_BYTES / 4];
            let mut req = httparse::Request::new(&mut big);
            let r = req.parse(buf);
            (r, req)
        }
        r => (r, req),
    };
    match r {
        Ok(httparse::Status::Complete(n)) if n > MAX_HEADER_BYTES => Parsed::TooLarge,
        Ok(httparse::Status::Complete(n)) => {
            let method = req.method.unwrap_or("GET");
            if !METHODS.contains(&method) || bare_lf(&buf[..n]) {
                return Parsed::Bad;
            }
            Parsed::Complete(Head {
                method: method.to_string(),
                path: req.path.unwrap_or("/").to_string(),
                status: 0,
                minor: req.version.unwrap_or(1),
                headers: owned_headers(req.headers),
                len: n,
            })
        }
        Ok(httparse::Status::Partial) if buf.len() > MAX_HEADER_BYTES => Parsed::TooLarge,
        Ok(httparse::Status::Partial) => Parsed::Partial,
        Err(_) => Parsed::Bad,
    }
}

fn parse_response(buf: &[u8]) -> Parsed {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut res = httparse::Response::new(&mut headers);
    let r = res.parse(buf);
    let mut big;
    let (r, res) = match r {
        Err(httparse::Error::TooManyHeaders) => {
            big = vec![httparse::EMPTY_HEADER; MAX_HEADER_BYTES / 4];
            let mut res = httparse::Response::new(&mut big);
            let r = res.parse(buf);
            (r, res)
        }
        r => (r, res),
    };
    match r {
        Ok(httparse::Status::Complete(n)) if n > MAX_HEADER_BYTES => Parsed::TooLarge,
        Ok(httparse::Status::Complete(n)) => Parsed::Complete(Head {
            method: String::new(),
            path: res.reason.unwrap_or("").to_string(),
            status: res.code.unwrap_or(200),
            minor: res.version.unwrap_or(1),
            headers: owned_headers(res.headers),
            len: n,
        }),
        Ok(httparse::Status::Partial) if buf.len() > MAX_HEADER_BYTES => Parsed::TooLarge,
        Ok(httparse::Status::Partial) => Parsed::Partial,
        Err(_) => Parsed::Bad,
    }
}

/// The body framing a head announces: Err for conflicting or malformed framing headers.
fn framing(head: &Head, side: Side, head_request: bool) -> Result<Body, ()> {
    let mut len: Option<u64> = None;
    let mut chunked = false;
    let mut te = false;
    for (k, v) in &head.headers {
        if k.eq_ignore_ascii_case("content-length") {
            let v = v.trim();
            if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
                return Err(());
            }
            let n: u64 = v.parse().map_err(|_| ())?;
            if len.is_some_and(|l| l != n) {
                return Err(());
            }
            len = Some(n);
        } else if k.eq_ignore_ascii_case("transfer-encoding") {
            te = true;
            chunked = v
                .rsplit(',')
                .next()
                .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"));
        }
    }
    match side {
        Side::Server => {
            if te && (len.is_some() || !chunked) {
                return Err(());
            }
            Ok(if chunked {
                Body::Chunked(Chunk::Size)
            } else {
                Body::Length(len.unwrap_or(0))
            })
        }
        Side::Client => {
            if head_request
                || head.status == 204
                || head.status == 304
                || (100..200).contains(&head.status)
            {
                return Ok(Body::Length(0));
            }
            Ok(if chunked {
                Body::Chunked(Chunk::Size)
            } else if let (Some(l), false) = (len, te) {
                Body::Length(l)
            } else {
                Body::UntilClose
            })
        }
    }
}

/// Takes the body bytes available from the input buffer: (bytes, the body ended). Err for
/// malformed chunked framing.
fn take_body(c: &mut Conn) -> Result<(Vec<u8>, bool), ()> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut done = false;
    let buf = &c.inbuf;
    loop {
        let rest = &buf[pos..];
        match c.body {
            Body::Idle => {
                done = true;
                break;
            }
            Body::Length(n) => {
                let k = (rest.len() as u64).min(n) as usize;
                out.extend_from_slice(&rest[..k]);
                pos += k;
                if n == k as u64 {
                    c.body = Body::Idle;
                    done = true;
                } else {
                    c.body = Body::Length(n - k as u64);
                }
                break;
            }
            Body::UntilClose => {
                out.extend_from_slice(rest);
                pos += rest.len();
                break;
            }
            Body::Chunked(Chunk::Size) => match httparse::parse_chunk_size(rest) {
                Ok(httparse::Status::Complete((used, size))) => {
                    pos += used;
                    c.body = Body::Chunked(if size == 0 {
                        Chunk::Trailers
                    } else {
                        Chunk::Data(size)
                    });
                }
                Ok(httparse::Status::Partial) => {
                    if rest.len() > 1024 {
                        return Err(());
                    }
                    break;
                }
                Err(_) => return Err(()),
            },
            Body::Chunked(Chunk::Data(n)) => {
                let k = (rest.len() as u64).min(n) as usize;
                out.extend_from_slice(&rest[..k]);
                pos += k;
                if n == k as u64 {
                    c.body = Body::Chunked(Chunk::DataEnd);
                } else {
                    c.body = Body::Chunked(Chunk::Data(n - k as u64));
                    break;
                }
            }
            Body::Chunked(Chunk::DataEnd) => {
                if rest.len() < 2 {
                    break;
                }
                if &rest[..2] != b"\r\n" {
                    return Err(());
                }
                pos += 2;
                c.body = Body::Chunked(Chunk::Size);
            }
            Body::Chunked(Chunk::Trailers) => match rest.windows(2).position(|w| w == b"\r\n") {
                Some(0) => {
                    pos += 2;
                    c.body = Body::Idle;
                    done = true;
                    break;
                }
                Some(i) => pos += i + 2,
                None => {
                    if rest.len() > MAX_HEADER_BYTES {
                        return Err(());
                    }
                    break;
                }
            },
        }
    }
    c.inbuf.drain(..pos);
    Ok((out, done))
}

/// Decodes body bytes with the connection's encoding, keeping a split character (UTF-8) or
/// group (base64) for the next chunk. `last` flushes what was kept.
fn decode(c: &mut Conn, bytes: Vec<u8>, last: bool) -> String {
    match c.encoding {
        Encoding::Utf8 | Encoding::Buffer => {
            let mut all = if c.partial.is_empty() {
                bytes
            } else {
                let mut v = std::mem::take(&mut c.partial);
                v.extend_from_slice(&bytes);
                v
            };
            if !last {
                let keep = incomplete_utf8_tail(&all);
                if keep > 0 {
                    c.partial = all.split_off(all.len() - keep);
                }
            }
            match String::from_utf8(all) {
                Ok(s) => s,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            }
        }
        Encoding::Latin1 => bytes.iter().map(|&b| b as char).collect(),
        Encoding::Hex => {
            use std::fmt::Write as _;
            let mut s = String::with_capacity(bytes.len() * 2);
            for b in bytes {
                let _ = write!(s, "{b:02x}");
            }
            s
        }
        Encoding::Base64 => {
            let mut all = std::mem::take(&mut c.partial);
            all.extend_from_slice(&bytes);
            if !last {
                let keep = all.len() % 3;
                c.partial = all.split_off(all.len() - keep);
            }
            base64(&all)
        }
    }
}

/// How many bytes at the end of `b` start a UTF-8 character that is not complete yet.
fn incomplete_utf8_tail(b: &[u8]) -> usize {
    for i in 1..=b.len().min(3) {
        let byte = b[b.len() - i];
        if byte & 0xC0 == 0x80 {
            continue;
        }
        let need = match byte {
            0xF0..=0xF7 => 4,
            0xE0..=0xEF => 3,
            0xC0..=0xDF => 2,
            _ => 1,
        };
        return if need > i { i } else { 0 };
    }
    0
}

fn base64(b: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(b.len().div_ceil(3) * 4);
    for g in b.chunks(3) {
        let n = (g[0] as u32) << 16
            | (*g.get(1).unwrap_or(&0) as u32) << 8
            | *g.get(2).unwrap_or(&0) as u32;
        s.push(A[(n >> 18) as usize & 63] as char);
        s.push(A[(n >> 12) as usize & 63] as char);
        s.push(if g.len() > 1 {
            A[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        s.push(if g.len() > 2 {
            A[n as usize & 63] as char
        } else {
            '='
        });
    }
    s
}

/// Calls `target[name](...args)`.
fn call_method(vm: &mut Vm, target: Value, name: &str, args: &[Value]) -> R {
    let k = vm.intern(name);
    let f = vm.get(target, k)?;
    vm.call(f, target, args)
}

/// Reads the bodies and dispatches the heads waiting on a connection, as far as the input
/// goes.
fn process(vm: &mut Vm, token: Token) -> Result<(), Thrown> {
    loop {
        let Some(c) = vm.host.net.conns.get_mut(&token) else {
            return Ok(());
        };
        if c.broken {
            close_conn(vm, token);
            return Ok(());
        }
        if c.body != Body::Idle {
            let until_close = c.body == Body::UntilClose;
            let (bytes, mut done) = match take_body(c) {
                Ok(r) => r,
                Err(()) => {
                    bad_message(vm, token, Bad::Invalid)?;
                    return Ok(());
                }
            };
            if until_close && c.read_closed {
                done = true;
            }
            let msg = c.msg;
            if !bytes.is_empty() || (done && !c.partial.is_empty()) {
                let chunk = if c.encoding == Encoding::Buffer {
                    (!bytes.is_empty())
                        .then(|| Value::heap(crate::vm::builtins::buffer::new_buffer(vm, bytes)))
                } else {
                    let text = decode(c, bytes, done);
                    (!text.is_empty()).then(|| vm.new_string(&text))
                };
                if let Some(chunk) = chunk {
                    call_method(vm, msg, "_onData", &[chunk])?;
                    if !vm.host.net.conns.contains_key(&token) {
                        // Destroyed by a 'data' listener.
                        return Ok(());
                    }
                }
            }
            if !done {
                let Some(c) = vm.host.net.conns.get_mut(&token) else {
                    return Ok(());
                };
                if c.read_closed && c.inbuf.is_empty() {
                    // The peer went away mid-body: the message is aborted ('aborted', then
                    // 'close', from _onClose). A server first answers as node's parser does
                    // at an early end of input: 'clientError', or 400.
                    if c.side == Side::Server {
                        return bad_message(vm, token, Bad::Eof);
                    }
                    close_conn(vm, token);
                }
                return Ok(());
            }
            if let Some(c) = vm.host.net.conns.get_mut(&token) {
                c.body = Body::Idle;
                c.partial.clear();
                c.encoding = Encoding::Buffer;
                // The request is complete: its timers stop.
                c.headers_deadline = None;
                c.request_deadline = None;
            }
            // The message stays in the connection (a root) while its 'end' runs.
            call_method(vm, msg, "_onEnd", &[])?;
            if let Some(c) = vm.host.net.conns.get_mut(&token) {
                if c.msg == msg {
                    c.msg = Value::UNDEFINED;
                }
                if c.side == Side::Client {
                    // The response ended: no agent keeps the socket.
                    c.busy = false;
                    close_conn(vm, token);
                    return Ok(());
                }
            }
            continue;
        }
        match c.side {
            Side::Server => {
                if c.busy {
                    return Ok(());
                }
                if c.inbuf.is_empty() {
                    if c.read_closed {
                        close_conn(vm, token);
                    }
                    return Ok(());
                }
                match parse_request(&c.inbuf) {
                    Parsed::Partial => {
                        if c.read_closed {
                            // Half a request head, then the end of input.
                            return bad_message(vm, token, Bad::Eof);
                        }
                        return Ok(());
                    }
                    Parsed::Bad => return bad_message(vm, token, Bad::Invalid),
                    Parsed::TooLarge => return bad_message(vm, token, Bad::TooLarge),
                    Parsed::Complete(head) => {
                        let Ok(body) = framing(&head, Side::Server, false) else {
                            return bad_message(vm, token, Bad::Invalid);
                        };
                        c.inbuf.drain(..head.len);
                        c.busy = true;
                        c.responded = false;
                        c.headers_deadline = None;
                        let (server, socket) = (c.owner, c.socket);
                        let req = dispatch_request(vm, server, socket, token, &head)?;
                        // A request without a body ends at once (Length(0)).
                        if let Some(c) = vm.host.net.conns.get_mut(&token) {
                            c.msg = req;
                            c.body = body;
                        }
                    }
                }
            }
            Side::Client => {
                if c.connecting || !c.busy {
                    return Ok(());
                }
                if c.inbuf.is_empty() {
                    if c.read_closed {
                        // Closed before a response: 'socket hang up' from _onClose.
                        close_conn(vm, token);
                    }
                    return Ok(());
                }
                match parse_response(&c.inbuf) {
                    Parsed::Partial => {
                        if c.read_closed {
                            close_conn(vm, token);
                        }
                        return Ok(());
                    }
                    Parsed::Bad | Parsed::TooLarge => {
                        let owner = c.owner;
                        close_conn(vm, token);
                        call_method(vm, owner, "_onParseError", &[])?;
                        return Ok(());
                    }
                    Parsed::Complete(head) => {
                        let Ok(body) = framing(&head, Side::Client, c.head) else {
                            let owner = c.owner;
                            close_conn(vm, token);
                            call_method(vm, owner, "_onParseError", &[])?;
                            return Ok(());
                        };
                        c.inbuf.drain(..head.len);
                        if (100..200).contains(&head.status) && head.status != 101 {
                            // 100 Continue and other interim responses are skipped.
                            continue;
                        }
                        let owner = c.owner;
                        let res = dispatch_response(vm, owner, &head)?;
                        if let Some(c) = vm.host.net.conns.get_mut(&token) {
                            c.msg = res;
                            c.body = body;
                        }
                    }
                }
            }
        }
    }
}

/// Why a request is refused.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Bad {
    /// Malformed: 400.
    Invalid,
    /// A header block past 16 KiB: 431.
    TooLarge,
    /// Past headersTimeout or requestTimeout: 408.
    Timeout,
    /// The input ended inside a request: 400.
    Eof,
}

/// A malformed request: 'clientError' listeners decide, else node's fixed 400 (or 431) and
/// close. Once the response has started, the connection is only closed.
fn bad_message(vm: &mut Vm, token: Token, why: Bad) -> Result<(), Thrown> {
    let Some(c) = vm.host.net.conns.get_mut(&token) else {
        return Ok(());
    };
    c.inbuf.clear();
    c.body = Body::Idle;
    c.read_closed = true;
    let (server, socket, responded) = (c.owner, c.socket, c.responded);
    let code = match why {
        Bad::Invalid => "HPE_INVALID_CONSTANT",
        Bad::TooLarge => "HPE_HEADER_OVERFLOW",
        Bad::Timeout => "ERR_HTTP_REQUEST_TIMEOUT",
        Bad::Eof => "HPE_INVALID_EOF_STATE",
    };
    if !socket.is_undefined() {
        let code = vm.new_string(code);
        let handled = call_method(vm, server, "_onClientError", &[socket, code])?;
        if crate::vm::interp::to_boolean(handled) {
            return Ok(());
        }
    }
    let Some(c) = vm.host.net.conns.get_mut(&token) else {
        return Ok(());
    };
    if !responded {
        let status: &[u8] = match why {
            Bad::Invalid | Bad::Eof => b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n",
            Bad::TooLarge => {
                b"HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n"
            }
            Bad::Timeout => b"HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n",
        };
        c.outbuf.extend_from_slice(status);
    }
    c.close_after_flush = true;
    flush(vm, token);
    Ok(())
}

fn raw_headers(vm: &mut Vm, head: &Head) -> Value {
    let mut flat = Vec::with_capacity(head.headers.len() * 2);
    for (name, value) in &head.headers {
        flat.push(vm.new_string(name));
        flat.push(vm.new_string(value));
    }
    Value::heap(vm.new_array(flat))
}

fn dispatch_request(vm: &mut Vm, server: Value, socket: Value, token: Token, head: &Head) -> R {
    let k = vm.intern("_onRequest");
    let f = vm.get(server, k)?;
    let method = vm.new_string(&head.method);
    let path = vm.new_string(&head.path);
    let headers = raw_headers(vm, head);
    vm.call(
        f,
        server,
        &[
            socket,
            Value::number(token.0 as f64),
            method,
            path,
            Value::int(head.minor as i32),
            headers,
        ],
    )
}

fn dispatch_response(vm: &mut Vm, owner: Value, head: &Head) -> R {
    let k = vm.intern("_onResponse");
    let f = vm.get(owner, k)?;
    let reason = vm.new_string(&head.path);
    let headers = raw_headers(vm, head);
    vm.call(
        f,
        owner,
        &[
            Value::int(head.status as i32),
            reason,
            Value::int(head.minor as i32),
            headers,
        ],
    )
}
