import helmet from 'helmet'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'

/**
 * Security headers on every response, cached ones included: a Content-Security-Policy the web app
 * satisfies without inline script, no framing (the apply and submit pages must not be framed),
 * no MIME sniffing, a strict referrer policy, and HSTS when Quad is served over https. Helmet
 * writes them once at start; every response then carries the same precomputed values.
 */
export function securityHeaders(config: Config): Readonly<Record<string, string>> {
  const https = config.publicUrl.startsWith('https:')
  const headers: Record<string, string> = {}
  const res = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  }
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    hsts: https ? { maxAge: 15_552_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: { policy: 'same-origin' },
  })({} as never, res as never, () => {})
  return Object.freeze(headers)
}

export function registerSecurityHeaders(app: FastifyInstance, headers: Readonly<Record<string, string>>): void {
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers)
    done()
  })
}
