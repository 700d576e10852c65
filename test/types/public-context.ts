// Compile-time checks (run by `npm run typecheck`, part of `npm test`): a cacheable handler
// cannot reach the viewer, the request or the session.
import type { PublicContext } from '../../src/cache/policy.js'

export function readsOnlyPublicData(ctx: PublicContext<{ code: string }, { q?: string }>) {
  const ok: string = ctx.params.code
  // @ts-expect-error the viewer is not part of a cacheable handler's context
  void ctx.user
  // @ts-expect-error nor is the request (and with it cookies and headers)
  void ctx.req
  // @ts-expect-error nor the session
  void ctx.session
  return ok
}
