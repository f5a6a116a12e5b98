// Building the pages: elements are made with text nodes only (never innerHTML), so nothing
// the API returns is ever parsed as markup.

// el('a', {href: '#/x', class: 'y'}, 'text', child, [more]) — attributes starting with "on"
// are listeners; null/false attributes and children are skipped.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Replaces the content of `node`.
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

// A table: `columns` are [{label, cell: row => node|string, numeric, nowrap}], `caption` says
// what it is. Each cell carries its column's label (data-label) for the narrow layout.
export function table(caption, columns, rows, { empty = 'Nothing to show.' } = {}) {
  if (rows.length === 0) return el('p', { class: 'empty' }, empty);
  return el('div', { class: 'table-wrap' },
    el('table', {},
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, columns.map((c) =>
        el('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
      el('tbody', {}, rows.map((row) => el('tr', {}, columns.map((c) =>
        el('td', { class: [c.numeric ? 'num' : '', c.nowrap ? 'nowrap' : ''].join(' ').trim() || null, 'data-label': c.label },
          c.cell(row))))))));
}

// A labelled form control: returns the wrapper; the control has `id`.
export function field(label, control, hint) {
  const id = control.id;
  return el('div', { class: 'field' },
    el('label', { for: id }, label),
    control,
    hint ? el('span', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

export function select(id, options, value) {
  return el('select', { id, name: id }, options.map(([v, label]) =>
    el('option', { value: v, selected: v === value }, label)));
}

// "METROPOLITAN_AREA" -> "Metropolitan area".
export function words(enumName) {
  if (!enumName) return '';
  const s = enumName.toLowerCase().replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// The last segment of a resource name: "organisations/milan" -> "milan".
export function idOf(name) {
  return (name || '').split('/').pop();
}

// A google.type.Date or "YYYY-MM-DD" as "YYYY-MM-DD" ('' when unset).
export function dateText(date) {
  if (!date) return '';
  if (typeof date === 'string') return date;
  const pad = (n, w) => String(n || 0).padStart(w, '0');
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}

// "YYYY-MM-DD" as a google.type.Date.
export function dateObject(text) {
  const [year, month, day] = text.split('-').map(Number);
  return { year, month, day };
}

// Today in UTC as "YYYY-MM-DD".
export function today() {
  return new Date().toISOString().slice(0, 10);
}

export function number(value, digits = 2) {
  return Number(value || 0).toFixed(digits);
}

// A message panel: kind is 'error', 'ok' or 'info'.
export function notice(kind, title, ...lines) {
  return el('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status', tabindex: -1 },
    el('strong', {}, title), lines.filter(Boolean).map((line) => el('p', {}, line)));
}

// The query parameters of the location hash ("#/board?date=2022-02-17").
export function hashParams() {
  const hash = location.hash || '';
  const q = hash.indexOf('?');
  return new URLSearchParams(q < 0 ? '' : hash.slice(q + 1));
}

// Sets the hash's query parameters without adding a history entry per keystroke.
export function setHashParams(page, params) {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) query.set(k, v);
  const text = query.toString();
  const hash = `#/${page}${text ? `?${text}` : ''}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}
