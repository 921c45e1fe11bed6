/**
 * onError / onState listeners. A throwing listener is contained: it must not break the engine's
 * event handling (which runs inside socket callbacks for Redis) or starve the other listeners.
 */
export class ListenerSet<T> {
  private readonly listeners: ((value: T) => void)[] = [];

  add(listener: (value: T) => void): void {
    this.listeners.push(listener);
  }

  emit(value: T): void {
    for (const listener of this.listeners) {
      try {
        listener(value);
      } catch {
        // Nowhere sensible to report a failing error/state listener; swallowing keeps the engine alive.
      }
    }
  }
}
