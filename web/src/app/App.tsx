import { useQueryClient } from '@tanstack/react-query'
import { lazy, type ReactNode, Suspense, useEffect, useRef } from 'react'
import * as api from '../api/index.js'
import { sessionChanged, useMe } from '../data/session.js'
import { DirectoryPage } from '../directory/DirectoryPage.js'
import { Loading } from '../ui/status.js'
import { Link, match, navigate, useLocation } from './router.js'

// Everything but the directory loads on demand, keeping its first load small; the club page and
// sign-in chunks are fetched while the browser is idle so following a link stays instant.
const loadClubPage = () => import('../club/ClubPage.js')
const loadAuth = () => import('../auth/AuthPages.js')
const ClubPage = lazy(() => loadClubPage().then((m) => ({ default: m.ClubPage })))
const LoginPage = lazy(() => loadAuth().then((m) => ({ default: m.LoginPage })))
const SignupPage = lazy(() => loadAuth().then((m) => ({ default: m.SignupPage })))
export function prefetchCommonPages(): void {
  const run = () => void Promise.all([loadClubPage(), loadAuth()]).catch(() => {})
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 3000 })
  else setTimeout(run, 1500)
}
const MePages = lazy(() => import('../me/MePages.js'))
const ApplyPage = lazy(() => import('../apply/ApplyPage.js'))
const ManageClub = lazy(() => import('../officer/ManageClub.js'))
const ReviewPage = lazy(() => import('../officer/ReviewPage.js'))
const AdminPages = lazy(() => import('../admin/AdminPages.js'))
const OpsPage = lazy(() => import('../ops/OpsPage.js'))
const InvitePage = lazy(() => import('../me/InvitePage.js'))

function RequireUser({ children }: { children: ReactNode }) {
  const { user, ready } = useMe()
  const { path, query } = useLocation()
  useEffect(() => {
    if (ready && !user) navigate(`/login?next=${encodeURIComponent(path + (query.size ? `?${query}` : ''))}`, { replace: true })
  }, [ready, user, path, query])
  if (!ready || !user) return <Loading />
  return <>{children}</>
}

function route(path: string): ReactNode {
  let p: Record<string, string> | null
  if (path === '/') return <DirectoryPage />
  if ((p = match('/clubs/:code', path))) return <ClubPage code={p.code!} />
  if (path === '/login') return <LoginPage />
  if (path === '/signup') return <SignupPage />
  if ((p = match('/invites/:token', path))) return <InvitePage token={p.token!} />
  if ((p = match('/me/:tab', path))) return <RequireUser><MePages tab={p.tab!} /></RequireUser>
  if ((p = match('/apply/:id', path))) return <RequireUser><ApplyPage id={Number(p.id)} /></RequireUser>
  if ((p = match('/manage/:code', path))) return <RequireUser><ManageClub code={p.code!} tab="edit" /></RequireUser>
  if ((p = match('/manage/:code/:tab', path))) return <RequireUser><ManageClub code={p.code!} tab={p.tab!} /></RequireUser>
  if ((p = match('/review/:id', path))) return <RequireUser><ReviewPage id={Number(p.id)} /></RequireUser>
  if ((p = match('/admin/:tab', path))) return <RequireUser><AdminPages tab={p.tab!} /></RequireUser>
  if (path === '/ops') return <RequireUser><OpsPage /></RequireUser>
  return (
    <div className="narrow">
      <h1>Page not found</h1>
      <p>
        <Link to="/">Browse clubs</Link>
      </p>
    </div>
  )
}

function Header() {
  const { user } = useMe()
  const qc = useQueryClient()
  const out = async () => {
    await api.logout().catch(() => {})
    await sessionChanged(qc)
    navigate('/')
  }
  return (
    <header className="site-header">
      <Link to="/" className="brand">
        Quad
      </Link>
      <nav aria-label="Main">
        <ul>
          <li>
            <Link to="/">Clubs</Link>
          </li>
          {user && (
            <>
              <li>
                <Link to="/me/saved">Saved</Link>
              </li>
              <li>
                <Link to="/me/applications">Applications</Link>
              </li>
              <li>
                <Link to="/me/clubs">My clubs</Link>
              </li>
              {(user.is_approver || user.is_admin) && (
                <li>
                  <Link to="/admin/approvals">Admin</Link>
                </li>
              )}
              {user.is_admin && (
                <li>
                  <Link to="/ops">Ops</Link>
                </li>
              )}
            </>
          )}
        </ul>
      </nav>
      <div className="account">
        {user ? (
          <>
            <Link to="/me/profile" className="who">
              {user.name || user.email}
            </Link>
            <button type="button" className="subtle" onClick={out}>
              Sign out
            </button>
          </>
        ) : (
          <>
            <Link to="/login">Sign in</Link>
            <Link to="/signup" className="button primary">
              Sign up
            </Link>
          </>
        )}
      </div>
    </header>
  )
}

export function App() {
  const { path } = useLocation()
  const main = useRef<HTMLElement>(null)
  const first = useRef(true)
  useEffect(prefetchCommonPages, [])
  // After client-side navigation, move focus to the new page for keyboard and screen-reader users.
  useEffect(() => {
    if (first.current) {
      first.current = false
      return
    }
    main.current?.focus({ preventScroll: true })
  }, [path])
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Header />
      <main id="main" ref={main} tabIndex={-1}>
        <Suspense fallback={<Loading />}>{route(path)}</Suspense>
      </main>
      <footer className="site-footer">
        <p>
          Quad · <a href="/api/docs">API</a>
        </p>
      </footer>
    </>
  )
}
