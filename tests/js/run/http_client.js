// The http client against a server in the same script: GET, POST bodies framed by
// Content-Length and chunked, setEncoding, for await over a request, HEAD, 404 with JSON,
// response events in order, and ECONNREFUSED on a port nobody listens on.
const http = require('http')

const server = http.createServer(async (req, res) => {
  if (req.url === '/echo') {
    req.setEncoding('utf8')
    let body = ''
    let chunks = 0
    req.on('data', (d) => { body += d; chunks++ })
    req.on('end', () => {
      res.setHeader('Content-Type', 'text/plain')
      res.end(JSON.stringify({
        method: req.method,
        length: req.headers['content-length'],
        te: req.headers['transfer-encoding'],
        body,
        complete: req.complete,
        someChunks: chunks > 0
      }))
    })
  } else if (req.url === '/iter') {
    let body = ''
    for await (const chunk of req) body += chunk
    res.end('iterated: ' + body)
  } else if (req.url === '/missing') {
    res.statusCode = 404
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify({ error: 'not found' }))
  } else if (req.url === '/chunks') {
    res.write('one ')
    setTimeout(() => { res.write('two ') ; res.end('three') }, 10)
  } else {
    res.end('Hello World')
  }
})

function fetch(options, body, cb) {
  const events = []
  const req = http.request(options, (res) => {
    events.push('response')
    res.setEncoding('utf8')
    let text = ''
    res.on('data', (d) => { text += d })
    res.on('end', () => { events.push('end') })
    res.on('close', () => {
      cb({ status: res.statusCode, message: res.statusMessage, version: res.httpVersion,
        type: res.headers['content-type'], length: res.headers['content-length'],
        te: res.headers['transfer-encoding'], text, complete: res.complete }, events)
    })
  })
  req.on('close', () => events.push('req close'))
  if (Array.isArray(body)) {
    for (const b of body) req.write(b)
    req.end()
  } else {
    req.end(body)
  }
}

server.listen(0, '127.0.0.1', () => {
  const port = server.address().port
  console.log('address', server.address().address, server.address().family, typeof port)
  const steps = [
    (next) => http.get('http://127.0.0.1:' + port + '/', (res) => {
      console.log('get', res.statusCode, res.headers['content-length'], res.headers.connection, res.headers['keep-alive'])
      let t = ''
      res.on('data', (d) => { t += d })
      res.on('end', () => { console.log('body', t); next() })
    }),
    (next) => fetch({ port, host: '127.0.0.1', method: 'POST', path: '/echo' }, 'héllo wörld ✓', (r, ev) => { console.log('post length', r); next() }),
    (next) => fetch({ port, host: '127.0.0.1', method: 'PUT', path: '/echo' }, ['a', 'é', '✓', 'z'.repeat(5000)], (r) => { console.log('put chunked', r.text.length, JSON.parse(r.text).te, JSON.parse(r.text).body.slice(0, 6)); next() }),
    (next) => fetch({ port, host: '127.0.0.1', method: 'POST', path: '/iter', headers: { 'Content-Type': 'text/plain' } }, 'for await', (r) => { console.log('iter', r.text); next() }),
    (next) => fetch({ port, hostname: '127.0.0.1', path: '/missing' }, undefined, (r, ev) => { console.log('missing', r, ev); next() }),
    (next) => fetch({ port, hostname: '127.0.0.1', path: '/chunks' }, undefined, (r) => { console.log('chunks', r.te, r.text); next() }),
    (next) => fetch({ port, hostname: '127.0.0.1', method: 'HEAD', path: '/' }, undefined, (r) => { console.log('head', r.status, r.length, JSON.stringify(r.text)); next() }),
    (next) => {
      const other = http.createServer().listen(0, '127.0.0.1', () => {
        const closedPort = other.address().port
        other.close(() => {
          const req = http.get({ host: '127.0.0.1', port: closedPort, path: '/' }, () => console.log('unexpected response'))
          req.on('error', (e) => {
            console.log(e.message === 'connect ECONNREFUSED 127.0.0.1:' + closedPort, e.name, e.code, e.errno, e.syscall, e.address, e.port === closedPort)
          })
          req.on('close', () => { console.log('refused request closed'); next() })
        })
      })
    }
  ]
  let i = 0
  const next = () => {
    if (i < steps.length) steps[i++](next)
    else server.close(() => console.log('server closed'))
  }
  next()
})
