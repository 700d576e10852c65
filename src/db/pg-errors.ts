/** PostgreSQL error classes that feature code turns into typed 4xx answers. */
const code = (err: unknown) => (err as { code?: unknown })?.code
const constraint = (err: unknown) => String((err as { constraint?: unknown })?.constraint ?? '')

export const isUniqueViolation = (err: unknown, name?: string) => code(err) === '23505' && (!name || constraint(err) === name)
export const isForeignKeyViolation = (err: unknown) => code(err) === '23503'
export const isCheckViolation = (err: unknown) => code(err) === '23514'
