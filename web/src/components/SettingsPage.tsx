// The settings page (/settings, from the top bar): one section component each — the notification
// channels (email, push, ntfy, webhooks: components/channels/) and when and where reminders go,
// API tokens, connecting an AI client, the apps connected over OAuth. A token just made is handed to the connection snippets so they can
// be copied ready to use.
import { useEffect, useRef, useState } from 'react';
import type { NewApiToken } from '../api/types';
import { ApiTokens } from './ApiTokens';
import { ConnectAiClient } from './ConnectAiClient';
import { ConnectedApps } from './ConnectedApps';
import { EmailChannel } from './channels/EmailChannel';
import { NotificationPrefs } from './channels/NotificationPrefs';
import { NtfyChannel } from './channels/NtfyChannel';
import { PushChannel } from './channels/PushChannel';
import { Webhooks } from './channels/Webhooks';

// The page's sections, linked from its top (a long page on a phone).
const SECTIONS: [string, string][] = [
  ['settings-email', 'Email'],
  ['settings-push', 'Push'],
  ['settings-ntfy', 'ntfy'],
  ['settings-webhooks', 'Webhooks'],
  ['settings-when', 'When and where'],
  ['settings-tokens', 'API tokens'],
  ['settings-ai', 'AI clients'],
  ['settings-apps', 'Connected apps'],
];

interface Props {
  onBack: () => void;
}

export function SettingsPage({ onBack }: Props) {
  const [fresh, setFresh] = useState<NewApiToken | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="settings">
      <div className="settings-head">
        <h1 ref={heading} tabIndex={-1}>
          Settings
        </h1>
        <button type="button" className="ghost" onClick={onBack}>
          ← Back to tasks
        </button>
      </div>
      <nav className="settings-nav" aria-label="Settings sections">
        {SECTIONS.map(([id, label]) => (
          <a key={id} href={`#${id}`}>
            {label}
          </a>
        ))}
      </nav>
      <div id="settings-email" className="settings-anchor">
        <EmailChannel />
      </div>
      <div id="settings-push" className="settings-anchor">
        <PushChannel />
      </div>
      <div id="settings-ntfy" className="settings-anchor">
        <NtfyChannel />
      </div>
      <div id="settings-webhooks" className="settings-anchor">
        <Webhooks />
      </div>
      <div id="settings-when" className="settings-anchor">
        <NotificationPrefs />
      </div>
      <div id="settings-tokens" className="settings-anchor">
        <ApiTokens onFresh={setFresh} />
      </div>
      <div id="settings-ai" className="settings-anchor">
        <ConnectAiClient token={fresh?.token ?? null} />
      </div>
      <div id="settings-apps" className="settings-anchor">
        <ConnectedApps />
      </div>
    </div>
  );
}
