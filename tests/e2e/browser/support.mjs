// What the browser tests share: a `tickler serve` on a free loopback port with a temporary data
// directory and the built UI, Debian's chromium driven by playwright-core, API shortcuts for
// setting up data, and screenshots. Everything started here is stopped by stop()/close(), also
// when a test fails; an exit hook kills a server left behind by a crash.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const ROOT = new URL('../../../', import.meta.url).pathname;
export const SCREENSHOTS = join(ROOT, 'tests/e2e/screenshots');
// playwright-core is a dev dependency of web/ (web/package-lock.json).
const require = createRequire(join(ROOT, 'web/package.json'));
const { chromium } = require('playwright-core');

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const running = new Set();
process.on('exit', () => {
  for (const p of running) p.kill('SIGKILL');
});

export async function startServer() {
  const bin = process.env.TICKLER_BIN ?? join(ROOT, 'build/tickler');
  const webRoot = process.env.TICKLER_WEB_ROOT ?? join(ROOT, 'build/web');
  const data = mkdtempSync(join(tmpdir(), 'tickler-browser-'));
  const proc = spawn(
    bin,
    ['serve', '--host', '127.0.0.1', '--port', '0', '--data', data, '--web-root', webRoot, '--shutdown-grace', '2'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(proc);
  const logs = [];
  proc.stderr.on('data', (d) => logs.push(String(d)));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('tickler serve did not start in 20 s:\n' + logs.join(''))), 20000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tickler serve exited with ${code}:\n` + logs.join('')));
    });
    createInterface({ input: proc.stdout }).on('line', (line) => {
      logs.push(line);
      try {
        const entry = JSON.parse(line);
        if (entry.msg === 'listening') {
          clearTimeout(timer);
          resolve(entry.port);
        }
      } catch {
        // not a JSON line
      }
    });
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(killer);
    }
    running.delete(proc);
    rmSync(data, { recursive: true, force: true });
  };
  return { baseUrl, stop, logs };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30000,
  });
}

// A browser with a profile on disk (not incognito, as launch()'s contexts are): Chromium checks
// whether an app is installable only there. Signed in as `session`; close() removes the profile.
export async function persistentSignedInContext(session, options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'tickler-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 30000,
    viewport: { width: 1280, height: 800 },
    ...options,
  });
  await context.addInitScript((s) => {
    if (!localStorage.getItem('tickler.session')) localStorage.setItem('tickler.session', JSON.stringify(s));
  }, { token: session.token, user: session.user });
  const close = context.close.bind(context);
  context.close = async () => {
    await close();
    rmSync(profile, { recursive: true, force: true });
  };
  return context;
}

// A server and a browser for one describe block; the server stops if the browser cannot start.
export async function startServerAndBrowser() {
  const server = await startServer();
  try {
    return { server, browser: await launchBrowser() };
  } catch (e) {
    await server.stop();
    throw e;
  }
}

export async function stopServerAndBrowser(server, browser) {
  await browser?.close();
  await server?.stop();
}

let counter = 0;
export function uniqueEmail(who) {
  counter += 1;
  return `${who}-${Date.now()}-${counter}@example.com`;
}
export const PASSWORD = 'correct-horse-battery';

// JSON API calls for test set-up and checks.
export async function call(baseUrl, method, path, token, body) {
  const res = await fetch(baseUrl + path, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export async function apiSignup(baseUrl, who) {
  const email = uniqueEmail(who);
  const res = await call(baseUrl, 'POST', '/api/auth/signup', null, { email, password: PASSWORD, name: who });
  if (res.status !== 201) throw new Error(`signup failed: ${JSON.stringify(res)}`);
  return { ...res.body, email };
}

// A browser context already signed in as `session` (the app reads it from localStorage).
export async function signedInContext(browser, session, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  await context.addInitScript((s) => {
    if (!localStorage.getItem('tickler.session')) localStorage.setItem('tickler.session', JSON.stringify(s));
  }, { token: session.token, user: session.user });
  return context;
}

// Saves the page at desktop width and at 390 px (a phone), as <name>-desktop.png / -390.png.
export async function screenshots(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize();
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-desktop.png`) });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(150);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-390.png`) });
  if (size) await page.setViewportSize(size);
}

// Form controls without an accessible name (label, aria-label or aria-labelledby).
export function unnamedControls(page) {
  return page.$$eval('input, select, textarea, button', (els) =>
    els
      .filter((el) => el.offsetParent !== null || el.getClientRects().length > 0)
      .filter((el) => {
        if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
        if (el.tagName === 'BUTTON') return !el.textContent?.trim();
        return !(el.labels && el.labels.length > 0);
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

// Polls `check` (an async function returning a truthy value) until it holds; fails with `what`.
export async function eventually(check, what, timeout = 10000) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} (last: ${last})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The list row of the task with this exact title (the first, when there are several).
export function row(page, title) {
  return page.locator('li.task').filter({ has: page.locator('.task-title', { hasText: new RegExp(`^${escape(title)}$`) }) });
}

export function titles(page) {
  return page.locator('li.task .task-title').allTextContents();
}

function escape(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
