import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, type Browser, openBrowser, screenshot, signIn } from './browser.js'

describe('a student applies before the deadline', () => {
  let b: Browser
  beforeAll(async () => {
    b = await openBrowser()
  })
  afterAll(async () => b?.close())

  it('fills the form with autosave, submits after confirming and gets a receipt', async () => {
    const email = `applicant-${Date.now()}@students.quad.local`
    await b.page.goto(`${b.base}/signup`)
    await b.page.getByLabel('Name').fill('Ada Applicant')
    await b.page.getByLabel('Email').fill(email)
    await b.page.getByLabel('Password').fill('applicant-password')
    await b.page.getByRole('button', { name: 'Create account' }).click()
    await b.page.getByRole('button', { name: 'Sign out' }).waitFor()
    // A complete profile (some cycles require it).
    await b.page.getByRole('heading', { name: 'Profile' }).waitFor()
    if (await b.page.getByLabel('School').isEnabled().catch(() => false)) {
      await b.page.getByLabel('Graduation year').selectOption({ index: 2 })
      await b.page.getByLabel('School').fill('Engineering')
      await b.page.getByLabel('Major').fill('Computer Science')
      await b.page.getByRole('button', { name: 'Save profile' }).click()
      await b.page.getByText('Profile saved.').waitFor()
    }

    // An application in Quad (not an external link) that is open now.
    const open = (await (await fetch(`${b.base}/api/applications`)).json()) as { applications: { id: number; kind: string; club: { code: string } }[] }
    const target = open.applications.find((a) => a.kind === 'internal')!
    expect(target).toBeTruthy()
    await b.page.goto(`${b.base}/?open=1`)
    await b.page.locator(`.club-card h3 a[href="/clubs/${target.club.code}"]`).click()
    await b.page.getByRole('heading', { name: 'Open applications' }).waitFor()
    await b.page.locator(`.application-item a[href="/apply/${target.id}"]`).click()
    await b.page.getByRole('button', { name: 'Submit application' }).waitFor()
    expect(await b.page.locator('.countdown').textContent()).toMatch(/Deadline: .*\d{1,2}:\d{2}.*left/)

    const committees = b.page.locator('fieldset:has(legend:text-matches("Committees")) input[type=checkbox]')
    if (await committees.count()) await committees.first().check()
    for (const box of await b.page.locator('.apply textarea, .apply input[id^="q-"]').all()) await box.fill('I would love to join because I care about this.')
    for (const group of await b.page.locator('.apply fieldset:has(input[type=radio])').all()) await group.locator('input').first().check()
    for (const group of await b.page.locator('.apply fieldset:has(input[type=checkbox]):not(:has(legend:text-matches("Committees")))').all()) await group.locator('input').first().check()
    await b.page.getByText(/Draft saved at/).waitFor({ timeout: 10_000 })
    await screenshot(b.page, 'apply-form')
    expect(await axeViolations(b.page)).toEqual([])

    // The draft lives on the server: a reload brings the answers back.
    await b.page.evaluate(() => localStorage.clear())
    await b.page.reload()
    await b.page.getByRole('button', { name: 'Submit application' }).waitFor()
    const first = b.page.locator('.apply textarea, .apply input[id^="q-"]').first()
    if (await first.count()) expect(await first.inputValue()).toContain('I would love to join')

    await b.page.getByRole('button', { name: 'Submit application' }).click()
    await b.page.getByRole('dialog').getByRole('button', { name: 'Yes, submit' }).click()
    const receipt = b.page.getByRole('region', { name: /Application submitted/ })
    await receipt.waitFor()
    expect(Number(await b.page.getByTestId('receipt-id').textContent())).toBeGreaterThan(0)
    await screenshot(b.page, 'apply-receipt')
    expect(await axeViolations(b.page)).toEqual([])

    await b.page.goto(`${b.base}/me/applications`)
    await b.page.getByRole('cell', { name: /Submitted/ }).first().waitFor()
    await screenshot(b.page, 'my-applications')
    expect(await axeViolations(b.page)).toEqual([])
  })
})

describe('an officer reviews submissions and exports them', () => {
  let b: Browser
  beforeAll(async () => {
    b = await openBrowser()
  })
  afterAll(async () => b?.close())

  it('filters, sets a status, adds a scored note, bulk-updates and downloads the CSV', async () => {
    await signIn(b, 'officer@quad.local')
    // The officer's first application with submissions, found the way the app finds them.
    const target = await b.page.evaluate(async () => {
      const overlay = await (await fetch('/api/me/overlay')).json()
      for (const m of overlay.sections.memberships as { club: string; role: string }[]) {
        if (m.role === 'member') continue
        const res = await fetch(`/api/clubs/${m.club}/applications`)
        if (!res.ok) continue
        const app = ((await res.json()).applications as { id: number; submissions: number }[]).find((a) => a.submissions > 1)
        if (app) return { code: m.club, id: app.id }
      }
      return null
    })
    expect(target).toBeTruthy()
    await b.page.goto(`${b.base}/manage/${target!.code}/applications`)
    await b.page.locator(`a[href="/review/${target!.id}"]`).click()
    await b.page.getByText(/^\d+ submissions/).waitFor()
    const rows = b.page.locator('tbody tr')
    expect(await rows.count()).toBeGreaterThan(1)
    await screenshot(b.page, 'review-table')
    expect(await axeViolations(b.page)).toEqual([])

    const first = rows.first()
    const name = (await first.locator('td').nth(1).textContent())!
    await first.getByRole('combobox', { name: /^Status of/ }).selectOption('rejected_written')
    await first.getByRole('button', { name: /^Show answers of/ }).click()
    const note = b.page.getByRole('form', { name: /^Add a note on/ })
    await note.getByLabel('Note').fill('Thoughtful answers')
    await note.getByLabel('Score').fill('7')
    await note.getByRole('button', { name: 'Add note' }).click()
    await b.page.getByText('Thoughtful answers').waitFor()
    await b.page.reload()
    await b.page.getByText(/^\d+ submissions/).waitFor()
    const again = b.page.locator('tbody tr').filter({ hasText: name.slice(0, 20) }).first()
    expect(await again.getByRole('combobox', { name: /^Status of/ }).inputValue()).toBe('rejected_written')
    expect(await again.locator('td').nth(5).textContent()).toMatch(/\d/)

    // Filter by status, select all, move them back to pending.
    await b.page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('rejected_written')
    await expect.poll(() => new URL(b.page.url()).searchParams.get('status')).toBe('rejected_written')
    await b.page.getByText(/^\d+ submissions/).waitFor()
    await b.page.getByRole('checkbox', { name: 'Select all' }).check()
    await b.page.getByRole('combobox', { name: 'Set status to' }).selectOption('pending')
    await b.page.getByRole('button', { name: 'Apply to selected' }).click()
    await b.page.getByText(/^0 submissions/).waitFor()

    await b.page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('')
    await b.page.getByText(/^\d+ submissions/).waitFor()
    const [download] = await Promise.all([b.page.waitForEvent('download'), b.page.getByRole('link', { name: 'Download CSV' }).click()])
    const csv = readFileSync((await download.path())!, 'utf8')
    const lines = csv.trim().split(/\r?\n/)
    expect(lines.length).toBeGreaterThan(2)
    expect(lines[0]).toMatch(/email/i)
  })
})

describe('an approver approves an edit and the public page changes', () => {
  let b: Browser
  beforeAll(async () => {
    b = await openBrowser()
  })
  afterAll(async () => b?.close())

  it('officer edits → pending; public page unchanged; approver approves → public page updated', async () => {
    const subtitle = `Edited in the browser ${Date.now()}`
    await signIn(b, 'officer@quad.local')
    await b.page.goto(`${b.base}/me/clubs`)
    const manage = b.page.getByRole('link', { name: 'Manage' }).first()
    await manage.click()
    const code = new URL(b.page.url()).pathname.split('/')[2]!
    await b.page.getByLabel('Subtitle').fill(subtitle)
    await b.page.getByRole('button', { name: 'Save changes' }).click()
    await b.page.getByText(/Sent for approval|Saved\./).waitFor()
    const pending = (await b.page.getByRole('status').last().textContent())?.includes('approval')
    await screenshot(b.page, 'edit-club')

    if (pending) {
      await b.page.goto(`${b.base}/clubs/${code}`)
      await b.page.getByRole('heading', { level: 1 }).waitFor()
      expect(await b.page.locator('.club-header .subtitle').textContent()).not.toBe(subtitle)

      await signIn(b, 'approver@quad.local')
      await b.page.goto(`${b.base}/admin/approvals`)
      const item = b.page.locator('li.panel').filter({ hasText: subtitle })
      await item.waitFor()
      expect(await item.locator('ins').allTextContents()).toContain(subtitle)
      await screenshot(b.page, 'approval-queue')
      expect(await axeViolations(b.page)).toEqual([])
      await item.getByRole('button', { name: /^Approve/ }).click()
      await item.waitFor({ state: 'detached' })
    }
    await b.page.goto(`${b.base}/clubs/${code}`)
    await expect.poll(() => b.page.locator('.club-header .subtitle').textContent()).toBe(subtitle)
    // The cached directory list shows it too.
    await b.page.goto(`${b.base}/?q=${encodeURIComponent(subtitle)}`)
    await expect.poll(() => b.page.locator('#results-count').textContent()).toBe('1 club')
  })
})
