import { renderHook } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { isTypingTarget, useShortcuts } from './useShortcuts';

function input(type: string): HTMLInputElement {
  const el = document.createElement('input');
  el.type = type;
  document.body.appendChild(el);
  return el;
}

describe('useShortcuts', () => {
  it('treats text fields as typing targets, not checkboxes or buttons', () => {
    for (const type of ['text', 'search', 'email', 'number', 'date', 'time']) expect(isTypingTarget(input(type))).toBe(true);
    for (const type of ['checkbox', 'radio', 'button', 'submit']) expect(isTypingTarget(input(type))).toBe(false);
    expect(isTypingTarget(document.createElement('textarea'))).toBe(true);
    expect(isTypingTarget(document.createElement('select'))).toBe(true);
    expect(isTypingTarget(document.createElement('button'))).toBe(false);
  });

  it('runs a shortcut pressed while a task checkbox has focus', () => {
    const j = vi.fn();
    renderHook(() => useShortcuts({ j }, true));
    const box = input('checkbox');
    box.focus();
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true, cancelable: true }));
    expect(j).toHaveBeenCalledTimes(1);
    const text = input('text');
    text.dispatchEvent(new KeyboardEvent('keydown', { key: 'j', bubbles: true, cancelable: true }));
    expect(j).toHaveBeenCalledTimes(1);
  });
});
