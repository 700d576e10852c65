import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist')

const IMMUTABLE = 'public, max-age=31536000, immutable'

/** Whether a GET should get the single-page app's index.html (client-side routes). */
export function wantsSpa(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false
  const url = req.url.split('?')[0] ?? '/'
  // API, hashed assets and file-like paths keep their real 404.
  if (url === '/api' || url.startsWith('/api/') || url.startsWith('/assets/')) return false
  if (url === '/metrics' || url === '/healthz' || url === '/readyz') return false
  // Dotfiles and file-like names ("/favicon.ico") are files, not client routes.
  return !url.includes('/.') && !/\.[a-z0-9]{1,8}$/i.test(url)
}

/**
 * Serves the built React app from web/dist on the API's port: hashed assets are immutable for a
 * year (their names change with their content); index.html is revalidated on every load so a new
 * deploy is picked up at once. Unknown non-API GETs get index.html (the app routes on the client).
 */
export async function registerWebApp(app: FastifyInstance, dist = WEB_DIST): Promise<void> {
  if (!existsSync(path.join(dist, 'index.html'))) {
    app.log.warn({ dist }, 'web app not built (npm run build:web); serving the API only')
    return
  }
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/',
    wildcard: true,
    index: 'index.html',
    preCompressed: true,
    cacheControl: false,
    dotfiles: 'ignore',
    setHeaders(reply, file) {
      const rel = path.relative(dist, file).split(path.sep).join('/')
      reply.header('cache-control', rel.startsWith('assets/') ? IMMUTABLE : 'no-cache')
    },
  })
}

/** Sends index.html for client-side routes; returns false when the request is not one. */
export function sendSpa(req: FastifyRequest, reply: FastifyReply, dist = WEB_DIST): boolean {
  if (!wantsSpa(req) || typeof reply.sendFile !== 'function' || !existsSync(path.join(dist, 'index.html'))) return false
  reply.header('cache-control', 'no-cache')
  void reply.type('text/html; charset=utf-8').sendFile('index.html', dist, { cacheControl: false })
  return true
}
