// Validates every object of rendered Kubernetes YAML streams against the Kubernetes API
// schemas (schemas.mjs). Usage: node validate-schemas.mjs FILE.yaml...
// Exit status 1 if any object fails.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { validateObject } from "./schemas.mjs";

let failed = 0;
let passed = 0;
for (const file of process.argv.slice(2)) {
  const docs = parseAllDocuments(readFileSync(file, "utf8"));
  for (const doc of docs) {
    if (doc.errors.length) {
      console.log(`FAIL ${file}: YAML: ${doc.errors[0].message}`);
      failed++;
      continue;
    }
    const obj = doc.toJS();
    if (obj === null) continue;
    const id = `${obj.kind ?? "?"}/${obj.metadata?.name ?? "?"}`;
    const errors = validateObject(obj);
    if (errors.length) {
      failed++;
      for (const e of errors) console.log(`FAIL ${file}: ${obj.apiVersion} ${id}: ${e}`);
    } else {
      passed++;
    }
  }
}
console.log(`schema: ${passed} objects valid, ${failed} invalid`);
process.exit(failed ? 1 : 0);
