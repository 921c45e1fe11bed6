/**
 * Reply adapters passed to `.then()`: module-level functions, so mapping a reply allocates no closure.
 */
export function ignore(): void {}

export function isPositive(n: number): boolean {
  return n > 0;
}

export function isOne(n: number): boolean {
  return n === 1;
}
