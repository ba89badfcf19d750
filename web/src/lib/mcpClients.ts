// How the common MCP clients connect to Tickler's MCP server (<origin>/mcp, Streamable HTTP):
// one configuration snippet per client, with a personal API token (or a placeholder for one)
// where the client takes a header, and where it signs in with OAuth instead.

export const TOKEN_PLACEHOLDER = '<your Tickler API token>';

export interface McpClientSetup {
  id: string;
  name: string;
  // Where the snippet goes, in a few words.
  where: string;
  snippet: string;
  // What else to know: OAuth, plans, restarts.
  note: string;
  // The snippet carries the token (so it is a secret once a real token is filled in).
  usesToken: boolean;
}

export function mcpUrl(origin: string): string {
  return origin.replace(/\/+$/, '') + '/mcp';
}

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

// token: a real token just made, or undefined for the placeholder.
export function mcpClientSetups(origin: string, token?: string): McpClientSetup[] {
  const url = mcpUrl(origin);
  const t = token || TOKEN_PLACEHOLDER;
  return [
    {
      id: 'claude-code',
      name: 'Claude Code',
      where: 'Run in a terminal',
      snippet: `claude mcp add --transport http tickler ${url} \\\n  --header "Authorization: Bearer ${t}"`,
      note: 'Or leave out --header and run /mcp in Claude Code to sign in with OAuth.',
      usesToken: true,
    },
    {
      id: 'claude-desktop',
      name: 'Claude Desktop',
      where: 'claude_desktop_config.json (Settings → Developer → Edit Config)',
      snippet: json({
        mcpServers: {
          tickler: {
            command: 'npx',
            args: ['-y', 'mcp-remote', url, '--header', 'Authorization:${TICKLER_AUTH}'],
            env: { TICKLER_AUTH: `Bearer ${t}` },
          },
        },
      }),
      note:
        'Needs Node.js (mcp-remote bridges to the remote server); restart Claude Desktop after saving. ' +
        'With a public HTTPS address you can instead add a custom connector with this URL ' +
        '(Settings → Connectors) and sign in with OAuth.',
      usesToken: true,
    },
    {
      id: 'cursor',
      name: 'Cursor',
      where: '~/.cursor/mcp.json (or .cursor/mcp.json in a project)',
      snippet: json({ mcpServers: { tickler: { url, headers: { Authorization: `Bearer ${t}` } } } }),
      note: 'Leave out "headers" to sign in with OAuth when Cursor asks.',
      usesToken: true,
    },
    {
      id: 'vscode',
      name: 'VS Code',
      where: '.vscode/mcp.json (or MCP: Open User Configuration)',
      snippet: json({
        servers: {
          tickler: {
            type: 'http',
            url,
            headers: { Authorization: 'Bearer ${input:tickler-token}' },
          },
        },
        inputs: [
          { type: 'promptString', id: 'tickler-token', description: 'Tickler API token', password: true },
        ],
      }),
      note: 'VS Code asks for the token once and keeps it in its secret storage. Without "headers" it signs in with OAuth.',
      usesToken: false,
    },
    {
      id: 'chatgpt',
      name: 'ChatGPT',
      where: 'Settings → Apps & Connectors → Create (developer mode)',
      snippet: `MCP server URL: ${url}\nAuthentication: OAuth`,
      note:
        'ChatGPT signs in with OAuth: approve it on the Tickler page it opens. ' +
        'It needs a public HTTPS address, not localhost.',
      usesToken: false,
    },
  ];
}
