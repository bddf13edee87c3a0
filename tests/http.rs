//! The http server over real TCP: a minijs script listens on an ephemeral port and the test
//! talks to it with std's TcpStream (node-compat §5: framing, keep-alive, HTTP/1.0, 400s).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(handler: &str) -> Server {
    let dir = std::env::temp_dir().join(format!("minijs-http-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join(format!("server{}.js", handler.len()));
    std::fs::write(
        &script,
        format!(
            "const http = require('http')\nconst server = http.createServer((req, res) => {{ {handler} }})\nserver.listen(0, () => console.log(server.address().port))\n"
        ),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .arg(&script)
        .stdout(Stdio::piped())
        .spawn()
        .expect("minijs runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().parse().expect("the port");
    Server { child, port }
}

fn exchange(port: u16, request: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(1500)))
        .unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(_) => break, // keep-alive: the server leaves the socket open
        }
    }
    // The Date header changes every second.
    String::from_utf8_lossy(&out)
        .split("\r\n")
        .filter(|l| !l.starts_with("Date: "))
        .collect::<Vec<_>>()
        .join("\r\n")
}

#[test]
fn hello_world_framing_and_keep_alive() {
    let server = start("res.end('Hello World')");
    let r = exchange(server.port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(
        r,
        "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length: 11\r\n\r\nHello World"
    );
    // HTTP/1.0 (ApacheBench): no length, the connection closes.
    let r = exchange(server.port, "GET / HTTP/1.0\r\n\r\n");
    assert_eq!(r, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nHello World");
    // Pipelined requests are answered in order; Connection: close closes after the second.
    let r = exchange(
        server.port,
        "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(r.matches("HTTP/1.1 200 OK").count(), 2, "{r}");
    assert!(r.contains("Connection: close"), "{r}");
}

#[test]
fn chunked_after_write_head_and_user_headers() {
    let server = start(
        "res.writeHead(201, { 'Content-Type': 'text/plain', 'X-Custom': 'yes' }); res.end('created')",
    );
    let r = exchange(
        server.port,
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(
        r,
        "HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nX-Custom: yes\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n7\r\ncreated\r\n0\r\n\r\n"
    );
}

#[test]
fn request_properties_reach_the_handler() {
    let server = start(
        "let body = ''; req.on('data', (d) => body += d); req.on('end', () => res.end(req.method + ' ' + req.url + ' ' + req.headers['x-a'] + ' ' + body))",
    );
    let r = exchange(
        server.port,
        "POST /p?q=1 HTTP/1.1\r\nHost: x\r\nX-A: b\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody",
    );
    assert!(r.ends_with("POST /p?q=1 b body"), "{r}");
}

#[test]
fn malformed_requests_get_400() {
    let server = start("res.end('ok')");
    let r = exchange(server.port, "NOT A REQUEST\r\n\r\n");
    assert!(r.starts_with("HTTP/1.1 400 Bad Request"), "{r}");
    // A header block past 16 KiB: 431.
    let huge = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(20_000));
    let r = exchange(server.port, &huge);
    assert!(
        r.starts_with("HTTP/1.1 431 Request Header Fields Too Large"),
        "{r}"
    );
    // A client that vanishes mid-request does not take the server down.
    {
        let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    }
    // The server is still up.
    let r = exchange(server.port, "GET / HTTP/1.0\r\n\r\n");
    assert!(r.ends_with("ok"), "{r}");
}

/// Starts a whole script that prints its server's port first.
fn start_script(name: &str, src: &str) -> Server {
    let dir = std::env::temp_dir().join(format!("minijs-http-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join(format!("{name}.js"));
    std::fs::write(&script, src).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .arg(&script)
        .stdout(Stdio::piped())
        .spawn()
        .expect("minijs runs");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port = line.trim().parse().expect("the port");
    Server { child, port }
}

/// Reads one response with a Content-Length from a kept-open connection.
fn read_response(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&out).into_owned();
        if let Some(i) = text.find("\r\n\r\n") {
            let len = text[..i]
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .map(|v| v.trim().parse::<usize>().unwrap())
                .expect("a Content-Length");
            if out.len() >= i + 4 + len {
                return text;
            }
        }
        let n = s.read(&mut buf).expect("the response");
        assert!(n > 0, "the server closed early: {text}");
        out.extend_from_slice(&buf[..n]);
    }
}

/// Whether the server closes the connection (as opposed to the read timing out).
fn closes_within(s: &mut TcpStream, ms: u64) -> bool {
    s.set_read_timeout(Some(Duration::from_millis(ms))).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => continue,
            Err(_) => return false,
        }
    }
}

const ECHO: &str = "let body = ''; let chunks = 0; if (req.url === '/enc') req.setEncoding('utf8'); \
    req.on('data', (d) => { body += d; chunks++ }); \
    req.on('end', () => res.end(JSON.stringify({ body, chunks, complete: req.complete, te: req.headers['transfer-encoding'] || null })))";

#[test]
fn request_bodies_stream_as_they_arrive() {
    let server = start(ECHO);
    // A Content-Length body in three writes: several 'data' events, then 'end'.
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(3000)))
        .unwrap();
    s.write_all(b"POST /enc HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhel")
        .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    // 'é' split across two writes: the decoder keeps the first byte for the next chunk.
    s.write_all(b"lo \xc3").unwrap();
    std::thread::sleep(Duration::from_millis(100));
    s.write_all(b"\xa9t\xc3\xa9").unwrap();
    let r = read_response(&mut s);
    // (How many 'data' events depends on how the reads fall; at least one.)
    assert!(r.contains(r#"{"body":"hello été","chunks":"#), "{r}");
    assert!(r.ends_with(r#","complete":true,"te":null}"#), "{r}");
    // A chunked body on the same connection, with a chunk extension and a trailer.
    s.write_all(
        b"POST /enc HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\n",
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    s.write_all(b"5\r\nworld\r\n0\r\nX-Trailer: yes\r\n\r\n")
        .unwrap();
    let r = read_response(&mut s);
    assert!(r.contains(r#"{"body":"hello world","chunks":"#), "{r}");
    assert!(r.ends_with(r#","complete":true,"te":"chunked"}"#), "{r}");
    // Without setEncoding the chunks are strings too (minijs has no Buffer).
    let r = exchange(
        server.port,
        "PUT /raw HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    );
    assert!(r.contains(r#""body":"abc""#), "{r}");
    // Malformed chunked framing: 400 and close.
    let r = exchange(
        server.port,
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n",
    );
    assert!(r.starts_with("HTTP/1.1 400 Bad Request"), "{r}");
    // Both Content-Length and Transfer-Encoding: 400 (llhttp's strict mode).
    let r = exchange(
        server.port,
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    );
    assert!(r.starts_with("HTTP/1.1 400 Bad Request"), "{r}");
}

#[test]
fn an_unread_body_is_discarded_and_the_connection_goes_on() {
    let server = start("res.end('got ' + req.url)");
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(3000)))
        .unwrap();
    let body = "x".repeat(100_000);
    s.write_all(
        format!(
            "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
    .unwrap();
    assert!(read_response(&mut s).ends_with("got /a"));
    s.write_all(b"GET /b HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert!(read_response(&mut s).ends_with("got /b"));
}

#[test]
fn several_requests_on_one_http11_connection() {
    // The handler answers later (a timer), so pipelined requests wait for the one before.
    let server = start("setTimeout(() => res.end('url ' + req.url), 5)");
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(3000)))
        .unwrap();
    for i in 0..5 {
        s.write_all(format!("GET /{i} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
            .unwrap();
        let r = read_response(&mut s);
        assert!(r.contains("Connection: keep-alive"), "{r}");
        assert!(r.ends_with(&format!("url /{i}")), "{r}");
    }
    // Pipelined: three in one write, answered in order on the same connection.
    s.write_all(b"GET /p1 HTTP/1.1\r\nHost: x\r\n\r\nGET /p2 HTTP/1.1\r\nHost: x\r\n\r\nGET /p3 HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    for p in ["/p1", "/p2", "/p3"] {
        let r = read_response(&mut s);
        assert!(r.ends_with(&format!("url {p}")), "{r}");
    }
    assert!(
        !closes_within(&mut s, 300),
        "keep-alive keeps the socket open"
    );
}

#[test]
fn http10_closes_unless_keep_alive_with_a_length() {
    let server = start("if (req.url === '/len') res.setHeader('Content-Length', 2); res.end('ok')");
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    assert!(
        closes_within(&mut s, 2000),
        "HTTP/1.0 closes after the response"
    );
    // ab -k: HTTP/1.0 with Connection: keep-alive, but no length → still closed.
    let r = exchange(
        server.port,
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    );
    assert_eq!(r, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nok");
    // With a Content-Length set by the handler, the connection stays.
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(3000)))
        .unwrap();
    for _ in 0..2 {
        s.write_all(b"GET /len HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            .unwrap();
        let r = read_response(&mut s);
        assert!(
            r.contains("Connection: keep-alive\r\nKeep-Alive: timeout=5\r\n"),
            "{r}"
        );
    }
    // Connection: close on HTTP/1.1 closes too.
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    assert!(closes_within(&mut s, 2000));
}

#[test]
fn node_rejects_these_requests_with_400() {
    let server = start("res.end('ok')");
    for bad in [
        "this is not http\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n",
        "FOO / HTTP/1.1\r\nHost: x\r\n\r\n",
        "get / HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET / HTTP/1.1\nHost: x\n\n",
        "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
        "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    ] {
        let r = exchange(server.port, bad);
        assert_eq!(
            r, "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n",
            "{bad:?}"
        );
    }
    // No Host on HTTP/1.1: a normal 400 response, the handler not called.
    let r = exchange(server.port, "GET / HTTP/1.1\r\n\r\n");
    assert_eq!(
        r,
        "HTTP/1.1 400 Bad Request\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
    );
}

#[test]
fn huge_headers_get_431() {
    let server = start("res.end('ok')");
    // One 20 KB header.
    let huge = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(20_000)
    );
    assert_eq!(
        exchange(server.port, &huge),
        "HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n"
    );
    // Many small headers past 16 KiB in all.
    let many: String = (0..2000).map(|i| format!("X-H{i}: v\r\n")).collect();
    let r = exchange(
        server.port,
        &format!("GET / HTTP/1.1\r\nHost: x\r\n{many}\r\n"),
    );
    assert!(r.starts_with("HTTP/1.1 431 "), "{r}");
    // 300 headers under the limit are fine (more than httparse's first try holds).
    let some: String = (0..300).map(|i| format!("X-H{i}: v\r\n")).collect();
    let r = exchange(
        server.port,
        &format!("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{some}\r\n"),
    );
    assert!(r.ends_with("ok"), "{r}");
    // A header block that never ends is cut at 16 KiB without waiting for the rest.
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(2000)))
        .unwrap();
    s.write_all(format!("GET / HTTP/1.1\r\nX-Big: {}", "b".repeat(17_000)).as_bytes())
        .unwrap();
    let mut buf = [0u8; 200];
    let n = s.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 431 "));
}

#[test]
fn clients_that_vanish_do_not_stop_the_server() {
    let server = start_script(
        "vanish",
        "const http = require('http')\nlet aborted = 0\nconst server = http.createServer((req, res) => {\n  if (req.url === '/stats') return res.end('aborted ' + aborted)\n  if (req.url === '/slow') return setTimeout(() => { res.write('x'.repeat(1 << 20)); res.end() }, 50)\n  req.on('aborted', () => aborted++)\n  req.on('data', () => {})\n  req.on('end', () => res.end('done'))\n})\nserver.listen(0, () => console.log(server.address().port))\n",
    );
    let port = server.port;
    // Mid-head.
    {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    }
    // Mid-body: the request is 'aborted'.
    {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(b"POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789")
            .unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }
    // Before its (large, late) response: writes to the closed socket are dropped.
    {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
    }
    // Half-closed: the client stops sending but still reads the answer.
    {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_millis(3000)))
            .unwrap();
        s.write_all(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        s.shutdown(std::net::Shutdown::Write).unwrap();
        let mut all = Vec::new();
        s.read_to_end(&mut all).unwrap();
        assert!(all.len() > 1 << 20, "the whole response: {}", all.len());
    }
    std::thread::sleep(Duration::from_millis(200));
    let r = exchange(port, "GET /stats HTTP/1.0\r\n\r\n");
    assert!(r.ends_with("aborted 1"), "{r}");
}

#[test]
fn an_exception_in_a_handler_is_uncaught() {
    let dir = std::env::temp_dir().join(format!("minijs-http-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("throws.js");
    std::fs::write(
        &script,
        "const http = require('http')\nconst server = http.createServer((req, res) => {\n  throw new Error('handler threw')\n})\nserver.listen(0, () => console.log(server.address().port))\n",
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .arg(&script)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line.trim().parse().unwrap();
    let r = exchange(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    assert_eq!(r, "", "the client sees the connection closed with no reply");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("throw new Error('handler threw')"), "{err}");
    assert!(err.contains("Error: handler threw"), "{err}");
}

/// Runs a script to its end: (stdout, stderr, exit code).
fn run_script(name: &str, src: &str) -> (String, String, i32) {
    let dir = std::env::temp_dir().join(format!("minijs-http-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join(format!("{name}.js"));
    std::fs::write(&script, src).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_minijs"))
        .arg(&script)
        .output()
        .expect("minijs runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// Reads a request head (and a Content-Length body) from a client connection.
fn read_request(s: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&out).into_owned();
        if let Some(i) = text.find("\r\n\r\n") {
            let len = text[..i]
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length: "))
                .map(|v| v.trim().parse::<usize>().unwrap())
                .unwrap_or(0);
            if out.len() >= i + 4 + len {
                return text;
            }
        }
        let n = s.read(&mut buf).expect("the request");
        if n == 0 {
            return text;
        }
        out.extend_from_slice(&buf[..n]);
    }
}

#[test]
fn the_client_against_a_rust_listener() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let peer = std::thread::spawn(move || {
        let mut requests = Vec::new();
        // 1: a POST with a body; the response is chunked and comes in pieces.
        let (mut s, _) = listener.accept().unwrap();
        requests.push(read_request(&mut s));
        s.write_all(b"HTTP/1.1 201 Created\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n")
            .unwrap();
        std::thread::sleep(Duration::from_millis(50));
        s.write_all(b"3\r\n\xc3\xa9f\r\n0\r\n\r\n").unwrap();
        drop(s);
        // 2: a body that ends when the server closes (no length).
        let (mut s, _) = listener.accept().unwrap();
        requests.push(read_request(&mut s));
        s.write_all(b"HTTP/1.0 200 OK\r\n\r\nuntil close").unwrap();
        drop(s);
        // 3: the server closes without answering.
        let (mut s, _) = listener.accept().unwrap();
        requests.push(read_request(&mut s));
        drop(s);
        // 4: a response cut short: the response is aborted.
        let (mut s, _) = listener.accept().unwrap();
        requests.push(read_request(&mut s));
        s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this")
            .unwrap();
        drop(s);
        requests
    });
    let script = format!(
        r#"const http = require('http')
const port = {port}
function step1() {{
  const req = http.request({{ host: '127.0.0.1', port, method: 'POST', path: '/upload?x=1', headers: {{ 'X-Test': 'yes' }} }}, (res) => {{
    console.log('1', res.statusCode, res.statusMessage, res.headers['content-type'], JSON.stringify(res.headers['set-cookie']), res.rawHeaders.length)
    let body = ''
    res.on('data', (d) => {{ body += d }})
    res.on('end', () => {{ console.log('1 body', body, res.complete); step2() }})
  }})
  req.end('héllo')
}}
function step2() {{
  http.get('http://127.0.0.1:' + port + '/two', (res) => {{
    let body = ''
    res.on('data', (d) => {{ body += d }})
    res.on('end', () => {{ console.log('2', res.httpVersion, body); step3() }})
  }})
}}
function step3() {{
  const req = http.get({{ host: '127.0.0.1', port, path: '/three' }}, () => console.log('3 unexpected'))
  req.on('error', (e) => console.log('3', e.message, e.code))
  req.on('close', step4)
}}
function step4() {{
  http.get({{ host: '127.0.0.1', port, path: '/four' }}, (res) => {{
    res.on('data', (d) => console.log('4 data', d))
    res.on('aborted', () => console.log('4 aborted', res.complete))
    res.on('error', (e) => console.log('4 error', e.message, e.code))
    res.on('close', () => console.log('4 close'))
  }})
}}
step1()
"#
    );
    // (node's output for this script against the same peer, recorded with a Python listener.)
    let (out, err, code) = run_script("client_rust_peer", &script);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        "1 201 Created text/plain [\"a=1\",\"b=2\"] 10\n1 body abcdéf true\n2 1.0 until close\n3 socket hang up ECONNRESET\n4 data <Buffer 6f 6e 6c 79 20 74 68 69 73>\n4 aborted false\n4 error aborted ECONNRESET\n4 close\n"
    );
    let requests = peer.join().unwrap();
    assert_eq!(
        requests[0],
        format!("POST /upload?x=1 HTTP/1.1\r\nX-Test: yes\r\nHost: 127.0.0.1:{port}\r\nConnection: keep-alive\r\nContent-Length: 6\r\n\r\nhéllo")
    );
    assert_eq!(
        requests[1],
        format!("GET /two HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: keep-alive\r\n\r\n")
    );
}

#[test]
fn connection_refused_is_the_request_error() {
    // A port that was just free.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (out, err, code) = run_script(
        "refused",
        &format!(
            "const req = require('http').get('http://127.0.0.1:{port}/')\nreq.on('error', (e) => console.log(e.message, e.code, e.errno, e.syscall, e.address, e.port))\nreq.on('close', () => console.log('close'))\n"
        ),
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        format!("connect ECONNREFUSED 127.0.0.1:{port} ECONNREFUSED -111 connect 127.0.0.1 {port}\nclose\n")
    );
    // Without an 'error' listener it is an uncaught exception.
    let (_, err, code) = run_script(
        "refused_uncaught",
        &format!("require('http').get('http://127.0.0.1:{port}/')\n"),
    );
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!("Error: connect ECONNREFUSED 127.0.0.1:{port}")),
        "{err}"
    );
}

#[test]
fn idle_keep_alive_connections_close_after_the_timeout() {
    let server = start_script(
        "keepalive",
        "const http = require('http')\nconst server = http.createServer((req, res) => res.end('ok'))\nserver.keepAliveTimeout = 200\nserver.listen(0, () => console.log(server.address().port))\n",
    );
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(3000)))
        .unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let r = read_response(&mut s);
    assert!(r.contains("Keep-Alive: timeout=0\r\n"), "{r}");
    // node closes an idle socket keepAliveTimeout + 1 s after its last response.
    let t0 = std::time::Instant::now();
    assert!(closes_within(&mut s, 4000));
    let waited = t0.elapsed();
    assert!(
        waited >= Duration::from_millis(1000) && waited < Duration::from_millis(3000),
        "{waited:?}"
    );
}

#[test]
fn random_bytes_never_take_the_server_down() {
    let server = start("req.on('data', () => {}); req.on('end', () => res.end('ok'))");
    // A fixed pseudo-random sequence (xorshift): garbage, and valid heads with garbage after.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let prefixes: [&[u8]; 4] = [
        b"",
        b"GET / HTTP/1.1\r\nHost: x\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n",
    ];
    for i in 0..60 {
        let mut bytes = prefixes[i % 4].to_vec();
        let n = (next() % 300) as usize;
        for _ in 0..n {
            let b = next() as u8;
            // Some structure now and then: line ends, colons, digits.
            bytes.push(match b % 8 {
                0 => b'\r',
                1 => b'\n',
                2 => b':',
                3 => b'0' + b % 10,
                _ => b,
            });
        }
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", server.port)) {
            let _ = s.set_read_timeout(Some(Duration::from_millis(50)));
            let _ = s.write_all(&bytes);
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
        }
    }
    let r = exchange(server.port, "GET / HTTP/1.0\r\n\r\n");
    assert!(r.ends_with("ok"), "{r}");
}

/// Reads until the server closes (or `ms` pass: then `<timeout>` is appended).
fn read_to_close(s: &mut TcpStream, ms: u64) -> String {
    s.set_read_timeout(Some(Duration::from_millis(ms))).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(_) => {
                out.extend_from_slice(b"<timeout>");
                break;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

const TIMEOUTS: &str = "const http = require('http')\n\
const server = http.createServer({ headersTimeout: 300, requestTimeout: 600 }, (req, res) => {\n\
  let body = ''; req.on('data', (d) => body += d); req.on('end', () => res.end('got ' + body))\n\
})\n\
server.listen(0, () => console.log(server.address().port))\n";

/// headersTimeout and requestTimeout as node enforces them (answers checked against node v20
/// with connectionsCheckingInterval 50): a head or a body that does not arrive in time, or a
/// connection that sends nothing, gets 408 and is closed; a complete request is not timed.
#[test]
fn slow_requests_get_408() {
    let server = start_script("timeouts", TIMEOUTS);
    let timeout = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n";
    let slow = |bytes: &[u8]| {
        let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
        s.write_all(bytes).unwrap();
        let t0 = std::time::Instant::now();
        let r = read_to_close(&mut s, 5000);
        (r, t0.elapsed())
    };
    let (r, t) = slow(b"GET / HTTP/1.1\r\nHost: x\r\n");
    assert_eq!(r, timeout);
    assert!(t >= Duration::from_millis(250), "{t:?}");
    let (r, t) = slow(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    assert_eq!(r, timeout);
    assert!(t >= Duration::from_millis(550), "{t:?}");
    let (r, _) = slow(b"");
    assert_eq!(r, timeout);
    // A complete request: answered, then the connection idles without a 408.
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
        .unwrap();
    let r = read_to_close(&mut s, 1000);
    assert!(r.starts_with("HTTP/1.1 200 OK\r\n"), "{r}");
    assert!(r.ends_with("got abc<timeout>"), "{r}");
}

/// 'clientError' listeners get node's errors for a timeout and for input that ends inside a
/// request (HPE_INVALID_EOF_STATE); without listeners, an early end gets 400.
#[test]
fn timeouts_and_early_ends_reach_client_error() {
    let src = TIMEOUTS.replace(
        "server.listen",
        "server.on('clientError', (e, socket) => socket.end('HTTP/1.1 499 Custom\\r\\n\\r\\n' + [e.name, e.code, e.message].join(' ')))\nserver.listen",
    );
    let server = start_script("client_error", &src);
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    assert_eq!(
        read_to_close(&mut s, 5000),
        "HTTP/1.1 499 Custom\r\n\r\nError ERR_HTTP_REQUEST_TIMEOUT Request timeout"
    );
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        .unwrap();
    s.shutdown(std::net::Shutdown::Write).unwrap();
    assert_eq!(
        read_to_close(&mut s, 5000),
        "HTTP/1.1 499 Custom\r\n\r\nError HPE_INVALID_EOF_STATE Parse Error"
    );
    // No listener: 400, as node.
    let server = start_script("early_end", TIMEOUTS);
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    s.shutdown(std::net::Shutdown::Write).unwrap();
    assert_eq!(
        read_to_close(&mut s, 5000),
        "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n"
    );
}
