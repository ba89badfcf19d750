// The notifications centre: reminders that fired, newest first, unread ones marked, each with
// its receipts (how it went out on each channel); and the switch for browser notifications (the
// permission is asked on this click, a user gesture).
import type { AppNotification } from '../api/types';
import { formatInstant } from '../lib/dates';
import { Dialog } from './Dialog';
import { Receipts } from './Receipts';

interface Props {
  items: AppNotification[];
  permission: NotificationPermission | 'unsupported';
  onEnableBrowser: () => void;
  onRead: (n: AppNotification) => void;
  onReadAll: () => void;
  onOpenTask: (taskId: number) => void;
  onClose: () => void;
}

export function NotificationCenter(p: Props) {
  const unread = p.items.filter((n) => !n.read_at).length;
  return (
    <Dialog title="Notifications" onClose={p.onClose} closeLabel="Close notifications">
      <div className="notif-tools">
        {p.permission === 'default' && (
          <button type="button" onClick={p.onEnableBrowser}>
            Enable browser notifications
          </button>
        )}
        {p.permission === 'granted' && <span className="muted">Browser notifications are on.</span>}
        {p.permission === 'denied' && (
          <span className="muted">Browser notifications are blocked in this browser’s settings.</span>
        )}
        {unread > 0 && (
          <button type="button" className="ghost" onClick={p.onReadAll}>
            Mark all read
          </button>
        )}
      </div>
      {p.items.length === 0 ? (
        <p className="muted">No reminders have fired yet.</p>
      ) : (
        <ul className="notifications" aria-label="Reminders">
          {p.items.map((n) => (
            <li key={n.id} className={n.read_at ? 'read' : 'unread'}>
              <div>
                <button type="button" className="link" onClick={() => p.onOpenTask(n.task_id)}>
                  {n.title}
                </button>
                <p className="muted">
                  {n.read_at ? '' : <span className="dot" aria-label="unread" />}
                  Reminder for {formatInstant(n.remind_at)}
                </p>
                {n.deliveries && <Receipts items={n.deliveries} />}
              </div>
              {!n.read_at && (
                <button type="button" className="ghost" onClick={() => p.onRead(n)} aria-label={`Mark “${n.title}” read`}>
                  Mark read
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
