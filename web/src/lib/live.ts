// The live connection (GET /api/ws): task changes and fired reminders as they happen. Reconnects
// with backoff and asks for what it missed (?since=<sequence>&epoch=<epoch>); when the server
// cannot prove the catch-up complete it sends "resync", and the owner reloads. When the server
// closes it with 4401 (the token expired or was revoked) it asks for a new sign-in instead of
// retrying with the dead token, and reconnects once there is a new token.
import type { AppNotification, LiveMessage, LiveNotification } from '../api/types';

export type LiveState = 'connecting' | 'open' | 'offline';

export interface LiveHandlers {
  message: (m: LiveMessage) => void;
  resync: () => void;
  state: (s: LiveState) => void;
  // The token to connect with.
  token: () => string | null;
  // The server refused the token (close code 4401): resolves once the user signed in again.
  reauthenticate?: () => Promise<unknown>;
}

// The server's close code for an expired or revoked token (docs/api.md).
export const CLOSE_TOKEN_INVALID = 4401;

type SocketFactory = (url: string) => WebSocket;

export class LiveConnection {
  private socket: WebSocket | null = null;
  private epoch: string | null = null;
  private sequence: number | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;

  constructor(
    private readonly handlers: LiveHandlers,
    private readonly makeSocket: SocketFactory = (url) => new WebSocket(url),
    private readonly origin = typeof location === 'undefined' ? 'http://localhost' : location.origin,
  ) {}

  start(): void {
    this.stopped = false;
    window.addEventListener('online', this.reconnectNow);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.reconnectNow);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.socket?.close(1000);
    this.socket = null;
  }

  url(token: string): string {
    const u = new URL('/api/ws', this.origin);
    u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
    u.searchParams.set('token', token);
    if (this.epoch !== null && this.sequence !== null) {
      u.searchParams.set('since', String(this.sequence));
      u.searchParams.set('epoch', this.epoch);
    }
    return u.toString();
  }

  // Back online: connect now instead of waiting out the backoff (an attempt still hanging from
  // the offline time is abandoned).
  private readonly reconnectNow = (): void => {
    if (this.stopped || this.socket?.readyState === 1) return;
    if (this.socket) {
      const stale = this.socket;
      this.socket = null;
      stale.onclose = null;
      stale.close();
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.attempt = 0;
    this.connect();
  };

  private connect(): void {
    const token = this.handlers.token();
    if (!token || this.stopped) return;
    this.handlers.state('connecting');
    const ws = this.makeSocket(this.url(token));
    this.socket = ws;
    ws.onmessage = (ev) => this.receive(ev.data);
    ws.onclose = (ev?: CloseEvent) => {
      if (this.socket !== ws) return;
      this.socket = null;
      if (this.stopped) return;
      this.handlers.state('offline');
      if (ev?.code === CLOSE_TOKEN_INVALID && this.handlers.reauthenticate) {
        this.handlers.reauthenticate().then(
          () => {
            if (this.stopped || this.socket) return;
            this.attempt = 0;
            this.connect();
          },
          () => undefined, // gave up (logged out): the owner stops this connection
        );
        return;
      }
      this.schedule();
    };
  }

  private schedule(): void {
    // 0.5 s, 1 s, 2 s … up to 15 s, with jitter so many tabs do not reconnect in step.
    const delay = Math.min(15000, 500 * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt += 1;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let m: LiveMessage;
    try {
      m = JSON.parse(data) as LiveMessage;
    } catch {
      return;
    }
    if (m.type === 'hello') {
      // A new epoch (server restarted) numbers from scratch; the server then sends "resync".
      const fresh = this.epoch !== m.epoch;
      this.epoch = m.epoch;
      if (this.sequence === null || fresh) this.sequence = m.sequence;
      this.attempt = 0;
      this.handlers.state('open');
      return;
    }
    if (m.type === 'resync') {
      this.handlers.resync();
      return;
    }
    if ('sequence' in m && typeof m.sequence === 'number') {
      if (this.sequence !== null && m.sequence <= this.sequence) return; // already seen
      this.sequence = m.sequence;
    }
    this.handlers.message(m);
  }
}

// The WebSocket's notification as GET /api/notifications lists it.
export function fromLive(n: LiveNotification): AppNotification {
  return {
    id: n.notification_id,
    task_id: n.task_id,
    reminder_id: n.reminder_id,
    title: n.title,
    remind_at: n.remind_at,
    fired_at: n.fired_at,
    read_at: null,
  };
}
