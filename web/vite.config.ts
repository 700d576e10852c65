import path from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const here = path.dirname(fileURLToPath(import.meta.url))
const SHELL = /node_modules[\\/](react|react-dom|scheduler|@tanstack|use-sync-external-store)[\\/]|web[\\/]src[\\/](app|directory|data[\\/](account|client|public|session|viewer)|api[\\/](account|client|overlay|public)|ui[\\/](status|format))\b/

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
    // Browsers that run this build preload modules natively.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      output: {
        codeSplitting: {
          // What every page needs (React, the query cache, the router, the API client, the shell
          // and the directory) in one chunk: one request and one compression window. Pages stay
          // in their own chunks.
          groups: [{ name: 'shell', test: SHELL }],
        },
      },
    },
  },
  server: {
    // `npm run dev:web` proxies the API to a running `npm start`.
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
})
