// Channel words the settings page shows: the outcome of "Send a test", a browser's short name
// for its push subscription, and what a refused or missing route means.
import { ApiError } from '../api/client';
import { isMissingRoute, type ChannelKind, type ChannelTestResult } from '../api/channels';
import { plainError } from './errors';

export function testOutcomeText(r: ChannelTestResult): string {
  if (r.outcome === 'delivered') return 'Test delivered.';
  if (r.outcome === 'sent') return 'Test sent. It should arrive in a moment.';
  return `The test failed: ${r.error || 'no reason given'}.`.replace(/\.\.$/, '.');
}

export function testErrorText(e: unknown): string {
  if (isMissingRoute(e)) return 'This server cannot send tests yet.';
  if (e instanceof ApiError && e.code === 'channel_not_found') return 'This channel is not set up any more. Reload the page.';
  if (e instanceof ApiError && e.status === 429) return 'Only 5 tests a minute. Wait a moment and try again.';
  return plainError(e, 'Could not send the test.');
}

export const KIND_TEXT: Record<ChannelKind, string> = { email: 'Email', webhook: 'Webhooks', push: 'Push', ntfy: 'ntfy' };

// What a section says when its routes are missing on this server.
export const NOT_ON_THIS_SERVER = 'This server does not offer this yet.';

// "Chrome on Android", "Firefox on Windows", … for the list of push subscriptions.
export function browserName(ua: string): string {
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /OPR\//.test(ua)
      ? 'Opera'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /(Chrome|Chromium|CriOS)\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : 'A browser';
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /CrOS/.test(ua)
            ? 'ChromeOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : '';
  return os ? `${browser} on ${os}` : browser;
}
