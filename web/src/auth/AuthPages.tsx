import { useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useEffect, useState } from 'react'
import * as api from '../api/index.js'
import { Link, navigate, useLocation } from '../app/router.js'
import { sessionChanged, useMe } from '../data/session.js'
import { FormError, formValues, TextField } from '../ui/form.js'

/** Only same-site paths are followed after signing in. */
export const safeNext = (next: string | null) => (next && next.startsWith('/') && !next.startsWith('//') ? next : '/')

const DEMO = ['student@quad.local', 'officer@quad.local', 'approver@quad.local', 'admin@quad.local']

export function LoginPage() {
  const { query } = useLocation()
  const { me } = useMe()
  const qc = useQueryClient()
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const next = safeNext(query.get('next'))
  useEffect(() => {
    document.title = 'Sign in — Quad'
  }, [])

  const done = async () => {
    await sessionChanged(qc)
    navigate(next, { replace: true })
  }
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const v = formValues(e.currentTarget)
    setBusy(true)
    setError(null)
    try {
      await api.login({ email: v.email ?? '', password: v.password ?? '' })
      await done()
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  const demo = async (email: string) => {
    setError(null)
    try {
      await api.devLogin(email)
      await done()
    } catch (err) {
      setError(err)
    }
  }
  return (
    <div className="narrow">
      <h1>Sign in</h1>
      <form onSubmit={submit} noValidate>
        <TextField label="Email" name="email" type="email" autoComplete="email" required error={error} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required error={error} />
        <FormError error={error} fields={['email', 'password']} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        New to Quad? <Link to={`/signup${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`}>Create an account</Link>
      </p>
      {me?.dev_login && (
        <section className="panel" aria-labelledby="demo-h">
          <h2 id="demo-h">Demo accounts</h2>
          <p className="muted">This server runs with demo data: sign in as one of its accounts.</p>
          <div className="button-row">
            {DEMO.map((email) => (
              <button key={email} type="button" onClick={() => demo(email)}>
                {email.split('@')[0]}
              </button>
            ))}
          </div>
        </section>
      )}
    </div>
  )
}

export function SignupPage() {
  const { query } = useLocation()
  const qc = useQueryClient()
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  const next = safeNext(query.get('next'))
  useEffect(() => {
    document.title = 'Create an account — Quad'
  }, [])
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const v = formValues(e.currentTarget)
    setBusy(true)
    setError(null)
    try {
      await api.signup({ email: v.email ?? '', password: v.password ?? '', name: v.name ?? '' })
      await sessionChanged(qc)
      navigate(next === '/' ? '/me/profile?welcome=1' : next, { replace: true })
    } catch (err) {
      setError(err)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="narrow">
      <h1>Create an account</h1>
      <form onSubmit={submit} noValidate>
        <TextField label="Name" name="name" autoComplete="name" required maxLength={120} error={error} />
        <TextField label="Email" name="email" type="email" autoComplete="email" required error={error} />
        <TextField label="Password" name="password" type="password" autoComplete="new-password" required minLength={10} hint="At least 10 characters." error={error} />
        <FormError error={error} fields={['name', 'email', 'password']} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p>
        Have an account? <Link to="/login">Sign in</Link>
      </p>
    </div>
  )
}
