// Registers the service worker (/sw.js, scope "/": push notifications and the offline page) in a
// built UI; the Vite dev server has no /sw.js. A failure is kept, so the push settings can say
// why push cannot be enabled instead of failing without a word.
let failure: string | null = null;

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((e: unknown) => {
    failure = e instanceof Error ? e.message : String(e);
  });
}

export function serviceWorkerFailure(): string | null {
  return failure;
}
