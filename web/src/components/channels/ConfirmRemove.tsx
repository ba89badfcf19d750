// The confirmation before removing a channel: what stops, and the refusal if the server said no.
import { useState } from 'react';
import { plainError } from '../../lib/errors';
import { Dialog } from '../Dialog';

interface Props {
  title: string;
  text: string;
  action: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

export function ConfirmRemove({ title, text, action, onConfirm, onClose }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (e) {
      setError(plainError(e, 'Could not remove it.'));
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose} closeLabel="Cancel">
      <p>{text}</p>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose} data-autofocus>
          Keep it
        </button>
        <button type="button" className="primary danger-fill" disabled={busy} onClick={() => void confirm()}>
          {action}
        </button>
      </div>
    </Dialog>
  );
}
