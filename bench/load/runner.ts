import autocannon, { type AcClient, type AcRequest } from 'autocannon'
import { createRequire } from 'node:module'
import { headersFor, lowerHeaders } from '../traffic/headers.js'
import type { Conn, Incoming, RequestSpec } from '../traffic/types.js'
import type { Stats } from './stats.js'

export interface Stream {
  /** Class name, for messages. */
  name: string
  url: string
  connections: number
  /** Total requests per second of this stream; 0 = each connection sends as soon as answered. */
  rate: number
  specs: RequestSpec[]
}

// autocannon's HTTP parser, for the body hook below.
const { HTTPParser } = createRequire(createRequire(import.meta.url).resolve('autocannon'))('http-parser-js') as { HTTPParser: { kOnBody: number } }

interface ClientInternals {
  parser?: Record<number, unknown>
  pipelinedRequests?: { peek(): { req?: AcRequest; body: string | Buffer } | undefined }
}

/**
 * autocannon appends every body chunk to a string, decoding each chunk on its own. For a large
 * response that costs the load process more than the server spends sending it (the load process
 * becomes what is measured), and a multi-byte character split across chunks is garbled. Bodies
 * are kept, as bytes, only for requests whose class reads them.
 */
function keepBodiesOnlyWhenRead(client: AcClient, specs: RequestSpec[]): void {
  const { parser, pipelinedRequests: queue } = client as unknown as ClientInternals
  if (!parser || !queue || typeof queue.peek !== 'function' || typeof parser[HTTPParser.kOnBody] !== 'function') return
  parser[HTTPParser.kOnBody] = (chunk: Buffer, start: number, len: number) => {
    const pending = queue.peek()
    if (!pending || !specs[Number(pending.req?.specIndex)]?.readBody) return
    const part = chunk.subarray(start, start + len)
    pending.body = typeof pending.body === 'string' ? part : Buffer.concat([pending.body, part])
  }
}
interface Pending {
  status: number
  body: string
  headers: Record<string, string | string[]>
}

/**
 * Runs one stream on autocannon. Every response is recorded per route (latency from autocannon's
 * own timer, headers from the response) and handed to the class's done() with the connection's
 * state, so sequences can carry ids from one request to the next.
 */
export function runStream(stream: Stream, durationS: number, stats: Stats): { finished: Promise<void>; stop(): void } {
  const { specs } = stream
  const requests: AcRequest[] = specs.map((spec, specIndex) => ({
    method: spec.method,
    path: '/',
    specIndex,
    setupRequest: (req: AcRequest, conn: Conn) => {
      const out = spec.next(conn)
      if (!out) return null
      return {
        ...req,
        method: spec.method,
        path: out.path,
        headers: headersFor(spec, out, conn),
        body: out.body === undefined ? undefined : JSON.stringify(out.body),
      }
    },
    onResponse: (status: number, body: string | Buffer, conn: Conn, headers: Record<string, string | string[]>) => {
      conn.__res = { status, body: typeof body === 'string' ? body : body.toString('utf8'), headers } satisfies Pending
    },
  }))

  const routeOf = (client: AcClient) => specs[Number(client.requestIterator.currentRequest?.specIndex ?? 0)]?.route ?? stream.name

  const setupClient = (client: AcClient) => {
    // setupClient runs inside the client's constructor, before it installs its parser callbacks.
    queueMicrotask(() => keepBodiesOnlyWhenRead(client, specs))
    client.on('response', (status: number, bytes: number, durationMs: number) => {
      const now = performance.now()
      const conn = client.requestIterator.context as Conn
      const spec = specs[Number(client.requestIterator.currentRequest.specIndex)]!
      const pending = conn.__res as Pending | undefined
      conn.__res = undefined
      const { headers, setCookie } = lowerHeaders(pending?.headers)
      const ok = (spec.ok ?? [200, 304]).includes(status)
      stats.record({ route: spec.route, cls: stream.name, status, latencyMs: durationMs, bytes, ok, headers }, now)
      for (const c of setCookie) {
        const m = /^quad_ryw=([^;]*)/.exec(c)
        if (m) conn.__ryw = m[1]
      }
      if (spec.done) {
        const res: Incoming = { status, headers, body: pending?.body ?? '', sentAt: now - durationMs, doneAt: now }
        spec.done(res, conn)
      }
    })
    client.on('connError', () => stats.failure(routeOf(client), 'connection'))
    client.on('timeout', () => stats.failure(routeOf(client), 'timeout'))
  }

  let instance: ReturnType<typeof autocannon> | null = null
  const finished = new Promise<void>((resolve, reject) => {
    instance = autocannon(
      {
        url: stream.url,
        connections: stream.connections,
        duration: durationS,
        ...(stream.rate > 0 ? { overallRate: Math.max(1, Math.round(stream.rate)) } : {}),
        timeout: 10,
        requests,
        setupClient,
        skipAggregateResult: true,
      },
      (err) => (err ? reject(err) : resolve()),
    )
  })
  return { finished, stop: () => (instance as ReturnType<typeof autocannon> | null)?.stop() }
}
