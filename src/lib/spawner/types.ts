/** The shapes of the spawner's calls, shared by the helper and the direct way. */

export interface RunOptions {
  /** Killed (SIGKILL) after this long; default 30 s. */
  timeoutMs?: number;
}

export interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * A program started in its own session (it outlives this process and the helper), stdin and stdout /dev/null,
 * stderr appended to `stderrPath` (opened O_NOFOLLOW, created 0600), and fd 3 a pipe whose text comes back once the
 * program closes it (or exits).
 */
export interface DetachedStart {
  file: string;
  args: string[];
  stderrPath: string;
  /** After this long the program's process group is killed and timedOut is set. */
  timeoutMs: number;
}

export interface DetachedResult {
  pid: number;
  /** Everything written to fd 3 (at most 4 KiB through the helper). */
  text: string;
  timedOut: boolean;
}
