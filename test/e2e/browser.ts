import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type BrowserContext, chromium, type Page } from 'playwright-core'
import { inject } from 'vitest'

export const CHROMIUM = '/usr/bin/chromium'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const root = path.resolve(import.meta.dirname, '../..')
export const SCREENSHOTS = path.join(root, 'test-output/screenshots')
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

export const DEMO_PASSWORD = 'quad-demo-password'

export interface Browser {
  context: BrowserContext
  page: Page
  base: string
  close(): Promise<void>
}

/** Headless Chromium from the system with a new, empty profile. */
export async function openBrowser(opts: { width?: number; height?: number } = {}): Promise<Browser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'quad-e2e-profile-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    locale: 'en-US',
    timezoneId: 'America/New_York',
  })
  context.setDefaultTimeout(15_000)
  const page = context.pages()[0] ?? (await context.newPage())
  const base = inject('baseUrl')
  return {
    context,
    page,
    base,
    async close() {
      await context.close()
      rmSync(profile, { recursive: true, force: true })
    },
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false })
}

interface AxeViolation {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[] }[]
}

/** Serious and critical axe-core violations on the page as it is now. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's CSP (no inline script) still holds for the app.
  await page.evaluate(readFileSync(AXE, 'utf8'))
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: AxeViolation[] }> } }).axe
    const r = await axe.run(document, { resultTypes: ['violations'] })
    return r.violations
  })
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`)
}

interface CspViolation {
  directive: string
  blocked: string
  source: string
}

/**
 * Starts recording Content-Security-Policy violations in every page of the context (the
 * `securitypolicyviolation` events, and Chromium's console reports as a second witness).
 * Installed through DevTools, so the recorder itself is not subject to the policy.
 */
export async function recordCspViolations(context: BrowserContext): Promise<() => Promise<string[]>> {
  const reports: string[] = []
  context.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) reports.push(m.text())
  })
  await context.addInitScript(() => {
    const w = window as unknown as { __csp: CspViolation[] }
    w.__csp = []
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push({ directive: e.effectiveDirective, blocked: e.blockedURI, source: `${e.sourceFile}:${e.lineNumber}` }))
  })
  return async () => {
    const pages = context.pages()
    const events = (await Promise.all(pages.map((p) => p.evaluate(() => (window as unknown as { __csp?: CspViolation[] }).__csp ?? []).catch(() => [])))).flat()
    const found = [...events.map((v) => `${v.directive} blocked ${v.blocked || 'inline'} at ${v.source}`), ...reports.splice(0)]
    for (const p of pages) await p.evaluate(() => ((window as unknown as { __csp?: CspViolation[] }).__csp = [])).catch(() => {})
    return found
  }
}

export async function devLogin(page: Page, email: string): Promise<void> {
  // Through the UI's own API client so the CSRF cookie is handled the way the app does it.
  await page.evaluate(async (e) => {
    const me = await (await fetch('/api/me')).json()
    const csrf = document.cookie.match(/quad_csrf=([^;]+)/)?.[1] ?? me.csrf_token
    const res = await fetch('/api/auth/dev-login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body: JSON.stringify({ email: e }) })
    if (!res.ok) throw new Error(`dev-login ${e}: ${res.status}`)
  }, email)
}

/** Signs in through the login form (a fresh profile starts signed out). */
export async function signIn(b: Browser, email: string, password = DEMO_PASSWORD): Promise<void> {
  await b.context.clearCookies()
  await b.page.goto(`${b.base}/login`)
  await b.page.getByLabel('Email').fill(email)
  await b.page.getByLabel('Password').fill(password)
  await b.page.getByRole('button', { name: 'Sign in' }).click()
  await b.page.getByRole('button', { name: 'Sign out' }).waitFor()
}
