import { describe, expect, it } from 'vitest';
import { loadSession, saveSession, tokenExpired, tokenExpiry } from './session';

function jwt(payload: object): string {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'HS256' })}.${b64(payload)}.sig`;
}

const user = { id: 1, email: 'a@example.com', name: 'A', created_at: '2026-11-01T00:00:00.000Z' };

describe('session', () => {
  it('reads the expiry of a token', () => {
    expect(tokenExpiry(jwt({ sub: '1', exp: 2000000000 }))).toBe(2000000000000);
    expect(tokenExpiry('garbage')).toBeNull();
    expect(tokenExpired(jwt({ exp: 1 }))).toBe(true);
  });
  it('keeps a live session and drops an expired one', () => {
    saveSession({ token: jwt({ exp: Date.now() / 1000 + 60 }), user });
    expect(loadSession()?.user.email).toBe('a@example.com');
    saveSession({ token: jwt({ exp: Date.now() / 1000 - 1 }), user });
    expect(loadSession()).toBeNull();
    saveSession(null);
    expect(loadSession()).toBeNull();
  });
});
