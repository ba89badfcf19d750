// Single-key shortcuts for the whole page, ignored while typing in a field or with a modifier.
import { useEffect, useRef } from 'react';

export type ShortcutMap = Record<string, () => void>;

// Inputs that take no typed text: a focused task checkbox must not swallow the shortcuts.
const NOT_TYPED = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

export function isTypingTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t instanceof HTMLInputElement) return !NOT_TYPED.has(t.type);
  return t.isContentEditable || ['TEXTAREA', 'SELECT'].includes(t.tagName);
}

export function useShortcuts(map: ShortcutMap, enabled: boolean): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      // Any modal on screen (an editor, or the session-expired log-in) owns the keyboard.
      if (document.querySelector('[aria-modal="true"]')) return;
      if (isTypingTarget(e.target)) {
        if (e.key === 'Escape') (e.target as HTMLElement).blur();
        return;
      }
      const run = ref.current[e.key];
      if (run) {
        e.preventDefault();
        run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled]);
}
