/**
 * Artillery processor for the Locus scenarios (presence.yml, nearby.yml, routing.yml), loaded through
 * processor.cjs (tsx, CommonJS mode: hence __dirname). It imports no server code. Every check that fails rejects the step, so artillery counts the virtual user as
 * failed with the reason under `errors.*`; `npm run load:smoke` fails on any of them.
 *
 * Environment: LOCUS_JWT_SECRET (HS256 secret the gateway accepts; the development secret otherwise),
 * LOCUS_JWT_ISSUER / LOCUS_JWT_AUDIENCE (when the gateway checks them), LOCUS_LOAD_TRACES (the GPS
 * traces file, default data/berlin_gps_traces.csv.gz of this repository).
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import jwt from 'jsonwebtoken';
import WebSocket from 'ws';
import { parseTraces, type Track } from '../traces.js';
import { LocusSocket, UnexpectedResponse, type ServerMsg } from './locus-socket.js';
import { checkNearby, checkRoute, MONACO_POINTS } from './http-checks.js';

/** The gateway's built-in development secret (gateway/src/config.ts): only for local runs. */
const DEV_SECRET = 'locus-development-secret-do-not-use-in-production';
const REPLY_MS = 5000;

/** Artillery's event emitter: counters and histograms end up in the report. */
interface Events {
  emit(kind: 'counter' | 'histogram', name: string, value: number): void;
}
interface Context {
  vars: Record<string, unknown>;
  ws?: WebSocket;
}
interface WsArgs {
  target: string;
  subprotocols: string[];
  options: { headers?: Record<string, string> } & Record<string, unknown>;
}
type Done = (err?: Error) => void;

const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;
let users = 0;
let tracks: Track[] | undefined;

function traces(): Track[] {
  const file = process.env.LOCUS_LOAD_TRACES ?? join(__dirname, '..', '..', '..', 'data', 'berlin_gps_traces.csv.gz');
  tracks ??= parseTraces(gunzipSync(readFileSync(file)).toString('utf8')).filter((t) => t.length >= 20);
  return tracks;
}

function token(user: string): string {
  const opts: jwt.SignOptions = { algorithm: 'HS256', expiresIn: 3600 };
  if (process.env.LOCUS_JWT_ISSUER) opts.issuer = process.env.LOCUS_JWT_ISSUER;
  if (process.env.LOCUS_JWT_AUDIENCE) opts.audience = process.env.LOCUS_JWT_AUDIENCE;
  return jwt.sign({ sub: user }, process.env.LOCUS_JWT_SECRET ?? DEV_SECRET, opts);
}

/** http(s)://host → ws(s)://host/v1/ws, unless the target already is a WebSocket URL. */
function wsUrl(target: string): string {
  const u = new URL(target);
  if (u.protocol === 'http:') u.protocol = 'ws:';
  if (u.protocol === 'https:') u.protocol = 'wss:';
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/v1/ws';
  return u.toString();
}

function num(v: unknown, fallback: number): number {
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

// ---- (a) socket presence -------------------------------------------------------------------

/** connect.function: a fresh user per virtual user, a minted JWT, msgpack via subprotocol locus.v1. */
export function connectAsNewUser(wsArgs: WsArgs, context: Context, done: Done): void {
  const user = `load-${runId}-${++users}`;
  context.vars.user = user;
  context.vars.index = users;
  wsArgs.target = wsUrl(wsArgs.target);
  context.vars.wsUrl = wsArgs.target;
  wsArgs.subprotocols = ['locus.v1'];
  wsArgs.options = { ...wsArgs.options, headers: { ...wsArgs.options.headers, authorization: `Bearer ${token(user)}` }, perMessageDeflate: false };
  done();
}

const sessions = new WeakMap<Context, { me: LocusSocket; friend?: LocusSocket; friendWs?: WebSocket }>();

function session(context: Context) {
  const s = sessions.get(context);
  if (!s) throw new UnexpectedResponse('no session: run "welcome" first');
  return s;
}

/**
 * The session works: a `ping` answered by a `pong`. (The `welcome` and `nearby` the server sends on
 * open may arrive before artillery hands the socket to this step, so they are checked on the
 * friend's connection, which this processor opens itself.)
 */
export async function welcome(context: Context, events: Events): Promise<void> {
  const me = new LocusSocket(context.ws!, String(context.vars.user));
  sessions.set(context, { me });
  const pong = await me.request({ t: 'ping' }, REPLY_MS, 'pong');
  if (typeof pong.ts !== 'number') throw new UnexpectedResponse('pong without ts');
  events.emit('counter', 'locus.sessions', 1);
}

/**
 * A friend for this user: a second connection (its own user and token) that the virtual user asks
 * for friendship over the socket and that accepts; it then stands at the start of the user's trace
 * and watches the updates arrive.
 */
export async function makeFriend(context: Context, events: Events): Promise<void> {
  const s = session(context);
  const user = String(context.vars.user);
  const friendUser = `${user}-f`;
  const ws = new WebSocket(String(context.vars.wsUrl), ['locus.v1'], {
    headers: { authorization: `Bearer ${token(friendUser)}` },
    perMessageDeflate: false,
  });
  const friend = new LocusSocket(ws, friendUser);
  s.friend = friend;
  s.friendWs = ws;
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new UnexpectedResponse(`friend upgrade: HTTP ${res.statusCode}`)));
  });
  const w = await friend.next('welcome', (m) => m.t === 'welcome', REPLY_MS);
  if (w.user !== friendUser || w.v !== 1) throw new UnexpectedResponse(`welcome for another user or version`);
  await friend.next('nearby', (m) => m.t === 'nearby', REPLY_MS);
  const asked = await s.me.request({ t: 'friend_request', user: friendUser }, REPLY_MS);
  if (asked.status !== 'requested') throw new UnexpectedResponse(`friend_request: status ${String(asked.status)}`);
  await friend.next('friend_event requested', (m) => m.t === 'friend_event' && m.kind === 'requested' && m.user === user, REPLY_MS);
  await friend.request({ t: 'friend_accept', user }, REPLY_MS);
  await s.me.next('friend_event accepted', (m) => m.t === 'friend_event' && m.kind === 'accepted' && m.user === friendUser, REPLY_MS);
  events.emit('counter', 'locus.friendships', 1);
}

/**
 * Walk a Berlin GPS trace: `updates` points (vars, default 20), one every `intervalMs` (vars, default
 * 1000), each a `loc` with a seq that must be acknowledged, and each must reach the friend as a
 * `friend_loc` carrying the same `ts` (or a `friend_gone` if the walk left the radius).
 */
export async function replayTrace(context: Context, events: Events): Promise<void> {
  const s = session(context);
  const friend = s.friend;
  if (!friend) throw new UnexpectedResponse('no friend: run "makeFriend" first');
  const user = String(context.vars.user);
  const all = traces();
  const track = all[Number(context.vars.index) % all.length]!;
  const updates = num(context.vars.updates, 20);
  const interval = num(context.vars.intervalMs, 1000);
  const start = Math.floor(Math.random() * Math.max(1, track.length - updates));
  const p = track.points;
  await friend.request({ t: 'loc', lat: p[2 * start]!, lng: p[2 * start + 1]!, ts: Date.now() }, REPLY_MS);
  let seq = 0;
  for (let k = 0; k < updates; k++) {
    const i = (start + k) % track.length;
    const ts = Date.now();
    const got = friend.next(
      'friend update',
      (m) => (m.t === 'friend_loc' && m.user === user && m.ts === ts) || (m.t === 'friend_gone' && m.user === user),
      REPLY_MS,
    );
    const ack = await s.me.request({ t: 'loc', lat: p[2 * i]!, lng: p[2 * i + 1]!, ts, seq: ++seq }, REPLY_MS);
    if (ack.seq !== seq) throw new UnexpectedResponse(`loc ${seq} acknowledged as ${String(ack.seq)}`);
    events.emit('counter', 'locus.loc_acked', 1);
    const m: ServerMsg = await got;
    events.emit('counter', m.t === 'friend_loc' ? 'locus.friend_loc' : 'locus.friend_gone', 1);
    if (m.t === 'friend_loc') events.emit('histogram', 'locus.friend_loc_latency_ms', Date.now() - ts);
    s.me.discardExcept((x) => x.t === 'error');
    friend.discardExcept((x) => x.t === 'error');
    const errors = [...s.me.errors(), ...friend.errors()];
    if (errors.length) throw new UnexpectedResponse(`server error: ${JSON.stringify(errors[0])}`);
    if (k + 1 < updates) await new Promise((r) => setTimeout(r, interval));
  }
}

/** Close the friend's connection (artillery closes the virtual user's own). */
export function leave(context: Context, _events: Events, done: Done): void {
  sessions.get(context)?.friendWs?.close(1000);
  done();
}

// ---- (b) nearby search and (c) routing over HTTP -------------------------------------------

interface Req {
  url: string;
}
interface Res {
  statusCode: number;
  body: unknown;
  headers: Record<string, unknown>;
}

/** Before a nearby search: a random point in Monaco, a radius and a limit. */
export function pickSearch(context: Context, _events: Events, done: Done): void {
  const p = MONACO_POINTS[Math.floor(Math.random() * MONACO_POINTS.length)]!;
  context.vars.lat = (p.lat + (Math.random() - 0.5) * 0.004).toFixed(6);
  context.vars.lng = (p.lng + (Math.random() - 0.5) * 0.004).toFixed(6);
  context.vars.radius = [250, 500, 1000, 2000][Math.floor(Math.random() * 4)];
  context.vars.limit = 20;
  done();
}

export function expectNearby(req: Req, res: Res, context: Context, events: Events, done: Done): void {
  const problem = checkNearby(res.statusCode, res.body, Number(context.vars.radius), Number(context.vars.limit));
  if (problem) return done(new UnexpectedResponse(`${req.url}: ${problem}`));
  events.emit('counter', 'locus.search_ok', 1);
  done();
}

/** Before a route request: two distinct Monaco points, both on the road network. */
export function pickRoute(context: Context, _events: Events, done: Done): void {
  const a = Math.floor(Math.random() * MONACO_POINTS.length);
  const b = (a + 1 + Math.floor(Math.random() * (MONACO_POINTS.length - 1))) % MONACO_POINTS.length;
  const [from, to] = [MONACO_POINTS[a]!, MONACO_POINTS[b]!];
  context.vars.from = `${from.lat},${from.lng}`;
  context.vars.to = `${to.lat},${to.lng}`;
  done();
}

export function expectRoute(req: Req, res: Res, _context: Context, events: Events, done: Done): void {
  const problem = checkRoute(res.statusCode, res.body);
  if (problem) return done(new UnexpectedResponse(`${req.url}: ${problem}`));
  events.emit('counter', 'locus.route_ok', 1);
  done();
}
