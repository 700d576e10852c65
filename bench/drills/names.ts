export const DRILL_NAMES = ['redis-restart', 'postgres-restart', 'stuck-query', 'overload'] as const
export type DrillName = (typeof DRILL_NAMES)[number]
