// Short messages at the bottom of the screen (announced to screen readers), some with an action
// such as Undo.
export interface Toast {
  id: number;
  text: string;
  kind?: 'info' | 'error' | 'reminder';
  action?: { label: string; run: () => void };
}

export function Toasts({ toasts, dismiss }: { toasts: Toast[]; dismiss: (id: number) => void }) {
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind ?? 'info'}`}>
          <span>{t.text}</span>
          {t.action && (
            <button
              type="button"
              className="link"
              onClick={() => {
                t.action?.run();
                dismiss(t.id);
              }}
            >
              {t.action.label}
            </button>
          )}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
