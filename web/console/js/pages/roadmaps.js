// Roadmaps: every organisation's transition roadmaps with their progress, late actions,
// indicators off track and the proposals waiting for a decision, as the roadmaps service
// computes them (as of today); the plans they refer to.
import { allOf, headline, listAll } from '../api.js';
import { barChart } from '../charts.js';
import { dateText, el, field, hashParams, idOf, notice, replace, select, setHashParams, table, words } from '../dom.js';
import { organisationNames, percentText, progressBar } from './common.js';

const KINDS = ['CLIMATE', 'DIGITAL', 'TWIN'];
const STATES = ['DRAFT', 'ACTIVE', 'ARCHIVED'];

// "#/roadmaps/milan/twin-transition" for organisations/milan/roadmaps/twin-transition.
export function roadmapHref(name) {
  const [, organisation, , roadmap] = name.split('/');
  return `#/roadmaps/${encodeURIComponent(organisation)}/${encodeURIComponent(roadmap)}`;
}

export function planHref(name, code) {
  return `#/plans/${encodeURIComponent(idOf(name))}${code ? `?code=${encodeURIComponent(code)}` : ''}`;
}

export async function render(root) {
  const params = hashParams();
  const criteria = { kind: params.get('kind') || '', state: params.get('state') || '' };
  const controls = {
    kind: select('r-kind', [['', 'Any kind'], ...KINDS.map((k) => [k, words(k)])], criteria.kind),
    state: select('r-state', [['', 'Any state'], ...STATES.map((s) => [s, words(s)])], criteria.state),
  };
  const results = el('div', {});
  const show = async () => {
    const filter = allOf(criteria.kind ? `kind = ${criteria.kind}` : '', criteria.state ? `state = ${criteria.state}` : '');
    const [roadmaps, proposals] = await Promise.all([
      listAll('/v1/organisations/-/roadmaps', 'roadmaps', { filter, orderBy: 'organisation' }),
      listAll('/v1/organisations/-/roadmaps/-/proposals', 'proposals', { filter: 'state = OPEN' }),
    ]);
    const open = new Map();
    for (const p of proposals) open.set(p.roadmap, (open.get(p.roadmap) || 0) + 1);
    const nameOf = await organisationNames(roadmaps.map((r) => r.organisation));
    roadmaps.sort((a, b) => nameOf(a.organisation).localeCompare(nameOf(b.organisation)) || a.displayName.localeCompare(b.displayName));
    const offTrack = (r) => (r.indicators || []).filter((i) => i.offTrack).length;
    const asOf = roadmaps.length ? roadmaps[0].asOf : null;
    const chartBox = el('section', { class: 'panel', 'aria-labelledby': 'progress-title' },
      el('h2', { id: 'progress-title' }, 'Progress per roadmap'));
    replace(results,
      el('p', { class: 'summary', id: 'roadmaps-summary' },
        `${roadmaps.length} roadmap${roadmaps.length === 1 ? '' : 's'}, ${proposals.length} proposal${proposals.length === 1 ? '' : 's'} waiting` +
        (asOf ? `; lateness judged as of ${dateText(asOf)}.` : '.')),
      el('section', { class: 'panel', 'aria-labelledby': 'list-title' },
        el('h2', { id: 'list-title' }, 'Roadmaps'),
        table('Roadmaps by organisation, with their progress and timeliness', [
          { label: 'Organisation', cell: (r) => el('a', { href: `#/organisations/${encodeURIComponent(idOf(r.organisation))}` }, nameOf(r.organisation)) },
          { label: 'Roadmap', cell: (r) => el('a', { href: roadmapHref(r.name) }, r.displayName) },
          { label: 'Kind', cell: (r) => words(r.kind) },
          { label: 'State', cell: (r) => words(r.state) },
          { label: 'Progress', cell: (r) => progressBar(r.progressPercent, `Progress of ${r.displayName}`) },
          { label: 'Late actions', numeric: true, cell: (r) => String(r.lateActionCount || 0) },
          { label: 'Indicators off track', numeric: true, cell: (r) => `${offTrack(r)} of ${(r.indicators || []).length}` },
          { label: 'Proposals waiting', numeric: true, cell: (r) => String(open.get(r.name) || 0) },
          { label: 'Revision', numeric: true, cell: (r) => String(r.revision || '') },
        ], roadmaps, { empty: 'No roadmap matches.' })),
      roadmaps.length ? chartBox : null);
    if (roadmaps.length) {
      barChart(chartBox, 'Progress per roadmap, percent: ' + roadmaps.map((r) => `${nameOf(r.organisation)} ${percentText(r.progressPercent)}`).join('; '),
        roadmaps.map((r) => nameOf(r.organisation)),
        [{ label: 'Progress (%)', data: roadmaps.map((r) => (r.progressPercent === undefined ? null : r.progressPercent)) }],
        { horizontal: true, max: 100 });
    }
  };
  for (const [k, control] of Object.entries(controls)) {
    control.addEventListener('change', () => {
      criteria[k] = control.value;
      setHashParams('roadmaps', criteria);
      show().catch((error) => replace(results, notice('error', headline(error), error.message)));
    });
  }
  const plans = await listAll('/v1/plans', 'plans', { orderBy: 'displayName' });
  root.append(el('h1', {}, 'Roadmaps'),
    el('form', { class: 'filters', onsubmit: (e) => e.preventDefault() },
      field('Kind', controls.kind), field('State', controls.state)),
    results,
    el('section', { class: 'panel', 'aria-labelledby': 'plans-title' },
      el('h2', { id: 'plans-title' }, 'Plans'),
      table('Strategic action plans, with their codes', [
        { label: 'Plan', cell: (p) => el('a', { href: planHref(p.name) }, p.displayName) },
        { label: 'Action lines', numeric: true, cell: (p) => String((p.actionLines || []).length) },
        { label: 'Taxonomy', cell: (p) => (p.taxonomy ? idOf(p.taxonomy) : '—') },
      ], plans, { empty: 'No plan yet.' })));
  await show();
}
