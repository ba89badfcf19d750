// The OAuth consent screen as a person meets it: an app (an MCP client) sends the browser to
// /oauth/authorize; the consent page names the app, asks to log in first when needed, lists
// what the app may do in plain words and where the answer goes; Allow sends the browser back to
// the app with a code that the token endpoint accepts, Deny with access_denied; Settings →
// Connected apps lists the app and disconnects it, its token refused at once. Screenshots of the
// log-in and consent screens and of the connected apps.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  PASSWORD,
  apiSignup,
  call,
  launchBrowser,
  screenshots,
  signedInContext,
  startServer,
  unnamedControls,
} from './support.mjs';

function pkce() {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

describe('the OAuth consent screen', { timeout: 120000 }, () => {
  let server;
  let browser;
  let client;
  let redirect;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    // The app's callback: an address on the server itself, so the browser really arrives there.
    redirect = `${server.baseUrl}/app-callback`;
    const reg = await call(server.baseUrl, 'POST', '/oauth/register', null, {
      client_name: 'Claude Desktop',
      redirect_uris: [redirect],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
    });
    assert.equal(reg.status, 201, JSON.stringify(reg));
    client = reg.body;
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  function authorizeUrl(state, challenge) {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: redirect,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scope: 'tasks:read tasks:write',
      resource: `${server.baseUrl}/mcp`,
    });
    return `${server.baseUrl}/oauth/authorize?${q}`;
  }

  it('asks to log in, names the app and what it may do, and Allow returns a working code', async () => {
    const me = await apiSignup(server.baseUrl, 'ola');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      const { verifier, challenge } = pkce();
      await page.goto(authorizeUrl('st-1', challenge));
      assert.equal(new URL(page.url()).pathname, '/oauth/consent');
      await page.getByText('wants to connect to your Tickler account').waitFor();
      assert.match(await page.locator('.notice').textContent(), /Claude Desktop/);
      await screenshots(page, 'oauth-consent-login');

      await page.getByLabel('Email').fill(me.email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      const heading = page.getByRole('heading', { level: 1 });
      await heading.filter({ hasText: 'Claude Desktop' }).waitFor();
      assert.match(await heading.textContent(), /Allow Claude Desktop to use your Tickler account\?/);
      await page.getByText('See your tasks, tags, task history and notifications').waitFor();
      await page.getByText('Add, change, complete, reopen and delete your tasks').waitFor();
      assert.match(await page.locator('.consent').textContent(), /Your answer goes to an app on this computer \(127\.0\.0\.1\)/);
      assert.match(await page.locator('.consent').textContent(), /name the app gave itself/);
      assert.deepEqual(await unnamedControls(page), []);
      await screenshots(page, 'oauth-consent');

      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL((u) => u.pathname === '/app-callback');
      const back = new URL(page.url()).searchParams;
      assert.equal(back.get('state'), 'st-1');
      assert.equal(back.get('iss'), server.baseUrl);
      assert.ok(back.get('code'));

      const res = await fetch(`${server.baseUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code: back.get('code'),
          client_id: client.client_id,
          redirect_uri: redirect,
          code_verifier: verifier,
        }),
      });
      assert.equal(res.status, 200);
      const access = (await res.json()).access_token;
      assert.match(access, /^tkl_oat_/);
      const grants = await call(server.baseUrl, 'GET', '/api/oauth/grants', me.token);
      assert.deepEqual(grants.body.items.map((g) => g.client_name), ['Claude Desktop']);

      // Settings → Connected apps lists it; disconnecting it ends its token at once.
      await page.goto(server.baseUrl + '/settings');
      const section = page.getByRole('region', { name: 'Connected apps' });
      await section.getByText('Claude Desktop').waitFor();
      await section.getByText('Add, change, complete, reopen and delete your tasks').waitFor();
      assert.match(await section.textContent(), /last used/);
      await section.scrollIntoViewIfNeeded();
      await screenshots(page, 'settings-connected-apps');
      await section.getByRole('button', { name: 'Disconnect Claude Desktop' }).click();
      await section.getByRole('button', { name: 'Disconnect', exact: true }).click();
      await section.getByText('No apps are connected.').waitFor();
      const mcp = await fetch(`${server.baseUrl}/mcp`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${access}`,
          'Content-Type': 'application/json',
          Accept: 'application/json, text/event-stream',
        },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 't', version: '1' } },
        }),
      });
      assert.equal(mcp.status, 401);
    } finally {
      await context.close();
    }
  });

  it('Deny sends the browser back with access_denied and grants nothing', async () => {
    const me = await apiSignup(server.baseUrl, 'pia');
    const context = await signedInContext(browser, me);
    try {
      const page = await context.newPage();
      await page.goto(authorizeUrl('st-2', pkce().challenge));
      await page.getByRole('button', { name: 'Deny' }).click();
      await page.waitForURL((u) => u.pathname === '/app-callback');
      const back = new URL(page.url()).searchParams;
      assert.equal(back.get('error'), 'access_denied');
      assert.equal(back.get('state'), 'st-2');
      assert.equal(back.get('code'), null);
      const grants = await call(server.baseUrl, 'GET', '/api/oauth/grants', me.token);
      assert.deepEqual(grants.body.items, []);
    } finally {
      await context.close();
    }
  });

  it('says why a request for an unknown redirect address cannot go ahead', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const page = await context.newPage();
      const url = new URL(authorizeUrl('st-3', pkce().challenge));
      url.searchParams.set('redirect_uri', 'https://evil.example.com/cb');
      await page.goto(url.toString());
      await page.getByRole('heading', { name: 'This connection cannot go ahead' }).waitFor();
      assert.match(await page.getByRole('alert').textContent(), /redirect_uri/);
      assert.equal(new URL(page.url()).host, new URL(server.baseUrl).host);
      await screenshots(page, 'oauth-consent-refused');
    } finally {
      await context.close();
    }
  });
});
