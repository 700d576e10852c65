import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect } from 'react'
import * as api from '../api/index.js'
import type { ClubDetail } from '../api/types.js'
import { getRouteApi, Link } from '@tanstack/react-router'
import { clubQuery } from '../data/public.js'
import { useMe } from '../data/session.js'
import { refreshOverlay, useClubViewer, useOverlay } from '../data/viewer.js'
import { ClubActions } from '../directory/ClubActions.js'
import { formatDateTime, PROCESS_LABELS, SIZE_LABELS } from '../ui/format.js'
import { AsyncView } from '../ui/status.js'
import { RichText } from './RichText.js'

function JoinButton({ club }: { club: ClubDetail }) {
  const { user } = useMe()
  const viewer = useClubViewer(club.code)
  const qc = useQueryClient()
  const join = useMutation({ mutationFn: () => api.requestMembership(club.code, ''), onSuccess: () => refreshOverlay(qc) })
  if (!user || !club.accepting_members || club.application_required) return null
  if (viewer.role) return <p className="pill pill-open">You are a {viewer.role}</p>
  if (viewer.requested || join.isSuccess) return <p className="pill">Membership requested</p>
  return (
    <div>
      <button type="button" onClick={() => join.mutate()} disabled={join.isPending}>
        Request to join
      </button>
      {join.error && (
        <span className="field-error" role="alert">
          {join.error.message}
        </span>
      )}
    </div>
  )
}

function Applications({ club }: { club: ClubDetail }) {
  const overlay = useOverlay()
  if (!club.applications.length) return null
  return (
    <section aria-labelledby="apps-h" className="panel highlight">
      <h2 id="apps-h">Open applications</h2>
      <ul className="plain">
        {club.applications.map((a) => {
          const mine = overlay.applications.get(a.id)
          return (
            <li key={a.id} className="application-item">
              <div>
                <strong>{a.name}</strong>
                {a.cycle && <span className="muted"> · {a.cycle}</span>}
                <br />
                Deadline: <time dateTime={a.ends_at}>{formatDateTime(a.ends_at)}</time>
              </div>
              {a.kind === 'external' && a.external_url ? (
                <a className="button" href={a.external_url} target="_blank" rel="noreferrer">
                  Apply on external site <span className="visually-hidden">(opens a new tab)</span>
                </a>
              ) : mine === 'submitted' ? (
                <Link className="button subtle" to="/me/$tab" params={{ tab: 'applications' }}>
                  Submitted — view receipt
                </Link>
              ) : (
                <Link className="button primary" to="/apply/$id" params={{ id: a.id }}>
                  {mine === 'draft' ? 'Continue application' : 'Apply'}
                </Link>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}

const route = getRouteApi('/clubs/$code')

export function ClubPage() {
  const { code } = route.useParams()
  const query = useQuery(clubQuery(code))
  const { user } = useMe()
  const { role } = useClubViewer(code)
  const name = query.data?.name
  useEffect(() => {
    if (name) document.title = `${name} — Quad`
  }, [name])
  const canEdit = user?.is_admin || role === 'officer' || role === 'owner'
  return (
    <AsyncView query={query}>
      {(club) => (
        <article className="club-page">
          <header className="club-header">
            {club.image_url && <img src={club.image_url} alt="" width={96} height={96} className="club-image" />}
            <div>
              <h1>{club.name}</h1>
              <p className="subtitle">{club.subtitle}</p>
              <p className="pills">
                {club.badges.map((b) => (
                  <span key={b.slug} className="pill badge" style={{ borderColor: b.color }}>
                    {b.name}
                  </span>
                ))}
                {club.tags.map((t) => (
                  <Link key={t.slug} className="pill" to="/" search={{ tags: t.slug }}>
                    {t.name}
                  </Link>
                ))}
              </p>
              {club.parents.length > 0 && (
                <p className="muted">
                  Part of{' '}
                  {club.parents.map((p, i) => (
                    <span key={p.code}>
                      {i > 0 && ', '}
                      <Link to="/clubs/$code" params={{ code: p.code }}>{p.name}</Link>
                    </span>
                  ))}
                </p>
              )}
            </div>
            <div className="club-header-actions">
              <ClubActions code={club.code} name={club.name} />
              <JoinButton club={club} />
              {canEdit && (
                <Link className="button" to="/manage/$code" params={{ code: club.code }}>
                  Edit club
                </Link>
              )}
            </div>
          </header>
          <Applications club={club} />
          <div className="club-columns">
            <div>
              <section aria-labelledby="about-h">
                <h2 id="about-h">About</h2>
                <RichText text={club.description} />
                {club.how_to_get_involved && (
                  <>
                    <h3>How to get involved</h3>
                    <p>{club.how_to_get_involved}</p>
                  </>
                )}
              </section>
              {club.events.length > 0 && (
                <section aria-labelledby="events-h">
                  <h2 id="events-h">Upcoming events</h2>
                  <ul className="plain events">
                    {club.events.map((e) => (
                      <li key={e.id}>
                        <strong>{e.name}</strong> {e.pinned && <span className="pill">Pinned</span>}
                        <br />
                        <time dateTime={e.starts_at}>{formatDateTime(e.starts_at)}</time>
                        {e.location && ` · ${e.location}`}
                        {e.link && (
                          <>
                            {' · '}
                            <a href={e.link} target="_blank" rel="noreferrer">
                              Event link
                            </a>
                          </>
                        )}
                        {e.description && <p className="muted">{e.description}</p>}
                      </li>
                    ))}
                  </ul>
                </section>
              )}
              {club.faqs.length > 0 && (
                <section aria-labelledby="faq-h">
                  <h2 id="faq-h">FAQ</h2>
                  {club.faqs.map((f) => (
                    <details key={f.id}>
                      <summary>{f.question}</summary>
                      <p>{f.answer}</p>
                    </details>
                  ))}
                </section>
              )}
              {club.testimonials.length > 0 && (
                <section aria-labelledby="testimonials-h">
                  <h2 id="testimonials-h">What members say</h2>
                  {club.testimonials.map((t) => (
                    <figure key={t.id} className="testimonial">
                      <blockquote>{t.body}</blockquote>
                      <figcaption>
                        {t.author_name}
                        {t.author_role && `, ${t.author_role}`}
                      </figcaption>
                    </figure>
                  ))}
                </section>
              )}
            </div>
            <aside className="club-facts" aria-label="Club facts">
              <dl>
                <dt>Size</dt>
                <dd>{SIZE_LABELS[club.size] ?? club.size}</dd>
                <dt>Members</dt>
                <dd>{club.member_count}</dd>
                <dt>Bookmarks</dt>
                <dd>{club.favorite_count}</dd>
                <dt>Joining</dt>
                <dd>
                  {PROCESS_LABELS[club.membership_process] ?? club.membership_process}
                  {club.accepting_members ? '' : ' (not accepting members now)'}
                </dd>
                <dt>Recruits</dt>
                <dd>{club.recruiting_season}</dd>
                {club.founded_year && (
                  <>
                    <dt>Founded</dt>
                    <dd>{club.founded_year}</dd>
                  </>
                )}
                {club.target_years.length > 0 && (
                  <>
                    <dt>For years of study</dt>
                    <dd>{club.target_years.join(', ')}</dd>
                  </>
                )}
                {club.target_schools.length > 0 && (
                  <>
                    <dt>For schools</dt>
                    <dd>{club.target_schools.join(', ')}</dd>
                  </>
                )}
                {club.contact_email && (
                  <>
                    <dt>Contact</dt>
                    <dd>
                      <a href={`mailto:${club.contact_email}`}>{club.contact_email}</a>
                    </dd>
                  </>
                )}
              </dl>
              {Object.keys(club.links).length > 0 && (
                <>
                  <h2>Links</h2>
                  <ul className="plain">
                    {Object.entries(club.links).map(([k, url]) => (
                      <li key={k}>
                        <a href={url} target="_blank" rel="noreferrer">
                          {k}
                        </a>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {club.members.length > 0 && (
                <>
                  <h2>Members</h2>
                  <ul className="plain members">
                    {club.members.slice(0, 50).map((m, i) => (
                      <li key={i}>
                        {m.name}
                        {m.title && <span className="muted"> — {m.title}</span>}
                      </li>
                    ))}
                  </ul>
                  {club.members.length > 50 && <p className="muted">and {club.members.length - 50} more</p>}
                </>
              )}
              {club.advisors.length > 0 && (
                <>
                  <h2>Advisors</h2>
                  <ul className="plain">
                    {club.advisors.map((a, i) => (
                      <li key={i}>
                        {a.name}
                        {a.title && `, ${a.title}`}
                        {a.email && (
                          <>
                            {' '}
                            <a href={`mailto:${a.email}`}>{a.email}</a>
                          </>
                        )}
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {club.files.length > 0 && (
                <>
                  <h2>Files</h2>
                  <ul className="plain">
                    {club.files.map((f) => (
                      <li key={f.url}>
                        <a href={f.url}>{f.name}</a>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </aside>
          </div>
        </article>
      )}
    </AsyncView>
  )
}
