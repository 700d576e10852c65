/** A copy of the answers in this browser, so nothing typed is lost while offline or before a save. */
import type { Answer } from '../api/types.js'

export interface Backup {
  answers: Answer[]
  committees: number[]
  savedAt: number
}
export function readBackup(key: string): Backup | null {
  try {
    const raw = localStorage.getItem(key)
    const b = raw ? (JSON.parse(raw) as Backup) : null
    return b && Array.isArray(b.answers) && Array.isArray(b.committees) ? b : null
  } catch {
    return null
  }
}
export function writeBackup(key: string, b: Backup) {
  try {
    localStorage.setItem(key, JSON.stringify(b))
  } catch {
    /* storage full or disabled: the server draft still saves */
  }
}
export function clearBackup(key: string) {
  try {
    localStorage.removeItem(key)
  } catch {
    /* ignore */
  }
}
