/** True for a unique violation (SQLSTATE 23505), optionally of one named constraint or index. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: unknown; constraint?: unknown }
  if (e?.code !== '23505') return false
  return constraint === undefined || e.constraint === constraint
}
