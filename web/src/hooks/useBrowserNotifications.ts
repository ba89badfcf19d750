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
    // The tag makes two open tabs, and a Web Push of the same reminder (sw/logic.ts), show one
    // notification, not several.
    const title = `Reminder: ${n.title}`;
    const options = { body: 'Tickler reminder', tag: `task-${n.task_id}` };
    try {
      new Notification(title, options);
    } catch {
      // Some platforms (Chrome on Android) only show notifications from a service worker; where
      // there is none either, the toast still shows.
      void navigator.serviceWorker?.getRegistration().then((r) => r?.showNotification(title, options)).catch(() => undefined);
    }
  }, []);
  return { permission, request, show };
}
