// The hubs' sessions across hubs, filtered by the API (`GET /v1/hubs/-/sessions` with a
// filter on format, startTime, participants and hub), on a timeline (sessions per month,
// stacked by format) and in a table.
import { allOf, headline, listAll, quote } from '../api.js';
import { barChart, removeChart } from '../charts.js';
import { el, field, hashParams, idOf, notice, replace, select, setHashParams, table, words } from '../dom.js';
import { organisationNames } from './common.js';

export const FORMATS = ['WEBINAR', 'TRAINING', 'PEER_LEARNING', 'LIVING_LAB', 'SCENARIO_EXERCISE', 'CONFERENCE',
  'CAMPAIGN', 'MEETING', 'PUBLICATION'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const SHOWN_PARTICIPANTS = 4;

// The day after "YYYY-MM-DD", so that a period's end day is included.
function dayAfter(text) {
  return new Date(Date.parse(`${text}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
}

export function sessionFilter({ format, from, to, participant, hub }) {
  return allOf(
    format ? `format = ${format}` : '',
    DATE.test(from) ? `startTime >= ${quote(`${from}T00:00:00Z`)}` : '',
    DATE.test(to) ? `startTime < ${quote(`${dayAfter(to)}T00:00:00Z`)}` : '',
    participant ? `participants:${quote(participant)}` : '',
    hub ? `hub = ${quote(hub)}` : '');
}

// Months from the first session's to the last's ("2022-01" …), each with its count per format.
function perMonth(sessions) {
  const dated = sessions.filter((s) => s.startTime);
  if (dated.length === 0) return { months: [], formats: [], counts: new Map() };
  const keys = dated.map((s) => s.startTime.slice(0, 7)).sort();
  const months = [];
  for (let [y, m] = keys[0].split('-').map(Number); `${y}-${String(m).padStart(2, '0')}` <= keys.at(-1);) {
    months.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) { m = 1; ++y; }
  }
  const counts = new Map();
  for (const s of dated) {
    const key = `${s.format}|${s.startTime.slice(0, 7)}`;
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  const formats = FORMATS.filter((f) => dated.some((s) => s.format === f));
  return { months, formats, counts };
}

// The sessions section of the hubs page; `hubs` are the Hub resources, `organisations`
// [name, displayName] pairs for the participant filter.
export async function sessionsSection(hubs, organisations) {
  const params = hashParams();
  const criteria = {
    format: params.get('format') || '', from: params.get('from') || '', to: params.get('to') || '',
    participant: params.get('participant') || '', hub: params.get('hub') || '',
  };
  const hubName = new Map(hubs.map((h) => [h.name, h.displayName]));
  const controls = {
    format: select('s-format', [['', 'Any format'], ...FORMATS.map((f) => [f, words(f)])], criteria.format),
    from: el('input', { id: 's-from', type: 'date', value: criteria.from }),
    to: el('input', { id: 's-to', type: 'date', value: criteria.to }),
    participant: select('s-participant', [['', 'Any organisation'], ...organisations], criteria.participant),
    hub: select('s-hub', [['', 'Every hub'], ...hubs.map((h) => [h.name, h.displayName])], criteria.hub),
  };
  const body = el('div', {});
  const section = el('section', { class: 'panel', 'aria-labelledby': 'sessions-title' },
    el('h2', { id: 'sessions-title' }, 'Sessions'),
    el('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); apply(); } },
      field('Format', controls.format), field('From', controls.from), field('To', controls.to),
      field('Participant', controls.participant), field('Hub', controls.hub),
      el('button', { type: 'submit' }, 'Show')),
    body);
  let chart = null;

  async function show() {
    replace(body, el('p', { class: 'loading' }, 'Loading…'));
    const listed = await listAll('/v1/hubs/-/sessions', 'sessions', { filter: sessionFilter(criteria), orderBy: 'startTime' });
    // Undated sessions (stored as 0) come first in startTime order: they go last.
    const sessions = [...listed.filter((s) => s.startTime), ...listed.filter((s) => !s.startTime)];
    const nameOf = await organisationNames(sessions.flatMap((s) => [...(s.participants || []), ...(s.organisers || [])]));
    const { months, formats, counts } = perMonth(sessions);
    const undated = sessions.filter((s) => !s.startTime).length;
    const timeline = el('div', { class: 'timeline' });
    replace(body,
      el('p', { class: 'summary', id: 'sessions-summary' },
        `${sessions.length} session${sessions.length === 1 ? '' : 's'} match` +
        (undated ? `, ${undated} of them undated (not on the timeline)` : '') + '.'),
      months.length ? timeline : null,
      table('Sessions, earliest first, undated ones last', [
        { label: 'Date', nowrap: true, cell: (s) => (s.startTime ? s.startTime.slice(0, 10) : 'undated') },
        { label: 'Title', cell: (s) => s.title },
        { label: 'Hub', cell: (s) => hubName.get(s.hub) || idOf(s.hub) },
        { label: 'Format', cell: (s) => words(s.format) },
        { label: 'Mode', cell: (s) => words(s.mode) },
        { label: 'Participants', cell: (s) => participantsText(s, nameOf) },
        { label: 'Outcome codes', cell: (s) => el('span', { class: 'codes' }, (s.outcomeCodes || []).join(', ')) },
      ], sessions, { empty: 'No session matches.' }));
    removeChart(chart);
    chart = null;
    if (months.length) {
      const inMonth = (m) => formats.reduce((n, f) => n + (counts.get(`${f}|${m}`) || 0), 0);
      chart = barChart(timeline, `Sessions per month by format (months without any left out): ${months.filter(inMonth).map((m) => `${m} ${inMonth(m)}`).join(', ')}`,
        months, formats.map((f) => ({ label: words(f), data: months.map((m) => counts.get(`${f}|${m}`) || 0) })), { stacked: true });
    }
  }

  function apply() {
    for (const k of Object.keys(controls)) criteria[k] = controls[k].value;
    setHashParams('hubs', criteria);
    show().catch((error) => replace(body, notice('error', headline(error), error.message)));
  }

  await show();
  return section;
}

function participantsText(session, nameOf) {
  const all = session.participants || [];
  if (all.length === 0) return '';
  const shown = all.slice(0, SHOWN_PARTICIPANTS).map(nameOf).join(', ');
  return all.length > SHOWN_PARTICIPANTS ? `${shown} and ${all.length - SHOWN_PARTICIPANTS} more` : shown;
}
