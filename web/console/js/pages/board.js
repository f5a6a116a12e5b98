// Board: the seats active on a chosen date, and the applications waiting for a decision,
// with the quorum the board needs on the decision date and the admin's actions (sign the
// form, ratify with the votes, reject). The API decides; its errors are shown in words,
// next to the field they name.
import { get, headline, listAll, post, requestId } from '../api.js';
import { dateObject, dateText, el, field, hashParams, idOf, notice, replace, setHashParams, table, today, words } from '../dom.js';
import { allRegions, organisationNames, refusalNotice } from './common.js';

const ROLE_ORDER = ['PRESIDENCY', 'CO_PRESIDENCY', 'REGIONAL_VICE_PRESIDENCY', 'TREASURY', 'MEMBER', 'REGIONAL_SECRETARY'];
const WAITING = 'state != RATIFIED AND state != REJECTED AND state != WITHDRAWN';
const DATE = /^\d{4}-\d{2}-\d{2}$/;

// The voting seats (every role but regional secretary) active on `date`, as the service
// counts them for the quorum.
async function votingSeats(date) {
  const response = await get('/v1/boardSeats', { activeOn: date, filter: 'role != REGIONAL_SECRETARY', pageSize: 1 });
  return response.totalSize || 0;
}

export async function render(root) {
  const params = hashParams();
  let seatDate = DATE.test(params.get('date') || '') ? params.get('date') : today();
  let decisionDate = DATE.test(params.get('decision') || '') ? params.get('decision') : today();
  const regions = await allRegions();
  const regionLabel = new Map(regions.map((r) => [r.name, r.displayName]));
  const seatsSection = el('section', { class: 'panel', 'aria-labelledby': 'seats-title' });
  const appsSection = el('section', { class: 'panel', 'aria-labelledby': 'apps-title' });
  // A date input that, once it holds a whole date, keeps it in the hash and calls `changed`.
  const dateInput = (id, value, changed) => {
    const input = el('input', { id, type: 'date', value, required: true });
    input.addEventListener('change', () => {
      if (!DATE.test(input.value)) return;
      changed(input.value);
      setHashParams('board', { date: seatDate, decision: decisionDate });
    });
    return input;
  };

  async function showSeats(first = false) {
    const body = el('div', {}, el('p', { class: 'loading' }, 'Loading…'));
    const input = dateInput('seat-date', seatDate, (day) => {
      seatDate = day;
      showSeats();
    });
    replace(seatsSection, el('h2', { id: 'seats-title' }, 'Board seats'),
      el('form', { class: 'inline', onsubmit: (e) => e.preventDefault() }, field('Seats active on', input)), body);
    let seats;
    try {
      seats = await listAll('/v1/boardSeats', 'boardSeats', { activeOn: seatDate });
    } catch (error) {
      if (first && (error.status === 401 || error.status === 403)) throw error;
      replace(body, notice('error', headline(error), error.message));
      return;
    }
    seats.sort((a, b) => (regionLabel.get(a.region) || '').localeCompare(regionLabel.get(b.region) || '') ||
      ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.personName.localeCompare(b.personName));
    const nameOf = await organisationNames(seats.map((s) => s.organisation));
    const voting = seats.filter((s) => s.role !== 'REGIONAL_SECRETARY').length;
    replace(body,
      el('p', { class: 'summary', id: 'seat-summary' },
        `${seats.length} seat${seats.length === 1 ? '' : 's'} active on ${seatDate}, ${voting} of them voting (regional secretaries do not vote).`),
      table(`Board seats active on ${seatDate}, by region and role`, [
        { label: 'Region', cell: (s) => regionLabel.get(s.region) || s.region },
        { label: 'Role', cell: (s) => words(s.role) },
        { label: 'Person', cell: (s) => s.personName },
        { label: 'Title', cell: (s) => s.title || '' },
        { label: 'Organisation', cell: (s) => el('a', { href: `#/organisations/${encodeURIComponent(idOf(s.organisation))}` }, nameOf(s.organisation)) },
        { label: 'Term', nowrap: true, cell: (s) => `${dateText(s.termStart)} – ${dateText(s.termEnd) || 'open'}` },
      ], seats, { empty: 'No seat is active on that date.' }));
  }

  async function showApplications(flash) {
    const input = dateInput('decision-date', decisionDate, (day) => {
      decisionDate = day;
      showApplications();
    });
    const body = el('div', {}, el('p', { class: 'loading' }, 'Loading…'));
    replace(appsSection, el('h2', { id: 'apps-title' }, 'Applications waiting'), flash || null,
      el('form', { class: 'inline', onsubmit: (e) => e.preventDefault() }, field('Decision date', input)), body);
    let applications;
    let seats;
    try {
      [applications, seats] = await Promise.all([
        listAll('/v1/applications', 'applications', { filter: WAITING, orderBy: 'submitTime' }),
        votingSeats(decisionDate),
      ]);
    } catch (error) {
      replace(body, notice('error', headline(error), error.message));
      return;
    }
    const quorum = Math.floor(seats / 2) + 1;
    const nameOf = await organisationNames(applications.map((a) => a.applicant));
    replace(body,
      el('p', { class: 'summary', id: 'quorum' },
        `On ${decisionDate}, ${seats} voting seat${seats === 1 ? ' is' : 's are'} active: ratifying needs at least ${quorum} vote${quorum === 1 ? '' : 's'} for (more than half).`),
      applications.length === 0 ? el('p', { class: 'empty' }, 'No application is waiting.')
        : el('ul', { class: 'cards' }, applications.map((a) => el('li', {}, applicationCard(a, nameOf(a.applicant), quorum)))));
  }

  // One application with the actions its state allows.
  function applicationCard(application, applicantName, quorum) {
    const id = idOf(application.name);
    const feedback = el('div', { class: 'feedback', id: `feedback-${id}` });
    const controls = {
      'decision.votesFor': el('input', { id: `votes-for-${id}`, type: 'number', min: 0, step: 1, value: quorum, inputmode: 'numeric' }),
      'decision.votesAgainst': el('input', { id: `votes-against-${id}`, type: 'number', min: 0, step: 1, value: 0, inputmode: 'numeric' }),
      'decision.abstentions': el('input', { id: `abstentions-${id}`, type: 'number', min: 0, step: 1, value: 0, inputmode: 'numeric' }),
      'decision.note': el('input', { id: `note-${id}`, type: 'text', maxlength: 500 }),
    };
    const labels = {
      'decision.votesFor': 'Votes for', 'decision.votesAgainst': 'Votes against',
      'decision.abstentions': 'Abstentions', 'decision.note': 'Note', 'decision.decisionDate': 'Decision date',
      etag: 'The application (changed meanwhile)',
    };
    const decision = () => ({
      decisionDate: dateObject(decisionDate),
      votesFor: Number(controls['decision.votesFor'].value || 0),
      votesAgainst: Number(controls['decision.votesAgainst'].value || 0),
      abstentions: Number(controls['decision.abstentions'].value || 0),
      note: controls['decision.note'].value,
    });

    async function act(verb, body, done) {
      replace(feedback, el('p', { class: 'loading' }, 'Sending…'));
      try {
        await post(`/v1/${application.name}:${verb}`, { etag: application.etag, requestId: requestId(), ...body });
      } catch (error) {
        replace(feedback, refusalNotice(error, labels, controls));
        feedback.querySelector('.notice').focus();
        return;
      }
      showApplications(notice('ok', done));
    }

    const actions = [];
    if (application.state === 'SUBMITTED') {
      actions.push(el('button', { type: 'button', onclick: () => act('signForm', {}, `The form of ${applicantName} is signed.`) }, 'Sign the form'));
    }
    if (application.state === 'FORM_SIGNED') {
      actions.push(el('form', {
        class: 'decision',
        'aria-label': `Ratify the application of ${applicantName}`,
        onsubmit: (e) => { e.preventDefault(); act('ratify', { decision: decision() }, `${applicantName} is ratified: a member since ${decisionDate}.`); },
      },
      field('Votes for', controls['decision.votesFor'], `At least ${quorum}`),
      field('Votes against', controls['decision.votesAgainst']),
      field('Abstentions', controls['decision.abstentions']),
      field('Note', controls['decision.note']),
      el('button', { type: 'submit' }, `Ratify on ${decisionDate}`)));
    }
    actions.push(el('button', {
      type: 'button',
      class: 'danger',
      onclick: () => act('reject', { decision: { decisionDate: dateObject(decisionDate), note: controls['decision.note'].value } }, `The application of ${applicantName} is rejected.`),
    }, 'Reject'));

    return el('article', { class: 'card', 'aria-labelledby': `app-${id}` },
      el('h3', { id: `app-${id}` }, el('a', { href: `#/organisations/${encodeURIComponent(idOf(application.applicant))}` }, applicantName)),
      el('p', { class: 'meta' }, `${words(application.state)} · submitted ${(application.submitTime || '').slice(0, 10)}`,
        application.formSignTime ? ` · form signed ${application.formSignTime.slice(0, 10)}` : ''),
      application.note ? el('p', { class: 'note' }, application.note) : null,
      el('div', { class: 'actions' }, actions),
      feedback);
  }

  // The applications first: they are what an admin acts on.
  replace(root, el('h1', {}, 'Board'), appsSection, seatsSection);
  await Promise.all([showSeats(true), showApplications()]);
}
