import { type Static, type TSchema, Type } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { ErrorResponse, requireChanges } from '../../http/schemas.js'
import { requireUser } from '../auth/guard.js'
import { CodeIdParams, CodeParams, Ok } from '../membership/membership.schema.js'
import { ClubCreate, ClubPatch, CONTENT, CONTENT_REQUIRED, type ContentKind, EditResult, ManageView } from './manage.schema.js'
import * as svc from './manage.service.js'

/**
 * Query budgets, asserted in tests. The page is session + club + role + one statement. Writes:
 * session, club and role (officers), the reference checks (tags, category), then one transaction
 * counted with its begin, own-outbox read and commit.
 */
export const MANAGE_BUDGETS = {
  manage: 4,
  /** session, tags, category; club, owner, tags lookup, tags delete, tags insert */
  create: 11,
  /** session, club, role, tags, category; lock club, its tags, then either the whole patch (club, tags lookup, delete, insert) or immediate fields, pending revision, supersede, new revision */
  edit: 14,
  /** session, club, role; club, pending revisions */
  archive: 8,
  /** session, club, role; insert */
  addItem: 7,
  /** session, club, role; event times (events), update */
  editItem: 8,
  /** session, club, role; delete */
  removeItem: 7,
} as const

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse }
const priv = (reply: FastifyReply) => reply.header('cache-control', 'private, no-store')
type P = Static<typeof CodeParams>
type PI = Static<typeof CodeIdParams>

export async function manageRoutes(app: FastifyInstance) {
  const rt = app.runtime
  const tags = ['club management']

  app.post<{ Body: ClubCreate }>(
    '/api/clubs',
    { config: { queryBudget: MANAGE_BUDGETS.create }, schema: { summary: 'Create a club (you become its owner; it waits for approval)', tags, body: ClubCreate, response: { 201: EditResult, ...errors } } },
    async (req, reply) => priv(reply).code(201).send(await svc.createClub(rt, await requireUser(req), req.body)),
  )
  app.patch<{ Params: P; Body: ClubPatch }>(
    '/api/clubs/:code',
    {
      config: { queryBudget: MANAGE_BUDGETS.edit },
      schema: {
        summary: 'Edit a club (officers): reviewed fields of an approved club wait for an approver, the rest applies at once',
        tags,
        params: CodeParams,
        body: ClubPatch,
        response: { 200: EditResult, ...errors },
      },
    },
    async (req, reply) => priv(reply).send(await svc.editClub(rt, await requireUser(req), req.params.code, requireChanges(req.body))),
  )
  app.delete<{ Params: P }>(
    '/api/clubs/:code',
    { config: { queryBudget: MANAGE_BUDGETS.archive }, schema: { summary: 'Archive a club (owners): it disappears from every public page', tags, params: CodeParams, response: { 200: Ok, ...errors } } },
    async (req, reply) => priv(reply).send(await svc.archiveClub(rt, await requireUser(req), req.params.code)),
  )
  app.get<{ Params: P }>(
    '/api/clubs/:code/manage',
    {
      config: { queryBudget: MANAGE_BUDGETS.manage },
      schema: {
        summary: 'Officer and approver view: every field, non-public items and the pending revision with its diff',
        tags,
        params: CodeParams,
        response: { 200: ManageView, ...errors },
      },
    },
    async (req, reply) => priv(reply).send(await svc.manageView(rt.db, await requireUser(req), req.params.code)),
  )

  for (const kind of Object.keys(CONTENT) as ContentKind[]) {
    const fields = CONTENT[kind] as Record<string, TSchema>
    const required = new Set(CONTENT_REQUIRED[kind])
    const create = Type.Object(
      Object.fromEntries(Object.entries(fields).map(([k, s]) => [k, required.has(k) ? s : Type.Optional(s)])),
      { additionalProperties: false },
    )
    const patch = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 })
    const item = Type.Record(Type.String(), Type.Unknown())
    app.post<{ Params: P; Body: Record<string, unknown> }>(
      `/api/clubs/:code/${kind}`,
      { config: { queryBudget: MANAGE_BUDGETS.addItem }, schema: { summary: `Add to the club's ${kind} (officers; public at once)`, tags, params: CodeParams, body: create, response: { 201: item, ...errors } } },
      async (req, reply) => priv(reply).code(201).send(await svc.createContent(rt, await requireUser(req), req.params.code, kind, req.body)),
    )
    app.patch<{ Params: PI; Body: Record<string, unknown> }>(
      `/api/clubs/:code/${kind}/:id`,
      { config: { queryBudget: MANAGE_BUDGETS.editItem }, schema: { summary: `Change one of the club's ${kind} (officers)`, tags, params: CodeIdParams, body: patch, response: { 200: item, ...errors } } },
      async (req, reply) => priv(reply).send(await svc.updateContent(rt, await requireUser(req), req.params.code, kind, req.params.id, requireChanges(req.body))),
    )
    app.delete<{ Params: PI }>(
      `/api/clubs/:code/${kind}/:id`,
      { config: { queryBudget: MANAGE_BUDGETS.removeItem }, schema: { summary: `Remove one of the club's ${kind} (officers)`, tags, params: CodeIdParams, response: { 200: Ok, ...errors } } },
      async (req, reply) => priv(reply).send(await svc.deleteContent(rt, await requireUser(req), req.params.code, kind, req.params.id)),
    )
  }
}
