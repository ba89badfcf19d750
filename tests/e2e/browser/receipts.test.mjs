// Receipts in the web UI: a reminder fires to the in-app centre and to a webhook that answers
// 503 (one attempt allowed, so the delivery is dead at once); the notification centre and the
// task's history show, per channel, when it was delivered or why it was not.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { apiSignup, call, eventually, row, screenshots, signedInContext, startServerAndBrowser, stopServerAndBrowser } from './support.mjs';

describe('receipts', { timeout: 120000 }, () => {
  let server;
  let browser;
  let receiver;
  let received = 0;
  before(async () => {
    // The server inherits these: loopback webhooks allowed, one attempt per delivery.
    process.env.TICKLER_ALLOWED_DESTINATIONS = '127.0.0.0/8';
    process.env.TICKLER_DELIVERY_MAX_ATTEMPTS = '1';
    receiver = createServer((req, res) => {
      received += 1;
      req.resume();
      req.on('end', () => {
        res.statusCode = 503;
        res.end();
      });
    });
    await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
    ({ server, browser } = await startServerAndBrowser());
  });
  after(async () => {
    delete process.env.TICKLER_ALLOWED_DESTINATIONS;
    delete process.env.TICKLER_DELIVERY_MAX_ATTEMPTS;
    await stopServerAndBrowser(server, browser);
    await new Promise((r) => receiver.close(r));
  });

  it('shows per channel what was delivered and why not', async () => {
    const me = await apiSignup(server.baseUrl, 'receipts');
    const url = `http://127.0.0.1:${receiver.address().port}/hook`;
    const hook = await call(server.baseUrl, 'PUT', '/api/me/webhook', me.token, { url });
    assert.equal(hook.status, 200);
    const at = new Date(Date.now() + 2500).toISOString();
    const created = await call(server.baseUrl, 'POST', '/api/tasks', me.token, {
      title: 'Water the plants',
      reminders: [{ at }],
    });
    assert.equal(created.status, 201);
    await eventually(async () => received >= 1, 'the webhook attempt', 15000);
    await eventually(async () => {
      const r = await call(server.baseUrl, 'GET', `/api/tasks/${created.body.id}/deliveries`, me.token);
      return r.body.items.some((d) => d.channel === 'webhook' && d.state === 'dead');
    }, 'the dead webhook delivery');

    const context = await signedInContext(browser, me, { viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await row(page, 'Water the plants').waitFor();
      await page.getByRole('button', { name: /^Notifications, / }).click();
      const centre = page.getByRole('dialog', { name: 'Notifications' });
      const receipts = centre.getByRole('list', { name: 'Deliveries' });
      await receipts.waitFor();
      const text = await receipts.textContent();
      assert.match(text, /In app: delivered/);
      assert.match(text, /Webhook: not delivered: HTTP 503 \(after 1 attempt\)/);
      await screenshots(page, 'notification-receipts');
      await centre.getByRole('button', { name: 'Close notifications' }).click();

      await row(page, 'Water the plants').hover();
      await page.getByRole('button', { name: 'History of “Water the plants”' }).click();
      const history = page.getByRole('dialog', { name: /History of/ });
      const sent = history.getByRole('region', { name: 'Reminders sent' });
      await sent.waitFor();
      assert.match(await sent.textContent(), /Webhook: not delivered: HTTP 503/);
      await screenshots(page, 'task-receipts');
    } finally {
      await context.close();
    }
  });
});
