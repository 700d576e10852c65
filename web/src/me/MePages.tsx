import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { getRouteApi, Link, useNavigate } from '@tanstack/react-router'
import { type FormEvent, useEffect } from 'react'
import * as api from '../api/index.js'
import type { ProfilePatch } from '../api/types.js'
import { myApplicationsQuery, profileQuery } from '../data/account.js'
import { clubQuery, clubsQuery } from '../data/public.js'
import { meQuery } from '../data/session.js'
import { refreshOverlay, useOverlay } from '../data/viewer.js'
import type { DirectoryClub } from '../directory/cards.js'
import { ClubActions } from '../directory/ClubActions.js'
import { useConfirm } from '../ui/ConfirmDialog.js'
import { FormError, formValues, SelectField, TextField } from '../ui/form.js'
import { formatDateTime, STATUS_LABELS } from '../ui/format.js'
import { AsyncView, ErrorMessage, Loading } from '../ui/status.js'
import { TimeZoneField } from '../ui/TimeZoneField.js'

const TABS = [
  ['profile', 'Profile'],
  ['saved', 'Bookmarks and subscriptions'],
  ['clubs', 'My clubs'],
  ['applications', 'My applications'],
] as const

const route = getRouteApi('/me/$tab')

export default function MePages() {
  const { tab } = route.useParams()
  const title = TABS.find(([t]) => t === tab)?.[1] ?? 'Not found'
  useEffect(() => {
    document.title = `${title} — Quad`
  }, [title])
  return (
    <div>
      <h1>{title}</h1>
      <nav aria-label="Your account">
        <ul className="tabs">
          {TABS.map(([t, label]) => (
            <li key={t}>
              <Link to="/me/$tab" params={{ tab: t }} aria-current={t === tab ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'profile' && <ProfileForm />}
      {tab === 'saved' && <Saved />}
      {tab === 'clubs' && <MyClubs />}
      {tab === 'applications' && <MyApplications />}
    </div>
  )
}

function ProfileForm() {
  const search = route.useSearch()
  const navigate = useNavigate()
  const profile = useQuery(profileQuery)
  const qc = useQueryClient()
  const save = useMutation({
    mutationFn: api.updateProfile,
    onSuccess: async (p) => {
      qc.setQueryData(profileQuery.queryKey, p)
      // The header shows the name.
      await qc.invalidateQueries({ queryKey: meQuery.queryKey })
      const next = search.next
      if (next && next.startsWith('/') && !next.startsWith('//')) await navigate({ href: next })
    },
  })
  const error = save.error
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const v = formValues(e.currentTarget)
    const body: ProfilePatch = {
      name: v.name,
      graduation_year: v.graduation_year ? Number(v.graduation_year) : null,
      school: v.school || null,
      major: v.major || null,
      profile_public: v.profile_public === 'on',
      ...(v.time_zone ? { time_zone: v.time_zone } : {}),
    }
    save.mutate(body)
  }
  const year = new Date().getFullYear()
  return (
    <AsyncView query={profile}>
      {(p) => (
        <form onSubmit={submit} className="narrow" noValidate style={{ margin: 0 }}>
          {search.welcome && <p className="success">Welcome to Quad! Complete your profile: applications need your graduation year, school and major.</p>}
          <p className="muted">Signed in as {p.email}</p>
          <TextField label="Name" name="name" defaultValue={p.name} required maxLength={120} error={error} />
          <SelectField label="Graduation year" name="graduation_year" defaultValue={p.graduation_year ?? ''} error={error}>
            <option value="">Not set</option>
            {Array.from({ length: 8 }, (_, i) => year - 1 + i).map((y) => (
              <option key={y}>{y}</option>
            ))}
          </SelectField>
          <TextField label="School" name="school" defaultValue={p.school ?? ''} maxLength={120} error={error} />
          <TextField label="Major" name="major" defaultValue={p.major ?? ''} maxLength={120} error={error} />
          <TimeZoneField label="Time zone (for emails and deadlines)" name="time_zone" defaultValue={p.time_zone} error={error} />
          <div className="field">
            <label>
              <input type="checkbox" name="profile_public" defaultChecked={p.profile_public} /> Show my name on club pages I belong to
            </label>
          </div>
          <FormError error={error} fields={['name', 'graduation_year', 'school', 'major']} />
          {save.isSuccess && (
            <p className="success" role="status">
              Profile saved.
            </p>
          )}
          <button type="submit" className="primary">
            Save profile
          </button>
        </form>
      )}
    </AsyncView>
  )
}

function ClubList({ clubs, empty }: { clubs: DirectoryClub[]; empty: string }) {
  if (!clubs.length) return <p className="muted">{empty}</p>
  return (
    <ul className="plain">
      {clubs.map((c) => (
        <li key={c.code} className="application-item">
          <div>
            <Link to="/clubs/$code" params={{ code: c.code }}>
              <strong>{c.name}</strong>
            </Link>
            <br />
            <span className="muted">{c.subtitle}</span>
          </div>
          <ClubActions code={c.code} name={c.name} />
        </li>
      ))}
    </ul>
  )
}

function Saved() {
  const overlay = useOverlay()
  const { data: clubs, error, refetch } = useQuery(clubsQuery)
  if (error) return <ErrorMessage error={error} retry={() => void refetch()} />
  if (!clubs) return <Loading />
  // Joined on the client: the overlay holds codes, the cached directory holds the clubs.
  const bookmarked = clubs.filter((c) => overlay.bookmarks.has(c.code))
  const subscribed = clubs.filter((c) => overlay.subscriptions.has(c.code))
  return (
    <>
      <section aria-labelledby="bm-h">
        <h2 id="bm-h">Bookmarked clubs ({bookmarked.length})</h2>
        <ClubList clubs={bookmarked} empty="No bookmarks yet. Use ☆ Bookmark on a club to keep it here." />
      </section>
      <section aria-labelledby="sub-h">
        <h2 id="sub-h">Subscriptions ({subscribed.length})</h2>
        <ClubList clubs={subscribed} empty="You are not subscribed to any club's news." />
      </section>
    </>
  )
}

function MyClubs() {
  const overlay = useOverlay()
  const { data: clubs } = useQuery(clubsQuery)
  const qc = useQueryClient()
  const leaving = useMutation({
    mutationFn: api.leaveClub,
    onSuccess: (_r, code) => Promise.all([refreshOverlay(qc), qc.invalidateQueries({ queryKey: clubQuery(code).queryKey })]),
  })
  const names = new Map((clubs ?? []).map((c) => [c.code, c.name]))
  const entries = [...overlay.roles.entries()]
  const { confirm, dialog } = useConfirm()
  const leave = (code: string) => confirm({ title: `Leave ${names.get(code) ?? code}?`, confirm: 'Leave', onConfirm: () => leaving.mutate(code) })
  return (
    <>
      {dialog}
      <FormError error={leaving.error} />
      {!entries.length && <p className="muted">You are not a member of any club yet.</p>}
      <ul className="plain">
        {entries.map(([code, role]) => (
          <li key={code} className="application-item">
            <div>
              <Link to="/clubs/$code" params={{ code }}>
                <strong>{names.get(code) ?? code}</strong>
              </Link>{' '}
              <span className="pill">{role}</span>
            </div>
            <div className="button-row">
              {(role === 'officer' || role === 'owner') && (
                <Link className="button" to="/manage/$code" params={{ code }}>
                  Manage
                </Link>
              )}
              <button type="button" onClick={() => leave(code)}>
                Leave
              </button>
            </div>
          </li>
        ))}
      </ul>
      {overlay.requests.size > 0 && (
        <>
          <h2>Pending requests</h2>
          <ul className="plain">
            {[...overlay.requests].map((code) => (
              <li key={code}>
                <Link to="/clubs/$code" params={{ code }}>{names.get(code) ?? code}</Link> — waiting for an officer
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  )
}

function MyApplications() {
  const query = useQuery(myApplicationsQuery)
  return (
    <AsyncView query={query}>
      {({ applications }) =>
        applications.length === 0 ? (
          <p className="muted">
            You have not started an application. Clubs with open applications are marked in the <Link to="/" search={{ open: '1' }}>directory</Link>.
          </p>
        ) : (
          <div className="table-wrap">
            <table>
              <caption className="visually-hidden">Your applications</caption>
              <thead>
                <tr>
                  <th scope="col">Club</th>
                  <th scope="col">Application</th>
                  <th scope="col">State</th>
                  <th scope="col">Deadline</th>
                  <th scope="col">Decision</th>
                </tr>
              </thead>
              <tbody>
                {applications.map((a) => (
                  <tr key={a.submission_id}>
                    <td>
                      <Link to="/clubs/$code" params={{ code: a.application.club.code }}>{a.application.club.name}</Link>
                    </td>
                    <td>
                      {a.application.name}
                      {a.application.cycle && <span className="muted"> · {a.application.cycle.name}</span>}
                    </td>
                    <td>
                      {a.state === 'submitted' ? (
                        <>
                          <strong>Submitted</strong>
                          {a.receipt && (
                            <>
                              {' '}
                              {formatDateTime(a.receipt.submitted_at)}
                              <br />
                              <span className="muted">
                                Receipt #{a.receipt.submission_id} · <code>{a.receipt.content_digest.slice(0, 12)}</code>
                              </span>
                            </>
                          )}
                        </>
                      ) : a.can_edit ? (
                        <>
                          Draft · <Link to="/apply/$id" params={{ id: a.application.id }}>Continue</Link>
                        </>
                      ) : (
                        'Draft (not submitted before the deadline)'
                      )}
                    </td>
                    <td>
                      <time dateTime={a.deadline.utc}>{formatDateTime(a.deadline.utc)}</time>
                      {a.extended && <span className="pill">extended</span>}
                    </td>
                    <td>
                      {a.decision ? (
                        <strong>{STATUS_LABELS[a.decision.status] ?? a.decision.status}</strong>
                      ) : a.results_released ? (
                        <span className="muted">{a.state === 'submitted' ? 'No decision yet' : '—'}</span>
                      ) : (
                        <span className="muted">Results {formatDateTime(a.results_release_at.utc)}</span>
                      )}
                      {a.decision?.reason && <p className="muted">{a.decision.reason}</p>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </AsyncView>
  )
}
