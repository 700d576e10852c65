import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type Browser, DEMO_PASSWORD, openBrowser, screenshot } from './browser.js'

describe('sign up, sign out and sign in', () => {
  let b: Browser
  beforeAll(async () => {
    b = await openBrowser()
  })
  afterAll(async () => b?.close())

  it('creates an account with per-field errors first, then signs out and back in', async () => {
    const email = `e2e-${Date.now()}@students.quad.local`
    await b.page.goto(`${b.base}/signup`)
    await screenshot(b.page, 'signup')
    expect(await axeViolations(b.page)).toEqual([])
    await b.page.getByLabel('Name').fill('Erin Endtoend')
    await b.page.getByLabel('Email').fill(email)
    await b.page.getByLabel('Password').fill('short')
    await b.page.getByRole('button', { name: 'Create account' }).click()
    // The server's validation message appears at the password field.
    const password = b.page.getByLabel('Password')
    await expect.poll(() => password.getAttribute('aria-invalid')).toBe('true')
    expect(await b.page.locator('.field-error').first().textContent()).toMatch(/10/)

    await password.fill('a-long-enough-password')
    await b.page.getByRole('button', { name: 'Create account' }).click()
    await b.page.getByRole('button', { name: 'Sign out' }).waitFor()
    await expect.poll(() => new URL(b.page.url()).pathname).toBe('/me/profile')
    await b.page.getByRole('heading', { name: 'Profile' }).waitFor()
    await screenshot(b.page, 'profile')

    await b.page.getByRole('button', { name: 'Sign out' }).click()
    await b.page.getByRole('link', { name: 'Sign in', exact: true }).waitFor()

    await b.page.goto(`${b.base}/login`)
    await b.page.getByLabel('Email').fill(email)
    await b.page.getByLabel('Password').fill('wrong-password-123')
    await b.page.getByRole('button', { name: 'Sign in' }).click()
    expect(await b.page.getByRole('alert').textContent()).toContain('Wrong email or password')
    await b.page.getByLabel('Password').fill('a-long-enough-password')
    await b.page.getByRole('button', { name: 'Sign in' }).click()
    await b.page.getByRole('link', { name: 'Erin Endtoend' }).waitFor()
    await screenshot(b.page, 'signed-in')
    // Signing up again with the same address is refused with a clear message.
    await b.page.getByRole('button', { name: 'Sign out' }).click()
    await b.page.goto(`${b.base}/signup`)
    await b.page.getByLabel('Name').fill('Erin Again')
    await b.page.getByLabel('Email').fill(email)
    await b.page.getByLabel('Password').fill('a-long-enough-password')
    await b.page.getByRole('button', { name: 'Create account' }).click()
    expect(await b.page.getByRole('alert').textContent()).toContain('An account with this email exists')
  })

  it('signs in as a demo account with a password and lands where it was going', async () => {
    await b.context.clearCookies()
    await b.page.goto(`${b.base}/login?next=%2F%3Fview%3Dlist`)
    await screenshot(b.page, 'login')
    expect(await axeViolations(b.page)).toEqual([])
    await b.page.getByLabel('Email').fill('student@quad.local')
    await b.page.getByLabel('Password').fill(DEMO_PASSWORD)
    await b.page.getByRole('button', { name: 'Sign in' }).click()
    await b.page.getByRole('link', { name: 'Sam Student' }).waitFor()
    await expect.poll(() => new URL(b.page.url()).search).toBe('?view=list')
  })
})

describe('bookmark a club', () => {
  let b: Browser
  beforeAll(async () => {
    b = await openBrowser()
  })
  afterAll(async () => b?.close())

  it('bookmarks from the directory; the star and the saved list reflect the overlay after a reload', async () => {
    await b.page.goto(`${b.base}/login`)
    await b.page.getByLabel('Email').fill('student@quad.local')
    await b.page.getByLabel('Password').fill(DEMO_PASSWORD)
    await b.page.getByRole('button', { name: 'Sign in' }).click()
    await b.page.getByRole('link', { name: 'Sam Student' }).waitFor()
    await b.page.goto(`${b.base}/`)
    const card = b.page.locator('.club-card').filter({ has: b.page.locator('button[aria-pressed="false"]', { hasText: 'Bookmark' }) }).first()
    const name = (await card.locator('h3 a').textContent())!
    const button = b.page.getByRole('button', { name: `Bookmark ${name}`, exact: true })
    await button.click()
    await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true')
    await b.page.reload()
    await expect.poll(() => b.page.getByRole('button', { name: `Bookmark ${name}`, exact: true }).first().getAttribute('aria-pressed')).toBe('true')
    await b.page.goto(`${b.base}/me/saved`)
    await b.page.getByRole('link', { name }).first().waitFor()
    await screenshot(b.page, 'saved')
    expect(await axeViolations(b.page)).toEqual([])
  })
})
