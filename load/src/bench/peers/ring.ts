/**
 * The friend graph every stack of the side-by-side benchmark serves: a ring where user i is friends
 * with the F/2 users on each side (i ± 1 … i ± F/2), so every update fans out to exactly F friends.
 */
export function ringFriends(i: number, users: number, friends: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= friends / 2; k++) out.push((i + k) % users, (i - k + users) % users);
  return out;
}

/** Each friendship once, as (lower-numbered side first in ring order), for making them over REST. */
export function ringPairs(users: number, friends: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < users; i++) for (let k = 1; k <= friends / 2; k++) pairs.push([i, (i + k) % users]);
  return pairs;
}
