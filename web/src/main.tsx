import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { loadClubs } from './app/clubs-store.js'
import { App } from './app/App.js'
import { SessionProvider } from './app/session.js'
import './styles.css'

// The directory list starts downloading before React renders.
if (location.pathname === '/') void loadClubs()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider>
      <App />
    </SessionProvider>
  </StrictMode>,
)
