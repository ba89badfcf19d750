// The service worker is built on its own into build/web/sw.js: one classic script (no module
// worker: not every browser runs those), under a fixed name at the root so its scope is "/".
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: false,
  build: {
    outDir: '../build/web',
    emptyOutDir: false,
    target: 'es2022',
    sourcemap: false,
    copyPublicDir: false,
    lib: {
      entry: 'src/sw/serviceWorker.ts',
      formats: ['iife'],
      name: 'ticklerServiceWorker',
      fileName: () => 'sw.js',
    },
  },
});
