/**
 * Token → postings, the inverted half of the index. A posting is entryId * 4 + field bits (see
 * FIELD_MAIN / FIELD_NAME), so one array answers both "which entries" and "in which field".
 */
export class PostingsBuilder {
  private readonly lists = new Map<string, number[]>();

  /** Entries must be added in increasing id order, each token once per entry: lists stay sorted. */
  add(token: string, entryId: number, fields: number): void {
    const p = entryId * 4 + fields;
    const list = this.lists.get(token);
    if (list) list.push(p);
    else this.lists.set(token, [p]);
  }

  build(): Map<string, Uint32Array> {
    const out = new Map<string, Uint32Array>();
    for (const [t, list] of this.lists) out.set(t, Uint32Array.from(list));
    return out;
  }
}

export function postingEntry(p: number): number {
  return p >>> 2;
}

export function postingFields(p: number): number {
  return p & 3;
}

/**
 * The tokens in sorted order, for prefix lookups: the tokens starting with "ant" are one contiguous
 * run, found by two binary searches. Built once per index; a lookup allocates nothing.
 */
export class TokenDictionary {
  readonly tokens: readonly string[];
  /** Postings of tokens[i], aligned with tokens (no Map lookup while expanding a prefix). */
  readonly lists: readonly Uint32Array[];

  constructor(postings: ReadonlyMap<string, Uint32Array>) {
    const tokens = [...postings.keys()].sort();
    this.tokens = tokens;
    this.lists = tokens.map((t) => postings.get(t)!);
  }

  /** First index whose token is >= s. */
  private lowerBound(s: string): number {
    let lo = 0;
    let hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.tokens[mid]! < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** [start, end) of the tokens starting with prefix. */
  prefixRange(prefix: string): [number, number] {
    const start = this.lowerBound(prefix);
    // Every token with the prefix sorts before prefix + U+FFFF.
    const end = this.lowerBound(prefix + '\uffff');
    return [start, end];
  }
}
