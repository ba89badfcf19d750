// The one way the UI talks to the API: JSON over fetch with the bearer token. A 401 on an
// authenticated call asks the app to log in again (reauthenticate) and then retries the call
// once with the new token, so an expired session loses neither the action nor what was typed.
import type { ApiErrorBody } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  // The field a 422 names (details.field), if any.
  get field(): string | undefined {
    const f = this.details['field'];
    return typeof f === 'string' ? f : undefined;
  }
}

// Thrown when the network (not the server) failed: offline, server down.
export class NetworkError extends Error {
  constructor(message = 'Cannot reach Tickler. Check your connection.') {
    super(message);
    this.name = 'NetworkError';
  }
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  auth?: boolean; // default true
  signal?: AbortSignal;
  keepalive?: boolean;
}

export interface ClientHooks {
  // Resolves with a fresh token once the user logged in again; rejects if they gave up.
  reauthenticate: () => Promise<string>;
}

export class ApiClient {
  private token: string | null = null;
  private hooks: ClientHooks | null = null;

  constructor(private readonly base = '') {}

  setToken(token: string | null): void {
    this.token = token;
  }

  getToken(): string | null {
    return this.token;
  }

  setHooks(hooks: ClientHooks | null): void {
    this.hooks = hooks;
  }

  // Asks the app to log in again (the live connection's token was refused); the new token.
  async reauthenticate(): Promise<string> {
    if (!this.hooks) throw new Error('Not logged in.');
    this.token = await this.hooks.reauthenticate();
    return this.token;
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const auth = options.auth ?? true;
    try {
      return await this.once<T>(path, options);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401 || !auth || !this.hooks) throw e;
      this.token = await this.hooks.reauthenticate();
      return await this.once<T>(path, options);
    }
  }

  private async once<T>(path: string, options: RequestOptions): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if ((options.auth ?? true) && this.token) headers['Authorization'] = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method: options.method ?? 'GET',
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        keepalive: options.keepalive,
      });
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') throw e;
      throw new NetworkError();
    }
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    const data = parseJson(text);
    if (!res.ok) throw apiError(res.status, data);
    return data as T;
  }
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// The ApiError of a refused request, from its status and body (the API's error JSON, if any).
export function apiError(status: number, body: unknown): ApiError {
  const err = (body as ApiErrorBody | null)?.error;
  return new ApiError(
    status,
    err?.code ?? 'http_' + status,
    err?.message ?? `The server answered ${status}.`,
    err?.details ?? {},
  );
}

// The same from a Response not yet read (for callers that read successful bodies themselves).
export async function apiErrorOf(res: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await res.text();
  } catch {
    text = '';
  }
  return apiError(res.status, parseJson(text));
}

export const api = new ApiClient();
