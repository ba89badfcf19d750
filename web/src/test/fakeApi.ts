// A stand-in for the API in component tests: fetch answers by "METHOD /path" (a JSON body with
// a status, or a function of the request body); every call is recorded. A route not given
// answers 404 "no such route", as a server without it does.
import { vi } from 'vitest';

export interface Call {
  method: string;
  path: string;
  body: unknown;
}

export type Answer = [number, unknown?] | ((body: unknown) => [number, unknown?]);

export function fakeApi(routes: Record<string, Answer>) {
  const calls: Call[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input);
    const method = init?.method ?? 'GET';
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
    calls.push({ method, path, body });
    const answer = routes[`${method} ${path}`];
    const [status, json] = typeof answer === 'function' ? answer(body) : (answer ?? [404, { error: { code: 'not_found', message: 'no such route', details: {} } }]);
    if (status === 204) return new Response(null, { status });
    return new Response(JSON.stringify(json ?? {}), { status, headers: { 'Content-Type': 'application/json' } });
  });
  vi.stubGlobal('fetch', fetchMock);
  return { calls, fetchMock, sent: (method: string, path: string) => calls.filter((c) => c.method === method && c.path === path) };
}

export function apiErrorBody(code: string, message: string, details: Record<string, unknown> = {}) {
  return { error: { code, message, details } };
}
