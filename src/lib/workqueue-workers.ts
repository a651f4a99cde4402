/**
 * N workers draining a work queue. Each worker takes one item, awaits the handler, marks the item
 * done, and repeats until the queue shuts down. The queue's processing set guarantees that two
 * workers never hold the same item.
 */
import type { WorkQueue } from "./workqueue.js";

/**
 * Start `count` workers; resolves when all have exited (after `queue.shutDown()`).
 * A handler that throws does not stop its worker: the error goes to `onError` (default: ignored,
 * since handlers are expected to do their own retry bookkeeping).
 */
export async function runWorkers<T>(
  queue: WorkQueue<T>,
  count: number,
  handle: (item: T) => Promise<void>,
  onError: (err: unknown, item: T) => void = () => {},
): Promise<void> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError("worker count must be a positive integer");
  const worker = async () => {
    for (;;) {
      const item = await queue.get();
      if (item === undefined) return;
      try {
        await handle(item);
      } catch (err) {
        onError(err, item);
      } finally {
        queue.done(item);
      }
    }
  };
  await Promise.all(Array.from({ length: count }, worker));
}
