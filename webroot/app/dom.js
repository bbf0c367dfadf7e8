// Tiny DOM helpers. Data from the server is only ever placed with textContent /
// text nodes / setAttribute: never innerHTML.

const PROPS = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'multiple', 'readOnly', 'required', 'autofocus']);

export function h(tag, attrs, ...children) {
  const el = typeof tag === 'string' ? document.createElement(tag) : tag; // or an existing element
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'style' && typeof v === 'object') {
        for (const [sk, sv] of Object.entries(v)) {
          if (sk.startsWith('--')) el.style.setProperty(sk, sv);
          else el.style[sk] = sv;
        }
      }
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2).toLowerCase(), v);
      else if (PROPS.has(k)) el[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  return append(el, children);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

// Icon path data (constants, never server data).
const ICONS = {
  cluster: 'M12 2a3 3 0 1 1 0 6 3 3 0 0 1 0-6zM5 14a3 3 0 1 1 0 6 3 3 0 0 1 0-6zm14 0a3 3 0 1 1 0 6 3 3 0 0 1 0-6zM11 8.9V12l-4.2 2.6.9 1.5 4.3-2.6 4.3 2.6.9-1.5L13 12V8.9z',
  play: 'M8 5.14v13.72a1 1 0 0 0 1.5.86l11.04-6.86a1 1 0 0 0 0-1.72L9.5 4.28A1 1 0 0 0 8 5.14z',
  pause: 'M6 4h4v16H6zM14 4h4v16h-4z',
  next: 'M6 5.5v13a.5.5 0 0 0 .78.42L15.5 13v5.5h2v-13h-2V11L6.78 5.08A.5.5 0 0 0 6 5.5z',
  prev: 'M18 5.5v13a.5.5 0 0 1-.78.42L8.5 13v5.5h-2v-13h2V11l8.72-5.92a.5.5 0 0 1 .78.42z',
  shuffle: 'M16 3h5v5h-2V6.41l-4.29 4.3-1.42-1.42L17.59 5H16V3zM3 5.41 4.41 4l14.6 14.59V17h2v5h-5v-2h1.59L3 5.41zM9.29 13.29l1.42 1.42L5.41 20 4 18.59l5.29-5.3z',
  repeat: 'M7 7h10v3l4-4-4-4v3H5v6h2V7zm10 10H7v-3l-4 4 4 4v-3h12v-6h-2v4z',
  volume: 'M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 7.97v8.05A4.47 4.47 0 0 0 16.5 12zM14 3.23v2.06a7 7 0 0 1 0 13.42v2.06A9 9 0 0 0 14 3.23z',
  volumeLow: 'M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 7.97v8.05A4.47 4.47 0 0 0 16.5 12z',
  mute: 'M3 9v6h4l5 5V4L7 9H3zm13.59 3L14 9.41 15.41 8 18 10.59 20.59 8 22 9.41 19.41 12 22 14.59 20.59 16 18 13.41 15.41 16 14 14.59 16.59 12z',
  queue: 'M3 6h13v2H3V6zm0 5h13v2H3v-2zm0 5h9v2H3v-2zm15-1V8h2v5.27A3 3 0 1 1 18 16v-1z',
  search: 'M10 2a8 8 0 0 1 6.32 12.9l5.39 5.4-1.41 1.41-5.4-5.39A8 8 0 1 1 10 2zm0 2a6 6 0 1 0 0 12 6 6 0 0 0 0-12z',
  album: 'M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zm0 6a4 4 0 1 0 0 8 4 4 0 0 0 0-8zm0 3a1 1 0 1 1 0 2 1 1 0 0 1 0-2z',
  artist: 'M12 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10zm0 2c-4.42 0-8 2.24-8 5v3h16v-3c0-2.76-3.58-5-8-5z',
  song: 'M12 3v10.55A4 4 0 1 0 14 17V7h4V3h-6z',
  playlist: 'M4 6h12v2H4V6zm0 4h12v2H4v-2zm0 4h8v2H4v-2zm14-1.5V6h4v2h-2v8a3 3 0 1 1-2-2.83v-.67z',
  upload: 'M11 16V7.83l-3.59 3.58L6 10l6-6 6 6-1.41 1.41L13 7.83V16h-2zm-7 2h16v2H4v-2z',
  admin: 'M12 1 3 5v6c0 5.55 3.84 10.74 9 12 5.16-1.26 9-6.45 9-12V5l-9-4zm0 6a3 3 0 1 1 0 6 3 3 0 0 1 0-6zm0 14.2c-2.3-.76-4.3-2.6-5.4-4.92C7.9 15.1 10 14.5 12 14.5s4.1.6 5.4 1.78c-1.1 2.32-3.1 4.16-5.4 4.92z',
  key: 'M7 14a2 2 0 1 1 0-4 2 2 0 0 1 0 4zm5.65-4A6 6 0 1 0 12.65 14H17v4h4v-4h2v-4H12.65z',
  sun: 'M12 7a5 5 0 1 1 0 10 5 5 0 0 1 0-10zm-1-6h2v3h-2V1zm0 19h2v3h-2v-3zM1 11h3v2H1v-2zm19 0h3v2h-3v-2zM4.22 5.64l1.42-1.42 2.12 2.12-1.42 1.42-2.12-2.12zm12.02 12.02 1.42-1.42 2.12 2.12-1.42 1.42-2.12-2.12zM18.36 4.22l1.42 1.42-2.12 2.12-1.42-1.42 2.12-2.12zM6.34 16.24l1.42 1.42-2.12 2.12-1.42-1.42 2.12-2.12z',
  moon: 'M12.3 2a9 9 0 1 0 9.7 11.9A7.5 7.5 0 0 1 12.3 2z',
  logout: 'M10 17v-3H3v-4h7V7l5 5-5 5zm2-15h7a2 2 0 0 1 2 2v16a2 2 0 0 1-2 2h-7v-2h7V4h-7V2z',
  more: 'M12 8a2 2 0 1 0 0-4 2 2 0 0 0 0 4zm0 2a2 2 0 1 0 0 4 2 2 0 0 0 0-4zm0 6a2 2 0 1 0 0 4 2 2 0 0 0 0-4z',
  close: 'M18.3 5.71 12 12.01l-6.3-6.3-1.41 1.41L10.59 13.4l-6.3 6.3 1.41 1.41 6.3-6.3 6.29 6.3 1.42-1.41-6.3-6.3 6.3-6.29z',
  plus: 'M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6V5z',
  up: 'M7.41 15.41 12 10.83l4.59 4.58L18 14l-6-6-6 6z',
  down: 'M7.41 8.59 12 13.17l4.59-4.58L18 10l-6 6-6-6z',
  trash: 'M9 3h6l1 1h4v2H4V4h4l1-1zM5 7h14l-1 14H6L5 7zm4 2v10h2V9H9zm4 0v10h2V9h-2z',
  menu: 'M3 6h18v2H3V6zm0 5h18v2H3v-2zm0 5h18v2H3v-2z',
  clock: 'M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zm0 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16zm1 3v4.59l3.2 3.2-1.41 1.42L11 12.41V7h2z',
  back: 'M15.41 7.41 14 6l-6 6 6 6 1.41-1.41L10.83 12z',
  download: 'M5 20h14v-2H5v2zM19 9h-4V3H9v6H5l7 7 7-7z',
  genre: 'M12 2 6.5 11h11L12 2zm5.5 11a4.5 4.5 0 1 0 0 9 4.5 4.5 0 0 0 0-9zM3 13.5h8v8H3v-8z',
  year: 'M19 4h-1V2h-2v2H8V2H6v2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2zm0 16H5V10h14v10z',
  home: 'M12 3 2 11.5h3V21h6v-6h2v6h6v-9.5h3L12 3z',
  star: 'M12 2.5l2.94 6.1 6.56.86-4.8 4.6 1.2 6.54L12 17.4l-5.9 3.2 1.2-6.54-4.8-4.6 6.56-.86z',
};

export function icon(name, cls = '') {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', ('icon ' + cls).trim());
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', ICONS[name] || '');
  path.setAttribute('fill', 'currentColor');
  svg.appendChild(path);
  return svg;
}

export function fmtTime(sec) {
  if (!Number.isFinite(sec) || sec < 0) sec = 0;
  sec = Math.floor(sec);
  const hh = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = String(sec % 60).padStart(2, '0');
  return hh ? `${hh}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function fmtDuration(sec) {
  if (!Number.isFinite(sec) || sec <= 0) return '';
  if (sec < 60) return `${Math.round(sec)} sec`;
  const m = Math.round(sec / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function debounce(fn, ms) {
  let t = null;
  const d = (...args) => { clearTimeout(t); t = setTimeout(() => fn(...args), ms); };
  d.cancel = () => clearTimeout(t);
  return d;
}

function hash(str) {
  let x = 2166136261;
  for (const ch of String(str || '')) { x ^= ch.codePointAt(0); x = Math.imul(x, 16777619); }
  return x >>> 0;
}

// Deterministic gradient for albums/artists without a picture.
export function gradientFor(key) {
  const n = hash(key);
  const h1 = n % 360;
  const h2 = (h1 + 40 + (n >> 9) % 80) % 360;
  return `linear-gradient(135deg, hsl(${h1} 65% 48%), hsl(${h2} 70% 22%))`;
}

export function initials(name) {
  const parts = String(name || '?').trim().split(/\s+/).filter(Boolean);
  const s = parts.slice(0, 2).map((p) => [...p][0]).join('');
  return s.toUpperCase() || '?';
}

export function coverUrl(albumId) {
  return '/api/albums/' + encodeURIComponent(albumId) + '/cover';
}

// A cover box: <img> when the album has a cover, otherwise a gradient placeholder.
// If the image fails to load it falls back to the placeholder as well.
export function cover(album, cls = 'cover') {
  const key = album && (album.albumId || album.id || album.title || album.album);
  const box = h('div', { class: cls, style: { backgroundImage: gradientFor(key) } });
  box.appendChild(icon('song', 'cover-note'));
  const id = album && (album.albumId || album.id);
  if (album && album.hasCover && id) {
    const img = h('img', { alt: '', loading: 'lazy', decoding: 'async', draggable: 'false' });
    img.addEventListener('load', () => box.classList.add('has-img'));
    img.addEventListener('error', () => img.remove());
    img.src = coverUrl(id);
    box.appendChild(img);
  }
  return box;
}

export function isTypingTarget(el) {
  if (!el) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const t = (el.type || 'text').toLowerCase();
    return !['range', 'checkbox', 'radio', 'button', 'submit', 'reset', 'file'].includes(t);
  }
  return false;
}

// Controls that do something with Space or Enter (press, follow, toggle) and with the arrow keys
// (move a slider, a choice, a menu's focus).
const PRESSABLE = 'button, a[href], input, select, textarea, summary, [contenteditable], '
  + '[role="button"], [role="link"], [role="slider"], [role="menuitem"], [role="checkbox"], [role="radio"], [role="switch"], [role="tab"], [role="option"]';
const ARROWED = 'input, select, textarea, [contenteditable], '
  + '[role="slider"], [role="menu"], [role="menuitem"], [role="radio"], [role="radiogroup"], [role="tablist"], [role="listbox"]';

// Whether the focused element `el` uses this key itself: a global shortcut must then leave it alone.
export function keyBelongsTo(el, key) {
  if (!el || !el.closest) return false;
  if (isTypingTarget(el)) return true;
  if (key === ' ' || key === 'Spacebar' || key === 'Enter') return !!el.closest(PRESSABLE);
  if (key.startsWith('Arrow')) return !!el.closest(ARROWED);
  return false;
}

// Average colour of a loaded same-origin image (for hero backgrounds).
export function averageColor(img) {
  try {
    const c = document.createElement('canvas');
    c.width = 8; c.height = 8;
    const g = c.getContext('2d', { willReadFrequently: true });
    g.drawImage(img, 0, 0, 8, 8);
    const d = g.getImageData(0, 0, 8, 8).data;
    let r = 0, gr = 0, b = 0;
    for (let i = 0; i < d.length; i += 4) { r += d[i]; gr += d[i + 1]; b += d[i + 2]; }
    const n = d.length / 4;
    return `rgb(${Math.round(r / n)} ${Math.round(gr / n)} ${Math.round(b / n)})`;
  } catch { return null; }
}
