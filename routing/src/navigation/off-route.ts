/** Off-route policy, as production navigation apps tune it: a margin plus the fix's accuracy, over consecutive fixes. */
export interface OffRoutePolicy {
  /** Metres beyond which a fix is "away" before its accuracy is added. */
  baseM: number;
  /** Consecutive away fixes that make the driver off-route (hysteresis against one bad fix). */
  fixes: number;
  /** Accuracy beyond this (metres) says nothing about the road: such fixes neither count nor reset. */
  maxAccuracyM: number;
}

export const DEFAULT_OFF_ROUTE: OffRoutePolicy = { baseM: 30, fixes: 3, maxAccuracyM: 100 };

export type FixVerdict = 'on' | 'away' | 'off' | 'ignored';

/**
 * One step of the hysteresis. `away` is the running count of consecutive away fixes before this one
 * (the caller keeps it per session: 0 after `on`, +1 after `away` / `off`, unchanged after `ignored`).
 */
export function judgeFix(policy: OffRoutePolicy, away: number, offRouteM: number, accuracyM: number): FixVerdict {
  const acc = accuracyM >= 0 ? accuracyM : 0;
  if (acc > policy.maxAccuracyM) return 'ignored';
  if (offRouteM <= policy.baseM + acc) return 'on';
  return away + 1 >= policy.fixes ? 'off' : 'away';
}

export function nextAwayCount(verdict: FixVerdict, away: number): number {
  return verdict === 'on' ? 0 : verdict === 'ignored' ? away : away + 1;
}
