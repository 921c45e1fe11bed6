import { EngineError } from './errors.js';

/**
 * The closed flag every operation of an engine checks first, so that after close() each operation
 * rejects with the same ENGINE_CLOSED error instead of whatever the backend happens to do then.
 */
export class OpenGate {
  private isClosed = false;

  /** `what` names the engine in the error message ("memory engine", "redis engine (redis://…)"). */
  constructor(private readonly what: string) {}

  get closed(): boolean {
    return this.isClosed;
  }

  /** Returns true only for the first call, so close() can be idempotent. */
  close(): boolean {
    if (this.isClosed) return false;
    this.isClosed = true;
    return true;
  }

  error(): EngineError {
    return new EngineError('ENGINE_CLOSED', `${this.what} is closed`);
  }

  /** For async methods: throws when closed. */
  check(): void {
    if (this.isClosed) throw this.error();
  }

  /** For non-async (hot path) methods that return a backend promise directly. */
  rejection<T>(): Promise<T> {
    return Promise.reject(this.error());
  }
}
