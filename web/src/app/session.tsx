/** Who is signed in (GET /api/me) and their private overlay, shared by every page. */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react'
import * as api from '../api/index.js'
import { EMPTY_OVERLAY, type Overlay, parseOverlay } from '../api/overlay.js'
import type { Me } from '../api/types.js'

interface SessionValue {
  me: Me | null
  user: Me['user']
  ready: boolean
  overlay: Overlay
  refresh: () => Promise<void>
  refreshOverlay: () => Promise<void>
  toggle: (kind: 'bookmarks' | 'subscriptions', code: string) => Promise<void>
}

const SessionContext = createContext<SessionValue | null>(null)

export function SessionProvider({ children, initial }: { children: ReactNode; initial?: Me }) {
  const [me, setMe] = useState<Me | null>(initial ?? null)
  const [ready, setReady] = useState(!!initial)
  const [overlay, setOverlayState] = useState<Overlay>(EMPTY_OVERLAY)
  // The latest overlay, readable synchronously by toggle() (state updaters may run later or twice).
  const current = useRef(overlay)
  const setOverlay = useCallback((next: Overlay) => {
    current.current = next
    setOverlayState(next)
  }, [])

  const refreshOverlay = useCallback(async () => {
    try {
      setOverlay(parseOverlay(await api.getOverlay()))
    } catch {
      setOverlay(EMPTY_OVERLAY)
    }
  }, [setOverlay])

  const refresh = useCallback(async () => {
    const m = await api.getMe()
    api.setCsrfToken(m.csrf_token)
    setMe(m)
    setReady(true)
    if (m.user) await refreshOverlay()
    else setOverlay(EMPTY_OVERLAY)
  }, [refreshOverlay, setOverlay])

  useEffect(() => {
    refresh().catch(() => setReady(true))
  }, [refresh])

  const toggle = useCallback(
    async (kind: 'bookmarks' | 'subscriptions', code: string) => {
      const flip = (add: boolean) => {
        const next = new Set(current.current[kind])
        if (add) next.add(code)
        else next.delete(code)
        setOverlay({ ...current.current, [kind]: next })
      }
      const on = !current.current[kind].has(code)
      // Optimistic: the button flips at once and flips back if the server refuses.
      flip(on)
      try {
        await (kind === 'bookmarks' ? api.setBookmark(code, on) : api.setSubscription(code, on))
      } catch (err) {
        flip(!on)
        throw err
      }
    },
    [setOverlay],
  )

  const value = useMemo(
    () => ({ me, user: me?.user ?? null, ready, overlay, refresh, refreshOverlay, toggle }),
    [me, ready, overlay, refresh, refreshOverlay, toggle],
  )
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext)
  if (!v) throw new Error('useSession outside SessionProvider')
  return v
}
