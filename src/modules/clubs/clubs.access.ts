import { registerResource, registerRoleLookup } from '../../http/access.js'
import { clubByCode, roleInClub } from './clubs.repository.js'

export type ClubRef = NonNullable<Awaited<ReturnType<typeof clubByCode>>>

declare module '../../http/access.js' {
  interface AccessResources {
    /** A club named by its code. */
    club: ClubRef
  }
}

registerResource('club', {
  label: 'Club',
  async find(db, code) {
    const club = await clubByCode(db, String(code))
    return club ? { resource: club, clubId: club.id } : null
  },
})

// Administrators act as owners of every club.
registerRoleLookup((db, user, clubId) => (user.isAdmin ? Promise.resolve('owner') : roleInClub(db, user.id, clubId)))
