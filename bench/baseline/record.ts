import { createHash } from 'node:crypto'
import http from 'node:http'

export interface RecordedResponse {
  status: number
  headers: Record<string, string>
  /** Body bytes as sent (no decompression), base64. */
  body: string
  bytes: number
  sha256: string
}

// Per-connection and per-message headers the bare server writes itself.
const HOP = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'])

/** One response exactly as a browser gets it (no decompression), headers and body bytes. */
export function recordResponse(url: string, headers: Record<string, string>): Promise<RecordedResponse> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const body = Buffer.concat(chunks)
          const kept: Record<string, string> = {}
          for (const [k, v] of Object.entries(res.headers)) if (!HOP.has(k) && v !== undefined) kept[k] = Array.isArray(v) ? v.join(', ') : v
          resolve({ status: res.statusCode ?? 0, headers: kept, body: body.toString('base64'), bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') })
        })
        res.on('error', reject)
      })
      .on('error', reject)
  })
}

/** Why two answers to the same request are not the same bytes, or null when they are. */
export function sameBytes(a: RecordedResponse, b: RecordedResponse): string | null {
  if (a.status !== b.status) return `status ${a.status} vs ${b.status}`
  if ((a.headers['content-encoding'] ?? 'identity') !== (b.headers['content-encoding'] ?? 'identity')) return `content-encoding ${a.headers['content-encoding']} vs ${b.headers['content-encoding']}`
  if (a.bytes !== b.bytes) return `length ${a.bytes} vs ${b.bytes}`
  if ((a.headers.etag ?? '') !== (b.headers.etag ?? '')) return `ETag ${a.headers.etag} vs ${b.headers.etag}`
  if (a.sha256 !== b.sha256) return 'same length, different bytes'
  return null
}
