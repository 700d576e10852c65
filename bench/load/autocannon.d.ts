// The part of autocannon's API the load process uses (the package ships no types).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  export interface AcRequest {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string | Buffer
    setupRequest?: (req: AcRequest, context: Record<string, unknown>) => AcRequest | null | undefined
    onResponse?: (status: number, body: string | Buffer, context: Record<string, unknown>, headers: Record<string, string | string[]>) => void
    [extra: string]: unknown
  }

  export interface AcClient extends EventEmitter {
    requestIterator: { currentRequest: AcRequest; context: Record<string, unknown> }
  }

  export interface AcOptions {
    url: string
    connections?: number
    duration?: number
    overallRate?: number
    connectionRate?: number
    timeout?: number
    pipelining?: number
    requests?: AcRequest[]
    setupClient?: (client: AcClient) => void
    excludeErrorStats?: boolean
    skipAggregateResult?: boolean
  }

  export interface AcInstance extends EventEmitter {
    stop(): void
  }

  function autocannon(opts: AcOptions, cb: (err: Error | null, result: unknown) => void): AcInstance
  export default autocannon
}
