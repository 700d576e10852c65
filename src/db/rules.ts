import { type ExpressionBuilder, type Expression, type SqlBool, sql } from 'kysely'

/**
 * Domain rules that several modules' SQL needs, defined once as Kysely expressions over a table
 * alias. Repositories use them; nothing else spells the rule out.
 */

/** A public club: approved, active and not archived (the only clubs the directory shows). */
export function isPublicClub<DB, TB extends keyof DB>(_eb: ExpressionBuilder<DB, TB>, alias: string): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${alias}.status`)} = 'approved' and ${sql.ref(`${alias}.active`)} and ${sql.ref(`${alias}.archived_at`)} is null)`
}

/** An application taking submissions at `now`: active, started, not ended (extensions aside). */
export function isOpenApplication<DB, TB extends keyof DB>(_eb: ExpressionBuilder<DB, TB>, alias: string, now: Date): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${alias}.active`)} and ${sql.ref(`${alias}.starts_at`)} <= ${now} and ${sql.ref(`${alias}.ends_at`)} > ${now})`
}
