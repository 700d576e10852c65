import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registerWebApp, sendSpa, wantsSpa } from './web-app.js'

describe('web app serving', () => {
  let dist: string
  let app: FastifyInstance
  beforeAll(async () => {
    dist = mkdtempSync(path.join(tmpdir(), 'quad-dist-'))
    mkdirSync(path.join(dist, 'assets'))
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><div id="root"></div>')
    writeFileSync(path.join(dist, 'assets/index-abc123.js'), 'console.log(1)')
    writeFileSync(path.join(dist, '.build-stamp'), 'x')
    app = Fastify()
    app.setNotFoundHandler((req, reply) => {
      if (sendSpa(req, reply, dist)) return
      reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'nope' } })
    })
    await registerWebApp(app, dist)
    app.get('/api/clubs', async () => ({ clubs: [] }))
    await app.ready()
  })
  afterAll(async () => {
    await app.close()
    rmSync(dist, { recursive: true, force: true })
  })

  it('serves index.html for the root and client routes, revalidated on every load', async () => {
    for (const url of ['/', '/clubs/chess', '/me/applications?x=1']) {
      const res = await app.inject({ url })
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['content-type']).toMatch(/text\/html/)
      expect(res.headers['cache-control']).toBe('no-cache')
      expect(res.body).toContain('id="root"')
    }
  })

  it('serves hashed assets as immutable for a year', async () => {
    const res = await app.inject({ url: '/assets/index-abc123.js' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable')
  })

  it('keeps real 404s for the API, missing assets and dotfiles', async () => {
    expect((await app.inject({ url: '/api/nothing' })).json().error.code).toBe('NOT_FOUND')
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404)
    expect((await app.inject({ url: '/.build-stamp' })).statusCode).toBe(404)
    expect((await app.inject({ url: '/api/clubs' })).json()).toEqual({ clubs: [] })
    expect((await app.inject({ method: 'POST', url: '/clubs/x' })).statusCode).toBe(404)
  })

  it('decides which requests are client routes', () => {
    const req = (method: string, url: string) => ({ method, url }) as never
    expect(wantsSpa(req('GET', '/manage/chess/events'))).toBe(true)
    expect(wantsSpa(req('GET', '/api/clubs'))).toBe(false)
    expect(wantsSpa(req('GET', '/favicon.ico'))).toBe(false)
    expect(wantsSpa(req('GET', '/metrics'))).toBe(false)
    expect(wantsSpa(req('DELETE', '/clubs/x'))).toBe(false)
  })
})
