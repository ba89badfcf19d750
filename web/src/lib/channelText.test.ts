import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { browserName, testErrorText, testOutcomeText } from './channelText';

describe('channel words', () => {
  it('says what a test did', () => {
    expect(testOutcomeText({ channel: 'email', outcome: 'delivered' })).toBe('Test delivered.');
    expect(testOutcomeText({ channel: 'push:1', outcome: 'sent' })).toMatch(/^Test sent/);
    expect(testOutcomeText({ channel: 'ntfy', outcome: 'failed', error: 'HTTP 403' })).toBe('The test failed: HTTP 403.');
    expect(testErrorText(new ApiError(429, 'too_many_requests', 'x'))).toMatch(/5 tests a minute/);
    expect(testErrorText(new ApiError(404, 'not_found', 'no such route'))).toBe('This server cannot send tests yet.');
    expect(testErrorText(new ApiError(404, 'channel_not_found', 'x'))).toMatch(/not set up/);
  });

  it('names a browser by its user agent', () => {
    expect(
      browserName('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'),
    ).toBe('Chrome on Linux');
    expect(browserName('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36')).toBe(
      'Chrome on Android',
    );
    expect(browserName('Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 Safari/604.1')).toBe(
      'Safari on iOS',
    );
    expect(browserName('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0')).toBe('Firefox on Windows');
    expect(browserName('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/131 Safari/537.36 Edg/131')).toBe(
      'Edge on macOS',
    );
  });
});
