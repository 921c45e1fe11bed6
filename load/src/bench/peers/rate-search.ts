/**
 * The search for a stack's sustained rate: the highest offered rate whose step keeps up.
 *
 * First a ramp: `from`, then ×`factor` per step, until a step fails or `steps` ran. With `refine`
 * > 0 the bracket the ramp ended in (the last step that kept up, the first that did not) is then
 * narrowed by that many geometric bisections. A coarse ramp refined this way reaches the precision of
 * a fine ramp in a fraction of the steps (×1.5 and 6 bisections: within 0.7 %, in about ten steps
 * where ×1.05 takes dozens), so one stack's figure takes a minute or two, and repeated runs of
 * every stack fit in one sitting. That matters on a host whose speed drifts over minutes: the
 * shorter each stack's measurement, the less of the drift lands between two stacks compared.
 *
 * Each probe stands alone: a rate that passes raises the lower bound, one that fails lowers the upper
 * bound. A brief stall therefore costs one probe (the upper bound falls to it); the ramp alone ends
 * at its first failure either way.
 */
export class RateSearch {
  /** Highest rate that kept up, if any. */
  private lo: number | undefined;
  /** Lowest rate that did not keep up, once one failed. */
  private hi: number | undefined;
  private pending: number | undefined;
  private rampSteps = 0;
  private refinements = 0;

  constructor(
    from: number,
    private readonly factor: number,
    private readonly steps: number,
    private readonly refine: number,
  ) {
    if (!(from > 0) || !Number.isFinite(from)) throw new RangeError(`the first rate must be a positive number, not ${from}`);
    if (!(factor > 1) || !Number.isFinite(factor)) throw new RangeError(`the ramp factor must be above 1, not ${factor}`);
    if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`ramp steps must be a whole number ≥ 0, not ${steps}`);
    if (!Number.isInteger(refine) || refine < 0) throw new RangeError(`refinements must be a whole number ≥ 0, not ${refine}`);
    this.pending = steps > 0 ? from : undefined;
  }

  /** The rate to probe next, or undefined when the search is over. */
  next(): number | undefined {
    return this.pending;
  }

  /** The outcome of probing `next()`. */
  record(kept: boolean): void {
    const rate = this.pending;
    if (rate === undefined) throw new Error('RateSearch: no probe is pending');
    if (kept) this.lo = rate;
    else this.hi = rate;
    if (this.hi === undefined) {
      // Still ramping.
      this.rampSteps++;
      this.pending = this.rampSteps >= this.steps ? undefined : rate * this.factor;
      return;
    }
    // No lower bound means the very first step failed: nothing is sustained and there is no bracket.
    if (this.lo === undefined || this.refinements >= this.refine) {
      this.pending = undefined;
      return;
    }
    this.refinements++;
    this.pending = Math.sqrt(this.lo * this.hi);
  }

  /** Highest probed rate that kept up (undefined if none did). */
  get sustained(): number | undefined {
    return this.lo;
  }

  /** Lowest probed rate that did not keep up (undefined if every probe did). */
  get failed(): number | undefined {
    return this.hi;
  }
}
