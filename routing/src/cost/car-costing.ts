import { turnKey, type RoadGraph } from '../graph/road-graph.js';
import { avoidMultipliers, type AvoidOptions } from './avoid.js';
import type { CostModel, TravelTimeModel } from './cost-model.js';
import { BEARING_UNITS, edgeRecords, RESTRICTED_BIT } from './edge-records.js';
import { DEFAULT_TURN_PENALTIES, STRAIGHT_MAX_DEG, U_TURN_MIN_DEG, type TurnPenalties } from './turn-penalties.js';

// Angle thresholds in bearing units, as module-local constants (transpiled ES modules may read
// imported bindings through getters, which a per-relaxation method cannot afford).
const UNITS = BEARING_UNITS;
const HALF_TURN = BEARING_UNITS / 2;
const BEARING_MASK = BEARING_UNITS - 1;
const RESTRICTED = RESTRICTED_BIT;
const STRAIGHT = (STRAIGHT_MAX_DEG / 360) * BEARING_UNITS;
const U_TURN = (U_TURN_MIN_DEG / 360) * BEARING_UNITS;

/**
 * A live-traffic overlay as the costing reads it (the traffic module's LiveSpeedTable fits): per edge,
 * `speed` km/h (NaN = none, 0 = closed) valid until `expires` (ms since the epoch).
 */
export interface LiveSpeeds {
  readonly speed: Float32Array;
  readonly expires: Float64Array;
}

export interface CarCostingOptions {
  turnPenalties?: Partial<TurnPenalties>;
  avoid?: AvoidOptions;
  /** Live speeds that override free-flow speeds until they expire. */
  live?: LiveSpeeds;
  /** Clock for live-speed expiry, ms since the epoch (default Date.now); read once per query. */
  now?: () => number;
  /** Left-hand traffic (UK, Japan…): the right turn is the one across oncoming traffic. */
  leftHandTraffic?: boolean;
}

/**
 * Car costing: travel time at the live speed (when set and not expired) or the free-flow speed,
 * multiplied by avoidance preferences, plus turn penalties by turn angle; banned turns, closed edges
 * and hard-avoided edges are Infinity. Allocation-free per call. The per-graph table it reads (packed
 * edge records) is computed once and shared by every costing of the graph, so a costing per request
 * is cheap.
 *
 * No edge is ever costed below its free-flow time: a live speed above the edge's free-flow speed (its
 * limit) is clamped to it. Traffic only slows a route down, and both lower bounds the searches use —
 * straight-line distance at the fastest free-flow pace, and landmark distances over free-flow times —
 * stay admissible, so the exact searches stay exact under live traffic.
 */
export class CarCosting implements CostModel, TravelTimeModel {
  readonly minSecondsPerMeter: number;
  readonly freeFlowLowerBound = true;
  readonly maxSpeedKmh: number;
  readonly penalties: Readonly<TurnPenalties>;
  private readonly u32: Uint32Array;
  private readonly f32: Float32Array;
  private readonly length: Float32Array;
  private readonly multiplier: Float64Array;
  /** Whether avoid preferences weight any edge: when not, an edge's cost is its travel time. */
  readonly weighted: boolean;
  private readonly banned: ReadonlySet<number>;
  private readonly live: LiveSpeeds | undefined;
  private readonly clock: () => number;
  private readonly straightPenalty: number;
  private readonly leftPenalty: number;
  private readonly rightPenalty: number;
  private readonly uTurnPenalty: number;
  private nowMs: number;

  constructor(
    readonly graph: RoadGraph,
    options: CarCostingOptions = {},
  ) {
    const records = edgeRecords(graph);
    this.u32 = records.u32;
    this.f32 = records.f32;
    this.length = graph.edgeLength;
    this.banned = graph.bannedTurns;
    this.multiplier = avoidMultipliers(options.avoid);
    this.weighted = this.multiplier.some((m) => m !== 1);
    this.live = options.live;
    if (this.live && (this.live.speed.length < graph.edgeCount || this.live.expires.length < graph.edgeCount)) {
      throw new RangeError('live speeds: one slot per edge required');
    }
    this.clock = options.now ?? Date.now;
    this.nowMs = this.clock();
    this.maxSpeedKmh = records.maxSpeedKmh;
    // A hair below the bound: great-circle distances obey the triangle inequality only to rounding.
    this.minSecondsPerMeter = records.minSecondsPerMeter * (1 - 1e-9);
    const p = { ...DEFAULT_TURN_PENALTIES, ...options.turnPenalties };
    for (const [k, v] of Object.entries(p)) if (!(v >= 0)) throw new RangeError(`turn penalty ${k} must be ≥ 0`);
    this.penalties = p;
    this.straightPenalty = p.straight;
    this.uTurnPenalty = p.uTurn;
    this.leftPenalty = options.leftHandTraffic ? p.right : p.left;
    this.rightPenalty = options.leftHandTraffic ? p.left : p.right;
  }

  beginQuery(): void {
    this.nowMs = this.clock();
  }

  /** Seconds at the speed in force (live or free-flow), without preferences: the ETA of the edge. */
  travelSeconds(e: number): number {
    const live = this.live;
    if (live !== undefined) {
      const s = live.speed[e]!;
      // NaN fails every comparison: "no live value" needs no separate test.
      if (s >= 0 && live.expires[e]! > this.nowMs) {
        if (s === 0) return Infinity;
        const t = (this.length[e]! * 3.6) / s;
        const free = this.f32[4 * e + 2]!;
        return t > free ? t : free;
      }
    }
    return this.f32[4 * e + 2]!;
  }

  edgeCost(e: number): number {
    const m = this.multiplier[this.u32[4 * e + 3]! >>> 24]!;
    // Tested first: a zero-length edge times an Infinity multiplier would be NaN.
    return m === Infinity ? Infinity : this.travelSeconds(e) * m;
  }

  /** Whether the edge can be driven at all under this costing (not hard-avoided, not closed): what snapping accepts. */
  usable(e: number): boolean {
    return this.edgeCost(e) !== Infinity;
  }

  turnCost(from: number, to: number): number {
    const u32 = this.u32;
    const fromBits = u32[4 * from + 3]!;
    if ((fromBits & RESTRICTED) !== 0 && this.banned.has(turnKey(from, to))) return Infinity;
    if (u32[4 * to + 1] === u32[4 * from]) return this.uTurnPenalty; // straight back where it came from
    // Signed angle from the end of `from` to the start of `to`, in (-HALF_TURN, HALF_TURN]: > 0 = right.
    let a = (u32[4 * to + 3]! & BEARING_MASK) - ((fromBits >>> 11) & BEARING_MASK);
    if (a > HALF_TURN) a -= UNITS;
    else if (a <= -HALF_TURN) a += UNITS;
    const abs = a < 0 ? -a : a;
    if (abs <= STRAIGHT) return this.straightPenalty;
    if (abs > U_TURN) return this.uTurnPenalty;
    return a > 0 ? this.rightPenalty : this.leftPenalty;
  }
}
