/**
 * What a spawner call fails with. SpawnError mirrors what promisified execFile rejects with (callers read `stderr`,
 * `code` and `message`), whichever way the process was started; MountCallError carries the errno of a mount(2) or
 * umount2(2) (or mount(8)'s words when the helper is not in use).
 */

export type SpawnFailure =
  /** ran and exited non-zero or was killed by a signal */
  | "exit"
  /** killed (SIGKILL) at its deadline */
  | "timeout"
  /** could not be started (not found, not executable, no resources) */
  | "start"
  /** wrote more than the output limit; killed */
  | "overflow"
  /** the helper died with the request in flight: whether it ran is unknown */
  | "helper-lost"
  /** refused before anything ran (a shell, a NUL byte) */
  | "refused";

export interface SpawnErrorDetails {
  failure: SpawnFailure;
  /** Exit code (exit), or the errno name (start: "ENOENT" …). */
  code?: number | string;
  signal?: string;
  stdout?: string;
  stderr?: string;
}

export class SpawnError extends Error {
  override readonly name = "SpawnError";
  readonly failure: SpawnFailure;
  readonly code?: number | string;
  readonly signal?: string;
  readonly stdout: string;
  readonly stderr: string;
  readonly killed: boolean;

  constructor(message: string, d: SpawnErrorDetails) {
    super(message);
    this.failure = d.failure;
    this.code = d.code;
    this.signal = d.signal;
    this.stdout = d.stdout ?? "";
    this.stderr = d.stderr ?? "";
    this.killed = d.failure === "timeout" || d.failure === "overflow";
  }
}

export class MountCallError extends Error {
  override readonly name = "MountCallError";
  constructor(
    message: string,
    /** errno name ("EINVAL", "EBUSY" …), or undefined when mount(8) failed and only its message is known. */
    readonly errno?: string,
    /** Which call failed (1-based): the ones before it were made, and the caller may have to undo them. */
    readonly failedStep = 0,
  ) {
    super(message);
  }
}

export function isSpawnError(e: unknown): e is SpawnError {
  return e instanceof SpawnError;
}
