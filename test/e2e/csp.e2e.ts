import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Browser, openBrowser, recordCspViolations, signIn } from './browser.js'

/**
 * The server's Content-Security-Policy allows no inline script or style. Walking the main pages
 * and opening their widgets (dialogs, the time zone combobox, the filters) must not trip it:
 * a library that injects a <style> or an inline script shows up here.
 */
describe('content security policy', () => {
  let b: Browser
  let violations: () => Promise<string[]>
  beforeAll(async () => {
    b = await openBrowser()
    violations = await recordCspViolations(b.context)
  })
  afterAll(async () => b?.close())

  const visit = async (path: string, ready: () => Promise<unknown>) => {
    await b.page.goto(`${b.base}${path}`)
    await ready()
  }
  const none = async (where: string) => expect({ where, violations: await violations() }).toEqual({ where, violations: [] })

  it('is not violated on the public pages', async () => {
    await visit('/', () => b.page.locator('.club-card').first().waitFor())
    await b.page.getByRole('searchbox', { name: 'Search clubs' }).fill('chess')
    await b.page.locator('.results-section[data-ranked="server"]').waitFor()
    await none('directory')
    await b.page.locator('.club-card h3 a').first().click()
    await b.page.getByRole('heading', { name: 'About' }).waitFor()
    await none('club page')
    await visit('/login', () => b.page.getByRole('button', { name: 'Sign in' }).waitFor())
    await visit('/signup', () => b.page.getByRole('button', { name: 'Create account' }).waitFor())
    await none('sign in and sign up')
  })

  it('is not violated by a member’s and an officer’s pages and widgets', async () => {
    await signIn(b, 'officer@quad.local')
    await visit('/', () => b.page.locator('.club-card').first().waitFor())
    const bookmark = b.page.locator('.club-card').first().getByRole('button', { name: /^Bookmark/ })
    const before = await bookmark.getAttribute('aria-pressed')
    await bookmark.click()
    await expect.poll(() => bookmark.getAttribute('aria-pressed')).not.toBe(before)
    await bookmark.click()
    await expect.poll(() => bookmark.getAttribute('aria-pressed')).toBe(before)
    await none('bookmarking')

    await visit('/me/profile', () => b.page.getByRole('button', { name: 'Save profile' }).waitFor())
    await b.page.getByRole('button', { name: 'Show time zones' }).click()
    await b.page.getByRole('listbox').waitFor()
    await b.page.keyboard.press('Escape')
    await none('profile and the time zone combobox')

    await visit('/me/clubs', () => b.page.getByRole('button', { name: 'Leave' }).first().waitFor())
    await b.page.getByRole('button', { name: 'Leave' }).first().click()
    await b.page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click()
    await b.page.getByRole('alertdialog').waitFor({ state: 'detached' })
    await none('my clubs and the leave dialog')

    await b.page.getByRole('link', { name: 'Manage' }).first().click()
    await b.page.getByRole('button', { name: 'Save changes' }).waitFor()
    const code = new URL(b.page.url()).pathname.split('/')[2]!
    await visit(`/manage/${code}/members`, () => b.page.getByRole('button', { name: 'Remove' }).first().waitFor())
    await b.page.getByRole('button', { name: 'Remove' }).first().click()
    await b.page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click()
    await visit(`/manage/${code}/events`, () => b.page.getByRole('button', { name: 'Add event' }).waitFor())
    await visit(`/manage/${code}/applications`, () => b.page.getByRole('button', { name: 'Create application' }).waitFor())
    await none('club management')

    const open = (await (await fetch(`${b.base}/api/applications`)).json()) as { applications: { id: number; kind: string }[] }
    const target = open.applications.find((a) => a.kind === 'internal')!
    await visit(`/apply/${target.id}`, () => b.page.getByRole('button', { name: 'Submit application' }).waitFor())
    await b.page.getByRole('button', { name: 'Submit application' }).click()
    await b.page.getByRole('dialog').getByRole('button', { name: 'Keep editing' }).click()
    await none('apply page and its confirmation')
  })

  it('is not violated by the staff pages', async () => {
    await signIn(b, 'admin@quad.local')
    await visit('/admin/approvals', () => b.page.getByRole('heading', { name: 'Administration' }).waitFor())
    await visit('/admin/cycles', () => b.page.getByRole('heading', { name: 'Administration' }).waitFor())
    await visit('/admin/taxonomy', () => b.page.getByRole('button', { name: 'Add tag' }).waitFor())
    await visit('/ops', () => b.page.getByRole('heading', { name: /^Routes/ }).waitFor())
    await none('admin and operations')
  })
})
