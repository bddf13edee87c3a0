'use strict';
// node's http server over minijs's sockets (src/runtime/net.rs): Server, IncomingMessage,
// ServerResponse, with node v20's response framing (spec/node-compat.md §5.1).
const EventEmitter = require('events');
const net = require('internal/net');

const STATUS_CODES = {
  100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted',
  203: 'Non-Authoritative Information', 204: 'No Content', 205: 'Reset Content',
  206: 'Partial Content', 300: 'Multiple Choices', 301: 'Moved Permanently', 302: 'Found',
  303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable', 408: 'Request Timeout',
  409: 'Conflict', 410: 'Gone', 411: 'Length Required', 412: 'Precondition Failed',
  413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type',
  418: "I'm a Teapot", 422: 'Unprocessable Entity', 426: 'Upgrade Required',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error',
  501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported'
};

const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xD800 && c < 0xDC00 && i + 1 < s.length) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

class IncomingMessage extends EventEmitter {
  constructor(method, url, minor, raw) {
    super();
    this.httpVersionMajor = 1;
    this.httpVersionMinor = minor;
    this.httpVersion = '1.' + minor;
    this.complete = false;
    this.rawHeaders = raw;
    this.headers = {};
    for (let i = 0; i < raw.length; i += 2) {
      const k = raw[i].toLowerCase();
      if (this.headers[k] === undefined) this.headers[k] = raw[i + 1];
      else this.headers[k] += ', ' + raw[i + 1];
    }
    this.method = method;
    this.url = url;
    this.statusCode = null;
    this.statusMessage = null;
  }
  setEncoding() { return this; }
  resume() { return this; }
  pause() { return this; }
}

class ServerResponse extends EventEmitter {
  constructor(id, req) {
    super();
    this._id = id;
    this.req = req;
    this.statusCode = 200;
    this.statusMessage = undefined;
    this.headersSent = false;
    this.finished = false;
    this.writableEnded = false;
    this.sendDate = true;
    this._headerList = [];
    this._chunked = false;
    this._isHead = req.method === 'HEAD';
    this._http10 = req.httpVersionMinor === 0;
    const conn = (req.headers.connection || '').toLowerCase();
    this.shouldKeepAlive = !this._http10 && conn !== 'close';
  }
  _find(name) {
    const lower = String(name).toLowerCase();
    for (let i = 0; i < this._headerList.length; i++) {
      if (this._headerList[i][0].toLowerCase() === lower) return i;
    }
    return -1;
  }
  setHeader(name, value) {
    if (this.headersSent) {
      const e = new Error('Cannot set headers after they are sent to the client');
      e.code = 'ERR_HTTP_HEADERS_SENT';
      throw e;
    }
    const i = this._find(name);
    if (i >= 0) this._headerList.splice(i, 1);
    this._headerList.push([String(name), value]);
    return this;
  }
  getHeader(name) {
    const i = this._find(name);
    return i >= 0 ? this._headerList[i][1] : undefined;
  }
  hasHeader(name) { return this._find(name) >= 0; }
  removeHeader(name) {
    const i = this._find(name);
    if (i >= 0) this._headerList.splice(i, 1);
  }
  getHeaderNames() { return this._headerList.map((h) => h[0].toLowerCase()); }
  getHeaders() {
    const o = Object.create(null);
    for (const [k, v] of this._headerList) o[k.toLowerCase()] = v;
    return o;
  }
  writeHead(code, reason, headers) {
    if (typeof reason !== 'string') { headers = reason; reason = undefined; }
    this.statusCode = code;
    if (reason !== undefined) this.statusMessage = reason;
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) this.setHeader(headers[i], headers[i + 1]);
    } else if (headers) {
      for (const k of Object.keys(headers)) this.setHeader(k, headers[k]);
    }
    this._sendHead(-1);
    return this;
  }
  // Builds and sends the status line and headers. `length` is the whole body's byte length
  // when known (end() before any write), -1 otherwise.
  _sendHead(length) {
    if (this.headersSent) return;
    this.headersSent = true;
    const reason = this.statusMessage !== undefined ? this.statusMessage : (STATUS_CODES[this.statusCode] || 'unknown');
    let head = 'HTTP/1.1 ' + this.statusCode + ' ' + reason + '\r\n';
    let hasLength = false;
    let hasDate = false;
    for (const [k, v] of this._headerList) {
      const lower = k.toLowerCase();
      if (lower === 'content-length' || lower === 'transfer-encoding') hasLength = true;
      if (lower === 'date') hasDate = true;
      if (Array.isArray(v)) for (const x of v) head += k + ': ' + x + '\r\n';
      else head += k + ': ' + v + '\r\n';
    }
    if (!hasDate && this.sendDate) head += 'Date: ' + new Date().toUTCString() + '\r\n';
    head += 'Connection: ' + (this.shouldKeepAlive ? 'keep-alive' : 'close') + '\r\n';
    if (this.shouldKeepAlive) head += 'Keep-Alive: timeout=5\r\n';
    if (!hasLength && !this._isHead && !this._http10) {
      if (length >= 0) head += 'Content-Length: ' + length + '\r\n';
      else { head += 'Transfer-Encoding: chunked\r\n'; this._chunked = true; }
    }
    net.write(this._id, head + '\r\n');
  }
  write(chunk) {
    if (this.writableEnded) return false;
    chunk = chunk === undefined || chunk === null ? '' : String(chunk);
    this._sendHead(-1);
    if (this._isHead || chunk.length === 0) return true;
    if (this._chunked) net.write(this._id, utf8Length(chunk).toString(16) + '\r\n' + chunk + '\r\n');
    else net.write(this._id, chunk);
    return true;
  }
  end(data, encoding, cb) {
    if (typeof data === 'function') { cb = data; data = undefined; }
    if (typeof encoding === 'function') cb = encoding;
    if (this.writableEnded) return this;
    const body = data === undefined || data === null ? '' : String(data);
    if (!this.headersSent) this._sendHead(utf8Length(body));
    if (!this._isHead && body.length > 0) {
      if (this._chunked) net.write(this._id, utf8Length(body).toString(16) + '\r\n' + body + '\r\n');
      else net.write(this._id, body);
    }
    if (this._chunked && !this._isHead) net.write(this._id, '0\r\n\r\n');
    this.writableEnded = true;
    this.finished = true;
    net.end(this._id, !this.shouldKeepAlive);
    process.nextTick(() => { this.emit('finish'); if (cb) cb(); });
    return this;
  }
}

class Server extends EventEmitter {
  constructor(options, requestListener) {
    super();
    if (typeof options === 'function') requestListener = options;
    if (requestListener) this.on('request', requestListener);
    this.timeout = 0;
    this.keepAliveTimeout = 5000;
    this.headersTimeout = 60000;
    this.requestTimeout = 300000;
    this.maxHeadersCount = null;
    this.maxRequestsPerSocket = 0;
    this.listening = false;
    this._port = null;
  }
  listen(...args) {
    let cb;
    if (typeof args[args.length - 1] === 'function') cb = args.pop();
    let port = args[0];
    let host = typeof args[1] === 'string' ? args[1] : undefined;
    if (port !== null && typeof port === 'object') { host = port.host; port = port.port; }
    this._port = net.listen(this, port === undefined ? 0 : Number(port), host);
    this.listening = true;
    if (cb) this.once('listening', cb);
    process.nextTick(() => this.emit('listening'));
    return this;
  }
  address() {
    return this.listening ? { address: '::', family: 'IPv6', port: this._port } : null;
  }
  close(cb) {
    net.close(this);
    this.listening = false;
    if (cb) this.once('close', cb);
    process.nextTick(() => this.emit('close'));
    return this;
  }
  setTimeout(ms, cb) { this.timeout = ms; if (cb) this.on('timeout', cb); return this; }
  _onRequest(id, method, url, minor, raw, body) {
    const req = new IncomingMessage(method, url, minor, raw);
    const res = new ServerResponse(id, req);
    this.emit('request', req, res);
    if (body.length > 0) req.emit('data', body);
    req.complete = true;
    req.emit('end');
  }
}

function createServer(options, requestListener) {
  return new Server(options, requestListener);
}

module.exports = { createServer, Server, IncomingMessage, ServerResponse, STATUS_CODES, METHODS };
