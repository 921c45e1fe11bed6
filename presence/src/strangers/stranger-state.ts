import type { WheelItem } from '../expiry-wheel.js';
import { emptyCover, type CellCover } from './stranger-cells.js';
import type { StrangerSink, StrangerState } from './stranger-sink.js';

const RESOLVED: Promise<void> = Promise.resolve();

/**
 * A stranger this gateway heard recently (remote or local), one object per user however many local users
 * it is shown to: its position is stored once per update and its silence timer is one wheel entry.
 */
export class HeardStranger implements StrangerState, WheelItem {
  lat = 0;
  lng = 0;
  ts = 0;
  at = 0;
  expiresAt = 0;
  wheelSlot = -1;
  /** Local users currently told this stranger is within their radius (mirror of OptedInUser.shown). */
  readonly shownTo = new Set<OptedInUser>();

  constructor(readonly user: string) {}
}

/** One subscribed cell channel, shared by every local user whose circle touches the cell. */
export class CellSub {
  readonly members: OptedInUser[] = [];
  /** Resolves when the engine subscription is active. */
  ready: Promise<void> = RESOLVED;

  constructor(
    readonly channel: string,
    readonly row: number,
    readonly col: number,
  ) {}
}

/** A local user who opted in: publisher on its own cell and receiver on the cells around it. */
export class OptedInUser {
  readonly sinks: StrangerSink[] = [];
  hasLoc = false;
  lat = 0;
  lng = 0;
  /** Cells whose channel this user holds a reference to, by channel. */
  readonly cells = new Map<string, CellSub>();
  /** Cells wanted for the current position and radius; `cells` catches up while subscribing. */
  readonly cover: CellCover = emptyCover();
  /** false until the first cover, and after a failed subscription (the next move retries). */
  coverValid = false;
  /** Strangers this user was last told are within the radius (mirror of HeardStranger.shownTo). */
  readonly shown = new Map<string, HeardStranger>();
  /** Own cell and its channel, cached: a channel name is built only when the user changes cell. */
  ownRow = -1;
  ownCol = -1;
  ownChannel: string | null = null;
  /** Channel of the last location published: "left" and "gone" go there, so they follow it in order. */
  lastPublished: string | null = null;
  /** Fan-out pass that last handled this user: a user reached twice in one pass is handled once. */
  stamp = 0;
  /** Set by optOut; a subscription finishing later must not undo it. */
  optedOut = false;

  constructor(
    readonly id: string,
    public radius: number,
  ) {}
}
