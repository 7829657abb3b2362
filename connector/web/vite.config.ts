import { defineConfig } from 'vite';

/**
 * The admin page: Preact, built to connector/web/dist and served by the connector at /admin/
 * (connector/src/http/admin-page.ts). Hashed file names under /admin/assets/, so they can be
 * cached for good; index.html is revalidated. Nothing is loaded from anywhere else.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/admin/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
