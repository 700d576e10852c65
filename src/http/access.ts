import type { QuadDb } from '../db/database.js'
import type { Role } from '../db/types.js'
import type { SessionUser } from '../modules/auth/session.js'

/**
 * Who may call a route, as data: the authorization matrix test reads it, the OpenAPI document
 * publishes it, and privateRoute enforces it before the handler runs.
 * - 'anyone': signed in or not (the handler sees the viewer or null);
 * - 'user': any signed-in user;
 * - 'approver': approvers and administrators; 'admin': administrators;
 * - a club role: at least `role` in the club of the resource named by the path param `param`
 *   (umbrella officers count; administrators act as owners everywhere; with `approvers`,
 *   approvers pass too, holding whatever role they have).
 */
export type Access = 'anyone' | 'user' | 'approver' | 'admin' | ClubAccess

export interface ClubAccess<K extends keyof AccessResources = keyof AccessResources> {
  readonly role: Role
  readonly of: K
  readonly param: string
  readonly approvers?: boolean
}

/**
 * What each resource kind resolves to; modules add their kinds by declaration merging and
 * register a resolver (see registerResource).
 */
// biome-ignore lint: filled by declaration merging
export interface AccessResources {}

/** The resource and the viewer's role in its club, handed to the route's handler. */
export interface Grant<K extends keyof AccessResources = keyof AccessResources> {
  readonly resource: AccessResources[K]
  readonly clubId: number
  /** The viewer's effective role in the club (null for an approver who is no member). */
  readonly role: Role | null
}

export interface ResourceResolver<K extends keyof AccessResources> {
  /** What a 404 names ("Club", "Application"). */
  readonly label: string
  /** The resource named by the path param, with its club id; null when there is none. */
  find(db: QuadDb, value: string | number): Promise<{ resource: AccessResources[K]; clubId: number } | null>
}

const resolvers = new Map<string, ResourceResolver<never>>()
let roleLookup: ((db: QuadDb, user: SessionUser, clubId: number) => Promise<Role | null>) | null = null

/** Registers how a resource kind is found (modules call it when they load). */
export function registerResource<K extends keyof AccessResources>(kind: K, resolver: ResourceResolver<K>): void {
  resolvers.set(kind, resolver as unknown as ResourceResolver<never>)
}

/** Registers how a viewer's role in a club is found (the clubs module). */
export function registerRoleLookup(fn: (db: QuadDb, user: SessionUser, clubId: number) => Promise<Role | null>): void {
  roleLookup = fn
}

export function resolverOf(kind: string): ResourceResolver<never> {
  const r = resolvers.get(kind)
  if (!r) throw new Error(`no resolver registered for access to "${kind}"`)
  return r
}

export function lookupRole(db: QuadDb, user: SessionUser, clubId: number): Promise<Role | null> {
  if (!roleLookup) throw new Error('no role lookup registered')
  return roleLookup(db, user, clubId)
}

export const RANK: Record<Role, number> = { member: 1, officer: 2, owner: 3 }
export const atLeast = (role: Role | null, min: Role) => role !== null && RANK[role] >= RANK[min]

/** Declarations that read like the domain's table of who may do what. */
type Club = 'club' extends keyof AccessResources ? 'club' : never
const CLUB = 'club' as Club
export const clubMember = (param = 'code', o: { approvers?: boolean } = {}): ClubAccess<Club> => ({ role: 'member', of: CLUB, param, ...o })
export const clubOfficer = (param = 'code', o: { approvers?: boolean } = {}): ClubAccess<Club> => ({ role: 'officer', of: CLUB, param, ...o })
export const clubOwner = (param = 'code'): ClubAccess<Club> => ({ role: 'owner', of: CLUB, param })
export const officerOf = <K extends keyof AccessResources>(of: K, param = 'id', o: { approvers?: boolean } = {}): ClubAccess<K> => ({ role: 'officer', of, param, ...o })

/** A short text of the access, for the OpenAPI document and error messages. */
export function describeAccess(a: Access): string {
  if (typeof a === 'string') return a
  const of = a.of === 'club' ? 'the club' : `the ${String(a.of)}'s club`
  return `${a.role} of ${of}${a.approvers ? ', or an approver' : ''}`
}
