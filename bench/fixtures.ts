import { createHash, randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import type { QuadDb } from '../src/db/database.js'
import { DEMO_ACCOUNTS } from '../src/seed/generate.js'

/** A signed-in browser: the session cookie's token and its CSRF token. */
export interface SessionFx {
  userId: number
  token: string
  csrf: string
}

export interface ClubFx {
  id: number
  code: string
  name: string
  subtitle: string
}

export interface QuestionFx {
  id: number
  type: string
  wordLimit: number | null
  required: boolean
  choices: number[]
  /** Committee the question belongs to, if any. */
  committees: number[]
}

export interface ApplicationFx {
  id: number
  clubCode: string
  maxCommittees: number
  committees: number[]
  questions: QuestionFx[]
}

export interface ReviewerFx {
  session: SessionFx
  applicationId: number
  clubCode: string
}

/** Everything the traffic needs to know about the seeded data, computed once before the run. */
export interface Fixtures {
  /** Public clubs, most bookmarked first (traffic is skewed towards the head). */
  clubs: { code: string; name: string }[]
  tags: string[]
  badges: string[]
  /** Search words taken from club names. */
  words: string[]
  /** Signed-in students who have not applied anywhere yet. */
  students: SessionFx[]
  officer: SessionFx
  approver: SessionFx
  /** Clubs the officer runs whose subtitle carries the consistency counter. */
  lanes: ClubFx[]
  /** Open internal applications of the current cycle. */
  applications: ApplicationFx[]
  /** Officers of clubs with open applications, for the review list. */
  reviewers: ReviewerFx[]
}

const SESSION_DAYS = 2

export const sessionHash = (token: string) => createHash('sha256').update(token).digest('hex')

/**
 * Creates sessions directly in the database (the same token → sha256 id scheme as sign-in), so
 * thousands of students are signed in without thousands of password hashes.
 */
export async function createSessions(db: QuadDb, userIds: number[]): Promise<SessionFx[]> {
  const out = userIds.map((userId) => ({ userId, token: randomBytes(32).toString('base64url'), csrf: randomBytes(32).toString('base64url') }))
  const expires = new Date(Date.now() + SESSION_DAYS * 86_400_000)
  for (let i = 0; i < out.length; i += 1000) {
    const chunk = out.slice(i, i + 1000)
    await db
      .insertInto('sessions')
      .values(chunk.map((s) => ({ id: sessionHash(s.token), user_id: s.userId, csrf_token: s.csrf, expires_at: expires, user_agent: 'quad-bench' })))
      .execute()
  }
  return out
}

async function userId(db: QuadDb, email: string): Promise<number> {
  const row = await db.selectFrom('users').where('email', '=', email).select('id').executeTakeFirstOrThrow()
  return row.id
}

export async function loadFixtures(db: QuadDb, opts: { students: number; randomSeed: number; lanes?: number }): Promise<Fixtures> {
  const now = new Date()
  const clubs = await db
    .selectFrom('clubs as c')
    .leftJoin('club_stats as s', 's.club_id', 'c.id')
    .where('c.status', '=', 'approved')
    .where('c.active', '=', true)
    .where('c.archived_at', 'is', null)
    .select(['c.id', 'c.code', 'c.name', 'c.subtitle'])
    .orderBy(sql`coalesce(s.bookmark_count, 0)`, 'desc')
    .orderBy('c.id')
    .execute()
  const tags = await db
    .selectFrom('tags as t')
    .innerJoin('club_tags as ct', 'ct.tag_id', 't.id')
    .groupBy(['t.id', 't.slug'])
    .select('t.slug')
    .orderBy(sql`count(*)`, 'desc')
    .limit(60)
    .execute()
  const badges = await db.selectFrom('badges').where('hidden', '=', false).select('slug').orderBy('id').execute()
  const words = [...new Set(clubs.flatMap((c) => c.name.toLowerCase().split(/[^a-z]+/)).filter((w) => w.length >= 4))].slice(0, 300)

  // Students with a complete profile (the current cycle requires one) and no submission at all,
  // in a stable pseudo-random order.
  const demoEmails = DEMO_ACCOUNTS.map((a) => a.email)
  const studentRows = await db
    .selectFrom('users as u')
    .where('u.email', 'not in', demoEmails)
    .where('u.graduation_year', 'is not', null)
    .where('u.school', 'is not', null)
    .where('u.major', 'is not', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('submissions as s').whereRef('s.user_id', '=', 'u.id').select('s.id'))))
    .select('u.id')
    .orderBy(sql`md5(u.id::text || ${String(opts.randomSeed)})`)
    .limit(opts.students)
    .execute()

  const officerId = await userId(db, 'officer@quad.local')
  const approverId = await userId(db, 'approver@quad.local')
  const laneClubs = await db
    .selectFrom('memberships as m')
    .innerJoin('clubs as c', 'c.id', 'm.club_id')
    .where('m.user_id', '=', officerId)
    .where('m.active', '=', true)
    .where('m.role', 'in', ['officer', 'owner'])
    .where('c.status', '=', 'approved')
    .where('c.active', '=', true)
    .where('c.archived_at', 'is', null)
    .where('c.id', '<>', 1)
    .select(['c.id', 'c.code', 'c.name', 'c.subtitle'])
    .orderBy('c.id')
    .limit(opts.lanes ?? 3)
    .execute()

  const applications = await loadApplications(db, now)
  const owners = await db
    .selectFrom('memberships as m')
    .innerJoin('club_applications as a', 'a.club_id', 'm.club_id')
    .innerJoin('clubs as c', 'c.id', 'm.club_id')
    .where('a.id', 'in', applications.length ? applications.map((a) => a.id) : [-1])
    .where('m.role', '=', 'owner')
    .where('m.active', '=', true)
    .select(['m.user_id', 'a.id as application_id', 'c.code'])
    .orderBy('a.id')
    .limit(40)
    .execute()

  const sessions = await createSessions(db, [...studentRows.map((r) => r.id), officerId, approverId, ...owners.map((o) => o.user_id)])
  const students = sessions.slice(0, studentRows.length)
  const officer = sessions[studentRows.length]!
  const approver = sessions[studentRows.length + 1]!
  const reviewers = owners.map((o, i) => ({ session: sessions[studentRows.length + 2 + i]!, applicationId: o.application_id, clubCode: o.code }))

  return {
    clubs: clubs.map((c) => ({ code: c.code, name: c.name })),
    tags: tags.map((t) => t.slug),
    badges: badges.map((b) => b.slug),
    words,
    students,
    officer,
    approver,
    lanes: laneClubs,
    applications,
    reviewers,
  }
}

async function loadApplications(db: QuadDb, now: Date): Promise<ApplicationFx[]> {
  const apps = await db
    .selectFrom('club_applications as a')
    .innerJoin('clubs as c', 'c.id', 'a.club_id')
    .where('a.kind', '=', 'internal')
    .where('a.active', '=', true)
    .where('a.starts_at', '<=', now)
    .where('a.ends_at', '>', now)
    .where('c.status', '=', 'approved')
    .where('c.active', '=', true)
    .where('c.archived_at', 'is', null)
    .select(['a.id', 'c.code', 'a.max_committees'])
    .orderBy('a.id')
    .execute()
  if (!apps.length) return []
  const ids = apps.map((a) => a.id)
  const [questions, choices, committees, links] = await Promise.all([
    db.selectFrom('questions').where('application_id', 'in', ids).select(['id', 'application_id', 'type', 'word_limit', 'required']).orderBy('position').execute(),
    db
      .selectFrom('question_choices as ch')
      .innerJoin('questions as q', 'q.id', 'ch.question_id')
      .where('q.application_id', 'in', ids)
      .select(['ch.id', 'ch.question_id'])
      .orderBy('ch.position')
      .execute(),
    db.selectFrom('committees').where('application_id', 'in', ids).select(['id', 'application_id']).orderBy('position').execute(),
    db
      .selectFrom('question_committees as qc')
      .innerJoin('questions as q', 'q.id', 'qc.question_id')
      .where('q.application_id', 'in', ids)
      .select(['qc.question_id', 'qc.committee_id'])
      .execute(),
  ])
  return apps.map((a) => ({
    id: a.id,
    clubCode: a.code,
    maxCommittees: a.max_committees,
    committees: committees.filter((c) => c.application_id === a.id).map((c) => c.id),
    questions: questions
      .filter((q) => q.application_id === a.id)
      .map((q) => ({
        id: q.id,
        type: q.type,
        wordLimit: q.word_limit,
        required: q.required,
        choices: choices.filter((c) => c.question_id === q.id).map((c) => c.id),
        committees: links.filter((l) => l.question_id === q.id).map((l) => l.committee_id),
      })),
  }))
}
