// What a partner does first, over REST/JSON with Node's built-in fetch (Node 18 or later;
// no dependencies).
//
// Against the suite `bash scripts/run.sh` starts, from the repository's root:
//
//     node examples/node/partner.mjs
//
// METROCAP_GATEWAY_HTTP_ADDRESS says where the gateway listens (default 127.0.0.1:8080, as in
// run.sh) and METROCAP_API_KEY is an ADMIN key (default: the demo key run.sh writes to
// var/demo-api-key). The contract is in docs/api.md, every error reason in docs/errors.md.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

const GATEWAY = `http://${process.env.METROCAP_GATEWAY_HTTP_ADDRESS || '127.0.0.1:8080'}`;
const ADMIN_KEY = process.env.METROCAP_API_KEY || readFileSync('var/demo-api-key', 'utf8').trim();
const PARTNER = 'partners/hes-so'; // a PARTNER of the demo data, granted Barcelona among others

// An error the API answered: a google.rpc.Status whose ErrorInfo names the reason.
class ApiError extends Error {
  constructor(httpStatus, status) {
    super(`HTTP ${httpStatus}: ${status.message ?? ''}`);
    this.httpStatus = httpStatus;
    this.reason = (status.details ?? [])
      .find((detail) => detail['@type'] === 'type.googleapis.com/google.rpc.ErrorInfo')?.reason;
  }
}

// Sends one request with `key` and returns the JSON answer; throws ApiError.
async function call(method, path, key, body, query = {}) {
  const url = new URL(path, GATEWAY);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const response = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  const answer = await response.json();
  if (!response.ok) throw new ApiError(response.status, answer);
  return answer;
}

// Calls send() again when the answer was lost or the service was briefly unavailable. Safe
// for a write only because send() carries the same requestId every time: the API runs it
// once and answers the repeats with the first result.
async function withRetries(send, attempts = 3) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await send();
    } catch (error) {
      const retryable = error instanceof ApiError ? [503, 504].includes(error.httpStatus) : true;
      if (!retryable || attempt === attempts - 1) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt));
  }
}

// Runs `send`; when it fails with `reason`, returns what `handle` does instead.
async function onReason(reason, send, handle) {
  try {
    return await send();
  } catch (error) {
    if (!(error instanceof ApiError) || error.reason !== reason) throw error;
    return handle(error);
  }
}

// 1. As the administrator, create an API key for the partner. One requestId per write.
const requestId = randomUUID();
const keyId = `example-${randomUUID().slice(0, 8)}`;
const createKey = () => call('POST', `/v1/${PARTNER}/apiKeys`, ADMIN_KEY,
  { displayName: 'examples/node/partner.mjs' }, { apiKeyId: keyId, requestId });
const created = await withRetries(createKey);
const partnerKey = created.secret; // shown in this answer only; the API keeps a hash
console.log(`created ${created.name}`);

// The same request again, as a retry after a lost answer would send it: the same key comes
// back (without its secret) and no second key is made.
const again = await createKey();
assert.equal(again.name, created.name);
assert.equal(again.secret, undefined);
console.log('sent again with the same requestId: the same key, nothing created');

// 2. As the partner: the organisations of a region, five a page, until nextPageToken is empty.
const names = [];
let pages = 0;
let pageToken = '';
do {
  const page = await call('GET', '/v1/organisations', partnerKey, undefined,
    { filter: 'region = "regions/europe"', pageSize: 5, pageToken });
  names.push(...(page.organisations ?? []).map((organisation) => organisation.name));
  pages += 1;
  pageToken = page.nextPageToken ?? '';
} while (pageToken);
console.log(`${names.length} organisations in regions/europe, in ${pages} pages`);

// 3. An assessment's profile: a score per capacity, with how sure it is.
const assessment = await call('GET',
  '/v1/organisations/barcelona-metropolitan-area/assessments/micad-2025', partnerKey);
for (const score of assessment.profile.capacityScores) {
  console.log(`  ${score.capacity}: ${score.score} (${score.confidence})`);
}

// 4. Errors are handled by their reason (ErrorInfo.reason), not by their message.
await onReason('NOT_FOUND', () => call('GET', '/v1/organisations/atlantis', partnerKey),
  () => console.log('organisations/atlantis: NOT_FOUND (check the name; list the collection)'));
await onReason('REQUEST_ID_REUSED',
  () => call('POST', `/v1/${PARTNER}/apiKeys`, ADMIN_KEY, { displayName: 'another key' },
    { apiKeyId: `${keyId}-other`, requestId }),
  () => console.log('a requestId reused for a different write: REQUEST_ID_REUSED (use a new one)'));

// 5. Done: revoke the key, with the etag read, so a change made since is not overwritten.
const revoked = await call('POST', `/v1/${created.name}:revoke`, ADMIN_KEY,
  { etag: created.etag, requestId: randomUUID() });
console.log(`${revoked.name}: ${revoked.state}`);
// A client still holding the old etag is told ETAG_MISMATCH: read again, then decide.
await onReason('ETAG_MISMATCH',
  () => call('POST', `/v1/${created.name}:revoke`, ADMIN_KEY, { etag: created.etag }),
  async () => {
    const current = await call('GET', `/v1/${created.name}`, ADMIN_KEY);
    console.log(`a stale etag: ETAG_MISMATCH; read again, the key is ${current.state} already`);
  });
