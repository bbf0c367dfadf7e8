// Text that stays readable on any colour: the WCAG 2 contrast ratio, and the ink (black or white)
// for a background colour taken from a cover. One of the two always reaches 4.58:1 (the worst case
// is a background of relative luminance 0.18), so the hero never needs a scrim.

// [r, g, b] (0..255) from "rgb(1, 2, 3)", "rgb(1 2 3)", "rgba(...)", "#abc" or "#aabbcc".
export function parseColour(css) {
  const s = String(css || '').trim();
  let m = s.match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/i);
  if (m) {
    const hex = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
    return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }
  m = s.match(/^rgba?\(\s*([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)/i);
  return m ? [1, 2, 3].map((i) => Math.round(Number(m[i]))) : null;
}

export function luminance([r, g, b]) {
  const lin = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrastRatio(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const WHITE = [255, 255, 255];
const BLACK = [0, 0, 0];

export function inkFor(background) {
  return contrastRatio(background, WHITE) >= contrastRatio(background, BLACK) ? WHITE : BLACK;
}

// [r, g, b] of hsl (h in degrees, s and l in 0..1).
export function hslToRgb(hue, s, l) {
  const k = (n) => (n + hue / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  return [0, 8, 4].map((n) => Math.round(255 * (l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1)))));
}

// The colour stops of a gradientFor() gradient.
function stops(gradient) {
  return [...String(gradient).matchAll(/hsl\((\d+)\s+(\d+)%\s+(\d+)%\)/g)].map((m) => hslToRgb(Number(m[1]), Number(m[2]) / 100, Number(m[3]) / 100));
}

// The flat colour a hero shows for a gradientFor() gradient: the mean of its stops, about the
// tone the gradient has where the header's text sits.
export function meanStop(gradient) {
  const all = stops(gradient);
  if (!all.length) return [51, 51, 51];
  return [0, 1, 2].map((i) => Math.round(all.reduce((sum, c) => sum + c[i], 0) / all.length));
}

// The ink (css colour) for letters drawn across a gradientFor() gradient: the better of black and
// white where the gradient is worst for it.
export function inkOnGradient(gradient) {
  const all = stops(gradient);
  if (!all.length) return '#fff';
  const worst = (ink) => Math.min(...all.map((c) => contrastRatio(c, ink)));
  return worst(WHITE) >= worst(BLACK) ? '#fff' : '#000';
}

// A page header drawn on a colour: the colour and the ink that reads on it (css/a11y.css uses both).
export function paintHero(hero, rgb) {
  const ink = inkFor(rgb);
  hero.style.setProperty('--hero', `rgb(${rgb.join(' ')})`);
  hero.style.setProperty('--hero-ink', `rgb(${ink.join(' ')})`);
  hero.dataset.ink = ink === WHITE ? 'light' : 'dark';
  return hero;
}
