import { registerResource } from '../../http/access.js'
import { submittedSubmission } from './review.repository.js'

/** A submitted application as its reviewers address it: its id, its application's and club's. */
export type ReviewedSubmission = NonNullable<Awaited<ReturnType<typeof submittedSubmission>>>

declare module '../../http/access.js' {
  interface AccessResources {
    /** A submitted submission named by its id (drafts are nobody's to review). */
    submission: ReviewedSubmission
  }
}

registerResource('submission', {
  label: 'Submission',
  async find(db, id) {
    const s = await submittedSubmission(db, Number(id))
    return s ? { resource: s, clubId: s.club_id } : null
  },
})
