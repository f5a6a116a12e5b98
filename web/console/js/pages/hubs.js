// Hubs: the operational hubs, learning hubs and training institutes; their sessions on a
// timeline with filters (sessions.js); their pilots with their state; their insights with
// the delivery of each to its target roadmaps (as a revision proposal).
import { listAll } from '../api.js';
import { el, idOf, table, words } from '../dom.js';
import { rememberNames } from './common.js';
import { roadmapHref } from './roadmaps.js';
import { sessionsSection } from './sessions.js';

const orgLink = (name, nameOf) => el('a', { href: `#/organisations/${encodeURIComponent(idOf(name))}` }, nameOf(name));

// What became of a delivery: the proposal it made, or its attempts and last error.
function deliveryDetail(d) {
  if (d.state === 'DELIVERED') return d.proposal ? `as proposal ${idOf(d.proposal)}` : '';
  const tries = d.attempts ? `${d.attempts} attempt${d.attempts === 1 ? '' : 's'}` : 'not tried yet';
  return `${tries}${d.lastError ? `; last error: ${d.lastError}` : ''}`;
}

function deliveries(insight, orgName) {
  const list = insight.deliveries || [];
  if (insight.state !== 'PUBLISHED') return el('span', { class: 'hint' }, 'Not published: nothing to deliver');
  if (list.length === 0) return el('span', { class: 'hint' }, 'No target roadmap');
  const badge = { DELIVERED: 'ok', FAILED: 'off' };
  return el('ul', { class: 'peers' }, list.map((d) => el('li', {},
    el('a', { href: roadmapHref(d.roadmap) }, orgName(d.roadmap.split('/roadmaps/')[0])), ': ',
    el('span', { class: `badge ${badge[d.state] || ''}` }, words(d.state)), ' ', deliveryDetail(d))));
}

export async function render(root) {
  const [hubs, organisations, pilots, insights] = await Promise.all([
    listAll('/v1/hubs', 'hubs', { orderBy: 'displayName' }),
    listAll('/v1/organisations', 'organisations', { orderBy: 'displayName' }),
    listAll('/v1/hubs/-/pilots', 'pilots', { orderBy: 'title' }),
    listAll('/v1/hubs/-/insights', 'insights'),
  ]);
  rememberNames(organisations);
  const nameOf = new Map(organisations.map((o) => [o.name, o.displayName]));
  const orgName = (n) => nameOf.get(n) || n;
  const hubName = new Map(hubs.map((h) => [h.name, h.displayName]));
  const sessions = await sessionsSection(hubs, organisations.map((o) => [o.name, o.displayName]));

  root.append(el('h1', {}, 'Hubs'),
    el('p', {}, el('a', { href: '#/report' }, 'The progress report of a plan over a period →')),
    el('section', { class: 'panel', 'aria-labelledby': 'hubs-title' },
      el('h2', { id: 'hubs-title' }, 'Hubs'),
      table('Hubs, by name', [
        { label: 'Hub', cell: (h) => h.displayName },
        { label: 'Kind', cell: (h) => words(h.kind) },
        { label: 'Host', cell: (h) => orgLink(h.host, orgName) },
        { label: 'Themes', cell: (h) => (h.themes || []).join(', ') },
      ], hubs, { empty: 'No hub yet.' })),
    sessions,
    el('section', { class: 'panel', 'aria-labelledby': 'pilots-title' },
      el('h2', { id: 'pilots-title' }, 'Pilots'),
      table('Pilots, with their state', [
        { label: 'Pilot', cell: (p) => p.title },
        { label: 'Hub', cell: (p) => hubName.get(p.hub) || idOf(p.hub) },
        { label: 'Lead', cell: (p) => orgLink(p.lead, orgName) },
        { label: 'Partners', cell: (p) => (p.partners || []).map(orgName).join(', ') },
        { label: 'State', cell: (p) => words(p.state) },
        { label: 'Replicated by', cell: (p) => (p.replications || []).map(orgName).join(', ') },
      ], pilots, { empty: 'No pilot yet.' })),
    el('section', { class: 'panel', 'aria-labelledby': 'insights-title' },
      el('h2', { id: 'insights-title' }, 'Insights'),
      el('p', { class: 'hint' }, 'Publishing an insight raises a revision proposal on each of its target roadmaps; each delivery says whether that proposal reached roadmaps.'),
      table('Insights, with the delivery to each target roadmap', [
        { label: 'Insight', cell: (i) => i.summary },
        { label: 'Hub', cell: (i) => hubName.get(i.hub) || idOf(i.hub) },
        { label: 'From', cell: (i) => el('span', { class: 'codes' }, idOf(i.source)) },
        { label: 'State', cell: (i) => words(i.state) },
        { label: 'Deliveries', cell: (i) => deliveries(i, orgName) },
      ], insights, { empty: 'No insight yet.' })));
}
