// Pages whose service is not part of the suite yet: they say what they will show and what
// they wait for, rather than failing.
import { el, notice } from '../dom.js';

function waitingPage(title, service, shows) {
  return {
    async render(root) {
      root.append(el('h1', {}, title),
        notice('info', `Waiting for the ${service} service`,
          `This page will show ${shows} once the ${service} service is part of metrocap.`));
    },
  };
}

export const hubs = waitingPage('Hubs', 'hubs',
  'the sessions of a period on a timeline and the progress report as charts (per action line, per challenge, member engagement) with its CSV download');
