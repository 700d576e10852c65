// A bare Node http server that answers every request with one recorded response: the floor
// Quad's cached reads are compared with. Started by bench/baseline.ts with the file to serve.
import { readFileSync } from 'node:fs'
import http from 'node:http'

const [file, port] = process.argv.slice(2)
const recorded = JSON.parse(readFileSync(file!, 'utf8')) as { status: number; headers: Record<string, string>; body: string }
const body = Buffer.from(recorded.body, 'base64')
const headers = { ...recorded.headers, 'content-length': String(body.length) }

const server = http.createServer((_req, res) => {
  res.writeHead(recorded.status, headers)
  res.end(body)
})
server.keepAliveTimeout = 72_000
server.listen(Number(port), '127.0.0.1', () => process.send?.('ready'))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
