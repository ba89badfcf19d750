// The service worker (built alone into /sw.js, scope "/"; see vite.sw.config.ts). It shows
// Tickler's push messages with their Done / Snooze actions and acts on clicks (logic.ts), and
// keeps one page cached: /offline.html, answered to a navigation the network cannot serve, so
// an offline start says so clearly. Nothing else is cached: no app code, no API data.
import { notificationOf, onAction, onOpen, parsePayload, type NotificationData, type WorkerDeps } from './logic';

// The parts of ServiceWorkerGlobalScope used here (the DOM lib has no worker types).
interface ExtendableEvent extends Event {
  waitUntil(p: Promise<unknown>): void;
}
interface PushEvent extends ExtendableEvent {
  data: { text(): string } | null;
}
interface NotificationClickEvent extends ExtendableEvent {
  action: string;
  notification: Notification;
}
interface FetchEvent extends ExtendableEvent {
  request: Request;
  respondWith(r: Promise<Response>): void;
}
interface WindowClientLike {
  url: string;
  focus(): Promise<unknown>;
  postMessage(m: unknown): void;
}
interface WorkerScope {
  location: Location;
  registration: ServiceWorkerRegistration;
  clients: {
    matchAll(o: { type: 'window'; includeUncontrolled: boolean }): Promise<WindowClientLike[]>;
    openWindow(url: string): Promise<unknown>;
    claim(): Promise<void>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', l: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'push', l: (e: PushEvent) => void): void;
  addEventListener(type: 'notificationclick', l: (e: NotificationClickEvent) => void): void;
  addEventListener(type: 'fetch', l: (e: FetchEvent) => void): void;
}

const scope = self as unknown as WorkerScope;
const CACHE = 'tickler-offline-v1';
const OFFLINE_PAGE = '/offline.html';

const deps: WorkerDeps = {
  origin: scope.location.origin,
  fetch: (url, init) => fetch(url, init),
  showNotification: (title, options) => scope.registration.showNotification(title, options as NotificationOptions),
  windows: () => scope.clients.matchAll({ type: 'window', includeUncontrolled: true }),
  openWindow: (url) => scope.clients.openWindow(url),
};

scope.addEventListener('install', (e) => {
  e.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.add(new Request(OFFLINE_PAGE, { cache: 'reload' })))
      .then(() => scope.skipWaiting()),
  );
});

scope.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => scope.clients.claim()),
  );
});

// Only page loads are looked at, and only when the network fails; every other request (the
// API, the WebSocket, assets) goes to the network as if there were no worker.
scope.addEventListener('fetch', (e) => {
  if (e.request.mode !== 'navigate' || e.request.method !== 'GET') return;
  e.respondWith(
    fetch(e.request).catch(async () => (await caches.match(OFFLINE_PAGE, { cacheName: CACHE })) ?? Response.error()),
  );
});

scope.addEventListener('push', (e) => {
  const shown = notificationOf(parsePayload(e.data?.text(), deps.origin));
  e.waitUntil(deps.showNotification(shown.title, shown.options));
});

scope.addEventListener('notificationclick', (e) => {
  const data = e.notification.data as NotificationData;
  e.notification.close();
  e.waitUntil(e.action ? onAction(data, e.action, deps) : onOpen(data, deps));
});
