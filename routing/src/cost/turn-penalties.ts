/** Seconds added per turn, by kind. */
export interface TurnPenalties {
  straight: number;
  /** The turn that does not cross oncoming traffic (right where traffic keeps right). */
  right: number;
  /** The turn across oncoming traffic. */
  left: number;
  /**
   * Turning back: into the reverse edge, or sharper than U_TURN_MIN_DEG. Deliberately high, so a
   * u-turn is a last resort (a dead end, or a detour longer than this); banned turns stay banned.
   */
  uTurn: number;
}

export const DEFAULT_TURN_PENALTIES: Readonly<TurnPenalties> = { straight: 0, right: 3, left: 8, uTurn: 300 };

/** |angle| up to this is going straight on. */
export const STRAIGHT_MAX_DEG = 30;
/** |angle| beyond this is turning back. */
export const U_TURN_MIN_DEG = 170;
