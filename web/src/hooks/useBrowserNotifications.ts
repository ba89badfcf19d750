// The Notification API: its permission (asked for only on a user gesture) and showing one.
import { useCallback, useState } from 'react';
import type { AppNotification } from '../api/types';

type Permission = NotificationPermission | 'unsupported';

function current(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export function useBrowserNotifications() {
  const [permission, setPermission] = useState<Permission>(current);
  const request = useCallback(async () => {
    if (typeof Notification === 'undefined') return;
    setPermission(await Notification.requestPermission());
  }, []);
  const show = useCallback((n: AppNotification) => {
    if (current() !== 'granted') return;
    try {
      // The tag makes two open tabs show one notification, not two.
      new Notification(`Reminder: ${n.title}`, { body: 'Tickler reminder', tag: `tickler-${n.id}` });
    } catch {
      // Some platforms only allow notifications from a service worker: the toast still shows.
    }
  }, []);
  return { permission, request, show };
}
