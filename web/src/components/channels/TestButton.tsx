// "Send a test" for one channel (POST /api/me/channels/test): the outcome, or why it could not
// be sent, next to the button in a live region.
import { useState } from 'react';
import { testChannel } from '../../api/channels';
import { testErrorText, testOutcomeText } from '../../lib/channelText';

export function TestButton({ channel, label }: { channel: string; label: string }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const send = async () => {
    setBusy(true);
    setResult(null);
    try {
      const r = await testChannel(channel);
      setResult({ ok: r.outcome !== 'failed', text: testOutcomeText(r) });
    } catch (e) {
      setResult({ ok: false, text: testErrorText(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="test-send">
      <button type="button" onClick={() => void send()} disabled={busy} aria-label={`Send a test to ${label}`}>
        {busy ? 'Sending…' : 'Send a test'}
      </button>
      <span role="status" className={result ? (result.ok ? 'test-ok' : 'test-failed') : undefined}>
        {result?.text}
      </span>
    </span>
  );
}
