/**
 * spawner: how Cistern starts child processes and makes mount calls without forking its own (large) process.
 *
 * Model. One small helper process, native/spawner's cistern-spawner, runs beside each Cistern process and does the
 * forking: `run` (a program to completion, output captured), `startDetached` (a program in its own session that
 * outlives us, e.g. a container shim; the text it writes on fd 3 comes back), and `mount` / `unmount` (mount(2) and
 * umount2(2) made in a forked child of the helper, no mount(8) at all). Requests and answers are length-prefixed
 * fields over a pipe. Forking the helper costs tens of microseconds; forking a Node process of a few hundred MB
 * blocks its event loop for milliseconds up to tens of milliseconds.
 *
 * Invariants.
 *   - No shell: programs get argument vectors (execve, PATH searched by hand without the shell fallback); shells as
 *     the program are refused, NUL bytes are refused.
 *   - The helper is started on first use and again on the next call after it dies; a call in flight when it dies
 *     fails (failure "helper-lost") and is not retried, since whether it ran is unknown. When the helper cannot run
 *     (not built, wrong protocol version, dying repeatedly) the same calls are made directly from this process, with
 *     the same results and errors.
 *   - Detached programs are in their own session either way, so killing this process or the helper leaves them be.
 *   - Mount calls are named operations (MountOp), never raw flags; a bind's source is never canonicalised, so a
 *     /proc/<pid>/fd/N source stays the object the caller opened (the caller still verifies dev+inode afterwards).
 */
export { Spawner, type SpawnerOptions, type SpawnerStats } from "./spawner.js";
export { defaultSpawner, configureSpawner, defaultHelperPath } from "./default.js";
export { SpawnError, MountCallError, isSpawnError, type SpawnFailure } from "./errors.js";
export type { MountOp, NewMountFlag } from "./mount-ops.js";
export type { RunOptions, RunResult, DetachedStart, DetachedResult } from "./types.js";
export { PROTOCOL_VERSION } from "./helper-process.js";
