/**
 * The pages' build: one Vite app (applicant portal, staff console, supervision board), each page
 * a lazily loaded route. Element Plus is tree-shaken by unplugin-vue-components (each component
 * and its CSS imported where a template uses it); ECharts is imported only by the report page.
 * Output: web/dist, served by `npm start` (infra/local/static.ts) and by CloudFront in AWS.
 */
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  logLevel: 'warn',
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false })],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    manifest: true,
    chunkSizeWarningLimit: 1200,
    reportCompressedSize: false,
  },
});
