// @vitest-environment jsdom
// (DOMPurify needs a complete HTML parser; happy-dom parses it differently.)
import { render } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { RichText, sanitizeHtml } from './RichText.js'

describe('club descriptions', () => {
  it('keeps formatting and drops anything that could run', () => {
    const out = sanitizeHtml('<p>Hi <strong>all</strong><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a><a href="https://x.edu">site</a></p>')
    expect(out).toContain('<strong>all</strong>')
    expect(out).not.toMatch(/script|onerror|<img|javascript:/)
    expect(out).toContain('<a rel="noopener nofollow" href="https://x.edu">site</a>')
  })

  it('renders HTML descriptions as markup and plain text as paragraphs', () => {
    const html = render(<RichText text="<p>One</p><p>Two</p>" />)
    expect(html.container.querySelectorAll('p')).toHaveLength(2)
    expect(html.container.textContent).toBe('OneTwo')
    html.unmount()
    const plain = render(<RichText text={'First\n\nSecond'} />)
    expect([...plain.container.querySelectorAll('p')].map((p) => p.textContent)).toEqual(['First', 'Second'])
  })
})
