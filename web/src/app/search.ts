/**
 * Query strings exactly as the app has always written them: plain `key=value` pairs in the order
 * given, empty values left out (the router's default would JSON-encode values such as `1`).
 */
export type Search = Record<string, string>

export function parseSearch(searchStr: string): Search {
  return Object.fromEntries(new URLSearchParams(searchStr))
}

export function stringifySearch(search: Record<string, unknown>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(search)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}

/** A route's validateSearch: the listed keys, as strings, when present. */
export function searchKeys<K extends string>(...keys: K[]) {
  return (search: Record<string, unknown>): Partial<Record<K, string>> => {
    const out: Partial<Record<K, string>> = {}
    for (const k of keys) if (typeof search[k] === 'string' && search[k] !== '') out[k] = search[k]
    return out
  }
}
