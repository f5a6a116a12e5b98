// Compare: several organisations' latest validated scores per capacity, side by side and
// against the network mean (CompareAssessments, once for the chosen ones and once for the
// whole network).
import { get } from '../api.js';
import { barChart, COLOURS, removeChart } from '../charts.js';
import { el, hashParams, idOf, notice, number, replace, setHashParams, table } from '../dom.js';
import { organisationNames } from './common.js';
import { chosenFramework, frameworkPicker } from './assessment.js';

export async function render(root) {
  const { frameworks, framework } = await chosenFramework();
  root.append(el('h1', {}, 'Compare assessments'));
  if (!framework) {
    root.append(notice('info', 'No published framework', 'Publish a framework, then validate assessments against it.'));
    return;
  }
  const network = await get(`/v1/${framework.name}:compare`);
  const assessed = (network.organisations || []).map((r) => r.organisation);
  const nameOf = await organisationNames(assessed);
  assessed.sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  const asked = (hashParams().get('organisations') || '').split(',').filter(Boolean).map((id) => `organisations/${id}`);
  const chosen = new Set(asked.length ? asked : assessed);

  const result = el('div', {});
  const boxes = assessed.map((name) => {
    const id = `cmp-${idOf(name)}`;
    const box = el('input', { type: 'checkbox', id, value: name, checked: chosen.has(name) });
    return el('div', { class: 'check' }, box, el('label', { for: id }, nameOf(name)));
  });
  const form = el('form', {
    class: 'filters',
    onsubmit: (e) => { e.preventDefault(); show(); },
  },
  el('fieldset', {}, el('legend', {}, 'Organisations to compare'), boxes),
  frameworkPicker(frameworks, framework, (f) => { location.hash = `#/compare?framework=${encodeURIComponent(f)}`; }),
  el('button', { type: 'submit' }, 'Compare'));

  let chart = null;
  async function show() {
    removeChart(chart);
    chart = null;
    replace(result, el('p', { class: 'loading' }, 'Loading…'));
    const names = [...form.querySelectorAll('input[type=checkbox]:checked')].map((b) => b.value);
    setHashParams('compare', {
      organisations: names.length === assessed.length ? '' : names.map(idOf).join(','),
      framework: framework.name === 'frameworks/micad' ? '' : framework.name,
    });
    if (names.length === 0) {
      replace(result, notice('info', 'Choose at least one organisation'));
      return;
    }
    const comparison = await get(`/v1/${framework.name}:compare`, { organisations: names });
    const rows = comparison.organisations || [];
    const capacities = framework.capacities || [];
    const meanOf = new Map((network.capacities || []).map((c) => [c.capacity, c.networkMean || 0]));
    const scoreOf = (row, capacity) => {
      const s = (row.capacityScores || []).find((x) => x.capacity === capacity);
      return s ? s.score || 0 : null;
    };
    const datasets = rows.map((row, i) => ({
      label: nameOf(row.organisation),
      data: capacities.map((c) => scoreOf(row, c.id)),
      colour: COLOURS[i % COLOURS.length],
    }));
    datasets.push({ label: 'Network mean', data: capacities.map((c) => meanOf.get(c.id) ?? null), colour: '#8c8c8c' });
    const chartBox = el('section', { class: 'panel', 'aria-labelledby': 'cmp-title' },
      el('h2', { id: 'cmp-title' }, 'Scores per capacity'));
    replace(result,
      chartBox,
      (comparison.unassessedOrganisations || []).length
        ? notice('info', 'Not assessed', `${comparison.unassessedOrganisations.map(nameOf).join(', ')}: no validated assessment.`) : null,
      el('section', { class: 'panel' },
        el('h2', {}, 'The scores as a table'),
        table(`Scores per capacity of the chosen organisations and the network mean (scale ${framework.scaleMin}–${framework.scaleMax})`, [
          { label: 'Capacity', cell: (c) => c.displayName },
          ...rows.map((row) => ({ label: nameOf(row.organisation), numeric: true, cell: (c) => { const v = scoreOf(row, c.id); return v === null ? '—' : number(v); } })),
          { label: 'Network mean', numeric: true, cell: (c) => (meanOf.has(c.id) ? number(meanOf.get(c.id)) : '—') },
        ], capacities)));
    const description = `Bar chart of scores per capacity for ${rows.map((r) => nameOf(r.organisation)).join(', ')} and the network mean`;
    chart = barChart(chartBox, description, capacities.map((c) => c.displayName), datasets, { max: framework.scaleMax || 5 });
  }

  root.append(form, result);
  await show();
}
