// Load generator in its own process, so client work does not share the server's event loop.
// Usage: node burst.mjs <warmUrl> <url> <n>  → prints [{ status, ms, code, retryAfter, serverMs }] as JSON.
import http from 'node:http'

const [warmUrl, url, n] = [process.argv[2], process.argv[3], Number(process.argv[4])]
const agent = new http.Agent({ keepAlive: true, maxSockets: n })

const get = (u) =>
  new Promise((resolve) => {
    const t0 = performance.now()
    http
      .get(u, { agent }, (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c) => (body += c))
        res.on('end', () => {
          let code = null
          try {
            code = JSON.parse(body).error?.code ?? null
          } catch {}
          const total = /total;dur=([\d.]+)/.exec(res.headers['server-timing'] ?? '')
          resolve({ status: res.statusCode, ms: performance.now() - t0, code, retryAfter: res.headers['retry-after'] ?? null, serverMs: total ? Number(total[1]) : null })
        })
      })
      .on('error', (err) => resolve({ status: 0, ms: performance.now() - t0, code: err.message, retryAfter: null, serverMs: null }))
  })

// Open every socket first: connection setup is not what is measured.
await Promise.all(Array.from({ length: n }, () => get(warmUrl)))
const results = await Promise.all(Array.from({ length: n }, () => get(url)))
agent.destroy()
process.stdout.write(JSON.stringify(results))
