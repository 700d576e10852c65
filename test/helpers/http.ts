import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

/** Query count reported by Server-Timing ("db;dur=..;desc="N queries""). */
export function queryCount(res: LightMyRequestResponse): number {
  const m = /desc="(\d+) queries"/.exec(String(res.headers['server-timing'] ?? ''))
  if (!m) throw new Error(`no query count in Server-Timing: ${res.headers['server-timing']}`)
  return Number(m[1])
}

export const cacheStatus = (res: LightMyRequestResponse) => String(res.headers['cache-status'] ?? '')

export async function getJson<T = any>(app: FastifyInstance, url: string, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'GET', url, headers })
  return { res, body: res.body ? (JSON.parse(res.body) as T) : (undefined as T) }
}
