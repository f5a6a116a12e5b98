// Members: the organisations by region and kind, filtered, sorted and paged by the API
// itself (filter, orderBy, pageToken), with the count per region as a chart.
import { allOf, get, headline, quote } from '../api.js';
import { barChart, removeChart } from '../charts.js';
import {
  dateText, el, field, hashParams, notice, replace, select, setHashParams, table, words,
} from '../dom.js';
import { KINDS, MEMBERSHIP_STATES, allRegions, rememberNames } from './common.js';

const SORTS = [
  ['displayName', 'Name, A to Z'],
  ['displayName desc', 'Name, Z to A'],
  ['population desc', 'Population, largest first'],
  ['population', 'Population, smallest first'],
  ['memberSince desc', 'Member since, newest first'],
];

// The smallest string greater than every string starting with `prefix`.
function afterPrefix(prefix) {
  const last = prefix.codePointAt(prefix.length - 1);
  return prefix.slice(0, -1) + String.fromCodePoint(last + 1);
}

// The API filter for the chosen criteria (`withRegion` false: all regions, for the chart).
function filterOf(criteria, withRegion = true) {
  const name = criteria.q.trim();
  return allOf(
    withRegion && criteria.region ? `region = ${quote(criteria.region)}` : '',
    criteria.kind ? `kind = ${criteria.kind}` : '',
    criteria.state ? `membershipState = ${criteria.state}` : '',
    criteria.country ? `countryCode = ${quote(criteria.country.trim().toUpperCase())}` : '',
    name ? `displayName >= ${quote(name)} AND displayName < ${quote(afterPrefix(name))}` : '');
}

export async function render(root) {
  const params = hashParams();
  const criteria = {
    region: params.get('region') || '',
    kind: params.get('kind') || '',
    state: params.get('state') || '',
    country: params.get('country') || '',
    q: params.get('q') || '',
    orderBy: params.get('orderBy') || 'displayName',
    pageSize: params.get('pageSize') || '25',
  };
  const regions = await allRegions();
  const regionLabel = new Map(regions.map((r) => [r.name, r.displayName]));

  const controls = {
    region: select('f-region', [['', 'All regions'], ...regions.map((r) => [r.name, r.displayName])], criteria.region),
    kind: select('f-kind', [['', 'All kinds'], ...KINDS.map((k) => [k, words(k)])], criteria.kind),
    state: select('f-state', [['', 'Any state'], ...MEMBERSHIP_STATES.map((s) => [s, words(s)])], criteria.state),
    country: el('input', { id: 'f-country', name: 'f-country', value: criteria.country, maxlength: 2, size: 3, autocomplete: 'off', 'aria-describedby': 'f-country-hint' }),
    q: el('input', { id: 'f-q', name: 'f-q', type: 'search', value: criteria.q, autocomplete: 'off', 'aria-describedby': 'f-q-hint' }),
    orderBy: select('f-order', SORTS, criteria.orderBy),
    pageSize: select('f-size', [['10', '10'], ['25', '25'], ['50', '50'], ['100', '100']], criteria.pageSize),
  };
  const results = el('section', { 'aria-labelledby': 'results-title' });
  const chartSection = el('section', { class: 'panel', 'aria-labelledby': 'chart-title' });

  // Page tokens of the pages before the current one, for "Previous".
  let tokens = [];
  let token = '';

  const apply = () => {
    for (const k of Object.keys(controls)) criteria[k] = controls[k].value;
    setHashParams('members', { ...criteria, orderBy: criteria.orderBy === 'displayName' ? '' : criteria.orderBy, pageSize: criteria.pageSize === '25' ? '' : criteria.pageSize });
    tokens = [];
    token = '';
    showPage();
    showChart();
  };

  // On the first load a refused key (401/403) goes up to the key screen.
  async function showPage(first = false) {
    replace(results, el('p', { class: 'loading' }, 'Loading…'));
    let response;
    try {
      response = await get('/v1/organisations', {
        filter: filterOf(criteria), orderBy: criteria.orderBy, pageSize: criteria.pageSize, pageToken: token,
      });
    } catch (error) {
      if (first && (error.status === 401 || error.status === 403)) throw error;
      replace(results, notice('error', headline(error), error.message));
      return;
    }
    const organisations = response.organisations || [];
    rememberNames(organisations);
    const total = response.totalSize || 0;
    const from = tokens.length * Number(criteria.pageSize) + 1;
    const summary = total === 0 ? 'No organisation matches.'
      : `${total} organisation${total === 1 ? '' : 's'} match; showing ${from}–${from + organisations.length - 1}.`;
    replace(results,
      el('h2', { id: 'results-title' }, 'Organisations'),
      el('p', { class: 'summary', role: 'status' }, summary),
      table('Organisations matching the filters', [
        { label: 'Name', cell: (o) => el('a', { href: `#/organisations/${encodeURIComponent(o.name.split('/')[1])}` }, o.displayName) },
        { label: 'Kind', cell: (o) => words(o.kind) },
        { label: 'Country', cell: (o) => o.countryCode || '' },
        { label: 'Region', cell: (o) => regionLabel.get(o.region) || o.region || '' },
        { label: 'Population', numeric: true, cell: (o) => (o.population ? Number(o.population).toLocaleString('en') : '') },
        { label: 'Membership', cell: (o) => words(o.membershipState) },
        { label: 'Member since', cell: (o) => dateText(o.memberSince) },
      ], organisations),
      el('div', { class: 'pager' },
        el('button', { type: 'button', disabled: tokens.length === 0, onclick: () => { token = tokens.pop(); showPage(); } }, '← Previous'),
        el('span', {}, `Page ${tokens.length + 1}`),
        el('button', { type: 'button', disabled: !response.nextPageToken, onclick: () => { tokens.push(token); token = response.nextPageToken; showPage(); } }, 'Next →')));
  }

  let chart = null;
  async function showChart() {
    removeChart(chart);
    chart = null;
    replace(chartSection, el('h2', { id: 'chart-title' }, 'Organisations per region'), el('p', { class: 'loading' }, 'Loading…'));
    let counts;
    try {
      const others = filterOf(criteria, false);
      counts = await Promise.all(regions.map(async (r) => {
        const response = await get('/v1/organisations', { filter: allOf(`region = ${quote(r.name)}`, others), pageSize: 1 });
        return response.totalSize || 0;
      }));
    } catch (error) {
      replace(chartSection, el('h2', { id: 'chart-title' }, 'Organisations per region'), notice('error', headline(error), error.message));
      return;
    }
    const labels = regions.map((r) => r.displayName);
    const description = `Organisations per region${criteria.kind ? `, ${words(criteria.kind)}` : ''}${criteria.state ? `, ${words(criteria.state)}` : ''}: ` +
      labels.map((l, i) => `${l} ${counts[i]}`).join(', ');
    replace(chartSection,
      el('h2', { id: 'chart-title' }, 'Organisations per region'),
      el('p', { class: 'hint' }, 'With the kind, state, country and name filters above; every region.'));
    chart = barChart(chartSection, description, labels, [{ label: 'Organisations', data: counts }], { horizontal: true });
    chartSection.append(el('details', {},
      el('summary', {}, 'The counts as a table'),
      table('Organisations per region', [
        { label: 'Region', cell: (row) => row[0] },
        { label: 'Organisations', numeric: true, cell: (row) => row[1] },
      ], labels.map((l, i) => [l, counts[i]]))));
  }

  const form = el('form', {
    class: 'filters',
    role: 'search',
    'aria-label': 'Filter the organisations',
    onsubmit: (event) => { event.preventDefault(); apply(); },
  },
  field('Region', controls.region),
  field('Kind', controls.kind),
  field('Membership', controls.state),
  field('Country code', controls.country, 'ISO, e.g. IT'),
  field('Name starts with', controls.q, 'Case-sensitive, e.g. Metro'),
  field('Sort by', controls.orderBy),
  field('Per page', controls.pageSize),
  el('button', { type: 'submit' }, 'Search'));
  for (const k of ['region', 'kind', 'state', 'orderBy', 'pageSize']) controls[k].addEventListener('change', apply);

  replace(root, el('h1', {}, 'Members'), form, el('div', { class: 'columns' }, results, chartSection));
  await Promise.all([showPage(true), showChart()]);
}
