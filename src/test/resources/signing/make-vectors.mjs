// Regenerates vectors.json next to this file: `node make-vectors.mjs`.
// Signatures are computed here with node:crypto, independently of the Java code under test, and then
// recomputed with the openssl CLI (when present); any disagreement aborts without writing anything.
import { createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

// Generated once with: "whsec_" + crypto.randomBytes(32).toString('base64'). Kept fixed so the file is stable.
const A = 'whsec_X0AhpZ7rKQWS4/ffb0zPgqKrn+dyosHCuo6PwzHL86E=';
const B = 'whsec_DTWMCqpcpAfz72fH3/YREoTU3o3Le+6mzGFyQ1J+GUU=';
const C = 'whsec_Y6rlFaSFwjqLyctagWMa2xB27AoI+tOuBZuQDfl2mi4=';

// From the Standard Webhooks specification (github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md).
const PUBLISHED = {
  name: 'standard webhooks specification test vector',
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  msgId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  published: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const cases = [
  { name: 'plain json', secret: A, msgId: 'msg_2b8LtQ5ZRq0f3Yw9', timestamp: 1700000000,
    body: '{"type":"invoice.paid","data":{"amount":4200,"currency":"EUR"}}' },
  { name: 'unicode body', secret: B, msgId: 'msg_unicode_01', timestamp: 1735689600,
    body: '{"name":"Zoë Ångström","city":"東京","note":"🚀 ✓ naïve café"}' },
  { name: 'trailing newline', secret: C, msgId: 'msg_newline_01', timestamp: 1767225600,
    body: '{"ok":true}\n' },
  { name: 'crlf and tab, not json', secret: A, msgId: 'msg_text_01', timestamp: 1600000000,
    body: 'line one\r\nline\ttwo\r\n' },
  { name: 'empty body', secret: B, msgId: 'msg_empty_01', timestamp: 1, body: '' },
  PUBLISHED,
];

const swKey = (secret) => Buffer.from(secret.slice('whsec_'.length), 'base64');
const swContent = (v) => Buffer.from(`${v.msgId}.${v.timestamp}.${v.body}`, 'utf8');
const hex = (v) => createHmac('sha256', Buffer.from(v.secret, 'utf8')).update(Buffer.from(v.body, 'utf8')).digest('hex');
const sw = (v) => 'v1,' + createHmac('sha256', swKey(v.secret)).update(swContent(v)).digest('base64');

function opensslHmac(key, data) {
  const r = spawnSync('openssl', ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${key.toString('hex')}`, '-binary'],
    { input: data });
  if (r.error || r.status !== 0) return null;
  return r.stdout;
}

const vectors = cases.map(({ published, ...v }) => ({ ...v, hex: hex(v), standardWebhooks: sw(v) }));
if (vectors.at(-1).standardWebhooks !== PUBLISHED.published) {
  throw new Error(`node disagrees with the published vector: ${vectors.at(-1).standardWebhooks}`);
}

const rotationMessage = { msgId: 'msg_rotation_01', timestamp: 1760000000, body: '{"type":"ping","n":1}' };
const rotation = {
  ...rotationMessage,
  secretsNewestFirst: [C, A],
  signatures: [C, A].map((secret) => sw({ ...rotationMessage, secret })),
};

let checkedWithOpenssl = 0;
for (const v of [...vectors, ...rotation.secretsNewestFirst.map((secret, i) => ({ ...rotationMessage, secret,
  standardWebhooks: rotation.signatures[i] }))]) {
  const h = opensslHmac(Buffer.from(v.secret, 'utf8'), Buffer.from(v.body, 'utf8'));
  const s = opensslHmac(swKey(v.secret), swContent(v));
  if (h === null || s === null) { checkedWithOpenssl = -1; break; }
  if ((v.hex !== undefined && h.toString('hex') !== v.hex) || 'v1,' + s.toString('base64') !== v.standardWebhooks) {
    throw new Error(`openssl disagrees with node on ${v.name ?? v.msgId}`);
  }
  checkedWithOpenssl++;
}

const out = {
  generatedBy: 'src/test/resources/signing/make-vectors.mjs (node:crypto createHmac sha256; '
    + (checkedWithOpenssl > 0 ? `${checkedWithOpenssl} cases recomputed with openssl dgst -mac HMAC` : 'openssl not available')
    + '). hex = lowercase hex HMAC-SHA256(key = UTF-8 of the whole secret, data = body); standardWebhooks = "v1," + '
    + 'base64 HMAC-SHA256(key = base64-decoded part after whsec_, data = "<msgId>.<timestamp>.<body>"). '
    + 'The last vector is the Standard Webhooks specification\'s published example, checked against its published value.',
  vectors,
  rotation,
};
writeFileSync(new URL('./vectors.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');
console.log(`wrote ${vectors.length} vectors and a rotation case; openssl checks: ${checkedWithOpenssl}`);
