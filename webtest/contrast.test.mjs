// The header ink of the web player (webroot/app/contrast.js) in Node: on every colour a cover can
// average to (the RGB cube, every 3rd step) the ink it picks reaches 4.5:1; the ratio matches WCAG's
// known values; the colour forms the page gives (computed styles, averageColor) parse.
// Run by WebPlayerAccessibilityBrowserTest; exit code 0 when every case passed.
import { contrastRatio, inkFor, parseColour, meanStop, inkOnGradient } from '../webroot/app/contrast.js';
import { assert, check, finish } from './cases.mjs';

const near = (a, b) => Math.abs(a - b) < 0.01;

await check('the ratio matches WCAG: black on white 21:1, #767676 on white 4.54:1, a colour on itself 1:1', () => {
  assert(near(contrastRatio([0, 0, 0], [255, 255, 255]), 21), 'black on white');
  assert(near(contrastRatio([118, 118, 118], [255, 255, 255]), 4.54), `#767676 on white is ${contrastRatio([118, 118, 118], [255, 255, 255])}`);
  assert(near(contrastRatio([30, 215, 96], [30, 215, 96]), 1), 'a colour on itself');
});

await check('the ink reaches 4.5:1 on every colour of the RGB cube', () => {
  let worst = { ratio: Infinity };
  for (let r = 0; r < 256; r += 3) {
    for (let g = 0; g < 256; g += 3) {
      for (let b = 0; b < 256; b += 3) {
        const ratio = contrastRatio([r, g, b], inkFor([r, g, b]));
        if (ratio < worst.ratio) worst = { ratio, colour: [r, g, b] };
      }
    }
  }
  assert(worst.ratio >= 4.5, `${worst.ratio.toFixed(2)}:1 on rgb(${worst.colour})`);
  return `worst ${worst.ratio.toFixed(2)}:1 on rgb(${worst.colour})`;
});

await check('white and yellow covers get black ink, black and navy covers white ink', () => {
  const ink = (c) => inkFor(c).join(',');
  assert(ink([255, 255, 255]) === '0,0,0' && ink([255, 221, 0]) === '0,0,0', 'light covers');
  assert(ink([0, 0, 0]) === '255,255,255' && ink([20, 30, 90]) === '255,255,255', 'dark covers');
});

await check('colours parse as the page writes them', () => {
  const forms = { 'rgb(1, 2, 3)': [1, 2, 3], 'rgb(1 2 3)': [1, 2, 3], 'rgba(10, 20, 30, 0.5)': [10, 20, 30], '#abc': [170, 187, 204], '#1ed760': [30, 215, 96] };
  for (const [css, rgb] of Object.entries(forms)) assert(JSON.stringify(parseColour(css)) === JSON.stringify(rgb), `${css} → ${parseColour(css)}`);
  assert(parseColour('not a colour') === null && parseColour(null) === null, 'nonsense is null');
});

await check('a placeholder gradient gives a flat colour and initials that read on both its ends', () => {
  const g = 'linear-gradient(135deg, hsl(60 65% 48%), hsl(120 70% 22%))';
  const mean = meanStop(g);
  assert(mean.every((c) => c >= 0 && c <= 255), `mean ${mean}`);
  assert(inkOnGradient(g) === '#000', `ink on a yellow-to-green gradient is ${inkOnGradient(g)}`);
  assert(inkOnGradient('linear-gradient(135deg, hsl(240 65% 48%), hsl(260 70% 22%))') === '#fff', 'ink on a blue gradient');
});

finish();
