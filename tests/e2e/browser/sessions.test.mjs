// Several browsers at once: two contexts of one user stay in sync over the WebSocket; a second
// user sees none of the first user's tasks; an expired session asks to log in again without
// losing the form being typed; going offline says so. Also the screenshots of the main screen
// and a check that every control has an accessible name.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  PASSWORD,
  apiSignup,
  call,
  row,
  screenshots,
  signedInContext,
  startServerAndBrowser,
  stopServerAndBrowser,
  titles,
  uniqueEmail,
  unnamedControls,
} from './support.mjs';

describe('the web UI, several sessions', { timeout: 180000 }, () => {
  let server;
  let browser;
  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  it('keeps two browser contexts of the same user in sync', async () => {
    const me = await apiSignup(server.baseUrl, 'gus');
    const a = await signedInContext(browser, me);
    const b = await signedInContext(browser, me);
    try {
      const pa = await a.newPage();
      const pb = await b.newPage();
      for (const p of [pa, pb]) {
        await p.goto(server.baseUrl + '/');
        await p.locator('.live-open').waitFor();
      }
      await pa.getByLabel('Add a task').fill('Sync me tomorrow #shared');
      await pa.getByLabel('Add a task').press('Enter');
      await row(pb, 'Sync me').waitFor({ timeout: 5000 });

      await pb.getByRole('checkbox', { name: 'Complete “Sync me”' }).click();
      await pa.getByRole('checkbox', { name: 'Reopen “Sync me”' }).waitFor({ timeout: 5000 });

      await pb.getByRole('button', { name: 'Edit “Sync me”' }).click();
      const editor = pb.getByRole('dialog', { name: 'Edit task' });
      await editor.getByLabel('Title').fill('Synced and renamed');
      await editor.getByRole('button', { name: 'Save' }).click();
      await row(pa, 'Synced and renamed').waitFor({ timeout: 5000 });

      // A change made while one tab is cut off arrives when it reconnects (catch-up).
      await b.setOffline(true);
      await pb.getByText('You are offline.').waitFor();
      await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: 'Made while offline' });
      await row(pa, 'Made while offline').waitFor({ timeout: 5000 });
      await b.setOffline(false);
      await row(pb, 'Made while offline').waitFor({ timeout: 20000 });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('shows a second user none of the first user’s tasks', async () => {
    const first = await apiSignup(server.baseUrl, 'hal');
    const secret = await call(server.baseUrl, 'POST', '/api/tasks', first.token, { title: 'Hal’s secret plan', tags: ['private'] });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await page.getByRole('button', { name: 'Create an account' }).click();
      await page.getByLabel('Email').fill(uniqueEmail('ivy'));
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.getByText('Nothing to do. Add a task above.').waitFor();
      await page.getByLabel('Status', { exact: true }).selectOption('all');
      await page.getByLabel('Search tasks').fill('secret');
      await page.getByText('No task matches these filters.').waitFor();
      assert.deepEqual(await titles(page), []);
      assert.equal(await page.getByLabel('Tag', { exact: true }).locator('option', { hasText: 'private' }).count(), 0);
      // A live change of the first user does not reach the second: a change of the second
      // user's own, made after it, arrives live, and it arrives alone.
      const token = await page.evaluate(() => JSON.parse(localStorage.getItem('tickler.session')).token);
      await call(server.baseUrl, 'PATCH', `/api/tasks/${secret.body.id}`, first.token, { title: 'secret renamed' });
      await call(server.baseUrl, 'POST', '/api/tasks', token, { title: 'my own secret' });
      await page.getByText('my own secret').waitFor();
      assert.deepEqual(await titles(page), ['my own secret']);
      assert.equal((await call(server.baseUrl, 'GET', `/api/tasks/${secret.body.id}`, token)).status, 404);
    } finally {
      await context.close();
    }
  });

  it('asks to log in again when the token is refused, keeping what was typed', async () => {
    const me = await apiSignup(server.baseUrl, 'jo');
    const context = await signedInContext(browser, me);
    try {
      const page = await context.newPage();
      await page.goto(server.baseUrl + '/');
      await page.getByRole('button', { name: '+ New task' }).click();
      const editor = page.getByRole('dialog', { name: 'New task' });
      await editor.getByLabel('Title').fill('Typed before the session ended');
      await editor.getByLabel('Description').fill('every word of it');
      // Another tab stores a token the server refuses (as an expired one): this tab takes it.
      const other = await context.newPage();
      await other.goto(server.baseUrl + '/');
      await other.evaluate((user) => {
        const b64 = (o) => btoa(JSON.stringify(o)).replace(/=+$/, '');
        const bad = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: String(user.id), exp: 4102444800 })}.AAAA`;
        localStorage.setItem('tickler.session', JSON.stringify({ token: bad, user }));
      }, me.user);
      await other.close();
      await editor.getByRole('button', { name: 'Save' }).click();
      await page.getByRole('heading', { name: 'Your session expired' }).waitFor();
      await screenshots(page, 'session-expired');
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      // The save that failed is retried with the new token.
      await row(page, 'Typed before the session ended').waitFor();
      const listed = await call(server.baseUrl, 'GET', '/api/tasks', me.token);
      assert.equal(listed.body.items[0].description, 'every word of it');
    } finally {
      await context.close();
    }
  });

  it('asks to log in again when the live connection is closed for a revoked token, keeping what was typed', async () => {
    const me = await apiSignup(server.baseUrl, 'lee');
    const context = await signedInContext(browser, me);
    try {
      const page = await context.newPage();
      await page.goto(server.baseUrl + '/');
      await page.locator('.live-open').waitFor();
      await page.getByRole('button', { name: '+ New task' }).click();
      const editor = page.getByRole('dialog', { name: 'New task' });
      await editor.getByLabel('Title').fill('Typed before the password changed');
      // The password is changed elsewhere: this tab's token is revoked and its live connection
      // closed with 4401; it asks to sign in again at once, without a request failing first.
      const newPassword = 'a brand new horse battery';
      const changed = await call(server.baseUrl, 'POST', '/api/me/password', me.token, {
        current_password: PASSWORD,
        new_password: newPassword,
      });
      assert.equal(changed.status, 200);
      await page.getByRole('heading', { name: 'Your session expired' }).waitFor();
      assert.equal(await editor.getByLabel('Title').inputValue(), 'Typed before the password changed');
      await page.getByLabel('Password').fill(newPassword);
      await page.getByRole('button', { name: 'Log in' }).click();
      // Live again with the new token: a change made elsewhere shows up without a reload.
      await page.locator('.live-open').waitFor();
      const elsewhere = await call(server.baseUrl, 'POST', '/api/tasks', changed.body.token, { title: 'Made elsewhere after the change' });
      assert.equal(elsewhere.status, 201);
      await row(page, 'Made elsewhere after the change').waitFor({ timeout: 5000 });
      await editor.getByRole('button', { name: 'Save' }).click();
      await row(page, 'Typed before the password changed').waitFor();
    } finally {
      await context.close();
    }
  });

  it('takes screenshots of the main screen; every control has an accessible name', async () => {
    const me = await apiSignup(server.baseUrl, 'kim');
    // Due dates at whole hours, UTC (the browser below runs in UTC too).
    const at = (days, hour) => {
      const d = new Date();
      d.setUTCDate(d.getUTCDate() + days);
      d.setUTCHours(hour, 0, 0, 0);
      return d.toISOString();
    };
    const firstOfNextMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1, 9));
    for (const t of [
      { title: 'Pay rent', priority: 'high', tags: ['home', 'money'], due_at: firstOfNextMonth.toISOString(), recurrence: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', mode: 'schedule' }, reminders: [{ before_minutes: 1440 }] },
      { title: 'Call the plumber', priority: 'medium', tags: ['home'], due_at: at(-1, 17) },
      { title: 'Stand-up', due_at: at(1, 9), recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10', mode: 'schedule' }, reminders: [{ before_minutes: 5 }] },
      { title: 'Read “The Pragmatic Programmer”', tags: ['books'] },
      { title: 'Renew passport', priority: 'low', due_at: at(20, 12), tags: ['errands'], description: 'Photos first' },
    ]) {
      assert.equal((await call(server.baseUrl, 'POST', '/api/tasks', me.token, t)).status, 201);
    }
    const context = await signedInContext(browser, me, { timezoneId: 'UTC' });
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await row(page, 'Pay rent').waitFor();
      await page.locator('.live-open').waitFor();
      await page.getByRole('checkbox', { name: 'Complete “Call the plumber”' }).focus();
      await screenshots(page, 'tasks');
      assert.deepEqual(await unnamedControls(page), []);
      await page.getByRole('button', { name: 'Edit “Pay rent”' }).click();
      await page.getByRole('dialog', { name: 'Edit task' }).waitFor();
      assert.deepEqual(await unnamedControls(page), []);
      await page.keyboard.press('Escape');
      await page.setViewportSize({ width: 360, height: 740 });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways at 360 px by ${overflow} px`);
    } finally {
      await context.close();
    }
  });
});
