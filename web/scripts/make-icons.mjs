// Renders the app icons (web/icons/*.svg, drawn for Tickler) into the PNGs the web app manifest
// and the service worker name (web/public/icons/), with Debian's chromium through playwright-core.
// Run it after changing an SVG and commit the PNGs: `node scripts/make-icons.mjs` in web/.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const here = (p) => new URL(`../${p}`, import.meta.url).pathname;

const ICONS = [
  ['icons/icon.svg', 'public/icons/icon-192.png', 192],
  ['icons/icon.svg', 'public/icons/icon-512.png', 512],
  ['icons/icon-maskable.svg', 'public/icons/icon-maskable-512.png', 512],
  ['icons/icon.svg', 'public/icons/apple-touch-icon-180.png', 180],
  ['icons/badge.svg', 'public/icons/badge-96.png', 96],
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu'],
});
try {
  for (const [svg, png, size] of ICONS) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const markup = readFileSync(here(svg), 'utf8').replace('<svg ', `<svg width="${size}" height="${size}" `);
    await page.setContent(`<html><body style="margin:0;background:transparent">${markup}</body></html>`);
    await page.screenshot({ path: here(png), omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
    await page.close();
    console.log(`${png} (${size}×${size})`);
  }
} finally {
  await browser.close();
}
