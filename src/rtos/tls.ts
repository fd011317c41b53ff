// Task-local storage, after POSIX thread-specific data: a key is created
// once, each task holds its own value for it, and the key's destructor runs
// with the task's value when the task ends. The kernel host keeps each RTOS
// task's kernel task in such a key and frees it from the destructor.

/** The part of a task TLS needs (kept structural so tls.ts has no import cycle). */
export interface TlsOwner {
  readonly id: number;
  readonly tls: Map<number, unknown>;
}

export type TlsDestructor<T> = (value: T, task: TlsOwner) => void | Promise<void>;

/** POSIX PTHREAD_DESTRUCTOR_ITERATIONS: destructors may set values again, this many rounds at most. */
export const DESTRUCTOR_ROUNDS = 4;

let nextKeyId = 1;
/** Live keys in creation order; destructors run in this order. */
const keys = new Map<number, TlsKey<unknown>>();

export class TlsKey<T> {
  readonly id = nextKeyId++;
  private deleted = false;

  constructor(
    /** For diagnostics only. */
    readonly name: string,
    readonly destructor?: TlsDestructor<T>,
  ) {
    keys.set(this.id, this as TlsKey<unknown>);
  }

  get(task: TlsOwner): T | undefined {
    return task.tls.get(this.id) as T | undefined;
  }

  /** Setting undefined clears the value (its destructor then does not run). */
  set(task: TlsOwner, value: T | undefined): void {
    this.check();
    if (value === undefined) task.tls.delete(this.id);
    else task.tls.set(this.id, value);
  }

  has(task: TlsOwner): boolean {
    return task.tls.has(this.id);
  }

  /** Forget the key; values stay in tasks but destructors no longer run (as pthread_key_delete). */
  delete(): void {
    this.deleted = true;
    keys.delete(this.id);
  }

  private check(): void {
    if (this.deleted) throw new Error(`TLS key ${this.name} was deleted`);
  }
}

export function createTlsKey<T>(name: string, destructor?: TlsDestructor<T>): TlsKey<T> {
  return new TlsKey<T>(name, destructor);
}

/**
 * Called by the scheduler when a task ends: for every key with a value, clear
 * the value and call the destructor with it. Errors are reported and do not
 * stop the other destructors.
 */
export async function runTlsDestructors(task: TlsOwner, onError: (e: unknown) => void): Promise<void> {
  for (let round = 0; round < DESTRUCTOR_ROUNDS && task.tls.size > 0; round++) {
    for (const key of [...keys.values()]) {
      if (!task.tls.has(key.id)) continue;
      const value = task.tls.get(key.id);
      task.tls.delete(key.id);
      if (!key.destructor) continue;
      try {
        await key.destructor(value, task);
      } catch (e) {
        onError(e);
      }
    }
  }
  task.tls.clear();
}
