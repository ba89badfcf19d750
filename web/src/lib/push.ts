// "Enable push on this browser": the Notification permission, the service worker, the push
// subscription with the server's VAPID key, and its record on the server. Every way this can
// fail ends in a PushFailure with the reason in plain words: nothing fails without a word.
import type { PushSubscriptionRecord } from '../api/channels';
import { ApiError } from '../api/client';
import { isMissingRoute } from '../api/channels';
import { plainError } from './errors';

export class PushFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushFailure';
  }
}

// The browser parts used (so tests can stand in for them).
export interface PushEnv {
  supported: boolean;
  permission: () => NotificationPermission;
  requestPermission: () => Promise<NotificationPermission>;
  registration: () => Promise<{ pushManager: PushManagerLike }>;
  userAgent: string;
}

export interface PushManagerLike {
  getSubscription(): Promise<SubscriptionLike | null>;
  subscribe(o: { userVisibleOnly: boolean; applicationServerKey: Uint8Array }): Promise<SubscriptionLike>;
}

export interface SubscriptionLike {
  endpoint: string;
  toJSON(): { endpoint?: string; keys?: Record<string, string> };
  unsubscribe(): Promise<boolean>;
  options?: { applicationServerKey?: ArrayBuffer | null };
}

export interface PushServer {
  vapidKey: () => Promise<string>;
  add: (s: { endpoint: string; keys: { p256dh: string; auth: string }; user_agent?: string }) => Promise<PushSubscriptionRecord>;
}

// base64url (no padding) → bytes, as PushManager.subscribe takes the key.
export function base64UrlToBytes(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i += 1) out[i] = bin.charCodeAt(i);
  return out;
}

function sameKey(a: ArrayBuffer | null | undefined, b: Uint8Array): boolean {
  if (!a) return false;
  const x = new Uint8Array(a);
  return x.length === b.length && x.every((v, i) => v === b[i]);
}

export const BLOCKED =
  'Notifications are blocked for this site. Allow them in the browser’s site settings (the icon left of the address), then try again.';

const SUBSCRIBE_WAIT_MS = 10000;
const SUBSCRIBE_TIMEOUT = 'push subscribe timed out';

export async function enablePush(env: PushEnv, server: PushServer, userAgent: string): Promise<PushSubscriptionRecord> {
  if (!env.supported) {
    throw new PushFailure(
      'This browser cannot receive push notifications (no service worker or Push API). On an iPhone or iPad, add Tickler to the Home Screen first.',
    );
  }
  if (env.permission() === 'denied') throw new PushFailure(BLOCKED);
  const permission = env.permission() === 'granted' ? 'granted' : await env.requestPermission();
  if (permission === 'denied') throw new PushFailure(BLOCKED);
  if (permission !== 'granted') throw new PushFailure('Notifications were not allowed, so push stays off. Try again and choose Allow.');

  let key: string;
  try {
    key = await server.vapidKey();
  } catch (e) {
    if (isMissingRoute(e)) throw new PushFailure('This server does not offer push yet.');
    if (e instanceof ApiError && e.code === 'push_not_configured') throw new PushFailure('Push is not set up on this server (it has no VAPID key).');
    throw new PushFailure(plainError(e, 'Could not get the server’s push key.'));
  }
  const applicationServerKey = base64UrlToBytes(key);

  let registration: { pushManager: PushManagerLike };
  try {
    registration = await withTimeout(env.registration(), 10000, 'the service worker did not start in 10 s');
  } catch (e) {
    throw new PushFailure(`The service worker is not running here: ${reason(e)}. Reload the page and try again.`);
  }

  let sub: SubscriptionLike;
  try {
    const existing = await registration.pushManager.getSubscription();
    // A subscription made with another key (the server's key changed) cannot be reused.
    if (existing && !sameKey(existing.options?.applicationServerKey, applicationServerKey)) await existing.unsubscribe();
    sub = existing && sameKey(existing.options?.applicationServerKey, applicationServerKey)
      ? existing
      : await withTimeout(
          registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey }),
          SUBSCRIBE_WAIT_MS,
          SUBSCRIBE_TIMEOUT,
        );
  } catch (e) {
    // A browser that cannot reach its push service may never answer: say so rather than wait.
    if (e instanceof Error && e.message === SUBSCRIBE_TIMEOUT) {
      throw new PushFailure(
        `The browser could not reach its push service (no answer in ${SUBSCRIBE_WAIT_MS / 1000} s), so push stays off. Check the connection and try again.`,
      );
    }
    throw new PushFailure(`The browser refused to subscribe to push: ${reason(e)}.`);
  }

  const json = sub.toJSON();
  const p256dh = json.keys?.['p256dh'];
  const auth = json.keys?.['auth'];
  if (!p256dh || !auth) throw new PushFailure('The browser gave a push subscription without keys; push cannot be used here.');
  try {
    return await server.add({ endpoint: sub.endpoint, keys: { p256dh, auth }, user_agent: userAgent });
  } catch (e) {
    // Not kept by the server: do not leave the browser subscribed for nothing.
    await sub.unsubscribe().catch(() => false);
    throw new PushFailure(plainError(e, 'The server did not take the subscription.'));
  }
}

function reason(e: unknown): string {
  const message = e && typeof e === 'object' && 'message' in e ? String(e.message) : '';
  return message ? message.replace(/\.$/, '') : String(e);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(what)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e); // as the browser gave it: a DOMException is not always an Error
      },
    );
  });
}

// The browser's own parts, where there are any.
export function browserPushEnv(): PushEnv {
  const supported = typeof window !== 'undefined' && 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  return {
    supported,
    permission: () => (supported ? Notification.permission : 'denied'),
    requestPermission: () => Notification.requestPermission(),
    registration: () => navigator.serviceWorker.ready as Promise<{ pushManager: PushManagerLike }>,
    userAgent: typeof navigator !== 'undefined' ? navigator.userAgent : '',
  };
}

// On logging out: this browser's push subscription is removed from the account and unsubscribed,
// so a shared computer shows no more reminders of the user who left. Best effort, bounded in
// time: logging out never waits on it for long, and nothing is asked of a browser without one.
export async function forgetThisBrowser(
  subscription: () => Promise<SubscriptionLike | null>,
  server: { list: () => Promise<PushSubscriptionRecord[]>; remove: (id: number) => Promise<void> },
  ms = 3000,
): Promise<void> {
  const work = (async () => {
    const sub = await subscription();
    if (!sub) return;
    const mine = (await server.list()).find((s) => s.endpoint === sub.endpoint);
    if (mine) await server.remove(mine.id);
    await sub.unsubscribe();
  })();
  await withTimeout(work, ms, 'timed out').catch(() => undefined);
}

// This browser's subscription, without waiting for a service worker that may never come.
export async function existingSubscription(): Promise<SubscriptionLike | null> {
  if (typeof navigator === 'undefined' || !navigator.serviceWorker) return null;
  const reg = await navigator.serviceWorker.getRegistration();
  return ((await reg?.pushManager?.getSubscription()) as SubscriptionLike | null | undefined) ?? null;
}

// This browser's push subscription endpoint, if it has one (to mark it in the list).
export async function currentEndpoint(env: PushEnv): Promise<string | null> {
  if (!env.supported) return null;
  try {
    const reg = await withTimeout(env.registration(), 3000, 'no service worker');
    return (await reg.pushManager.getSubscription())?.endpoint ?? null;
  } catch {
    return null;
  }
}
