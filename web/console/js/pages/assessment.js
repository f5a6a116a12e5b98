// Assessment: an organisation's latest validated profile against the network: a radar of
// the framework's capacities (its scores and the network mean, from CompareAssessments),
// confidence per capacity, learning needs and potentials, and the peers SuggestPeers
// proposes for each need.
import { get, listAll } from '../api.js';
import { radarChart } from '../charts.js';
import { dateText, el, field, hashParams, idOf, notice, number, replace, select, setHashParams, table, words } from '../dom.js';
import { organisationNames } from './common.js';

// The published frameworks, and the one chosen (?framework=, else MICAD, else the first).
export async function chosenFramework() {
  const frameworks = await listAll('/v1/frameworks', 'frameworks', { filter: 'state = PUBLISHED' });
  const wanted = hashParams().get('framework');
  const framework = frameworks.find((f) => f.name === wanted) ||
    frameworks.find((f) => f.name === 'frameworks/micad') || frameworks[0];
  return { frameworks, framework };
}

export function frameworkPicker(frameworks, framework, onChange) {
  if (frameworks.length < 2) return null;
  const control = select('framework', frameworks.map((f) => [f.name, `${f.displayName} ${f.version || ''}`]), framework.name);
  control.addEventListener('change', () => onChange(control.value));
  return field('Framework', control);
}

export async function render(root, args) {
  const { frameworks, framework } = await chosenFramework();
  if (!framework) {
    root.append(el('h1', {}, 'Assessment'), notice('info', 'No published framework', 'Publish a framework, then validate assessments against it.'));
    return;
  }
  // The whole network: every organisation's latest validated assessment and the means.
  const network = await get(`/v1/${framework.name}:compare`);
  const rows = network.organisations || [];
  const nameOf = await organisationNames(rows.map((r) => r.organisation));
  rows.sort((a, b) => nameOf(a.organisation).localeCompare(nameOf(b.organisation)));
  const wanted = args[0] ? `organisations/${args[0]}` : '';
  const row = rows.find((r) => r.organisation === wanted) || (wanted ? null : rows[0]);

  const go = (organisation, frameworkName) => {
    location.hash = `#/assessment/${encodeURIComponent(idOf(organisation))}` +
      (frameworkName && frameworkName !== 'frameworks/micad' ? `?framework=${encodeURIComponent(frameworkName)}` : '');
  };
  const picker = select('organisation', rows.map((r) => [r.organisation, nameOf(r.organisation)]), row ? row.organisation : '');
  picker.addEventListener('change', () => go(picker.value, framework.name));
  root.append(el('h1', {}, 'Assessment'),
    el('form', { class: 'filters', onsubmit: (e) => e.preventDefault() },
      field('Organisation', picker, `${rows.length} with a validated assessment you may read`),
      frameworkPicker(frameworks, framework, (f) => go(row ? row.organisation : '', f))));
  if (!row) {
    root.append(notice('info', 'No validated assessment',
      wanted ? `${wanted} has no validated ${framework.displayName} assessment that your key may read.` : 'No organisation has a validated assessment yet.'));
    return;
  }
  setHashParams(`assessment/${encodeURIComponent(idOf(row.organisation))}`, { framework: framework.name === 'frameworks/micad' ? '' : framework.name });

  const [assessment, peers] = await Promise.all([
    get(`/v1/${row.assessment}`),
    get(`/v1/${row.assessment}:suggestPeers`),
  ]);
  const profile = assessment.profile || {};
  const capacities = framework.capacities || [];
  const capacityName = new Map(capacities.map((c) => [c.id, c.displayName]));
  const scoreOf = new Map((row.capacityScores || []).map((s) => [s.capacity, s]));
  const meanOf = new Map((network.capacities || []).map((c) => [c.capacity, c]));
  const profileScore = new Map((profile.capacityScores || []).map((s) => [s.capacity, s]));
  const peerNames = await organisationNames((peers.suggestions || []).flatMap((s) => (s.peers || []).map((p) => p.organisation)));
  const orgName = nameOf(row.organisation);

  const labels = capacities.map((c) => c.displayName);
  const scores = capacities.map((c) => (scoreOf.has(c.id) ? scoreOf.get(c.id).score || 0 : null));
  const means = capacities.map((c) => (meanOf.has(c.id) ? meanOf.get(c.id).networkMean || 0 : null));
  const chartBox = el('section', { class: 'panel radar', 'aria-labelledby': 'radar-title' },
    el('h2', { id: 'radar-title' }, `${orgName} against the network`),
    el('p', { class: 'hint' },
      `${assessment.displayName || idOf(assessment.name)} · ${words(assessment.state)} · period ${periodText(assessment)} · scale ${framework.scaleMin}–${framework.scaleMax}; ` +
      `the network mean is over the ${rows.length} organisations whose latest validated assessment you may read.`));
  const description = `Radar of ${capacities.length} capacities: ` +
    capacities.map((c, i) => `${c.displayName} ${scores[i] === null ? 'not scored' : number(scores[i])} (network ${means[i] === null ? '—' : number(means[i])})`).join('; ');

  const needThreshold = framework.needThreshold;
  const potentialThreshold = framework.potentialThreshold;
  root.append(el('div', { class: 'columns' },
    chartBox,
    el('section', { class: 'panel', 'aria-labelledby': 'scores-title' },
      el('h2', { id: 'scores-title' }, 'Capacity scores and confidence'),
      table(`Capacity scores of ${orgName}, with the network mean and the confidence of each`, [
        { label: 'Capacity', cell: (c) => c.displayName },
        { label: 'Score', numeric: true, cell: (c) => (scoreOf.has(c.id) ? number(scoreOf.get(c.id).score) : '—') },
        { label: 'Network mean', numeric: true, cell: (c) => (meanOf.has(c.id) ? number(meanOf.get(c.id).networkMean) : '—') },
        { label: 'Confidence', cell: (c) => confidenceText(profileScore.get(c.id)) },
      ], capacities),
      el('p', { class: 'hint' }, `A learning need is a capacity scored below ${needThreshold}; a potential one scored ${potentialThreshold} or more. Confidence: low with one kind of source, medium with two, high with three or more.`))));
  radarChart(chartBox, description, labels, [
    { label: orgName, data: scores },
    { label: 'Network mean', data: means, dashed: true },
  ], { min: framework.scaleMin || 0, max: framework.scaleMax || 5 });

  const suggestionOf = new Map((peers.suggestions || []).map((s) => [s.capacity, s.peers || []]));
  root.append(el('div', { class: 'columns' },
    el('section', { class: 'panel', 'aria-labelledby': 'needs-title' },
      el('h2', { id: 'needs-title' }, 'Learning needs and suggested peers'),
      table(`Learning needs of ${orgName}, largest gap first, with the peers that show a potential there`, [
        { label: 'Capacity', cell: (n) => capacityName.get(n.capacity) || n.capacity },
        { label: 'Gap', numeric: true, cell: (n) => number(n.gap) },
        {
          label: 'Suggested peers',
          cell: (n) => {
            const list = suggestionOf.get(n.capacity) || [];
            if (list.length === 0) return 'No peer shows a potential here.';
            return el('ul', { class: 'peers' }, list.map((p) => el('li', {},
              el('a', { href: `#/assessment/${encodeURIComponent(idOf(p.organisation))}` }, peerNames(p.organisation)),
              ` (${number(p.score)})`)));
          },
        },
      ], profile.learningNeeds || [], { empty: 'No learning need: every capacity is at or above the threshold.' }),
      (peers.withheldOrganisations || []).length
        ? el('p', { class: 'hint' }, `${peers.withheldOrganisations.length} organisation(s) with a validated assessment your key may not read were left out.`)
        : null),
    el('section', { class: 'panel', 'aria-labelledby': 'potentials-title' },
      el('h2', { id: 'potentials-title' }, 'Potentials'),
      table(`Potentials of ${orgName}`, [
        { label: 'Capacity', cell: (p) => capacityName.get(p.capacity) || p.capacity },
        { label: 'Score', numeric: true, cell: (p) => number(p.score) },
      ], profile.potentials || [], { empty: 'No capacity reaches the potential threshold.' }),
      el('ul', { class: 'links' },
        el('li', {}, el('a', { href: `#/organisations/${encodeURIComponent(idOf(row.organisation))}` }, `${orgName} in the members →`)),
        el('li', {}, el('a', { href: `#/compare?organisations=${encodeURIComponent(idOf(row.organisation))}` }, 'Compare it with others →'))))));
}

function periodText(assessment) {
  return `${dateText(assessment.periodStart) || '?'} – ${dateText(assessment.periodEnd) || '?'}`;
}

function confidenceText(score) {
  if (!score) return '—';
  return `${words(score.confidence)}: ${score.sourceCount || 0} source${score.sourceCount === 1 ? '' : 's'}, ${score.responseCount || 0} responses`;
}
