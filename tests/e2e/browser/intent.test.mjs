// The UI never drops what a person asked for silently: it blocks with the reason, or it does it.
// A repeat or a before-due reminder without a due date blocks the save; reopening a completed
// recurring task takes back its untouched next occurrence (or keeps a changed one and says so);
// shortcuts keep working after a click on a task's checkbox; unsaved edits are not thrown away
// by Escape or a click outside without asking; quick add says what it refused in plain words and
// takes quoted text and "1/2" literally.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  apiSignup,
  call,
  eventually,
  row,
  screenshots,
  signedInContext,
  startServerAndBrowser,
  stopServerAndBrowser,
} from './support.mjs';

describe('the web UI keeps what was asked for', { timeout: 180000 }, () => {
  let server;
  let browser;
  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  async function tasks(me) {
    const res = await call(server.baseUrl, 'GET', '/api/tasks?status=all&limit=200', me.token);
    assert.equal(res.status, 200);
    return res.body.items;
  }

  it('blocks saving a repeat or a before-due reminder without a due date, with the reason', async () => {
    const me = await apiSignup(server.baseUrl, 'ida');
    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await page.getByText('Nothing to do. Add a task above.').waitFor();
      await page.getByRole('button', { name: /New task/ }).click();
      const editor = page.getByRole('dialog', { name: 'New task' });
      await editor.getByLabel('Title').fill('Water the plants');
      await editor.getByLabel('Repeat').selectOption('daily');
      await editor.getByRole('button', { name: 'Save' }).click();
      await editor.getByText('A repeating task needs a due date. Set one, or choose “Does not repeat”.').waitFor();
      await screenshots(page, 'editor-repeat-needs-due');
      assert.equal((await tasks(me)).length, 0, 'nothing was saved');

      // A reminder before due without a due date is blocked too.
      await editor.getByLabel('Repeat').selectOption('none');
      await editor.getByRole('button', { name: '+ Add reminder' }).click();
      await editor.getByLabel('Reminder 1 kind').selectOption('before');
      await editor.getByRole('button', { name: 'Save' }).click();
      await editor.getByText(/A reminder before the due time needs a due date/).waitFor();
      assert.equal((await tasks(me)).length, 0, 'nothing was saved');

      // With a due date, both are saved as asked.
      await editor.getByLabel('Repeat').selectOption('daily');
      await editor.getByLabel('Due date').fill('2030-03-04');
      await editor.getByRole('button', { name: 'Save' }).click();
      await editor.waitFor({ state: 'detached' });
      const [saved] = await eventually(async () => {
        const items = await tasks(me);
        return items.length === 1 && items;
      }, 'the saved task');
      assert.deepEqual(saved.recurrence, { rrule: 'FREQ=DAILY', mode: 'schedule' });
      assert.deepEqual(saved.reminders, [{ before_minutes: 15 }]);
      assert.ok(saved.due_at);
    } finally {
      await context.close();
    }
  });

  it('asks before discarding unsaved changes on Escape or a click outside', async () => {
    const me = await apiSignup(server.baseUrl, 'jo');
    await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: 'Draft letter' });
    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await page.getByRole('button', { name: 'Edit “Draft letter”' }).click();
      const editor = page.getByRole('dialog', { name: 'Edit task' });
      await editor.getByLabel('Title').fill('Draft letter to the council');
      await page.keyboard.press('Escape');
      const ask = editor.getByText('You have unsaved changes. Discard them?');
      await ask.waitFor();
      await screenshots(page, 'editor-discard-ask');
      await editor.getByRole('button', { name: 'Keep editing' }).click();
      await ask.waitFor({ state: 'detached' });
      assert.equal(await editor.getByLabel('Title').inputValue(), 'Draft letter to the council');

      await page.mouse.click(5, 400); // the backdrop, outside the dialog
      await ask.waitFor();
      await editor.getByRole('button', { name: 'Discard changes' }).click();
      await editor.waitFor({ state: 'detached' });
      await row(page, 'Draft letter').waitFor();
      assert.equal((await tasks(me))[0].title, 'Draft letter');

      // Without changes, Escape closes at once.
      await page.getByRole('button', { name: 'Edit “Draft letter”' }).click();
      await editor.waitFor();
      await page.keyboard.press('Escape');
      await editor.waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  });

  it('reopening a completed recurring task takes back its untouched next occurrence; a changed one is kept and said', async () => {
    const me = await apiSignup(server.baseUrl, 'kim');
    const due = new Date(Date.now() + 2 * 86400000).toISOString();
    const created = await call(server.baseUrl, 'POST', '/api/tasks', me.token, {
      title: 'Stretch',
      due_at: due,
      time_zone: 'UTC',
      recurrence: { rrule: 'FREQ=DAILY', mode: 'schedule' },
    });
    assert.equal(created.status, 201);
    const context = await signedInContext(browser, me, { timezoneId: 'UTC' });
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await row(page, 'Stretch').waitFor();
      await page.getByRole('checkbox', { name: 'Complete “Stretch”' }).click();
      await eventually(async () => (await row(page, 'Stretch').count()) === 2, 'the next occurrence', 10000);

      await page.getByRole('checkbox', { name: 'Reopen “Stretch”' }).click();
      await page.getByText('Reopened “Stretch”; its next occurrence, made when it was completed, was removed.').waitFor();
      await eventually(async () => (await row(page, 'Stretch').count()) === 1, 'one open copy in the list');
      const left = await tasks(me);
      assert.deepEqual(left.map((t) => [t.id, t.status]), [[created.body.id, 'pending']]);

      // Complete again: one next occurrence; change it; reopen: both stay and the UI says why.
      await page.getByRole('checkbox', { name: 'Complete “Stretch”' }).click();
      const next = await eventually(async () => (await tasks(me)).find((t) => t.id !== created.body.id), 'the next occurrence again');
      const patched = await call(server.baseUrl, 'PATCH', `/api/tasks/${next.id}`, me.token, { priority: 'high' });
      assert.equal(patched.status, 200);
      await eventually(async () => (await row(page, 'Stretch').count()) === 2, 'the next occurrence in the list', 10000);
      await page.getByRole('checkbox', { name: 'Reopen “Stretch”' }).click();
      await page.getByText('Reopened “Stretch”. Its next occurrence was changed since it was made, so it was kept: you now have both.').waitFor();
      await screenshots(page, 'reopen-kept');
      const both = await tasks(me);
      assert.equal(both.length, 2);
      assert.ok(both.every((t) => t.status === 'pending'));
    } finally {
      await context.close();
    }
  });

  it('keeps the keyboard shortcuts after a click on a task checkbox, and never types into quick add', async () => {
    const me = await apiSignup(server.baseUrl, 'lea');
    for (const title of ['Alpha', 'Beta', 'Gamma']) {
      await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title });
    }
    const context = await signedInContext(browser, me);
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await row(page, 'Gamma').waitFor();
      await page.getByRole('checkbox', { name: 'Complete “Alpha”' }).click();
      await page.getByRole('checkbox', { name: 'Reopen “Alpha”' }).waitFor();
      assert.equal(await page.locator('li.task.selected .task-title').textContent(), 'Alpha');
      assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'quick-add-input');

      await page.keyboard.press('j');
      assert.equal(await page.locator('li.task.selected .task-title').textContent(), 'Beta');
      await page.keyboard.press('x');
      await page.getByRole('checkbox', { name: 'Reopen “Beta”' }).waitFor();
      await page.keyboard.press('k');
      assert.equal(await page.locator('li.task.selected .task-title').textContent(), 'Alpha');
      assert.equal(await page.getByLabel('Add a task').inputValue(), '');
      assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'quick-add-input');
      await page.keyboard.press('e');
      const editor = page.getByRole('dialog', { name: 'Edit task' });
      assert.equal(await editor.getByLabel('Title').inputValue(), 'Alpha');
      await page.keyboard.press('Escape');
      await editor.waitFor({ state: 'detached' });
    } finally {
      await context.close();
    }
  });

  it('quick add: plain-words errors, a title over 200 said in the field, quotes and 1/2 taken literally', async () => {
    const me = await apiSignup(server.baseUrl, 'max');
    const context = await signedInContext(browser, me, { timezoneId: 'UTC' });
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await page.getByText('Nothing to do. Add a task above.').waitFor();
      const quick = page.getByLabel('Add a task');
      const preview = page.getByTestId('quick-preview');

      await quick.fill('a'.repeat(231));
      await preview.getByText('The title is too long (231 of 200 characters).').waitFor();
      assert.equal(await quick.getAttribute('aria-invalid'), 'true');
      assert.doesNotMatch(await preview.textContent(), /after trimming|title:/);
      await quick.press('Enter');
      await preview.getByText('The title is too long (231 of 200 characters).').waitFor();
      assert.equal((await tasks(me)).length, 0);

      await quick.fill('#home !high');
      await quick.press('Enter');
      await preview.getByText('Type what the task is, not only tags and a priority.').waitFor();

      // A reminder before due with no date could never fire: blocked, with the reason.
      await quick.fill('Buy milk remind me an hour before');
      const needsDue = 'A reminder before the due time needs a due date: add one, like “tomorrow 9am”.';
      await preview.getByText(needsDue).waitFor();
      await quick.press('Enter');
      await preview.getByText(needsDue).waitFor();
      assert.equal(await quick.inputValue(), 'Buy milk remind me an hour before');
      assert.equal((await tasks(me)).length, 0);

      await quick.fill('Read 1/2 of the book');
      await eventually(async () => (await preview.textContent()) === 'Read 1/2 of the book', 'a preview without a date');
      await quick.press('Enter');
      await row(page, 'Read 1/2 of the book').waitFor();

      await quick.fill('"Meet on Friday" tomorrow #club');
      await eventually(async () => (await preview.textContent()).startsWith('Meet on Friday · '), 'the quoted title');
      await quick.press('Enter');
      await row(page, 'Meet on Friday').waitFor();

      const items = await tasks(me);
      const half = items.find((t) => t.title === 'Read 1/2 of the book');
      assert.equal(half.due_at, null);
      const meet = items.find((t) => t.title === 'Meet on Friday');
      assert.ok(meet.due_at, 'due tomorrow');
      assert.deepEqual(meet.tags, ['club']);
      await screenshots(page, 'quick-add-literal');
    } finally {
      await context.close();
    }
  });
});
