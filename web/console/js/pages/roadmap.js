// One roadmap: its progress explained (the progressBasis of the roadmap and of each
// objective, docs/roadmaps.md), the actions with their status, progress and lateness, the
// indicators charted against baseline, target and milestones, then its history
// (history.js: proposals waiting, revisions, trace). Every figure is the service's, as of
// the day it says (`asOf`); the page only lays them out.
import { get, headline } from '../api.js';
import { destroyCharts, timeChart } from '../charts.js';
import { dateText, el, idOf, notice, replace, table, words } from '../dom.js';
import { organisationNames, percentText, progressBar } from './common.js';
import { history } from './history.js';
import { planHref } from './roadmaps.js';

const REASONS = { CANCELLED: 'cancelled', NO_COUNTED_ACTIONS: 'no action counts' };

// An action's progress as the roll-up counts it: DONE counts as 100.
const actionProgress = (a) => (a.status === 'DONE' ? 100 : a.progressPercent || 0);

// "Mean of 2 counted actions: coordination 100 %, co-creation-platform 40 %. Left out:
// awareness-campaign (cancelled)." — the basis with the figure of each counted child.
function basisText(basis, what, figureOf) {
  const counted = (basis && basis.counted) || [];
  const excluded = (basis && basis.excluded) || [];
  const parts = [];
  parts.push(counted.length
    ? `Mean of ${counted.length} counted ${what}${counted.length === 1 ? '' : 's'}: ${counted.map((id) => `${id} ${percentText(figureOf(id))}`).join(', ')}.`
    : `No ${what} counts, so there is no figure.`);
  if (excluded.length) parts.push(`Left out: ${excluded.map((x) => `${x.id} (${REASONS[x.reason] || words(x.reason)})`).join(', ')}.`);
  return parts.join(' ');
}

function codeLinks(plan, codes) {
  if (!codes || codes.length === 0) return '';
  return el('span', { class: 'codes' }, codes.map((code, i) => [i ? ', ' : '',
    plan ? el('a', { href: planHref(plan, code) }, code) : code]));
}

function objectiveSection(roadmap, objective, index) {
  const actions = objective.actions || [];
  const byId = new Map(actions.map((a) => [a.id, a]));
  const titleId = `objective-${index}`;
  return el('section', { class: 'panel objective', 'aria-labelledby': titleId },
    el('h3', { id: titleId }, objective.title || objective.id),
    el('p', {}, progressBar(objective.progressPercent, `Progress of the objective ${objective.title}`, 'no action counts'),
      ' ', objective.lateActionCount ? el('span', { class: 'badge late' }, `${objective.lateActionCount} late`) : null),
    el('p', { class: 'basis' }, basisText(objective.progressBasis, 'action', (id) => actionProgress(byId.get(id) || {}))),
    table(`Actions of the objective ${objective.title}`, [
      { label: 'Action', cell: (a) => el('span', {}, a.title || a.id, el('span', { class: 'hint' }, ` (${a.id})`)) },
      { label: 'Owner', cell: (a) => a.owner || '' },
      { label: 'Status', cell: (a) => words(a.status) },
      { label: 'Progress', cell: (a) => (a.status === 'CANCELLED' ? el('span', { class: 'hint' }, 'not counted') : progressBar(actionProgress(a), `Progress of ${a.title}`)) },
      { label: 'Due', nowrap: true, cell: (a) => el('span', {}, dateText(a.dueDate) || '—', ' ', a.late ? el('span', { class: 'badge late' }, 'Late') : null) },
      { label: 'Outcome codes', cell: (a) => codeLinks(roadmap.plan, a.outcomeCodes) },
      { label: 'Challenges', cell: (a) => el('span', { class: 'codes' }, (a.challengeCodes || []).join(', ')) },
    ], actions, { empty: 'No action yet.' }));
}

function indicatorSection(indicator, index) {
  const titleId = `indicator-${index}`;
  const unit = indicator.unit ? ` ${indicator.unit}` : '';
  const latest = indicator.latest;
  const judged = indicator.judgedMilestone;
  const rising = (indicator.target || 0) >= (indicator.baseline || 0);
  const box = el('section', { class: 'panel indicator', 'aria-labelledby': titleId },
    el('h3', { id: titleId }, indicator.displayName || indicator.id, ' ',
      indicator.offTrack ? el('span', { class: 'badge off' }, 'Off track') : null),
    el('dl', { class: 'stats' },
      [['Baseline', `${indicator.baseline || 0}${unit}`], ['Target', `${indicator.target || 0}${unit}`],
        ['Latest', latest ? `${latest.value || 0}${unit} (${dateText(latest.date)})` : '—'],
        ['Progress', percentText(indicator.progressPercent)]]
        .map(([k, v]) => el('div', {}, el('dt', {}, k), el('dd', {}, v)))),
    el('p', { class: 'basis' }, !latest ? 'No measurement yet: no progress figure, never off track.'
      : `${rising ? 'Should rise' : 'Should fall'} from ${indicator.baseline || 0} to ${indicator.target || 0}. ` +
        (judged
          ? `Judged against the milestone of ${dateText(judged.date)} (${judged.value || 0}${unit}): ${indicator.offTrack ? 'the latest value is on the wrong side of it' : 'on track'}.`
          : 'No milestone dated on or before the latest measurement: not judged.')));
  const measurements = indicator.measurements || [];
  const milestones = indicator.milestones || [];
  const series = [{ label: 'Measured', points: measurements.map((m) => ({ date: dateText(m.date), value: m.value || 0 })) }];
  if (milestones.length) series.push({ label: 'Milestones', dashed: true, points: milestones.map((m) => ({ date: dateText(m.date), value: m.value || 0 })) });
  series.push({ label: 'Baseline', flat: true, colour: '#595959', points: [{ value: indicator.baseline || 0 }] });
  series.push({ label: 'Target', flat: true, colour: '#009E73', points: [{ value: indicator.target || 0 }] });
  const dated = measurements.length + milestones.length > 0;
  return {
    box,
    draw() {
      if (!dated) return;
      timeChart(box, `${indicator.displayName}: measurements ${measurements.map((m) => `${dateText(m.date)} ${m.value || 0}`).join(', ') || 'none'}; ` +
        `milestones ${milestones.map((m) => `${dateText(m.date)} ${m.value || 0}`).join(', ') || 'none'}; baseline ${indicator.baseline || 0}, target ${indicator.target || 0}${unit}`,
      series, { unit: indicator.unit });
      box.append(table(`Measurements of ${indicator.displayName}`, [
        { label: 'Date', nowrap: true, cell: (m) => dateText(m.date) },
        { label: 'Value', numeric: true, cell: (m) => `${m.value || 0}${unit}` },
        { label: 'Source', cell: (m) => m.source || '' },
      ], measurements, { empty: 'No measurement yet.' }));
    },
  };
}

// `flash`: the outcome of a decision just made, shown above the page; `shown`: the node the
// page is on (root is a detached one while the page is drawn again).
export async function render(root, args, flash, shown = root) {
  const name = `organisations/${args[0] || ''}/roadmaps/${args[1] || ''}`;
  const roadmap = await get(`/v1/${name}`);
  // After a decision the page is drawn again from the service's answers.
  const decided = async (message) => {
    destroyCharts();
    replace(shown, el('p', { class: 'loading' }, 'Loading…'));
    const next = el('div', {});
    try {
      await render(next, args, notice('ok', message), shown);
    } catch (error) {
      replace(shown, notice('error', headline(error), error.message));
      return;
    }
    replace(shown, ...next.childNodes);
    shown.querySelector('.notice.ok').focus();
  };
  const nameOf = await organisationNames([roadmap.organisation]);
  const objectives = roadmap.objectives || [];
  const indicators = roadmap.indicators || [];
  const byId = new Map(objectives.map((o) => [o.id, o]));
  const offTrack = indicators.filter((i) => i.offTrack);
  const late = objectives.flatMap((o) => (o.actions || []).filter((a) => a.late));

  const facts = [
    ['Organisation', el('a', { href: `#/organisations/${encodeURIComponent(idOf(roadmap.organisation))}` }, nameOf(roadmap.organisation))],
    ['Kind', words(roadmap.kind)],
    ['State', words(roadmap.state)],
    ['Period', `${dateText(roadmap.startDate) || '?'} – ${dateText(roadmap.endDate) || '?'}`],
    ['Plan', roadmap.plan ? el('a', { href: planHref(roadmap.plan) }, idOf(roadmap.plan)) : '—'],
    ['Framework', roadmap.framework ? idOf(roadmap.framework) : '—'],
    ['Revision', String(roadmap.revision || '')],
  ];
  const summary = el('section', { class: 'panel', 'aria-labelledby': 'summary-title' },
    el('h2', { id: 'summary-title' }, `Progress as of ${dateText(roadmap.asOf)}`),
    el('p', { id: 'roadmap-progress' }, el('span', { class: 'progress big' },
      roadmap.progressPercent === undefined ? el('span', { class: 'hint' }, 'No figure: no objective counts.')
        : [el('progress', { max: 100, value: roadmap.progressPercent, 'aria-label': 'Progress of the roadmap' }),
          el('span', { class: 'figure' }, percentText(roadmap.progressPercent))])),
    el('p', { class: 'basis' }, basisText(roadmap.progressBasis, 'objective', (id) => (byId.get(id) || {}).progressPercent)),
    el('dl', { class: 'stats' },
      el('div', {}, el('dt', {}, 'Late actions'), el('dd', { id: 'late-count' }, String(roadmap.lateActionCount || 0))),
      el('div', {}, el('dt', {}, 'Indicators off track'), el('dd', { id: 'off-track-count' }, `${offTrack.length} of ${indicators.length}`))),
    late.length ? el('p', {}, 'Late: ', late.map((a, i) => [i ? ', ' : '', `${a.title} (due ${dateText(a.dueDate)}, ${words(a.status).toLowerCase()})`]), '.') : null,
    offTrack.length ? el('p', {}, 'Off track: ', offTrack.map((x) => x.displayName).join(', '), '.') : null,
    el('p', { class: 'hint' }, 'An action is late when it is neither done nor cancelled and its due date has passed; an indicator is off track when its latest measurement is on the wrong side of the latest milestone dated on or before it.'));

  const drawn = indicators.map(indicatorSection);
  replace(root,
    el('p', { class: 'crumbs' }, el('a', { href: '#/roadmaps' }, 'Roadmaps'), ' › ', roadmap.displayName),
    el('h1', {}, roadmap.displayName),
    flash || null,
    roadmap.description ? el('p', {}, roadmap.description) : null,
    el('div', { class: 'columns' },
      summary,
      el('section', { class: 'panel', 'aria-labelledby': 'facts-title' },
        el('h2', { id: 'facts-title' }, 'About it'),
        el('dl', { class: 'facts' }, facts.map(([k, v]) => [el('dt', {}, k), el('dd', {}, v)])))),
    el('section', { 'aria-labelledby': 'objectives-title' },
      el('h2', { id: 'objectives-title' }, 'Objectives and actions'),
      objectives.length ? objectives.map((o, i) => objectiveSection(roadmap, o, i)) : el('p', { class: 'empty' }, 'No objective yet.')),
    el('section', { 'aria-labelledby': 'indicators-title' },
      el('h2', { id: 'indicators-title' }, 'Indicators'),
      indicators.length ? el('div', { class: 'indicators' }, drawn.map((d) => d.box)) : el('p', { class: 'empty' }, 'No indicator yet.')));
  for (const d of drawn) d.draw();
  await history(root, roadmap, decided);
}
