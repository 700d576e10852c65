/**
 * Topic words students type, and the words clubs use for them: a query word among a topic's
 * names also finds clubs described by its narrower words (music finds a cappella and jazz clubs).
 * One way only, so a specific word (chess) stays specific. A small, hand-kept list.
 */
const TOPICS: readonly [names: readonly string[], narrower: readonly string[]][] = [
  [['music', 'musical', 'musician', 'musicians'], ['cappella', 'choir', 'chorus', 'choral', 'singing', 'jazz', 'orchestra', 'band', 'ensemble', 'symphony', 'opera', 'guitar', 'piano', 'percussion']],
  [['singing', 'singers', 'vocal'], ['cappella', 'choir', 'chorus', 'choral', 'opera']],
  [['dance', 'dancing', 'dancers'], ['ballet', 'salsa', 'hip', 'tango', 'bhangra', 'ballroom', 'breakdance']],
  [['theatre', 'theater', 'drama', 'acting'], ['improv', 'musicals', 'comedy', 'standup']],
  [['art', 'arts', 'crafts'], ['painting', 'drawing', 'pottery', 'ceramics', 'sculpture', 'comics', 'origami', 'knitting']],
  [['film', 'movies', 'cinema', 'media'], ['photography', 'video', 'animation', 'anime', 'radio', 'podcasting']],
  [['writing', 'writers'], ['poetry', 'literature', 'journalism', 'publication', 'magazine', 'newspaper']],
  [['sports', 'sport', 'athletics', 'athletic'], ['soccer', 'football', 'rugby', 'basketball', 'volleyball', 'tennis', 'squash', 'badminton', 'frisbee', 'rowing', 'sailing', 'fencing', 'running', 'cycling', 'triathlon', 'climbing', 'swimming']],
  [['outdoors', 'outdoor', 'nature'], ['hiking', 'climbing', 'camping', 'sailing', 'ecology']],
  [['fitness', 'wellness', 'exercise'], ['yoga', 'meditation', 'running']],
  [['tech', 'technology', 'computing', 'computers', 'programming', 'software'], ['coding', 'hackathons', 'cybersecurity', 'blockchain', 'robotics', 'machine']],
  [['ai'], ['machine']],
  [['engineering', 'engineers'], ['robotics', 'rocketry', 'aviation', 'aerospace', 'formula', 'solar']],
  [['space'], ['astronomy', 'rocketry', 'aerospace']],
  [['science', 'sciences', 'stem'], ['physics', 'chemistry', 'biology', 'biotech', 'neuroscience', 'astronomy', 'ecology', 'research']],
  [['math', 'maths'], ['mathematics', 'statistics']],
  [['business', 'career', 'careers'], ['finance', 'investing', 'investment', 'economics', 'consulting', 'entrepreneurship', 'startups', 'marketing']],
  [['startup', 'startups', 'founders'], ['entrepreneurship', 'venture']],
  [['law', 'legal', 'prelaw'], ['trial', 'policy', 'debate']],
  [['politics', 'political', 'government'], ['policy', 'debate', 'model']],
  [['medicine', 'medical', 'premed', 'health'], ['nursing', 'biotech', 'neuroscience', 'public']],
  [['games', 'gaming', 'tabletop'], ['esports', 'board', 'chess', 'bridge', 'magic', 'quiz']],
  [['food', 'culinary', 'cooking'], ['baking', 'coffee', 'tea', 'wine']],
  [['environment', 'environmental', 'climate', 'green'], ['sustainability', 'ecology', 'gardening']],
  [['volunteer', 'volunteering', 'service', 'charity'], ['tutoring', 'mentoring']],
  [['culture', 'cultural', 'international', 'languages'], ['linguistics']],
  [['humanities'], ['history', 'classics', 'philosophy', 'literature', 'linguistics']],
  [['faith', 'religious', 'religion', 'spiritual'], ['christian', 'muslim', 'jewish', 'hindu', 'buddhist']],
]

const BY_WORD = new Map<string, string[]>()
for (const [names, narrower] of TOPICS) {
  for (const n of names) BY_WORD.set(n, [...new Set([...(BY_WORD.get(n) ?? []), ...names.filter((x) => x !== n), ...narrower])])
}

/** Words that mean the topic `word` names, or something narrower (word already folded). */
export function synonymsOf(word: string): readonly string[] {
  return BY_WORD.get(word) ?? []
}
