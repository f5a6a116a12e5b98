// A strategic action plan: its codes as a tree (action lines, actions, deliverables) with
// their titles, the challenges of its taxonomy, and a code looked up through the API
// (ResolvePlanCode: the code's title, level and path). `?code=L1A2` opens on that code.
import { get } from '../api.js';
import { dateText, el, field, hashParams, idOf, replace, setHashParams, table, words } from '../dom.js';
import { organisationNames, refusalNotice } from './common.js';

function entry(code, title, chosen) {
  return { attrs: { id: `code-${code}`, class: code === chosen ? 'chosen' : null }, body: el('span', { class: 'entry' }, el('span', { class: 'code' }, code), title) };
}

function tree(plan, chosen) {
  const item = (code, title, children) => {
    const e = entry(code, title, chosen);
    return el('li', e.attrs, e.body, children && children.length ? el('ul', {}, children) : null);
  };
  return el('ul', { class: 'tree', 'aria-label': `Codes of ${plan.displayName}` },
    (plan.actionLines || []).map((line) => item(line.code, line.title,
      (line.actions || []).map((action) => item(action.code, action.title,
        (action.deliverables || []).map((d) => item(d.code, d.title)))))));
}

export async function render(root, args) {
  const name = `plans/${args[0] || ''}`;
  const plan = await get(`/v1/${name}`);
  const taxonomy = plan.taxonomy ? await get(`/v1/${plan.taxonomy}`) : null;
  const nameOf = await organisationNames([plan.owner]);
  const chosen = (hashParams().get('code') || '').trim();

  const input = el('input', { id: 'code', name: 'code', value: chosen, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'code-hint' });
  const result = el('div', { id: 'code-result', 'aria-live': 'polite' });
  const lookUp = async (code) => {
    setHashParams(`plans/${encodeURIComponent(idOf(name))}`, { code });
    for (const li of root.querySelectorAll('.tree li.chosen')) li.classList.remove('chosen');
    if (!code) return replace(result);
    replace(result, el('p', { class: 'loading' }, 'Looking it up…'));
    try {
      const resolved = await get(`/v1/${name}/codes/${encodeURIComponent(code)}`);
      input.removeAttribute('aria-invalid');
      replace(result, el('p', {}, `${resolved.code}: ${resolved.title} (${words(resolved.level).toLowerCase()})`),
        el('ol', { class: 'path', 'aria-label': 'Its path from the action line' }, (resolved.path || []).map((step) =>
          el('li', {}, el('a', { href: `#code-${step.code}`, onclick: (e) => { e.preventDefault(); document.getElementById(`code-${step.code}`).scrollIntoView(); } }, step.code), ` ${step.title}`))));
      const li = root.querySelector(`#code-${CSS.escape(resolved.code)}`);
      if (li) li.classList.add('chosen');
    } catch (error) {
      replace(result, refusalNotice(error, { code: 'Code' }, { code: input }));
      input.setAttribute('aria-invalid', 'true');
    }
  };

  replace(root,
    el('p', { class: 'crumbs' }, el('a', { href: '#/roadmaps' }, 'Roadmaps'), ' › ', plan.displayName),
    el('h1', {}, plan.displayName),
    plan.description ? el('p', {}, plan.description) : null,
    el('dl', { class: 'facts' },
      el('dt', {}, 'Owner'), el('dd', {}, el('a', { href: `#/organisations/${encodeURIComponent(idOf(plan.owner))}` }, nameOf(plan.owner))),
      el('dt', {}, 'Period'), el('dd', {}, `${dateText(plan.startDate) || '?'} – ${dateText(plan.endDate) || '?'}`),
      el('dt', {}, 'Taxonomy'), el('dd', {}, taxonomy ? taxonomy.displayName : '—')),
    el('div', { class: 'columns' },
      el('section', { class: 'panel', 'aria-labelledby': 'codes-title' },
        el('h2', { id: 'codes-title' }, 'Action lines, actions and deliverables'),
        tree(plan, chosen)),
      el('div', {},
        el('section', { class: 'panel', 'aria-labelledby': 'lookup-title' },
          el('h2', { id: 'lookup-title' }, 'Look up a code'),
          el('form', { class: 'inline', onsubmit: (e) => { e.preventDefault(); lookUp(input.value.trim()); } },
            field('Code', input, 'An action line (L1), action (L1A2) or deliverable (L1A2D4).'),
            el('button', { type: 'submit' }, 'Look up')),
          result),
        taxonomy ? el('section', { class: 'panel', 'aria-labelledby': 'challenges-title' },
          el('h2', { id: 'challenges-title' }, 'Challenges'),
          table(`Themes and challenges of ${taxonomy.displayName}`, [
            { label: 'Code', cell: (c) => el('span', { class: 'codes' }, c.code) },
            { label: 'Title', cell: (c) => c.title },
          ], [...(taxonomy.themes || []), ...(taxonomy.challenges || [])].sort((a, b) => compareCodes(a.code, b.code)))) : null)));
  if (chosen) await lookUp(chosen);
}

// "2.3" before "2.10", a theme before its challenges.
function compareCodes(a, b) {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); ++i) {
    if ((x[i] || 0) !== (y[i] || 0)) return (x[i] || 0) - (y[i] || 0);
  }
  return x.length - y.length;
}
