import { Readable } from 'node:stream'
import { stringify } from 'csv-stringify/sync'
import type { QuadDb } from '../../db/database.js'
import type { SubmissionStatus } from '../../db/types.js'
import { applicationStructure, type ManagedApplication } from '../applications/applications.service.js'
import { type ExportRow, pagedExport, streamExport } from './review.repository.js'
import { checkCommitteeFilter, labels } from './review.service.js'

export interface ExportDeps {
  db: QuadDb
  /** Stream from a server-side cursor (PostgreSQL); otherwise read keyset pages (the embedded database). */
  cursor: boolean
}

const BATCH = 200

/** Spreadsheet programs run cells starting with these as formulas; prefix them so they stay text. */
const FORMULA = /^[=+\-@\t\r]/
const safe = (v: string | null | undefined) => (v == null ? '' : FORMULA.test(v) ? `'${v}` : v)

/**
 * The application's submitted applications as CSV: one row per submission, one column per
 * question (in order). Rows come from a server-side cursor on PostgreSQL (keyset pages on the
 * embedded database) and are encoded batch by batch, so memory stays flat whatever the count.
 * The first rows are fetched before the response starts, so a failing query is a proper error.
 */
export async function exportCsv(deps: ExportDeps, app: Pick<ManagedApplication, 'id' | 'club_code'>, f: { committee?: number; status?: SubmissionStatus }) {
  const applicationId = app.id
  const structure = await applicationStructure(deps.db, applicationId)
  checkCommitteeFilter(structure, f.committee)
  const names = labels(structure)
  const questions = structure.questions.filter((q) => q.type !== 'info')
  const header = [
    'submission_id', 'submitted_at', 'name', 'email', 'graduation_year', 'school', 'major', 'committees', 'status', 'reason', 'average_score',
    ...questions.map((q, i) => `Q${i + 1}. ${q.prompt}`),
  ]
  const cells = (r: ExportRow) => [
    String(r.id),
    new Date(r.submitted_at).toISOString(),
    safe(r.name),
    safe(r.email),
    r.graduation_year == null ? '' : String(r.graduation_year),
    safe(r.school),
    safe(r.major),
    safe(r.committees),
    r.status,
    safe(r.reason),
    r.average_score == null ? '' : String(Number(r.average_score)),
    ...questions.map((q) => {
      const a = r.answers?.[String(q.id)]
      if (!a) return ''
      const [text, choiceIds] = a
      return safe(choiceIds.length ? choiceIds.map((id) => names.choices.get(id) ?? `#${id}`).join('; ') : text)
    }),
  ]
  const source = deps.cursor ? streamExport(deps.db, applicationId, f, BATCH) : pagedExport(deps.db, applicationId, f)
  const first = await source.next()

  async function* lines(): AsyncGenerator<string> {
    yield stringify([header])
    if (first.done) return
    let batch: string[][] = [cells(first.value)]
    for await (const row of { [Symbol.asyncIterator]: () => source }) {
      batch.push(cells(row))
      if (batch.length >= BATCH) {
        yield stringify(batch)
        batch = []
      }
    }
    if (batch.length) yield stringify(batch)
  }
  const file = `${app.club_code}-application-${app.id}-submissions.csv`
  const stream = Readable.from(lines(), { objectMode: false })
  // However the response ends (done, client gone, error), the cursor and its connection go back.
  stream.once('close', () => void source.return(undefined).catch(() => {}))
  return { file, stream }
}
