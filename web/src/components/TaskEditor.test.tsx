import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { task } from '../test/fixtures';
import { TaskEditor } from './TaskEditor';

describe('TaskEditor', () => {
  it('edits the recurrence with a live summary and saves the rule', async () => {
    const onSave = vi.fn().mockResolvedValue(undefined);
    const onClose = vi.fn();
    const t = task({ title: 'Stand-up', due_at: '2026-12-02T09:00:00.000Z', time_zone: 'UTC', version: 4 });
    render(<TaskEditor task={t} zone="UTC" knownTags={[]} onSave={onSave} onClose={onClose} />);
    fireEvent.change(screen.getByLabelText('Repeat'), { target: { value: 'weekdays' } });
    fireEvent.change(screen.getByLabelText('Ends'), { target: { value: 'count' } });
    fireEvent.change(screen.getByLabelText('Number of times'), { target: { value: '10' } });
    expect(screen.getByTestId('recurrence-summary').textContent).toBe('Every weekday at 09:00, 10 times');
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    expect(onSave).toHaveBeenCalledWith(
      expect.objectContaining({
        title: 'Stand-up',
        recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10', mode: 'schedule' },
      }),
      4,
    );
    expect(onClose).toHaveBeenCalled();
  });

  it('shows a field error from the server and stays open', async () => {
    const onSave = vi.fn().mockRejectedValue(
      new ApiError(422, 'validation_failed', 'recurrence: FREQ must be DAILY or coarser', { field: 'recurrence.rrule' }),
    );
    const onClose = vi.fn();
    render(<TaskEditor task={task({ title: 'x', due_at: '2026-12-02T09:00:00.000Z' })} zone="UTC" knownTags={[]} onSave={onSave} onClose={onClose} />);
    fireEvent.change(screen.getByLabelText('Repeat'), { target: { value: 'custom' } });
    fireEvent.change(screen.getByLabelText(/RRULE/), { target: { value: 'FREQ=HOURLY' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    expect(screen.getByText('recurrence: FREQ must be DAILY or coarser')).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();
  });

  it("starts an 'at' reminder of a task without a due date on today's date in the task's zone", () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.UTC(2026, 11, 1, 23, 30)); // 1 Dec 23:30 UTC = 2 Dec 12:30 in Auckland
      render(<TaskEditor task={null} zone="Pacific/Auckland" knownTags={[]} onSave={vi.fn()} onClose={vi.fn()} />);
      fireEvent.click(screen.getByRole('button', { name: '+ Add reminder' }));
      expect((screen.getByLabelText('Reminder 1 date') as HTMLInputElement).value).toBe('2026-12-02');
      expect((screen.getByLabelText('Reminder 1 time') as HTMLInputElement).value).toBe('09:00');
    } finally {
      vi.useRealTimers();
    }
  });

  it('requires a title', async () => {
    const onSave = vi.fn();
    render(<TaskEditor task={null} zone="UTC" knownTags={[]} onSave={onSave} onClose={vi.fn()} />);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    expect(screen.getByText('A title is required.')).toBeTruthy();
    expect(onSave).not.toHaveBeenCalled();
  });

  it('adds tags from typing and closes on Escape', () => {
    const onClose = vi.fn();
    render(<TaskEditor task={null} zone="UTC" knownTags={[{ tag: 'home', count: 2 }]} onSave={vi.fn()} onClose={onClose} />);
    const tags = screen.getByLabelText('Tags');
    fireEvent.change(tags, { target: { value: '#Work' } });
    fireEvent.keyDown(tags, { key: 'Enter' });
    expect(screen.getByRole('button', { name: 'Remove tag work' })).toBeTruthy();
    // The tag is an unsaved change: Escape asks first, then discards on request.
    fireEvent.keyDown(tags, { key: 'Escape' });
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(onClose).toHaveBeenCalled();
  });

  it('closes on Escape at once when nothing changed', () => {
    const onClose = vi.fn();
    render(<TaskEditor task={task({ title: 'Same' })} zone="UTC" knownTags={[]} onSave={vi.fn()} onClose={onClose} />);
    fireEvent.keyDown(screen.getByLabelText('Title'), { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('asks before discarding unsaved changes on Escape or a click outside; Keep editing keeps them', () => {
    const onClose = vi.fn();
    const { container } = render(
      <TaskEditor task={task({ title: 'Old' })} zone="UTC" knownTags={[]} onSave={vi.fn()} onClose={onClose} />,
    );
    const title = screen.getByLabelText('Title') as HTMLInputElement;
    fireEvent.change(title, { target: { value: 'New words' } });
    fireEvent.keyDown(title, { key: 'Escape' });
    expect(screen.getByText('You have unsaved changes. Discard them?')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Keep editing' }));
    expect(screen.queryByText('You have unsaved changes. Discard them?')).toBeNull();
    expect(title.value).toBe('New words');
    const backdrop = container.ownerDocument.querySelector('.backdrop')!;
    fireEvent.mouseDown(backdrop);
    expect(screen.getByText('You have unsaved changes. Discard them?')).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Discard changes' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('blocks saving a repeat without a due date, with the reason next to the repeat', async () => {
    const onSave = vi.fn();
    render(<TaskEditor task={null} zone="UTC" knownTags={[]} onSave={onSave} onClose={vi.fn()} />);
    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Water plants' } });
    fireEvent.change(screen.getByLabelText('Repeat'), { target: { value: 'daily' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByText('A repeating task needs a due date. Set one, or choose “Does not repeat”.')).toBeTruthy();
    // Setting a due date clears the reason and the save goes through with the repeat.
    fireEvent.change(screen.getByLabelText('Due date'), { target: { value: '2026-12-02' } });
    expect(screen.queryByText(/A repeating task needs a due date/)).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    expect(onSave).toHaveBeenCalledWith(expect.objectContaining({ recurrence: { rrule: 'FREQ=DAILY', mode: 'schedule' } }), undefined);
  });

  it('blocks saving a reminder before due without a due date', async () => {
    const onSave = vi.fn();
    render(<TaskEditor task={task({ title: 'Call', due_at: null })} zone="UTC" knownTags={[]} onSave={onSave} onClose={vi.fn()} />);
    fireEvent.click(screen.getByRole('button', { name: '+ Add reminder' }));
    fireEvent.change(screen.getByLabelText('Reminder 1 kind'), { target: { value: 'before' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    expect(onSave).not.toHaveBeenCalled();
    expect(screen.getByText(/A reminder before the due time needs a due date/)).toBeTruthy();
  });

  it('says when the title is over 200 characters and shows the server refusal in plain words', async () => {
    const onSave = vi.fn().mockRejectedValue(
      new ApiError(422, 'validation_failed', 'recurrence: a recurring task needs a due_at to start from', {
        field: 'recurrence',
        problem: 'a recurring task needs a due_at to start from',
      }),
    );
    render(<TaskEditor task={task({ title: 'x', due_at: '2026-12-02T09:00:00.000Z' })} zone="UTC" knownTags={[]} onSave={onSave} onClose={vi.fn()} />);
    const title = screen.getByLabelText('Title');
    fireEvent.change(title, { target: { value: 'a'.repeat(231) } });
    expect(screen.getByText('The title is too long (231 of 200 characters).')).toBeTruthy();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    expect(onSave).not.toHaveBeenCalled();
    fireEvent.change(title, { target: { value: 'Short again' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    });
    expect(screen.getByText('A repeating task needs a due date. Set one, or choose “Does not repeat”.')).toBeTruthy();
  });
});
