import calculateSlot from 'cluster-key-slot';

/** Redis Cluster's hash slots: CRC16 of the key (or of its `{hash tag}`) modulo 16384. */
export const SLOT_COUNT = 16_384;

export function slotOf(key: string): number {
  return calculateSlot(key);
}

const tagCache = new Map<number, string>();

/**
 * A short hash tag whose key lands in `slot`: the readiness probe needs one channel per shard, and a
 * channel lands on a shard only through its slot. Found by trying `p0`, `p1`, … (about 16k CRC16s
 * per slot asked for, once per process).
 */
export function tagForSlot(slot: number): string {
  if (!Number.isInteger(slot) || slot < 0 || slot >= SLOT_COUNT) throw new RangeError(`invalid slot ${slot}`);
  const cached = tagCache.get(slot);
  if (cached !== undefined) return cached;
  for (let i = 0; ; i++) {
    const tag = `p${i}`;
    if (calculateSlot(tag) === slot) {
      tagCache.set(slot, tag);
      return tag;
    }
  }
}

/** Sorted slots as compact ranges ("0-5460,10923"): a shard's identity within one topology. */
export function slotRanges(slots: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < slots.length; ) {
    let j = i;
    while (j + 1 < slots.length && slots[j + 1] === slots[j]! + 1) j++;
    parts.push(i === j ? String(slots[i]) : `${slots[i]}-${slots[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
