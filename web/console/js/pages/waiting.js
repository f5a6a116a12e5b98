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

export const roadmaps = waitingPage('Roadmaps', 'roadmaps',
  'each roadmap\'s objectives and actions with progress bars, late actions, indicator charts with baseline, target, milestones and measurements, the revision history and the proposals waiting');
export const hubs = waitingPage('Hubs', 'hubs',
  'the sessions of a period on a timeline and the progress report as charts (per action line, per challenge, member engagement) with its CSV download');
