import { useQuery } from '@tanstack/react-query'
import * as api from '../api/index.js'
import type { Role } from '../api/types.js'
import { membersQuery } from '../data/manage.js'
import { clubQuery } from '../data/public.js'
import { useWrite } from '../data/write.js'
import { FormError } from '../ui/form.js'
import { AsyncView } from '../ui/status.js'
import { useConfirm } from '../ui/ConfirmDialog.js'

export const ROLES: Role[] = ['member', 'officer', 'owner']

export function MembersTab({ code }: { code: string }) {
  const query = useQuery(membersQuery(code))
  // Roles and public flags show on the club page too.
  const write = useWrite(membersQuery(code).queryKey, clubQuery(code).queryKey)
  const act = (run: () => Promise<unknown>) => write.mutate(run)
  const { confirm, dialog } = useConfirm()
  return (
    <AsyncView query={query}>
      {({ members }) => (
        <>
          <p className="button-row">
            <span className="muted">{members.length} members</span>
            <a className="button" href={api.subscribersCsvUrl(code)} download>
              Download subscribers (CSV)
            </a>
          </p>
          {dialog}
          <FormError error={write.error} />
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Members</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Title</th>
                  <th scope="col">Public</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.user_id}>
                    <td>
                      {m.name}
                      <br />
                      <span className="muted">{m.email}</span>
                    </td>
                    <td>
                      <select aria-label={`Role of ${m.name}`} value={m.role} onChange={(e) => act(() => api.updateMember(code, m.user_id, { role: e.target.value as Role }))}>
                        {ROLES.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <input
                        aria-label={`Title of ${m.name}`}
                        defaultValue={m.title}
                        maxLength={80}
                        onBlur={(e) => e.target.value !== m.title && act(() => api.updateMember(code, m.user_id, { title: e.target.value }))}
                      />
                    </td>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Show ${m.name} publicly`}
                        checked={m.is_public}
                        onChange={(e) => act(() => api.updateMember(code, m.user_id, { is_public: e.target.checked }))}
                      />
                    </td>
                    <td>
                      <button type="button" onClick={() => confirm({ title: `Remove ${m.name}?`, confirm: 'Remove', onConfirm: () => act(() => api.removeMember(code, m.user_id)) })}>
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </AsyncView>
  )
}
