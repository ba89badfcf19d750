// The live connection of the signed-in user for as long as the component is mounted, and the
// browser's online state: both shown in the top bar and the offline banner.
import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { LiveMessage } from '../api/types';
import { LiveConnection, type LiveState } from '../lib/live';

export function useLiveUpdates(onMessage: (m: LiveMessage) => void, onResync: () => void) {
  const [live, setLive] = useState<LiveState>('connecting');
  const [online, setOnline] = useState(() => navigator.onLine);
  // The latest callbacks, without reconnecting when they change.
  const handlers = useRef({ onMessage, onResync });
  handlers.current = { onMessage, onResync };

  useEffect(() => {
    const conn = new LiveConnection({
      message: (m) => handlers.current.onMessage(m),
      resync: () => handlers.current.onResync(),
      state: setLive,
      token: () => api.getToken(),
      reauthenticate: () => api.reauthenticate(),
    });
    conn.start();
    return () => conn.stop();
  }, []);

  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);

  return { live, online };
}
