import { QueryClientProvider } from '@tanstack/react-query'
import { RouterProvider } from '@tanstack/react-router'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createAppRouter, prefetchCommonPages } from './app/routes.js'
import { createQueryClient } from './data/client.js'
import { clubsQuery } from './data/public.js'
import './styles.css'

const queryClient = createQueryClient()
// The directory list starts downloading before React renders.
if (location.pathname === '/') void queryClient.prefetchQuery(clubsQuery)
const router = createAppRouter(queryClient)

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
)
prefetchCommonPages()
