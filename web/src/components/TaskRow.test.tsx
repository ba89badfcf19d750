import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { task } from '../test/fixtures';
import { TaskRow } from './TaskRow';

function renderRow(t = task()) {
  const handlers = {
    onSelect: vi.fn(),
    onToggle: vi.fn(),
    onEdit: vi.fn(),
    onHistory: vi.fn(),
    onDelete: vi.fn(),
  };
  render(
    <ul>
      <TaskRow task={t} zone="UTC" selected={false} {...handlers} />
    </ul>,
  );
  return handlers;
}

describe('TaskRow', () => {
  it('names its controls after the task and reports clicks', () => {
    const h = renderRow(task({ title: 'Pay rent', tags: ['home'], priority: 'high' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Complete “Pay rent”' }));
    expect(h.onToggle).toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Edit “Pay rent”' }));
    expect(h.onEdit).toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Delete “Pay rent”' }));
    expect(h.onDelete).toHaveBeenCalled();
    expect(screen.getByText('#home')).toBeTruthy();
    expect(screen.getByText('high')).toBeTruthy();
  });

  it('shows recurrence in words and marks overdue', () => {
    renderRow(
      task({
        title: 'Stand-up',
        due_at: '2020-01-06T09:00:00.000Z',
        recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10', mode: 'schedule' },
      }),
    );
    expect(screen.getByText(/Every weekday at 09:00, 10 times/)).toBeTruthy();
    expect(screen.getByText(/Overdue, due/)).toBeTruthy();
  });

  it('offers reopen for a completed task', () => {
    renderRow(task({ title: 'Done thing', status: 'completed' }));
    const box = screen.getByRole('checkbox', { name: 'Reopen “Done thing”' }) as HTMLInputElement;
    expect(box.checked).toBe(true);
  });
});
