import { createHash } from 'node:crypto'

const MAX_TEXT = 400

/**
 * The shape of a statement without its values, so the same query with different literals logs and
 * groups as one: strings, numbers, parameters and IN/VALUES lists collapse to `?`.
 */
export function normalizeSql(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\$([A-Za-z_]*)\$[\s\S]*?\$\1\$/g, '?') // dollar-quoted strings
    .replace(/[EeBbXxUu]?&?'(?:[^']|'')*'/g, '?') // string, escape, bit and unicode literals
    .replace(/\$\d+/g, '?') // bind parameters
    .replace(/(?<![\w".])-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?\b/g, '?') // numbers, not digits inside names
    .replace(/\s+/g, ' ')
    .replace(/\(\s*\?(?:\s*,\s*\?)+\s*\)/g, '(?)') // in (?, ?, ?) → in (?)
    .replace(/(?:\(\?\)\s*,\s*)+\(\?\)/g, '(?)') // values (?), (?) → values (?)
    .trim()
    .toLowerCase()
}

export interface Fingerprint {
  /** Short stable id of the normalized text, for grouping in log search. */
  id: string
  text: string
}

export function fingerprint(sql: string): Fingerprint {
  const normal = normalizeSql(sql)
  return {
    id: createHash('sha1').update(normal).digest('hex').slice(0, 12),
    text: normal.length > MAX_TEXT ? `${normal.slice(0, MAX_TEXT)}…` : normal,
  }
}
