// The client examples (examples/python, examples/node) run as a partner would paste them,
// against the real suite with the demo data (tests/support/suite.mjs): each must exit 0,
// print every step (so a step that silently did nothing fails), agree with the demo data,
// and leave exactly one key behind, revoked (so its retry created nothing).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { Suite, killOnExit, required } from '../support/suite.mjs';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3'; // Debian's, with python3-grpcio
const repo = required('METROCAP_SOURCE_DIR');
const suite = new Suite();
killOnExit(suite);
let stubs;

before(async () => {
  await suite.start();
  stubs = await mkdtemp(path.join(os.tmpdir(), 'metrocap-python-stubs-'));
  // As pasted: the script's own default for where the imported protos are, so a new import
  // root (one the build's METROCAP_PROTO_PATHS gains) fails here until the script knows it.
  await run(PYTHON, [path.join(repo, 'examples/python/generate_stubs.py'), stubs], {
    env: { PATH: process.env.PATH },
    timeout: 60000,
  });
});

after(async () => {
  await suite.stop();
  if (stubs) await rm(stubs, { recursive: true, force: true });
});

// Runs one example from the repository's root, as its header says, with the suite's
// addresses and admin key in the variables it reads; returns what it printed.
async function runExample(command, args, extraEnv = {}) {
  const { stdout } = await run(command, args, {
    cwd: repo,
    env: {
      PATH: process.env.PATH,
      METROCAP_GATEWAY_HTTP_ADDRESS: new URL(suite.origin).host,
      METROCAP_GATEWAY_GRPC_ADDRESS: suite.grpcAddress,
      METROCAP_API_KEY: suite.key,
      ...extraEnv,
    },
    timeout: 120000,
  }).catch((error) => {
    throw new Error(`${args.join(' ')} failed: ${error.message}\n${error.stdout ?? ''}`);
  });
  return stdout;
}

// Every step's line, in order; the numbers from the demo data.
async function checkTranscript(stdout, displayName) {
  const lines = stdout.trim().split('\n');
  const europe = suite.data('membership', 'organisations.json')
    .filter((organisation) => organisation.region === 'regions/europe').length;
  const [framework] = suite.data('assessment', 'frameworks.json');
  const key = lines[0].match(/^created (partners\/hes-so\/apiKeys\/example-[0-9a-f]{8})$/)?.[1];
  assert.ok(key, `first line names the key made: ${lines[0]}`);
  assert.match(lines[1], /^sent again with the same request_?[iI]d: the same key, nothing created$/);
  assert.equal(lines[2], `${europe} organisations in regions/europe, in ${Math.ceil(europe / 5)} pages`);
  const scores = lines.slice(3, 3 + framework.capacities.length);
  assert.deepEqual(scores.map((line) => line.match(/^ {2}([a-z-]+): [0-9.]+ \((LOW|MEDIUM|HIGH)\)$/)?.[1]),
    framework.capacities.map((capacity) => capacity.id));
  const errors = [
    /^organisations\/atlantis: NOT_FOUND \(check the name; list the collection\)$/,
    /^a request_?[iI]d reused for a different write: REQUEST_ID_REUSED \(use a new one\)$/,
    new RegExp(`^${key}: REVOKED$`),
    /^a stale etag: ETAG_MISMATCH; read again, the key is REVOKED already$/,
  ];
  const rest = lines.slice(3 + framework.capacities.length);
  assert.equal(rest.length, errors.length, rest.join('\n'));
  rest.forEach((line, i) => assert.match(line, errors[i]));

  // One key with the example's name (the retried create made no second), revoked.
  const { apiKeys } = await suite.rest('/v1/partners/hes-so/apiKeys?pageSize=1000');
  const made = apiKeys.filter((apiKey) => apiKey.displayName === displayName);
  assert.deepEqual(made.map((apiKey) => [apiKey.name, apiKey.state]), [[key, 'REVOKED']]);
}

test('examples/python/partner_rest.py (urllib over REST)', async () => {
  const stdout = await runExample(PYTHON, ['examples/python/partner_rest.py']);
  await checkTranscript(stdout, 'examples/python/partner_rest.py');
});

test('examples/python/partner_grpc.py (grpcio, stubs from protos/)', async () => {
  const stdout = await runExample(PYTHON, ['examples/python/partner_grpc.py'], { PYTHONPATH: stubs });
  await checkTranscript(stdout, 'examples/python/partner_grpc.py');
});

test('examples/node/partner.mjs (fetch over REST)', async () => {
  const stdout = await runExample(process.execPath, ['examples/node/partner.mjs']);
  await checkTranscript(stdout, 'examples/node/partner.mjs');
});
