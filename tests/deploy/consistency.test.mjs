// The manifests, the documentation and the source tree agree: the overlays deploy exactly
// the components the build produces, every METROCAP_* variable the binaries read is
// documented once in docs/operations.md, and no retired variable name is used.
// Run by validate.sh with REPO_DIR and RENDERED_DIR set.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { COMPONENTS, RENAMED_VARIABLES, VARIABLES, componentOf, podTemplates } from "./rules.mjs";

const repo = process.env.REPO_DIR;
assert.ok(repo, "REPO_DIR must name the repository root");
const rendered = process.env.RENDERED_DIR;
const read = (path) => readFileSync(join(repo, path), "utf8");

// Files under `dir` (relative to the repository) whose name matches `pattern`.
function filesUnder(dir, pattern) {
  const out = [];
  const walk = (abs) => {
    for (const entry of readdirSync(abs)) {
      const path = join(abs, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (pattern.test(entry)) out.push(relative(repo, path));
    }
  };
  walk(join(repo, dir));
  return out;
}

// Components with an add_executable(metrocap-<component>) in the source tree.
function builtComponents() {
  const built = new Set();
  for (const dir of ["gateway", "services"]) {
    for (const file of filesUnder(dir, /^CMakeLists\.txt$/)) {
      const cmake = read(file);
      for (const m of cmake.matchAll(/add_executable\(\s*metrocap-([a-z]+)\s/g)) {
        if (COMPONENTS[m[1]]) built.add(m[1]);
      }
    }
  }
  return built;
}

function deployedComponents(overlay) {
  const objects = parseAllDocuments(readFileSync(join(rendered, `${overlay}.yaml`), "utf8")).map((d) => d.toJS()).filter(Boolean);
  return new Set(podTemplates(objects).flatMap((t) => (t.spec.containers ?? []).map(componentOf)).filter(Boolean));
}

test("dev and prod deploy exactly the components the build produces", () => {
  const built = [...builtComponents()].sort();
  assert.ok(built.includes("gateway") && built.includes("membership"), `built: ${built}`);
  for (const overlay of ["base", "dev", "prod"]) {
    // Built but not deployed: add it to deploy/k8s/base. Deployed but not built: its pods
    // crash-loop.
    assert.deepEqual([...deployedComponents(overlay)].sort(), built, overlay);
  }
});

test("every component in rules.mjs is built", () => {
  const built = builtComponents();
  for (const component of Object.keys(COMPONENTS)) assert.ok(built.has(component), `metrocap-${component}`);
});

// The configuration table: rows "| `METROCAP_X` | ...".
function documentedVariables() {
  return [...read("docs/operations.md").matchAll(/^\| `(METROCAP_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
}

test("docs/operations.md documents every variable once, and only those", () => {
  const documented = documentedVariables();
  const twice = documented.filter((v, i) => documented.indexOf(v) !== i);
  assert.deepEqual(twice, [], "documented more than once");
  assert.deepEqual([...documented].sort(), [...VARIABLES].sort());
});

// Variables the ConfigMap carries ahead of the binaries (documented as not read yet).
const NOT_READ_YET = ["METROCAP_LOG_LEVEL"];

test("every variable the binaries read is known, and every known one is read", () => {
  const literals = new Set();
  for (const dir of ["common", "gateway", "services"]) {
    for (const file of filesUnder(dir, /\.(cc|h)$/)) {
      for (const m of read(file).matchAll(/"(METROCAP_[A-Z0-9_]+)"/g)) literals.add(m[1]);
    }
  }
  const unknown = [...literals].filter((v) => !VARIABLES.includes(v) && !RENAMED_VARIABLES[v]);
  assert.deepEqual(unknown, [], "read by a binary but missing from VARIABLES and docs/operations.md");
  const unread = VARIABLES.filter((v) => !literals.has(v) && !NOT_READ_YET.includes(v));
  assert.deepEqual(unread, [], "documented but read by no binary");
});

test("retired variable names appear only where the rename is explained", () => {
  const files = ["README.md", "docs/gateway.md", "scripts/run.sh", ...filesUnder("deploy", /./)];
  for (const file of files) {
    for (const old of Object.keys(RENAMED_VARIABLES)) {
      assert.ok(!new RegExp(`\\b${old}\\b`).test(read(file)), `${file} uses ${old}`);
    }
  }
});
