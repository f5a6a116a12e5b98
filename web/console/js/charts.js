// Charts through Chart.js (vendor/chart.umd.js, pinned in web/package-lock.json): no chart
// is drawn by hand. Every chart is a canvas with role="img" and a label saying what it
// shows; the pages put the same numbers in a table beside it for screen readers and for
// copying.

// Colour-blind-safe hues (Okabe–Ito), dark enough for 3:1 against white as graphics.
export const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#7A6500', '#56B4E9', '#000000'];
const GREY = '#595959';

const live = new Set();

// Destroys every chart of the previous page (the router calls it on each navigation).
export function destroyCharts() {
  for (const chart of live) chart.destroy();
  live.clear();
}

// Destroys one chart (a page redrawing it with other data).
export function removeChart(chart) {
  if (!chart) return;
  chart.destroy();
  live.delete(chart);
}

function canvas(label) {
  const c = document.createElement('canvas');
  c.setAttribute('role', 'img');
  c.setAttribute('aria-label', label);
  return c;
}

function make(container, label, config) {
  const c = canvas(label);
  const box = document.createElement('div');
  box.className = 'chart';
  box.append(c);
  container.append(box);
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#1a1a1a';
  const chart = new Chart(c, {
    ...config,
    options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options },
  });
  live.add(chart);
  return chart;
}

// "Górnośląsko-Zagłębiowska Metropolia" -> lines of at most about 20 characters.
// Breaks after spaces and hyphens.
function lines(label, width = 20) {
  const out = [];
  for (const word of String(label).split(/ |(?<=-)/)) {
    const last = out[out.length - 1];
    if (last !== undefined && last.length + word.length < width) out[out.length - 1] = last.endsWith('-') ? last + word : `${last} ${word}`;
    else out.push(word);
  }
  return out;
}

// A bar chart of `values` per `labels` (one dataset), horizontal when there are many bars,
// `stacked` to pile the datasets up (sessions per month by format).
export function barChart(container, label, labels, datasets, { horizontal = false, max, stacked = false } = {}) {
  return make(container, label, {
    type: 'bar',
    data: {
      labels,
      datasets: datasets.map((d, i) => ({
        label: d.label,
        data: d.data,
        backgroundColor: d.colour || COLOURS[i % COLOURS.length],
      })),
    },
    options: {
      indexAxis: horizontal ? 'y' : 'x',
      plugins: { legend: { display: datasets.length > 1 } },
      scales: {
        [horizontal ? 'x' : 'y']: { beginAtZero: true, max, stacked, ticks: { precision: 0 } },
        // Every name, on lines of a few words, so a narrow screen does not cut them.
        [horizontal ? 'y' : 'x']: horizontal
          ? { stacked, ticks: { autoSkip: false, callback(value) { return lines(this.getLabelForValue(value)); } } }
          : { stacked },
      },
    },
  });
}

// A radar chart: one axis per label, one polygon per dataset, on the scale [min, max].
// A dataset with `dashed` is drawn as a grey dashed outline (the network mean).
export function radarChart(container, label, labels, datasets, { min = 0, max = 5 } = {}) {
  return make(container, label, {
    type: 'radar',
    data: {
      // "Experimental capacity" on two lines: the labels then fit around a narrow radar.
      labels: labels.map((l) => (l.includes(' ') ? [l.slice(0, l.lastIndexOf(' ')), l.slice(l.lastIndexOf(' ') + 1)] : l)),
      datasets: datasets.map((d, i) => {
        const colour = d.dashed ? GREY : COLOURS[i % COLOURS.length];
        return {
          label: d.label,
          data: d.data,
          borderColor: colour,
          backgroundColor: d.dashed ? 'transparent' : `${colour}33`,
          borderDash: d.dashed ? [6, 4] : [],
          pointBackgroundColor: colour,
          borderWidth: 2,
        };
      }),
    },
    options: {
      scales: {
        r: { min, max, ticks: { stepSize: 1, backdropColor: 'transparent' }, pointLabels: { font: { size: 12 } } },
      },
      plugins: { legend: { position: 'bottom' } },
    },
  });
}

const DAY_MS = 86400000;
const dayNumber = (text) => Date.parse(`${text}T00:00:00Z`) / DAY_MS;
const dayText = (n) => new Date(Math.round(n) * DAY_MS).toISOString().slice(0, 10);

// Values over time on a date axis: each series is {label, points: [{date: 'YYYY-MM-DD',
// value}]}, drawn as a line with points; `dashed` for a plan (milestones), `flat` for a
// level drawn across the whole period without points (baseline, target). The x axis is
// days since 1970 labelled as dates, so Chart.js needs no date adapter.
export function timeChart(container, label, series, { unit = '' } = {}) {
  const days = series.filter((s) => !s.flat).flatMap((s) => s.points.map((p) => dayNumber(p.date)));
  const first = Math.min(...days);
  const last = Math.max(...days);
  return make(container, label, {
    type: 'line',
    data: {
      datasets: series.map((s, i) => {
        const colour = s.colour || COLOURS[i % COLOURS.length];
        const points = s.flat
          ? [{ x: first, y: s.points[0].value }, { x: last, y: s.points[0].value }]
          : s.points.map((p) => ({ x: dayNumber(p.date), y: p.value })).sort((a, b) => a.x - b.x);
        return {
          label: s.label,
          data: points,
          borderColor: colour,
          backgroundColor: colour,
          borderDash: s.dashed || s.flat ? [6, 4] : [],
          borderWidth: s.flat ? 1.5 : 2,
          pointRadius: s.flat ? 0 : 4,
          pointStyle: s.dashed ? 'rectRot' : 'circle',
        };
      }),
    },
    options: {
      scales: {
        x: { type: 'linear', ticks: { callback: (v) => dayText(v), maxTicksLimit: 6 } },
        y: { title: { display: Boolean(unit), text: unit } },
      },
      plugins: {
        legend: { position: 'bottom' },
        tooltip: { callbacks: { title: (items) => (items.length ? dayText(items[0].parsed.x) : '') } },
      },
    },
  });
}
