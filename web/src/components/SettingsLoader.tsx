// The settings page's code (channels, tokens, AI clients, connected apps) is not in the initial
// JavaScript: it is loaded the first time /settings opens. If it cannot be loaded (offline), the
// page says so instead.
import { lazy, Suspense } from 'react';

interface Props {
  onBack: () => void;
}

function Unavailable({ onBack }: Props) {
  return (
    <div className="settings">
      <div className="settings-head">
        <h1>Settings</h1>
        <button type="button" className="ghost" onClick={onBack}>
          ← Back to tasks
        </button>
      </div>
      <p className="form-error" role="alert">
        The settings could not be loaded. Check your connection and reload the page.
      </p>
    </div>
  );
}

const Page = lazy(() =>
  import('./SettingsPage').then(
    (m) => ({ default: m.SettingsPage }),
    () => ({ default: Unavailable }),
  ),
);

export function SettingsLoader({ onBack }: Props) {
  return (
    <Suspense fallback={<p className="muted">Loading settings…</p>}>
      <Page onBack={onBack} />
    </Suspense>
  );
}
