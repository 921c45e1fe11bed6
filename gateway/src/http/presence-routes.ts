import { haversineMeters } from '@locus/geo';
import { LocusError, USER_ID_PATTERN, type FriendLocation } from '@locus/protocol';
import { z } from 'zod';
import type { HttpCall, Route } from './http-types.js';
import { me, parseBody as parse } from './route-helpers.js';

const UserBody = z.object({ user: z.string().regex(USER_ID_PATTERN, 'user id: 1-128 of A-Z a-z 0-9 _ . @ : -') });
const SettingsBody = z.object({ radius: z.number().finite().min(1).max(1_000_000) });

function param(call: HttpCall, name: string): string {
  const v = call.params[name] ?? '';
  if (!USER_ID_PATTERN.test(v)) throw new LocusError('BAD_REQUEST', `${name}: not a valid user id`);
  return v;
}

function numberQuery(call: HttpCall, name: string, fallback: number): number {
  const raw = call.query.get(name);
  if (raw === null || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new LocusError('BAD_REQUEST', `${name}: must be a number`, { field: name });
  return v;
}

/** The REST face of presence: the same operations as the socket, for servers and tools. */
export const presenceRoutes: Route[] = [
  {
    method: 'GET',
    path: '/v1/me',
    handler: (call) => ({ status: 200, body: { user: me(call), exp: call.identity?.exp } }),
  },
  {
    method: 'GET',
    path: '/v1/friends',
    handler: async (call) => ({ status: 200, body: await call.ctx.presence.graph.lists(me(call)) }),
  },
  {
    method: 'POST',
    path: '/v1/friends/requests',
    body: true,
    async handler(call) {
      const user = me(call);
      const { user: other } = parse(UserBody, call.body);
      const status = await call.ctx.presence.graph.request(user, other);
      if (status === 'accepted') await call.ctx.presence.hub.applyLocal(user, { kind: 'accepted', user: other });
      return { status: 200, body: { status } };
    },
  },
  {
    method: 'POST',
    path: '/v1/friends/requests/:user/accept',
    async handler(call) {
      const user = me(call);
      const other = param(call, 'user');
      await call.ctx.presence.graph.accept(user, other);
      await call.ctx.presence.hub.applyLocal(user, { kind: 'accepted', user: other });
      return { status: 200, body: { status: 'accepted' } };
    },
  },
  {
    method: 'POST',
    path: '/v1/friends/requests/:user/decline',
    async handler(call) {
      await call.ctx.presence.graph.decline(me(call), param(call, 'user'));
      return { status: 200, body: { status: 'declined' } };
    },
  },
  {
    method: 'DELETE',
    path: '/v1/friends/:user',
    async handler(call) {
      const user = me(call);
      const other = param(call, 'user');
      await call.ctx.presence.graph.remove(user, other);
      await call.ctx.presence.hub.applyLocal(user, { kind: 'removed', user: other });
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/v1/friends/nearby',
    // From the location cache, so it works whether or not the user is connected to this gateway.
    async handler(call) {
      const user = me(call);
      const { presence } = call.ctx;
      const [friends, own, settings] = await Promise.all([
        presence.graph.friendsOf(user),
        presence.cache.get(user),
        presence.settings.get(user),
      ]);
      if (!own) return { status: 200, body: { friends: [], radius: settings.radius, located: false } };
      const locs = await presence.cache.getMany(friends);
      const out: FriendLocation[] = [];
      friends.forEach((f, i) => {
        const l = locs[i];
        if (!l) return;
        const d = haversineMeters(own.lat, own.lng, l.lat, l.lng);
        if (d > settings.radius) return;
        const item: FriendLocation = { user: f, lat: l.lat, lng: l.lng, ts: l.ts, d };
        if (l.acc >= 0) item.acc = l.acc;
        out.push(item);
      });
      out.sort((a, b) => a.d - b.d);
      return { status: 200, body: { friends: out, radius: settings.radius, located: true } };
    },
  },
  {
    method: 'GET',
    path: '/v1/settings',
    handler: async (call) => ({ status: 200, body: await call.ctx.presence.settings.get(me(call)) }),
  },
  {
    method: 'PUT',
    path: '/v1/settings',
    body: true,
    async handler(call) {
      const user = me(call);
      const patch = parse(SettingsBody, call.body);
      const s = await call.ctx.presence.settings.update(user, patch);
      await call.ctx.presence.hub.applyLocal(user, { kind: 'settings', user });
      return { status: 200, body: s };
    },
  },
  {
    method: 'GET',
    path: '/v1/history',
    async handler(call) {
      const user = me(call);
      const now = Date.now();
      const from = numberQuery(call, 'from', now - 3_600_000);
      const to = numberQuery(call, 'to', now);
      const limit = numberQuery(call, 'limit', 100);
      if (to < from) throw new LocusError('BAD_REQUEST', 'to must not be before from', { field: 'to' });
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new LocusError('BAD_REQUEST', 'limit: 1..1000', { field: 'limit' });
      const cursor = call.query.get('cursor') ?? undefined;
      const page = await call.ctx.presence.history.range(user, from, to, limit, cursor);
      return {
        status: 200,
        body: {
          items: page.items.map((l) => ({ lat: l.lat, lng: l.lng, ...(l.acc >= 0 ? { acc: l.acc } : {}), ts: l.ts, at: l.at })),
          ...(page.next !== undefined ? { next: page.next } : {}),
        },
      };
    },
  },
];
