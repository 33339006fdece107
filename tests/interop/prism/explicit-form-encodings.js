#!/usr/bin/env node
// explicit-form-encodings.js: copies an OpenAPI 3.0 document, spelling out the default Encoding Object
// (style: form, explode: true) for every array property of an application/x-www-form-urlencoded
// request body that has none.
//
// Why: OAS 3.0 says such a property defaults to style=form, explode=true, i.e. repeated keys
// ("StatusCallbackEvent=initiated&StatusCallbackEvent=ringing", which is what Twilio expects).
// Prism 5.x only deserialises a form array when an encoding entry exists; without one it validates
// the raw string and answers 422 "must be array" to a correct request (stoplightio/prism#2473).
// Nothing else in the document changes. Usage: node explicit-form-encodings.js <in.json> <out.json>
'use strict';
const fs = require('fs');

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error('usage: explicit-form-encodings.js <in.json> <out.json>');
  process.exit(2);
}

const spec = JSON.parse(fs.readFileSync(input, 'utf8'));
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
let added = 0;

function resolve(schema) {
  // Local $refs only (#/components/...), which is all this kind of document uses.
  while (schema && typeof schema.$ref === 'string' && schema.$ref.startsWith('#/')) {
    schema = schema.$ref.slice(2).split('/').reduce((node, key) => (node ? node[key] : undefined), spec);
  }
  return schema;
}

for (const item of Object.values(spec.paths || {})) {
  for (const method of methods) {
    const media = item[method] && item[method].requestBody && item[method].requestBody.content &&
      item[method].requestBody.content['application/x-www-form-urlencoded'];
    if (!media) continue;
    const schema = resolve(media.schema);
    if (!schema || !schema.properties) continue;
    for (const [name, property] of Object.entries(schema.properties)) {
      const resolved = resolve(property);
      if (!resolved || resolved.type !== 'array') continue;
      media.encoding = media.encoding || {};
      if (media.encoding[name]) continue;
      media.encoding[name] = { style: 'form', explode: true };
      ++added;
    }
  }
}

fs.writeFileSync(output, JSON.stringify(spec));
console.log(`explicit-form-encodings: ${added} array properties given the default form encoding`);
