// Static checks of deploy/docker/Dockerfile (no container engine runs in CI): the build
// stage uses the README's scripts, the runtime stage is debian:12-slim with only runtime
// libraries and a numeric non-root user, and it agrees with the Kubernetes manifests.
// Run by validate.sh with REPO_DIR and RENDERED_DIR set.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { podTemplates } from "./rules.mjs";

const repo = process.env.REPO_DIR;
assert.ok(repo, "REPO_DIR must name the repository root");
const text = readFileSync(join(repo, "deploy/docker/Dockerfile"), "utf8").replace(/\\\n/g, " ");
const lines = text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));

// Stages with their resolved base image and instructions.
const args = {};
const stages = [];
for (const line of lines) {
  const [word, ...rest] = line.split(/\s+/);
  const instr = word.toUpperCase();
  if (instr === "ARG" && !stages.length) {
    const [k, v] = rest.join(" ").split("=");
    args[k] = v;
  } else if (instr === "FROM") {
    const image = rest[0].replace(/\$\{(\w+)\}/g, (_, k) => args[k] ?? "");
    stages.push({ image, name: rest[2], body: [] });
  } else if (stages.length) {
    stages.at(-1).body.push({ instr, args: rest.join(" ") });
  }
}
const build = stages.find((s) => s.name === "build");
const runtime = stages.at(-1);
const runs = (stage) => stage.body.filter((i) => i.instr === "RUN").map((i) => i.args).join("\n");

test("two stages: debian:12 build, debian:12-slim runtime", () => {
  assert.ok(build, "a stage named build");
  assert.match(build.image, /^debian:12(\.\d+)?$/);
  assert.match(runtime.image, /^debian:12(\.\d+)?-slim$/);
});

test("the build stage calls the README's scripts instead of repeating them", () => {
  assert.match(runs(build), /scripts\/install-deps\.sh/);
  assert.match(runs(build), /scripts\/build\.sh/);
  assert.match(runs(build), /scripts\/build\.sh --install \/opt\/metrocap|cmake --install build --prefix \/opt\/metrocap/);
  for (const script of ["scripts/install-deps.sh", "scripts/build.sh"]) assert.ok(existsSync(join(repo, script)), script);
});

test("the runtime stage installs only runtime libraries", () => {
  const install = /apt-get install[^&]*/.exec(runs(runtime))?.[0] ?? "";
  const packages = install.split(/\s+/).filter((w) => w && !w.startsWith("-") && !["apt-get", "install"].includes(w)).sort();
  assert.deepEqual(packages, ["ca-certificates", "libabsl20220623", "libgrpc++1.51", "libhiredis0.14",
    "libpq5", "libprometheus-cpp-core1.0", "libprometheus-cpp-pull1.0", "libprotobuf32",
    "libsqlite3-0", "libssl3", "libzstd1"]);
  assert.match(runs(runtime), /rm -rf \/var\/lib\/apt\/lists/);
});

test("the runtime user is numeric, non-root and the one the pods run as", () => {
  const user = runtime.body.filter((i) => i.instr === "USER").at(-1)?.args;
  assert.match(user ?? "", /^10001(:10001)?$/);
  const base = parseAllDocuments(readFileSync(join(process.env.RENDERED_DIR, "base.yaml"), "utf8")).map((d) => d.toJS());
  for (const t of podTemplates(base)) assert.equal(t.spec.securityContext.runAsUser, 10001, t.owner.metadata.name);
});

test("every command in the manifests is a binary the image installs", () => {
  const copy = runtime.body.find((i) => i.instr === "COPY" && i.args.includes("--from=build"));
  assert.match(copy?.args ?? "", /\/opt\/metrocap\/bin\/ \/usr\/local\/bin\/$/);
  const base = parseAllDocuments(readFileSync(join(process.env.RENDERED_DIR, "base.yaml"), "utf8")).map((d) => d.toJS());
  for (const t of podTemplates(base)) {
    for (const c of t.spec.containers) assert.match(c.command[0], /^\/usr\/local\/bin\/metrocap-[a-z]+$/);
  }
});
