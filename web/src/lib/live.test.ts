import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveMessage } from '../api/types';
import { LiveConnection, fromLive, type LiveState } from './live';

// A WebSocket stand-in the test drives.
class FakeSocket {
  static made: FakeSocket[] = [];
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e?: { code: number }) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }
  send(m: object) {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
  close() {
    this.closed = true;
  }
  drop() {
    this.onclose?.();
  }
  closeWith(code: number) {
    this.onclose?.({ code });
  }
}

function connect() {
  const messages: LiveMessage[] = [];
  const states: LiveState[] = [];
  let resyncs = 0;
  const conn = new LiveConnection(
    {
      message: (m) => messages.push(m),
      resync: () => resyncs++,
      state: (s) => states.push(s),
      token: () => 'tok',
    },
    (url) => new FakeSocket(url) as unknown as WebSocket,
    'https://tickler.example',
  );
  conn.start();
  return { conn, messages, states, resyncs: () => resyncs };
}

afterEach(() => {
  FakeSocket.made = [];
  vi.useRealTimers();
});

describe('LiveConnection', () => {
  it('signs in again on close code 4401 and reconnects with the new token, not before', async () => {
    vi.useFakeTimers();
    let token = 'old';
    let signedIn!: () => void;
    const asked: number[] = [];
    const conn = new LiveConnection(
      {
        message: () => undefined,
        resync: () => undefined,
        state: () => undefined,
        token: () => token,
        reauthenticate: () => {
          asked.push(1);
          return new Promise<void>((resolve) => {
            signedIn = resolve;
          });
        },
      },
      (url) => new FakeSocket(url) as unknown as WebSocket,
      'https://tickler.example',
    );
    conn.start();
    FakeSocket.made[0]!.send({ type: 'hello', epoch: 'e1', sequence: 1 });
    FakeSocket.made[0]!.closeWith(4401);
    expect(asked).toHaveLength(1);
    vi.advanceTimersByTime(60_000); // no retries with the dead token meanwhile
    expect(FakeSocket.made).toHaveLength(1);
    token = 'new';
    signedIn();
    await vi.runAllTimersAsync();
    expect(FakeSocket.made).toHaveLength(2);
    expect(FakeSocket.made[1]!.url).toContain('token=new');
    expect(FakeSocket.made[1]!.url).toContain('since=1');
    conn.stop();
  });

  it('retries with backoff on other close codes', () => {
    vi.useFakeTimers();
    const { conn } = connect();
    FakeSocket.made[0]!.closeWith(1006);
    vi.advanceTimersByTime(1000);
    expect(FakeSocket.made).toHaveLength(2);
    conn.stop();
  });

  it('connects with the token over wss and passes messages on', () => {
    const { conn, messages, states } = connect();
    const ws = FakeSocket.made[0]!;
    expect(ws.url).toBe('wss://tickler.example/api/ws?token=tok');
    ws.send({ type: 'hello', epoch: 'e1', sequence: 4 });
    ws.send({ type: 'notification', sequence: 5, notification: { notification_id: 1 } });
    expect(states).toEqual(['connecting', 'open']);
    expect(messages).toHaveLength(1);
    conn.stop();
    expect(ws.closed).toBe(true);
  });

  it('reconnects after a drop asking for what it missed, and drops repeats', () => {
    vi.useFakeTimers();
    const { conn, messages, states } = connect();
    const first = FakeSocket.made[0]!;
    first.send({ type: 'hello', epoch: 'e1', sequence: 4 });
    first.send({ type: 'task', sequence: 6, op: 'created', task: { id: 1 }, version: 1 });
    first.drop();
    expect(states.at(-1)).toBe('offline');
    vi.advanceTimersByTime(1000);
    const second = FakeSocket.made[1]!;
    expect(second.url).toContain('since=6');
    expect(second.url).toContain('epoch=e1');
    second.send({ type: 'hello', epoch: 'e1', sequence: 9 });
    second.send({ type: 'task', sequence: 6, op: 'created', task: { id: 1 }, version: 1 });
    second.send({ type: 'task', sequence: 7, op: 'updated', task: { id: 1 }, version: 2 });
    expect(messages.map((m) => ('sequence' in m ? m.sequence : 0))).toEqual([6, 7]);
    conn.stop();
  });

  it('reports resync and numbers afresh after a server restart', () => {
    const { conn, messages, resyncs } = connect();
    const ws = FakeSocket.made[0]!;
    ws.send({ type: 'hello', epoch: 'e1', sequence: 40 });
    ws.send({ type: 'hello', epoch: 'e2', sequence: 2 });
    ws.send({ type: 'resync' });
    ws.send({ type: 'task', sequence: 3, op: 'created', task: { id: 1 }, version: 1 });
    expect(resyncs()).toBe(1);
    expect(messages).toHaveLength(1);
    conn.stop();
  });
});

describe('LiveConnection, back online', () => {
  it('reconnects at once instead of waiting out the backoff', () => {
    vi.useFakeTimers();
    const { conn } = connect();
    FakeSocket.made[0]!.drop();
    expect(FakeSocket.made).toHaveLength(1);
    window.dispatchEvent(new Event('online'));
    expect(FakeSocket.made).toHaveLength(2);
    vi.advanceTimersByTime(20000);
    expect(FakeSocket.made).toHaveLength(2); // the scheduled retry was cancelled
    conn.stop();
  });
});

describe('fromLive', () => {
  it('reads the WebSocket notification as the listed one, unread', () => {
    expect(
      fromLive({ notification_id: 7, task_id: 3, title: 'Stretch', remind_at: 'r', fired_at: 'f', reminder_id: 'x' }),
    ).toEqual({ id: 7, task_id: 3, title: 'Stretch', remind_at: 'r', fired_at: 'f', reminder_id: 'x', read_at: null });
  });
});
