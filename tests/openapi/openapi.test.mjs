// docs/openapi.json, the OpenAPI document partners hand to code generators: it is what
// `metrocap-gateway --print-openapi` prints from the descriptors linked into the gateway (so
// a proto change without a refreshed file fails here), what a running gateway serves at
// GET /v1/openapi.json, and a valid OpenAPI 3.0 document for @apidevtools/swagger-parser
// (the OpenAPI 3.0 schema, every $ref resolved). Each check is shown failing on a broken
// input too, so a check that silently passes everything cannot go unnoticed.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import { CREDENTIAL, freePort, required, waitFor } from '../support/suite.mjs';

const run = promisify(execFile);
const REFRESH = 'cmake --build build --target openapi-doc';
const gatewayBinary = required('METROCAP_GATEWAY_BINARY');
const checkedIn = readFileSync(path.join(required('METROCAP_SOURCE_DIR'), 'docs', 'openapi.json'), 'utf8');
const { stdout: printed } = await run(gatewayBinary, ['--print-openapi'], { maxBuffer: 64 << 20 });

// Null when `file` is `generated`; otherwise what is wrong and the command that fixes it.
function staleness(file, generated) {
  if (file === generated) return null;
  const a = file.split('\n');
  const b = generated.split('\n');
  let line = 0;
  while (line < a.length && a[line] === b[line]) line += 1;
  return `docs/openapi.json is stale (it first differs from the gateway's at line ${line + 1}: ` +
    `${JSON.stringify(a[line] ?? '')} vs ${JSON.stringify(b[line] ?? '')}): run \`${REFRESH}\` and commit it`;
}

// swagger-parser resolves $refs in place, so each call gets its own copy.
function validate(document) {
  return SwaggerParser.validate(structuredClone(document));
}

test('docs/openapi.json is what the gateway prints from its protos', () => {
  const problem = staleness(checkedIn, printed);
  assert.equal(problem, null, problem);
});

test('a stale docs/openapi.json is reported with the command that refreshes it', () => {
  const document = JSON.parse(printed);
  const [firstPath] = Object.keys(document.paths);
  delete document.paths[firstPath];  // as if a route had been added since the file was written
  const stale = `${JSON.stringify(document, null, 1)}\n`;
  assert.match(staleness(stale, printed), /docs\/openapi\.json is stale .*run `cmake --build build --target openapi-doc`/);
});

test('docs/openapi.json is a valid OpenAPI 3.0 document', async () => {
  const document = JSON.parse(checkedIn);
  assert.match(document.openapi, /^3\.0\./);
  const api = await validate(document);
  assert.ok(Object.keys(api.paths).length >= 20, 'every service\'s routes are in it');
});

test('the validator rejects an operation without responses and a $ref to nothing', async () => {
  const document = JSON.parse(checkedIn);
  const noResponses = structuredClone(document);
  const [firstPath] = Object.keys(noResponses.paths);
  const [method] = Object.keys(noResponses.paths[firstPath]).filter((k) => k !== 'parameters');
  delete noResponses.paths[firstPath][method].responses;
  await assert.rejects(validate(noResponses), /must have required property 'responses'/);

  const dangling = structuredClone(document);
  const [firstSchema] = Object.keys(dangling.components.schemas);
  dangling.components.schemas.Dangling = { $ref: '#/components/schemas/NoSuchMessage' };
  delete dangling.components.schemas[firstSchema];
  await assert.rejects(validate(dangling), /NoSuchMessage|Error resolving \$ref/);
});

const children = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

test('a running gateway serves docs/openapi.json at GET /v1/openapi.json', async () => {
  const [http, membership, assessment, roadmaps, hubs] = await Promise.all(Array.from({ length: 5 }, freePort));
  const gateway = spawn(gatewayBinary, [], {
    env: {
      PATH: process.env.PATH,
      METROCAP_INTERNAL_CREDENTIAL: CREDENTIAL,
      METROCAP_LISTEN_ADDRESS: '127.0.0.1:0',
      METROCAP_HTTP_LISTEN_ADDRESS: `127.0.0.1:${http}`,
      METROCAP_CONSOLE_DIR: 'off',
      // Nothing listens there: the document needs no backend.
      METROCAP_MEMBERSHIP_ADDRESS: `127.0.0.1:${membership}`,
      METROCAP_ASSESSMENT_ADDRESS: `127.0.0.1:${assessment}`,
      METROCAP_ROADMAPS_ADDRESS: `127.0.0.1:${roadmaps}`,
      METROCAP_HUBS_ADDRESS: `127.0.0.1:${hubs}`,
    },
    stdio: 'ignore',
  });
  children.push(gateway);
  const origin = `http://127.0.0.1:${http}`;
  await waitFor(async () => (await fetch(`${origin}/healthz`)).ok, 20000, 'the gateway to listen');
  const served = await fetch(`${origin}/v1/openapi.json`);
  assert.equal(served.status, 200);
  assert.deepEqual(await served.json(), JSON.parse(checkedIn));
  gateway.kill('SIGTERM');
});
