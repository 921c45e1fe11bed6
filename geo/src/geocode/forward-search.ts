import { haversineMeters } from '../distance.js';
import type { TokenDictionary } from './postings.js';
import type { QueryTerm } from './query.js';
import { FIELD_MAIN, FIELD_NAME, KIND_STREET, type GeocodeData } from './types.js';

export interface Hit {
  id: number;
  score: number;
}

/** Address > street > place when the text matches equally well. */
const KIND_FACTOR = [1, 0.97, 0.94] as const;
/** A prefix match is worth 0.6..0.9 of an exact one, more as the typed part covers more of the word. */
const PREFIX_BASE = 0.6;
const PREFIX_SPAN = 0.3;
/** What an article or preposition ("la", "des") is worth when it matches: a tie-breaker. */
const OPTIONAL_WEIGHT = 0.1;
/** What a house number the street lacks is worth, against 1 for a matched word. */
const FORGIVEN_HOUSENUMBER = 0.7;
/** How far a `near` point moves a score: at most 10 % off, far away; 5 % off at ~1.4 km; none at the point. */
const NEAR_WEIGHT = 0.1;
const NEAR_SCALE_M = 2000;

/**
 * Forward search over the inverted index. Per-entry accumulators are typed arrays sized to the index
 * and reused by every query: a generation stamp marks which slots belong to the current query, so
 * nothing is cleared or allocated per query except the answer. Not re-entrant (a query runs to the
 * end synchronously), which is all a single JS thread needs.
 */
export class ForwardSearch {
  private readonly stamp: Uint32Array;
  private gen = 0;
  /** Required terms matched, house-number terms matched, optional terms matched. */
  private readonly required: Uint8Array;
  private readonly houseHits: Uint8Array;
  private readonly optionalHits: Uint8Array;
  /** Required terms matched in the main field, the name field, either of them. */
  private readonly mainHits: Uint8Array;
  private readonly nameHits: Uint8Array;
  private readonly anyHits: Uint8Array;
  /** Sum of each matched required term's best weight. */
  private readonly weight: Float32Array;
  /** Index of the last term that touched the entry, its weight and field bits (to keep the best per term). */
  private readonly lastTerm: Int8Array;
  private readonly termWeight: Float32Array;
  private readonly termFields: Uint8Array;
  private readonly touched: Uint32Array;
  private touchedCount = 0;

  constructor(
    private readonly data: GeocodeData,
    private readonly dict: TokenDictionary,
  ) {
    const n = data.kind.length;
    this.stamp = new Uint32Array(n);
    this.required = new Uint8Array(n);
    this.houseHits = new Uint8Array(n);
    this.optionalHits = new Uint8Array(n);
    this.mainHits = new Uint8Array(n);
    this.nameHits = new Uint8Array(n);
    this.anyHits = new Uint8Array(n);
    this.weight = new Float32Array(n);
    this.lastTerm = new Int8Array(n);
    this.termWeight = new Float32Array(n);
    this.termFields = new Uint8Array(n);
    this.touched = new Uint32Array(n);
  }

  search(terms: readonly QueryTerm[], limit: number, near?: { lat: number; lng: number }): Hit[] {
    this.begin();
    let requiredTerms = 0;
    let optionalTerms = 0;
    let houseTerms = 0;
    terms.forEach((term, ti) => {
      if (term.optional) optionalTerms++;
      else requiredTerms++;
      if (!term.optional && term.housenumber) houseTerms++;
      this.matchTerm(term, ti);
    });
    return this.rank(requiredTerms + OPTIONAL_WEIGHT * optionalTerms, houseTerms, limit, near);
  }

  private begin(): void {
    this.touchedCount = 0;
    if (this.gen === 0xffffffff) {
      this.stamp.fill(0);
      this.gen = 0;
    }
    this.gen++;
  }

  private matchTerm(term: QueryTerm, ti: number): void {
    for (const form of term.forms) {
      const list = this.data.postings.get(form);
      if (list) this.visitList(list, ti, 1, term);
    }
    if (term.prefix === null) return;
    const [start, end] = this.dict.prefixRange(term.prefix);
    for (let i = start; i < end; i++) {
      const token = this.dict.tokens[i]!;
      if (token === term.prefix) continue; // exact: already counted through forms (or no such form)
      this.visitList(this.dict.lists[i]!, ti, PREFIX_BASE + (PREFIX_SPAN * term.prefix.length) / token.length, term);
    }
    // An exact token equal to the typed prefix that is not among the forms ("av" → forms [avenue]).
    if (!term.forms.includes(term.prefix)) {
      const list = this.data.postings.get(term.prefix);
      if (list) this.visitList(list, ti, 1, term);
    }
  }

  private visitList(list: Uint32Array, ti: number, w: number, term: QueryTerm): void {
    for (let k = 0; k < list.length; k++) {
      const p = list[k]!;
      this.visit(p >>> 2, p & 3, ti, w, term);
    }
  }

  private visit(id: number, fields: number, ti: number, w: number, term: QueryTerm): void {
    if (this.stamp[id] !== this.gen) {
      this.stamp[id] = this.gen;
      this.required[id] = 0;
      this.houseHits[id] = 0;
      this.optionalHits[id] = 0;
      this.mainHits[id] = 0;
      this.nameHits[id] = 0;
      this.anyHits[id] = 0;
      this.weight[id] = 0;
      this.lastTerm[id] = -1;
      this.touched[this.touchedCount++] = id;
    }
    if (term.optional) {
      if (this.lastTerm[id] !== ti) {
        this.lastTerm[id] = ti;
        this.optionalHits[id]!++;
      }
      return;
    }
    if (this.lastTerm[id] !== ti) {
      // First match of this term for this entry.
      this.lastTerm[id] = ti;
      this.termWeight[id] = w;
      this.termFields[id] = fields;
      this.required[id]!++;
      if (term.housenumber) this.houseHits[id]!++;
      this.weight[id]! += w;
      if (fields & FIELD_MAIN) this.mainHits[id]!++;
      if (fields & FIELD_NAME) this.nameHits[id]!++;
      if (fields & (FIELD_MAIN | FIELD_NAME)) this.anyHits[id]!++;
      return;
    }
    // The same term again through another form or prefix token: keep the best weight, add new fields.
    if (w > this.termWeight[id]!) {
      this.weight[id]! += w - this.termWeight[id]!;
      this.termWeight[id] = w;
    }
    const added = fields & ~this.termFields[id]!;
    if (added & FIELD_MAIN) this.mainHits[id]!++;
    if (added & FIELD_NAME) this.nameHits[id]!++;
    if ((this.termFields[id]! & (FIELD_MAIN | FIELD_NAME)) === 0 && fields & (FIELD_MAIN | FIELD_NAME)) this.anyHits[id]!++;
    this.termFields[id]! |= fields;
  }

  /**
   * Required terms an entry satisfies. A street also "satisfies" a house number it cannot have, as
   * long as it matched some other word: "12 quai antoine 1er" without that address point still
   * finds the quay.
   */
  private effective(id: number, houseTerms: number): number {
    const r = this.required[id]!;
    if (this.data.kind[id] !== KIND_STREET) return r;
    const h = this.houseHits[id]!;
    return r - h > 0 ? r + (houseTerms - h) : r;
  }

  /** `termWeight`: what a perfect match adds up to (required terms + OPTIONAL_WEIGHT per optional one). */
  private rank(termWeight: number, houseTerms: number, limit: number, near?: { lat: number; lng: number }): Hit[] {
    // Entries matching every required term if there are any, else those matching the most.
    let target = 0;
    for (let i = 0; i < this.touchedCount; i++) {
      const e = this.effective(this.touched[i]!, houseTerms);
      if (e > target) target = e;
    }
    if (target === 0) return [];
    const top: Hit[] = [];
    for (let i = 0; i < this.touchedCount; i++) {
      const id = this.touched[i]!;
      const eff = this.effective(id, houseTerms);
      if (eff !== target) continue;
      const score = this.score(id, termWeight, eff - this.required[id]!, near);
      insertTop(top, limit, id, score);
    }
    return top;
  }

  private score(id: number, termWeight: number, forgiven: number, near?: { lat: number; lng: number }): number {
    const d = this.data;
    const matched = this.weight[id]! + forgiven * FORGIVEN_HOUSENUMBER + OPTIONAL_WEIGHT * this.optionalHits[id]!;
    const quality = matched / termWeight;
    const coverage = this.coverage(id);
    // Tie-breaker: fewer unexplained tokens (postcode, city, other words) is a closer match.
    const tokens = d.tokenCount[id]!;
    const precision = tokens > 0 ? Math.min(1, (this.required[id]! + this.optionalHits[id]!) / tokens) : 0;
    let s = quality * (0.7 + 0.25 * coverage + 0.05 * precision) * KIND_FACTOR[d.kind[id] as 0 | 1 | 2];
    if (near) {
      const m = haversineMeters(near.lat, near.lng, d.lat[id]!, d.lng[id]!);
      s *= 1 - NEAR_WEIGHT + NEAR_WEIGHT * Math.exp(-m / NEAR_SCALE_M);
    }
    return s;
  }

  /**
   * How much of the entry the query accounts for, 0..1: "quai antoine 1er" is the quay rather than
   * an address on it. An address has two names (house number + street, and the name of the place
   * there): either may be what the query spells, or both together. Each candidate field scores its
   * own coverage times the share of the matched words that fall in it, so "rue du jardin exotique"
   * is not mistaken for "Jardin Exotique, 20 Rue du Château" (name covered, but "rue" lies elsewhere).
   */
  private coverage(id: number): number {
    const d = this.data;
    const any = this.anyHits[id]!;
    if (any === 0) return 0;
    const mainSlots = d.mainSlots[id]!;
    const nameSlots = d.nameSlots[id]!;
    const main = mainSlots > 0 ? (Math.min(mainSlots, this.mainHits[id]!) / mainSlots) * (this.mainHits[id]! / any) : 0;
    const name = nameSlots > 0 ? (Math.min(nameSlots, this.nameHits[id]!) / nameSlots) * (this.nameHits[id]! / any) : 0;
    const both = Math.min(1, any / (mainSlots + nameSlots));
    return Math.max(main, name, both);
  }
}

/** Keep the best `limit` hits, best first (score, then lower id for a stable order). */
function insertTop(top: Hit[], limit: number, id: number, score: number): void {
  if (top.length === limit) {
    const worst = top[limit - 1]!;
    if (score < worst.score || (score === worst.score && id > worst.id)) return;
    top.pop();
  }
  let i = top.length;
  while (i > 0) {
    const prev = top[i - 1]!;
    if (prev.score > score || (prev.score === score && prev.id < id)) break;
    i--;
  }
  top.splice(i, 0, { id, score });
}
