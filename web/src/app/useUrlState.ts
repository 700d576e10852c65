import { useEffect, useRef, useState } from 'react'

/**
 * State that lives in the URL but answers input at once. The router applies a navigation a moment
 * later (in a transition), so inputs controlled by the URL alone would jump back while typing.
 * Changes made here are shown immediately and written to the URL; a URL change from elsewhere
 * (back button, a link) replaces the state.
 */
export function useUrlState<T>(fromUrl: T, key: (value: T) => string, write: (value: T) => void): [T, (value: T) => void] {
  const [value, setValue] = useState(fromUrl)
  const own = useRef<string[]>([])
  const urlKey = key(fromUrl)
  useEffect(() => {
    const i = own.current.lastIndexOf(urlKey)
    if (i >= 0) own.current.splice(0, i + 1)
    else {
      own.current = []
      setValue(fromUrl)
    }
    // fromUrl is described by urlKey.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [urlKey])
  const set = (next: T) => {
    own.current.push(key(next))
    setValue(next)
    write(next)
  }
  return [value, set]
}
