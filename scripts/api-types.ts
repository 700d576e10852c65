import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'
import { buildApp } from '../src/app.js'
import { loadConfig } from '../src/config.js'
import { createRuntime } from '../src/runtime.js'

/** Where the web app's generated API types live (checked in; npm test fails when they drift). */
export const API_TYPES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/src/api/schema.d.ts')

const HEADER = '// Generated from the OpenAPI document by `npm run gen:api`; do not edit.\n\n'

/**
 * The OpenAPI document of an embedded instance (every route, the demo sign-in included). Fixed
 * settings keep it the same on every machine.
 */
export async function currentOpenapiDocument(): Promise<Record<string, unknown>> {
  const config = loadConfig({ QUAD_DATA_DIR: 'memory://', QUAD_SEED_DEMO: '0', NODE_ENV: 'test', LOG_LEVEL: 'silent', QUAD_PUBLIC_URL: 'http://127.0.0.1:3000' })
  const runtime = await createRuntime(config)
  try {
    const app = await buildApp(runtime)
    await app.ready()
    const doc = app.swagger() as Record<string, unknown>
    await app.close()
    return doc
  } finally {
    await runtime.close()
  }
}

/** The TypeScript types of the API, as the web app imports them. */
export async function apiTypes(doc: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(doc as never, { alphabetize: true, exportType: true })
  return HEADER + astToString(ast)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = await apiTypes(await currentOpenapiDocument())
  writeFileSync(API_TYPES, text)
  console.log(`wrote ${path.relative(process.cwd(), API_TYPES)} (${text.length} bytes)`)
}
