// H1's web UI gaps: a reminder's "Open" link (<public-url>/?task=<id>) opens that task in the
// editor and selects it, also when it is not in the loaded list (a later page, or filtered out
// as completed), also after logging in first; Snooze on a task with a reminder (10 min / 1 h /
// tomorrow 9:00 in the task's zone) adds the one-off reminder through POST /api/tasks/{id}/snooze.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  apiSignup,
  call,
  eventually,
  PASSWORD,
  row,
  screenshots,
  signedInContext,
  startServerAndBrowser,
  stopServerAndBrowser,
} from './support.mjs';

describe('the Open link and Snooze', { timeout: 180000 }, () => {
  let server;
  let browser;
  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  it('opens the task of /?task=<id>, wherever it is in the list', async () => {
    const me = await apiSignup(server.baseUrl, 'olga');
    // 55 tasks due soon fill the first page (50, by due date); the target is due last.
    const due = (i) => new Date(Date.now() + (i + 1) * 3600e3).toISOString();
    for (let i = 0; i < 55; i += 1) {
      await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: `Filler ${i}`, due_at: due(i) });
    }
    const far = await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: 'Renew passport', due_at: due(80) });
    const done = await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: 'Old thing' });
    await call(server.baseUrl, 'POST', `/api/tasks/${done.body.id}/complete`, me.token);

    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/?task=${far.body.id}`);
      const dialog = page.getByRole('dialog', { name: 'Edit task' });
      await dialog.waitFor();
      assert.equal(await dialog.getByLabel('Title', { exact: true }).inputValue(), 'Renew passport');
      assert.equal(await row(page, 'Renew passport').count(), 0, 'not on the first page');
      assert.equal(new URL(page.url()).search, '', 'the ?task= is taken out of the address');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      // A completed task, filtered out of the default view.
      await page.goto(`${server.baseUrl}/?task=${done.body.id}`);
      await dialog.waitFor();
      assert.equal(await dialog.getByLabel('Title', { exact: true }).inputValue(), 'Old thing');
      await page.keyboard.press('Escape');

      // A deleted task: said so, not a blank page.
      await call(server.baseUrl, 'DELETE', `/api/tasks/${done.body.id}`, me.token);
      await page.goto(`${server.baseUrl}/?task=${done.body.id}`);
      await page.getByText('That task was deleted.').waitFor();
    } finally {
      await context.close();
    }
  });

  it('opens the task after logging in first', async () => {
    const me = await apiSignup(server.baseUrl, 'lena');
    const t = await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: 'Call the bank' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/?task=${t.body.id}`);
      await page.getByLabel('Email').fill(me.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit task' });
      await dialog.waitFor();
      assert.equal(await dialog.getByLabel('Title', { exact: true }).inputValue(), 'Call the bank');
      // Logging out (which first forgets this browser's push subscription: it has none) is prompt.
      await page.keyboard.press('Escape');
      const started = Date.now();
      await page.getByRole('button', { name: 'Log out' }).click();
      await page.getByRole('button', { name: 'Log in' }).waitFor();
      assert.ok(Date.now() - started < 2500, 'log out does not wait on push');
    } finally {
      await context.close();
    }
  });

  it('snoozes a task with a reminder to tomorrow 9:00 in its zone', async () => {
    const me = await apiSignup(server.baseUrl, 'sami');
    const dueAt = new Date(Date.now() + 3 * 86400e3).toISOString();
    const t = await call(server.baseUrl, 'POST', '/api/tasks', me.token, {
      title: 'Send the invoice',
      due_at: dueAt,
      time_zone: 'Asia/Tokyo',
      reminders: [{ before_minutes: 60 }],
    });
    await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: 'No reminder here' });
    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await row(page, 'Send the invoice').waitFor();
      assert.equal(await page.getByRole('button', { name: 'Snooze “No reminder here”' }).count(), 0);
      const snooze = page.getByRole('button', { name: 'Snooze “Send the invoice”' });
      await row(page, 'Send the invoice').hover();
      await snooze.click();
      const choices = page.getByRole('group', { name: 'Snooze “Send the invoice” for' });
      assert.deepEqual(await choices.getByRole('button').allTextContents(), ['10 minutes', '1 hour', 'Tomorrow 9:00']);
      await screenshots(page, 'snooze-menu');
      await choices.getByRole('button', { name: 'Tomorrow 9:00' }).click();
      await page.getByText(/^Snoozed “Send the invoice” until /).waitFor();

      const after = await eventually(async () => {
        const r = await call(server.baseUrl, 'GET', `/api/tasks/${t.body.id}`, me.token);
        return r.body.reminders.find((x) => 'at' in x) && r.body;
      }, 'the snooze reminder');
      const at = after.reminders.find((x) => 'at' in x).at;
      const wall = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(at));
      assert.equal(wall, '09:00');
      const days = (Date.parse(at) - Date.now()) / 86400e3;
      assert.ok(days > 0 && days <= 1.5, `tomorrow, got ${at}`);

      // From the keyboard: Enter opens, arrows move, Enter picks.
      await snooze.focus();
      await page.keyboard.press('Enter');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.getByText(/^Snoozed “Send the invoice” until /).nth(1).waitFor();
    } finally {
      await context.close();
    }
  });
});
