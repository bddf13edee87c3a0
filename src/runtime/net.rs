//! TCP for the `http` module: listening sockets and connections on a mio `Poll`, which is the
//! event loop's poll step. Requests are parsed with httparse; each complete request (headers
//! and a `Content-Length` body) is handed to the server's JavaScript `_onRequest`, and the
//! response bytes come back through `write`/`end`. Requests on one connection are handled
//! one at a time, in order (pipelining). Malformed requests get `400 Bad Request` and the
//! connection is closed, as node does.

use std::collections::HashMap;
use std::io::{ErrorKind as IoErrorKind, Read, Write};
use std::time::Duration;

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

struct Conn {
    stream: TcpStream,
    server: Value,
    inbuf: Vec<u8>,
    outbuf: Vec<u8>,
    /// A request is being answered: later requests wait in `inbuf`.
    busy: bool,
    close_after_flush: bool,
    closed: bool,
}

#[derive(Default)]
pub struct NetState {
    poll: Option<Poll>,
    listeners: HashMap<Token, (TcpListener, Value)>,
    conns: HashMap<Token, Conn>,
    next_token: usize,
}

impl NetState {
    pub fn trace(&self, t: &mut dyn Tracer) {
        for (_, server) in self.listeners.values() {
            crate::vm::object::trace_value(t, EdgeName::Internal("server"), *server, None);
        }
        for c in self.conns.values() {
            crate::vm::object::trace_value(t, EdgeName::Internal("server"), c.server, None);
        }
    }

    /// Whether a listening socket or an open connection keeps the process alive.
    pub fn active(&self) -> bool {
        !self.listeners.is_empty() || !self.conns.is_empty()
    }

    pub(crate) fn poll(&mut self) -> std::io::Result<&mut Poll> {
        if self.poll.is_none() {
            self.poll = Some(Poll::new()?);
        }
        Ok(self.poll.as_mut().expect("just made"))
    }
}

/// The natives `http.js` uses: `listen(server, port, host)`, `write(id, string)`,
/// `end(id, close)`, `close(server)`.
pub fn native_module(vm: &mut Vm) -> R {
    let o = vm.new_object();
    vm.define_native(o, "listen", 3, listen);
    vm.define_native(o, "write", 2, |vm, _, a| {
        let id = arg(a, 0).as_number().unwrap_or(-1.0) as usize;
        let data = vm.to_rust_string(arg(a, 1))?;
        if let Some(c) = vm.host.net.conns.get_mut(&Token(id)) {
            c.outbuf.extend_from_slice(data.as_bytes());
        }
        flush(vm, Token(id));
        Ok(Value::UNDEFINED)
    });
    vm.define_native(o, "end", 2, |vm, _, a| {
        let id = arg(a, 0).as_number().unwrap_or(-1.0) as usize;
        let close = crate::vm::interp::to_boolean(arg(a, 1));
        if let Some(c) = vm.host.net.conns.get_mut(&Token(id)) {
            c.busy = false;
            if close {
                c.close_after_flush = true;
            }
        }
        flush(vm, Token(id));
        Ok(Value::UNDEFINED)
    });
    vm.define_native(o, "close", 1, |vm, _, a| {
        let server = arg(a, 0);
        let tokens: Vec<Token> = vm
            .host
            .net
            .listeners
            .iter()
            .filter(|(_, (_, s))| *s == server)
            .map(|(t, _)| *t)
            .collect();
        for t in tokens {
            if let Some((mut l, _)) = vm.host.net.listeners.remove(&t) {
                if let Ok(p) = vm.host.net.poll() {
                    let _ = p.registry().deregister(&mut l);
                }
            }
        }
        Ok(Value::UNDEFINED)
    });
    Ok(Value::heap(o))
}

fn listen(vm: &mut Vm, _: Value, a: &[Value]) -> R {
    let server = arg(a, 0);
    let port = vm.to_number(arg(a, 1))?;
    let host = arg(a, 2);
    let host = if host.is_nullish() {
        "0.0.0.0".to_string()
    } else {
        vm.to_rust_string(host)?
    };
    let addr = format!("{host}:{}", port as u16);
    let addr = match std::net::ToSocketAddrs::to_socket_addrs(&addr)
        .ok()
        .and_then(|mut a| a.next())
    {
        Some(a) => a,
        None => return Err(vm.type_error(&format!("getaddrinfo ENOTFOUND {host}"))),
    };
    let mut listener = match TcpListener::bind(addr) {
        Ok(l) => l,
        Err(e) => {
            let code = if e.kind() == IoErrorKind::AddrInUse {
                "EADDRINUSE"
            } else {
                "EACCES"
            };
            let t = vm.throw_error(
                crate::vm::realm::ErrorKind::Error,
                &format!("listen {code}: address already in use :::{}", port as u16),
            );
            if let Some(o) = t.value.as_heap::<Object>() {
                let k = vm.intern("code");
                let c = vm.new_string(code);
                o.get().define(&mut vm.heap, k, c, attrs::DEFAULT);
            }
            return Err(t);
        }
    };
    let net = &mut vm.host.net;
    net.next_token += 1;
    let token = Token(net.next_token);
    let registered = net.poll().and_then(|p| {
        p.registry()
            .register(&mut listener, token, Interest::READABLE)
    });
    if registered.is_err() {
        return Err(vm.type_error("cannot register the listening socket"));
    }
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    vm.host.net.listeners.insert(token, (listener, server));
    Ok(Value::number(port as f64))
}

/// Writes what a connection has buffered; closes it when asked and drained.
fn flush(vm: &mut Vm, token: Token) {
    let Some(c) = vm.host.net.conns.get_mut(&token) else {
        return;
    };
    while !c.outbuf.is_empty() {
        match c.stream.write(&c.outbuf) {
            Ok(0) => {
                c.closed = true;
                break;
            }
            Ok(n) => {
                c.outbuf.drain(..n);
            }
            Err(e) if e.kind() == IoErrorKind::WouldBlock => break,
            Err(e) if e.kind() == IoErrorKind::Interrupted => continue,
            Err(_) => {
                c.closed = true;
                break;
            }
        }
    }
    if c.closed || (c.close_after_flush && c.outbuf.is_empty()) {
        close_conn(vm, token);
    }
}

fn close_conn(vm: &mut Vm, token: Token) {
    if let Some(mut c) = vm.host.net.conns.remove(&token) {
        let _ = c.stream.flush();
        let _ = c.stream.shutdown(std::net::Shutdown::Both);
        if let Ok(p) = vm.host.net.poll() {
            let _ = p.registry().deregister(&mut c.stream);
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
    {
        let Ok(p) = vm.host.net.poll() else {
            return Ok(());
        };
        if p.poll(&mut events, timeout).is_err() {
            return Ok(());
        }
    }
    let tokens: Vec<(Token, bool, bool)> = events
        .iter()
        .map(|e| {
            (
                e.token(),
                e.is_readable() || e.is_read_closed(),
                e.is_writable(),
            )
        })
        .collect();
    for (token, readable, writable) in tokens {
        if token == WAKER {
            continue;
        }
        if token == super::signals::TOKEN {
            super::signals::drain(vm);
            continue;
        }
        if vm.host.net.listeners.contains_key(&token) {
            accept_all(vm, token);
            continue;
        }
        if writable {
            flush(vm, token);
        }
        if readable {
            read_conn(vm, token);
            process_requests(vm, token)?;
            super::drain_ticks(vm)?;
        }
    }
    Ok(())
}

fn accept_all(vm: &mut Vm, token: Token) {
    loop {
        let net = &mut vm.host.net;
        let Some((listener, server)) = net.listeners.get(&token) else {
            return;
        };
        let server = *server;
        match listener.accept() {
            Ok((mut stream, _)) => {
                net.next_token += 1;
                let t = Token(net.next_token);
                let _ = stream.set_nodelay(true);
                let ok = net.poll().is_ok_and(|p| {
                    p.registry()
                        .register(&mut stream, t, Interest::READABLE | Interest::WRITABLE)
                        .is_ok()
                });
                if ok {
                    net.conns.insert(
                        t,
                        Conn {
                            stream,
                            server,
                            inbuf: Vec::new(),
                            outbuf: Vec::new(),
                            busy: false,
                            close_after_flush: false,
                            closed: false,
                        },
                    );
                }
            }
            Err(e) if e.kind() == IoErrorKind::WouldBlock => return,
            Err(_) => return,
        }
    }
}

fn read_conn(vm: &mut Vm, token: Token) {
    let Some(c) = vm.host.net.conns.get_mut(&token) else {
        return;
    };
    let mut buf = [0u8; 16384];
    loop {
        match c.stream.read(&mut buf) {
            Ok(0) => {
                c.closed = true;
                break;
            }
            Ok(n) => c.inbuf.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == IoErrorKind::WouldBlock => break,
            Err(e) if e.kind() == IoErrorKind::Interrupted => continue,
            Err(_) => {
                c.closed = true;
                break;
            }
        }
    }
}

/// A parsed request.
struct Request {
    method: String,
    path: String,
    minor: u8,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

enum Parsed {
    Complete(Request, usize),
    Partial,
    Bad,
    /// The header block passed node's maxHeaderSize (16 KiB).
    TooLarge,
}

fn parse(buf: &[u8]) -> Parsed {
    let mut headers = [httparse::EMPTY_HEADER; 100];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(buf) {
        Ok(httparse::Status::Complete(n)) if n > MAX_HEADER_BYTES => Parsed::TooLarge,
        Ok(httparse::Status::Complete(n)) => {
            let hs: Vec<(String, String)> = req
                .headers
                .iter()
                .map(|h| {
                    (
                        h.name.to_string(),
                        String::from_utf8_lossy(h.value).into_owned(),
                    )
                })
                .collect();
            let len = hs
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                .map(|(_, v)| v.trim().parse::<usize>());
            let len = match len {
                None => 0,
                Some(Ok(l)) => l,
                Some(Err(_)) => return Parsed::Bad,
            };
            if hs
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("transfer-encoding"))
            {
                // Chunked request bodies are not supported yet.
                return Parsed::Bad;
            }
            if buf.len() < n + len {
                return Parsed::Partial;
            }
            Parsed::Complete(
                Request {
                    method: req.method.unwrap_or("GET").to_string(),
                    path: req.path.unwrap_or("/").to_string(),
                    minor: req.version.unwrap_or(1),
                    headers: hs,
                    body: buf[n..n + len].to_vec(),
                },
                n + len,
            )
        }
        Ok(httparse::Status::Partial) => {
            if buf.len() > MAX_HEADER_BYTES {
                Parsed::TooLarge
            } else {
                Parsed::Partial
            }
        }
        Err(_) => Parsed::Bad,
    }
}

/// Dispatches the complete requests waiting on a connection, one at a time.
fn process_requests(vm: &mut Vm, token: Token) -> Result<(), Thrown> {
    loop {
        let Some(c) = vm.host.net.conns.get_mut(&token) else {
            return Ok(());
        };
        if c.busy {
            return Ok(());
        }
        if c.inbuf.is_empty() {
            if c.closed {
                close_conn(vm, token);
            }
            return Ok(());
        }
        let parsed = parse(&c.inbuf);
        match parsed {
            Parsed::Partial => {
                if c.closed {
                    close_conn(vm, token);
                }
                return Ok(());
            }
            Parsed::Bad | Parsed::TooLarge => {
                let status: &[u8] = if matches!(parsed, Parsed::TooLarge) {
                    b"HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n"
                } else {
                    b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"
                };
                c.inbuf.clear();
                c.outbuf.extend_from_slice(status);
                c.close_after_flush = true;
                flush(vm, token);
                return Ok(());
            }
            Parsed::Complete(req, used) => {
                c.inbuf.drain(..used);
                c.busy = true;
                let server = c.server;
                dispatch(vm, server, token, req)?;
            }
        }
    }
}

fn dispatch(vm: &mut Vm, server: Value, token: Token, req: Request) -> Result<(), Thrown> {
    let k = vm.intern("_onRequest");
    let f = vm.get(server, k)?;
    let method = vm.new_string(&req.method);
    let path = vm.new_string(&req.path);
    let mut flat = Vec::with_capacity(req.headers.len() * 2);
    for (name, value) in &req.headers {
        flat.push(vm.new_string(name));
        flat.push(vm.new_string(value));
    }
    let headers = vm.new_array(flat);
    let body = vm.new_string(&String::from_utf8_lossy(&req.body));
    vm.host_roots.push(Value::heap(headers));
    let r = vm.call(
        f,
        server,
        &[
            Value::number(token.0 as f64),
            method,
            path,
            Value::int(req.minor as i32),
            Value::heap(headers),
            body,
        ],
    );
    vm.host_roots.pop();
    r.map(|_| ())
}
