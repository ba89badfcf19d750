import { describe, expect, it } from 'vitest';
import { mcpClientSetups, mcpUrl, TOKEN_PLACEHOLDER } from './mcpClients';

describe('MCP client setups', () => {
  it('points every client at <origin>/mcp', () => {
    expect(mcpUrl('https://tasks.example.com/')).toBe('https://tasks.example.com/mcp');
    const setups = mcpClientSetups('https://tasks.example.com');
    expect(setups.map((s) => s.name)).toEqual(['Claude Code', 'Claude Desktop', 'Cursor', 'VS Code', 'ChatGPT']);
    for (const s of setups) expect(s.snippet).toContain('https://tasks.example.com/mcp');
  });

  it('puts the token where the client takes a header, a placeholder without one', () => {
    const withToken = mcpClientSetups('https://t.example', 'tkl_pat_SECRET');
    const byId = Object.fromEntries(withToken.map((s) => [s.id, s]));
    expect(byId['claude-code']!.snippet).toBe(
      'claude mcp add --transport http tickler https://t.example/mcp \\\n  --header "Authorization: Bearer tkl_pat_SECRET"',
    );
    const cursor = JSON.parse(byId['cursor']!.snippet);
    expect(cursor.mcpServers.tickler).toEqual({
      url: 'https://t.example/mcp',
      headers: { Authorization: 'Bearer tkl_pat_SECRET' },
    });
    const desktop = JSON.parse(byId['claude-desktop']!.snippet);
    expect(desktop.mcpServers.tickler.args).toContain('https://t.example/mcp');
    expect(desktop.mcpServers.tickler.env.TICKLER_AUTH).toBe('Bearer tkl_pat_SECRET');
    // VS Code prompts for the token; ChatGPT signs in with OAuth: neither snippet holds it.
    const vscode = JSON.parse(byId['vscode']!.snippet);
    expect(vscode.servers.tickler.type).toBe('http');
    expect(vscode.servers.tickler.headers.Authorization).toBe('Bearer ${input:tickler-token}');
    expect(byId['vscode']!.snippet).not.toContain('SECRET');
    expect(byId['chatgpt']!.snippet).toContain('OAuth');
    expect(byId['chatgpt']!.snippet).not.toContain('SECRET');

    const placeholder = mcpClientSetups('https://t.example');
    expect(placeholder.find((s) => s.id === 'cursor')!.snippet).toContain(TOKEN_PLACEHOLDER);
  });
});
