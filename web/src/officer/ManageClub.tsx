import { useEffect } from 'react'
import { Link, useParams } from '@tanstack/react-router'
import { ApplicationsTab } from './ApplicationsTab.js'
import { EditClub } from './EditClub.js'
import { EventsTab } from './EventsTab.js'
import { InvitesTab } from './InvitesTab.js'
import { MembersTab } from './MembersTab.js'
import { RequestsTab } from './RequestsTab.js'

const TABS = [
  ['edit', 'Edit club'],
  ['members', 'Members'],
  ['requests', 'Requests'],
  ['invites', 'Invites'],
  ['events', 'Events'],
  ['applications', 'Applications'],
] as const

/** /manage/<code> and /manage/<code>/<tab>: the club's settings, people, events and applications. */
export default function ManageClub() {
  const params = useParams({ strict: false })
  const code = params.code!
  const tab = params.tab ?? 'edit'
  useEffect(() => {
    document.title = `Manage ${code} — Quad`
  }, [code])
  return (
    <div>
      <p>
        <Link to="/clubs/$code" params={{ code }}>← Public page</Link>
      </p>
      <h1>Manage club</h1>
      <nav aria-label="Club management">
        <ul className="tabs">
          {TABS.map(([t, label]) => (
            <li key={t}>
              <Link to="/manage/$code/$tab" params={{ code, tab: t }} aria-current={t === tab ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'edit' && <EditClub code={code} />}
      {tab === 'members' && <MembersTab code={code} />}
      {tab === 'requests' && <RequestsTab code={code} />}
      {tab === 'invites' && <InvitesTab code={code} />}
      {tab === 'events' && <EventsTab code={code} />}
      {tab === 'applications' && <ApplicationsTab code={code} />}
    </div>
  )
}
