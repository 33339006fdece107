#!/usr/bin/env node
// signature-vectors.js: X-Twilio-Signature vectors made by the official `twilio` npm package, for tests/twilio-webhooks/TwilioSdkInteropTest.cpp.
//
// Usage: node signature-vectors.js <seed> <publicUrl> <accountSid>=<token>[,<secondaryToken>] ...
// Prints one JSON document on stdout:
//   { twilioVersion, validator: [...], plugin: [...], json: [...] }
// Every signature comes from twilio.getExpectedTwilioSignature / getExpectedBodyHash, and every
// vector also carries what twilio.validateRequest / validateRequestWithBody say about it, so the
// C++ side can assert it agrees with the SDK both ways (accept and refuse).
'use strict';

const twilio = require('twilio');
const twilioVersion = require('twilio/package.json').version;

const [seedArg, publicUrl, ...accountArgs] = process.argv.slice(2);
if (!seedArg || !publicUrl || accountArgs.length < 2) {
  process.stderr.write('usage: signature-vectors.js <seed> <publicUrl> <sid>=<token>[,<secondary>] <sid>=<token> ...\n');
  process.exit(2);
}
const accounts = accountArgs.map((arg) => {
  const [sid, tokens] = arg.split('=');
  const [token, secondary] = tokens.split(',');
  return { sid, token, secondary: secondary || '' };
});

// mulberry32: a small deterministic PRNG, so a failing vector can be reproduced from its seed.
let state = Number(seedArg) >>> 0;
function random() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (items) => items[Math.floor(random() * items.length)];
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

// Values: ASCII, form-special characters, BMP text and astral emoji, empty strings. Arrays are only
// built from text below U+D800, where JavaScript's UTF-16 sort equals the byte order Twilio uses.
const pieces = ['a', 'Z', '0', ' ', '+', '&', '=', '%', '?', '/', "'", '"', '<', '>', '#', ';', ',', '~', '*',
  'é', 'ß', 'ñ', 'Ж', '中', '文', 'ü', '☎', '🎉', '😀', '\u00a0', 'CA', 'sip:', '@'];
const safePieces = ['a', 'b', 'Z', '1', '9', ' ', '+', '-', 'é', 'ñ', 'Ж', '中'];
function text(from, maxLength) {
  let s = '';
  const n = int(0, maxLength);
  for (let i = 0; i < n; ++i) s += pick(from);
  return s;
}
const names = ['CallSid', 'CallStatus', 'Called', 'Caller', 'CallerName', 'From', 'To', 'Digits', 'SpeechResult',
  'Custom.Field', 'lowercase', 'X-Header', 'Sid', 'SidAccount', 'a', 'A', 'Z_9'];

function randomParams(accountSid, to) {
  const params = { AccountSid: accountSid, CallSid: 'CA' + text(['0', '1', 'a', 'f'], 32).padEnd(32, '0'), To: to };
  const extra = int(0, 8);
  for (let i = 0; i < extra; ++i) {
    const name = pick(names);
    if (name in params) continue;
    if (random() < 0.15) {
      const values = [];
      for (let j = int(2, 4); j > 0; --j) values.push(text(safePieces, 6));
      params[name] = values;
    } else {
      params[name] = random() < 0.2 ? '' : text(pieces, 24);
    }
  }
  return params;
}

/// The same parameters as [name, value] pairs, arrays expanded, in a shuffled wire order.
function pairs(params) {
  const out = [];
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) out.push([name, v]);
  }
  for (let i = out.length - 1; i > 0; --i) {
    const j = int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const hosts = ['https://mycompany.com', 'https://mycompany.com:443', 'https://api.example.org:8443', 'http://example.net',
  'http://example.net:80', 'http://example.net:8080', 'https://[2001:db8::1]', 'https://sub.domain.example.co.uk'];
const paths = ['/', '/twilio/voice', '/myapp.php', '/a/b/c', '/status-callback', '/t%C3%A9l'];
const queries = ['', '?foo=1&bar=2', '?x=%2B1', '?name=Zo%C3%AB&empty=', '?a=1&a=2'];

const validator = [];
for (let i = 0; i < 120; ++i) {
  const account = pick(accounts);
  const url = pick(hosts) + pick(paths) + pick(queries);
  const params = randomParams(account.sid, '+1500555' + String(int(1000, 9999)));
  const signature = twilio.getExpectedTwilioSignature(account.token, url, params);
  const tampered = { ...params, To: params.To + '0' };
  validator.push({
    token: account.token, url, pairs: pairs(params), signature,
    accepted: twilio.validateRequest(account.token, signature, url, params),
    tamperedPairs: pairs(tampered),
    tamperedAccepted: twilio.validateRequest(account.token, signature, url, tampered),
    wrongToken: account.token + 'x',
    wrongTokenAccepted: twilio.validateRequest(account.token + 'x', signature, url, params),
  });
}

// Requests for the gateway itself: signed for publicUrl (with and without :443), by the owning
// account's primary or secondary token; plus cross-tenant forgeries (A's token, B's AccountSid).
const plugin = [];
const numbers = { [accounts[0].sid]: '+15005550006', [accounts[1].sid]: '+15005550007' };
if (accounts[2]) numbers[accounts[2].sid] = '+15005550008';
for (let i = 0; i < 40; ++i) {
  const account = pick(accounts);
  const other = pick(accounts.filter((a) => a.sid !== account.sid));
  const crossTenant = random() < 0.25;
  const get = !crossTenant && random() < 0.25;
  const params = randomParams(account.sid, numbers[account.sid]);
  params.CallSid = 'CA' + String(i).padStart(32, '0');
  params.CallerName = text(pieces, 20);
  params.ToCity = '';
  const base = (random() < 0.3 ? publicUrl.replace(/^https:\/\/([^/]+)/, 'https://$1:443') : publicUrl) + '/twilio/voice';
  const token = crossTenant ? other.token : (account.secondary && random() < 0.5 ? account.secondary : account.token);
  // What the SDK says when validating with the tokens of the account the request names — the
  // gateway must agree exactly (200 when it accepts, 403 when it does not).
  const sdkAccepts = (signature, url, signed) => [account.token, account.secondary].some(
    (t) => t !== '' && twilio.validateRequest(t, signature, url, signed));
  if (get) {
    const query = new URLSearchParams(pairs(params)).toString();
    const url = base + '?' + query;
    const signature = twilio.getExpectedTwilioSignature(token, url, {});
    plugin.push({ method: 'GET', query, pairs: [], signature, crossTenant, sdkAccepts: sdkAccepts(signature, url, {}) });
  } else {
    const signature = twilio.getExpectedTwilioSignature(token, base, params);
    plugin.push({ method: 'POST', pairs: pairs(params), signature, crossTenant,
      sdkAccepts: sdkAccepts(signature, base, params) });
  }
}

// application/json requests (bodySHA256 in the URL, URL signed alone) to the status callback path.
const json = [];
for (let i = 0; i < 12; ++i) {
  const account = pick(accounts);
  const body = JSON.stringify({ AccountSid: account.sid, CallSid: 'CA' + String(900 + i).padStart(32, '0'),
    CallStatus: 'completed', Note: text(pieces, 30), Nested: { n: i } });
  const hash = twilio.getExpectedBodyHash(body);
  const query = (random() < 0.5 ? 'foo=1&' : '') + 'bodySHA256=' + hash;
  const url = publicUrl + '/twilio/status?' + query;
  const signature = twilio.getExpectedTwilioSignature(account.token, url, null);
  json.push({ token: account.token, query, body, signature,
    accepted: twilio.validateRequestWithBody(account.token, signature, url, body),
    alteredBody: body.replace('completed', 'complete '),
    alteredAccepted: twilio.validateRequestWithBody(account.token, signature, url, body.replace('completed', 'complete ')) });
}

process.stdout.write(JSON.stringify({ twilioVersion, validator, plugin, json }) + '\n');
