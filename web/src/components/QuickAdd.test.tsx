import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import type { QuickPreview } from '../api/types';
import { QuickAdd } from './QuickAdd';

const preview: QuickPreview = {
  title: 'Pay rent',
  tags: ['home'],
  priority: 'high',
  due_at: '2026-12-01T08:00:00.000Z',
  recurrence: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', mode: 'schedule' },
  reminders: [],
};

describe('QuickAdd', () => {
  it('previews the parse and adds on Enter, then clears', async () => {
    const parse = vi.fn().mockResolvedValue(preview);
    const onAdd = vi.fn().mockResolvedValue(undefined);
    render(<QuickAdd zone="Europe/Berlin" onAdd={onAdd} parse={parse} />);
    const input = screen.getByLabelText('Add a task');
    fireEvent.change(input, { target: { value: 'Pay rent every month on the 1st at 9am #home !high' } });
    await waitFor(() =>
      expect(screen.getByTestId('quick-preview').textContent).toContain('Pay rent · every month on the 1st at 09:00'),
    );
    expect(screen.getByTestId('quick-preview').textContent).toContain('#home · high');
    expect(parse).toHaveBeenCalledWith('Pay rent every month on the 1st at 9am #home !high', 'Europe/Berlin', expect.anything());
    await act(async () => {
      fireEvent.submit(input.closest('form')!);
    });
    expect(onAdd).toHaveBeenCalledWith('Pay rent every month on the 1st at 9am #home !high');
    expect((input as HTMLInputElement).value).toBe('');
  });

  it('keeps the typed text across a reload (session storage)', () => {
    const parse = vi.fn().mockResolvedValue(preview);
    const { unmount } = render(<QuickAdd zone="UTC" onAdd={vi.fn()} parse={parse} />);
    fireEvent.change(screen.getByLabelText('Add a task'), { target: { value: 'Half typed' } });
    unmount();
    render(<QuickAdd zone="UTC" onAdd={vi.fn()} parse={parse} />);
    expect((screen.getByLabelText('Add a task') as HTMLInputElement).value).toBe('Half typed');
  });

  it('shows what the server did not accept and keeps the text', async () => {
    const parse = vi.fn().mockResolvedValue(preview);
    const onAdd = vi.fn().mockRejectedValue(new Error('title: too long'));
    render(<QuickAdd zone="UTC" onAdd={onAdd} parse={parse} />);
    const input = screen.getByLabelText('Add a task') as HTMLInputElement;
    fireEvent.change(input, { target: { value: 'x' } });
    await act(async () => {
      fireEvent.submit(input.closest('form')!);
    });
    expect(await screen.findByText('title: too long')).toBeTruthy();
    expect(input.value).toBe('x');
  });

  it('keeps a failed submit\'s error when a preview would have answered after it', async () => {
    let answer: (p: QuickPreview) => void = () => undefined;
    const parse = vi.fn(() => new Promise<QuickPreview>((resolve) => (answer = resolve)));
    const onAdd = vi.fn().mockRejectedValue(new Error('title: too long'));
    render(<QuickAdd zone="UTC" onAdd={onAdd} parse={parse} />);
    const input = screen.getByLabelText('Add a task') as HTMLInputElement;
    fireEvent.change(input, { target: { value: 'x' } });
    await waitFor(() => expect(parse).toHaveBeenCalled()); // the preview is in flight
    await act(async () => {
      fireEvent.submit(input.closest('form')!);
    });
    expect(await screen.findByText('title: too long')).toBeTruthy();
    await act(async () => {
      answer(preview); // the late preview
    });
    expect(screen.getByText('title: too long')).toBeTruthy();
    expect(screen.getByTestId('quick-preview').textContent).not.toContain('Pay rent');
  });

  it('says in plain words when the title is over 200 characters, and marks the field', async () => {
    const long = 'a'.repeat(231);
    const parse = vi.fn().mockRejectedValue(
      new ApiError(422, 'validation_failed', 'title: must be 1–200 characters after trimming', {
        field: 'title',
        problem: 'must be 1–200 characters after trimming',
        length: 231,
        max: 200,
      }),
    );
    render(<QuickAdd zone="UTC" onAdd={vi.fn()} parse={parse} />);
    const input = screen.getByLabelText('Add a task') as HTMLInputElement;
    fireEvent.change(input, { target: { value: long } });
    expect(await screen.findByText('The title is too long (231 of 200 characters).')).toBeTruthy();
    expect(screen.queryByText(/after trimming/)).toBeNull();
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('says in plain words why an add was refused', async () => {
    const parse = vi.fn().mockResolvedValue(preview);
    const onAdd = vi.fn().mockRejectedValue(
      new ApiError(422, 'validation_failed', 'quick: needs a title besides tags and priority', {
        field: 'quick',
        problem: 'needs a title besides tags and priority',
      }),
    );
    render(<QuickAdd zone="UTC" onAdd={onAdd} parse={parse} />);
    const input = screen.getByLabelText('Add a task') as HTMLInputElement;
    fireEvent.change(input, { target: { value: '#home !high' } });
    await act(async () => {
      fireEvent.submit(input.closest('form')!);
    });
    expect(await screen.findByText('Type what the task is, not only tags and a priority.')).toBeTruthy();
  });

  it('blocks a reminder before due without a date, and says why', async () => {
    const parse = vi.fn().mockResolvedValue({ ...preview, title: 'Buy milk', due_at: null, recurrence: null, reminders: [{ before_minutes: 60 }] });
    const onAdd = vi.fn();
    render(<QuickAdd zone="UTC" onAdd={onAdd} parse={parse} />);
    const input = screen.getByLabelText('Add a task') as HTMLInputElement;
    fireEvent.change(input, { target: { value: 'Buy milk remind me an hour before' } });
    const reason = 'A reminder before the due time needs a due date: add one, like “tomorrow 9am”.';
    expect(await screen.findByText(reason)).toBeTruthy();
    await act(async () => {
      fireEvent.submit(input.closest('form')!);
    });
    expect(onAdd).not.toHaveBeenCalled();
    expect(input.value).toBe('Buy milk remind me an hour before');
  });
});
