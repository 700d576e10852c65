/**
 * Every call the web app makes, through this one module: pages import these functions, never
 * URLs, so an API change is adapted here once (and the generated types make the compiler find
 * it). The calls are grouped by who makes them; the app shell imports public.ts directly so the
 * directory's first load carries none of the signed-in areas' calls.
 */
export * from './account.js'
export * from './client.js'
export * from './manage.js'
export * from './public.js'
export * from './staff.js'
export type * from './types.js'
