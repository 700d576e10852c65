import { type Static, Type } from '@sinclair/typebox'
import { CsvParam, DateTime, Nullable } from '../../http/schemas.js'

export const SIZES = ['small', 'medium', 'large', 'very_large'] as const
const Slug = '[a-z0-9][a-z0-9-]{0,63}'

export const TagRef = Type.Object({ slug: Type.String(), name: Type.String() })
export const BadgeRef = Type.Object({ slug: Type.String(), name: Type.String(), color: Type.String() })

export const ClubListQuery = Type.Object(
  {
    tags: Type.Optional(CsvParam(Slug, 'Tag slugs; a club matches if it has any of them')),
    badges: Type.Optional(CsvParam(Slug, 'Badge slugs; a club matches if it has any of them')),
    size: Type.Optional(CsvParam(SIZES.join('|'), 'Sizes, any of them')),
    recruiting: Type.Optional(Type.Boolean({ description: 'Only clubs accepting members' })),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Search words: name, subtitle, tags, category and description; prefixes, typos and topic synonyms match' }),
    ),
    order: Type.Optional(
      Type.Union([Type.Literal('relevance'), Type.Literal('alpha'), Type.Literal('bookmarks'), Type.Literal('updated'), Type.Literal('random')], {
        description: 'relevance (the default with q), alpha (the default otherwise), bookmarks, updated (by day, then name), random (with seed)',
      }),
    ),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, description: 'Random order seed (reduced to one of 100 orders)' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
)
export type ClubListQuery = Static<typeof ClubListQuery>

export const ClubSummary = Type.Object({
  code: Type.String(),
  name: Type.String(),
  subtitle: Type.String(),
  image_url: Nullable(Type.String()),
  size: Type.String(),
  tags: Type.Array(TagRef),
  badges: Type.Array(BadgeRef),
  accepting_members: Type.Boolean(),
  application_required: Type.Boolean(),
  membership_process: Type.String(),
  recruiting_season: Type.String(),
  has_open_application: Type.Boolean(),
  favorite_count: Type.Integer(),
  member_count: Type.Integer(),
  target_years: Type.Array(Type.Integer()),
  target_schools: Type.Array(Type.String()),
  target_majors: Type.Array(Type.String()),
  founded_year: Nullable(Type.Integer()),
  category: Nullable(Type.String()),
  active: Type.Boolean(),
  updated_at: DateTime,
})
export type ClubSummary = Static<typeof ClubSummary>

/** A directory card: what the list, its filters and its search need; the rest is on the club page. */
export const ClubCard = Type.Object({
  code: Type.String(),
  name: Type.String(),
  subtitle: Type.String(),
  size: Type.String(),
  tags: Type.Array(Type.Integer(), { description: 'Ids of the tags in the response\'s `tags`' }),
  badges: Type.Optional(Type.Array(Type.Integer(), { description: 'Ids of the badges in the response\'s `badges`; absent when none' })),
  category: Type.Optional(Type.String()),
  recruiting: Type.Optional(Type.Literal(true, { description: 'Accepting members (absent when not)' })),
  open: Type.Optional(Type.Literal(true, { description: 'An application is open now (absent when not)' })),
  bookmarks: Type.Integer(),
  members: Type.Integer(),
  years: Type.Optional(Type.Array(Type.Integer(), { description: 'Years of study the club is for; absent = everyone' })),
  schools: Type.Optional(Type.Array(Type.String(), { description: 'Schools the club is for; absent = everyone' })),
  updated: Type.String({ format: 'date', description: 'Day of the last update' }),
})
export type ClubCard = Static<typeof ClubCard>

export const ClubListResponse = Type.Object({
  clubs: Type.Array(ClubCard),
  tags: Type.Array(Type.Object({ id: Type.Integer(), ...TagRef.properties })),
  badges: Type.Array(Type.Object({ id: Type.Integer(), ...BadgeRef.properties })),
  total: Type.Integer(),
  page: Nullable(Type.Integer()),
  pageSize: Nullable(Type.Integer()),
})

export const ClubCodeParams = Type.Object({ code: Type.String({ pattern: `^${Slug}$` }) })

const Member = Type.Object({ name: Type.String(), role: Type.String(), title: Type.String() })
export const EventSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  location: Type.String(),
  link: Nullable(Type.String()),
  starts_at: DateTime,
  ends_at: DateTime,
  image_url: Nullable(Type.String()),
  type: Type.String(),
  pinned: Type.Boolean(),
})
const Faq = Type.Object({ id: Type.Integer(), question: Type.String(), answer: Type.String() })
const Testimonial = Type.Object({ id: Type.Integer(), author_name: Type.String(), author_role: Type.String(), body: Type.String() })
const Advisor = Type.Object({ name: Type.String(), title: Type.String(), email: Nullable(Type.String()) })
const FileRef = Type.Object({ name: Type.String(), url: Type.String() })
const OpenApplication = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: Type.String(),
  external_url: Nullable(Type.String()),
  starts_at: DateTime,
  ends_at: DateTime,
  results_release_at: DateTime,
  cycle: Nullable(Type.String()),
})
const ClubRef = Type.Object({ code: Type.String(), name: Type.String() })

export const ClubDetail = Type.Object({
  ...ClubSummary.properties,
  description: Type.String(),
  contact_email: Nullable(Type.String()),
  links: Type.Record(Type.String(), Type.String()),
  how_to_get_involved: Type.String(),
  parents: Type.Array(ClubRef),
  members: Type.Array(Member),
  events: Type.Array(EventSchema),
  faqs: Type.Array(Faq),
  testimonials: Type.Array(Testimonial),
  advisors: Type.Array(Advisor),
  files: Type.Array(FileRef),
  applications: Type.Array(OpenApplication),
})
export type ClubDetail = Static<typeof ClubDetail>
