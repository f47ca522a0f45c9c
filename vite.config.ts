import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web app (apps/web). Built into apps/web/dist, which the server serves from
 * the same origin as the API. In development Vite serves the app on 5173 and
 * forwards the API, the SSE stream and the CTI passthrough to the server on 8080.
 */
const SERVER = process.env.LINEDECK_SERVER ?? 'http://127.0.0.1:8080';

export default defineConfig({
  root: 'apps/web',
  plugins: [react(), tailwindcss()],
  build: {
    outDir: '../../apps/web/dist',
    emptyOutDir: true,
    target: 'es2022',
    // Maps are written for whoever debugs a build, but no bundle points at them ('hidden'), and the server
    // serves them only with SERVE_SOURCE_MAPS=true (static.ts): they would hand out the whole source.
    sourcemap: 'hidden',
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      // SSE passes through http-proxy as a stream; nothing buffers it.
      '/api': { target: SERVER, changeOrigin: false },
      '/cti': { target: SERVER, changeOrigin: false },
    },
  },
  preview: { port: 4173 },
});
