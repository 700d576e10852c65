import { screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { anonymous, mockApi, renderApp, student } from '../test-utils.js'

describe('routes', () => {
  it('says a URL is not a page when it matches none (or its id is not a number)', async () => {
    mockApi({ 'GET /api/me': [200, student] })
    renderApp('/apply/not-a-number')
    expect(await screen.findByRole('heading', { name: 'Page not found' })).toBeTruthy()
  })

  it('sends visitors to sign in first, then back to where they were going', async () => {
    mockApi({ 'GET /api/me': [200, anonymous] })
    const { router } = renderApp('/me/applications?x=1')
    await screen.findByRole('button', { name: 'Sign in' })
    expect(router.state.location.pathname).toBe('/login')
    expect(window.location.search).toBe(`?next=${encodeURIComponent('/me/applications?x=1')}`)
  })
})
