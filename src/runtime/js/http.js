'use strict';
// node's http module over minijs's sockets (src/runtime/net.rs): Server, Socket,
// IncomingMessage (a readable stream of strings: minijs has no Buffer), ServerResponse,
// ClientRequest, http.request and http.get, with node v20's message framing
// (spec/node-compat.md §5).
const EventEmitter = require('events');
const net = require('internal/net');
const { makeNodeError } = require('internal/errors');

const STATUS_CODES = {
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints',
  200: 'OK', 201: 'Created', 202: 'Accepted',
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

const METHODS = [
  'ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK', 'LOCK',
  'M-SEARCH', 'MERGE', 'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE', 'NOTIFY', 'OPTIONS',
  'PATCH', 'POST', 'PROPFIND', 'PROPPATCH', 'PURGE', 'PUT', 'QUERY', 'REBIND', 'REPORT',
  'SEARCH', 'SOURCE', 'SUBSCRIBE', 'TRACE', 'UNBIND', 'UNLINK', 'UNLOCK', 'UNSUBSCRIBE'
];

// A chunk to send as node's write/end take it: a Buffer (or another typed array) as is, a
// string as UTF-8, or in `encoding` when one is named.
function toChunk(data, encoding) {
  if (typeof data === 'string') {
    if (typeof encoding === 'string' && !/^utf-?8$/i.test(encoding)) return Buffer.from(data, encoding);
    return data;
  }
  if (ArrayBuffer.isView(data)) return data;
  return String(data);
}

function chunkLength(c) { return typeof c === 'string' ? utf8Length(c) : c.byteLength; }

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

// The Date header, cached per second as node does.
let dateCache = '';
let dateSecond = -1;
function utcDate() {
  const now = Date.now();
  const s = Math.floor(now / 1000);
  if (s !== dateSecond) { dateSecond = s; dateCache = new Date(now).toUTCString(); }
  return dateCache;
}

function normalizeEncoding(enc) {
  const e = String(enc).toLowerCase();
  if (e === 'utf8' || e === 'utf-8') return 'utf8';
  if (e === 'latin1' || e === 'binary') return 'latin1';
  if (e === 'hex' || e === 'base64') return e;
  const err = makeNodeError(TypeError, 'ERR_UNKNOWN_ENCODING', 'Unknown encoding: ' + enc);
  throw err;
}

function connResetError(message) {
  const e = new Error(message);
  e.code = 'ECONNRESET';
  return e;
}

// The server side of a TCP connection (node's net.Socket, the parts http uses).
class Socket extends EventEmitter {
  constructor(id, server, address, port, family) {
    super();
    this._id = id;
    this.server = server;
    this.remoteAddress = address;
    this.remotePort = port;
    this.remoteFamily = family;
    this.destroyed = false;
    this._req = null;
    this._res = null;
  }
  get writable() { return !this.destroyed; }
  get readable() { return !this.destroyed; }
  address() { return this.server ? this.server.address() : {}; }
  get localPort() { return this.server ? this.server._port : undefined; }
  write(data, encoding, cb) {
    if (typeof encoding === 'function') cb = encoding;
    if (this.destroyed) return false;
    net.write(this._id, toChunk(data, encoding));
    if (cb) process.nextTick(cb);
    return true;
  }
  end(data, encoding, cb) {
    if (typeof data === 'function') { cb = data; data = undefined; }
    if (data !== undefined && data !== null) this.write(data);
    if (!this.destroyed) net.shutdown(this._id);
    if (cb) this.once('close', cb);
    return this;
  }
  destroy(err) {
    if (!this.destroyed) net.destroy(this._id);
    if (err) process.nextTick(() => this.emit('error', err));
    return this;
  }
  destroySoon() { return this.end(); }
  setTimeout(ms, cb) { if (cb) this.once('timeout', cb); return this; }
  setNoDelay() { return this; }
  setKeepAlive() { return this; }
  ref() { return this; }
  unref() { return this; }
  pause() { return this; }
  resume() { return this; }
  _onClose() {
    this.destroyed = true;
    const req = this._req;
    const res = this._res;
    this._req = this._res = null;
    if (req && !req.complete) req._abort();
    if (res && !res._closed) res._close();
    this.emit('close', false);
  }
}

function flowNT(msg) { msg._flow(); }

// A request (server side) or a response (client side): a readable stream in flowing or
// paused mode whose chunks are Buffers (strings after setEncoding).
class IncomingMessage extends EventEmitter {
  constructor(socket) {
    super();
    this.socket = socket;
    this.httpVersionMajor = 1;
    this.httpVersionMinor = 1;
    this.httpVersion = '1.1';
    this.complete = false;
    this.aborted = false;
    this.rawHeaders = [];
    this.headers = {};
    this.rawTrailers = [];
    this.trailers = {};
    this.method = null;
    this.url = '';
    this.statusCode = null;
    this.statusMessage = null;
    this.readable = true;
    this.destroyed = false;
    this.readableEnded = false;
    this._id = -1;
    this._buf = [];
    this._flowing = null;
    this._ended = false;
    this._scheduled = false;
    this._consuming = false;
    this._dumped = false;
    this._encoding = null;
  }
  get connection() { return this.socket; }
  _setHeaders(raw) {
    this.rawHeaders = raw;
    const h = this.headers;
    for (let i = 0; i < raw.length; i += 2) {
      const k = raw[i].toLowerCase();
      const v = raw[i + 1];
      const old = h[k];
      if (old === undefined) {
        h[k] = k === 'set-cookie' ? [v] : v;
      } else if (k === 'set-cookie') {
        old.push(v);
      } else if (k === 'cookie') {
        h[k] = old + '; ' + v;
      } else if (!DROP_DUPLICATES.has(k)) {
        h[k] = old + ', ' + v;
      }
    }
  }
  on(type, listener) {
    super.on(type, listener);
    if (type === 'data' && this._flowing !== false) this.resume();
    return this;
  }
  addListener(type, listener) { return this.on(type, listener); }
  setEncoding(enc) {
    this._encoding = normalizeEncoding(enc === undefined ? 'utf8' : enc);
    if (this._id >= 0 && !this.complete) net.setEncoding(this._id, this._encoding);
    return this;
  }
  resume() {
    if (!this._flowing) {
      this._flowing = true;
      this._consuming = true;
      this._schedule();
    }
    return this;
  }
  pause() {
    if (this._flowing !== false) this._flowing = false;
    return this;
  }
  isPaused() { return this._flowing === false; }
  read() {
    this._consuming = true;
    if (this._buf.length === 0) {
      if (this._ended) this._schedule();
      return null;
    }
    const s = this._buf.join('');
    this._buf = [];
    if (this._ended) this._schedule();
    return s;
  }
  pipe(dest, options) {
    this.on('data', (chunk) => { if (dest.write(chunk) === false && this.pause) { /* no backpressure */ } });
    if (!options || options.end !== false) this.on('end', () => dest.end());
    return dest;
  }
  unpipe() { return this; }
  [Symbol.asyncIterator]() {
    const chunks = [];
    let waiting = null;
    let done = false;
    let error = null;
    const settle = () => {
      if (!waiting) return;
      const w = waiting;
      if (chunks.length > 0) { waiting = null; w.resolve({ value: chunks.shift(), done: false }); }
      else if (error) { waiting = null; w.reject(error); }
      else if (done) { waiting = null; w.resolve({ value: undefined, done: true }); }
    };
    this.on('data', (c) => { chunks.push(c); settle(); });
    this.on('end', () => { done = true; settle(); });
    this.on('error', (e) => { error = e; settle(); });
    this.on('close', () => { if (!done && !error) { error = connResetError('aborted'); } settle(); });
    return {
      next() {
        return new Promise((resolve, reject) => { waiting = { resolve, reject }; settle(); });
      },
      return() { done = true; return Promise.resolve({ value: undefined, done: true }); },
      [Symbol.asyncIterator]() { return this; }
    };
  }
  setTimeout(ms, cb) { if (cb) this.once('timeout', cb); return this; }
  destroy(err) {
    if (this.destroyed) return this;
    if (this.socket && this.socket.destroy) this.socket.destroy();
    else if (this._req) this._req.destroy();
    if (err) process.nextTick(() => this.emit('error', err));
    return this;
  }
  _schedule() {
    if (!this._scheduled) {
      this._scheduled = true;
      process.nextTick(flowNT, this);
    }
  }
  // Body text from the socket.
  _onData(chunk) {
    if (this._dumped) return;
    if (this._flowing && this._buf.length === 0 && !this._scheduled) this.emit('data', chunk);
    else this._buf.push(chunk);
  }
  _onEnd() {
    this.complete = true;
    this._ended = true;
    if (this._flowing) this._schedule();
  }
  _flow() {
    this._scheduled = false;
    while (this._flowing && this._buf.length > 0) this.emit('data', this._buf.shift());
    if (this._ended && this._buf.length === 0 && !this.readableEnded &&
        (this._flowing || this._consuming)) {
      this.readableEnded = true;
      this.readable = false;
      this.emit('end');
      if (this._req) this._req._emitClose();
      process.nextTick(() => { this.destroyed = true; this.emit('close'); });
    }
  }
  // node's _dump: the body nobody reads is discarded (after the response ended).
  _dump() {
    if (this._dumped) return;
    this._dumped = true;
    this._buf = [];
    this.removeAllListeners('data');
    this.resume();
  }
  // The connection closed before the message was complete.
  _abort() {
    if (this.destroyed) return;
    this.aborted = true;
    this.destroyed = true;
    this.readable = false;
    this.emit('aborted');
    if (this.listenerCount('error') > 0) this.emit('error', connResetError('aborted'));
    this.emit('close');
  }
}

// Headers of which node keeps only the first value.
const DROP_DUPLICATES = new Set([
  'content-type', 'content-length', 'user-agent', 'referer', 'host', 'authorization',
  'proxy-authorization', 'if-modified-since', 'if-unmodified-since', 'from', 'location',
  'max-forwards', 'retry-after', 'etag', 'last-modified', 'server', 'age', 'expires'
]);

function headersSentError() {
  const e = makeNodeError(Error, 'ERR_HTTP_HEADERS_SENT', 'Cannot set headers after they are sent to the client');
  return e;
}

// What ServerResponse and ClientRequest share: the header list and the body framing.
class OutgoingMessage extends EventEmitter {
  constructor() {
    super();
    this._id = -1;
    this.headersSent = false;
    this.finished = false;
    this.writableEnded = false;
    this.writableFinished = false;
    this.sendDate = false;
    this.shouldKeepAlive = true;
    this.useChunkedEncodingByDefault = true;
    this.chunkedEncoding = false;
    this._headerList = [];
    this._hasBody = true;
    this._last = false;
    this._closed = false;
  }
  _find(name) {
    const lower = String(name).toLowerCase();
    const list = this._headerList;
    for (let i = 0; i < list.length; i++) {
      if (list[i][0].toLowerCase() === lower) return i;
    }
    return -1;
  }
  setHeader(name, value) {
    if (this.headersSent) throw headersSentError();
    const i = this._find(name);
    if (i >= 0) this._headerList.splice(i, 1);
    this._headerList.push([String(name), value]);
    return this;
  }
  appendHeader(name, value) {
    if (this.headersSent) throw headersSentError();
    const i = this._find(name);
    if (i < 0) return this.setHeader(name, value);
    const old = this._headerList[i][1];
    this._headerList[i][1] = [].concat(old, value);
    return this;
  }
  getHeader(name) {
    const i = this._find(name);
    return i >= 0 ? this._headerList[i][1] : undefined;
  }
  hasHeader(name) { return this._find(name) >= 0; }
  removeHeader(name) {
    if (this.headersSent) throw headersSentError();
    const i = this._find(name);
    if (i >= 0) this._headerList.splice(i, 1);
  }
  getHeaderNames() { return this._headerList.map((h) => h[0].toLowerCase()); }
  getRawHeaderNames() { return this._headerList.map((h) => h[0]); }
  getHeaders() {
    const o = Object.create(null);
    for (const [k, v] of this._headerList) o[k.toLowerCase()] = v;
    return o;
  }
  flushHeaders() { this._sendHead(-1); }
  // Sends the first line and the headers (node's _storeHeader). `length` is the whole body's
  // byte length when end() knows it, -1 otherwise.
  _sendHead(length) {
    if (this.headersSent) return;
    this.headersSent = true;
    let head = this._firstLine();
    let contLen = false;
    let te = false;
    let date = false;
    let connection = false;
    const list = this._headerList;
    for (let i = 0; i < list.length; i++) {
      const k = list[i][0];
      const v = list[i][1];
      const lower = k.length === 14 || k.length === 17 || k.length === 10 || k.length === 4 ? k.toLowerCase() : '';
      if (lower === 'content-length') contLen = true;
      else if (lower === 'transfer-encoding') {
        te = true;
        if (/(?:^|\W)chunked(?:$|\W)/i.test(String(v))) this.chunkedEncoding = true;
      } else if (lower === 'date') date = true;
      else if (lower === 'connection') {
        connection = true;
        if (/(?:^|\W)close(?:$|\W)/i.test(String(v))) this._last = true;
        else this.shouldKeepAlive = true;
      }
      if (Array.isArray(v)) for (let j = 0; j < v.length; j++) head += k + ': ' + v[j] + '\r\n';
      else head += k + ': ' + v + '\r\n';
    }
    if (this.sendDate && !date) head += 'Date: ' + utcDate() + '\r\n';
    if (!connection) {
      const sendKeepAlive = this.shouldKeepAlive && (contLen || this.useChunkedEncodingByDefault || this._isClient);
      if (sendKeepAlive) {
        head += 'Connection: keep-alive\r\n';
        if (this._keepAliveHeader) head += this._keepAliveHeader;
      } else {
        this._last = true;
        head += 'Connection: close\r\n';
      }
    }
    if (!contLen && !te) {
      if (!this._hasBody) {
        // No body (HEAD, 204, 304): neither header.
      } else if (!this.useChunkedEncodingByDefault) {
        this._last = true;
      } else if (length >= 0) {
        head += 'Content-Length: ' + length + '\r\n';
      } else {
        head += 'Transfer-Encoding: chunked\r\n';
        this.chunkedEncoding = true;
      }
    }
    this._send(head + '\r\n');
  }
  _send(s) { if (this._id >= 0) net.write(this._id, s); }
  _writeBody(chunk) {
    if (!this._hasBody || chunk.length === 0) return;
    if (!this.chunkedEncoding) this._send(chunk);
    else if (typeof chunk === 'string') this._send(utf8Length(chunk).toString(16) + '\r\n' + chunk + '\r\n');
    else {
      this._send(chunk.byteLength.toString(16) + '\r\n');
      this._send(chunk);
      this._send('\r\n');
    }
  }
  write(chunk, encoding, cb) {
    if (typeof encoding === 'function') cb = encoding;
    if (this.writableEnded) {
      const e = makeNodeError(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end');
      process.nextTick(() => { if (cb) cb(e); this.emit('error', e); });
      return false;
    }
    chunk = chunk === undefined || chunk === null ? '' : toChunk(chunk, encoding);
    this._sendHead(-1);
    this._writeBody(chunk);
    if (cb) process.nextTick(cb);
    return true;
  }
  end(data, encoding, cb) {
    if (typeof data === 'function') { cb = data; data = undefined; }
    if (typeof encoding === 'function') cb = encoding;
    if (this.writableEnded) { if (cb) process.nextTick(cb); return this; }
    const body = data === undefined || data === null ? '' : toChunk(data, encoding);
    if (!this.headersSent) this._sendHead(chunkLength(body));
    this._writeBody(body);
    if (this.chunkedEncoding && this._hasBody) this._send('0\r\n\r\n');
    this.writableEnded = true;
    this.finished = true;
    this._finish();
    process.nextTick(() => {
      this.writableFinished = true;
      this.emit('finish');
      if (cb) cb();
      this._afterFinish();
    });
    return this;
  }
  _finish() {}
  _afterFinish() {}
}

class ServerResponse extends OutgoingMessage {
  constructor(req, server) {
    super();
    this._id = req._id;
    this.req = req;
    this.socket = req.socket;
    this.statusCode = 200;
    this.statusMessage = undefined;
    this.sendDate = true;
    this._server = server;
    const method = req.method;
    this._hasBody = method !== 'HEAD';
    const conn = req.headers.connection;
    if (req.httpVersionMinor === 0) {
      // HTTP/1.0: no chunking; persistent only when asked for.
      this.useChunkedEncodingByDefault = false;
      this.shouldKeepAlive = conn !== undefined && /keep-alive/i.test(conn);
    } else {
      this.shouldKeepAlive = conn === undefined || !/(?:^|\W)close(?:$|\W)/i.test(conn);
    }
    this._keepAliveHeader = server.keepAliveTimeout
      ? 'Keep-Alive: timeout=' + Math.floor(server.keepAliveTimeout / 1000) + '\r\n'
      : '';
  }
  get connection() { return this.socket; }
  _firstLine() {
    const code = this.statusCode;
    if (code === 204 || code === 304 || (code >= 100 && code < 200)) this._hasBody = false;
    const reason = this.statusMessage !== undefined ? this.statusMessage : (STATUS_CODES[code] || 'unknown');
    return 'HTTP/1.1 ' + code + ' ' + reason + '\r\n';
  }
  writeHead(code, reason, headers) {
    if (this.headersSent) throw headersSentError();
    if (typeof reason !== 'string') { headers = reason; reason = undefined; }
    code |= 0;
    if (code < 100 || code > 999) {
      const e = makeNodeError(RangeError, 'ERR_HTTP_INVALID_STATUS_CODE', 'Invalid status code: ' + code);
      throw e;
    }
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
  writeContinue() { this._send('HTTP/1.1 100 Continue\r\n\r\n'); }
  setTimeout(ms, cb) { if (cb) this.once('timeout', cb); return this; }
  destroy(err) { if (this.socket) this.socket.destroy(err); return this; }
  _finish() {
    const server = this._server;
    net.finish(this._id, this._last || !this.shouldKeepAlive, server.keepAliveTimeout,
      server.headersTimeout, server.requestTimeout);
  }
  _afterFinish() {
    // node's resOnFinish: a body nobody read is discarded; then 'close'.
    const req = this.req;
    if (!req._consuming && !req._scheduled) req._dump();
    if (this.socket && this.socket._res === this) { this.socket._res = null; this.socket._req = null; }
    this._close();
  }
  _close() {
    if (this._closed) return;
    this._closed = true;
    this.emit('close');
  }
}

class Server extends EventEmitter {
  constructor(options, requestListener) {
    super();
    if (typeof options === 'function') requestListener = options;
    if (requestListener) this.on('request', requestListener);
    if (options === null || typeof options !== 'object') options = {};
    this.timeout = 0;
    this.keepAliveTimeout = 5000;
    // node's defaults; minijs enforces them at the deadline itself (node checks every
    // connectionsCheckingInterval, 30 s, so its 408 comes up to that much later).
    this.headersTimeout = options.headersTimeout !== undefined ? options.headersTimeout : 60000;
    this.requestTimeout = options.requestTimeout !== undefined ? options.requestTimeout : 300000;
    this.maxHeadersCount = null;
    this.maxRequestsPerSocket = 0;
    this.listening = false;
    this._address = null;
    this._port = null;
  }
  listen(...args) {
    let cb;
    if (typeof args[args.length - 1] === 'function') cb = args.pop();
    let port = args[0];
    let host = typeof args[1] === 'string' ? args[1] : undefined;
    if (port !== null && typeof port === 'object') { host = port.host; port = port.port; }
    if (port === undefined || port === null) port = 0;
    if (typeof port === 'string' && port.trim() !== '' && !isNaN(Number(port))) port = Number(port);
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
      const shown = typeof port === 'string' ? "type string ('" + port + "')" : 'type ' + typeof port + ' (' + String(port) + ')';
      const e = makeNodeError(RangeError, 'ERR_SOCKET_BAD_PORT', 'options.port should be >= 0 and < 65536. Received ' + shown + '.');
      throw e;
    }
    if (cb) this.once('listening', cb);
    let r;
    try {
      r = net.listen(this, port, host);
    } catch (e) {
      // node reports a failed bind as the server's 'error', asynchronously.
      process.nextTick(() => this.emit('error', e));
      return this;
    }
    this._address = { address: r[0], family: r[1], port: r[2] };
    this._port = r[2];
    this.listening = true;
    process.nextTick(() => this.emit('listening'));
    return this;
  }
  address() {
    return this.listening ? { address: this._address.address, family: this._address.family, port: this._address.port } : null;
  }
  close(cb) {
    const wasListening = this.listening;
    net.close(this);
    this.listening = false;
    if (cb) {
      this.once('close', cb);
      if (!wasListening) {
        const e = makeNodeError(Error, 'ERR_SERVER_NOT_RUNNING', 'Server is not running.');
        process.nextTick(() => this.emit('close', e));
        return this;
      }
    }
    process.nextTick(() => this.emit('close'));
    return this;
  }
  closeAllConnections() {}
  closeIdleConnections() {}
  setTimeout(ms, cb) { this.timeout = ms; if (cb) this.on('timeout', cb); return this; }
  ref() { return this; }
  unref() { return this; }
  _onConnection(id, address, port, family) {
    const socket = new Socket(id, this, address, port, family);
    this.emit('connection', socket);
    return socket;
  }
  _onRequest(socket, id, method, url, minor, raw) {
    const req = new IncomingMessage(socket);
    req._id = id;
    req.method = method;
    req.url = url;
    if (minor !== 1) {
      req.httpVersionMinor = minor;
      req.httpVersion = '1.' + minor;
    }
    req._setHeaders(raw);
    const res = new ServerResponse(req, this);
    socket._req = req;
    socket._res = res;
    if (minor === 1 && req.headers.host === undefined) {
      // node's requireHostHeader: 400 without calling the handler.
      res.writeHead(400, ['Connection', 'close']);
      res.end();
      return req;
    }
    const expect = req.headers.expect;
    if (expect !== undefined && minor === 1) {
      if (/^100-continue$/i.test(expect)) {
        if (this.listenerCount('checkContinue') > 0) { this.emit('checkContinue', req, res); return req; }
        res.writeContinue();
      } else if (this.listenerCount('checkExpectation') > 0) {
        this.emit('checkExpectation', req, res);
        return req;
      } else {
        res.statusCode = 417;
        res.end();
        return req;
      }
    }
    this.emit('request', req, res);
    return req;
  }
  // A parse error: with 'clientError' listeners they answer; else node's 400.
  _onClientError(socket, code) {
    if (this.listenerCount('clientError') === 0) return false;
    let e;
    if (code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      e = makeNodeError(Error, code, 'Request timeout');
    } else if (code === 'HPE_INVALID_EOF_STATE') {
      // node's parser.finish() error at an early end of input.
      e = new Error('Parse Error');
      e.code = code;
      e.bytesParsed = 0;
    } else {
      e = new Error('Parse Error: ' + (code === 'HPE_HEADER_OVERFLOW' ? 'Header overflow' : 'Invalid request'));
      e.code = code;
      e.bytesParsed = 0;
    }
    this.emit('clientError', e, socket);
    return true;
  }
}

function createServer(options, requestListener) {
  return new Server(options, requestListener);
}

function invalidArg(name, value) {
  const e = makeNodeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "' + name + '" argument must be of type string or an instance of URL. Received ' + (value === null ? 'null' : typeof value));
  return e;
}

// 'http://user@host:port/path?query' → node's request options.
function urlToOptions(s) {
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:)\/\/(?:([^@/?#]*)@)?(\[[^\]]*\]|[^:/?#]*)(?::(\d*))?([^#]*)/.exec(s);
  if (!m) {
    const e = makeNodeError(TypeError, 'ERR_INVALID_URL', 'Invalid URL');
    e.input = s;
    throw e;
  }
  const o = {
    protocol: m[1].toLowerCase(),
    hostname: m[3].startsWith('[') ? m[3].slice(1, -1) : m[3],
    path: m[5] || '/'
  };
  if (o.path[0] !== '/') o.path = '/' + o.path;
  if (m[4]) o.port = Number(m[4]);
  if (m[2]) o.auth = decodeURIComponent(m[2]);
  return o;
}

class ClientRequest extends OutgoingMessage {
  constructor(input, options, cb) {
    super();
    if (typeof input === 'string') {
      input = urlToOptions(input);
    } else if (input === null || typeof input !== 'object') {
      throw invalidArg('url', input);
    }
    if (typeof options === 'function') { cb = options; options = undefined; }
    const o = Object.assign({}, input, options || {});
    const protocol = o.protocol || 'http:';
    if (protocol !== 'http:') {
      const e = makeNodeError(TypeError, 'ERR_INVALID_PROTOCOL', 'Protocol "' + protocol + '" not supported. Expected "http:"');
      throw e;
    }
    this._isClient = true;
    this.protocol = protocol;
    this.method = (o.method || 'GET').toUpperCase();
    this.path = o.path || '/';
    let host = o.hostname || o.host || 'localhost';
    if (!o.hostname && typeof o.host === 'string') host = o.host.replace(/:\d+$/, '');
    this.host = host;
    const port = o.port === undefined || o.port === null || o.port === '' ? 80 : Number(o.port);
    this._portNumber = port;
    this.reusedSocket = false;
    this.aborted = false;
    this.destroyed = false;
    this.res = null;
    this.socket = null;
    this._errored = false;
    this.maxHeadersCount = null;
    const m = this.method;
    this.useChunkedEncodingByDefault = !(m === 'GET' || m === 'HEAD' || m === 'DELETE' ||
      m === 'OPTIONS' || m === 'TRACE' || m === 'CONNECT');
    this._hasBody = true;
    const headers = o.headers;
    if (Array.isArray(headers)) {
      for (let i = 0; i + 1 < headers.length; i += 2) this.setHeader(headers[i], headers[i + 1]);
    } else if (headers) {
      for (const k of Object.keys(headers)) this.setHeader(k, headers[k]);
    }
    if (o.setHost !== false && !this.hasHeader('host')) {
      let hostHeader = host.includes(':') ? '[' + host + ']' : host;
      if (port !== 80) hostHeader += ':' + port;
      this.setHeader('Host', hostHeader);
    }
    if (o.auth && !this.hasHeader('authorization')) {
      if (typeof btoa === 'function') this.setHeader('Authorization', 'Basic ' + btoa(o.auth));
    }
    if (cb) this.once('response', cb);
    const r = net.connect(this, host, port, m === 'HEAD');
    if (typeof r === 'number') {
      this._id = r;
    } else {
      const [code, errno, syscall] = r;
      const e = new Error(syscall === 'getaddrinfo'
        ? 'getaddrinfo ' + code + ' ' + host
        : syscall + ' ' + code + ' ' + host + ':' + port);
      e.errno = errno;
      e.code = code;
      e.syscall = syscall;
      if (syscall === 'getaddrinfo') e.hostname = host;
      else { e.address = host; e.port = port; }
      process.nextTick(() => { this._onError(e); this._onClose(); });
    }
    if (o.timeout !== undefined) this.setTimeout(o.timeout);
  }
  _firstLine() {
    return this.method + ' ' + this.path + ' HTTP/1.1\r\n';
  }
  abort() {
    if (this.aborted) return;
    this.aborted = true;
    process.nextTick(() => this.emit('abort'));
    this.destroy();
  }
  destroy(err) {
    if (this.destroyed) return this;
    this.destroyed = true;
    if (err) { this._errored = true; process.nextTick(() => this.emit('error', err)); }
    if (this._id >= 0) net.destroy(this._id);
    return this;
  }
  setTimeout(ms, cb) {
    if (cb) this.once('timeout', cb);
    if (this._timer) clearTimeout(this._timer);
    if (ms > 0) this._timer = setTimeout(() => this.emit('timeout'), ms);
    return this;
  }
  setNoDelay() {}
  setSocketKeepAlive() {}
  // The connect failed: node's error ('connect ECONNREFUSED 127.0.0.1:PORT').
  _onError(code, errno, syscall, address, port) {
    let e = code;
    if (typeof code === 'string') {
      e = new Error(syscall + ' ' + code + ' ' + address + ':' + port);
      e.errno = errno;
      e.code = code;
      e.syscall = syscall;
      e.address = address;
      e.port = port;
    }
    this._errored = true;
    this.emit('error', e);
  }
  _onParseError() {
    const e = new Error('Parse Error: Invalid response');
    e.code = 'HPE_INVALID_CONSTANT';
    this._errored = true;
    this.emit('error', e);
  }
  _onResponse(status, reason, minor, raw) {
    const res = new IncomingMessage(null);
    res._id = this._id;
    res._req = this;
    res.statusCode = status;
    res.statusMessage = reason;
    if (minor !== 1) {
      res.httpVersionMinor = minor;
      res.httpVersion = '1.' + minor;
    }
    res._setHeaders(raw);
    this.res = res;
    if (!this.emit('response', res)) res._dump();
    return res;
  }
  // The connection closed: 'socket hang up' when no response came; an unfinished response
  // is aborted. 'close' follows the response's 'end' (node's order), or comes now.
  _onClose() {
    if (this._timer) { clearTimeout(this._timer); this._timer = null; }
    this.destroyed = true;
    const res = this.res;
    if (!res) {
      if (!this._errored && !this.aborted) {
        this._errored = true;
        this.emit('error', connResetError('socket hang up'));
      }
      this._emitClose();
      return;
    }
    if (!res.complete) {
      res._abort();
      this._emitClose();
    }
  }
  _emitClose() {
    if (this._closeEmitted) return;
    this._closeEmitted = true;
    this.emit('close');
  }
}

function request(url, options, cb) {
  return new ClientRequest(url, options, cb);
}

function get(url, options, cb) {
  const req = new ClientRequest(url, options, cb);
  req.end();
  return req;
}

class Agent extends EventEmitter {
  constructor(options) {
    super();
    this.options = Object.assign({}, options);
    this.keepAlive = !!this.options.keepAlive;
    this.maxSockets = Infinity;
    this.sockets = {};
    this.freeSockets = {};
    this.requests = {};
  }
  destroy() {}
}

module.exports = {
  createServer, Server, IncomingMessage, ServerResponse, OutgoingMessage, ClientRequest,
  Agent, globalAgent: new Agent({ keepAlive: true }), request, get, STATUS_CODES, METHODS,
  maxHeaderSize: 16384
};
