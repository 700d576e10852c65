// A bare Node http server that answers with recorded responses: the floor Quad's cached reads are
// compared with. Started by bench/baseline/bare.ts with the file of responses to serve. The
// response is chosen by path, Accept-Encoding and whether a cookie came, one Map lookup.
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { bareKey, type BareEntry } from './bare-key.js'

const [file, port] = process.argv.slice(2)
const entries = JSON.parse(readFileSync(file!, 'utf8')) as BareEntry[]
const answers = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>()
for (const e of entries) {
  const body = Buffer.from(e.response.body, 'base64')
  answers.set(bareKey(e.path, e.encoding, e.session), { status: e.response.status, headers: { ...e.response.headers, 'content-length': String(body.length) }, body })
}

const server = http.createServer((req, res) => {
  const a = answers.get(bareKey(req.url ?? '', req.headers['accept-encoding'] ?? '', req.headers.cookie !== undefined))
  if (!a) {
    res.writeHead(404, { 'content-length': '0' })
    return res.end()
  }
  res.writeHead(a.status, a.headers)
  res.end(a.body)
})
server.keepAliveTimeout = 72_000
server.listen(Number(port), '127.0.0.1', () => process.send?.('ready'))
process.on('SIGTERM', () => server.close(() => process.exit(0)))
