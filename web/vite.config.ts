import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { initialJsBudget } from './scripts/bundle-budget.ts';

/** The console's initial JavaScript (entry chunk and its static imports), gzipped, may not exceed this. */
export const INITIAL_JS_BUDGET_BYTES = 200 * 1024;

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react(), initialJsBudget(INITIAL_JS_BUDGET_BYTES)],
  resolve: { alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
});
