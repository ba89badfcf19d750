// The chat panel's code is not in the initial JavaScript: it is loaded the first time the panel
// opens, and stays mounted from then on (so a closed panel keeps its conversation). If the code
// cannot be loaded (offline), the panel says so instead.
import { lazy, Suspense, useState, type ComponentProps } from 'react';
import type { ChatPanel as ChatPanelType } from './ChatPanel';

type Props = ComponentProps<typeof ChatPanelType>;

function Unavailable({ open, onClose }: Props) {
  if (!open) return null;
  return (
    <section
      className="chat"
      role="dialog"
      aria-label="Assistant"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation();
        onClose();
      }}
    >
      <header className="chat-head">
        <h2>Assistant</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close the assistant" autoFocus>
          ×
        </button>
      </header>
      <p className="chat-intro form-error" role="alert">
        The assistant could not be loaded. Check your connection and reload the page.
      </p>
    </section>
  );
}

const Panel = lazy(() =>
  import('./ChatPanel').then(
    (m) => ({ default: m.ChatPanel }),
    () => ({ default: Unavailable }),
  ),
);

export function ChatLoader(props: Props) {
  const [used, setUsed] = useState(props.open);
  if (props.open && !used) setUsed(true);
  if (!used) return null;
  return (
    <Suspense fallback={null}>
      <Panel {...props} />
    </Suspense>
  );
}
