import { describe, expect, it } from 'vitest'
import { parseWrkOutput, wrkArgs } from './parse.js'

// Real output of wrk 4.1.0 with bench/wrk/report.lua (a server answering 404 to every request).
const OUTPUT = `Running 1s test @ http://127.0.0.1:18999/x
  1 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     4.58ms   10.93ms  77.24ms   91.42%
    Req/Sec     7.27k     5.52k   16.58k    63.64%
  7962 requests in 1.10s, 11.07MB read
  Non-2xx or 3xx responses: 7962
Requests/sec:   7214.46
Transfer/sec:     10.03MB
WRK_JSON {"duration_us":1103617,"requests":7962,"bytes":11608596,"errors":{"connect":0,"read":0,"write":0,"status":7962,"timeout":0},"latency_us":{"mean":4584.3,"p50":606,"p90":12438,"p99":62415,"max":77243}}
`

describe('wrk output', () => {
  it('reads the JSON line the script writes, with rates per its measured duration', () => {
    const r = parseWrkOutput(OUTPUT)
    expect(r.requests).toBe(7962)
    expect(r.durationS).toBeCloseTo(1.103617, 6)
    // The same figure wrk prints as Requests/sec.
    expect(r.rps).toBeCloseTo(7214.46, 1)
    expect(r.bytes).toBe(11608596)
    expect(r.statusErrors).toBe(7962)
    expect(r.socketErrors).toBe(0)
    expect(r.latencyMs).toEqual({ mean: 4.584, p50: 0.606, p90: 12.438, p99: 62.415, max: 77.243 })
  })

  it('adds up socket errors and timeouts as requests without a response', () => {
    const line = OUTPUT.replace('"connect":0,"read":0,"write":0,"status":7962,"timeout":0', '"connect":1,"read":2,"write":3,"status":0,"timeout":4')
    const r = parseWrkOutput(line)
    expect(r.socketErrors).toBe(10)
    expect(r.statusErrors).toBe(0)
  })

  it('fails with the output when wrk printed no result line', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused\n')).toThrow(/no result line[\s\S]*Connection refused/)
  })

  it('hands the headers to the script after --, one argument each', () => {
    const args = wrkArgs({ url: 'http://127.0.0.1:1/api/clubs', headers: { 'accept-encoding': 'br', cookie: 'quad_session=a; quad_csrf=b' }, connections: 32, threads: 1, durationS: 3, script: '/s.lua' })
    expect(args).toEqual(['-t1', '-c32', '-d3s', '--timeout', '5s', '-s', '/s.lua', 'http://127.0.0.1:1/api/clubs', '--', 'accept-encoding: br', 'cookie: quad_session=a; quad_csrf=b'])
  })
})
