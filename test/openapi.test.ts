import { readFileSync } from 'node:fs'
import { createConfig, lintFromString } from '@redocly/openapi-core'
import { API_TYPES, apiTypes, currentOpenapiDocument } from '../scripts/api-types.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ERROR_CATALOG } from '../src/error-catalog.js'
import { createTestEnv, type QuadInstance, type TestEnv } from './helpers/quad.js'

type Operation = { operationId?: string; security?: unknown[]; responses?: Record<string, unknown>; 'x-quad-errors'?: string[]; 'x-quad-access'?: string }

describe('the OpenAPI document', () => {
  let env: TestEnv
  let q: QuadInstance
  let doc: { paths: Record<string, Record<string, Operation>> }

  beforeAll(async () => {
    env = await createTestEnv('pglite')
    q = await env.start()
    doc = (await q.app.inject({ url: '/api/openapi.json' })).json()
  })
  afterAll(async () => env?.close())

  const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ id: `${method.toUpperCase()} ${path}`, op })))

  it('passes Redocly’s recommended rules with no errors', async () => {
    const config = await createConfig({ extends: ['recommended'] })
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config })
    const errors = problems.filter((p) => p.severity === 'error').map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)
    expect(errors).toEqual([])
  })

  it('names every operation once, and says who may call it and which error codes it answers with', () => {
    const ops = operations()
    expect(ops.length).toBeGreaterThan(80)
    const ids = ops.map((o) => o.op.operationId)
    expect(ids.filter((id) => !id)).toEqual([])
    expect(new Set(ids).size).toBe(ids.length)
    for (const { id, op } of ops) {
      expect(op.security, id).toBeDefined()
      expect(op['x-quad-access'], id).toBeTypeOf('string')
      const codes = op['x-quad-errors'] ?? []
      expect(codes.length, id).toBeGreaterThan(0)
      for (const c of codes) {
        expect(Object.keys(ERROR_CATALOG), `${id}: ${c}`).toContain(c)
        expect(op.responses?.[String(ERROR_CATALOG[c as keyof typeof ERROR_CATALOG].status)], `${id}: ${c}`).toBeDefined()
      }
    }
  })

  it('matches the web app’s generated API types (run npm run gen:api after changing a route)', async () => {
    const expected = await apiTypes(await currentOpenapiDocument())
    expect(readFileSync(API_TYPES, 'utf8') === expected, 'web/src/api/schema.d.ts is out of date: npm run gen:api').toBe(true)
  })
})
