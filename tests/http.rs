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
    let r = exchange(server.port, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
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
        "POST /p?q=1 HTTP/1.1\r\nX-A: b\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbody",
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
