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

// A bar chart of `values` per `labels` (one dataset), horizontal when there are many bars.
export function barChart(container, label, labels, datasets, { horizontal = false, max } = {}) {
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
        [horizontal ? 'x' : 'y']: { beginAtZero: true, max, ticks: { precision: 0 } },
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
