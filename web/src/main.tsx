import { QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './app/App.js'
import { createQueryClient } from './data/client.js'
import { clubsQuery } from './data/public.js'
import './styles.css'

const queryClient = createQueryClient()
// The directory list starts downloading before React renders.
if (location.pathname === '/') void queryClient.prefetchQuery(clubsQuery)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
)
