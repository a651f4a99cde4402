/**
 * A reconcile failure that retrying cannot fix (a malformed spec, an unsupported parameter):
 * the controller logs it and drops the key instead of backing off forever. The key is processed
 * again when its object changes, because the informer enqueues it then.
 */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TerminalError";
  }
}

export function isTerminal(err: unknown): boolean {
  return err instanceof TerminalError || (err instanceof Error && err.name === "RequestConstructionError");
}
