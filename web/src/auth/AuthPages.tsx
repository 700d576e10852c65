import { useMutation, useQueryClient } from '@tanstack/react-query'
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router'
import { type FormEvent, useEffect } from 'react'
import * as api from '../api/index.js'
import type { Body } from '../api/types.js'
import { sessionChanged, useMe } from '../data/session.js'
import { FormError, formValues, TextField } from '../ui/form.js'

/** Only same-site paths are followed after signing in. */
export const safeNext = (next: string | null | undefined) => (next && next.startsWith('/') && !next.startsWith('//') ? next : '/')

const DEMO = ['student@quad.local', 'officer@quad.local', 'approver@quad.local', 'admin@quad.local']

const loginRoute = getRouteApi('/login')
const signupRoute = getRouteApi('/signup')

/** Signs in (or up), reads the session again and goes on to `href`. */
function useSignIn<V>(signIn: (v: V) => Promise<unknown>, href: string) {
  const qc = useQueryClient()
  const navigate = useNavigate()
  return useMutation({
    mutationFn: signIn,
    onSuccess: async () => {
      await sessionChanged(qc)
      await navigate({ href, replace: true })
    },
  })
}

export function LoginPage() {
  const next = safeNext(loginRoute.useSearch().next)
  const { me } = useMe()
  const login = useSignIn((body: Body<'postAuthLogin'>) => api.login(body), next)
  const demo = useSignIn(api.devLogin, next)
  const error = login.error ?? demo.error
  useEffect(() => {
    document.title = 'Sign in — Quad'
  }, [])
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const v = formValues(e.currentTarget)
    demo.reset()
    login.mutate({ email: v.email ?? '', password: v.password ?? '' })
  }
  return (
    <div className="narrow">
      <h1>Sign in</h1>
      <form onSubmit={submit} noValidate>
        <TextField label="Email" name="email" type="email" autoComplete="email" required error={error} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required error={error} />
        <FormError error={error} fields={['email', 'password']} />
        <button type="submit" className="primary" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      <p>
        New to Quad?{' '}
        <Link to="/signup" search={next !== '/' ? { next } : {}}>
          Create an account
        </Link>
      </p>
      {me?.dev_login && (
        <section className="panel" aria-labelledby="demo-h">
          <h2 id="demo-h">Demo accounts</h2>
          <p className="muted">This server runs with demo data: sign in as one of its accounts.</p>
          <div className="button-row">
            {DEMO.map((email) => (
              <button
                key={email}
                type="button"
                onClick={() => {
                  login.reset()
                  demo.mutate(email)
                }}
              >
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
  const next = safeNext(signupRoute.useSearch().next)
  // A new account completes its profile first unless it was on its way somewhere.
  const signup = useSignIn((body: Body<'postAuthSignup'>) => api.signup(body), next === '/' ? '/me/profile?welcome=1' : next)
  const error = signup.error
  useEffect(() => {
    document.title = 'Create an account — Quad'
  }, [])
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const v = formValues(e.currentTarget)
    signup.mutate({ email: v.email ?? '', password: v.password ?? '', name: v.name ?? '' })
  }
  return (
    <div className="narrow">
      <h1>Create an account</h1>
      <form onSubmit={submit} noValidate>
        <TextField label="Name" name="name" autoComplete="name" required maxLength={120} error={error} />
        <TextField label="Email" name="email" type="email" autoComplete="email" required error={error} />
        <TextField label="Password" name="password" type="password" autoComplete="new-password" required minLength={10} hint="At least 10 characters." error={error} />
        <FormError error={error} fields={['name', 'email', 'password']} />
        <button type="submit" className="primary" disabled={signup.isPending}>
          {signup.isPending ? 'Creating…' : 'Create account'}
        </button>
      </form>
      <p>
        Have an account? <Link to="/login">Sign in</Link>
      </p>
    </div>
  )
}
