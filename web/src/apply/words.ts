/** Counts words the way the limit is meant: runs of non-space characters. */
export function countWords(text: string): number {
  const t = text.trim()
  return t ? t.split(/\s+/u).length : 0
}

/** Questions shown for the chosen committees: general ones plus those of a chosen committee. */
export function visibleQuestions<Q extends { committee_ids: number[] }>(questions: Q[], chosen: number[]): Q[] {
  return questions.filter((q) => q.committee_ids.length === 0 || q.committee_ids.some((id) => chosen.includes(id)))
}
