/** What makes an artillery smoke run a failure, read from the counters of its JSON report. */
export type Counters = Record<string, number>;

/** Counters a scenario must have raised for the run to count as having done its job. */
const REQUIRED: Record<string, string[]> = {
  presence: ['locus.sessions', 'locus.friendships', 'locus.loc_acked', 'locus.friend_loc'],
  nearby: ['locus.search_ok'],
  routing: ['locus.route_ok'],
};

export function smokeProblems(scenario: string, counters: Counters): string[] {
  const problems: string[] = [];
  const created = counters['vusers.created'] ?? 0;
  const completed = counters['vusers.completed'] ?? 0;
  if (created === 0) problems.push('no virtual users ran');
  if ((counters['vusers.failed'] ?? 0) > 0) problems.push(`${counters['vusers.failed']} virtual users failed`);
  if (completed !== created) problems.push(`${completed} of ${created} virtual users completed`);
  for (const [k, v] of Object.entries(counters)) {
    if (k.startsWith('errors.')) problems.push(`${k.slice(7)} ×${v}`);
    // Every HTTP answer of these scenarios is expected to be 200.
    if (k.startsWith('http.codes.') && k !== 'http.codes.200') problems.push(`${k.slice(5)} ×${v}`);
  }
  for (const k of REQUIRED[scenario] ?? []) if (!((counters[k] ?? 0) > 0)) problems.push(`no ${k}`);
  if (scenario === 'presence' && (counters['locus.friend_loc'] ?? 0) + (counters['locus.friend_gone'] ?? 0) !== (counters['locus.loc_acked'] ?? 0)) {
    problems.push('an acknowledged update did not reach the friend');
  }
  return problems;
}
