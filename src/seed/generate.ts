import { createHash } from 'node:crypto'
import { Random } from './random.js'
import * as V from './vocabulary.js'

export type Scale = 'demo' | 'seed' | '10x' | 'multicampus'

export interface ScaleSpec {
  clubs: number
  tags: number
  badges: number
  users: number
  memberships: number
  bookmarks: number
  subscriptions: number
  events: number
  applications: number
  applicants: number
  submissions: number
  fairs: number
  /**
   * A directory shared by several campuses: club names carry their campus (and, past the first
   * round of topics, a qualifier) instead of a number. Absent for the single-campus scales.
   */
  campuses?: number
}

export const SCALES: Record<Scale, ScaleSpec> = {
  demo: { clubs: 120, tags: 40, badges: 8, users: 1500, memberships: 4000, bookmarks: 3000, subscriptions: 1500, events: 300, applications: 30, applicants: 200, submissions: 500, fairs: 2 },
  seed: { clubs: 1200, tags: 150, badges: 30, users: 20000, memberships: 60000, bookmarks: 50000, subscriptions: 20000, events: 3000, applications: 300, applicants: 1500, submissions: 5000, fairs: 3 },
  '10x': { clubs: 1200, tags: 150, badges: 30, users: 20000, memberships: 60000, bookmarks: 50000, subscriptions: 20000, events: 3000, applications: 300, applicants: 15000, submissions: 50000, fairs: 3 },
  // A large multi-campus directory: ten times the clubs of the seed scale on twelve campuses.
  multicampus: {
    clubs: 12000, tags: 250, badges: 60, users: 60000, memberships: 200000, bookmarks: 150000, subscriptions: 60000, events: 15000,
    applications: 1500, applicants: 5000, submissions: 15000, fairs: 5, campuses: V.CAMPUSES.length,
  },
}

export const SCALE_NAMES = Object.keys(SCALES) as Scale[]

export type Row = Record<string, unknown>
/** Tables in insertion order (foreign keys point backwards). */
export type Dataset = [table: string, rows: Row[]][]

export const DEMO_PASSWORD = 'quad-demo-password'
export const DEMO_ACCOUNTS = [
  { email: 'admin@quad.local', name: 'Ada Admin', is_admin: true, is_approver: true },
  { email: 'approver@quad.local', name: 'Arlo Approver', is_admin: false, is_approver: true },
  { email: 'officer@quad.local', name: 'Olive Officer', is_admin: false, is_approver: false },
  { email: 'student@quad.local', name: 'Sam Student', is_admin: false, is_approver: false },
] as const

const DAY = 86_400_000
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')

/**
 * Builds a realistic data set. Content depends only on `randomSeed`; timestamps are relative to
 * `anchor` so the demo always has an open application cycle.
 */
export function generate(scale: Scale, randomSeed: number, anchor: Date, passwordHash: string | null): Dataset {
  const s = SCALES[scale]
  const r = new Random(randomSeed)
  const at = (days: number, hours = 0) => new Date(anchor.getTime() + days * DAY + hours * 3_600_000)
  const out: Dataset = []

  const categories = ['Academic', 'Arts', 'Athletics', 'Service', 'Cultural', 'Professional', 'Social'].map((name, i) => ({ id: i + 1, name }))
  out.push(['categories', categories])

  const users: Row[] = []
  for (let i = 1; i <= s.users; i++) {
    const demo = DEMO_ACCOUNTS[i - 1]
    const first = r.pick(V.FIRST_NAMES)
    const last = r.pick(V.LAST_NAMES)
    const complete = demo !== undefined || r.chance(0.9)
    users.push({
      id: i,
      email: demo?.email ?? `${first}.${last}.${i}@students.quad.local`.toLowerCase(),
      name: demo?.name ?? `${first} ${last}`,
      password_hash: demo ? passwordHash : null,
      graduation_year: complete ? r.int(anchor.getUTCFullYear(), anchor.getUTCFullYear() + 4) : null,
      school: complete ? r.pick(V.SCHOOLS) : null,
      major: complete ? r.pick(V.MAJORS) : null,
      profile_public: r.chance(0.8),
      is_admin: demo?.is_admin ?? false,
      is_approver: demo?.is_approver ?? false,
      time_zone: r.pick(['UTC', 'America/New_York', 'America/Los_Angeles', 'Europe/London', 'Asia/Tokyo']),
    })
  }
  out.push(['users', users])

  const tagNames = new Set<string>()
  for (const base of V.TAG_BASES) for (const q of V.TAG_QUALIFIERS) tagNames.add(q ? `${q} ${base}` : base)
  for (const topic of V.TOPICS) tagNames.add(topic)
  const tags = [...tagNames].slice(0, s.tags).map((name, i) => ({ id: i + 1, name, slug: slug(name) }))
  out.push(['tags', tags])

  const fairs: Row[] = []
  for (let i = 1; i <= s.fairs; i++) {
    const start = at(i * 20 - 25, 10)
    fairs.push({
      id: i,
      name: `${['Fall', 'Spring', 'Winter'][i % 3]} Activities Fair ${anchor.getUTCFullYear()}${i > 3 ? ` #${i}` : ''}`,
      organization: 'Student Activities Office',
      description: 'Meet hundreds of clubs in one afternoon.',
      location: r.pick(['Main Quad', 'Student Center', 'Field House']),
      starts_at: start,
      ends_at: new Date(start.getTime() + 5 * 3_600_000),
      registration_opens_at: new Date(start.getTime() - 30 * DAY),
      registration_closes_at: new Date(start.getTime() - 3 * DAY),
      questions: JSON.stringify([{ id: 'table', prompt: 'Do you need a table?' }, { id: 'power', prompt: 'Do you need power?' }]),
    })
  }
  out.push(['fairs', fairs])

  const badges = Array.from({ length: s.badges }, (_, i) => {
    const name = i === 0 ? 'Student Council Member' : i === 1 ? 'Registered Nonprofit' : `${r.pick(V.TOPICS)} Council ${i}`
    return {
      id: i + 1,
      name,
      slug: `${slug(name)}-${i + 1}`,
      description: `Official marker: ${name}`,
      color: `#${r.int(0, 0xffffff).toString(16).padStart(6, '0')}`,
      hidden: i > 2 && r.chance(0.1),
      fair_id: i === 2 && fairs.length ? 1 : null,
    }
  })
  out.push(['badges', badges])

  const clubs: Row[] = []
  const codes = new Set<string>()
  for (let i = 1; i <= s.clubs; i++) {
    // Single campus: topics in turn, numbered past the first round ("Chess Club 2"). Several
    // campuses: each topic on every campus in turn, then again with a qualifier
    // ("Riverside Graduate Chess Club"). The draws are the same either way.
    const topic = s.campuses ? V.TOPICS[Math.floor((i - 1) / s.campuses) % V.TOPICS.length]! : V.TOPICS[(i - 1) % V.TOPICS.length]!
    const form = r.pick(V.FORMS).replace('{t}', topic)
    const name = s.campuses ? campusClubName(i, s.campuses, form) : form + (i > V.TOPICS.length ? ` ${Math.ceil(i / V.TOPICS.length)}` : '')
    let code = slug(name).slice(0, 56)
    while (codes.has(code)) code = `${code}-${i}`
    codes.add(code)
    const roll = r.next()
    const status = roll < 0.05 ? 'pending' : roll < 0.06 ? 'rejected' : 'approved'
    clubs.push({
      id: i,
      code,
      name,
      subtitle: `A ${r.pick(V.ADJECTIVES)} ${topic.toLowerCase()} ${r.pick(V.NOUNS).replace(/s$/, '')} on campus`,
      description: `<p>${capital(r.words(V.WORDS, 30, 90))}.</p><p>${capital(r.words(V.WORDS, 20, 60))}.</p>`,
      image_url: r.chance(0.85) ? `https://images.quad.local/clubs/${code}.jpg` : null,
      founded_year: r.int(1890, anchor.getUTCFullYear()),
      size: r.pick(['small', 'small', 'medium', 'medium', 'large', 'very_large']),
      contact_email: `${code}@clubs.quad.local`,
      contact_email_public: r.chance(0.7),
      links: JSON.stringify(r.chance(0.6) ? { website: `https://${code}.clubs.quad.local`, instagram: `https://instagram.com/${code.replace(/-/g, '')}` } : {}),
      how_to_get_involved: capital(r.words(V.WORDS, 10, 30)) + '.',
      membership_process: r.pick(['open', 'open', 'tryout', 'audition', 'application', 'application_interview']),
      recruiting_season: r.pick(['fall', 'spring', 'both', 'open', 'unknown']),
      accepting_members: r.chance(0.8),
      application_required: r.chance(0.3),
      target_years: r.sample([1, 2, 3, 4], r.int(1, 4)).sort(),
      target_schools: r.sample(V.SCHOOLS, r.int(0, 3)),
      target_majors: r.sample(V.MAJORS, r.int(0, 3)),
      category_id: r.int(1, categories.length),
      status,
      active: roll < 0.97 || roll >= 0.98,
      approved_at: status === 'approved' ? at(-r.int(10, 900)) : null,
      archived_at: roll >= 0.98 ? at(-r.int(1, 300)) : null,
      created_at: at(-r.int(400, 3000)),
      updated_at: at(-r.int(0, 400), -r.int(0, 23)),
    })
  }
  out.push(['clubs', clubs])

  // Umbrella organisation: club 1 sits over a handful of member clubs.
  out.push(['club_parents', clubs.slice(1, Math.min(clubs.length, 12)).map((c) => ({ club_id: c.id, parent_id: 1 }))])

  const clubTags: Row[] = []
  for (const c of clubs) for (const t of r.sample(tags, r.int(1, 5))) clubTags.push({ club_id: c.id, tag_id: t.id })
  out.push(['club_tags', clubTags])
  const clubBadges: Row[] = []
  for (const c of clubs) if (r.chance(0.3)) for (const b of r.sample(badges, r.int(1, 2))) clubBadges.push({ club_id: c.id, badge_id: b.id })
  out.push(['club_badges', clubBadges])

  // Every club has an owner; the officer demo account owns club 1 and officers a few more.
  const memberships: Row[] = []
  const pairs = new Set<string>()
  const addMember = (club: number, user: number, role: string, title: string) => {
    const key = `${club}:${user}`
    if (pairs.has(key)) return
    pairs.add(key)
    memberships.push({ id: memberships.length + 1, club_id: club, user_id: user, role, title, is_public: role !== 'member' || r.chance(0.7), active: true, joined_at: at(-r.int(1, 1000)) })
  }
  for (const c of clubs) addMember(c.id as number, c.id === 1 ? 3 : r.int(5, s.users), 'owner', 'President')
  for (let c = 2; c <= Math.min(6, clubs.length); c++) addMember(c, 3, 'officer', 'Vice President')
  for (const c of clubs) for (let k = 0; k < 2; k++) addMember(c.id as number, r.int(5, s.users), 'officer', r.pick(['Treasurer', 'Secretary', 'Events Chair']))
  while (memberships.length < s.memberships) addMember(r.skewed(s.clubs) + 1, r.int(4, s.users), 'member', '')
  out.push(['memberships', memberships])

  out.push(['bookmarks', pairsOf(r, s.bookmarks, s.users, s.clubs, at)])
  out.push(['subscriptions', pairsOf(r, s.subscriptions, s.users, s.clubs, at)])

  const events: Row[] = []
  for (let i = 1; i <= s.events; i++) {
    const start = at(r.int(-60, 60), r.int(8, 21))
    events.push({
      id: i,
      club_id: r.skewed(s.clubs, 1.5) + 1,
      name: `${r.pick(['Welcome', 'General', 'Info', 'Social', 'Workshop:', 'Showcase:'])} ${r.pick(V.NOUNS)}`,
      description: capital(r.words(V.WORDS, 15, 50)) + '.',
      location: r.pick(['Room 101', 'Student Center', 'Library Hall', 'Online']),
      link: r.chance(0.3) ? `https://meet.quad.local/${i}` : null,
      starts_at: start,
      ends_at: new Date(start.getTime() + r.int(1, 3) * 3_600_000),
      type: r.pick(V.EVENT_TYPES),
      pinned: r.chance(0.05),
    })
  }
  out.push(['events', events])

  const regs: Row[] = []
  for (const f of fairs) for (const c of r.sample(clubs, Math.min(clubs.length, 60))) {
    regs.push({ id: regs.length + 1, fair_id: f.id, club_id: c.id, answers: JSON.stringify({ table: 'yes', power: r.chance(0.3) ? 'yes' : 'no' }), booth_label: `B-${regs.length + 1}` })
  }
  out.push(['fair_registrations', regs])

  const faqs: Row[] = []
  const testimonials: Row[] = []
  const advisors: Row[] = []
  for (const c of clubs) {
    for (let k = 0; k < r.int(0, 4); k++) faqs.push({ id: faqs.length + 1, club_id: c.id, question: `${capital(r.words(V.WORDS, 4, 9))}?`, answer: r.chance(0.85) ? capital(r.words(V.WORDS, 8, 30)) + '.' : '', is_public: true, position: k })
    for (let k = 0; k < r.int(0, 2); k++) testimonials.push({ id: testimonials.length + 1, club_id: c.id, author_name: `${r.pick(V.FIRST_NAMES)} ${r.pick(V.LAST_NAMES)}`, author_role: r.pick(['Member', 'Alum', 'Officer']), body: capital(r.words(V.WORDS, 12, 40)) + '.', position: k })
    if (r.chance(0.5)) advisors.push({ id: advisors.length + 1, club_id: c.id, name: `Prof. ${r.pick(V.LAST_NAMES)}`, title: `Professor of ${r.pick(V.MAJORS)}`, email: `advisor${advisors.length + 1}@faculty.quad.local`, is_public: r.chance(0.6) })
  }
  out.push(['faqs', faqs], ['testimonials', testimonials], ['advisors', advisors])

  // A released past cycle and the current one, whose shared deadline is three days out at 17:00.
  const cycles = [
    { id: 1, name: `Spring ${anchor.getUTCFullYear()} Recruitment`, organizer_club_id: 1, starts_at: at(-200), ends_at: at(-186, 17), results_release_at: at(-180), max_committees: 2, committee_word_cap: 500, freeze_committees: true, require_complete_profile: true },
    { id: 2, name: `Fall ${anchor.getUTCFullYear()} Recruitment`, organizer_club_id: 1, starts_at: at(-10), ends_at: at(3, 17), results_release_at: at(10, 12), max_committees: 2, committee_word_cap: 500, freeze_committees: true, require_complete_profile: true },
  ]
  out.push(['application_cycles', cycles])

  const approvedClubs = clubs.filter((c) => c.status === 'approved' && c.active && !c.archived_at)
  const applications: Row[] = []
  const committees: Row[] = []
  const questions: Row[] = []
  const questionCommittees: Row[] = []
  const choices: Row[] = []
  const appClubs = r.sample(approvedClubs, s.applications)
  appClubs.sort((a, b) => (a.id as number) - (b.id as number))
  for (const [k, club] of appClubs.entries()) {
    const cycle = cycles[k % 10 === 0 ? 0 : 1]!
    const external = r.chance(0.05)
    const appId = applications.length + 1
    applications.push({
      id: appId,
      club_id: club.id,
      cycle_id: cycle.id,
      name: `${club.name} ${cycle.name.split(' ')[0]} Application`,
      description: capital(r.words(V.WORDS, 15, 40)) + '.',
      kind: external ? 'external' : 'internal',
      external_url: external ? `https://forms.quad.local/${club.code}` : null,
      starts_at: cycle.starts_at,
      ends_at: cycle.ends_at,
      results_release_at: cycle.results_release_at,
      max_committees: 2,
      acceptance_template: 'Congratulations {{name}}, you have been accepted to {{club}}!',
      rejection_template: 'Dear {{name}}, thank you for applying to {{club}}.',
    })
    if (external) continue
    const comms = r.chance(0.5) ? r.sample(V.COMMITTEE_NAMES, r.int(2, 3)) : []
    const commIds = comms.map((name, pos) => {
      committees.push({ id: committees.length + 1, application_id: appId, name, description: `The ${name} team`, position: pos })
      return committees.length
    })
    const types = ['free_response', 'free_response', 'short_answer', 'single_choice', 'multi_choice', 'free_response']
    types.forEach((type, pos) => {
      const qid = questions.length + 1
      questions.push({ id: qid, application_id: appId, type, prompt: V.QUESTION_PROMPTS[pos]!, word_limit: type === 'free_response' ? r.pick([150, 200, 250]) : null, required: pos < 5, position: pos })
      if (pos === 5 && commIds.length) questionCommittees.push({ question_id: qid, committee_id: commIds[0] })
      if (type.endsWith('choice')) for (const [cp, label] of ['Freshman', 'Sophomore', 'Junior', 'Senior'].entries()) choices.push({ id: choices.length + 1, question_id: qid, label, position: cp })
    })
  }
  out.push(['club_applications', applications], ['committees', committees], ['questions', questions], ['question_committees', questionCommittees], ['question_choices', choices])

  out.push(...submissionsFor(r, s, applications, questions, committees, choices, at))
  return out
}

function submissionsFor(
  r: Random,
  s: ScaleSpec,
  applications: Row[],
  questions: Row[],
  committees: Row[],
  choices: Row[],
  at: (d: number, h?: number) => Date,
): Dataset {
  const internal = applications.filter((a) => a.kind === 'internal')
  const qByApp = groupBy(questions, 'application_id')
  const cByApp = groupBy(committees, 'application_id')
  const chByQ = groupBy(choices, 'question_id')
  const submissions: Row[] = []
  const subCommittees: Row[] = []
  const responses: Row[] = []
  const pairs = new Set<string>()
  const firstApplicant = 5
  let guard = 0
  while (submissions.length < s.submissions && internal.length && guard++ < s.submissions * 20) {
    const app = internal[r.skewed(internal.length, 1.6)]!
    const user = firstApplicant + r.int(0, Math.min(s.applicants, s.users - firstApplicant) - 1)
    const key = `${app.id}:${user}`
    if (pairs.has(key)) continue
    pairs.add(key)
    const id = submissions.length + 1
    const past = app.cycle_id === 1
    const draft = !past && r.chance(0.15)
    const submittedAt = draft ? null : new Date((app.ends_at as Date).getTime() - r.skewed(72, 3) * 3_600_000 - r.int(0, 3599) * 1000)
    const answers: Row[] = []
    for (const q of qByApp.get(app.id as number) ?? []) {
      if (q.type === 'info') continue
      const opts = chByQ.get(q.id as number) ?? []
      const text = q.type === 'free_response' ? capital(r.words(V.WORDS, 20, Math.min(120, (q.word_limit as number) ?? 120))) + '.' : q.type === 'short_answer' ? r.words(V.WORDS, 2, 8) : ''
      const chosen = q.type === 'single_choice' ? [r.pick(opts).id] : q.type === 'multi_choice' ? r.sample(opts, r.int(1, 2)).map((o) => o.id) : []
      answers.push({ submission_id: id, question_id: q.id, text, choice_ids: chosen })
    }
    const status = past ? r.pick(['accepted', 'rejected_written', 'rejected_interview']) : r.chance(0.1) ? r.pick(['accepted', 'rejected_written']) : 'pending'
    const createdAt = submittedAt ?? at(-r.int(0, 5))
    const chosenCommittees = r.sample(cByApp.get(app.id as number) ?? [], r.int(1, 2))
    // A draft's answers and committees live in its document; a submission's are rows.
    if (submittedAt) {
      responses.push(...answers)
      for (const [rank, c] of chosenCommittees.entries()) subCommittees.push({ submission_id: id, committee_id: c.id, rank: rank + 1 })
    }
    submissions.push({
      id,
      application_id: app.id,
      user_id: user,
      status,
      submitted_at: submittedAt,
      content_digest: submittedAt ? digest(answers) : null,
      notified_at: past ? at(-179) : null,
      created_at: createdAt,
      draft_answers: JSON.stringify(submittedAt ? [] : answers.map(({ question_id, text, choice_ids }) => ({ question_id, text, choice_ids }))),
      draft_committees: submittedAt ? null : JSON.stringify(chosenCommittees.map((c) => c.id)),
    })
  }
  return [['submissions', submissions], ['submission_committees', subCommittees], ['responses', responses]]
}

function pairsOf(r: Random, n: number, users: number, clubs: number, at: (d: number) => Date): Row[] {
  const seen = new Set<string>()
  const rows: Row[] = []
  let guard = 0
  while (rows.length < n && guard++ < n * 20) {
    const user = r.int(4, users)
    const club = r.skewed(clubs) + 1
    const key = `${user}:${club}`
    if (seen.has(key)) continue
    seen.add(key)
    rows.push({ user_id: user, club_id: club, created_at: at(-r.int(0, 300)) })
  }
  return rows
}

function groupBy(rows: Row[], key: string): Map<number, Row[]> {
  const m = new Map<number, Row[]>()
  for (const row of rows) {
    const k = row[key] as number
    const list = m.get(k)
    if (list) list.push(row)
    else m.set(k, [row])
  }
  return m
}

/**
 * "[The] <campus> [<qualifier>] <form>" ("Riverside Chess Club", "The North Women's Chess Project"):
 * unique for each (campus, topic, round) by construction.
 */
function campusClubName(i: number, campuses: number, form: string): string {
  const campus = V.CAMPUSES[(i - 1) % campuses]!
  const round = Math.floor((i - 1) / (campuses * V.TOPICS.length))
  const qualifier = V.CLUB_QUALIFIERS[round] ?? `${V.CLUB_QUALIFIERS.at(-1)} ${round}`
  const the = form.startsWith('The ')
  return [the ? 'The' : '', campus, qualifier, the ? form.slice(4) : form].filter(Boolean).join(' ')
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
const digest = (answers: Row[]) => createHash('sha256').update(JSON.stringify(answers)).digest('hex')
