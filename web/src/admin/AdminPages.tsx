import { useEffect } from 'react'
import { getRouteApi, Link } from '@tanstack/react-router'
import { useMe } from '../data/session.js'
import { Approvals } from './Approvals.js'
import { Cycles } from './Cycles.js'
import { Taxonomy } from './Taxonomy.js'

const route = getRouteApi('/admin/$tab')

export default function AdminPages() {
  const { tab } = route.useParams()
  const { user } = useMe()
  const tabs = [['approvals', 'Approval queue'], ...(user?.is_admin ? [['cycles', 'Cycles'], ['taxonomy', 'Tags and badges']] : [])] as const
  useEffect(() => {
    document.title = 'Admin — Quad'
  }, [])
  return (
    <div>
      <h1>Administration</h1>
      <nav aria-label="Administration">
        <ul className="tabs">
          {tabs.map(([t, label]) => (
            <li key={t}>
              <Link to="/admin/$tab" params={{ tab: t }} aria-current={t === tab ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'approvals' && <Approvals />}
      {tab === 'cycles' && <Cycles />}
      {tab === 'taxonomy' && <Taxonomy />}
    </div>
  )
}
