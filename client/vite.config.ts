import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { kioskServiceWorker } from './build/kioskServiceWorker';

// One app, routed by surface. In development the API runs on :3000 and vite proxies to it;
// in production the API serves the built files itself (no CDN: venue networks are flaky).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue(), kioskServiceWorker({ publicFiles: ['/favicon.svg', '/manifest.webmanifest'] })],
  // Messages are compiled by intl-messageformat (src/lib/i18n.ts): vue-i18n's runtime-only
  // build leaves its own compiler out, and the legacy API goes too.
  resolve: { alias: { 'vue-i18n': 'vue-i18n/dist/vue-i18n.runtime.esm-bundler.js' } },
  define: { __VUE_I18N_FULL_INSTALL__: false, __VUE_I18N_LEGACY_API__: false, __INTLIFY_PROD_DEVTOOLS__: false },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 800,
    // Modules run in import order even where the bundler merges them into one chunk: main.ts
    // sets zod's jitless (src/lib/zodConfig.ts) before any shared schema is built, or zod's
    // eval probe trips the CSP.
    rollupOptions: { output: { strictExecutionOrder: true } },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
});
