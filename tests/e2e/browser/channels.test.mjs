// The notification channels on the settings page, against a real tickler serve: webhooks
// (added with their events, the secret shown once, events changed, a task event received by a
// loopback receiver, removed after a confirmation) and email (an SMTP receiver in this test takes
// the confirmation mail; its link confirms the address; removed). Push, ntfy, the preferences,
// a task's override and "Send a test" run where the server has their routes and are skipped,
// with the reason, where it answers 404 "no such route".
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
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
  unnamedControls,
} from './support.mjs';

// A minimal SMTP receiver (no TLS offered): keeps each message's DATA.
function smtpReceiver() {
  const mails = [];
  const server = createTcpServer((socket) => {
    socket.setEncoding('utf8');
    let data = null;
    let buffer = '';
    socket.write('220 test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk;
      let i;
      while ((i = buffer.indexOf('\r\n')) !== -1) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        if (data !== null) {
          if (line === '.') {
            mails.push(data.join('\n'));
            data = null;
            socket.write('250 queued\r\n');
          } else data.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-test\r\n250 8BITMIME\r\n');
        else if (verb === 'DATA') {
          data = [];
          socket.write('354 go on\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  return { server, mails };
}

// Whether the server has a route (a 404 "no such route" means it does not).
async function hasRoute(baseUrl, method, path, token, body) {
  const r = await call(baseUrl, method, path, token, body);
  return !(r.status === 404 && r.body?.error?.message === 'no such route');
}

// The text of a mail: its base64 parts decoded (and any other text as it is).
function mailText(mail) {
  const parts = [...mail.matchAll(/Content-Transfer-Encoding: base64\n\n([A-Za-z0-9+/=\n]+)/g)];
  return mail + parts.map((m) => Buffer.from(m[1].replace(/\n/g, ''), 'base64').toString('utf8')).join('\n');
}

describe('notification channels in settings', { timeout: 240000 }, () => {
  let server;
  let browser;
  const hookBodies = [];
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      hookBodies.push({ path: req.url, body });
      res.end('ok');
    });
  });
  const smtp = smtpReceiver();

  before(async () => {
    await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
    await new Promise((r) => smtp.server.listen(0, '127.0.0.1', r));
    // The server inherits these: loopback destinations allowed, mail to the receiver above.
    process.env.TICKLER_ALLOWED_DESTINATIONS = '127.0.0.0/8';
    process.env.TICKLER_SMTP_URL = `smtp://127.0.0.1:${smtp.server.address().port}`;
    process.env.TICKLER_PUBLIC_URL = 'http://tickler.invalid';
    ({ server, browser } = await startServerAndBrowser());
  });
  after(async () => {
    delete process.env.TICKLER_ALLOWED_DESTINATIONS;
    delete process.env.TICKLER_SMTP_URL;
    delete process.env.TICKLER_PUBLIC_URL;
    await stopServerAndBrowser(server, browser);
    await new Promise((r) => receiver.close(r));
    await new Promise((r) => smtp.server.close(r));
  });

  it('adds, edits, uses and removes a webhook', async () => {
    const me = await apiSignup(server.baseUrl, 'wanda');
    const hookUrl = `http://127.0.0.1:${receiver.address().port}/wanda`;
    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/settings');
      const section = page.getByRole('region', { name: 'Webhooks' });
      await section.getByText('No webhooks yet.').waitFor();
      await section.getByLabel('Webhook URL').fill('not a url');
      await section.getByRole('button', { name: 'Add webhook' }).click();
      await section.getByText('Enter the full address the webhook is sent to, starting with https://').waitFor();

      await section.getByLabel('Webhook URL').fill(hookUrl);
      await section.getByRole('group', { name: 'Send when' }).getByLabel('A task is created').check();
      await section.getByRole('button', { name: 'Add webhook' }).click();
      const secret = await section.getByLabel('The webhook’s signing secret').inputValue();
      assert.ok(secret.length >= 16, 'a secret is made');
      const listed = await call(server.baseUrl, 'GET', '/api/me/channels/webhooks', me.token);
      assert.deepEqual(listed.body.items.map((h) => [h.url, h.events]), [[hookUrl, ['reminder.fired', 'task.created']]]);
      await section.getByRole('button', { name: 'I have copied it' }).click();
      assert.equal((await page.content()).includes(secret), false, 'the secret is shown once');

      // It works: a task made through the API reaches the receiver.
      await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: 'Hooked' });
      await eventually(() => hookBodies.some((b) => b.path === '/wanda' && b.body.includes('Hooked')), 'the task.created webhook', 15000);

      await section.getByRole('button', { name: `Edit the events of ${hookUrl}` }).click();
      const editing = section.getByRole('group', { name: `Events sent to ${hookUrl}` });
      await editing.getByLabel('A task is created').uncheck();
      await editing.getByLabel('A task is completed').check();
      await section.getByRole('button', { name: 'Save events' }).click();
      await section.getByText('A reminder fires · A task is completed').waitFor();
      const changed = await call(server.baseUrl, 'GET', '/api/me/channels/webhooks', me.token);
      assert.deepEqual(changed.body.items[0].events, ['reminder.fired', 'task.completed']);
      assert.deepEqual(await unnamedControls(page), []);
      await section.scrollIntoViewIfNeeded();
      await screenshots(page, 'settings-webhooks');

      await section.getByRole('button', { name: `Remove the webhook ${hookUrl}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Remove webhook' }).click();
      await section.getByText('No webhooks yet.').waitFor();
      assert.deepEqual((await call(server.baseUrl, 'GET', '/api/me/channels/webhooks', me.token)).body.items, []);
    } finally {
      await context.close();
    }
  });

  it('sets an email address, confirms it by the mailed link, and removes it', async () => {
    const me = await apiSignup(server.baseUrl, 'emil');
    const address = `emil-${Date.now()}@example.com`;
    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/settings');
      const section = page.getByRole('region', { name: 'Email' });
      await section.getByText('No address yet.').waitFor();
      await section.getByLabel('Email address').fill(address);
      await section.getByRole('button', { name: 'Send confirmation mail' }).click();
      await section.getByText('Not confirmed yet').waitFor();
      await section.getByText(`Sent: open the link in the mail to ${address} to confirm it.`).waitFor();
      await screenshots(page, 'settings-email-unconfirmed');

      const mail = await eventually(() => smtp.mails.find((m) => m.includes(address)), 'the confirmation mail', 15000);
      const link = mailText(mail).match(/http:\/\/tickler\.invalid(\/links\/email\/[A-Za-z0-9_.-]+)/);
      assert.ok(link, 'the mail has a confirmation link');
      // The link's GET changes nothing; its POST confirms.
      const confirm = await fetch(server.baseUrl + link[1], { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
      assert.equal(confirm.status, 200);

      await page.reload();
      await section.getByText('Confirmed', { exact: true }).waitFor();
      assert.equal(await section.getByRole('button', { name: 'Resend confirmation' }).count(), 0);

      if (await hasRoute(server.baseUrl, 'POST', '/api/me/channels/test', me.token, { channel: 'email' })) {
        await section.getByRole('button', { name: `Send a test to ${address}` }).click();
        await section.getByText(/^(Test delivered\.|Test sent)/).waitFor({ timeout: 15000 });
      }

      await section.getByRole('button', { name: `Remove the address ${address}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Remove address' }).click();
      await section.getByText('No address yet.').waitFor();
      assert.equal((await call(server.baseUrl, 'GET', '/api/me/channels/email', me.token)).status, 404);
    } finally {
      await context.close();
    }
  });

  it('tests a channel with "Send a test"', async (t) => {
    const me = await apiSignup(server.baseUrl, 'tim');
    if (!(await hasRoute(server.baseUrl, 'POST', '/api/me/channels/test', me.token, { channel: 'webhook:1' }))) {
      t.skip('POST /api/me/channels/test answers 404 "no such route" on this server');
      return;
    }
    const hookUrl = `http://127.0.0.1:${receiver.address().port}/tim`;
    await call(server.baseUrl, 'POST', '/api/me/channels/webhooks', me.token, { url: hookUrl });
    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/settings');
      const section = page.getByRole('region', { name: 'Webhooks' });
      await section.getByRole('button', { name: `Send a test to ${hookUrl}` }).click();
      await section.getByText('Test delivered.').waitFor({ timeout: 15000 });
      assert.ok(hookBodies.some((b) => b.path === '/tim'), 'the receiver got the test');
    } finally {
      await context.close();
    }
  });

  it('saves ntfy settings', async (t) => {
    const me = await apiSignup(server.baseUrl, 'nina');
    if (!(await hasRoute(server.baseUrl, 'GET', '/api/me/channels/ntfy', me.token))) {
      t.skip('GET /api/me/channels/ntfy answers 404 "no such route" on this server');
      return;
    }
    // https, no path (the route's rule); saving does not connect, a test would.
    const ntfyServer = `https://127.0.0.1:${receiver.address().port}`;
    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/settings');
      const section = page.getByRole('region', { name: 'ntfy' });
      await section.getByLabel('Server').fill(ntfyServer);
      await section.getByLabel('Topic').fill('nina-reminders-7x2');
      await section.getByLabel('Access token (optional)').fill('tk_nina_token');
      await section.getByRole('button', { name: 'Save ntfy settings' }).click();
      await section.getByText(/^Saved\./).waitFor();
      const got = await call(server.baseUrl, 'GET', '/api/me/channels/ntfy', me.token);
      assert.equal(got.body.topic, 'nina-reminders-7x2');
      assert.equal(got.body.has_token, true);
      await section.getByRole('button', { name: 'Remove ntfy' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Remove ntfy' }).click();
      await eventually(async () => (await call(server.baseUrl, 'GET', '/api/me/channels/ntfy', me.token)).status === 404, 'ntfy removed');
    } finally {
      await context.close();
    }
  });

  it('saves when and where reminders go', async (t) => {
    const me = await apiSignup(server.baseUrl, 'pete');
    if (!(await hasRoute(server.baseUrl, 'GET', '/api/me/notification-settings', me.token))) {
      t.skip('GET /api/me/notification-settings answers 404 "no such route" on this server');
      return;
    }
    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/settings');
      const section = page.getByRole('region', { name: 'When and where reminders go' });
      await section.getByLabel('Email for low priority').uncheck();
      await section.getByLabel('Hold reminders during quiet hours').check();
      await section.getByLabel('From').fill('22:30');
      await section.getByLabel('to', { exact: true }).fill('06:45');
      await section.getByLabel('Send a daily digest of overdue and today’s tasks').check();
      await section.getByLabel('At', { exact: true }).fill('07:30');
      await section.getByRole('button', { name: 'Save notification settings' }).click();
      await section.getByText('Saved.').waitFor();
      const got = (await call(server.baseUrl, 'GET', '/api/me/notification-settings', me.token)).body;
      assert.deepEqual(got.quiet_hours, { start: '22:30', end: '06:45' });
      assert.equal(got.channels_by_priority.low.includes('email'), false);
      assert.deepEqual(got.digest, { time: '07:30', channels: ['email'] });
      await section.scrollIntoViewIfNeeded();
      await screenshots(page, 'settings-preferences');
    } finally {
      await context.close();
    }
  });

  it('sets a task’s own notification rule in the editor', async (t) => {
    const me = await apiSignup(server.baseUrl, 'olaf');
    const task = await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: 'Urgent call' });
    if (!(await hasRoute(server.baseUrl, 'GET', `/api/tasks/${task.body.id}/notification-override`, me.token))) {
      t.skip('GET /api/tasks/{id}/notification-override answers 404 "no such route" on this server');
      return;
    }
    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/?task=${task.body.id}`);
      const dialog = page.getByRole('dialog', { name: 'Edit task' });
      await dialog.getByText('Notifications for this task').click();
      await dialog.getByLabel('Choose for this task').check();
      await dialog.getByLabel('Every channel my settings allow').uncheck();
      await dialog.getByLabel('Push', { exact: true }).check();
      await dialog.getByLabel('Quiet hours').selectOption('ignore');
      await dialog.getByRole('button', { name: 'Apply notification rule' }).click();
      await dialog.getByText('This task’s notification rule is saved.').waitFor();
      const got = (await call(server.baseUrl, 'GET', `/api/tasks/${task.body.id}/notification-override`, me.token)).body;
      assert.deepEqual(got.channels, ['push']);
      assert.equal(got.quiet_hours, 'ignore');
    } finally {
      await context.close();
    }
  });

  it('enables push on this browser, or says why not', async (t) => {
    const me = await apiSignup(server.baseUrl, 'paula');
    if (!(await hasRoute(server.baseUrl, 'GET', '/api/me/channels/push/vapid-key', me.token))) {
      t.skip('GET /api/me/channels/push/vapid-key answers 404 "no such route" on this server');
      return;
    }
    // Blocked: the permission prompt of a headless browser is dismissed, which denies it.
    const blocked = await signedInContext(browser, me);
    try {
      const page = await blocked.newPage();
      await page.goto(server.baseUrl + '/settings');
      const section = page.getByRole('region', { name: 'Push notifications' });
      await section.getByRole('button', { name: 'Enable push on this browser' }).click();
      await section.getByRole('alert').getByText(/^(Notifications are blocked|Notifications were not allowed)/).waitFor();
    } finally {
      await blocked.close();
    }
    // Allowed: the service worker subscribes. Headless Chromium reaches no push service here, so
    // the subscription is refused by the browser, and the page says so with the browser's reason;
    // where one is reachable, the subscription is listed as this browser.
    const context = await persistentSignedInContext(me);
    try {
      await context.grantPermissions(['notifications'], { origin: server.baseUrl });
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(server.baseUrl + '/settings');
      const section = page.getByRole('region', { name: 'Push notifications' });
      await section.getByRole('button', { name: 'Enable push on this browser' }).click();
      const outcome = await eventually(async () => {
        if (await section.getByText('This browser', { exact: true }).count()) return 'subscribed';
        const alert = section.getByRole('alert');
        return (await alert.count()) ? await alert.textContent() : null;
      }, 'the push outcome', 30000);
      if (outcome !== 'subscribed') {
        assert.match(outcome, /^The browser (refused to subscribe to push: .+|could not reach its push service .+)/);
      }
      await screenshots(page, 'settings-push');
    } finally {
      await context.close();
    }
  });

  it('names every control and fits a phone', async () => {
    const me = await apiSignup(server.baseUrl, 'acc');
    const context = await signedInContext(browser, me, { viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/settings');
      await page.getByRole('region', { name: 'Webhooks' }).getByText('No webhooks yet.').waitFor();
      assert.deepEqual(await unnamedControls(page), []);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 390, `no sideways scroll at 390 px (${width})`);
    } finally {
      await context.close();
    }
  });
});
