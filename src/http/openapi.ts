import type { Config } from '../config.js'
import { ERROR_CATALOG } from '../error-catalog.js'
import { SESSION_COOKIE } from '../modules/auth/session.js'

const TAGS: [string, string][] = [
  ['directory', 'Clubs, tags, badges and events, as everyone sees them (cached)'],
  ['fairs', 'Club fairs'],
  ['applications', 'Application cycles, forms and their builder'],
  ['submissions', 'Applying: drafts, submitting, my applications'],
  ['review', 'Officers review submissions and send decisions'],
  ['cycles', 'Administrators run application cycles'],
  ['auth', 'Signing in and out'],
  ['me', 'The signed-in user'],
  ['follows', 'Bookmarks and subscriptions'],
  ['membership', 'Members, requests to join and invites'],
  ['manage', 'Officers edit their club'],
  ['approvals', 'Approvers approve clubs and edits'],
  ['admin', 'Administrators manage tags, badges and approvers'],
  ['analytics', 'Page views and search terms'],
  ['ops', 'Operations'],
]

/** The document's frame: servers, security schemes (the session cookie, the CSRF header), tags. */
export function openapiDocument(config: Config) {
  const errors = Object.entries(ERROR_CATALOG)
    .map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.meaning} |`)
    .join('\n')
  return {
    openapi: '3.0.3',
    info: {
      title: 'Quad API',
      version: '1.0.0',
      description: `University club directory and centralized recruitment.\n\nEvery error is JSON \`{"error": {"code", "message", "fields"?}}\`; each operation lists the codes it may return (\`x-quad-errors\`).\n\n| code | status | meaning |\n|---|---|---|\n${errors}`,
      license: { name: 'Proprietary', url: `${config.publicUrl}/` },
    },
    servers: [{ url: config.publicUrl, description: 'This Quad deployment' }],
    tags: TAGS.map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: {
        session: { type: 'apiKey' as const, in: 'cookie' as const, name: SESSION_COOKIE, description: 'Set by signing in (POST /api/auth/login).' },
        csrf: {
          type: 'apiKey' as const,
          in: 'header' as const,
          name: 'X-CSRF-Token',
          description: 'State-changing requests repeat the quad_csrf cookie (also returned by GET /api/me) in this header.',
        },
      },
    },
  }
}

/** operationId from method and path: GET /api/clubs/:code/members -> getClubsCodeMembers. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .replace(/^\/api\//, '')
    .split(/[/.-]/)
    .filter(Boolean)
    .map((w) => (w.startsWith(':') ? `by ${w.slice(1)}` : w))
    .join(' ')
    .split(/[\s_]+/)
  return [method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join('')
}

/**
 * OpenAPI 3.0 schemas have no `propertyNames`; the server validates with it (a bad key must fail,
 * not be dropped), and the document states the rule in the description instead.
 */
export function documentedSchema<T>(schema: T): T {
  if (Array.isArray(schema)) return schema.map(documentedSchema) as T
  if (!schema || typeof schema !== 'object') return schema
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(schema as Record<string, unknown>)) {
    if (k === 'propertyNames') continue
    out[k] = documentedSchema(v)
  }
  const names = (schema as { propertyNames?: { pattern?: string } }).propertyNames
  if (names?.pattern) out.description = `${out.description ? `${out.description} ` : ''}Keys match ${names.pattern}.`
  return out as T
}
