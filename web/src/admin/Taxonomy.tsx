import { useQuery } from '@tanstack/react-query'
import * as api from '../api/index.js'
import { adminBadgesQuery, adminTagsQuery } from '../data/staff.js'
import { tagsQuery } from '../data/public.js'
import { useWrite } from '../data/write.js'
import { FormError, formValues, TextField } from '../ui/form.js'
import { useConfirm } from '../ui/ConfirmDialog.js'
import { AsyncView } from '../ui/status.js'

export function Taxonomy() {
  const tags = useQuery(adminTagsQuery)
  const badges = useQuery(adminBadgesQuery)
  // Tags and badges show on every card and filter of the directory.
  const write = useWrite(adminTagsQuery.queryKey, adminBadgesQuery.queryKey, tagsQuery.queryKey, ['public', 'clubs'])
  const error = write.error
  const act = (run: () => Promise<unknown>, form?: HTMLFormElement) => write.mutate(run, { onSuccess: () => form?.reset() })
  const { confirm, dialog } = useConfirm()
  return (
    <div className="grid-2">
      {dialog}
      <section aria-labelledby="tags-h">
        <h2 id="tags-h">Tags</h2>
        <form
          className="button-row"
          onSubmit={(e) => {
            e.preventDefault()
            const form = e.currentTarget
            act(() => api.createTag(formValues(form).name ?? ''), form)
          }}
        >
          <TextField label="New tag" name="name" maxLength={60} error={error} />
          <button type="submit">Add tag</button>
        </form>
        <FormError error={error} fields={['name']} />
        <AsyncView query={tags}>
          {(d) => (
            <ul className="plain">
              {d.tags.map((t) => (
                <li key={t.slug} className="application-item">
                  <span>
                    {t.name} <span className="muted">({t.club_count} clubs)</span>
                  </span>
                  <button type="button" onClick={() => confirm({ title: `Delete tag ${t.name}?`, body: <p>It is removed from every club.</p>, confirm: 'Delete tag', onConfirm: () => act(() => api.deleteTag(t.id)) })}>
                    Delete <span className="visually-hidden">{t.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </AsyncView>
      </section>
      <section aria-labelledby="badges-h">
        <h2 id="badges-h">Badges</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            const form = e.currentTarget
            const v = formValues(form)
            act(() => api.createBadge({ name: v.name ?? '', description: v.description ?? '', color: v.color ?? '#555555' }), form)
          }}
        >
          <TextField label="Badge name" name="name" maxLength={60} error={error} />
          <TextField label="Description" name="description" error={error} />
          <TextField label="Color" name="color" type="color" defaultValue="#1f3a5f" error={error} />
          <button type="submit">Add badge</button>
        </form>
        <AsyncView query={badges}>
          {(d) => (
            <ul className="plain">
              {d.badges.map((b) => (
                <li key={b.slug} className="application-item">
                  <span>
                    <span className="pill badge" style={{ borderColor: b.color }}>
                      {b.name}
                    </span>{' '}
                    <span className="muted">({b.club_count} clubs)</span>
                  </span>
                  <button type="button" aria-pressed={b.hidden} onClick={() => act(() => api.updateBadge(b.id, { hidden: !b.hidden }))}>
                    Hidden <span className="visually-hidden">{b.name}</span>
                  </button>
                  <button type="button" onClick={() => confirm({ title: `Delete badge ${b.name}?`, confirm: 'Delete badge', onConfirm: () => act(() => api.deleteBadge(b.id)) })}>
                    Delete <span className="visually-hidden">{b.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </AsyncView>
      </section>
    </div>
  )
}
