// Copies a text to the clipboard and says so ("Copied"). Where the Clipboard API is missing (a
// page served over plain HTTP to another machine), it falls back to a hidden selection and
// execCommand, and says when even that failed, so the user selects the text by hand.
import { useEffect, useState } from 'react';

export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall back below
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try {
    ok = typeof document.execCommand === 'function' && document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

interface Props {
  text: string;
  // What is copied, for the button's accessible name: "Copy the token".
  what: string;
  className?: string;
}

export function CopyButton({ text, what, className }: Props) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <span className="copy">
      <button
        type="button"
        className={className}
        aria-label={`Copy ${what}`}
        onClick={() => void copyText(text).then((ok) => setState(ok ? 'copied' : 'failed'))}
      >
        {state === 'copied' ? 'Copied ✓' : 'Copy'}
      </button>
      <span role="status" className={state === 'failed' ? 'form-error copy-status' : 'visually-hidden'}>
        {state === 'copied' ? `Copied ${what}.` : state === 'failed' ? 'Could not copy: select the text and copy it.' : ''}
      </span>
    </span>
  );
}
