import { fireEvent, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { anonymous, clubList, mockApi, overlayOf, renderApp, student } from '../test-utils.js'
import { safeNext } from './AuthPages.js'

describe('auth pages', () => {
  it('shows per-field validation errors from the server next to the fields', async () => {
    mockApi({
      'GET /api/me': [200, anonymous],
      'POST /api/auth/signup': [
        400,
        { error: { code: 'VALIDATION_FAILED', message: 'body/password must NOT have fewer than 10 characters', fields: [{ field: 'password', code: 'MINLENGTH', message: 'must NOT have fewer than 10 characters' }] } },
      ],
    })
    renderApp('/signup')
    fireEvent.change(await screen.findByLabelText('Name'), { target: { value: 'Pat' } })
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'pat@example.edu' } })
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'short' } })
    fireEvent.click(screen.getByRole('button', { name: 'Create account' }))
    const password = screen.getByLabelText('Password')
    await waitFor(() => expect(password.getAttribute('aria-invalid')).toBe('true'))
    expect(password.getAttribute('aria-describedby')).toContain('-error')
    expect(screen.getByText('must NOT have fewer than 10 characters')).toBeTruthy()
  })

  it('signs in, reloads the session and follows ?next', async () => {
    let signedIn = false
    const { calls } = mockApi({
      'GET /api/me': () => [200, signedIn ? student : anonymous],
      'GET /api/me/overlay': [200, overlayOf()],
      'POST /api/auth/login': () => {
        signedIn = true
        return [200, { ok: true }]
      },
      'GET /api/clubs': [200, clubList([])],
    })
    renderApp('/login?next=%2F%3Fq%3Dchess')
    fireEvent.change(await screen.findByLabelText('Email'), { target: { value: 'student@quad.local' } })
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'quad-demo-password' } })
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await waitFor(() => expect(window.location.pathname + window.location.search).toBe('/?q=chess'))
    expect(await screen.findByRole('button', { name: 'Sign out' })).toBeTruthy()
    expect(calls.find((c) => c.url === '/api/auth/login')!.headers['x-csrf-token']).toBe('csrf-anon')
  })

  it('shows a wrong password as a form error', async () => {
    mockApi({ 'GET /api/me': [200, anonymous], 'POST /api/auth/login': [401, { error: { code: 'BAD_CREDENTIALS', message: 'Wrong email or password' } }] })
    renderApp('/login')
    fireEvent.change(await screen.findByLabelText('Email'), { target: { value: 'a@b.c' } })
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'nope' } })
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    expect((await screen.findByRole('alert')).textContent).toContain('Wrong email or password')
  })

  it('only follows same-site next paths', () => {
    expect(safeNext('/clubs/x')).toBe('/clubs/x')
    expect(safeNext('//evil.example')).toBe('/')
    expect(safeNext('https://evil.example')).toBe('/')
    expect(safeNext(null)).toBe('/')
  })
})
