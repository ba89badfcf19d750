import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DeliveryReceipt } from '../api/types';
import { byReminder } from './HistoryPanel';
import { Receipts, channelLabel, receiptText } from './Receipts';

function receipt(over: Partial<DeliveryReceipt>): DeliveryReceipt {
  return {
    reminder_id: 't1-100',
    channel: 'webhook',
    state: 'delivered',
    attempts: 1,
    created_at: '2026-03-02T09:00:00.000Z',
    sent_at: '2026-03-02T09:00:01.000Z',
    delivered_at: '2026-03-02T09:00:01.000Z',
    next_attempt_at: null,
    last_error: null,
    ...over,
  };
}

describe('Receipts', () => {
  it('names channels', () => {
    expect(channelLabel('in_app')).toBe('In app');
    expect(channelLabel('webhook')).toBe('Webhook');
    expect(channelLabel('webhook:7')).toBe('Webhook #7');
    expect(channelLabel('email')).toBe('Email');
  });

  it('says when a delivery was delivered, or why it failed and what happens next', () => {
    expect(receiptText(receipt({}), 'UTC')).toBe('delivered 2 Mar 2026, 09:00');
    expect(receiptText(receipt({ state: 'sent', delivered_at: null }), 'UTC')).toBe('sent 2 Mar 2026, 09:00');
    expect(
      receiptText(
        receipt({ state: 'failed', last_error: 'HTTP 503', next_attempt_at: '2026-03-02T09:05:00.000Z' }),
        'UTC',
      ),
    ).toBe('failed (HTTP 503), trying again 2 Mar 2026, 09:05');
    expect(receiptText(receipt({ state: 'dead', last_error: 'HTTP 503', attempts: 8 }), 'UTC')).toBe(
      'not delivered: HTTP 503 (after 8 attempts)',
    );
    expect(receiptText(receipt({ state: 'pending' }), 'UTC')).toBe('waiting to be sent');
  });

  it('lists one line per channel, and nothing without deliveries', () => {
    const { container, rerender } = render(
      <Receipts
        zone="UTC"
        items={[receipt({ channel: 'in_app' }), receipt({ channel: 'webhook:3', state: 'dead', last_error: 'gone' })]}
      />,
    );
    const list = screen.getByRole('list', { name: 'Deliveries' });
    expect(list.querySelectorAll('li')).toHaveLength(2);
    expect(list.textContent).toContain('In app: delivered 2 Mar 2026, 09:00');
    expect(list.textContent).toContain('Webhook #3: not delivered: gone (after 1 attempt)');
    rerender(<Receipts zone="UTC" items={[]} />);
    expect(container.querySelector('ul')).toBeNull();
  });

  it('groups the deliveries of a task by reminder, in the order they fired', () => {
    const groups = byReminder([
      receipt({ reminder_id: 'a', channel: 'in_app' }),
      receipt({ reminder_id: 'a', channel: 'webhook' }),
      receipt({ reminder_id: 'b', channel: 'in_app' }),
    ]);
    expect(groups.map(([r, items]) => [r, items.map((d) => d.channel)])).toEqual([
      ['a', ['in_app', 'webhook']],
      ['b', ['in_app']],
    ]);
  });
});
