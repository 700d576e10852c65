import { createHmac, timingSafeEqual } from 'node:crypto'

export const RYW_COOKIE = 'quad_ryw'
export const RYW_TTL_S = 120

/** A signed "my last write has clock C" token, valid on every instance that shares the secret. */
export class RywTokens {
  constructor(private readonly secret: string) {}

  sign(clock: number, now = Date.now()): string {
    const body = `${clock}.${now + RYW_TTL_S * 1000}`
    return `${body}.${this.mac(body)}`
  }

  /** The clock of a valid, unexpired token; null otherwise. */
  verify(token: string | undefined, now = Date.now()): number | null {
    if (!token) return null
    const parts = token.split('.')
    if (parts.length !== 3) return null
    const [clock, exp, mac] = parts as [string, string, string]
    const expected = Buffer.from(this.mac(`${clock}.${exp}`))
    const given = Buffer.from(mac)
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
    if (!(Number(exp) > now)) return null
    const c = Number(clock)
    return Number.isSafeInteger(c) && c >= 0 ? c : null
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(`ryw:${body}`).digest('base64url').slice(0, 22)
  }
}
