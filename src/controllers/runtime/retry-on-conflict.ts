/**
 * Optimistic-concurrency retry, as client-go's retry.RetryOnConflict with DefaultRetry: run `fn`;
 * on 409 Conflict wait briefly and run it again, up to `steps` attempts. `fn` receives the attempt
 * number so the first attempt can use an object it already holds and later ones re-read it.
 * Any other error, or a conflict on the last attempt, is thrown unchanged.
 */
import { isConflict } from "../../client/index.js";

export interface RetryOptions {
  /** Attempts in total (default 5). */
  steps?: number;
  /** First wait in ms (default 10). */
  initialMs?: number;
  /** Multiplier per attempt (default 1: a constant wait, as DefaultRetry). */
  factor?: number;
  /** Random spread added to each wait, as a fraction (default 0.1). */
  jitter?: number;
}

export async function retryOnConflict<R>(fn: (attempt: number) => Promise<R>, options: RetryOptions = {}): Promise<R> {
  const steps = options.steps ?? 5;
  let wait = options.initialMs ?? 10;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isConflict(err) || attempt >= steps - 1) throw err;
    }
    await new Promise((r) => setTimeout(r, wait * (1 + Math.random() * (options.jitter ?? 0.1))));
    wait *= options.factor ?? 1;
  }
}
