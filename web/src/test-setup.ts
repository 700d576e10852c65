import { configure } from '@testing-library/dom'
import { cleanup } from '@testing-library/react'
import { afterEach } from 'vitest'

// Pages load on demand: the first render of a page in a file imports its module graph.
configure({ asyncUtilTimeout: 5000 })

afterEach(() => {
  cleanup()
  document.cookie.split(';').forEach((c) => {
    document.cookie = `${c.split('=')[0]!.trim()}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/`
  })
})
