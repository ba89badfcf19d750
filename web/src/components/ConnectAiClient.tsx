// Settings → Connect an AI client: the MCP server's URL and a copyable configuration for each
// common client (lib/mcpClients.ts). With a token just made on this page, the snippets carry it;
// otherwise a placeholder to replace.
import { useId } from 'react';
import { mcpClientSetups, mcpUrl, TOKEN_PLACEHOLDER } from '../lib/mcpClients';
import { CopyButton } from './CopyButton';

interface Props {
  origin?: string;
  // The secret of a token just made on this page, if any.
  token?: string | null;
}

export function ConnectAiClient({ origin = window.location.origin, token }: Props) {
  const ids = useId();
  const url = mcpUrl(origin);
  const setups = mcpClientSetups(origin, token ?? undefined);
  return (
    <section className="settings-section" aria-labelledby={`${ids}-title`}>
      <h2 id={`${ids}-title`}>Connect an AI client</h2>
      <p className="muted">
        Tickler is an MCP server: an AI assistant connected to it can list, add, complete and edit your tasks, and
        what it does shows in each task’s history under its name.
      </p>
      <div className="secret-row">
        <label className="block grow">
          MCP server URL
          <input readOnly value={url} onFocus={(e) => e.target.select()} />
        </label>
        <CopyButton text={url} what="the MCP server URL" />
      </div>
      <p className="hint">
        {token
          ? 'The configurations below hold the token you just made: keep them private.'
          : `Replace ${TOKEN_PLACEHOLDER} with a token made above, or sign in with OAuth where the client offers it: you then approve the client on a Tickler page, and it gets only the access you grant.`}
      </p>
      <div className="clients">
        {setups.map((s, i) => (
          <details key={s.id} open={i === 0}>
            <summary>{s.name}</summary>
            <p className="hint">{s.where}</p>
            <pre className="snippet" aria-label={`${s.name} configuration`}>
              <code>{s.snippet}</code>
            </pre>
            <CopyButton text={s.snippet} what={`the ${s.name} configuration`} />
            <p className="hint">{s.note}</p>
          </details>
        ))}
      </div>
    </section>
  );
}
