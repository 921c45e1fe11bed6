import {
  CLOSE_CODES,
  encodeServerMessageTransient,
  FriendLocFrame,
  type LocusError,
  type ProtocolVersion,
  type RequestId,
  type ServerMessage,
  type WireFormat,
} from '@locus/protocol';
import type {
  FenceFired,
  FriendEventKind,
  FriendState,
  GoneReason,
  PresenceSink,
  StrangerGoneReason,
  StrangerSink,
  StrangerState,
  UserSettings,
} from '@locus/presence';
import type { GatewayContext } from '../context.js';
import type { WebSocket } from '../uws.js';
import type { BucketState } from './token-bucket.js';

interface PendingUpdate {
  friend: FriendState;
  d: number;
}

/** Re-encodes coalesced updates on flush; only used under backpressure. */
const flushFrame = new FriendLocFrame();

/**
 * One WebSocket connection: the uWS user data and the presence sink. Everything is a field or a
 * prototype method, so an idle connection costs one small object.
 */
export class Connection implements PresenceSink, StrangerSink, BucketState {
  ws: WebSocket<unknown> | null = null;
  closed = false;
  /** token_expiring already sent for the current token. */
  warned = false;
  tokens: number;
  refilledAt: number;
  /** Consecutive messages refused by the rate limit. */
  limited = 0;
  /** Consecutive messages that failed to decode or validate. */
  bad = 0;
  /** Requests of this connection still being handled (waiting on the engine). */
  inflight = 0;
  /** Newest update per friend held back while the socket is backpressured (null when none). */
  pending: Map<string, PendingUpdate> | null = null;
  pendingSince = 0;
  /** The client applies `nav_patch` (it connected with `patch=1`): closure reroutes come as changes. */
  routePatches = false;
  /** Its own uWS topic (see OwnTopics), made on the first friend update. */
  topic: Uint8Array | null = null;

  constructor(
    readonly ctx: GatewayContext,
    readonly user: string,
    public exp: number,
    readonly version: ProtocolVersion,
    readonly format: WireFormat,
    now: number,
  ) {
    this.tokens = ctx.config.limits.burst;
    this.refilledAt = now;
  }

  /**
   * Send a message that must not be dropped; a consumer too far behind is cut off instead. While the
   * gateway's SendBatch holds (a closure's answers), the frame is sent with the others at its end.
   */
  send(msg: ServerMessage): void {
    if (!this.ws || this.closed) return;
    // uWS copies the frame before send returns, and the batch copies it: the encoder's reused buffer is free again after either.
    this.sendEncoded(msg.t, encodeServerMessageTransient(msg, this.format));
  }

  /** Send a message already encoded in this connection's format (`type`: its `t`, for the counts). */
  sendEncoded(type: ServerMessage['t'], data: Uint8Array | string): void {
    if (!this.ws || this.closed) return;
    this.ctx.metrics.countOut(type);
    const batch = this.ctx.sends;
    if (batch.holding) batch.add(this, data);
    else this.sendFrame(data);
  }

  /** Write one encoded frame (SendBatch's target); a consumer too far behind is cut off instead. */
  sendFrame(data: Uint8Array | string): void {
    const ws = this.ws;
    if (!ws || this.closed) return;
    if (ws.getBufferedAmount() > this.ctx.config.limits.hardBackpressure) {
      this.close(CLOSE_CODES.SLOW_CONSUMER, 'slow consumer');
      return;
    }
    const status = ws.send(data, typeof data !== 'string');
    if (status === 2) this.close(CLOSE_CODES.SLOW_CONSUMER, 'slow consumer');
  }

  reply(id: RequestId, msg: ServerMessage): void {
    if (id !== undefined) (msg as { id?: RequestId }).id = id;
    this.send(msg);
  }

  error(id: RequestId, err: LocusError): void {
    this.ctx.metrics.errors.labels(err.code).inc();
    const msg: ServerMessage = { t: 'error', code: err.code, message: err.message };
    if (err.details) msg.details = err.details;
    this.reply(id, msg);
  }

  close(code: number, reason: string): void {
    const ws = this.ws;
    if (!ws || this.closed) return;
    this.closed = true;
    this.ctx.metrics.closes.labels(String(code)).inc();
    ws.end(code, reason);
  }

  // ---- PresenceSink ----

  friendLocation(friend: FriendState, d: number, frame: FriendLocFrame): void {
    const ws = this.ws;
    if (!ws || this.closed) {
      this.ctx.metrics.dropped.labels('closed').inc();
      return;
    }
    const m = this.ctx.metrics;
    // Under backpressure only a friend's newest position matters: hold it, replacing an older one.
    if (this.pending !== null || ws.getBufferedAmount() > this.ctx.config.limits.softBackpressure) {
      this.hold(friend, d);
      return;
    }
    const topics = this.ctx.topics;
    if (topics !== null) {
      const topic = this.topic ?? (this.topic = topics.open(ws));
      if (this.format === 'msgpack') topics.publish(topic, frame.withDistance(d), true);
      else topics.publish(topic, JSON.stringify(friendLocMessage(friend, d)), false);
    } else if (this.format === 'msgpack') ws.send(frame.withDistance(d), true);
    else ws.send(JSON.stringify(friendLocMessage(friend, d)), false);
    m.hot.deliveries++;
  }

  friendGone(user: string, reason: GoneReason): void {
    // A held update for this friend would resurrect them after the "gone".
    if (this.pending?.delete(user) && this.pending.size === 0) this.pending = null;
    this.send({ t: 'friend_gone', user, reason });
  }

  friendEvent(kind: FriendEventKind, user: string): void {
    this.send({ t: 'friend_event', kind, user });
  }

  settingsChanged(settings: UserSettings): void {
    this.send({ t: 'settings', radius: settings.radius });
  }

  fenceEvent(user: string, f: FenceFired): void {
    this.send(f.name !== undefined ? { t: 'fence_event', fence: f.fence, kind: f.event, user, at: f.at, name: f.name } : { t: 'fence_event', fence: f.fence, kind: f.event, user, at: f.at });
  }

  // ---- StrangerSink ----

  strangerLocation(s: StrangerState, d: number): void {
    const ws = this.ws;
    // Strangers are best effort: under backpressure drop (the stranger's next fix supersedes it)
    // rather than hold, so the friends' coalescing budget is theirs alone.
    if (!ws || this.closed || ws.getBufferedAmount() > this.ctx.config.limits.softBackpressure) {
      this.ctx.metrics.hot.droppedStale++;
      return;
    }
    this.send({ t: 'stranger_loc', user: s.user, lat: s.lat, lng: s.lng, ts: s.ts, d });
  }

  strangerGone(user: string, reason: StrangerGoneReason): void {
    this.send({ t: 'stranger_gone', user, reason });
  }

  /** uWS drain: send what was held back, newest state of each friend, while there is room. */
  flush(): void {
    const ws = this.ws;
    const pending = this.pending;
    if (!ws || this.closed || pending === null) return;
    const soft = this.ctx.config.limits.softBackpressure;
    const m = this.ctx.metrics;
    for (const [user, p] of pending) {
      if (ws.getBufferedAmount() > soft) {
        // Progress was made: the slow-consumer clock measures time without any drain.
        this.pendingSince = Date.now();
        return;
      }
      pending.delete(user);
      if (this.format === 'msgpack') {
        const f = p.friend;
        flushFrame.encode(f.user, f.lat, f.lng, f.acc, f.ts);
        ws.send(flushFrame.withDistance(p.d), true);
      } else ws.send(JSON.stringify(friendLocMessage(p.friend, p.d)), false);
      m.hot.deliveries++;
    }
    this.pending = null;
  }

  private hold(friend: FriendState, d: number): void {
    if (this.pending === null) {
      this.pending = new Map();
      this.pendingSince = Date.now();
    }
    const prev = this.pending.get(friend.user);
    if (prev) {
      prev.d = d;
      this.ctx.metrics.hot.droppedStale++;
    } else this.pending.set(friend.user, { friend, d });
  }
}

function friendLocMessage(f: FriendState, d: number): ServerMessage {
  const msg: ServerMessage = { t: 'friend_loc', user: f.user, lat: f.lat, lng: f.lng, ts: f.ts, d };
  if (f.acc >= 0) msg.acc = f.acc;
  return msg;
}
