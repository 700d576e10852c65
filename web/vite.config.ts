import path from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const here = path.dirname(fileURLToPath(import.meta.url))

export default defineConfig({
  root: here,
  plugins: [react()],
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // The manifest lets tests measure what the directory loads first.
    manifest: true,
  },
  server: {
    // `npm run dev:web` proxies the API to a running `npm start`.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
})
