import { useQueryClient } from '@tanstack/react-query'
import { Link, Outlet, useNavigate, useRouter } from '@tanstack/react-router'
import { useEffect, useRef } from 'react'
import * as api from '../api/public.js'
import { sessionChanged, useMe } from '../data/session.js'

export function NotFound() {
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
  const navigate = useNavigate()
  const out = async () => {
    await api.logout().catch(() => {})
    await sessionChanged(qc)
    await navigate({ to: '/' })
  }
  return (
    <header className="site-header">
      <Link to="/" className="brand" activeOptions={{ exact: true, includeSearch: false }}>
        Quad
      </Link>
      <nav aria-label="Main">
        <ul>
          <li>
            <Link to="/" activeOptions={{ exact: true, includeSearch: false }}>
              Clubs
            </Link>
          </li>
          {user && (
            <>
              <li>
                <Link to="/me/$tab" params={{ tab: 'saved' }}>
                  Saved
                </Link>
              </li>
              <li>
                <Link to="/me/$tab" params={{ tab: 'applications' }}>
                  Applications
                </Link>
              </li>
              <li>
                <Link to="/me/$tab" params={{ tab: 'clubs' }}>
                  My clubs
                </Link>
              </li>
              {(user.is_approver || user.is_admin) && (
                <li>
                  <Link to="/admin/$tab" params={{ tab: 'approvals' }}>
                  Admin
                </Link>
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
            <Link to="/me/$tab" params={{ tab: 'profile' }} className="who">
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

/** The page frame: header, the current page and footer. */
export function Layout() {
  const router = useRouter()
  const main = useRef<HTMLElement>(null)
  // After moving to another page, focus goes to it for keyboard and screen-reader users.
  useEffect(
    () =>
      router.subscribe('onResolved', (e) => {
        if (e.fromLocation && e.pathChanged) main.current?.focus({ preventScroll: true })
      }),
    [router],
  )
  return (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Header />
      <main id="main" ref={main} tabIndex={-1}>
        <Outlet />
      </main>
      <footer className="site-footer">
        <p>
          Quad · <a href="/api/docs">API</a>
        </p>
      </footer>
    </>
  )
}
