// signature-vectors.js: ElevenLabs-Signature vectors judged by the official SDK (@elevenlabs/elevenlabs-js webhooks.constructEvent), for tests/elevenlabs-webhooks.
//
// The SDK only verifies (it has no signing helper), so each header is made here with node:crypto
// exactly as elevenlabs.md §8.3 describes, then handed to constructEvent; its verdict is what the
// C++ test must reproduce. Timestamps are around the real clock because constructEvent uses
// Date.now(); every case records the nowMs it was judged at so the C++ side can use the same clock.
// Usage: node signature-vectors.js <secret>   → one JSON document on stdout.
'use strict';

const crypto = require('node:crypto');
const { ElevenLabsClient } = require('@elevenlabs/elevenlabs-js');

const secret = process.argv[2];
if (!secret) {
  console.error('usage: node signature-vectors.js <secret>');
  process.exit(2);
}

function sign(timestamp, body, key) {
  return 'v0=' + crypto.createHmac('sha256', key).update(`${timestamp}.${body}`, 'utf8').digest('hex');
}

const client = new ElevenLabsClient({ apiKey: 'unused-for-webhooks' });

async function judge(name, body, header, note) {
  const nowMs = Date.now();
  let sdkAccepted = false;
  let sdkError = '';
  try {
    await client.webhooks.constructEvent(body, header, secret);
    sdkAccepted = true;
  } catch (e) {
    sdkError = String(e && e.message ? e.message : e);
  }
  return { name, body, header, nowMs, sdkAccepted, sdkError, note: note || '' };
}

async function main() {
  const now = Math.floor(Date.now() / 1000);
  const transcript = JSON.stringify({
    type: 'post_call_transcription',
    event_timestamp: now,
    data: {
      agent_id: 'agent_interop',
      conversation_id: 'conv_interop',
      status: 'done',
      transcript: [
        { role: 'agent', message: 'Hallo — wie kann ich helfen? 👋', time_in_call_secs: 0 },
        { role: 'user', message: 'Ein "Zitat" und \\ Backslash', time_in_call_secs: 3.5 },
      ],
      conversation_initiation_client_data: { dynamic_variables: { call_sid: 'CAinterop' } },
    },
  });
  const audio = JSON.stringify({
    type: 'post_call_audio',
    data: { agent_id: 'a', conversation_id: 'c', full_audio: crypto.randomBytes(3000).toString('base64') },
  }) + '\n';
  const t = String(now);
  const cases = [];
  cases.push(await judge('genuine transcription', transcript, `t=${t},${sign(t, transcript, secret)}`));
  cases.push(await judge('genuine audio with trailing newline', audio, `t=${t},${sign(t, audio, secret)}`));
  cases.push(await judge('elements reversed', transcript, `${sign(t, transcript, secret)},t=${t}`));
  cases.push(await judge('extra elements', transcript, `t=${t},v1=abc,${sign(t, transcript, secret)},x=y`));
  const old = String(now - 29 * 60);
  cases.push(await judge('29 minutes old', transcript, `t=${old},${sign(old, transcript, secret)}`));
  cases.push(await judge('tampered body', transcript.replace('conv_interop', 'conv_intercept'),
    `t=${t},${sign(t, transcript, secret)}`));
  cases.push(await judge('tampered timestamp', transcript, `t=${now - 1},${sign(t, transcript, secret)}`));
  cases.push(await judge('wrong secret', transcript, `t=${t},${sign(t, transcript, secret + 'x')}`));
  cases.push(await judge('body without timestamp prefix', transcript,
    `t=${t},v0=${crypto.createHmac('sha256', secret).update(transcript, 'utf8').digest('hex')}`));
  const expired = String(now - 31 * 60);
  cases.push(await judge('31 minutes old', transcript, `t=${expired},${sign(expired, transcript, secret)}`));
  cases.push(await judge('no v0 element', transcript, `t=${t},v1=${sign(t, transcript, secret).slice(3)}`));
  cases.push(await judge('no t element', transcript, sign(t, transcript, secret)));
  cases.push(await judge('uppercase hex', transcript, `t=${t},v0=${sign(t, transcript, secret).slice(3).toUpperCase()}`));
  const future = String(now + 3600);
  cases.push(await judge('one hour in the future', transcript, `t=${future},${sign(future, transcript, secret)}`,
    'the SDK has no future check; the gateway refuses more than 5 minutes ahead (elevenlabs.md §8.3 hardening)'));
  const sdk = require('@elevenlabs/elevenlabs-js/package.json');
  process.stdout.write(JSON.stringify({ sdk: `${sdk.name}@${sdk.version}`, secret, cases }, null, 1));
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
