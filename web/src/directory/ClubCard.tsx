import { memo } from 'react'
import type { DirectoryClub } from './cards.js'
import { Link } from '@tanstack/react-router'
import { SIZE_LABELS } from '../ui/format.js'
import { ClubActions } from './ClubActions.js'

function Pills({ club }: { club: DirectoryClub }) {
  return (
    <>
      {club.open && <span className="pill pill-open">Applications open</span>}
      {club.recruiting && !club.open && <span className="pill pill-recruiting">Recruiting</span>}
      {club.badges.map((b) => (
        <span key={b.slug} className="pill badge" style={{ borderColor: b.color }}>
          {b.name}
        </span>
      ))}
    </>
  )
}

export const ClubCard = memo(function ClubCard({ club }: { club: DirectoryClub }) {
  return (
    <article className="club-card" aria-labelledby={`club-${club.code}`}>
      <h3 id={`club-${club.code}`}>
        <Link to="/clubs/$code" params={{ code: club.code }}>{club.name}</Link>
      </h3>
      <p className="subtitle">{club.subtitle}</p>
      <p className="pills">
        <Pills club={club} />
      </p>
      <p className="tags">{club.tags.slice(0, 4).map((t) => t.name).join(' · ')}</p>
      <p className="meta">
        {SIZE_LABELS[club.size] ?? club.size} · {club.members} members · <span title="Bookmarks">★ {club.bookmarks}</span>
      </p>
      <ClubActions code={club.code} name={club.name} compact />
    </article>
  )
})

export const ClubRow = memo(function ClubRow({ club }: { club: DirectoryClub }) {
  return (
    <article className="club-row" aria-labelledby={`club-${club.code}`}>
      <div className="club-row-main">
        <h3 id={`club-${club.code}`}>
          <Link to="/clubs/$code" params={{ code: club.code }}>{club.name}</Link>
        </h3>
        <p className="subtitle">{club.subtitle}</p>
      </div>
      <p className="pills">
        <Pills club={club} />
      </p>
      <p className="meta">
        {club.members} members · ★ {club.bookmarks}
      </p>
      <ClubActions code={club.code} name={club.name} compact />
    </article>
  )
})
