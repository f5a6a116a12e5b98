// What several pages share: the regions, organisation display names, enum lists.
import { get, listAll } from '../api.js';

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
