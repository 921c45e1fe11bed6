/**
 * Every key and channel name Locus uses, one function per record kind, so the Redis Cluster hash tag
 * (`{u:ID}`: all of a user's keys and channels in one slot) is never forgotten. Engines prepend
 * their own prefix. User ids are validated (USER_ID_PATTERN) before they get here, so they never
 * contain braces that would change the hash tag.
 */
export const USER_ID_PATTERN = /^[A-Za-z0-9_.@:-]{1,128}$/;

const tag = (user: string): string => `{u:${user}}`;

export const keys = {
  /** Latest location of a user, with TTL: the location cache. */
  location: (user: string) => `loc:${tag(user)}`,
  /** Highest accepted `loc.seq` of a user (decimal), with the location TTL: resent fixes are not applied twice. */
  locationSeq: (user: string) => `lseq:${tag(user)}`,
  /** Set of the user's friends (mutual). */
  friends: (user: string) => `friends:${tag(user)}`,
  /** Set of users who asked this user for friendship. */
  friendRequestsIn: (user: string) => `freq:in:${tag(user)}`,
  /** Set of users this user asked for friendship. */
  friendRequestsOut: (user: string) => `freq:out:${tag(user)}`,
  /** Stream of every accepted location update. */
  history: (user: string) => `hist:${tag(user)}`,
  /** Per-user settings (radius, ...). */
  settings: (user: string) => `settings:${tag(user)}`,
  /** A business record (msgpack). Hash-tagged by business so records spread over cluster slots. */
  business: (id: string) => `biz:{b:${id}}`,
  /** Set of every business id: what a gateway loads its search index from at start. */
  businessIds: () => 'biz:ids',
  /** A geofence record (msgpack). */
  fence: (id: string) => `fence:{f:${id}}`,
  /** Set of every fence id: what a gateway loads its fence index from at start. */
  fenceIds: () => 'fence:ids',
  /** Set of the ids of a user's fences (the per-owner limit, and "my fences"). */
  userFences: (owner: string) => `fences:${tag(owner)}`,
  /** Which static fences a user is inside, since when: survives a reconnect to another gateway. */
  fenceState: (user: string) => `fstate:${tag(user)}`,
  /** Accepted traffic batches, replayed by a gateway that starts (trimmed past the longest expiry). */
  trafficLog: () => 'traffic:log',
  /** A user's navigation session (route, progress), with the reconnect grace as TTL. */
  navSession: (user: string) => `nav:${tag(user)}`,
} as const;

export const channels = {
  /** A user's location updates; gateways with a local friend of the user subscribe. */
  location: (user: string) => `ch:loc:${tag(user)}`,
  /** Control events about a user (friendship changes); the gateways holding the user subscribe. */
  control: (user: string) => `ch:ctl:${tag(user)}`,
  /** Business writes: every gateway's search index follows them. */
  businessChanges: () => 'ch:biz',
  /** Fence writes: every gateway's fence index follows them. */
  fenceChanges: () => 'ch:fence',
  /** Accepted traffic batches, live: every gateway applies them to its overlay. */
  traffic: () => 'ch:traffic',
  /** Opted-in users' updates in one geohash cell (nearby strangers): hash-tagged by cell. */
  strangers: (geohash: string) => `ch:geo:{g:${geohash}}`,
  /**
   * Traffic changes inside one routing tile (e.g. `local/spv2b`): only gateways holding a navigation
   * session whose remaining route crosses the tile subscribe. Hash-tagged by tile.
   */
  navTile: (tile: string) => `ch:nav:{t:${tile}}`,
} as const;
