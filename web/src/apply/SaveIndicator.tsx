/** What happened to the applicant's latest answers: saving, saved, or not saved and why. */
export type SaveState =
  | { kind: 'idle' }
  | { kind: 'dirty' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: Date }
  /** retry: a network or server failure (tried again shortly); otherwise the answers need a change. */
  | { kind: 'error'; message: string; retry: boolean }

export function SaveIndicator({ state }: { state: SaveState }) {
  const text =
    state.kind === 'saving'
      ? 'Saving…'
      : state.kind === 'saved'
        ? `Draft saved at ${state.at.toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit', second: '2-digit' })}`
        : state.kind === 'dirty'
          ? 'Unsaved changes'
          : state.kind === 'error'
            ? `Not saved: ${state.message}. Your answers are kept in this browser; we will retry.`
            : 'Your answers are saved as you type.'
  return (
    <p className="save-state" role="status" aria-live="polite">
      {text}
    </p>
  )
}
