import { registerResource } from '../../http/access.js'
import { findApplication } from './applications.repository.js'

/** An application with its club and its cycle's rules, as its officers manage it. */
export type ManagedApplication = NonNullable<Awaited<ReturnType<typeof findApplication>>>

declare module '../../http/access.js' {
  interface AccessResources {
    /** An application (of a club that is not archived) named by its id. */
    application: ManagedApplication
  }
}

registerResource('application', {
  label: 'Application',
  async find(db, id) {
    const app = await findApplication(db, Number(id))
    return app ? { resource: app, clubId: app.club_id } : null
  },
})
