import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConnectAiClient } from './ConnectAiClient';

describe('ConnectAiClient', () => {
  it('shows the MCP URL and a copyable configuration per client', () => {
    render(<ConnectAiClient origin="https://tasks.example.com" />);
    const section = screen.getByRole('region', { name: 'Connect an AI client' });
    expect((within(section).getByLabelText('MCP server URL') as HTMLInputElement).value).toBe(
      'https://tasks.example.com/mcp',
    );
    expect(within(section).getByRole('button', { name: 'Copy the MCP server URL' })).toBeTruthy();
    for (const name of ['Claude Code', 'Claude Desktop', 'Cursor', 'VS Code', 'ChatGPT']) {
      expect(within(section).getByRole('button', { name: `Copy the ${name} configuration` })).toBeTruthy();
    }
    expect(section.textContent).toContain('<your Tickler API token>');
  });

  it('fills in a token just made', () => {
    render(<ConnectAiClient origin="https://t.example" token="tkl_pat_JUSTMADE" />);
    expect(screen.getByLabelText('Cursor configuration').textContent).toContain('Bearer tkl_pat_JUSTMADE');
    expect(screen.getByText(/hold the token you just made/)).toBeTruthy();
  });
});
