import type { RecordedResponse } from './record.js'

/** One response the bare server sends, and the requests it answers. */
export interface BareEntry {
  path: string
  encoding: string
  session: boolean
  response: RecordedResponse
}

export const bareKey = (path: string, encoding: string, session: boolean) => `${path}\n${encoding}\n${session ? 's' : 'a'}`
