import type { FastifyRequest } from 'fastify'

/**
 * Whether this request's cookies get the Secure flag: users reach Quad over https
 * (QUAD_PUBLIC_URL), or the request itself came over TLS, directly or, with QUAD_TRUST_PROXY=1,
 * as the proxy's X-Forwarded-Proto says (Fastify's `req.protocol` reads it only then).
 */
export function secureCookiePolicy(publicUrl: string): (req: FastifyRequest) => boolean {
  const always = /^https:/i.test(publicUrl)
  return (req) => always || req.protocol === 'https'
}
