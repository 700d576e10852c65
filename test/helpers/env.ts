/** The machine's PostgreSQL and Redis, overridable for other machines. */
export const adminUrl = () => process.env.QUAD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'
export const redisUrl = () => process.env.QUAD_TEST_REDIS ?? 'redis://127.0.0.1:6379'
