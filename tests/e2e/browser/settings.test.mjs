// The settings page: make a personal API token (its secret shown once, copied to the clipboard),
// use it, see it named in a task's history, find it listed with its last use and without its
// secret, revoke it after a confirmation; the "Connect an AI client" snippets carry the token
// just made. Screenshots of the page with a fresh token and with the list.
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
  unnamedControls,
} from './support.mjs';

describe('the settings page', { timeout: 180000 }, () => {
  let server;
  let browser;
  before(async () => ({ server, browser } = await startServerAndBrowser()));
  after(() => stopServerAndBrowser(server, browser));

  it('makes, shows once, copies, lists and revokes an API token', async () => {
    const me = await apiSignup(server.baseUrl, 'tess');
    const context = await signedInContext(browser, me);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/');
      await page.locator('.live-open').waitFor();
      await page.getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
      assert.equal(new URL(page.url()).pathname, '/settings');
      await page.getByText('No tokens yet.').waitFor();

      await page.getByLabel('Name', { exact: true }).fill('Claude Desktop');
      await page.getByLabel('Read and write tasks').check();
      await page.getByLabel('Expires after').selectOption('30 days');
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByText('You won’t see it again.').waitFor();
      const secret = await page.getByLabel('Your new API token', { exact: true }).inputValue();
      assert.match(secret, /^tkl_pat_[A-Za-z0-9_-]{43}$/);

      await page.getByRole('button', { name: 'Copy the token' }).click();
      await page.getByRole('button', { name: 'Copy the token' }).getByText('Copied').waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshots(page, 'settings-token-created');

      // The client snippets carry the token just made; the MCP URL is this origin's.
      assert.equal(await page.getByLabel('MCP server URL', { exact: true }).inputValue(), server.baseUrl + '/mcp');
      await page.getByText('Cursor', { exact: true }).click();
      assert.match(await page.getByLabel('Cursor configuration', { exact: true }).textContent(), new RegExp(`Bearer ${secret}`));
      assert.deepEqual(await unnamedControls(page), []);

      // The token works, and what it does is named in the history.
      const made = await call(server.baseUrl, 'POST', '/api/tasks', secret, { title: 'Filed by the assistant' });
      assert.equal(made.status, 201);
      await page.getByRole('button', { name: 'I have copied it' }).click();
      assert.equal((await page.content()).includes(secret), false);
      await page.getByRole('button', { name: '← Back to tasks' }).click();
      await row(page, 'Filed by the assistant').waitFor({ timeout: 5000 });
      await page.getByRole('button', { name: 'History of “Filed by the assistant”' }).click();
      await page.getByRole('dialog').getByText('by API token “Claude Desktop”').waitFor();
      await page.keyboard.press('Escape');

      // Back to settings (the browser's Back follows): listed with its last use, no secret.
      await page.goBack();
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
      const list = page.getByRole('list', { name: 'API tokens' });
      await list.getByText('Claude Desktop').waitFor();
      const listed = await list.textContent();
      assert.match(listed, /Read and write tasks/);
      assert.match(listed, /Last used/);
      assert.match(listed, /Expires /);
      assert.equal(listed.includes(secret), false);
      assert.equal((await page.content()).includes(secret), false);
      await page.getByRole('heading', { name: 'Connect an AI client' }).scrollIntoViewIfNeeded();
      await screenshots(page, 'settings');

      // Revoking asks first; then the token stops working at once.
      await page.getByRole('button', { name: 'Revoke “Claude Desktop”' }).click();
      const confirm = page.getByRole('dialog', { name: 'Revoke “Claude Desktop”?' });
      await confirm.getByRole('button', { name: 'Keep it' }).click();
      assert.equal((await call(server.baseUrl, 'GET', '/api/tasks', secret)).status, 200);
      await page.getByRole('button', { name: 'Revoke “Claude Desktop”' }).click();
      await confirm.getByRole('button', { name: 'Revoke token' }).click();
      await page.getByText('No tokens yet.').waitFor();
      await eventually(
        async () => (await call(server.baseUrl, 'GET', '/api/tasks', secret)).status === 401,
        'the revoked token refused',
      );
    } finally {
      await context.close();
    }
  });

  it('opens at /settings after a reload and says what the server refused', async () => {
    const me = await apiSignup(server.baseUrl, 'uma');
    const context = await signedInContext(browser, me, { viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    try {
      await page.goto(server.baseUrl + '/settings');
      await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByRole('alert').getByText(/Give the token a name/).waitFor();
      await page.getByLabel('Name', { exact: true }).fill('x'.repeat(100));
      await page.getByRole('button', { name: 'Create token' }).click();
      await page.getByLabel('Your new API token', { exact: true }).waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) {
        const wide = await page.$$eval('body *', (els) =>
          els.filter((e) => e.getBoundingClientRect().right > 391).map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
        );
        console.log(wide.slice(0, 15));
      }
      assert.ok(width <= 390, `no sideways scroll at 390 px (${width})`);
    } finally {
      await context.close();
    }
  });
});
