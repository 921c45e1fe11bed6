import { encodeLocAck, LocusError, type ClientMessage, type LocationUpdate } from '@locus/protocol';
import type { Accepted } from '@locus/presence';
import { toLocusError } from '../errors.js';
import { addFence, removeFence } from '../fences/fence-ops.js';
import type { Connection } from './connection.js';

/**
 * Run one message to completion and answer any failure with an error reply. A plain async function
 * (try/catch inside) so the hot path creates no callback closures per message.
 */
export async function handle(c: Connection, msg: ClientMessage): Promise<void> {
  const ctx = c.ctx;
  ctx.inflight++;
  c.inflight++;
  try {
    // Location updates are most messages: awaited here, not through dispatch (one async frame,
    // its promise and microtask, fewer per update).
    if (msg.t === 'loc') locationAccepted(c, msg, await c.ctx.presence.acceptLocation(c.user, msg));
    else await dispatch(c, msg);
  } catch (err) {
    c.error(msg.id, toLocusError(err, ctx.log));
  } finally {
    ctx.inflight--;
    c.inflight--;
  }
}

/**
 * Carries out one validated client message other than a location update (handle's own path) for
 * a connection. Throws LocusError for expected failures; the caller turns every error into an error
 * reply (one place).
 */
export async function dispatch(c: Connection, msg: Exclude<ClientMessage, LocationUpdate>): Promise<void> {
  const { presence } = c.ctx;
  const user = c.user;
  switch (msg.t) {
    case 'ping':
      c.reply(msg.id, { t: 'pong', ts: Date.now() });
      return;
    case 'refresh': {
      let identity;
      try {
        identity = c.ctx.verifier.verify(msg.token);
      } catch (err) {
        throw err instanceof LocusError ? err : new LocusError('UNAUTHORIZED');
      }
      if (identity.user !== user) throw new LocusError('UNAUTHORIZED', 'the new token is for another user');
      c.exp = identity.exp;
      c.warned = false;
      c.reply(msg.id, { t: 'ok', of: 'refresh', exp: identity.exp });
      return;
    }
    case 'friend_request': {
      const status = await presence.graph.request(user, msg.user);
      if (status === 'accepted') await presence.hub.applyLocal(user, { kind: 'accepted', user: msg.user });
      c.reply(msg.id, { t: 'ok', of: 'friend_request', status });
      return;
    }
    case 'friend_accept':
      await presence.graph.accept(user, msg.user);
      await presence.hub.applyLocal(user, { kind: 'accepted', user: msg.user });
      c.reply(msg.id, { t: 'ok', of: 'friend_accept' });
      return;
    case 'friend_decline':
      await presence.graph.decline(user, msg.user);
      c.reply(msg.id, { t: 'ok', of: 'friend_decline' });
      return;
    case 'friend_remove':
      await presence.graph.remove(user, msg.user);
      await presence.hub.applyLocal(user, { kind: 'removed', user: msg.user });
      c.reply(msg.id, { t: 'ok', of: 'friend_remove' });
      return;
    case 'friends': {
      const lists = await presence.graph.lists(user);
      c.reply(msg.id, { t: 'friends', ...lists });
      return;
    }
    case 'nearby':
      c.reply(msg.id, { t: 'nearby', friends: presence.hub.nearbyOf(user) });
      return;
    case 'settings': {
      const s =
        msg.radius === undefined ? await presence.settings.get(user) : await presence.settings.update(user, { radius: msg.radius });
      if (msg.radius !== undefined) await presence.hub.applyLocal(user, { kind: 'settings', user });
      c.reply(msg.id, { t: 'settings', radius: s.radius });
      return;
    }
    case 'fence_add': {
      const fence = await addFence(c.ctx, user, msg.fence, 'self');
      c.reply(msg.id, { t: 'ok', of: 'fence_add', fence: fence.id });
      return;
    }
    case 'fence_remove':
      await removeFence(c.ctx, msg.fence, user, false);
      c.reply(msg.id, { t: 'ok', of: 'fence_remove', fence: msg.fence });
      return;
    case 'fences':
      c.reply(msg.id, { t: 'fences', fences: await c.ctx.geo.fences.store.ofOwner(user) });
      return;
    case 'strangers': {
      if (!msg.enabled) {
        await presence.strangers.optOut(user);
        c.reply(msg.id, { t: 'ok', of: 'strangers' });
        return;
      }
      const radius = await presence.strangers.optIn(user, c, msg.radius);
      // Place the user at once from the cache (else at the next fix): cells to publish to and hear from.
      if (presence.strangers.publishTarget(user) === null) {
        const own = await presence.cache.get(user);
        if (own) await presence.strangers.moved(user, own.lat, own.lng);
      }
      c.reply(msg.id, { t: 'ok', of: 'strangers', radius });
      return;
    }
    case 'nav_start': {
      const nav = navigationOf(c);
      const last = msg.from ? null : await presence.cache.get(user);
      c.reply(msg.id, await nav.begin(user, msg, last));
      return;
    }
    case 'nav_cancel':
      await navigationOf(c).cancel(user);
      c.reply(msg.id, { t: 'ok', of: 'nav_cancel' });
      return;
    case 'nav_state':
      c.reply(msg.id, await navigationOf(c).state(user));
      return;
    case 'history': {
      if (msg.to < msg.from) throw new LocusError('BAD_MESSAGE', 'to must not be before from', { field: 'to' });
      const page = await presence.history.range(user, msg.from, msg.to, msg.limit ?? 100, msg.cursor);
      const items = page.items.map((l) => (l.acc >= 0 ? { lat: l.lat, lng: l.lng, acc: l.acc, ts: l.ts, at: l.at } : { lat: l.lat, lng: l.lng, ts: l.ts, at: l.at }));
      c.reply(msg.id, page.next !== undefined ? { t: 'history', items, next: page.next } : { t: 'history', items });
      return;
    }
  }
}

/** What follows an accepted location update: navigation, fences, the acknowledgement. */
function locationAccepted(c: Connection, msg: LocationUpdate, accepted: Accepted): void {
  const { live, location } = accepted;
  if (live && c.ctx.navigation) c.ctx.navigation.onLocation(c.user, location.lat, location.lng, location.acc);
  if (live && c.ctx.geo.fences.tracker.active) {
    // Accepted already: a fence evaluation failure is logged, never turned into a failed update.
    c.ctx.geo.fences.tracker.onLocation(c.user, location.lat, location.lng, location.at).catch((err: unknown) => c.ctx.log.warn({ err, user: c.user }, 'fence evaluation failed'));
  }
  if (msg.id === undefined && msg.seq !== undefined && c.format === 'msgpack') c.sendEncoded('ok', encodeLocAck(msg.seq));
  else if (msg.id !== undefined || msg.seq !== undefined) {
    c.reply(msg.id, msg.seq !== undefined ? { t: 'ok', of: 'loc', seq: msg.seq } : { t: 'ok', of: 'loc' });
  }
}

function navigationOf(c: Connection) {
  const nav = c.ctx.navigation;
  if (!nav) throw new LocusError('NOT_FOUND', 'navigation is not available on this gateway (no routing data)');
  return nav;
}
