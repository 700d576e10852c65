import { useEffect } from 'react'
import { Link } from '../app/router.js'
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

export default function ManageClub({ code, tab }: { code: string; tab: string }) {
  useEffect(() => {
    document.title = `Manage ${code} — Quad`
  }, [code])
  return (
    <div>
      <p>
        <Link to={`/clubs/${code}`}>← Public page</Link>
      </p>
      <h1>Manage club</h1>
      <nav aria-label="Club management">
        <ul className="tabs">
          {TABS.map(([t, label]) => (
            <li key={t}>
              <Link to={`/manage/${code}/${t}`} aria-current={t === tab ? 'page' : undefined}>
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
