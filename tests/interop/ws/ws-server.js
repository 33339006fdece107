// ws-server.js: a `ws` WebSocket server that patchbay_media's client is tested against (WebSocketInteropTest).
// Usage: node ws-server.js [--tls cert.pem key.pem]
// Prints "LISTENING <port>" once ready and one line per noteworthy event; exits when stdin closes.
'use strict';
const http = require('http');
const https = require('https');
const fs = require('fs');
const { WebSocketServer } = require('ws');

const args = process.argv.slice(2);
let server;
if (args[0] === '--tls') {
  server = https.createServer({ cert: fs.readFileSync(args[1]), key: fs.readFileSync(args[2]) });
} else {
  server = http.createServer();
}
const wss = new WebSocketServer({ server, maxPayload: 16 * 1024 * 1024 });
const log = (line) => process.stdout.write(line + '\n');

wss.on('connection', (ws, req) => {
  log('CONNECTED ' + req.url + ' x-test=' + (req.headers['x-test'] || ''));
  ws.on('ping', (data) => log('PING ' + data.toString()));
  ws.on('pong', (data) => ws.send('pong-received:' + data.toString()));
  ws.on('message', (data, isBinary) => {
    if (!isBinary) {
      const text = data.toString();
      if (text === 'fragments') {
        ws.send('frag-', { fin: false });
        ws.send('men-', { fin: false });
        ws.send('ted', { fin: true });
        return;
      }
      if (text === 'fragments-binary') {
        ws.send(Buffer.from([1, 2, 3]), { binary: true, fin: false });
        ws.ping('between');
        ws.send(Buffer.from([4, 5]), { binary: true, fin: true });
        return;
      }
      if (text.startsWith('ping:')) {
        ws.ping(text.slice(5));
        return;
      }
      if (text.startsWith('close:')) {
        const [, code, reason] = text.split(':');
        ws.close(Number(code), reason);
        return;
      }
    }
    ws.send(data, { binary: isBinary });
  });
  ws.on('close', (code, reason) => log('CLOSED ' + code + ' ' + reason.toString()));
  ws.on('error', (err) => log('ERROR ' + err.message));
});

server.listen(0, '127.0.0.1', () => log('LISTENING ' + server.address().port));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
