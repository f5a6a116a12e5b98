// One organisation: its facts, parent and children, board seats (every term) and
// membership applications, with links onwards.
import { get, listAll, quote } from '../api.js';
import { dateText, el, idOf, table, today, words } from '../dom.js';
import { allRegions, organisationNames, rememberNames } from './common.js';

const orgLink = (name, label) =>
  el('a', { href: `#/organisations/${encodeURIComponent(idOf(name))}` }, label || name);

// As the service counts it: from termStart, until the day before termEnd.
export function seatIsActive(seat, on) {
  const start = dateText(seat.termStart);
  const end = dateText(seat.termEnd);
  return start <= on && (!end || end > on);
}

export async function render(root, args) {
  const name = `organisations/${args[0] || ''}`;
  const organisation = await get(`/v1/${name}`);
  const [children, seats, applications, regions] = await Promise.all([
    listAll('/v1/organisations', 'organisations', { filter: `parent = ${quote(name)}`, orderBy: 'displayName' }),
    listAll('/v1/boardSeats', 'boardSeats', { filter: `organisation = ${quote(name)}`, orderBy: 'termStart desc' }),
    listAll('/v1/applications', 'applications', { filter: `applicant = ${quote(name)}` }),
    allRegions(),
  ]);
  rememberNames(children);
  const nameOf = await organisationNames(organisation.parent ? [organisation.parent] : []);
  const region = regions.find((r) => r.name === organisation.region);
  const now = today();

  const facts = [
    ['Kind', words(organisation.kind)],
    ['Country', organisation.countryCode || '—'],
    ['Region', region ? region.displayName : (organisation.region || '—')],
    ['Population', organisation.population ? Number(organisation.population).toLocaleString('en') : '—'],
    ['Membership', words(organisation.membershipState) || '—'],
    ['Member since', dateText(organisation.memberSince) || '—'],
    ['Parent', organisation.parent ? orgLink(organisation.parent, nameOf(organisation.parent)) : '—'],
  ];
  root.append(
    el('p', { class: 'crumbs' }, el('a', { href: '#/members' }, 'Members'), ' › ', organisation.displayName),
    el('h1', {}, organisation.displayName),
    el('dl', { class: 'facts' }, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])),
    el('p', {}, el('a', { href: `#/assessment/${encodeURIComponent(idOf(name))}` }, 'Its assessment profile →')),
    el('section', { class: 'panel' },
      el('h2', {}, 'Organisations under it'),
      table(`Organisations whose parent is ${organisation.displayName}`, [
        { label: 'Name', cell: (o) => orgLink(o.name, o.displayName) },
        { label: 'Kind', cell: (o) => words(o.kind) },
        { label: 'Membership', cell: (o) => words(o.membershipState) },
      ], children, { empty: 'No organisation names it as parent.' })),
    el('section', { class: 'panel' },
      el('h2', {}, 'Board seats'),
      table(`Board seats held by ${organisation.displayName}, latest term first`, [
        { label: 'Person', cell: (s) => s.personName },
        { label: 'Title', cell: (s) => s.title || '' },
        { label: 'Role', cell: (s) => words(s.role) },
        { label: 'Term', nowrap: true, cell: (s) => `${dateText(s.termStart)} – ${dateText(s.termEnd) || 'open'}` },
        { label: 'Today', cell: (s) => (seatIsActive(s, now) ? 'Active' : 'Not active') },
      ], seats, { empty: 'It holds no board seat.' })),
    el('section', { class: 'panel' },
      el('h2', {}, 'Membership applications'),
      table(`Applications by ${organisation.displayName}`, [
        { label: 'Application', cell: (a) => idOf(a.name) },
        { label: 'State', cell: (a) => words(a.state) },
        { label: 'Submitted', cell: (a) => (a.submitTime || '').slice(0, 10) },
        { label: 'Form signed', cell: (a) => (a.formSignTime || '').slice(0, 10) },
        { label: 'Decision', cell: (a) => (a.decision ? `${dateText(a.decision.decisionDate)}: ${a.decision.votesFor || 0} for, ${a.decision.votesAgainst || 0} against` : '') },
      ], applications, { empty: 'It has made no application.' }),
      applications.length ? el('p', {}, el('a', { href: '#/board' }, 'Decide on applications on the Board page →')) : null));
}
