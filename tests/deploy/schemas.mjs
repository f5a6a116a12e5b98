// Validates Kubernetes objects against the Kubernetes API schemas, with two validators
// generated from the Kubernetes OpenAPI spec:
//   1. kubernetes-models: JSON-schema validators (types, required fields, enums, formats);
//   2. @kubernetes/client-node's models: the field list of every type, to reject unknown
//      fields (what `kubectl apply --validate=strict` and kubeconform -strict reject), since
//      kubernetes-models accepts extra properties.
import { createRequire } from "node:module";
import * as clientModels from "@kubernetes/client-node";

const require = createRequire(import.meta.url);

// "apps/v1" -> ["apps", "v1"]; "v1" -> ["", "v1"].
function splitApiVersion(apiVersion) {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? ["", apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

// The kubernetes-models class for an apiVersion and kind, or undefined.
function modelClass(apiVersion, kind) {
  const [group, version] = splitApiVersion(apiVersion);
  const path = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  try {
    const mod = require(path);
    return mod[kind] ?? mod.default?.[kind];
  } catch {
    return undefined;
  }
}

// Unknown-field walk over client-node's attribute maps. Returns a list of JSON paths.
function unknownFields(value, type, path, out) {
  if (value === null || value === undefined) return out;
  const arrayOf = /^Array<(.*)>$/.exec(type);
  if (arrayOf) {
    if (Array.isArray(value)) value.forEach((v, i) => unknownFields(v, arrayOf[1], `${path}[${i}]`, out));
    return out;
  }
  const mapOf = /^\{ \[key: string\]: (.*); \}$/.exec(type);
  if (mapOf) {
    if (typeof value === "object") {
      for (const [k, v] of Object.entries(value)) unknownFields(v, mapOf[1], `${path}.${k}`, out);
    }
    return out;
  }
  const model = clientModels[type];
  if (!model || !Array.isArray(model.attributeTypeMap) || typeof value !== "object") return out;
  const fields = new Map(model.attributeTypeMap.map((a) => [a.baseName, a.type]));
  for (const [k, v] of Object.entries(value)) {
    if (!fields.has(k)) out.push(`${path}.${k}`);
    else unknownFields(v, fields.get(k), `${path}.${k}`, out);
  }
  return out;
}

// client-node names a type after its version and kind: apps/v1 Deployment -> V1Deployment.
function clientTypeName(apiVersion, kind) {
  const [, version] = splitApiVersion(apiVersion);
  return version.charAt(0).toUpperCase() + version.slice(1) + kind;
}

// kustomize wraps long base64 values in Secret data at 70 columns. The API server decodes
// them with Go's base64 decoder, which ignores \r and \n; the "byte" format check does not,
// so drop line breaks first, as the server would.
function unwrapBase64(obj) {
  for (const field of obj.kind === "Secret" ? ["data"] : obj.kind === "ConfigMap" ? ["binaryData"] : []) {
    if (obj[field] && typeof obj[field] === "object") {
      for (const [k, v] of Object.entries(obj[field])) {
        if (typeof v === "string") obj[field][k] = v.replace(/[\r\n]/g, "");
      }
    }
  }
}

// The schema errors of one object; empty when it is valid.
export function validateObject(obj) {
  const errors = [];
  if (!obj || typeof obj !== "object" || !obj.apiVersion || !obj.kind) {
    return ["not a Kubernetes object (no apiVersion/kind)"];
  }
  unwrapBase64(obj);
  const Model = modelClass(obj.apiVersion, obj.kind);
  if (!Model) return [`no schema for ${obj.apiVersion} ${obj.kind}`];
  try {
    new Model(obj).validate();
  } catch (e) {
    errors.push(String(e.message ?? e).replace(/\s+/g, " "));
  }
  const typeName = clientTypeName(obj.apiVersion, obj.kind);
  if (!clientModels[typeName]) {
    errors.push(`no field list for ${typeName}`);
  } else {
    for (const p of unknownFields(obj, typeName, "", [])) errors.push(`unknown field ${p.slice(1)}`);
  }
  return errors;
}
