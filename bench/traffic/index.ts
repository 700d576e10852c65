import { catalog } from './catalog.js'
import { clubPage } from './club-page.js'
import { directory } from './directory.js'
import { probeRead } from './probe-read.js'
import { session } from './session.js'
import type { TrafficClass } from './types.js'

/** Every traffic class by name; the mix gives each one connections and a rate. */
export const TRAFFIC_CLASSES: Record<string, TrafficClass> = Object.fromEntries(
  [directory, clubPage, catalog, session, probeRead].map((c) => [c.name, c]),
)
