import { applicationPage } from './application-page.js'
import { autosave } from './autosave.js'
import { bookmarks } from './bookmarks.js'
import { catalog } from './catalog.js'
import { clubPage } from './club-page.js'
import { directory } from './directory.js'
import { overlay } from './overlay.js'
import { probeRead } from './probe-read.js'
import { probeWrite } from './probe-write.js'
import { review } from './review.js'
import { session } from './session.js'
import { submit } from './submit.js'
import type { TrafficClass } from './types.js'

/** Every traffic class by name; the mix gives each one connections and a rate. */
export const TRAFFIC_CLASSES: Record<string, TrafficClass> = Object.fromEntries(
  [directory, clubPage, catalog, session, overlay, applicationPage, autosave, submit, review, bookmarks, probeRead, probeWrite].map((c) => [c.name, c]),
)
