import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { task } from '../test/fixtures';
import { TaskRow } from './TaskRow';

function renderRow(t = task(), onSnooze = vi.fn()) {
  render(
    <ul>
      <TaskRow
        task={t}
        zone="UTC"
        selected={false}
        onSelect={vi.fn()}
        onToggle={vi.fn()}
        onEdit={vi.fn()}
        onHistory={vi.fn()}
        onDelete={vi.fn()}
        onSnooze={onSnooze}
      />
    </ul>,
  );
  return onSnooze;
}

describe('Snooze on a task row', () => {
  it('is there only for a pending task with a reminder', () => {
    renderRow(task({ title: 'No bell' }));
    expect(screen.queryByRole('button', { name: 'Snooze “No bell”' })).toBeNull();
  });

  it('opens three choices and reports the one picked, with its instant', () => {
    const onSnooze = renderRow(task({ title: 'Call Bob', reminders: [{ before_minutes: 5 }], time_zone: 'Europe/Berlin' }));
    const button = screen.getByRole('button', { name: 'Snooze “Call Bob”' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(button);
    expect(button.getAttribute('aria-expanded')).toBe('true');
    const group = screen.getByRole('group', { name: 'Snooze “Call Bob” for' });
    const choices = Array.from(group.querySelectorAll('button')).map((b) => b.textContent);
    expect(choices).toEqual(['10 minutes', '1 hour', 'Tomorrow 9:00']);
    expect(document.activeElement?.textContent).toBe('10 minutes');
    const before = Date.now();
    fireEvent.click(screen.getByRole('button', { name: '1 hour' }));
    expect(onSnooze).toHaveBeenCalledTimes(1);
    const until = Date.parse(onSnooze.mock.calls[0]![0].until);
    expect(until - before).toBeGreaterThanOrEqual(3600e3 - 1000);
    expect(until - before).toBeLessThanOrEqual(3600e3 + 1000);
    expect(screen.queryByRole('group')).toBeNull();
  });

  it('closes on Escape and gives the focus back', () => {
    const onSnooze = renderRow(task({ title: 'Water plants', reminders: [{ at: '2030-01-01T09:00:00Z' }] }));
    const button = screen.getByRole('button', { name: 'Snooze “Water plants”' });
    fireEvent.click(button);
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowDown' });
    expect(document.activeElement?.textContent).toBe('1 hour');
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('group')).toBeNull();
    expect(document.activeElement).toBe(button);
    expect(onSnooze).not.toHaveBeenCalled();
  });
});
