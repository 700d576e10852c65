import DOMPurify from 'dompurify'
import { useMemo } from 'react'

// The same tags the server keeps when it sanitizes a description; sanitized again here so a
// description written to the database by other means cannot run script in the page.
const ALLOWED_TAGS = ['p', 'br', 'strong', 'b', 'em', 'i', 'u', 's', 'ul', 'ol', 'li', 'a', 'h3', 'h4', 'blockquote', 'code', 'pre']
const ALLOWED_ATTR = ['href', 'title']

export function sanitizeHtml(html: string): string {
  const clean = DOMPurify.sanitize(html, { ALLOWED_TAGS, ALLOWED_ATTR, ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i })
  // Links leave the site without handing it the opener.
  return clean.replace(/<a /g, '<a rel="noopener nofollow" ')
}

/** A club's rich-text description; plain text keeps its paragraphs. */
export function RichText({ text }: { text: string }) {
  const html = useMemo(() => (/<[a-z][\s\S]*>/i.test(text) ? sanitizeHtml(text) : null), [text])
  if (html !== null) return <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />
  return (
    <div className="prose">
      {text.split(/\n{2,}/).map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </div>
  )
}
