// The console's shell: the API key screen, the navigation and a router over the location
// hash ("#/members?region=regions/europe"): each page is a module that renders into <main>.
import { ApiError, apiKey, forgetApiKey, get, headline, setApiKey } from './api.js';
import { destroyCharts } from './charts.js';
import { el, notice, replace } from './dom.js';
import * as assessment from './pages/assessment.js';
import * as board from './pages/board.js';
import * as compare from './pages/compare.js';
import * as hubs from './pages/hubs.js';
import * as members from './pages/members.js';
import * as organisation from './pages/organisation.js';
import * as plan from './pages/plan.js';
import * as report from './pages/report.js';
import * as roadmap from './pages/roadmap.js';
import * as roadmaps from './pages/roadmaps.js';

const PAGES = {
  members,
  organisations: organisation,
  board,
  assessment,
  compare,
  // "#/roadmaps" lists them; "#/roadmaps/{organisation}/{roadmap}" is one.
  roadmaps: { render: (root, args) => (args.length >= 2 ? roadmap : roadmaps).render(root, args) },
  plans: plan,
  hubs,
  report,
};

// The navigation entry a page belongs under.
const SECTION = { organisations: 'members', plans: 'roadmaps' };

const view = document.getElementById('view');

function route() {
  const hash = (location.hash || '').replace(/^#\/?/, '');
  const path = hash.split('?')[0];
  const [page, ...rest] = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { page: PAGES[page] ? page : 'members', args: rest };
}

function showKeyStatus() {
  const status = document.getElementById('key-status');
  if (!apiKey()) return replace(status, el('span', {}, 'No API key'));
  replace(status,
    el('span', {}, 'API key set for this tab'),
    el('button', {
      type: 'button',
      class: 'link',
      onclick: () => {
        forgetApiKey();
        render();
      },
    }, 'Forget key'));
}

// The screen for a missing (no error), refused (401) or under-privileged (403) key.
function keyScreen(error) {
  destroyCharts();
  showKeyStatus();
  let message;
  if (!error) {
    message = notice('info', 'Paste an API key to start',
      'The console calls the metrocap REST API with your key. It is kept in this browser ' +
      'tab only (session storage) and sent in the Authorization header, never in a URL.',
      'After bash scripts/run.sh, the demo key is in var/demo-api-key.');
  } else if (error.status === 401) {
    message = notice('error', 'The gateway did not accept this key (401)',
      'It is unknown, mistyped, or has been revoked. Paste a valid key.', error.message);
  } else {
    message = notice('error', 'This key may not see this page (403)',
      'The key is valid, but its partner\'s role or grants do not cover what this page ' +
      'shows. Use an ADMIN key, or a key granted these organisations.', error.message);
  }
  const input = el('input', {
    id: 'api-key', type: 'password', name: 'api-key', autocomplete: 'off',
    spellcheck: 'false', required: true, 'aria-describedby': 'api-key-hint',
  });
  const feedback = el('div', { id: 'key-feedback' });
  const form = el('form', {
    class: 'key-form',
    onsubmit: async (event) => {
      event.preventDefault();
      if (!input.value.trim()) return;
      setApiKey(input.value);
      try {
        await get('/v1/regions', { pageSize: 1 });
        render();
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) forgetApiKey();
        replace(feedback, notice('error', headline(e), e.message));
      }
    },
  },
  el('div', { class: 'field' },
    el('label', { for: 'api-key' }, 'API key'),
    input,
    el('span', { class: 'hint', id: 'api-key-hint' }, 'Kept in this tab until you close it.')),
  el('button', { type: 'submit' }, 'Use this key'),
  feedback);
  const actions = error && error.status === 403
    ? el('p', {}, el('a', { href: '#/members' }, 'Back to the members'))
    : null;
  replace(view, el('h1', {}, 'API key'), message, form, actions);
  input.focus();
}

let generation = 0;

// `navigated`: the user went to another page (focus moves to its content), rather than
// the console starting or a key being entered.
async function render(navigated = false) {
  const mine = ++generation;
  showKeyStatus();
  const { page, args } = route();
  for (const link of document.querySelectorAll('#nav a')) {
    const current = link.dataset.page === (SECTION[page] || page);
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (!apiKey()) return keyScreen(null);
  destroyCharts();
  replace(view, el('p', { class: 'loading' }, 'Loading…'));
  try {
    // A page renders into a detached node, shown when complete (and only if no later
    // navigation started meanwhile).
    const content = el('div', { class: 'page' });
    await PAGES[page].render(content, args);
    if (mine !== generation) return;
    replace(view, content);
    if (navigated) view.focus({ preventScroll: false });
  } catch (error) {
    if (mine !== generation) return;
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      if (error.status === 401) forgetApiKey();
      return keyScreen(error);
    }
    replace(view, notice('error', headline(error), error.message));
  }
}

window.addEventListener('hashchange', () => render(true));
if (!location.hash) history.replaceState(null, '', '#/members');
render();
