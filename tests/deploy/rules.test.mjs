// Proves the checks bite: the rendered overlays pass, and each deliberate breakage of a
// rendered overlay is caught by the rule (or schema check) written for it.
// Run by validate.sh: RENDERED_DIR=<dir with base.yaml dev.yaml prod.yaml> node --test
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import { checkRules } from "./rules.mjs";
import { validateObject } from "./schemas.mjs";

const dir = process.env.RENDERED_DIR;
assert.ok(dir, "RENDERED_DIR must name the directory of rendered overlays");
const load = (overlay) => parseAllDocuments(readFileSync(join(dir, `${overlay}.yaml`), "utf8")).map((d) => d.toJS()).filter(Boolean);

const find = (objs, kind, name) => {
  const o = objs.find((x) => x.kind === kind && (name === undefined || x.metadata.name === name || x.metadata.name.startsWith(`${name}-`)));
  assert.ok(o, `${kind}/${name} rendered`);
  return o;
};
const container = (objs, name) => find(objs, "Deployment", `metrocap-${name}`).spec.template.spec.containers[0];
const config = (objs) => find(objs, "ConfigMap", "metrocap-config");

// Applies `mutate` to a fresh copy of an overlay and returns the rules that fire.
function rulesAfter(overlay, mutate) {
  const objs = load(overlay);
  mutate(objs);
  return new Set(checkRules(objs, overlay).map((p) => p.rule));
}

for (const overlay of ["base", "dev", "prod"]) {
  test(`${overlay}: every rule holds on the rendered overlay`, () => {
    assert.deepEqual(checkRules(load(overlay), overlay), []);
  });
  test(`${overlay}: every object is valid against the Kubernetes schemas`, () => {
    for (const o of load(overlay)) assert.deepEqual(validateObject(o), [], `${o.kind}/${o.metadata.name}`);
  });
}

const breakages = [
  ["prod", "gateway without a readiness probe", "probes", (o) => delete container(o, "gateway").readinessProbe],
  ["prod", "liveness on a service's readiness entry", "probes", (o) => { container(o, "membership").livenessProbe.grpc.service = "metrocap.membership.v1.MembershipService"; }],
  ["prod", "readiness on the wrong health service", "probes", (o) => { container(o, "assessment").readinessProbe.grpc = { port: 50052, service: "metrocap.membership.v1.MembershipService" }; }],
  ["prod", "readiness of hubs on another service's name", "probes", (o) => { container(o, "hubs").readinessProbe.grpc = { port: 50054, service: "metrocap.roadmaps.v1.RoadmapService" }; }],
  ["prod", "readiness on the server as a whole", "probes", (o) => { delete container(o, "membership").readinessProbe.grpc.service; }],
  ["prod", "liveness on the server as a whole (NOT_SERVING while not ready)", "probes", (o) => { delete container(o, "assessment").livenessProbe.grpc.service; }],
  ["prod", "startup on the readiness name", "probes", (o) => { container(o, "membership").startupProbe.grpc.service = "metrocap.membership.v1.MembershipService"; }],
  ["prod", "liveness probe on the wrong port", "probes", (o) => { container(o, "assessment").livenessProbe.grpc.port = 50051; }],
  ["prod", "liveness that kills a draining pod", "probes", (o) => { container(o, "membership").livenessProbe.failureThreshold = 2; }],
  ["dev", "data store liveness that asks the same as readiness", "probes", (o) => { const c = find(o, "Deployment", "metrocap-redis").spec.template.spec.containers[0]; c.livenessProbe = structuredClone(c.readinessProbe); }],
  ["prod", "gateway liveness on /readyz", "probes", (o) => { container(o, "gateway").livenessProbe.httpGet.path = "/readyz"; }],
  ["dev", "a data store without probes", "probes", (o) => delete find(o, "StatefulSet", "metrocap-postgres").spec.template.spec.containers[0].livenessProbe],
  ["prod", "no memory limit", "resources", (o) => delete container(o, "assessment").resources.limits.memory],
  ["dev", "no CPU request on a data store", "resources", (o) => delete find(o, "Deployment", "metrocap-redis").spec.template.spec.containers[0].resources.requests.cpu],
  ["prod", "runAsNonRoot off", "security", (o) => { const d = find(o, "Deployment", "metrocap-membership"); d.spec.template.spec.securityContext.runAsNonRoot = false; d.spec.template.spec.containers[0].securityContext.runAsNonRoot = false; }],
  ["prod", "writable root filesystem", "security", (o) => { container(o, "gateway").securityContext.readOnlyRootFilesystem = false; }],
  ["prod", "capabilities kept", "security", (o) => { container(o, "membership").securityContext.capabilities.drop = ["NET_RAW"]; }],
  ["prod", "privilege escalation allowed", "security", (o) => delete container(o, "membership").securityContext.allowPrivilegeEscalation],
  ["prod", "a token in the ConfigMap", "configmap-secrets", (o) => { config(o).data.METROCAP_ADMIN_TOKEN = "x"; }],
  ["prod", "a URL with a password in the ConfigMap", "configmap-secrets", (o) => { config(o).data.METROCAP_STORE = "postgres://u:pw@db:5432/x"; }],
  ["prod", "a database URL as a literal env value", "env-secrets", (o) => { container(o, "membership").env.find((e) => e.name === "METROCAP_DATABASE_URL").valueFrom = undefined; container(o, "membership").env.find((e) => e.name === "METROCAP_DATABASE_URL").value = "postgres://db/x"; }],
  ["prod", "image :latest", "image-pinned", (o) => { container(o, "assessment").image = "registry.example.org/metrocap/metrocap:latest"; }],
  ["dev", "untagged image", "image-pinned", (o) => { find(o, "StatefulSet", "metrocap-postgres").spec.template.spec.containers[0].image = "postgres"; }],
  ["prod", "a Service that selects nothing", "service-selects", (o) => { find(o, "Service", "metrocap-assessment").spec.selector = { "app.kubernetes.io/name": "metrocap-assesment" }; }],
  ["prod", "a Service port that targets no container port", "service-selects", (o) => { find(o, "Service", "metrocap-gateway").spec.ports[0].targetPort = "no-such-port"; }],
  ["prod", "grace period shorter than preStop + drain", "termination-grace", (o) => { find(o, "Deployment", "metrocap-gateway").spec.template.spec.terminationGracePeriodSeconds = 25; }],
  ["prod", "a drain longer than the grace period", "termination-grace", (o) => { config(o).data.METROCAP_SHUTDOWN_GRACE_SECONDS = "40"; }],
  ["prod", "a thread count the services reject", "config-values", (o) => { config(o).data.METROCAP_MAX_THREADS = "1"; }],
  ["prod", "a reflection flag that is not a boolean", "config-values", (o) => { config(o).data.METROCAP_REFLECTION = "off"; }],
  ["dev", "an internal credential shorter than 16 characters", "credentials", (o) => { find(o, "Secret", "metrocap-credentials").data["internal-credential"] = Buffer.from("short").toString("base64"); }],
  ["dev", "a database URL with an unknown scheme", "credentials", (o) => { find(o, "Secret", "metrocap-credentials").data["hubs-database-url"] = Buffer.from("mysql://db/hubs").toString("base64"); }],
  ["prod", "a service listening on loopback", "ports", (o) => { container(o, "assessment").env.find((e) => e.name === "METROCAP_LISTEN_ADDRESS").value = "127.0.0.1:50052"; }],
  ["prod", "a peer address on the wrong port", "references", (o) => { config(o).data.METROCAP_ASSESSMENT_ADDRESS = "metrocap-assessment:50051"; }],
  ["prod", "a peer address of a component not deployed", "references", (o) => { o.splice(o.indexOf(find(o, "Service", "metrocap-hubs")), 1); }],
  ["prod", "the gateway's retired HTTP address name", "config-names", (o) => { container(o, "gateway").env.push({ name: "METROCAP_HTTP_ADDRESS", value: "0.0.0.0:8080" }); }],
  ["prod", "the retired config file name in the ConfigMap", "config-names", (o) => { config(o).data.METROCAP_CONFIG_FILE = "/etc/metrocap.env"; }],
  ["dev", "a setting no component reads", "config-names", (o) => { config(o).data.METROCAP_LOGLEVEL = "debug"; }],
  ["prod", "a backend Service with a virtual IP", "headless", (o) => { delete find(o, "Service", "metrocap-membership").spec.clusterIP; }],
  ["prod", "the hubs Service with a virtual IP", "headless", (o) => { find(o, "Service", "metrocap-hubs").spec.clusterIP = "10.0.0.15"; }],
  ["dev", "a Secret that is not rendered", "references", (o) => o.splice(o.indexOf(find(o, "Secret", "metrocap-credentials")), 1)],
  ["prod", "an HPA scaling a missing Deployment", "references", (o) => { find(o, "HorizontalPodAutoscaler", "metrocap-assessment").spec.scaleTargetRef.name = "metrocap-assesment"; }],
  ["prod", "an Ingress backend that does not exist", "references", (o) => { find(o, "Ingress", "metrocap-gateway-http").spec.rules[0].http.paths[0].backend.service.port = { name: "https" }; }],
  ["prod", "an Ingress without TLS", "ingress-tls", (o) => delete find(o, "Ingress", "metrocap-gateway-grpc").spec.tls],
  ["prod", "gateway without scrape annotations", "metrics", (o) => delete find(o, "Deployment", "metrocap-gateway").spec.template.metadata.annotations["prometheus.io/scrape"]],
  ["prod", "hubs scraped on its gRPC port", "metrics", (o) => { find(o, "Deployment", "metrocap-hubs").spec.template.metadata.annotations["prometheus.io/port"] = "50054"; }],
  ["prod", "a service without its metrics port", "metrics", (o) => { container(o, "roadmaps").ports = container(o, "roadmaps").ports.filter((p) => p.name !== "metrics"); }],
  ["prod", "the metrics listener behind a Service", "metrics", (o) => { find(o, "Service", "metrocap-gateway").spec.ports.push({ name: "metrics", port: 9464, targetPort: "metrics" }); }],
  ["prod", "the metrics listener on loopback", "ports", (o) => { config(o).data.METROCAP_METRICS_ADDRESS = "127.0.0.1:9464"; }],
  ["prod", "a component missing", "components", (o) => o.splice(o.indexOf(find(o, "Deployment", "metrocap-assessment")), 1)],
  ["dev", "hubs missing", "components", (o) => o.splice(o.indexOf(find(o, "Deployment", "metrocap-hubs")), 1)],
  ["prod", "hubs without its HPA", "prod", (o) => o.splice(o.indexOf(find(o, "HorizontalPodAutoscaler", "metrocap-hubs")), 1)],
  ["prod", "replicas pinned under an HPA", "prod", (o) => { find(o, "Deployment", "metrocap-gateway").spec.replicas = 3; }],
  ["prod", "no disruption budget", "prod", (o) => o.splice(o.indexOf(find(o, "PodDisruptionBudget", "metrocap-membership")), 1)],
  ["prod", "no network policy for a service", "prod", (o) => o.splice(o.indexOf(find(o, "NetworkPolicy", "metrocap-services")), 1)],
  ["dev", "two replicas in dev", "dev", (o) => { find(o, "Deployment", "metrocap-gateway").spec.replicas = 2; }],
  ["dev", "an object outside the namespace", "namespace", (o) => { find(o, "Service", "metrocap-redis").metadata.namespace = "default"; }],
];
for (const [overlay, what, rule, mutate] of breakages) {
  test(`${overlay}: ${what} breaks rule ${rule}`, () => {
    assert.ok(rulesAfter(overlay, mutate).has(rule), `rule ${rule} did not fire`);
  });
}

const schemaBreakages = [
  ["a misspelt field", (d) => { d.spec.template.spec.containers[0].readinesProbe = {}; }, /unknown field .*readinesProbe/],
  ["a string where an integer belongs", (d) => { d.spec.template.spec.terminationGracePeriodSeconds = "35"; }, /must be integer/],
  ["a missing required field", (d) => delete d.spec.selector, /required property selector/],
  ["a field at the wrong level", (d) => { d.spec.template.spec.readOnlyRootFilesystem = true; }, /unknown field spec\.template\.spec\.readOnlyRootFilesystem/],
];
for (const [what, mutate, want] of schemaBreakages) {
  test(`schema: ${what} is rejected`, () => {
    const d = structuredClone(find(load("prod"), "Deployment", "metrocap-gateway"));
    mutate(d);
    assert.match(validateObject(d).join("\n"), want);
  });
}
test("schema: an unknown kind is rejected", () => {
  assert.match(validateObject({ apiVersion: "example.org/v1", kind: "Widget", metadata: { name: "w" } }).join(), /no schema/);
});
