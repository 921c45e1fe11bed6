import type { Landmarks } from './landmarks.js';
import { MAX_PHANTOMS } from './phantom.js';
import { UNREACHED } from './node-dijkstra.js';

/** Landmarks consulted per query: the few best for it do nearly all the work, at a fraction of the reads. */
const MAX_ACTIVE = 4;

/**
 * Per-query landmark lower bounds (see Landmarks), in seconds, to the target anchors and from the
 * source anchors (as NodePotentials defines anchors). The landmarks consulted are the MAX_ACTIVE
 * whose bound is tightest between the first source and target anchors.
 *
 * A bound a landmark cannot give (a node it does not reach or is not reached from) is skipped: that
 * only happens for nodes that cannot lie on a route between the anchors.
 */
export class LandmarkBounds {
  private lm: Landmarks | null = null;
  private k = 0;
  private na = 0;
  private readonly active = new Int32Array(MAX_ACTIVE);
  // Per anchor j and active landmark a, at [j · MAX_ACTIVE + a]: d(L, anchor) and d(anchor, L), ms.
  private readonly tFrom = new Float64Array(MAX_PHANTOMS * MAX_ACTIVE);
  private readonly tTo = new Float64Array(MAX_PHANTOMS * MAX_ACTIVE);
  private readonly sFrom = new Float64Array(MAX_PHANTOMS * MAX_ACTIVE);
  private readonly sTo = new Float64Array(MAX_PHANTOMS * MAX_ACTIVE);
  private nt = 0;
  private ns = 0;

  get enabled(): boolean {
    return this.lm !== null;
  }

  begin(lm: Landmarks | null, sourceAnchors: ArrayLike<number>, targetAnchors: ArrayLike<number>): void {
    this.lm = lm;
    if (lm === null) return;
    const k = (this.k = lm.count);
    const d = lm.dist;
    // Rank the landmarks by the bound they give between the first anchors.
    const s = sourceAnchors[0]!;
    const t = targetAnchors[0]!;
    const score = (i: number): number => {
      const ls = d[s * 2 * k + i]!;
      const lt = d[t * 2 * k + i]!;
      const sl = d[s * 2 * k + k + i]!;
      const tl = d[t * 2 * k + k + i]!;
      let b = -1;
      if (ls !== UNREACHED && lt !== UNREACHED) b = Math.max(b, lt - ls);
      if (sl !== UNREACHED && tl !== UNREACHED) b = Math.max(b, sl - tl);
      return b;
    };
    const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => score(b) - score(a));
    this.na = Math.min(MAX_ACTIVE, k);
    for (let a = 0; a < this.na; a++) this.active[a] = order[a]!;
    this.nt = this.fillAnchors(targetAnchors, this.tFrom, this.tTo);
    this.ns = this.fillAnchors(sourceAnchors, this.sFrom, this.sTo);
  }

  /** Lower bound on the seconds from node v to the nearest target anchor. */
  toTarget(v: number): number {
    return this.bound(v, this.tFrom, this.tTo, this.nt, 1);
  }

  /** Lower bound on the seconds from the nearest source anchor to node v. */
  fromSource(v: number): number {
    return this.bound(v, this.sFrom, this.sTo, this.ns, -1);
  }

  /**
   * min over anchors of max over active landmarks of, toward an anchor (sign 1):
   *   d(L, anchor) − d(L, v)  and  d(v, L) − d(anchor, L)
   * and from an anchor (sign −1) the mirrored pair. Never below 0.
   */
  private bound(v: number, from: Float64Array, to: Float64Array, n: number, sign: number): number {
    const d = this.lm!.dist;
    const k = this.k;
    const base = v * 2 * k;
    let best = Infinity;
    for (let j = 0; j < n; j++) {
      let b = 0;
      for (let a = 0; a < this.na; a++) {
        const i = this.active[a]!;
        const lv = d[base + i]!;
        const vl = d[base + k + i]!;
        const la = from[j * MAX_ACTIVE + a]!;
        const al = to[j * MAX_ACTIVE + a]!;
        if (lv !== UNREACHED && la !== Infinity) {
          const x = sign * (la - lv);
          if (x > b) b = x;
        }
        if (vl !== UNREACHED && al !== Infinity) {
          const x = sign * (vl - al);
          if (x > b) b = x;
        }
      }
      if (b < best) best = b;
    }
    return best / 1000;
  }

  private fillAnchors(anchors: ArrayLike<number>, from: Float64Array, to: Float64Array): number {
    const d = this.lm!.dist;
    const k = this.k;
    for (let j = 0; j < anchors.length; j++) {
      const base = anchors[j]! * 2 * k;
      for (let a = 0; a < this.na; a++) {
        const i = this.active[a]!;
        const la = d[base + i]!;
        const al = d[base + k + i]!;
        from[j * MAX_ACTIVE + a] = la === UNREACHED ? Infinity : la;
        to[j * MAX_ACTIVE + a] = al === UNREACHED ? Infinity : al;
      }
    }
    return anchors.length;
  }
}
