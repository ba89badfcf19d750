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
      <EmailChannel />
      <PushChannel />
      <NtfyChannel />
      <Webhooks />
      <NotificationPrefs />
      <ApiTokens onFresh={setFresh} />
      <ConnectAiClient token={fresh?.token ?? null} />
      <ConnectedApps />
    </div>
  );
}
