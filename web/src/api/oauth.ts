// The OAuth routes the UI uses: the consent page's (what a request asks, the user's answer) and
// the user's connected apps (granted OAuth clients). Types beside them: they are used nowhere else.
import { api } from './client';

export type OAuthScope = 'tasks:read' | 'tasks:write';

// What the consent page shows for a sealed authorization request (GET /api/oauth/consent).
export interface ConsentRequest {
  client_id: string;
  client_name: string; // as the app named itself: unverified
  client_uri: string;
  metadata_document: boolean;
  redirect_uri: string;
  redirect_host: string;
  loopback: boolean; // the code goes to an app on this computer
  scopes: OAuthScope[];
  resource: string;
}

export interface ConnectedApp {
  id: number;
  client_id: string;
  client_name: string;
  client_uri: string;
  scopes: OAuthScope[];
  created_at: string;
  last_used_at: string | null;
}

// What each scope lets an app do, in plain words.
export const SCOPE_WORDS: Record<OAuthScope, string> = {
  'tasks:read': 'See your tasks, tags, task history and notifications',
  'tasks:write': 'Add, change, complete, reopen and delete your tasks',
};

export function scopeWords(scope: string): string {
  return SCOPE_WORDS[scope as OAuthScope] ?? scope;
}

export function getConsentRequest(request: string): Promise<ConsentRequest> {
  return api.request('/api/oauth/consent?request=' + encodeURIComponent(request), { auth: false });
}

// Allow or deny: where the browser goes next (the app, with a code or access_denied).
export async function answerConsent(request: string, approve: boolean): Promise<string> {
  const r = await api.request<{ redirect_to: string }>('/api/oauth/consent', {
    method: 'POST',
    body: { request, approve },
  });
  return r.redirect_to;
}

export async function listConnectedApps(): Promise<ConnectedApp[]> {
  const r = await api.request<{ items: ConnectedApp[] }>('/api/oauth/grants');
  return r.items;
}

export function disconnectApp(id: number): Promise<void> {
  return api.request(`/api/oauth/grants/${id}`, { method: 'DELETE' });
}
