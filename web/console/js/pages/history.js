// A roadmap's history on its page: the revision proposals waiting (accept or decline, for
// an ADMIN key or a PARTNER granted the organisation: the service decides and the console
// shows its refusal in words), the decided ones, the revisions (BASIC view, newest first,
// with :compareRevisions between any two) and :trace, the chain from each accepted
// proposal back to the insight and the session or pilot it came from.
import { get, headline, listAll, post, requestId } from '../api.js';
import { el, field, idOf, notice, replace, table, words } from '../dom.js';
import { refusalNotice } from './common.js';

const PAGE = 20;
const LABELS = { note: 'Note', etag: 'The roadmap (changed meanwhile: reload the page)' };

const when = (time) => (time || '').replace('T', ' ').slice(0, 16);
const fields = (list) => el('span', { class: 'codes' }, (list || []).join(', ') || '—');

function origin(o) {
  if (!o || !o.name) return '—';
  return el('span', {}, o.title || o.name, el('span', { class: 'hint' }, ` (${o.name})`));
}

// One open proposal with its accept and decline forms; `decided(message)` re-renders the
// page after a decision.
function proposalCard(roadmap, proposal, decided) {
  const id = idOf(proposal.name);
  const feedback = el('div', { class: 'feedback', id: `feedback-${id}` });
  const note = el('input', { id: `note-${id}`, type: 'text', maxlength: 500, 'aria-describedby': `note-${id}-hint` });
  const controls = { note };
  async function act(verb, body, done) {
    replace(feedback, el('p', { class: 'loading' }, 'Sending…'));
    try {
      await post(`/v1/${proposal.name}:${verb}`, { requestId: requestId(), note: note.value, ...body });
    } catch (error) {
      replace(feedback, refusalNotice(error, LABELS, controls));
      feedback.querySelector('.notice').focus();
      return;
    }
    decided(done);
  }
  return el('article', { class: 'card', 'aria-labelledby': `proposal-${id}` },
    el('h3', { id: `proposal-${id}` }, proposal.summary || id),
    el('p', { class: 'meta' }, `Proposed ${when(proposal.createTime)}`,
      proposal.proposedBy ? ` by ${idOf(proposal.proposedBy)}` : '',
      (proposal.capacities || []).length ? ` · capacities ${proposal.capacities.join(', ')}` : ''),
    el('p', {}, 'From ', proposal.source ? [el('span', { class: 'codes' }, proposal.source), ', raised at ', origin(proposal.origin)] : 'an administrator (no insight)', '.'),
    el('form', {
      class: 'decision',
      'aria-label': `Decide on the proposal ${proposal.summary}`,
      onsubmit: (e) => {
        e.preventDefault();
        act('accept', { etag: roadmap.etag }, `The proposal "${proposal.summary}" is accepted.`);
      },
    },
    field('Note', note, 'Required to decline; kept with the decision.'),
    el('button', { type: 'submit' }, 'Accept'),
    el('button', {
      type: 'button',
      class: 'danger',
      onclick: () => act('decline', {}, `The proposal "${proposal.summary}" is declined; the roadmap is unchanged.`),
    }, 'Decline')),
    feedback);
}

function proposalsSection(roadmap, proposals, decided) {
  const open = proposals.filter((p) => p.state === 'OPEN');
  const closed = proposals.filter((p) => p.state !== 'OPEN');
  return el('section', { class: 'panel', 'aria-labelledby': 'proposals-title' },
    el('h2', { id: 'proposals-title' }, `Revision proposals waiting (${open.length})`),
    open.length ? el('ul', { class: 'cards' }, open.map((p) => el('li', {}, proposalCard(roadmap, p, decided))))
      : el('p', { class: 'empty' }, 'No proposal is waiting.'),
    closed.length ? el('h3', {}, 'Decided') : null,
    closed.length ? table('Decided revision proposals', [
      { label: 'Proposal', cell: (p) => p.summary || idOf(p.name) },
      { label: 'Decision', cell: (p) => `${words(p.state)}${p.acceptedRevision ? ` → revision ${p.acceptedRevision}` : ''}` },
      { label: 'When', nowrap: true, cell: (p) => when(p.decideTime) },
      { label: 'By', cell: (p) => idOf(p.decidedBy) },
      { label: 'Note', cell: (p) => p.decisionNote || '' },
    ], closed) : null);
}

// The revisions, a page at a time (BASIC: no snapshots), and a compare form.
function revisionsSection(roadmap) {
  const section = el('section', { class: 'panel', 'aria-labelledby': 'revisions-title' });
  const list = el('div', {});
  const tokens = [];
  let token = '';
  async function showPage() {
    replace(list, el('p', { class: 'loading' }, 'Loading…'));
    try {
      const response = await get(`/v1/${roadmap.name}:listRevisions`, { view: 'BASIC', pageSize: PAGE, pageToken: token });
      const revisions = response.revisions || [];
      const next = response.nextPageToken || '';
      replace(list,
        table('Revisions, newest first', [
          { label: 'Revision', numeric: true, cell: (r) => String(r.revision) },
          { label: 'When', nowrap: true, cell: (r) => when(r.updateTime) },
          { label: 'Author', cell: (r) => idOf(r.author) },
          { label: 'Changed fields', cell: (r) => (Number(r.revision) === 1 ? 'created' : fields(r.changedFields)) },
          { label: 'From proposal', cell: (r) => (r.proposal ? idOf(r.proposal) : '') },
        ], revisions, { empty: 'No revision.' }),
        tokens.length || next ? el('div', { class: 'pager' },
          el('button', { type: 'button', disabled: tokens.length === 0, onclick: () => { token = tokens.pop(); showPage(); } }, '← Newer'),
          el('button', { type: 'button', disabled: !next, onclick: () => { tokens.push(token); token = next; showPage(); } }, 'Older →')) : null);
    } catch (error) {
      replace(list, notice('error', headline(error), error.message));
    }
  }
  const latest = Number(roadmap.revision) || 1;
  const from = el('input', { id: 'compare-from', type: 'number', min: 1, max: latest, step: 1, value: Math.max(1, latest - 1) });
  const to = el('input', { id: 'compare-to', type: 'number', min: 1, max: latest, step: 1, value: latest });
  const result = el('div', { id: 'compare-result' });
  const compare = el('form', {
    class: 'inline',
    'aria-label': 'Compare two revisions',
    onsubmit: async (e) => {
      e.preventDefault();
      replace(result, el('p', { class: 'loading' }, 'Comparing…'));
      try {
        const diff = await get(`/v1/${roadmap.name}:compareRevisions`, { fromRevision: from.value, toRevision: to.value });
        const changed = diff.changedFields || [];
        replace(result, changed.length
          ? el('div', {}, el('p', {}, `${changed.length === 1 ? '1 field differs' : `${changed.length} fields differ`} between revisions ${diff.fromRevision} and ${diff.toRevision}:`),
            el('ul', { class: 'codes' }, changed.map((f) => el('li', {}, f))))
          : el('p', {}, `Revisions ${diff.fromRevision} and ${diff.toRevision} do not differ.`));
      } catch (error) {
        replace(result, refusalNotice(error, { fromRevision: 'From revision', toRevision: 'To revision' }, { fromRevision: from, toRevision: to }));
      }
    },
  }, field('From revision', from), field('To revision', to), el('button', { type: 'submit' }, 'Compare'));
  replace(section, el('h2', { id: 'revisions-title' }, 'Revisions'), list, el('h3', {}, 'What changed between two revisions'), compare, result);
  return { section, ready: showPage() };
}

function traceSection(trace) {
  return el('section', { class: 'panel', 'aria-labelledby': 'trace-title' },
    el('h2', { id: 'trace-title' }, 'Trace: where accepted changes came from'),
    el('p', { class: 'hint' }, 'Each accepted proposal, the insight it carried and the session or pilot the insight came from.'),
    table('Revisions that came from a proposal, oldest first', [
      { label: 'Revision', numeric: true, cell: (t) => String(t.revision) },
      { label: 'When', nowrap: true, cell: (t) => when(t.updateTime) },
      { label: 'Proposal', cell: (t) => t.summary || idOf(t.proposal) },
      { label: 'Insight', cell: (t) => (t.insight ? el('span', { class: 'codes' }, t.insight) : 'an administrator\'s own') },
      { label: 'Origin', cell: (t) => origin(t.origin) },
      { label: 'Changed fields', cell: (t) => fields(t.changedFields) },
    ], trace.entries || [], { empty: 'No revision came from a proposal yet.' }));
}

// Appends the history sections of `roadmap` to `root`; `decided(message)` is called after
// an accept or decline so that the page shows the roadmap as it now is.
export async function history(root, roadmap, decided) {
  const [proposals, trace] = await Promise.all([
    listAll(`/v1/${roadmap.name}/proposals`, 'proposals', { orderBy: 'createTime' }),
    get(`/v1/${roadmap.name}:trace`),
  ]);
  const revisions = revisionsSection(roadmap);
  root.append(proposalsSection(roadmap, proposals, decided), traceSection(trace), revisions.section);
  await revisions.ready;
}
