// The progress report of a plan over a period (GenerateProgressReport,
// `POST /v1/{plan}:progressReport`, hubs): how many activities touched each action line,
// action, deliverable and challenge, which organisations took part (member engagement),
// in which formats and alliances; charts with the same numbers in tables, and the CSV the
// API renders for `Accept: text/csv`.
import { call, listAll, post } from '../api.js';
import { barChart } from '../charts.js';
import { dateObject, dateText, el, field, hashParams, idOf, notice, replace, select, setHashParams, table, words } from '../dom.js';
import { refusalNotice } from './common.js';
import { planHref } from './roadmaps.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TOP_ORGANISATIONS = 15;
let lastDownload = '';

// One section of the report: a chart and its table. `rows` are [{label, title, count}].
function part(id, title, caption, rows, { horizontal = true } = {}) {
  const box = el('section', { class: 'panel report-part', 'aria-labelledby': `${id}-title` },
    el('h2', { id: `${id}-title` }, title));
  return {
    box,
    draw() {
      if (rows.length === 0) {
        box.append(el('p', { class: 'empty' }, 'Nothing counted.'));
        return;
      }
      const chart = barChart(box, `${caption}: ${rows.map((r) => `${r.label} ${r.count}`).join(', ')}`,
        rows.map((r) => r.label), [{ label: 'Activities', data: rows.map((r) => r.count) }], { horizontal });
      // A bar per row needs the height.
      if (horizontal && rows.length > 10) chart.canvas.parentNode.classList.add('tall');
      box.append(el('details', {}, el('summary', {}, 'The numbers'),
        table(caption, [
          { label: 'Code', cell: (r) => el('span', { class: 'codes' }, r.label) },
          { label: 'Title', cell: (r) => r.title || '' },
          { label: 'Activities', numeric: true, cell: (r) => String(r.count) },
        ], rows)));
    },
  };
}

const count = (x) => Number(x.activityCount || 0);

export async function render(root) {
  const params = hashParams();
  const [plans, hubs] = await Promise.all([
    listAll('/v1/plans', 'plans', { orderBy: 'displayName' }),
    listAll('/v1/hubs', 'hubs', { orderBy: 'displayName' }),
  ]);
  root.append(el('h1', {}, 'Progress report'));
  if (plans.length === 0) {
    root.append(notice('info', 'No plan yet', 'The report counts activities against a strategic action plan.'));
    return;
  }
  const chosen = plans.find((p) => p.name === params.get('plan')) || plans[0];
  const wantedHubs = new Set((params.get('hubs') || '').split(',').filter(Boolean));
  const controls = {
    plan: select('rep-plan', plans.map((p) => [p.name, p.displayName]), chosen.name),
    startDate: el('input', { id: 'rep-from', type: 'date', required: true, value: params.get('from') || dateText(chosen.startDate) }),
    endDate: el('input', { id: 'rep-to', type: 'date', required: true, value: params.get('to') || dateText(chosen.endDate) }),
  };
  const hubBoxes = hubs.map((h) => el('input', { type: 'checkbox', id: `rep-hub-${idOf(h.name)}`, value: h.name, checked: wantedHubs.has(h.name) }));
  const labels = { plan: 'Plan', startDate: 'From', endDate: 'To', hubs: 'Hubs' };
  const result = el('div', { id: 'report' });
  const form = el('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); generate(); } },
    field('Plan', controls.plan), field('From', controls.startDate), field('To', controls.endDate),
    el('fieldset', {}, el('legend', {}, 'Hubs (none ticked: every hub)'),
      hubs.map((h, i) => el('span', { class: 'check' }, hubBoxes[i], el('label', { for: hubBoxes[i].id }, h.displayName)))),
    el('button', { type: 'submit' }, 'Show the report'));
  root.append(form, result);

  const request = () => ({
    startDate: dateObject(controls.startDate.value),
    endDate: dateObject(controls.endDate.value),
    hubs: hubBoxes.filter((b) => b.checked).map((b) => b.value),
  });

  async function generate() {
    if (!DATE.test(controls.startDate.value) || !DATE.test(controls.endDate.value)) {
      replace(result, notice('error', 'Choose the period', 'Both dates are needed: the report counts the activities that started from the first day to the last, both included.'));
      return;
    }
    const plan = controls.plan.value;
    const body = request();
    setHashParams('report', { plan, from: controls.startDate.value, to: controls.endDate.value, hubs: body.hubs.join(',') });
    replace(result, el('p', { class: 'loading' }, 'Counting…'));
    let report;
    try {
      report = await post(`/v1/${plan}:progressReport`, body);
    } catch (error) {
      replace(result, refusalNotice(error, labels, controls, null));
      return;
    }
    show(report, plan, body);
  }

  function show(report, plan, body) {
    const codeRows = (list) => (list || []).map((x) => ({ label: x.code, title: x.title, count: count(x) }));
    const organisations = (report.organisations || []).slice(0, TOP_ORGANISATIONS)
      .map((o) => ({ label: o.displayName || idOf(o.organisation), count: count(o) }));
    const parts = [
      part('lines', 'Per action line', 'Activities per action line', codeRows(report.actionLines), { horizontal: false }),
      part('actions', 'Per action', 'Activities per action', codeRows(report.actions), { horizontal: false }),
      part('deliverables', 'Per deliverable', 'Activities per deliverable', codeRows(report.deliverables)),
      part('challenges', 'Per challenge', 'Activities per challenge', codeRows(report.challenges)),
      part('organisations', `Member engagement (the ${organisations.length} most engaged of ${(report.organisations || []).length})`,
        'Activities per organisation, as participant or organiser', organisations),
      part('formats', 'Per format', 'Activities per format', (report.formats || []).map((f) => ({ label: words(f.format), count: count(f) })), { horizontal: false }),
      part('alliances', 'Per alliance', 'Activities per alliance', (report.alliances || []).map((a) => ({ label: a.name, count: count(a) }))),
    ];
    const csvFeedback = el('span', {});
    const download = el('button', {
      type: 'button',
      onclick: async () => {
        replace(csvFeedback);
        try {
          const csv = await call('POST', `/v1/${plan}:progressReport`, { body, accept: 'text/csv' });
          // The previous download's file is saved by now: its memory goes.
          if (lastDownload) URL.revokeObjectURL(lastDownload);
          lastDownload = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
          const link = el('a', {
            href: lastDownload,
            download: `progress-report-${idOf(plan)}-${controls.startDate.value}-${controls.endDate.value}.csv`,
          });
          document.body.append(link);
          link.click();
          link.remove();
        } catch (error) {
          replace(csvFeedback, refusalNotice(error, labels, {}, null));
        }
      },
    }, 'Download as CSV');
    replace(result,
      el('p', { class: 'summary', id: 'report-summary' },
        `${count(report)} activit${count(report) === 1 ? 'y' : 'ies'} counted for `,
        el('a', { href: planHref(plan) }, idOf(plan)),
        ` from ${controls.startDate.value} to ${controls.endDate.value}`,
        body.hubs.length ? ` in ${body.hubs.length} hub${body.hubs.length === 1 ? '' : 's'}.` : ' in every hub.'),
      el('p', {}, download, ' ', csvFeedback),
      el('div', { class: 'report-grid' }, parts.map((p) => p.box)));
    for (const p of parts) p.draw();
  }

  if (DATE.test(controls.startDate.value) && DATE.test(controls.endDate.value)) await generate();
}
