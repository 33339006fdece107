// ws-client.js: drives a patchbay_media echo server with the `ws` client and a raw net/tls socket (WebSocketInteropTest).
// Usage: node ws-client.js <ws://|wss:// url of an echo endpoint>
// Prints "OK <step>" per passed step, "FAIL <step>: <why>" on the first failure; exit code 0 only if all passed.
'use strict';
const net = require('net');
const tls = require('tls');
const crypto = require('crypto');
const WebSocket = require('ws');

const url = process.argv[2];
const secure = url.startsWith('wss:');
const log = (line) => process.stdout.write(line + '\n');

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { rejectUnauthorized: false, maxPayload: 16 * 1024 * 1024 });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function next(ws, event, timeoutMs = 5000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout waiting for ' + event)), timeoutMs);
    ws.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

function expect(cond, what) {
  if (!cond) throw new Error(what);
}

async function step(name, fn) {
  try {
    await fn();
    log('OK ' + name);
  } catch (err) {
    log('FAIL ' + name + ': ' + (err && err.message));
    process.exit(1);
  }
}

function rawHandshake() {
  const u = new URL(url);
  return 'GET ' + u.pathname + ' HTTP/1.1\r\nHost: ' + u.host + '\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
}

function maskedFrame(opcode, payload) {
  const mask = crypto.randomBytes(4);
  const body = Buffer.from(payload);
  const head = Buffer.from([0x80 | opcode, 0x80 | body.length]);
  const masked = Buffer.alloc(body.length);
  for (let i = 0; i < body.length; ++i) masked[i] = body[i] ^ mask[i % 4];
  return Buffer.concat([head, mask, masked]);
}

async function main() {
  const ws = await open();

  await step('text-echo', async () => {
    ws.send('hello from ws');
    const [data, isBinary] = await next(ws, 'message');
    expect(!isBinary && data.toString() === 'hello from ws', 'bad echo: ' + data);
  });

  await step('fragmented-text', async () => {
    ws.send('Hel', { fin: false });
    ws.send('lo ', { fin: false });
    ws.send('\u20ac', { fin: true });
    const [data, isBinary] = await next(ws, 'message');
    expect(!isBinary && data.toString() === 'Hello \u20ac', 'bad reassembly: ' + data);
  });

  await step('fragmented-binary-with-ping', async () => {
    // Both listeners first: pong and echo may arrive in one TCP read and be emitted in the same tick.
    const pongDone = next(ws, 'pong');
    const messageDone = next(ws, 'message');
    ws.send(Buffer.from([1, 2]), { binary: true, fin: false });
    ws.ping('mid');
    ws.send(Buffer.from([3]), { binary: true, fin: true });
    const [pong] = await pongDone;
    expect(pong.toString() === 'mid', 'bad pong ' + pong);
    const [data, isBinary] = await messageDone;
    expect(isBinary && Buffer.compare(data, Buffer.from([1, 2, 3])) === 0, 'bad binary echo');
  });

  await step('one-mebibyte', async () => {
    const big = crypto.randomBytes(1024 * 1024);
    ws.send(big);
    const [data, isBinary] = await next(ws, 'message', 15000);
    expect(isBinary && Buffer.compare(data, big) === 0, '1 MiB echo differs (' + data.length + ' bytes)');
  });

  await step('ping-pong', async () => {
    ws.ping('hello');
    const [data] = await next(ws, 'pong');
    expect(data.toString() === 'hello', 'bad pong payload');
  });

  await step('server-close-4000', async () => {
    ws.send('close:4000:server-bye');
    const [code, reason] = await next(ws, 'close');
    expect(code === 4000 && reason.toString() === 'server-bye', 'got ' + code + ' ' + reason);
  });

  await step('client-close-4001', async () => {
    const ws2 = await open();
    ws2.close(4001, 'client-bye');
    const [code, reason] = await next(ws2, 'close');
    expect(code === 4001 && reason.toString() === 'client-bye', 'echoed ' + code + ' ' + reason);
  });

  await step('invalid-utf8-closes-1007', async () => {
    const ws3 = await open();
    ws3.send(Buffer.from([0x61, 0xed, 0xa0, 0x80]), { binary: false });
    const [code] = await next(ws3, 'close');
    expect(code === 1007, 'got ' + code);
  });

  await step('stalled-peer-does-not-block', async () => {
    const u = new URL(url);
    const port = Number(u.port);
    const raw = secure ? tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }) : net.connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => {
      raw.once(secure ? 'secureConnect' : 'connect', resolve);
      raw.once('error', reject);
    });
    let received = Buffer.alloc(0);
    raw.on('data', (d) => { received = Buffer.concat([received, d]); });
    raw.write(rawHandshake());
    const frame = maskedFrame(0x1, 'abcdefghij');
    await new Promise((r) => setTimeout(r, 100));
    raw.write(frame.subarray(0, 5)); // half a frame, then silence

    const other = await open();
    for (let i = 0; i < 20; ++i) {
      const started = Date.now();
      other.send('rt' + i);
      const [data] = await next(other, 'message', 1000);
      expect(data.toString() === 'rt' + i, 'wrong echo');
      expect(Date.now() - started < 1000, 'round trip took ' + (Date.now() - started) + ' ms');
    }
    raw.write(frame.subarray(5));
    const deadline = Date.now() + 3000;
    while (!received.includes(Buffer.from('abcdefghij')) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(received.includes(Buffer.from('abcdefghij')), 'stalled frame never echoed');
    raw.destroy();
    other.close(1000);
    await next(other, 'close');
  });

  log('DONE');
  process.exit(0);
}

main().catch((err) => {
  log('FAIL setup: ' + (err && err.message));
  process.exit(1);
});
