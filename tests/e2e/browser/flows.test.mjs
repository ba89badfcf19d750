// One user's day in the web UI, in a real Chromium against a real `tickler serve`: sign up,
// quick add with its preview, search / filter / sort, editing a recurrence, completing a
// recurring task and seeing the next occurrence arrive, a reminder firing into the notification
// centre and the Notification API, an optimistic completion rolled back, infinite scroll on the
// cursor, keyboard shortcuts, delete
// with undo.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  PASSWORD,
  apiSignup,
  call,
  eventually,
  row,
  screenshots,
  signedInContext,
  startServerAndBrowser,
  stopServerAndBrowser,
  titles,
  uniqueEmail,
} from './support.mjs';

describe('the web UI, one user', { timeout: 180000 }, () => {
  let server;
  let browser;
  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  it('signs up, then quick-adds with a live preview of the parse', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await screenshots(page, 'login');
      await page.getByRole('button', { name: 'Create an account' }).click();
      await page.getByLabel('Name').fill('Ann');
      await page.getByLabel('Email').fill(uniqueEmail('ann'));
      await page.getByLabel('Password').fill(PASSWORD);
      await screenshots(page, 'signup');
      await page.getByRole('button', { name: 'Sign up' }).click();
      await page.getByText('Nothing to do. Add a task above.').waitFor();

      const quick = page.getByLabel('Add a task');
      await quick.fill('Pay rent every month on the 1st at 9am #home !high');
      const preview = page.getByTestId('quick-preview');
      await eventually(
        async () => (await preview.textContent()).startsWith('Pay rent · every month on the 1st at 09:00'),
        'the quick-add preview',
      );
      const text = await preview.textContent();
      assert.match(text, /· #home · high$/);
      await screenshots(page, 'quick-add-preview');
      await quick.press('Enter');
      const added = row(page, 'Pay rent');
      await added.waitFor();
      assert.match(await added.textContent(), /Every month on the 1st at 09:00/);
      assert.match(await added.textContent(), /#home/);
      assert.equal(await quick.inputValue(), '');
    } finally {
      await context.close();
    }
  });

  it('searches on the server, filters and sorts', async () => {
    const me = await apiSignup(server.baseUrl, 'bob');
    const soon = new Date(Date.now() + 3 * 3600e3).toISOString();
    const later = new Date(Date.now() + 30 * 86400e3).toISOString();
    const past = new Date(Date.now() - 86400e3).toISOString();
    for (const t of [
      { title: 'Buy milk', tags: ['errands'], priority: 'low', due_at: later },
      { title: 'call mom', priority: 'medium', due_at: soon },
      { title: 'Write report', priority: 'high', tags: ['work'] },
      { title: 'Renew passport', priority: 'high', due_at: past, tags: ['errands'] },
      { title: 'Água das plantas', description: 'water the plants' },
    ]) {
      assert.equal((await call(server.baseUrl, 'POST', '/api/tasks', me.token, t)).status, 201);
    }
    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await row(page, 'Buy milk').waitFor();
      // Default: open tasks by due date, undated last.
      assert.deepEqual((await titles(page)).slice(0, 3), ['Renew passport', 'call mom', 'Buy milk']);

      await page.getByLabel('Search tasks').fill('milk');
      await eventually(async () => (await titles(page)).join() === 'Buy milk', 'search "milk"');
      await page.getByLabel('Search tasks').fill('agua');
      await eventually(async () => (await titles(page)).join() === 'Água das plantas', 'accent-insensitive search');
      await page.getByLabel('Search tasks').fill('');

      await page.getByLabel('Due', { exact: true }).selectOption('none');
      await eventually(async () => (await titles(page)).sort().join() === 'Write report,Água das plantas', 'no date');
      await page.getByLabel('Due', { exact: true }).selectOption('overdue');
      await eventually(async () => (await titles(page)).join() === 'Renew passport', 'overdue');
      await page.getByLabel('Due', { exact: true }).selectOption('any');

      await page.getByLabel('Priority', { exact: true }).selectOption('high');
      await eventually(async () => (await titles(page)).join() === 'Renew passport,Write report', 'priority high');
      await page.getByLabel('Priority', { exact: true }).selectOption('any');
      await page.getByLabel('Tag', { exact: true }).selectOption('errands');
      await eventually(async () => (await titles(page)).join() === 'Renew passport,Buy milk', 'tag errands');
      await page.getByLabel('Tag', { exact: true }).selectOption('');

      await page.getByLabel('Sort', { exact: true }).selectOption('title');
      const byTitle = ['Buy milk', 'call mom', 'Renew passport', 'Write report', 'Água das plantas'];
      await eventually(async () => (await titles(page)).join() === byTitle.join(), 'sorted by title');
      await page.getByRole('button', { name: /Ascending order/ }).click();
      await eventually(async () => (await titles(page)).join() === [...byTitle].reverse().join(), 'reversed');
      await page.getByLabel('Sort', { exact: true }).selectOption('priority');
      await eventually(async () => (await titles(page))[0] === 'Renew passport', 'sorted by priority');
    } finally {
      await context.close();
    }
  });

  it('edits a recurrence with presets and a custom RRULE, summarised in words', async () => {
    const me = await apiSignup(server.baseUrl, 'cy');
    const created = await call(server.baseUrl, 'POST', '/api/tasks', me.token, {
      title: 'Stand-up',
      due_at: '2030-01-07T09:00:00Z',
      time_zone: 'UTC',
    });
    const context = await signedInContext(browser, me, { timezoneId: 'UTC' });
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await page.getByRole('button', { name: 'Edit “Stand-up”' }).click();
      const dialog = page.getByRole('dialog', { name: 'Edit task' });
      await dialog.getByLabel('Repeat').selectOption('weekdays');
      await dialog.getByLabel('Ends').selectOption('count');
      await dialog.getByLabel('Number of times').fill('10');
      assert.equal(await dialog.getByTestId('recurrence-summary').textContent(), 'Every weekday at 09:00, 10 times');
      await screenshots(page, 'editor');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      await eventually(async () => /Every weekday at 09:00, 10 times/.test(await row(page, 'Stand-up').textContent()), 'the row summary');
      let task = (await call(server.baseUrl, 'GET', `/api/tasks/${created.body.id}`, me.token)).body;
      assert.deepEqual(task.recurrence, { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10', mode: 'schedule' });

      await page.getByRole('button', { name: 'Edit “Stand-up”' }).click();
      await dialog.getByLabel('Repeat').selectOption('custom');
      await dialog.getByLabel(/RRULE/).fill('FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE');
      await dialog.getByLabel('Ends').selectOption('never');
      await dialog.getByLabel('Count from').selectOption('completion');
      assert.equal(
        await dialog.getByTestId('recurrence-summary').textContent(),
        'Every 2 weeks on Monday and Wednesday at 09:00, counted from completion',
      );
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.waitFor({ state: 'detached' });
      task = (await call(server.baseUrl, 'GET', `/api/tasks/${created.body.id}`, me.token)).body;
      assert.deepEqual(task.recurrence, { rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', mode: 'completion' });

      // A rule the server refuses: the editor stays open and says why.
      await page.getByRole('button', { name: 'Edit “Stand-up”' }).click();
      await dialog.getByLabel(/RRULE/).fill('FREQ=HOURLY');
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.locator('.form-error').waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
    } finally {
      await context.close();
    }
  });

  it('completes a recurring task and the next occurrence appears live; history shows both', async () => {
    const me = await apiSignup(server.baseUrl, 'dee');
    const context = await signedInContext(browser, me, { timezoneId: 'UTC' });
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await page.getByText('Nothing to do. Add a task above.').waitFor();
      await page.getByLabel('Add a task').fill('Water plants every day at 8am');
      await page.getByLabel('Add a task').press('Enter');
      await row(page, 'Water plants').waitFor();
      const before = await row(page, 'Water plants').locator('.due').textContent();

      await page.getByRole('checkbox', { name: 'Complete “Water plants”' }).click();
      // Optimistic: checked at once; then the recurrer's next occurrence arrives over the WebSocket.
      await page.getByRole('checkbox', { name: 'Reopen “Water plants”' }).waitFor();
      await eventually(async () => (await row(page, 'Water plants').count()) === 2, 'the next occurrence', 10000);
      const next = page.getByRole('checkbox', { name: 'Complete “Water plants”' });
      await next.waitFor();
      const dues = await row(page, 'Water plants').locator('.due').allTextContents();
      assert.ok(dues.includes(before), dues);
      assert.ok(dues.some((d) => d !== before), `the next occurrence has another due date: ${dues}`);

      await page.getByRole('button', { name: 'History of “Water plants”' }).first().click();
      const history = page.getByRole('dialog', { name: 'History of “Water plants”' });
      await history.getByText('Created').first().waitFor();
      await history.getByText('Completed').first().waitFor();
      await screenshots(page, 'history');
      await history.getByRole('button', { name: 'Close' }).click();
    } finally {
      await context.close();
    }
  });

  it('fires a reminder into the notification centre and the Notification API', async () => {
    const me = await apiSignup(server.baseUrl, 'eve');
    const context = await signedInContext(browser, me);
    await context.grantPermissions(['notifications'], { origin: server.baseUrl });
    await context.addInitScript(() => {
      const Real = window.Notification;
      window.__shown = [];
      class Spy extends Real {
        constructor(title, options) {
          window.__shown.push({ title, options });
          super(title, options);
        }
      }
      Object.defineProperty(Spy, 'permission', { get: () => Real.permission });
      Spy.requestPermission = (...a) => Real.requestPermission(...a);
      window.Notification = Spy;
    });
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await page.getByText('Nothing to do. Add a task above.').waitFor();
      await page.locator('.live-open').waitFor();
      const at = new Date(Date.now() + 4000).toISOString();
      const res = await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: 'Stretch', reminders: [{ at }] });
      assert.equal(res.status, 201);
      await page.locator('.toast.reminder', { hasText: 'Reminder: Stretch' }).waitFor({ timeout: 15000 });
      const shown = await page.evaluate(() => window.__shown);
      assert.deepEqual(shown.map((n) => n.title), ['Reminder: Stretch']);

      const bell = page.getByRole('button', { name: 'Notifications, 1 unread' });
      await bell.click();
      const centre = page.getByRole('dialog', { name: 'Notifications' });
      await centre.getByRole('button', { name: 'Stretch', exact: true }).waitFor();
      await centre.getByText('Browser notifications are on.').waitFor();
      await screenshots(page, 'notifications');
      await centre.getByRole('button', { name: 'Mark “Stretch” read' }).click();
      await centre.getByRole('button', { name: 'Close notifications' }).click();
      await page.getByRole('button', { name: 'Notifications, 0 unread' }).waitFor();
      const listed = await call(server.baseUrl, 'GET', '/api/notifications?unread=true', me.token);
      assert.equal(listed.body.items.length, 0);
    } finally {
      await context.close();
    }
  });

  it('rolls an optimistic completion back when the server refuses it', async () => {
    const me = await apiSignup(server.baseUrl, 'hub');
    await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: 'Fragile' });
    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.route('**/api/tasks/*/complete', (route) =>
        route.fulfill({
          status: 503,
          contentType: 'application/json',
          body: JSON.stringify({ error: { code: 'unavailable', message: 'the store is not answering' } }),
        }),
      );
      await page.goto(server.baseUrl + '/');
      await page.getByRole('checkbox', { name: 'Complete “Fragile”' }).click();
      await page.locator('.toast.error', { hasText: 'Could not complete “Fragile”: the store is not answering' }).waitFor();
      const box = page.getByRole('checkbox', { name: 'Complete “Fragile”' });
      assert.equal(await box.isChecked(), false);
      const task = (await call(server.baseUrl, 'GET', '/api/tasks', me.token)).body.items[0];
      assert.equal(task.status, 'pending');
    } finally {
      await context.close();
    }
  });

  it('loads the next page from the API cursor when scrolled to the end', async () => {
    const me = await apiSignup(server.baseUrl, 'gil');
    const total = 57;
    for (let i = 1; i <= total; i++) {
      const title = `Item ${String(i).padStart(2, '0')}`;
      assert.equal((await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title })).status, 201);
    }
    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await page.getByLabel('Sort', { exact: true }).selectOption('title');
      await eventually(async () => (await titles(page))[0] === 'Item 01', 'sorted by title');
      assert.equal((await titles(page)).length, 50);
      await page.locator('.list-end').scrollIntoViewIfNeeded();
      await eventually(async () => (await titles(page)).length === total, 'the second page', 10000);
      const shown = await titles(page);
      assert.deepEqual(shown, [...shown].sort());
      assert.equal(new Set(shown).size, total);
      assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0);
    } finally {
      await context.close();
    }
  });

  it('works from the keyboard: n, /, j, k, x, e, ? and deletes with undo', async () => {
    const me = await apiSignup(server.baseUrl, 'fay');
    for (const title of ['First', 'Second', 'Third']) {
      await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title });
    }
    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await row(page, 'First').waitFor();
      // Undated, by due date: newest last is by id ascending.
      assert.deepEqual(await titles(page), ['First', 'Second', 'Third']);
      await page.locator('body').click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('n');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'quick-add-input');
      await page.keyboard.press('Escape');
      await page.keyboard.press('/');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'search');
      await page.keyboard.press('Escape');

      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await page.keyboard.press('k');
      assert.equal(await page.locator('li.task.selected .task-title').textContent(), 'First');
      await page.keyboard.press('j');
      await page.keyboard.press('x');
      await page.getByRole('checkbox', { name: 'Reopen “Second”' }).waitFor();
      await page.keyboard.press('e');
      const editor = page.getByRole('dialog', { name: 'Edit task' });
      assert.equal(await editor.getByLabel('Title').inputValue(), 'Second');
      await page.keyboard.press('Escape');
      await editor.waitFor({ state: 'detached' });
      await page.keyboard.press('?');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      await screenshots(page, 'help');
      await page.keyboard.press('Escape');

      // Delete, undo, delete for good.
      await page.getByRole('button', { name: 'Delete “Third”' }).click();
      await row(page, 'Third').waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Undo' }).click();
      await row(page, 'Third').waitFor();
      await page.getByRole('button', { name: 'Delete “Third”' }).click();
      await row(page, 'Third').waitFor({ state: 'detached' });
      await eventually(
        async () => (await call(server.baseUrl, 'GET', '/api/tasks?status=all', me.token)).body.items.length === 2,
        'the delete to reach the server after the undo window',
        10000,
      );
      assert.equal(await row(page, 'Third').count(), 0);
    } finally {
      await context.close();
    }
  });
});
