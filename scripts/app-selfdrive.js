// The tutorial's leaking server (scripts/app.js) driving itself: it makes its five requests
// with http.get, one after another, then closes, so the leak demo needs no other tool.
// Run: minijs scripts/app-selfdrive.js --expose-gc
let count = 1
const memwatch = require('memwatch-next')
memwatch.on('stats', (stats) => {
  console.log(count++, stats)
})
memwatch.on('leak', (info) => {
  console.log('---')
  console.log(info)
  console.log('---')
})

const http = require('http')
const server = http.createServer((req, res) => {
  for (let i = 0; i < 10000; i++) {
    server.on('request', function leakEventCallback() {})
  }
  res.end('Hello World')
  global.gc()
}).listen(0, () => {
  const { port } = server.address()
  let done = 0
  const next = () => {
    http.get({ host: '127.0.0.1', port, path: '/' }, (res) => {
      let body = ''
      res.on('data', (chunk) => { body += chunk })
      res.on('end', () => {
        console.log(`request ${++done}: ${res.statusCode} ${body}`)
        // A later turn, so the stats of this request's collection print first.
        if (done < 5) setTimeout(next, 10)
        else setTimeout(() => server.close(), 10)
      })
    })
  }
  next()
})
