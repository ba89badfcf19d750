// The assistant's chat panel against the built-in assistant of a real `tickler serve`: opened
// with the `c` shortcut, a streamed reply with a task card that opens the task, the task in the
// list without a reload (the WebSocket), delete confirmed with the Yes button, a numbered choice
// answered by a click, the conversation list across a reload, nothing typed lost when a send is
// refused or cannot be sent, and the full-screen sheet at phone width. Screenshots of the panel.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  apiSignup,
  call,
  eventually,
  launchBrowser,
  row,
  screenshots,
  signedInContext,
  startServer,
  unnamedControls,
} from './support.mjs';

// Replaces the next /api/chat answer in the page by the real one cut into its events, held after
// the first `delta` until window.__releaseChat() is called: the stream then ends as the server sent it.
function holdChatStream() {
  const real = window.fetch;
  window.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    if (!url.endsWith('/api/chat')) return real(input, init);
    window.fetch = real;
    const res = await real(input, init);
    if (!res.ok) return res;
    const events = (await res.text()).split(/(?<=\n\n)/);
    const cut = events.findIndex((e) => e.startsWith('event: delta')) + 1;
    let release;
    const released = new Promise((r) => (release = r));
    window.__releaseChat = release;
    const encoder = new TextEncoder();
    const body = new ReadableStream({
      async start(controller) {
        for (const e of events.slice(0, cut)) controller.enqueue(encoder.encode(e));
        await released;
        for (const e of events.slice(cut)) controller.enqueue(encoder.encode(e));
        controller.close();
      },
    });
    return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  };
}

describe('the chat panel', { timeout: 240000 }, () => {
  let server;
  let browser;
  let me;
  let context;
  let page;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    me = await apiSignup(server.baseUrl, 'chad');
    context = await signedInContext(browser, me);
    page = await context.newPage();
    await page.goto(server.baseUrl + '/');
    await page.locator('.live-open').waitFor();
  });
  after(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  const panel = () => page.getByRole('dialog', { name: 'Assistant' });
  const box = () => panel().getByLabel('Message', { exact: true });
  const lastReply = () => panel().locator('li.chat-msg.assistant').last();
  const say = async (text) => {
    const replies = await panel().locator('li.chat-msg.assistant:not(.streaming)').count();
    await box().fill(text);
    await box().press('Enter');
    await eventually(
      async () => (await panel().locator('li.chat-msg.assistant:not(.streaming)').count()) > replies,
      `the reply to "${text}"`,
    );
    return lastReply();
  };

  it('opens with the shortcut, streams a reply with a task card, and the task appears in the list', async () => {
    await page.evaluate(() => (window.__notReloaded = true));
    await page.keyboard.press('c');
    await panel().waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'chat-input');
    await panel().getByText('Say “help” to see all I understand.').waitFor();

    // The reply shows from its first words, before the stream has ended.
    await page.evaluate(holdChatStream);
    await box().fill('add pay rent tomorrow at 9am #home');
    await box().press('Enter');
    const streaming = panel().locator('li.chat-msg.assistant.streaming');
    await streaming.getByText('Added “pay rent”', { exact: false }).waitFor();
    assert.equal(await box().inputValue(), '', 'the box is cleared once the server took the message');
    assert.equal(await panel().getByRole('button', { name: 'Send' }).isDisabled(), true);
    await panel().getByText('The assistant is answering. You can send when the reply has finished.').waitFor();
    assert.equal(await panel().getByRole('log').getAttribute('aria-busy'), 'true');
    await page.evaluate(() => window.__releaseChat());
    await streaming.waitFor({ state: 'detached' });
    assert.equal(await panel().getByRole('log').getAttribute('aria-busy'), 'false');

    const card = lastReply().getByRole('button', { name: /Added\s*pay rent/ });
    await card.waitFor();
    assert.match(await card.textContent(), /Tomorrow 09:00/);
    // The list took the new task from the WebSocket: no reload, no refresh.
    await row(page, 'pay rent').waitFor({ timeout: 5000 });
    assert.equal(await page.evaluate(() => window.__notReloaded), true);
    await screenshots(page, 'chat-added');

    // The card opens the task; closing the editor gives focus back to the card.
    await card.click();
    const editor = page.getByRole('dialog', { name: 'Edit task' });
    await editor.waitFor();
    assert.equal(await editor.getByLabel('Title', { exact: true }).inputValue(), 'pay rent');
    await page.keyboard.press('Escape');
    await editor.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.includes('pay rent')), true);
    assert.deepEqual(await unnamedControls(page), []);

    // Escape closes the panel; the button opens it again on the same conversation.
    await page.keyboard.press('Escape');
    await panel().waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Assistant' }).click();
    await lastReply().getByText('Added “pay rent”', { exact: false }).waitFor();
  });

  it('deletes a task after the Yes button, and keeps one after No', async () => {
    await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: 'old plan' });
    await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: 'keep me' });
    await row(page, 'keep me').waitFor();

    let reply = await say('delete old plan');
    await reply.getByText('Delete “old plan”? Answer yes or no.').waitFor();
    const question = reply.getByRole('group', { name: 'Delete “old plan”?' });
    await screenshots(page, 'chat-confirm');
    await question.getByRole('button', { name: 'Yes' }).click();
    await eventually(async () => (await lastReply().textContent()).includes('Deleted'), 'the delete to be done');
    await question.waitFor({ state: 'detached' });
    await row(page, 'old plan').waitFor({ state: 'detached', timeout: 5000 });
    const gone = await call(server.baseUrl, 'GET', '/api/tasks?q=old', me.token);
    assert.deepEqual(gone.body.items.map((t) => t.title), []);
    // A deleted task's cards, also the earlier "to delete" one, open nothing.
    assert.equal(await panel().locator('button.task-card', { hasText: 'old plan' }).count(), 0);
    assert.ok((await panel().locator('.task-card.gone', { hasText: 'old plan' }).count()) >= 2);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'chat-input');

    reply = await say('delete keep me');
    await reply.getByRole('group', { name: 'Delete “keep me”?' }).getByRole('button', { name: 'No' }).click();
    await eventually(async () => !(await lastReply().textContent()).includes('Answer yes or no'), 'the answer to No');
    assert.equal((await call(server.baseUrl, 'GET', '/api/tasks?q=keep', me.token)).body.items.length, 1);
    await row(page, 'keep me').waitFor();
  });

  it('answers a numbered choice with a click', async () => {
    await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: 'call mom' });
    await call(server.baseUrl, 'POST', '/api/tasks', me.token, { title: 'call dad' });
    const reply = await say('complete call');
    const choices = reply.getByRole('group', { name: 'Choose one' });
    await choices.waitFor();
    assert.equal(await choices.getByRole('button').count(), 2);
    await screenshots(page, 'chat-choice');
    await choices.getByRole('button', { name: /call dad/ }).click();
    await eventually(async () => (await lastReply().textContent()).includes('“call dad”'), 'the chosen task completed');
    await choices.waitFor({ state: 'detached' });
    const tasks = (await call(server.baseUrl, 'GET', '/api/tasks?q=call&status=all', me.token)).body.items;
    assert.deepEqual(Object.fromEntries(tasks.map((t) => [t.title, t.status])), { 'call mom': 'pending', 'call dad': 'completed' });
    // The number sent is shown as the person's message; the old options are now plain cards.
    assert.match(await panel().locator('li.chat-msg.user').last().textContent(), /\d/);
    await eventually(async () => (await row(page, 'call dad').getAttribute('class')).includes('done'), 'call dad shown done');
    assert.equal(await row(page, 'call mom').getAttribute('class'), 'task');
  });

  it('keeps the conversations across a reload: open one, start one, delete one', async () => {
    await panel().getByRole('button', { name: 'New conversation' }).click();
    await panel().getByText('Say “help” to see all I understand.').waitFor();
    await say('what is due tomorrow');

    await page.reload();
    await page.locator('.live-open').waitFor();
    await page.keyboard.press('c');
    // The conversation open before the reload is open again.
    await panel().locator('li.chat-msg.user', { hasText: 'what is due tomorrow' }).waitFor();
    await panel().getByRole('button', { name: 'Conversations' }).click();
    const list = panel().getByRole('list', { name: 'Conversations' });
    await list.waitFor();
    const titles = await list.locator('.chat-open-title').allTextContents();
    assert.deepEqual(titles, ['what is due tomorrow', 'add pay rent tomorrow at 9am #home']);
    assert.match(await list.locator('[aria-current="true"]').textContent(), /^what is due tomorrow/);
    await screenshots(page, 'chat-conversations');

    await list.getByRole('button', { name: /^add pay rent tomorrow/ }).click();
    await panel().locator('li.chat-msg.user', { hasText: 'delete old plan' }).waitFor();
    await panel().locator('.task-card.gone', { hasText: 'old plan' }).first().waitFor();

    await panel().getByRole('button', { name: 'Conversations' }).click();
    await list.getByRole('button', { name: 'Delete conversation “what is due tomorrow”' }).click();
    const confirm = list.getByRole('group', { name: 'Delete “what is due tomorrow”?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await call(server.baseUrl, 'GET', '/api/conversations', me.token)).body.items.length, 2);
    await list.getByRole('button', { name: 'Delete conversation “what is due tomorrow”' }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await list.getByText('what is due tomorrow').waitFor({ state: 'detached' });
    const left = (await call(server.baseUrl, 'GET', '/api/conversations', me.token)).body.items;
    assert.deepEqual(left.map((c) => c.title), ['add pay rent tomorrow at 9am #home']);
  });

  it('never drops what was typed: too long, refused, unreachable', async () => {
    await panel().getByRole('button', { name: 'Back to the chat' }).click();
    const send = panel().getByRole('button', { name: 'Send' });

    await box().fill('x'.repeat(1700));
    await panel().getByText('1,700 of 2,000 characters').waitFor();
    await box().fill('y'.repeat(2001));
    await panel().getByText('Too long: 2,001 of 2,000 characters. Shorten it to send.').waitFor();
    assert.equal(await send.isDisabled(), true);
    await box().press('Enter');
    assert.equal((await box().inputValue()).length, 2001);

    const messages = await panel().locator('li.chat-msg').count();
    await page.route('**/api/chat', (route) =>
      route.fulfill({
        status: 413,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'payload_too_large', message: 'message is longer than 2000 characters', details: {} } }),
      }),
    );
    await box().fill('add something the server refuses');
    await box().press('Enter');
    await panel().getByRole('alert').getByText('The message is too long: at most 2,000 characters.').waitFor();
    assert.equal(await box().inputValue(), 'add something the server refuses');
    await page.unroute('**/api/chat');

    await page.route('**/api/chat', (route) => route.abort('internetdisconnected'));
    await send.click();
    await panel().getByRole('alert').getByText('Cannot reach Tickler. Check your connection.').waitFor();
    assert.equal(await box().inputValue(), 'add something the server refuses');
    assert.equal(await panel().locator('li.chat-msg').count(), messages, 'nothing refused is shown as sent');
    await page.unroute('**/api/chat');

    // The real server: a 422 for an unknown conversation would not happen here; this one goes through.
    await box().fill('add water the plants');
    await send.click();
    await row(page, 'water the plants').waitFor({ timeout: 5000 });
    assert.equal(await box().inputValue(), '');
    assert.equal(await panel().getByRole('alert').count(), 0);
  });

  it('is a full-screen sheet at phone width, opened and closed from the top bar', async () => {
    const phone = await signedInContext(browser, me, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    try {
      await p.goto(server.baseUrl + '/');
      await p.locator('.live-open').waitFor();
      const button = p.getByRole('button', { name: 'Assistant' });
      await button.click();
      const sheet = p.getByRole('dialog', { name: 'Assistant' });
      await sheet.waitFor();
      assert.equal(await sheet.getAttribute('aria-modal'), 'true');
      const boxSize = await sheet.boundingBox();
      assert.deepEqual([boxSize.x, boxSize.y, boxSize.width, boxSize.height], [0, 0, 390, 844]);
      await sheet.getByLabel('Message', { exact: true }).fill('what is due this week');
      await sheet.getByRole('button', { name: 'Send' }).click();
      await sheet.locator('li.chat-msg.assistant:not(.streaming)').last().waitFor();
      assert.equal(await p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
      assert.deepEqual(await unnamedControls(p), []);
      await p.screenshot({ path: new URL('../screenshots/chat-phone-390.png', import.meta.url).pathname });
      await sheet.getByRole('button', { name: 'Close the assistant' }).click();
      await sheet.waitFor({ state: 'detached' });
      assert.equal(await p.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent), 'Assistant');
    } finally {
      await phone.close();
    }
  });
});
