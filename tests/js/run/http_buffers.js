const http = require('http');
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (d) => chunks.push(d));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    console.log('server got', Buffer.isBuffer(chunks[0]), body.length, body.toString());
    if (req.url === '/chunked') { res.write(Buffer.from('héllo ')); res.write('wörld', 'latin1'); res.end(Buffer.from([0x21])); }
    else if (req.url === '/hex') res.end('68690a', 'hex');
    else res.end(Buffer.from('bytes: ' + body.length));
  });
});
server.listen(0, () => {
  const port = server.address().port;
  const paths = ['/', '/chunked', '/hex'];
  const next = () => {
    const path = paths.shift();
    if (!path) return server.close();
    const req = http.request({ port, path, method: 'POST' }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => {
        const b = Buffer.concat(parts);
        console.log(path, res.headers['content-length'], res.headers['transfer-encoding'], Buffer.isBuffer(parts[0]), JSON.stringify(b.toString('latin1')), b);
        next();
      });
    });
    req.write(Buffer.from([0xe2, 0x82]));
    req.end(Buffer.from([0xac]));
  };
  next();
});
