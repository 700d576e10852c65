/** Every page of the app and its URL, with typed params and search, loaders and access. */
import type { QueryClient } from '@tanstack/react-query'
import { createRootRouteWithContext, createRoute, createRouter, type ErrorComponentProps, lazyRouteComponent, redirect, useRouter } from '@tanstack/react-router'
import { draftQuery, myApplicationsQuery } from '../data/account.js'
import { applicationQuery, clubQuery, clubsQuery, inviteQuery } from '../data/public.js'
import { meQuery } from '../data/session.js'
import { DirectoryPage } from '../directory/DirectoryPage.js'
import { ErrorMessage, Loading } from '../ui/status.js'
import { Layout, NotFound } from './Layout.js'
import { parseSearch, searchKeys, stringifySearch } from './search.js'

interface RouterContext {
  queryClient: QueryClient
}

// Everything but the directory loads on demand, keeping its first load small.
const ClubPage = lazyRouteComponent(() => import('../club/ClubPage.js'), 'ClubPage')
const LoginPage = lazyRouteComponent(() => import('../auth/AuthPages.js'), 'LoginPage')
const SignupPage = lazyRouteComponent(() => import('../auth/AuthPages.js'), 'SignupPage')

/** The club page and sign-in chunks, fetched while the browser is idle so following a link stays instant. */
export function prefetchCommonPages(): void {
  const run = () => void Promise.all([ClubPage.preload?.(), LoginPage.preload?.()]).catch(() => {})
  if ('requestIdleCallback' in window) window.requestIdleCallback(run, { timeout: 3000 })
  else setTimeout(run, 1500)
}

/** Pages for signed-in users send visitors to sign in first, then back. */
async function requireUser({ context, location }: { context: RouterContext; location: { href: string } }) {
  const me = await context.queryClient.ensureQueryData(meQuery).catch(() => null)
  if (!me?.user) throw redirect({ to: '/login', search: { next: location.href }, replace: true })
}

/** "/apply/12" → 12; anything else is not a page. */
const numericId = {
  parse: ({ id }: { id: string }) => (/^\d+$/.test(id) ? { id: Number(id) } : false),
  stringify: ({ id }: { id: number }) => ({ id: String(id) }),
}

const root = createRootRouteWithContext<RouterContext>()({ component: Layout, notFoundComponent: NotFound })

const directory = createRoute({
  getParentRoute: () => root,
  path: '/',
  validateSearch: searchKeys('q', 'tags', 'badges', 'size', 'recruiting', 'open', 'school', 'year', 'sort', 'view'),
  // Filters change the search, not the data: the list is loaded once.
  staleTime: Infinity,
  loader: ({ context }) => void context.queryClient.prefetchQuery(clubsQuery),
  component: DirectoryPage,
})

const club = createRoute({
  getParentRoute: () => root,
  path: '/clubs/$code',
  loader: ({ context, params }) => context.queryClient.ensureQueryData(clubQuery(params.code)),
  component: ClubPage,
})

const login = createRoute({ getParentRoute: () => root, path: '/login', validateSearch: searchKeys('next'), component: LoginPage })
const signup = createRoute({ getParentRoute: () => root, path: '/signup', validateSearch: searchKeys('next'), component: SignupPage })

const invite = createRoute({
  getParentRoute: () => root,
  path: '/invites/$token',
  loader: ({ context, params }) => context.queryClient.ensureQueryData(inviteQuery(params.token)),
  component: lazyRouteComponent(() => import('../me/InvitePage.js')),
})

const me = createRoute({
  getParentRoute: () => root,
  path: '/me/$tab',
  validateSearch: searchKeys('welcome', 'next'),
  beforeLoad: requireUser,
  component: lazyRouteComponent(() => import('../me/MePages.js')),
})

const apply = createRoute({
  getParentRoute: () => root,
  path: '/apply/$id',
  params: numericId,
  beforeLoad: requireUser,
  // The form, and the applicant's own draft and deadline as they are now.
  loader: ({ context: { queryClient }, params: { id } }) =>
    Promise.all([
      queryClient.ensureQueryData(applicationQuery(id)),
      queryClient.fetchQuery({ ...draftQuery(id), staleTime: 0 }),
      queryClient.fetchQuery({ ...myApplicationsQuery, staleTime: 0 }).catch(() => undefined),
    ]),
  component: lazyRouteComponent(() => import('../apply/ApplyPage.js')),
})

const ManageClub = lazyRouteComponent(() => import('../officer/ManageClub.js'))
const manage = createRoute({ getParentRoute: () => root, path: '/manage/$code', beforeLoad: requireUser, component: ManageClub })
const manageTab = createRoute({ getParentRoute: () => root, path: '/manage/$code/$tab', beforeLoad: requireUser, component: ManageClub })

const review = createRoute({
  getParentRoute: () => root,
  path: '/review/$id',
  params: numericId,
  validateSearch: searchKeys('status', 'committee'),
  beforeLoad: requireUser,
  component: lazyRouteComponent(() => import('../officer/ReviewPage.js')),
})

const admin = createRoute({ getParentRoute: () => root, path: '/admin/$tab', beforeLoad: requireUser, component: lazyRouteComponent(() => import('../admin/AdminPages.js')) })
const ops = createRoute({ getParentRoute: () => root, path: '/ops', beforeLoad: requireUser, component: lazyRouteComponent(() => import('../ops/OpsPage.js')) })

const routeTree = root.addChildren([directory, club, login, signup, invite, me, apply, manage, manageTab, review, admin, ops])

/** A loader's failure, shown where the page would be; trying again runs the loaders again. */
function RouteError({ error, reset }: ErrorComponentProps) {
  const router = useRouter()
  const retry = () => {
    reset()
    void router.invalidate()
  }
  return <ErrorMessage error={error instanceof Error ? error : new Error(String(error))} retry={retry} />
}

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    parseSearch,
    stringifySearch,
    defaultPendingComponent: () => <Loading />,
    defaultErrorComponent: RouteError,
    // Back and forward return to where the page was scrolled (the directory's place in the list).
    scrollRestoration: true,
  })
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>
  }
}
