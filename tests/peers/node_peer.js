'use strict';
// An independent WebSocket peer for Frameline's interop tests, built on Node `ws`.
//
// server: node node_peer.js server [--tls-cert F --tls-key F]
//   Listens on 127.0.0.1 (a free port), prints "PORT <n>", then serves by path:
//     /                          echo every message with its type
//     /close/<code>/<n>/<reason> echo n messages, then close with code and reason
//     /refuse                    answer the upgrade with 403
//   Subprotocols supported, in order: chat, superchat.
// client: node node_peer.js client --url URL [--cafile F] [--expect-subprotocol P]
//           [--server-closes CODE:N:REASON]
//   Runs the scenario below; prints one line per step; exits 0 only if all checked out.

const fs = require('fs');
const http = require('http');
const https = require('https');
const WebSocket = require('ws');

function option(name) {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

function payload(size) {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; ++i) b[i] = 97 + (i % 26);
  return b;
}

function server() {
  const cert = option('--tls-cert');
  const httpServer = cert
    ? https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(option('--tls-key')) })
    : http.createServer();
  const wss = new WebSocket.WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: 256 * 1024 * 1024,
    handleProtocols: (offered) => ['chat', 'superchat'].find((p) => offered.has(p)) || false,
  });
  httpServer.on('upgrade', (request, socket, head) => {
    if (request.url === '/refuse') {
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      const m = /^\/close\/(\d+)\/(\d+)\/(.*)$/.exec(request.url);
      let left = m ? Number(m[2]) : Infinity;
      ws.on('message', (data, isBinary) => {
        if (left <= 0) return;
        ws.send(data, { binary: isBinary });
        if (--left === 0 && m) ws.close(Number(m[1]), decodeURIComponent(m[3]));
      });
    });
  });
  httpServer.listen(0, '127.0.0.1', () => console.log(`PORT ${httpServer.address().port}`));
}

function client() {
  const url = option('--url');
  const ca = option('--cafile');
  const ws = new WebSocket(url, ['superchat', 'chat'], {
    ca: ca ? fs.readFileSync(ca) : undefined,
    perMessageDeflate: false,
    maxPayload: 256 * 1024 * 1024,
  });
  const check = (ok, what) => {
    console.log((ok ? 'ok   ' : 'FAIL ') + what);
    if (!ok) process.exit(1);
  };
  const inbox = [];
  const waiters = [];
  ws.on('message', (data, isBinary) => {
    const item = { data, isBinary };
    if (waiters.length) waiters.shift()(item);
    else inbox.push(item);
  });
  const next = () => new Promise((resolve) => (inbox.length ? resolve(inbox.shift()) : waiters.push(resolve)));
  const closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  ws.on('unexpected-response', (req, res) => check(false, `handshake refused with ${res.statusCode}`));
  ws.on('error', (error) => check(false, `error: ${error.message}`));

  ws.on('open', async () => {
    const expected = option('--expect-subprotocol');
    if (expected) check(ws.protocol === expected, `subprotocol '${ws.protocol}'`);
    const serverCloses = option('--server-closes');
    if (serverCloses) {
      const [code, count, ...reason] = serverCloses.split(':');
      for (let i = 0; i < Number(count); ++i) {
        ws.send(`message ${i}`);
        const echo = await next();
        check(!echo.isBinary && echo.data.toString() === `message ${i}`, `echo ${i}`);
      }
      const c = await closed;
      check(c.code === Number(code) && c.reason === reason.join(':'), `server closed with ${c.code} '${c.reason}'`);
      process.exit(0);
    }
    for (const text of ['hello', '', '안녕하세요 WebSocket']) {
      ws.send(text);
      const echo = await next();
      check(!echo.isBinary && echo.data.toString() === text, `text echo '${text}'`);
    }
    for (const size of [0, 1, 125, 126, 65535, 65536, 16 * 1024 * 1024]) {
      const data = payload(size);
      ws.send(data, { binary: true });
      const echo = await next();
      check(echo.isBinary && Buffer.compare(echo.data, data) === 0, `binary echo of ${size} bytes`);
    }
    ws.send('frag', { fin: false });
    ws.send('men', { fin: false });
    ws.send('ted', { fin: true });
    const fragmented = await next();
    check(!fragmented.isBinary && fragmented.data.toString() === 'fragmented', 'fragmented text reassembled and echoed');
    const pong = new Promise((resolve) => ws.once('pong', resolve));
    ws.ping('ping payload');
    check((await pong).toString() === 'ping payload', 'pong answered our ping');
    ws.close(1000, 'bye');
    const c = await closed;
    check(c.code === 1000 && c.reason === 'bye', `close echoed: ${c.code} '${c.reason}'`);
    process.exit(0);
  });
}

if (process.argv[2] === 'server') server();
else if (process.argv[2] === 'client') client();
else {
  console.error('usage: node_peer.js server|client ...');
  process.exit(2);
}
