// The contract's own checks (docs/versioning.md): buf lints every proto under protos/ with
// protos/buf.yaml, top-level enums prefix their values (the one part of ENUM_VALUE_PREFIX
// that buf.yaml cannot keep), and `buf breaking` finds nothing against the checked-in
// baseline image (protos/baseline.binpb) except the changes protos/breaking-accepted.json
// lists, each recorded in CHANGELOG.md. buf reads an image that protoc builds with the
// build's own include paths, so no buf registry is involved. Each check is shown failing on
// a broken input too (a renamed field, an uncommented field, an unprefixed top-level enum).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { required } from '../support/suite.mjs';

const run = promisify(execFile);
const TIMEOUT_MS = 120_000;
const source = required('METROCAP_SOURCE_DIR');
const protoc = required('METROCAP_PROTOC');
const protosDir = path.join(source, 'protos');
// The build's include paths other than protos/ itself, which each image replaces with its own.
const importPaths = required('METROCAP_PROTO_PATHS').split(':')
  .filter((p) => path.resolve(p) !== path.resolve(protosDir));
const buf = path.resolve('..', 'node_modules', '.bin', 'buf');
const config = path.join(protosDir, 'buf.yaml');
const baseline = path.join(protosDir, 'baseline.binpb');
const acceptedFile = path.join(protosDir, 'breaking-accepted.json');
const REFRESH = 'cmake --build build --target proto-baseline';

const scratch = mkdtempSync(path.join(tmpdir(), 'metrocap-protos-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function protoFiles(root) {
  return readdirSync(path.join(root, 'metrocap'), { recursive: true })
    .filter((f) => f.endsWith('.proto'))
    .map((f) => path.join('metrocap', f))
    .sort();
}

// Builds the image buf reads from the protos under `root` (with comments: the lint needs them).
async function image(root, name) {
  const out = path.join(scratch, `${name}.binpb`);
  const includes = [root, ...importPaths].map((p) => `-I${p}`);
  await run(protoc, [...includes, '--include_imports', '--include_source_info', `-o${out}`,
    ...protoFiles(root)], { cwd: root, timeout: TIMEOUT_MS });
  return out;
}

// buf's findings as objects ({path, start_line, type, message}); buf exits 100 when it has some.
async function findings(args) {
  try {
    await run(buf, [...args, '--error-format', 'json'], { timeout: TIMEOUT_MS, maxBuffer: 16 << 20 });
    return [];
  } catch (error) {
    if (error.code !== 100) throw error;
    return error.stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
  }
}

function lint(img) {
  return findings(['lint', img, '--config', config, '--path', 'metrocap']);
}

function describe(list) {
  return list.map((f) => `${f.path}:${f.start_line ?? ''} ${f.type}: ${f.message}`).join('\n');
}

// Top-level enums of the metrocap files whose values lack the enum's UPPER_SNAKE prefix.
async function unprefixedTopLevelEnums(img) {
  const { stdout } = await run(buf, ['build', img, '--exclude-imports', '-o', '-#format=json'],
    { timeout: TIMEOUT_MS, maxBuffer: 64 << 20 });
  const problems = [];
  for (const file of JSON.parse(stdout).file) {
    if (!file.name.startsWith('metrocap/')) continue;
    for (const e of file.enumType ?? []) {
      const prefix = `${e.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_`;
      for (const v of e.value) {
        if (!v.name.startsWith(prefix)) problems.push(`${file.name}: ${e.name}.${v.name}`);
      }
    }
  }
  return problems;
}

const accepted = JSON.parse(readFileSync(acceptedFile, 'utf8')).accepted;
const changelog = readFileSync(path.join(source, 'CHANGELOG.md'), 'utf8');

// The breaking findings of `img` against the baseline that breaking-accepted.json does not list.
async function unacceptedBreaking(img) {
  const all = await findings(['breaking', img, '--against', baseline, '--config', config,
    '--path', 'metrocap']);
  return all.filter((f) => !accepted.some((a) =>
    a.type === f.type && a.path === f.path && a.message === f.message));
}

const current = await image(protosDir, 'current');

test('buf lint finds nothing in protos/ under protos/buf.yaml', async () => {
  const found = await lint(current);
  assert.equal(found.length, 0, `buf lint:\n${describe(found)}`);
});

test('top-level enums prefix their values', async () => {
  assert.deepEqual(await unprefixedTopLevelEnums(current), []);
});

test('buf breaking finds nothing against protos/baseline.binpb but the accepted changes', async () => {
  const found = await unacceptedBreaking(current);
  assert.equal(found.length, 0,
    `breaking changes against protos/baseline.binpb:\n${describe(found)}\n` +
    'Keep the contract (docs/versioning.md), or record the change in CHANGELOG.md and list ' +
    'the finding in protos/breaking-accepted.json (at a release, \`${REFRESH}\` moves the ' +
    'baseline and the list is emptied)');
});

test('every accepted breaking change is recorded in CHANGELOG.md', () => {
  for (const a of accepted) {
    assert.ok(a.changelog && changelog.includes(a.changelog),
      `protos/breaking-accepted.json: ${a.type} in ${a.path} names no CHANGELOG.md entry ` +
      `(its "changelog" text must appear there verbatim)`);
  }
});

// The tests of the tests: each check fails on a copy of protos/ broken on purpose.
function brokenCopy(name, edit) {
  const root = path.join(scratch, name);
  cpSync(protosDir, root, { recursive: true });
  const file = path.join(root, 'metrocap', 'membership', 'v1', 'membership.proto');
  const text = readFileSync(file, 'utf8');
  const edited = edit(text);
  assert.notEqual(edited, text, `${name}: the edit changed nothing`);
  writeFileSync(file, edited);
  return root;
}

test('a renamed field is a breaking change that fails the check', async () => {
  const root = brokenCopy('renamed-field',
    (t) => t.replace(/string display_name = 2/, 'string title = 2'));
  const found = await unacceptedBreaking(await image(root, 'renamed-field'));
  assert.ok(found.some((f) => f.type === 'FIELD_SAME_NAME' && /display_name/.test(f.message)),
    `expected FIELD_SAME_NAME, got:\n${describe(found)}`);
});

test('an uncommented field fails the lint', async () => {
  const root = brokenCopy('uncommented-field',
    (t) => t.replace(/\nmessage Region \{\n/, '\nmessage Region {\n  string uncommented = 99;\n'));
  const found = await lint(await image(root, 'uncommented-field'));
  assert.ok(found.some((f) => f.type === 'COMMENT_FIELD' && /uncommented/.test(f.message)),
    `expected COMMENT_FIELD, got:\n${describe(found)}`);
});

test('a top-level enum with unprefixed values fails the check', async () => {
  const root = brokenCopy('unprefixed-enum', (t) => `${t}\n// A test.\nenum Colour {\n` +
    '  // Unset.\n  COLOUR_UNSPECIFIED = 0;\n  // Red.\n  RED = 1;\n}\n');
  const problems = await unprefixedTopLevelEnums(await image(root, 'unprefixed-enum'));
  assert.deepEqual(problems, ['metrocap/membership/v1/membership.proto: Colour.RED']);
});
