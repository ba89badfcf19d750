import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { BLOCKED, base64UrlToBytes, enablePush, forgetThisBrowser, PushFailure, type PushEnv, type SubscriptionLike } from './push';

const KEY = 'BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U';

function subscription(keyBytes: Uint8Array | null = base64UrlToBytes(KEY)): SubscriptionLike {
  return {
    endpoint: 'https://push.example/abc',
    toJSON: () => ({ endpoint: 'https://push.example/abc', keys: { p256dh: 'P', auth: 'A' } }),
    unsubscribe: vi.fn(async () => true),
    options: { applicationServerKey: keyBytes ? keyBytes.slice().buffer : null },
  };
}

function env(over: Partial<PushEnv> = {}, existing: SubscriptionLike | null = null) {
  const made = subscription();
  const pushManager = {
    getSubscription: vi.fn(async () => existing),
    subscribe: vi.fn(async (_o: { userVisibleOnly: boolean; applicationServerKey: Uint8Array }) => made),
  };
  const e: PushEnv = {
    supported: true,
    permission: () => 'default',
    requestPermission: vi.fn(async () => 'granted' as NotificationPermission),
    registration: async () => ({ pushManager }),
    userAgent: 'x',
    ...over,
  };
  return { env: e, pushManager, made };
}

const server = (over = {}) => ({
  vapidKey: vi.fn(async () => KEY),
  add: vi.fn(async (s: { endpoint: string }) => ({ id: 3, endpoint: s.endpoint, user_agent: 'Chrome on Linux', created_at: 'now' })),
  ...over,
});

async function failure(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(PushFailure);
    return (e as Error).message;
  }
  throw new Error('did not fail');
}

describe('enabling push', () => {
  it('asks permission, subscribes with the server key and records the subscription', async () => {
    const { env: e, pushManager } = env();
    const s = server();
    const rec = await enablePush(e, s, 'Chrome on Linux');
    expect(rec.id).toBe(3);
    expect(e.requestPermission).toHaveBeenCalled();
    const opts = pushManager.subscribe.mock.calls[0]![0]!;
    expect(opts.userVisibleOnly).toBe(true);
    expect(opts.applicationServerKey.length).toBe(65);
    expect(opts.applicationServerKey[0]).toBe(4);
    expect(s.add).toHaveBeenCalledWith({ endpoint: 'https://push.example/abc', keys: { p256dh: 'P', auth: 'A' }, user_agent: 'Chrome on Linux' });
  });

  it('says why when the permission is blocked or not given', async () => {
    expect(await failure(enablePush(env({ permission: () => 'denied' }).env, server(), ''))).toBe(BLOCKED);
    expect(await failure(enablePush(env({ requestPermission: async () => 'denied' }).env, server(), ''))).toBe(BLOCKED);
    expect(await failure(enablePush(env({ requestPermission: async () => 'default' }).env, server(), ''))).toMatch(/not allowed/);
    expect(await failure(enablePush(env({ supported: false }).env, server(), ''))).toMatch(/cannot receive push/);
  });

  it('says why when the server has no push, or the browser refuses to subscribe', async () => {
    const missing = server({ vapidKey: vi.fn(async () => Promise.reject(new ApiError(404, 'not_found', 'no such route'))) });
    expect(await failure(enablePush(env().env, missing, ''))).toBe('This server does not offer push yet.');
    const unset = server({ vapidKey: vi.fn(async () => Promise.reject(new ApiError(503, 'push_not_configured', 'no VAPID key'))) });
    expect(await failure(enablePush(env().env, unset, ''))).toMatch(/^Push is not set up on this server/);
    const { env: e, pushManager } = env();
    pushManager.subscribe.mockRejectedValueOnce(new DOMException('Registration failed - push service error', 'AbortError'));
    expect(await failure(enablePush(e, server(), ''))).toBe('The browser refused to subscribe to push: Registration failed - push service error.');
  });

  it('unsubscribes again when the server refuses the subscription', async () => {
    const { env: e, made } = env();
    const refusing = server({
      add: vi.fn(async () =>
        Promise.reject(new ApiError(409, 'too_many_push_subscriptions', 'at most 10 push subscriptions')),
      ),
    });
    expect(await failure(enablePush(e, refusing, ''))).toBe('at most 10 push subscriptions');
    expect(made.unsubscribe).toHaveBeenCalled();
  });

  it('reuses a subscription made with the same key, replaces one made with another', async () => {
    const same = subscription();
    const a = env({}, same);
    await enablePush(a.env, server(), '');
    expect(a.pushManager.subscribe).not.toHaveBeenCalled();
    const other = subscription(new Uint8Array(65).fill(9));
    const b = env({}, other);
    await enablePush(b.env, server(), '');
    expect(other.unsubscribe).toHaveBeenCalled();
    expect(b.pushManager.subscribe).toHaveBeenCalled();
  });
});

describe('logging out', () => {
  it('removes this browser’s subscription from the account and unsubscribes it', async () => {
    const sub = subscription();
    const remove = vi.fn(async () => undefined);
    const list = vi.fn(async () => [
      { id: 1, endpoint: 'https://push.example/other', user_agent: null, created_at: 'x' },
      { id: 2, endpoint: 'https://push.example/abc', user_agent: null, created_at: 'x' },
    ]);
    await forgetThisBrowser(async () => sub, { list, remove });
    expect(remove).toHaveBeenCalledWith(2);
    expect(remove).toHaveBeenCalledTimes(1);
    expect(sub.unsubscribe).toHaveBeenCalled();
  });

  it('asks nothing without a subscription, and never holds the log-out for long', async () => {
    const list = vi.fn(async () => []);
    await forgetThisBrowser(async () => null, { list, remove: vi.fn() });
    expect(list).not.toHaveBeenCalled();
    const start = Date.now();
    await forgetThisBrowser(async () => subscription(), { list: () => new Promise(() => undefined), remove: vi.fn() }, 50);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});
