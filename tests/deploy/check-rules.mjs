// Checks metrocap's deployment rules (rules.mjs) on one rendered overlay.
// Usage: node check-rules.mjs OVERLAY RENDERED.yaml   (OVERLAY: base, dev or prod)
// Prints every broken rule; exit status 1 if any.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { checkRules } from "./rules.mjs";

const [overlay, file] = process.argv.slice(2);
if (!overlay || !file) {
  console.error("usage: node check-rules.mjs OVERLAY RENDERED.yaml");
  process.exit(2);
}
const objects = parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS()).filter(Boolean);
const problems = checkRules(objects, overlay);
for (const p of problems) console.log(`FAIL ${overlay}: [${p.rule}] ${p.object}: ${p.message}`);
console.log(`rules(${overlay}): ${objects.length} objects, ${problems.length} problems`);
process.exit(problems.length ? 1 : 0);
