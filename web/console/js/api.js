// The REST API as the pages use it: every call carries the API key the user pasted (kept
// in this tab's sessionStorage only: never in a URL, a cookie or a log), and every failure
// becomes an ApiError that says what went wrong in words.

const KEY_ITEM = 'metrocap.apiKey';

export function apiKey() {
  return sessionStorage.getItem(KEY_ITEM) || '';
}

export function setApiKey(key) {
  sessionStorage.setItem(KEY_ITEM, key.trim());
}

export function forgetApiKey() {
  sessionStorage.removeItem(KEY_ITEM);
}

// A failed call: `status` is the HTTP status (0 when the gateway could not be reached),
// `reason` the google.rpc.ErrorInfo reason, `fields` the BadRequest field violations
// [{field, description}], `message` the server's message.
export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || body || {};
    super(error.message || `the gateway answered ${status}`);
    this.status = status;
    this.code = error.code;
    this.reason = '';
    this.fields = [];
    for (const detail of error.details || []) {
      const type = detail['@type'] || '';
      if (type.endsWith('google.rpc.ErrorInfo')) this.reason = detail.reason || '';
      if (type.endsWith('google.rpc.BadRequest')) this.fields.push(...(detail.fieldViolations || []));
    }
  }
}

// What a person wants to read for an error reason (docs/errors.md lists them all); the
// server's message follows it. A reason not listed here falls back on the HTTP status.
const REASONS = {
  QUORUM_NOT_MET: 'The board quorum is not met',
  INVALID_STATE_TRANSITION: 'This action is not possible in the application\'s current state',
  ALREADY_MEMBER: 'It is already an active member',
  APPLICATION_OPEN: 'It already has an application waiting',
  ETAG_MISMATCH: 'Someone changed it meanwhile: reload the page and try again',
  REQUEST_ID_REUSED: 'This request was already sent with other values: reload the page',
  ADMIN_REQUIRED: 'Only an ADMIN key may do this',
  NOT_GRANTED: 'Your API key is not granted this organisation',
  NOT_ALLOWED: 'Your API key\'s role may not read this',
  MEMBERSHIP_UNAVAILABLE: 'The membership service did not answer in time: nothing was written',
  ASSESSMENT_UNAVAILABLE: 'The assessment service did not answer in time: nothing was written',
  ROADMAPS_UNAVAILABLE: 'The roadmaps service did not answer in time: nothing was written',
  PROPOSAL_DECIDED: 'This proposal was already decided: a decision never changes',
  PLAN_NOT_FOUND: 'There is no such plan',
  PLAN_CODE_NOT_FOUND: 'The plan has no such code',
  TAXONOMY_CODE_NOT_FOUND: 'The taxonomy has no such code',
  ROADMAP_NOT_FOUND: 'There is no such roadmap',
  INVALID_ARGUMENT: 'A value is not valid',
  FAILED_PRECONDITION: 'This is not possible in the current state',
  OUT_OF_RANGE: 'A value is out of range',
  NOT_FOUND: 'Not found',
  ALREADY_EXISTS: 'It already exists',
  ABORTED: 'Someone changed it meanwhile: reload the page and try again',
  PERMISSION_DENIED: 'Your API key may not do this',
  UNAUTHENTICATED: 'The API key was not accepted',
  RESOURCE_EXHAUSTED: 'Too many requests: wait a moment and try again',
  DEADLINE_EXCEEDED: 'The service took too long to answer',
  UNAVAILABLE: 'The service is not available right now',
};

// A one-line headline for an error, in words.
export function headline(error) {
  if (!(error instanceof ApiError)) return String(error && error.message ? error.message : error);
  if (error.status === 0) return 'The gateway could not be reached';
  if (REASONS[error.reason]) return REASONS[error.reason];
  if (error.status === 401) return REASONS.UNAUTHENTICATED;
  if (error.status === 403) return REASONS.PERMISSION_DENIED;
  if (error.status === 404) return REASONS.NOT_FOUND;
  if (error.status === 409) return REASONS.ABORTED;
  if (error.status === 429) return REASONS.RESOURCE_EXHAUSTED;
  if (error.status >= 500) return REASONS.UNAVAILABLE;
  return REASONS.INVALID_ARGUMENT;
}

// Calls `path` (e.g. "/v1/organisations") with query `params` (arrays repeat the name;
// empty values are left out) and, for writes, a JSON `body`. Resolves to the parsed JSON,
// or to the text when `accept` asks for another type (the progress report's text/csv).
export async function call(method, path, { params = {}, body, accept = 'application/json' } = {}) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && v !== null && v !== '') query.append(name, String(v));
    }
  }
  const url = query.toString() ? `${path}?${query}` : path;
  const headers = { Authorization: `Bearer ${apiKey()}`, Accept: accept };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    throw new ApiError(0, { message: 'the gateway could not be reached' });
  }
  const text = await response.text();
  if (response.ok && accept !== 'application/json') return text;
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch (e) {
    json = { message: text.slice(0, 200) };
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

export const get = (path, params) => call('GET', path, { params });
export const post = (path, body) => call('POST', path, { body });

// A UUID for a write's requestId, so a double click acts once (crypto.randomUUID needs a
// secure context; the gateway may be served over plain HTTP on a LAN name).
export function requestId() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

// Every item of a List, following nextPageToken (bounded, so a huge list cannot hang a page).
export async function listAll(path, field, params = {}, maxPages = 20) {
  const items = [];
  let pageToken = '';
  for (let page = 0; page < maxPages; ++page) {
    const response = await get(path, { ...params, pageSize: 1000, pageToken });
    items.push(...(response[field] || []));
    pageToken = response.nextPageToken || '';
    if (!pageToken) break;
  }
  return items;
}

// A string as a filter value: double quoted, with \ and " escaped (API.md's grammar).
export function quote(value) {
  return `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

// The terms joined with AND, leaving out empty ones.
export function allOf(...terms) {
  return terms.filter(Boolean).join(' AND ');
}
