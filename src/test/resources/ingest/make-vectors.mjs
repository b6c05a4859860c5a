// Regenerates vectors.json next to this file: `node make-vectors.mjs`.
// Inbound signatures (issue 13) computed with node:crypto, independently of the Java code under test, then recomputed
// with the openssl CLI (when present); any disagreement aborts without writing anything.
//  - github: X-Hub-Signature-256 = "sha256=" + hex HMAC-SHA256(secret as UTF-8, raw body), as GitHub documents it
//    (docs.github.com, "Validating webhook deliveries"), including GitHub's own published example.
//  - hmac-sha256: hex HMAC-SHA256(secret as UTF-8, raw body), the plain scheme.
import { createHmac } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

// GitHub's documented example: secret "It's a Secret to Everybody", payload "Hello, World!".
const GITHUB_PUBLISHED = {
  name: 'github documentation example',
  secret: "It's a Secret to Everybody",
  body: 'Hello, World!',
  published: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
};

const github = [
  { name: 'push event', secret: 'gh-secret-7Yq2Lp9x', delivery: '72d3162e-cc78-11e3-81ab-4c9367dc0958', event: 'push',
    body: '{"ref":"refs/heads/main","before":"6113728f27ae82c7b1a177c8d03f9e96e0adf246","repository":{"id":1296269,"full_name":"octocat/Hello-World"},"sender":{"login":"octocat"}}' },
  { name: 'unicode issue title', secret: 'gh-secret-7Yq2Lp9x', delivery: '0b989ba4-242f-11e5-81e1-c7b6966d2516', event: 'issues',
    body: '{"action":"opened","issue":{"number":1347,"title":"Zoë\'s café — 東京 🚀"}}' },
  GITHUB_PUBLISHED,
];

const hmacCases = [
  { name: 'monitoring check', secret: 'monitor-key-3Jd8', header: 'X-Signature',
    body: '{"type":"check.down","check":"api","at":"2026-11-30T10:15:30Z"}' },
  { name: 'no type field', secret: 'monitor-key-3Jd8', header: 'X-Signature', body: '{"status":"up","n":42}' },
];

const hex = (secret, body) => createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.from(body, 'utf8')).digest('hex');

function openssl(secret, body) {
  const r = spawnSync('openssl', ['dgst', '-sha256', '-mac', 'HMAC', '-macopt', `hexkey:${Buffer.from(secret, 'utf8').toString('hex')}`, '-hex'],
    { input: Buffer.from(body, 'utf8') });
  if (r.error || r.status !== 0) return null;
  return r.stdout.toString().trim().split(' ').at(-1);
}

let checkedWithOpenssl = 0;
function checked(secret, body) {
  const n = hex(secret, body);
  const o = openssl(secret, body);
  if (o !== null) {
    if (o !== n) throw new Error(`openssl and node disagree for ${body}`);
    checkedWithOpenssl++;
  }
  return n;
}

const out = {
  github: github.map(({ published, ...v }) => ({ ...v, signature256: 'sha256=' + checked(v.secret, v.body) })),
  hmacSha256: hmacCases.map((v) => ({ ...v, signature: checked(v.secret, v.body) })),
};
if (out.github.at(-1).signature256 !== GITHUB_PUBLISHED.published) {
  throw new Error(`node disagrees with GitHub's published example: ${out.github.at(-1).signature256}`);
}
writeFileSync(new URL('./vectors.json', import.meta.url), JSON.stringify(out, null, 2) + '\n');
console.log(`wrote vectors.json (${checkedWithOpenssl} signatures also checked with openssl)`);
