import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import * as api from '../api/index.js'
import type { ClubPatch, ManageView } from '../api/types.js'
import { manageQuery } from '../data/manage.js'
import { clubQuery, tagsQuery } from '../data/public.js'
import { FormError, formValues, SelectField, TextArea, TextField } from '../ui/form.js'
import { PROCESS_LABELS, SIZE_LABELS } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'

const LINK_KEYS = ['website', 'instagram', 'linkedin'] as const
const SEASONS = ['fall', 'spring', 'both', 'open', 'unknown'] as const

/** Only fields that changed are sent, so an approver's diff shows exactly the edit. */
export function changedFields<T extends object>(before: Partial<Record<keyof T, unknown>>, after: T): Partial<T> {
  const out: Partial<T> = {}
  for (const k of Object.keys(after) as (keyof T)[]) if (JSON.stringify(before[k] ?? null) !== JSON.stringify(after[k] ?? null)) out[k] = after[k]
  return out
}

/** The edit form's values as the PATCH body types them. */
function readClubForm(form: HTMLFormElement, links: Record<string, string>): ClubPatch {
  const v = formValues(form)
  const next = { ...links }
  for (const k of LINK_KEYS) {
    if (v[`link_${k}`]) next[k] = v[`link_${k}`]!
    else delete next[k]
  }
  return {
    name: v.name,
    subtitle: v.subtitle,
    description: v.description,
    image_url: v.image_url || null,
    how_to_get_involved: v.how_to_get_involved,
    // The selects offer only the values the document allows.
    size: v.size as ClubPatch['size'],
    membership_process: v.membership_process as ClubPatch['membership_process'],
    recruiting_season: v.recruiting_season as ClubPatch['recruiting_season'],
    accepting_members: v.accepting_members === 'on',
    links: next,
    tags: [...(form.elements.namedItem('tags') as HTMLSelectElement).selectedOptions].map((o) => o.value),
  }
}

export function EditClub({ code }: { code: string }) {
  const manage = useQuery(manageQuery(code))
  const tags = useQuery(tagsQuery)
  const qc = useQueryClient()
  const [result, setResult] = useState<string | null>(null)
  const save = useMutation({
    mutationFn: (changes: ClubPatch) => api.updateClub(code, changes),
    onSuccess: (r) => {
      setResult(
        r.pending.length
          ? `Sent for approval: ${r.pending.join(', ')}. The public page keeps showing the last approved version until an approver accepts.${r.applied.length ? ` Applied now: ${r.applied.join(', ')}.` : ''}`
          : 'Saved. The public page shows your changes.',
      )
      // Fields applied at once show in the directory and on the club page.
      return Promise.all([manageQuery(code), clubQuery(code)].map((q) => qc.invalidateQueries({ queryKey: q.queryKey })).concat(qc.invalidateQueries({ queryKey: ['public', 'clubs'] })))
    },
  })
  const error = save.error
  const submit = (view: ManageView, e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const after = readClubForm(e.currentTarget, view.club.links)
    // Compared with the pending proposal where there is one, so re-saving it is not an edit.
    const proposed = Object.fromEntries((view.pending_revision?.diff ?? []).map((d) => [d.field, d.proposed]))
    const changes = changedFields({ ...view.club, ...proposed }, after)
    setResult(null)
    if (!Object.keys(changes).length) setResult('Nothing changed.')
    else save.mutate(changes)
  }
  const both = { data: manage.data && tags.data ? ([manage.data, tags.data.tags] as const) : undefined, error: manage.error ?? tags.error, refetch: () => Promise.all([manage.refetch(), tags.refetch()]) }
  return (
    <AsyncView query={both}>
      {([view, tags]) => {
        const club = view.club
        const proposed = Object.fromEntries((view.pending_revision?.diff ?? []).map((d) => [d.field, d.proposed])) as Partial<ManageView['club']>
        const value = { ...club, ...proposed }
        return (
          <form key={view.pending_revision?.id ?? 0} onSubmit={(e) => submit(view, e)} noValidate>
            {club.status && club.status !== 'approved' && <p className="notice">This club is {club.status}: it appears in the directory once an approver approves it.</p>}
            {view.pending_revision && (
              <div className="notice">
                <p>
                  An edit is waiting for approval ({view.pending_revision.diff.map((d) => d.field).join(', ')}). The form shows the proposed values; saving again
                  replaces the proposal.
                </p>
              </div>
            )}
            <div className="grid-2">
              <TextField label="Name" name="name" defaultValue={value.name} required maxLength={120} error={error} />
              <TextField label="Subtitle" name="subtitle" defaultValue={value.subtitle} maxLength={200} error={error} />
            </div>
            <TextArea label="Description" name="description" defaultValue={value.description} rows={8} maxLength={20000} error={error} />
            <TextArea label="How to get involved" name="how_to_get_involved" defaultValue={value.how_to_get_involved} rows={3} error={error} />
            <div className="grid-2">
              <TextField label="Image URL" name="image_url" type="url" defaultValue={value.image_url ?? ''} error={error} />
              <SelectField label="Size" name="size" defaultValue={value.size} error={error}>
                {Object.entries(SIZE_LABELS).map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </SelectField>
              <SelectField label="Membership process" name="membership_process" defaultValue={value.membership_process} error={error}>
                {Object.entries(PROCESS_LABELS).map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </SelectField>
              <SelectField label="Recruiting season" name="recruiting_season" defaultValue={value.recruiting_season} error={error}>
                {SEASONS.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </SelectField>
              {LINK_KEYS.map((k) => (
                <TextField key={k} label={`Link: ${k}`} name={`link_${k}`} type="url" defaultValue={value.links?.[k] ?? ''} error={error} />
              ))}
            </div>
            <SelectField label="Tags" name="tags" multiple defaultValue={value.tags} size={8} hint="Up to 10. Hold Ctrl (⌘ on a Mac) to choose several." error={error}>
              {tags.map((t) => (
                <option key={t.slug} value={t.slug}>
                  {t.name}
                </option>
              ))}
            </SelectField>
            <div className="field">
              <label>
                <input type="checkbox" name="accepting_members" defaultChecked={value.accepting_members} /> Accepting members
              </label>
            </div>
            <p className="hint">Name, texts, image, links and tags are reviewed by an approver; size, recruiting and process settings apply at once.</p>
            <FormError error={error} fields={['name', 'subtitle', 'description', 'image_url', 'how_to_get_involved', 'size', 'tags', 'links']} />
            {result && (
              <p className="success" role="status">
                {result}
              </p>
            )}
            <button type="submit" className="primary">
              Save changes
            </button>
          </form>
        )
      }}
    </AsyncView>
  )
}
