import { useCallback, useRef, useState } from 'react';
import type { Toast } from '../components/Toasts';

// Toasts that go away by themselves after `ms` (default 5 s).
export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (toast: Omit<Toast, 'id'>, ms = 5000) => {
      const id = next.current++;
      setToasts((ts) => [...ts.slice(-3), { ...toast, id }]);
      setTimeout(() => dismiss(id), ms);
      return id;
    },
    [dismiss],
  );
  return { toasts, show, dismiss };
}
