// Starts the real suite for the tests that need one (the console's browser test, the client
// examples): the metrocap-membership, metrocap-assessment and metrocap-gateway binaries on
// free loopback ports with a temp data directory, the demo data loaded through `metrocapctl
// load`, and an API key made for the demo admin partner. Every wait polls with a deadline.
// ctest passes the binaries' paths in the environment (see a test's CMakeLists.txt); the
// roadmaps and hubs services are started too, with their demo data, when it passes
// METROCAP_ROADMAPS_BINARY / METROCAP_HUBS_BINARY.
// tests/support/node_test.sh stages this file beside the test that imports it.
import { execFile, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ADMIN_TOKEN = 'suite-test-admin-token-0123456789';
export const CREDENTIAL = 'suite-test-internal-credential-0123';

export function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (ctest sets it: see the test's CMakeLists.txt)`);
  return value;
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Calls `check` every 100 ms until it returns true; throws naming `what` after `ms`.
export async function waitFor(check, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch (e) {
      // not ready yet
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const OPTIONAL = ['roadmaps', 'hubs'];

export class Suite {
  async start() {
    this.dir = await mkdtemp(path.join(os.tmpdir(), 'metrocap-suite-'));
    this.ctl = required('METROCAPCTL');
    this.repo = required('METROCAP_SOURCE_DIR');
    const [membership, assessment, roadmaps, hubs, grpc, http] = await Promise.all(
      Array.from({ length: 6 }, freePort));
    this.addresses = {
      METROCAP_MEMBERSHIP_ADDRESS: `127.0.0.1:${membership}`,
      METROCAP_ASSESSMENT_ADDRESS: `127.0.0.1:${assessment}`,
      // Started only when their binary is named (OPTIONAL).
      METROCAP_ROADMAPS_ADDRESS: `127.0.0.1:${roadmaps}`,
      METROCAP_HUBS_ADDRESS: `127.0.0.1:${hubs}`,
    };
    this.children = [];
    const common = {
      PATH: process.env.PATH,
      METROCAP_INTERNAL_CREDENTIAL: CREDENTIAL,
      METROCAP_ADMIN_TOKEN: ADMIN_TOKEN,
      METROCAP_DATA_DIR: path.join(this.dir, 'data'),
      ...this.addresses,
    };
    this.spawn('membership', required('METROCAP_MEMBERSHIP_BINARY'),
      { ...common, METROCAP_LISTEN_ADDRESS: this.addresses.METROCAP_MEMBERSHIP_ADDRESS });
    await this.waitHealthy('membership', this.addresses.METROCAP_MEMBERSHIP_ADDRESS);
    this.spawn('assessment', required('METROCAP_ASSESSMENT_BINARY'),
      { ...common, METROCAP_LISTEN_ADDRESS: this.addresses.METROCAP_ASSESSMENT_ADDRESS });
    await this.waitHealthy('assessment', this.addresses.METROCAP_ASSESSMENT_ADDRESS);
    // Each needs the ones before it (hubs → roadmaps → assessment → membership).
    this.services = ['membership', 'assessment'];
    for (const service of OPTIONAL) {
      const binary = process.env[`METROCAP_${service.toUpperCase()}_BINARY`];
      if (!binary) continue;
      const address = this.addresses[`METROCAP_${service.toUpperCase()}_ADDRESS`];
      this.spawn(service, binary, { ...common, METROCAP_LISTEN_ADDRESS: address });
      await this.waitHealthy(service, address);
      this.services.push(service);
    }
    // No METROCAP_CONSOLE_DIR: the gateway finds the console beside its binary, as it does
    // in the build tree. Keys are not cached, so a revoked key fails at once.
    this.spawn('gateway', required('METROCAP_GATEWAY_BINARY'), {
      ...common,
      METROCAP_LISTEN_ADDRESS: `127.0.0.1:${grpc}`,
      METROCAP_HTTP_LISTEN_ADDRESS: `127.0.0.1:${http}`,
      METROCAP_API_KEY_CACHE_SECONDS: '0',
      METROCAP_RATE_LIMIT_RPS: '1000',
      METROCAP_RATE_LIMIT_BURST: '1000',
    });
    this.origin = `http://127.0.0.1:${http}`;
    this.grpcAddress = `127.0.0.1:${grpc}`;
    await waitFor(async () => {
      const ready = await (await fetch(`${this.origin}/readyz`)).json();
      return this.services.every((service) => ready.backends[service] === 'SERVING');
    }, 30000, `the gateway to see ${this.services.join(', ')}`);
    for (const service of this.services) {
      await this.ctlRun(['load', path.join(this.repo, 'data', service)],
        this.addresses[`METROCAP_${service.toUpperCase()}_ADDRESS`]);
    }
    this.key = await this.createKey('metropolis-secretariat', 'suite-admin');
  }

  spawn(name, binary, env) {
    const log = openSync(path.join(this.dir, `${name}.log`), 'a');
    const child = spawn(binary, [], { env, stdio: ['ignore', log, log] });
    closeSync(log);
    child.name = name;
    this.children.push(child);
  }

  log(name) {
    try {
      return readFileSync(path.join(this.dir, `${name}.log`), 'utf8').slice(-2000);
    } catch (e) {
      return '';
    }
  }

  async waitHealthy(name, address) {
    try {
      await waitFor(async () => {
        await run(this.ctl, [`--address=${address}`, 'health'], { timeout: 5000 });
        return true;
      }, 30000, `${name} to serve`);
    } catch (e) {
      throw new Error(`${e.message}\n${this.log(name)}`);
    }
  }

  async ctlRun(args, address) {
    const { stdout } = await run(this.ctl, [`--address=${address}`, ...args], {
      env: { PATH: process.env.PATH, METROCAP_ADMIN_TOKEN: ADMIN_TOKEN },
      timeout: 120000,
      maxBuffer: 16 << 20,
    });
    return stdout;
  }

  // A membership call as the bootstrap admin, parsed.
  async membership(method, request) {
    const out = await this.ctlRun(['call', `MembershipService/${method}`, JSON.stringify(request)],
      this.addresses.METROCAP_MEMBERSHIP_ADDRESS);
    return JSON.parse(out);
  }

  async createKey(partner, id) {
    const key = await this.membership('CreateApiKey', {
      parent: `partners/${partner}`, apiKeyId: id, apiKey: { displayName: `suite test ${id}` },
    });
    return key.secret;
  }

  // A REST call through the gateway with the admin key, parsed.
  async rest(pathAndQuery) {
    const response = await fetch(`${this.origin}${pathAndQuery}`, { headers: { Authorization: `Bearer ${this.key}` } });
    if (!response.ok) throw new Error(`${pathAndQuery}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  }

  data(service, file) {
    return JSON.parse(readFileSync(path.join(this.repo, 'data', service, file), 'utf8'));
  }

  async stop() {
    for (const child of this.children || []) if (child.exitCode === null) child.kill('SIGTERM');
    await Promise.all((this.children || []).map((child) => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
      child.on('exit', () => { clearTimeout(timer); resolve(); });
    })));
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

// No server outlives the test, even when it dies.
export function killOnExit(suite) {
  process.on('exit', () => {
    for (const child of suite.children || []) if (child.exitCode === null) child.kill('SIGKILL');
  });
}
