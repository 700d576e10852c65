import type { SubmissionStatus } from '../../db/types.js'

export type DecisionTemplate = 'acceptance' | 'rejection'

const DEFAULTS: Record<DecisionTemplate, string> = {
  acceptance: 'Dear {{name}},\n\nCongratulations! You have been accepted to {{club}} ({{application}}).\n{{reason}}\nWelcome aboard.',
  rejection: 'Dear {{name}},\n\nThank you for applying to {{club}} ({{application}}). We are unable to offer you a place this time.\n{{reason}}',
}

export const templateFor = (status: SubmissionStatus): DecisionTemplate | null =>
  status === 'accepted' ? 'acceptance' : status === 'pending' ? null : 'rejection'

/** Fills {{name}}, {{club}}, {{application}} and {{reason}} in the club's template (or a default). */
export function renderDecision(
  kind: DecisionTemplate,
  custom: string,
  v: { name: string; club: string; application: string; reason: string },
): { subject: string; body: string } {
  const template = custom.trim() === '' ? DEFAULTS[kind] : custom
  const vars: Record<string, string> = { name: v.name || 'applicant', club: v.club, application: v.application, reason: v.reason }
  const body = template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, key: string) => vars[key] ?? m).replace(/\n{3,}/g, '\n\n').trim() + '\n'
  const subject = kind === 'acceptance' ? `Welcome to ${v.club}: your application was accepted` : `Your application to ${v.club}`
  return { subject, body }
}
