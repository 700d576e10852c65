import { registerOverlaySection } from '../me/overlay.js'
import { startedApplications } from './submissions.repository.js'

// Which applications the viewer started, for Apply/Continue buttons on cached pages. Decisions are
// not part of it: they are released per application by GET /api/me/applications.
registerOverlaySection('applications', startedApplications)
