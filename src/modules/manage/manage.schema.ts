import { type Static, type TSchema, Type } from '@sinclair/typebox'
import { DiffEntry } from '../../http/params.js'
import { DateTime, Nullable } from '../../http/schemas.js'

export const HttpUrl = Type.String({ format: 'uri', pattern: '^https?://[^\\s]+$', maxLength: 2048 })
const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' })
const Enum = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)))

export const SIZES = ['small', 'medium', 'large', 'very_large'] as const
export const PROCESSES = ['open', 'tryout', 'audition', 'application', 'application_interview'] as const
export const SEASONS = ['fall', 'spring', 'both', 'open', 'unknown'] as const
export const EVENT_TYPES = ['recruitment', 'general', 'social', 'workshop', 'info_session', 'other'] as const

/** Every editable club field; which of them need an approver is decided in fields.ts. */
export const ClubFields = {
  name: Type.String({ minLength: 1, maxLength: 120 }),
  subtitle: Type.String({ maxLength: 200 }),
  description: Type.String({ maxLength: 20000, description: 'Rich text (HTML); sanitized on save' }),
  image_url: Nullable(HttpUrl),
  // propertyNames (not patternProperties): a bad key must fail validation, not be silently dropped.
  links: Type.Unsafe<Record<string, string>>({
    type: 'object',
    propertyNames: { pattern: '^[a-z][a-z0-9_]{0,30}$' },
    additionalProperties: HttpUrl,
    maxProperties: 12,
    description: 'e.g. {"website": "https://..."}',
  }),
  tags: Type.Array(Slug, { maxItems: 10, uniqueItems: true, description: 'Tag slugs' }),
  contact_email: Nullable(Type.String({ format: 'email', maxLength: 254 })),
  how_to_get_involved: Type.String({ maxLength: 5000 }),
  category_id: Nullable(Type.Integer({ minimum: 1, maximum: 2 ** 31 - 1 })),
  founded_year: Nullable(Type.Integer({ minimum: 1800, maximum: 2100 })),
  size: Enum(SIZES),
  contact_email_public: Type.Boolean(),
  membership_process: Enum(PROCESSES),
  recruiting_season: Enum(SEASONS),
  accepting_members: Type.Boolean(),
  application_required: Type.Boolean(),
  target_years: Type.Array(Type.Integer({ minimum: 1, maximum: 8 }), { maxItems: 8, uniqueItems: true }),
  target_schools: Type.Array(Type.String({ minLength: 1, maxLength: 120 }), { maxItems: 30, uniqueItems: true }),
  target_majors: Type.Array(Type.String({ minLength: 1, maxLength: 120 }), { maxItems: 30, uniqueItems: true }),
}
export const ClubPatch = Type.Partial(Type.Object(ClubFields, { additionalProperties: false, minProperties: 1 }))
export type ClubPatch = Static<typeof ClubPatch>
export const ClubCreate = Type.Object(
  { ...Type.Partial(Type.Object(ClubFields)).properties, code: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,63}$' }), name: ClubFields.name },
  { additionalProperties: false },
)
export type ClubCreate = Static<typeof ClubCreate>

export const EditResult = Type.Object({
  code: Type.String(),
  status: Type.String(),
  applied: Type.Array(Type.String(), { description: 'Fields changed at once' }),
  pending: Type.Array(Type.String(), { description: 'Fields waiting for an approver' }),
  revision_id: Nullable(Type.Integer()),
})

/** Club page extras: change at once, no approval (see fields.ts). */
export const CONTENT = {
  events: {
    name: Type.String({ minLength: 1, maxLength: 160 }),
    description: Type.String({ maxLength: 10000 }),
    location: Type.String({ maxLength: 300 }),
    link: Nullable(HttpUrl),
    starts_at: Type.String({ format: 'date-time' }),
    ends_at: Type.String({ format: 'date-time' }),
    image_url: Nullable(HttpUrl),
    type: Enum(EVENT_TYPES),
    pinned: Type.Boolean(),
  },
  faqs: {
    question: Type.String({ minLength: 1, maxLength: 500 }),
    answer: Type.String({ maxLength: 5000 }),
    is_public: Type.Boolean(),
    position: Type.Integer({ minimum: 0, maximum: 10000 }),
  },
  testimonials: {
    author_name: Type.String({ minLength: 1, maxLength: 120 }),
    author_role: Type.String({ maxLength: 120 }),
    body: Type.String({ minLength: 1, maxLength: 3000 }),
    position: Type.Integer({ minimum: 0, maximum: 10000 }),
  },
  advisors: {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    title: Type.String({ maxLength: 120 }),
    email: Nullable(Type.String({ format: 'email', maxLength: 254 })),
    is_public: Type.Boolean(),
  },
  files: {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    url: HttpUrl,
    is_public: Type.Boolean(),
  },
} as const
export type ContentKind = keyof typeof CONTENT
/** Fields a new item must have. */
export const CONTENT_REQUIRED: Record<ContentKind, readonly string[]> = {
  events: ['name', 'starts_at', 'ends_at'],
  faqs: ['question'],
  testimonials: ['author_name', 'body'],
  advisors: ['name'],
  files: ['name', 'url'],
}

export const ManageView = Type.Object({
  club: Type.Record(Type.String(), Type.Unknown()),
  viewer_role: Nullable(Type.String()),
  pending_revision: Nullable(
    Type.Object({ id: Type.Integer(), created_at: DateTime, proposed_by: Nullable(Type.String()), diff: Type.Array(DiffEntry) }),
  ),
  pending_requests: Type.Integer(),
  events: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  faqs: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  testimonials: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  advisors: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  files: Type.Array(Type.Record(Type.String(), Type.Unknown())),
})

/** A page extra as stored (its columns depend on the kind). */
export const ContentItem = Type.Record(Type.String(), Type.Unknown())

/** The body that adds an item of `kind`: its required fields, the rest optional. */
export function contentCreate(kind: ContentKind) {
  const fields = CONTENT[kind] as Record<string, TSchema>
  const required = new Set(CONTENT_REQUIRED[kind])
  return Type.Object(
    Object.fromEntries(Object.entries(fields).map(([k, s]) => [k, required.has(k) ? s : Type.Optional(s)])),
    { additionalProperties: false },
  )
}

/** The body that changes an item of `kind`: any of its fields, at least one. */
export const contentPatch = (kind: ContentKind) => Type.Partial(Type.Object(CONTENT[kind] as Record<string, TSchema>), { additionalProperties: false, minProperties: 1 })
