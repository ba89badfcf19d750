// The installable app and its service worker: the manifest parsed by Chromium with no
// installability error, /sw.js registered at the root scope and active; a push delivered to it
// through the DevTools protocol (ServiceWorker.deliverPushMessage: headless Chromium reaches no
// push service here) shown as a notification with the payload's title, body, Done / Snooze
// actions and the task url; an offline start shows the offline page, never stale data.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  apiSignup,
  call,
  eventually,
  persistentSignedInContext,
  screenshots,
  signedInContext,
  startServerAndBrowser,
  stopServerAndBrowser,
} from './support.mjs';

describe('the PWA', { timeout: 180000 }, () => {
  let server;
  let browser;
  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  it('serves the worker and the manifest with the right types', async () => {
    const sw = await fetch(server.baseUrl + '/sw.js');
    assert.equal(sw.status, 200);
    assert.match(sw.headers.get('content-type'), /^text\/javascript/);
    assert.equal(sw.headers.get('cache-control'), 'no-cache');
    const manifest = await fetch(server.baseUrl + '/manifest.webmanifest');
    assert.equal(manifest.headers.get('content-type'), 'application/manifest+json');
    for (const icon of (await manifest.json()).icons) {
      const res = await fetch(server.baseUrl + icon.src);
      assert.equal(res.status, 200, icon.src);
      assert.equal(res.headers.get('content-type'), 'image/png');
    }
  });

  it('is installable, runs its worker, and shows a pushed reminder with its actions', async () => {
    const me = await apiSignup(server.baseUrl, 'pia');
    const context = await persistentSignedInContext(me);
    await context.grantPermissions(['notifications'], { origin: server.baseUrl });
    const page = context.pages()[0] ?? (await context.newPage());
    try {
      const cdp = await context.newCDPSession(page);
      await page.goto(server.baseUrl + '/');
      await page.locator('.live-open').waitFor();
      const state = await page.evaluate(async () => {
        // `ready` resolves once the worker is active, which includes 'activating': under load the
        // activate handler may still run, so wait for its end (bounded by the test's timeout).
        const r = await navigator.serviceWorker.ready;
        const w = r.active;
        if (w && w.state === 'activating') {
          await new Promise((resolve) => w.addEventListener('statechange', () => w.state !== 'activating' && resolve()));
        }
        return { scope: r.scope, script: w?.scriptURL, state: w?.state };
      });
      assert.deepEqual(state, { scope: server.baseUrl + '/', script: server.baseUrl + '/sw.js', state: 'activated' });

      const manifest = await cdp.send('Page.getAppManifest');
      assert.deepEqual(manifest.errors, []);
      assert.equal(manifest.url, server.baseUrl + '/manifest.webmanifest');
      const parsed = JSON.parse(manifest.data);
      assert.equal(parsed.display, 'standalone');
      assert.ok(parsed.icons.some((i) => i.purpose === 'maskable'));
      const installability = await cdp.send('Page.getInstallabilityErrors');
      assert.deepEqual(installability.installabilityErrors, []);

      // Deliver a push as the server sends it (the decrypted body of the shared contract).
      const registrationId = await new Promise((resolve) => {
        cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
          const r = registrations.find((x) => x.scopeURL === server.baseUrl + '/' && !x.isDeleted);
          if (r) resolve(r.registrationId);
        });
        void cdp.send('ServiceWorker.enable');
      });
      const payload = {
        type: 'reminder',
        title: 'Water the plants',
        body: 'Due today 18:00',
        task_id: 7,
        remind_at: new Date().toISOString(),
        due_at: null,
        priority: 'medium',
        url: `${server.baseUrl}/?task=7`,
        actions: [
          { action: 'done', title: 'Done', url: `${server.baseUrl}/links/task/x` },
          { action: 'snooze-10m', title: 'Snooze 10 min', url: `${server.baseUrl}/links/task/y` },
        ],
      };
      // Delivered again every 2 s until shown: a worker just started under load may miss the
      // first one (same tag: a repeat replaces, never adds).
      const deliver = () =>
        cdp.send('ServiceWorker.deliverPushMessage', { origin: server.baseUrl, registrationId, data: JSON.stringify(payload) });
      await deliver();
      let lastDelivery = Date.now();
      const shown = await eventually(
        async () => {
          const n = await page.evaluate(async () => {
            const r = await navigator.serviceWorker.ready;
            const ns = await r.getNotifications();
            return ns.map((x) => ({ title: x.title, body: x.body, tag: x.tag, actions: x.actions, data: x.data }))[0];
          });
          if (!n && Date.now() - lastDelivery > 2000) {
            lastDelivery = Date.now();
            await deliver();
          }
          return n;
        },
        'the pushed notification',
        20000,
      );
      assert.equal(shown.title, 'Water the plants');
      assert.equal(shown.body, 'Due today 18:00');
      assert.equal(shown.tag, 'task-7');
      assert.deepEqual(
        shown.actions.map((a) => [a.action, a.title]),
        [
          ['done', 'Done'],
          ['snooze-10m', 'Snooze 10 min'],
        ],
      );
      assert.equal(shown.data.url, `${server.baseUrl}/?task=7`);
      assert.equal(shown.data.actions.done, `${server.baseUrl}/links/task/x`);
      await cdp.detach();
    } finally {
      await context.close();
    }
  });

  it('starts offline with the offline page, not stale tasks', async () => {
    const me = await apiSignup(server.baseUrl, 'otto');
    await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: 'Secret plan' });
    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await page.getByText('Secret plan').waitFor();
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller) {
          await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
        }
      });
      await context.setOffline(true);
      await page.reload();
      await page.getByRole('heading', { name: 'You are offline' }).waitFor();
      assert.equal(await page.getByText('Secret plan').count(), 0);
      await screenshots(page, 'offline');
      await context.setOffline(false);
      await page.getByRole('link', { name: 'Try again' }).click();
      await page.getByText('Secret plan').waitFor();
    } finally {
      await context.close();
    }
  });
});
