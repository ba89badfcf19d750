// Receipts: how a fired reminder went out on each channel — when it was sent, delivered (where
// the channel can say so), or why it failed and when it is tried again.
import type { DeliveryReceipt } from '../api/types';
import { formatInstant } from '../lib/dates';

export function channelLabel(channel: string): string {
  if (channel === 'in_app') return 'In app';
  if (channel === 'webhook') return 'Webhook';
  const hook = /^webhook:(\d+)$/.exec(channel);
  if (hook) return `Webhook #${hook[1]}`;
  if (channel === 'email') return 'Email';
  return channel;
}

export function receiptText(d: DeliveryReceipt, zone?: string): string {
  const at = (iso: string | null) => (iso ? formatInstant(iso, zone) : '');
  switch (d.state) {
    case 'delivered':
      return `delivered ${at(d.delivered_at ?? d.sent_at)}`;
    case 'sent':
      return `sent ${at(d.sent_at)}`;
    case 'pending':
      return 'waiting to be sent';
    case 'failed':
      return `failed (${d.last_error ?? 'unknown error'}), trying again ${at(d.next_attempt_at)}`;
    case 'dead':
      return `not delivered: ${d.last_error ?? 'unknown error'} (after ${d.attempts} attempt${d.attempts === 1 ? '' : 's'})`;
  }
}

export function Receipts({ items, zone }: { items: DeliveryReceipt[]; zone?: string }) {
  if (items.length === 0) return null;
  return (
    <ul className="receipts" aria-label="Deliveries">
      {items.map((d) => (
        <li key={d.channel} className={`receipt ${d.state}`}>
          <span className="receipt-channel">{channelLabel(d.channel)}</span>: {receiptText(d, zone)}
        </li>
      ))}
    </ul>
  );
}
