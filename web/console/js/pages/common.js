// What several pages share: the regions, organisation display names, enum lists, the
// wording of a refused write.
import { get, headline, listAll } from '../api.js';
import { el, notice } from '../dom.js';

export const KINDS = [
  'METROPOLITAN_AREA', 'CITY', 'MUNICIPALITY', 'UNION_OF_MUNICIPALITIES', 'PROVINCE',
  'REGIONAL_GOVERNMENT', 'NATIONAL_AGENCY', 'NETWORK', 'RESEARCH_INSTITUTION',
  'INTERNATIONAL_ORGANISATION', 'OTHER',
];
export const MEMBERSHIP_STATES = [
  'NON_MEMBER', 'APPLICANT', 'ACTIVE', 'SUSPENDED', 'LAPSED', 'WITHDRAWN',
];

// Every region, in name order.
export function allRegions() {
  return listAll('/v1/regions', 'regions', { orderBy: 'displayName' });
}

const displayNames = new Map();
// The display names of `names` (organisation resource names), fetched once each; a name
// the key may not read, or that does not exist, shows as itself.
export async function organisationNames(names) {
  await Promise.all([...new Set(names)].filter((n) => n && !displayNames.has(n)).map(async (n) => {
    try {
      displayNames.set(n, (await get(`/v1/${n}`)).displayName || n);
    } catch (e) {
      displayNames.set(n, n);
    }
  }));
  return (n) => displayNames.get(n) || n;
}

// Remembers display names a List already returned.
export function rememberNames(organisations) {
  for (const o of organisations) displayNames.set(o.name, o.displayName || o.name);
}

// The notice for a refused request: the reason in words, then each BadRequest field named
// by its form label (`labels`: field path -> label) or else the service's message, then
// `closing` (for a write, "Nothing was changed."). The controls (`controls`: field path ->
// input) of the fields named are marked invalid, the others cleared.
export function refusalNotice(error, labels = {}, controls = {}, closing = 'Nothing was changed.') {
  for (const c of Object.values(controls)) c.removeAttribute('aria-invalid');
  const fields = error.fields || [];
  for (const f of fields) if (controls[f.field]) controls[f.field].setAttribute('aria-invalid', 'true');
  const lines = fields.length ? fields.map((f) => `${labels[f.field] || f.field}: ${f.description}`) : [error.message];
  return notice('error', headline(error), ...lines, closing);
}

// A percentage as read ("26.25 %", "50 %"), or "—" when the service gave none (no counted
// action, no measurement). The service does not round; the console shows two decimals at
// most.
export function percentText(value) {
  if (value === undefined || value === null) return '—';
  return `${Number(value.toFixed(2))} %`;
}

// A progress bar with its figure beside it; without a figure, the reason in words.
export function progressBar(value, label, missing = 'no figure') {
  if (value === undefined || value === null) return el('span', { class: 'hint' }, `— (${missing})`);
  return el('span', { class: 'progress' },
    el('progress', { max: 100, value, 'aria-label': label }),
    el('span', { class: 'figure' }, percentText(value)));
}
