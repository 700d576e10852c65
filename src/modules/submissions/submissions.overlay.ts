import { sql } from 'kysely'
import { registerOverlaySection } from '../me/overlay.js'

// Which applications the viewer started, for Apply/Continue buttons on cached pages. Decisions are
// not part of it: they are released per application by GET /api/me/applications.
registerOverlaySection('applications', (db, user) =>
  db
    .selectFrom('submissions')
    .where('user_id', '=', user.id)
    .select(['application_id', sql<'draft' | 'submitted'>`case when submitted_at is null then 'draft' else 'submitted' end`.as('state')])
    .orderBy('application_id')
    .execute(),
)
