// metrocap's own deployment rules, checked on rendered (kustomize build) objects.
// checkRules(objects, overlay) returns [{rule, object, message}]; empty means all hold.
// overlay: "base", "dev" or "prod", or anything else for the generic rules.

// Every component, its gRPC port and the health-service name its readiness probe asks for.
export const COMPONENTS = {
  membership: { port: 50051, health: "metrocap.membership.v1.MembershipService" },
  assessment: { port: 50052, health: "metrocap.assessment.v1.AssessmentService" },
  roadmaps: { port: 50053, health: "metrocap.roadmaps.v1.RoadmapService" },
  hubs: { port: 50054, health: "metrocap.hubs.v1.HubService" },
  gateway: { port: 9090, httpPort: 8080 },
};
// Every component's metrics listener (METROCAP_METRICS_ADDRESS): scraped by Prometheus on the
// pod network, never exposed by a Service.
export const METRICS_PORT = 9464;
// The grpc.health.v1 name that stays SERVING while a server answers at all
// (common/server: kLivenessHealthName); startup and liveness probes ask it.
export const LIVENESS_HEALTH_NAME = "liveness";
// Every variable a component reads (docs/operations.md documents each one once).
export const VARIABLES = [
  "METROCAP_CONFIG", "METROCAP_LISTEN_ADDRESS", "METROCAP_HTTP_LISTEN_ADDRESS", "METROCAP_DATA_DIR",
  "METROCAP_DATABASE_URL", "METROCAP_REDIS_URL", "METROCAP_INTERNAL_CREDENTIAL", "METROCAP_ADMIN_TOKEN",
  "METROCAP_REFLECTION", "METROCAP_MAX_THREADS", "METROCAP_SHUTDOWN_GRACE_SECONDS",
  "METROCAP_MAX_MESSAGE_BYTES", "METROCAP_LOG_LEVEL", "METROCAP_MEMBERSHIP_ADDRESS",
  "METROCAP_ASSESSMENT_ADDRESS", "METROCAP_ROADMAPS_ADDRESS", "METROCAP_HUBS_ADDRESS",
  "METROCAP_RATE_LIMIT_RPS", "METROCAP_RATE_LIMIT_BURST", "METROCAP_HTTP_THREADS",
  "METROCAP_API_KEY_CACHE_SECONDS", "METROCAP_REQUEST_TIMEOUT_SECONDS", "METROCAP_GATEWAY_AUTH",
  "METROCAP_MEMBERSHIP_TIMEOUT_MS", "METROCAP_CONSOLE_DIR", "METROCAP_PEER_TIMEOUT_MS",
  "METROCAP_DRAIN_DELAY_SECONDS", "METROCAP_ACCESS_LOG_SAMPLE", "METROCAP_SLOW_CALL_MS",
  "METROCAP_DELIVERY_POLL_MS", "METROCAP_DELIVERY_BACKOFF_MS", "METROCAP_METRICS_ADDRESS",
];
// Names earlier builds read and the gateway now refuses (gateway/main.cc), with their successor.
export const RENAMED_VARIABLES = {
  METROCAP_HTTP_ADDRESS: "METROCAP_HTTP_LISTEN_ADDRESS",
  METROCAP_CONFIG_FILE: "METROCAP_CONFIG",
};
const NAMESPACES = { dev: "metrocap-dev", prod: "metrocap" };
// Secrets an overlay may reference without rendering them (created by the operator).
const EXTERNAL_SECRETS = {
  base: ["metrocap-credentials"],
  prod: ["metrocap-credentials", "metrocap-gateway-tls"],
};
const DEFAULT_SHUTDOWN_GRACE_SECONDS = 20;
// Integer settings and the ranges the components accept (common/config, gateway/main.cc,
// services/assessment/main.cc); a value outside makes the component exit at start-up.
const INTEGER_SETTINGS = {
  METROCAP_MAX_THREADS: [2, 4096],
  METROCAP_SHUTDOWN_GRACE_SECONDS: [0, 3600],
  METROCAP_DRAIN_DELAY_SECONDS: [0, 3600],
  METROCAP_MAX_MESSAGE_BYTES: [1024, 64 << 20],
  METROCAP_RATE_LIMIT_RPS: [1, 10000000],
  METROCAP_RATE_LIMIT_BURST: [1, 10000000],
  METROCAP_HTTP_THREADS: [1, 64],
  METROCAP_API_KEY_CACHE_SECONDS: [0, 3600],
  METROCAP_REQUEST_TIMEOUT_SECONDS: [1, 3600],
  METROCAP_MEMBERSHIP_TIMEOUT_MS: [10, 60000],
  METROCAP_PEER_TIMEOUT_MS: [10, 60000],
  METROCAP_ACCESS_LOG_SAMPLE: [1, 1000000],
  METROCAP_SLOW_CALL_MS: [1, 3600000],
  METROCAP_DELIVERY_POLL_MS: [10, 600000],
  METROCAP_DELIVERY_BACKOFF_MS: [10, 300000],
};
const BOOLEAN_SETTINGS = ["METROCAP_REFLECTION", "METROCAP_GATEWAY_AUTH"];
// Keys of the metrocap-credentials Secret and what the components accept in them.
const CREDENTIAL_CHECKS = [
  [/^(internal-credential|admin-token)$/, (v) => v.length >= 16, "must be at least 16 characters"],
  [/-database-url$/, (v) => /^(postgres|postgresql):\/\/|^sqlite:/.test(v), "must start with postgres://, postgresql:// or sqlite:"],
  [/^redis-url$/, (v) => v.startsWith("redis://"), "must start with redis://"],
];
const DEFAULT_TERMINATION_GRACE_SECONDS = 30;
const SECRET_NAME = /PASSWORD|PASSWD|TOKEN|CREDENTIAL|SECRET|PRIVATE_KEY|API_KEY|DATABASE_URL|REDIS_URL/i;
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:[^\s/@]+@/i;
const CLUSTER_SCOPED = new Set(["Namespace", "ClusterRole", "ClusterRoleBinding", "PriorityClass",
  "StorageClass", "PersistentVolume", "CustomResourceDefinition", "IngressClass"]);

const id = (o) => `${o.kind}/${o.metadata?.name}`;
const nsOf = (o) => o.metadata?.namespace ?? "";

// Pod templates of every workload kind.
export function podTemplates(objects) {
  const out = [];
  for (const o of objects) {
    const t = o.kind === "CronJob" ? o.spec?.jobTemplate?.spec?.template
      : ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"].includes(o.kind) ? o.spec?.template
        : null;
    if (t) out.push({ owner: o, ns: nsOf(o), labels: t.metadata?.labels ?? {}, annotations: t.metadata?.annotations ?? {}, spec: t.spec ?? {} });
  }
  return out;
}

// A LabelSelector (matchLabels + matchExpressions) or a plain map against labels.
export function selects(selector, labels) {
  if (!selector) return false;
  const matchLabels = selector.matchLabels ?? (selector.matchExpressions ? {} : selector);
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.hasOwn(labels, e.key);
    if (e.operator === "In" && !(has && e.values.includes(labels[e.key]))) return false;
    if (e.operator === "NotIn" && has && e.values.includes(labels[e.key])) return false;
    if (e.operator === "Exists" && !has) return false;
    if (e.operator === "DoesNotExist" && has) return false;
  }
  return true;
}

// The metrocap component a container runs ("membership", ...), from its command.
export function componentOf(container) {
  const m = /\/metrocap-([a-z]+)$/.exec((container.command ?? [])[0] ?? "");
  return m && COMPONENTS[m[1]] ? m[1] : null;
}

// A probe's port (number or container port name) as a number.
function resolvePort(container, port) {
  if (typeof port === "number") return port;
  return (container.ports ?? []).find((p) => p.name === port)?.containerPort;
}

function handler(probe) {
  if (!probe) return null;
  const { grpc, httpGet, tcpSocket, exec } = probe;
  return JSON.stringify({ grpc, httpGet, tcpSocket, exec });
}

// The value an env var has in a container: literal, or from an envFrom ConfigMap.
function envValue(container, name, configMaps) {
  const direct = (container.env ?? []).find((e) => e.name === name);
  if (direct) return direct.value;
  for (const ef of container.envFrom ?? []) {
    const cm = ef.configMapRef && configMaps.get(ef.configMapRef.name);
    if (cm?.data && Object.hasOwn(cm.data, name)) return cm.data[name];
  }
  return undefined;
}

function preStopSleepSeconds(container) {
  const pre = container.lifecycle?.preStop;
  if (pre?.sleep?.seconds) return pre.sleep.seconds;
  const cmd = pre?.exec?.command ?? [];
  if (cmd[0] === "sleep" || cmd[0] === "/bin/sleep") return Number(cmd[1]) || 0;
  return 0;
}

function imagePinned(image) {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const last = image.split("/").pop();
  const colon = last.lastIndexOf(":");
  return colon > 0 && last.slice(colon + 1) !== "latest" && last.slice(colon + 1) !== "";
}

export function checkRules(objects, overlayName) {
  const overlay = String(overlayName);
  const problems = [];
  const fail = (rule, o, message) => problems.push({ rule, object: o ? `${id(o)}` : "-", message });
  const byKind = (k) => objects.filter((o) => o.kind === k);
  const configMaps = new Map(byKind("ConfigMap").map((c) => [c.metadata.name, c]));
  const secrets = new Map(byKind("Secret").map((s) => [s.metadata.name, s]));
  const serviceAccounts = new Set(byKind("ServiceAccount").map((s) => s.metadata.name));
  const services = byKind("Service");
  const templates = podTemplates(objects);
  const external = EXTERNAL_SECRETS[overlay] ?? [];
  // METROCAP_* names must be ones a component reads: a typo or a retired name is ignored (or,
  // for a renamed one, refused) by the binaries, so it would not do what the manifest says.
  const checkVariableName = (o, name, where) => {
    if (!name.startsWith("METROCAP_") || VARIABLES.includes(name)) return;
    const successor = RENAMED_VARIABLES[name];
    fail("config-names", o, `${where}: ${name} ${successor ? `was renamed ${successor}` : "is read by no component"}`);
  };

  // Secrets: rendered, or external by design; a non-optional key must exist if rendered.
  const checkSecretRef = (o, name, key, optional, where) => {
    const s = secrets.get(name);
    if (!s) {
      if (!optional && !external.includes(name)) fail("references", o, `${where}: Secret ${name} is neither rendered nor an expected external Secret`);
      return;
    }
    const keys = { ...(s.data ?? {}), ...(s.stringData ?? {}) };
    if (key && !optional && !Object.hasOwn(keys, key)) fail("references", o, `${where}: Secret ${name} has no key ${key}`);
  };

  for (const t of templates) {
    const o = t.owner;
    const spec = t.spec;
    if (spec.hostNetwork || spec.hostPID || spec.hostIPC) fail("security", o, "uses host namespaces");
    if (spec.serviceAccountName && !serviceAccounts.has(spec.serviceAccountName)) {
      fail("references", o, `ServiceAccount ${spec.serviceAccountName} is not rendered`);
    }
    for (const v of spec.volumes ?? []) {
      if (v.configMap && !configMaps.has(v.configMap.name) && !v.configMap.optional) fail("references", o, `volume ${v.name}: ConfigMap ${v.configMap.name} is not rendered`);
      if (v.secret) checkSecretRef(o, v.secret.secretName, null, v.secret.optional, `volume ${v.name}`);
    }
    const all = [...(spec.initContainers ?? []).map((c) => [c, true]), ...(spec.containers ?? []).map((c) => [c, false])];
    for (const [c, init] of all) {
      const where = `container ${c.name}`;
      // resources
      for (const kind of ["requests", "limits"]) {
        for (const r of ["cpu", "memory"]) {
          if (!c.resources?.[kind]?.[r]) fail("resources", o, `${where}: no ${kind}.${r}`);
        }
      }
      // security context: container settings override the pod's.
      const sc = c.securityContext ?? {};
      const psc = spec.securityContext ?? {};
      if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) fail("security", o, `${where}: runAsNonRoot is not true`);
      if ((sc.runAsUser ?? psc.runAsUser) === 0) fail("security", o, `${where}: runs as uid 0`);
      if (sc.readOnlyRootFilesystem !== true) fail("security", o, `${where}: readOnlyRootFilesystem is not true`);
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) fail("security", o, `${where}: capabilities do not drop ALL`);
      if ((sc.capabilities?.add ?? []).length) fail("security", o, `${where}: adds capabilities`);
      if (sc.allowPrivilegeEscalation !== false) fail("security", o, `${where}: allowPrivilegeEscalation is not false`);
      if (sc.privileged) fail("security", o, `${where}: privileged`);
      // image
      if (!c.image || !imagePinned(c.image)) fail("image-pinned", o, `${where}: image ${c.image} has no pinned tag or digest`);
      // env: secret-looking variables come from Secrets; references resolve.
      for (const e of c.env ?? []) {
        checkVariableName(o, e.name, where);
        if (SECRET_NAME.test(e.name) && !e.valueFrom?.secretKeyRef) fail("env-secrets", o, `${where}: ${e.name} is not taken from a Secret`);
        if (e.value && URL_WITH_PASSWORD.test(e.value)) fail("env-secrets", o, `${where}: ${e.name} holds a URL with a password`);
        const sk = e.valueFrom?.secretKeyRef;
        if (sk) checkSecretRef(o, sk.name, sk.key, sk.optional, `${where} ${e.name}`);
        const ck = e.valueFrom?.configMapKeyRef;
        if (ck && !ck.optional && !configMaps.get(ck.name)?.data?.[ck.key]) fail("references", o, `${where} ${e.name}: ConfigMap key ${ck.name}/${ck.key} is not rendered`);
      }
      for (const ef of c.envFrom ?? []) {
        if (ef.configMapRef && !ef.configMapRef.optional && !configMaps.has(ef.configMapRef.name)) fail("references", o, `${where}: ConfigMap ${ef.configMapRef.name} is not rendered`);
        if (ef.secretRef) checkSecretRef(o, ef.secretRef.name, null, ef.secretRef.optional, where);
      }
      if (init) continue;
      // probes
      const comp = componentOf(c);
      if (!c.livenessProbe || !c.readinessProbe) {
        fail("probes", o, `${where}: needs both livenessProbe and readinessProbe`);
      } else if (handler(c.livenessProbe) === handler(c.readinessProbe)) {
        fail("probes", o, `${where}: liveness asks the same as readiness, so a pod that is only not ready would be restarted`);
      }
      if (!comp) continue;
      const info = COMPONENTS[comp];
      const ports = (c.ports ?? []).map((p) => p.containerPort);
      if (!ports.includes(info.port)) fail("ports", o, `${where}: gRPC port ${info.port} not declared`);
      if (comp === "gateway") {
        const lp = c.livenessProbe?.httpGet;
        const rp = c.readinessProbe?.httpGet;
        if (lp?.path !== "/healthz" || resolvePort(c, lp?.port) !== info.httpPort) fail("probes", o, `${where}: liveness must be GET /healthz on ${info.httpPort}`);
        if (rp?.path !== "/readyz" || resolvePort(c, rp?.port) !== info.httpPort) fail("probes", o, `${where}: readiness must be GET /readyz on ${info.httpPort}`);
      } else {
        // Liveness and startup ask "liveness", SERVING while the server answers at all: never
        // "" or the API's name, which are readiness (NOT_SERVING while migrating or draining).
        // Readiness asks the API's own name, so a pod serving another API is never Ready.
        const lp = c.livenessProbe?.grpc;
        const rp = c.readinessProbe?.grpc;
        const sp = c.startupProbe?.grpc;
        if (!lp || lp.port !== info.port || lp.service !== LIVENESS_HEALTH_NAME) fail("probes", o, `${where}: liveness must be a grpc.health.v1 probe of service "${LIVENESS_HEALTH_NAME}" on ${info.port}`);
        if (!rp || rp.port !== info.port || rp.service !== info.health) fail("probes", o, `${where}: readiness must be a grpc.health.v1 probe of ${info.health} on ${info.port}`);
        if (c.startupProbe && (!sp || sp.port !== info.port || sp.service !== LIVENESS_HEALTH_NAME)) fail("probes", o, `${where}: startup must be a grpc.health.v1 probe of service "${LIVENESS_HEALTH_NAME}" on ${info.port}`);
      }
      // Metrics: every component's pods are annotated for the scrape of its metrics listener,
      // which is a declared container port.
      const a = t.annotations;
      if (a["prometheus.io/scrape"] !== "true" || a["prometheus.io/path"] !== "/metrics" || Number(a["prometheus.io/port"]) !== METRICS_PORT) {
        fail("metrics", o, `${where}: pods need prometheus.io/scrape, /path=/metrics and /port=${METRICS_PORT} annotations`);
      }
      if (!(c.ports ?? []).some((p) => p.name === "metrics" && p.containerPort === METRICS_PORT)) fail("metrics", o, `${where}: no container port "metrics" ${METRICS_PORT}`);
      // A draining server takes no new calls, so every probe of it fails; the kubelet stops
      // liveness probes once a pod is being deleted, but a drain started any other way must
      // still end before liveness acts.
      const drain = Number(envValue(c, "METROCAP_SHUTDOWN_GRACE_SECONDS", configMaps) ?? DEFAULT_SHUTDOWN_GRACE_SECONDS);
      if (c.livenessProbe) {
        const lp = c.livenessProbe;
        const window = (lp.periodSeconds ?? 10) * ((lp.failureThreshold ?? 3) - 1);
        if (window <= drain) fail("probes", o, `${where}: liveness acts ${window} s after its first failure, within the ${drain} s drain`);
      }
      // listen addresses: every interface, on a declared port.
      for (const [name, want] of [["METROCAP_LISTEN_ADDRESS", info.port], ["METROCAP_HTTP_LISTEN_ADDRESS", info.httpPort], ["METROCAP_METRICS_ADDRESS", METRICS_PORT]]) {
        if (!want) continue;
        const v = envValue(c, name, configMaps);
        if (v !== `0.0.0.0:${want}` && v !== `[::]:${want}`) fail("ports", o, `${where}: ${name}=${v}, want 0.0.0.0:${want}`);
      }
      // graceful termination longer than preStop + drain.
      const tgps = spec.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS;
      const needed = drain + preStopSleepSeconds(c);
      if (!(tgps > needed)) fail("termination-grace", o, `${where}: terminationGracePeriodSeconds ${tgps} <= preStop + drain ${needed}`);
    }
  }

  // ConfigMaps hold no secrets.
  for (const cm of byKind("ConfigMap")) {
    for (const [k, v] of Object.entries(cm.data ?? {})) {
      if (SECRET_NAME.test(k)) fail("configmap-secrets", cm, `key ${k} looks like a secret`);
      if (URL_WITH_PASSWORD.test(String(v))) fail("configmap-secrets", cm, `key ${k} holds a URL with a password`);
    }
  }

  // Settings are values the components accept.
  for (const cm of byKind("ConfigMap").filter((x) => x.metadata.name.startsWith("metrocap-config"))) {
    for (const k of Object.keys(cm.data ?? {})) checkVariableName(cm, k, `key ${k}`);
  }
  for (const cm of byKind("ConfigMap")) {
    for (const [k, v] of Object.entries(cm.data ?? {})) {
      const range = INTEGER_SETTINGS[k];
      if (range && !(/^\d+$/.test(v) && Number(v) >= range[0] && Number(v) <= range[1])) fail("config-values", cm, `${k}=${v} is not an integer in [${range[0]}, ${range[1]}]`);
      if (BOOLEAN_SETTINGS.includes(k) && !["true", "false"].includes(v)) fail("config-values", cm, `${k}=${v} is not true or false`);
      if (k === "METROCAP_GATEWAY_AUTH" && v === "false") fail("config-values", cm, "METROCAP_GATEWAY_AUTH=false admits every caller (benchmarks only)");
    }
  }
  for (const s of byKind("Secret").filter((x) => x.metadata.name.startsWith("metrocap-credentials"))) {
    const values = { ...Object.fromEntries(Object.entries(s.data ?? {}).map(([k, v]) => [k, Buffer.from(String(v).replace(/\s/g, ""), "base64").toString()])), ...(s.stringData ?? {}) };
    for (const [k, v] of Object.entries(values)) {
      for (const [pattern, ok, why] of CREDENTIAL_CHECKS) if (pattern.test(k) && !ok(v)) fail("credentials", s, `${k} ${why}`);
    }
  }

  // Peer addresses name a rendered Service port.
  for (const cm of byKind("ConfigMap")) {
    for (const [k, v] of Object.entries(cm.data ?? {})) {
      if (!/^METROCAP_[A-Z]+_ADDRESS$/.test(k) || /LISTEN|METRICS/.test(k)) continue;
      const [host, port] = String(v).split(":");
      const svc = services.find((s) => s.metadata.name === host.split(".")[0] && nsOf(s) === nsOf(cm));
      if (!svc || !(svc.spec.ports ?? []).some((p) => p.port === Number(port))) fail("references", cm, `${k}=${v} names no rendered Service port`);
    }
  }

  // Services select pods and target their ports.
  for (const s of services) {
    const sel = s.spec?.selector;
    if (!sel || !Object.keys(sel).length) { fail("service-selects", s, "has no selector"); continue; }
    const pods = templates.filter((t) => t.ns === nsOf(s) && selects(sel, t.labels));
    if (!pods.length) { fail("service-selects", s, "selects no pod template"); continue; }
    for (const p of s.spec.ports ?? []) {
      const target = p.targetPort ?? p.port;
      const onContainer = (c) => (c.ports ?? []).some((cp) => (typeof target === "number" ? cp.containerPort === target : cp.name === target));
      const ok = pods.some((t) => (t.spec.containers ?? []).some(onContainer));
      if (!ok) fail("service-selects", s, `port ${p.name ?? p.port}: targetPort ${target} is on no selected container`);
    }
  }

  // The metrics listeners answer without a key: no Service may carry them to callers.
  for (const s of services) {
    for (const p of s.spec?.ports ?? []) {
      if (p.targetPort === "metrics" || p.port === METRICS_PORT || p.targetPort === METRICS_PORT) fail("metrics", s, `port ${p.name ?? p.port} exposes the metrics listener`);
    }
  }

  // Services in front of gRPC backends are headless: DNS then returns every ready pod and the
  // gateway's round_robin channels spread calls over all of them. Through a virtual IP each
  // long-lived HTTP/2 connection would stay on one pod.
  for (const s of services) {
    const backend = templates.some((t) => t.ns === nsOf(s) && selects(s.spec?.selector, t.labels) &&
      (t.spec.containers ?? []).some((c) => { const comp = componentOf(c); return comp && comp !== "gateway"; }));
    if (backend && s.spec?.clusterIP !== "None") fail("headless", s, "a gRPC backend Service must be headless (clusterIP: None)");
  }

  // HPAs, PDBs, NetworkPolicies and Ingresses point at something.
  const deployments = byKind("Deployment");
  for (const h of byKind("HorizontalPodAutoscaler")) {
    const ref = h.spec.scaleTargetRef;
    if (!objects.some((o) => o.kind === ref.kind && o.metadata.name === ref.name && nsOf(o) === nsOf(h))) fail("references", h, `scales missing ${ref.kind}/${ref.name}`);
    if ((h.spec.minReplicas ?? 1) > h.spec.maxReplicas) fail("autoscaling", h, "minReplicas > maxReplicas");
  }
  for (const kind of ["PodDisruptionBudget", "NetworkPolicy"]) {
    for (const p of byKind(kind)) {
      const sel = kind === "NetworkPolicy" ? p.spec.podSelector : p.spec.selector;
      if (!templates.some((t) => t.ns === nsOf(p) && selects(sel, t.labels))) fail("references", p, "selects no pod template");
    }
  }
  for (const ing of byKind("Ingress")) {
    for (const rule of ing.spec.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const b = path.backend.service;
        const svc = services.find((s) => s.metadata.name === b?.name && nsOf(s) === nsOf(ing));
        const port = svc && (svc.spec.ports ?? []).find((p) => (b.port.name ? p.name === b.port.name : p.port === b.port.number));
        if (!port) fail("references", ing, `backend ${b?.name}:${b?.port?.name ?? b?.port?.number} is not a rendered Service port`);
      }
    }
    if (!(ing.spec.tls ?? []).length) fail("ingress-tls", ing, "has no TLS");
  }

  // Every component is deployed.
  const metrocapContainers = templates.flatMap((t) => (t.spec.containers ?? []).map((c) => [t, c])).filter(([, c]) => componentOf(c));
  for (const comp of Object.keys(COMPONENTS)) {
    const deployed = metrocapContainers.filter(([, c]) => componentOf(c) === comp);
    if (!deployed.some(([t]) => t.owner.kind === "Deployment")) fail("components", null, `no Deployment runs metrocap-${comp}`);
  }

  // Overlay expectations.
  const ns = NAMESPACES[overlay];
  if (ns) {
    if (!byKind("Namespace").some((n) => n.metadata.name === ns)) fail("namespace", null, `Namespace ${ns} is not rendered`);
    for (const o of objects) {
      if (!CLUSTER_SCOPED.has(o.kind) && nsOf(o) !== ns) fail("namespace", o, `namespace ${nsOf(o) || "(none)"}, want ${ns}`);
    }
  }
  if (overlay === "dev") {
    for (const w of [...deployments, ...byKind("StatefulSet")]) {
      if ((w.spec.replicas ?? 1) !== 1) fail("dev", w, "dev runs one replica of everything");
    }
    for (const name of ["metrocap-postgres", "metrocap-redis"]) {
      if (!objects.some((o) => ["StatefulSet", "Deployment"].includes(o.kind) && o.metadata.name === name)) fail("dev", null, `dev needs the in-cluster ${name}`);
    }
  }
  if (overlay === "prod") {
    for (const name of ["metrocap-postgres", "metrocap-redis"]) {
      if (objects.some((o) => ["StatefulSet", "Deployment"].includes(o.kind) && o.metadata.name === name)) fail("prod", null, `prod uses external data stores, not ${name}`);
    }
    const policies = byKind("NetworkPolicy");
    for (const [t, c] of metrocapContainers) {
      const d = t.owner;
      if (d.spec.replicas !== undefined) fail("prod", d, "spec.replicas is set although an HPA owns the count");
      const hpa = byKind("HorizontalPodAutoscaler").find((h) => h.spec.scaleTargetRef.name === d.metadata.name);
      if (!hpa || (hpa.spec.minReplicas ?? 1) < 2) fail("prod", d, "needs an HPA with minReplicas >= 2");
      if (!byKind("PodDisruptionBudget").some((p) => selects(p.spec.selector, t.labels))) fail("prod", d, "no PodDisruptionBudget selects its pods");
      // (The metrics policy admits Prometheus only: it does not make a component reachable.)
      const admitsApi = (rule) => !(rule.ports ?? []).length || rule.ports.some((p) => p.port !== "metrics" && p.port !== METRICS_PORT);
      if (!policies.some((p) => selects(p.spec.podSelector, t.labels) && (p.spec.ingress ?? []).some(admitsApi))) fail("prod", d, `no NetworkPolicy admits traffic to ${componentOf(c)}`);
    }
    if (!policies.some((p) => (p.spec.ingress ?? []).length === 0 && (p.spec.policyTypes ?? []).includes("Ingress"))) fail("prod", null, "no default-deny ingress policy");
    if (!byKind("Ingress").length) fail("prod", null, "no Ingress for the gateway");
  }
  return problems;
}
