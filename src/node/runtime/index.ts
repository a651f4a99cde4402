/**
 * node/runtime: runs a node's containers with runc (what the kubelet gets from a CRI runtime).
 *
 * Model. Everything lives under one rootDir: images/ (rootfs + config per image), containers/<id>/ (record,
 * bundle, logs, the shim's state file), runc/ (runc's --root). A container is started by a detached cistern-shim
 * (native/shim) that holds its stdout/stderr, writes the CRI log and records the exit code; the agent only reads
 * those files and asks runc, so it can be killed at any time and a new Runtime over the same rootDir re-adopts
 * every container. A container whose creator died between create and start is
 * reported `created` with `abandoned` set: it never ran and nothing will start it. Each pod has a sandbox container owning its IPC/UTS namespaces (hostname = pod name); pods use
 * the host network; ensurePodSandbox starts it ahead of the first container (the agent does so while the pod's
 * volumes are mounted). Containers run on an overlayfs over the read-only image rootfs.
 *
 * Invariants.
 *   - No shell: runc, mount calls and the shim get argument vectors. They go through lib/spawner's helper process,
 *     so the agent's (possibly large) process never forks; without the helper the same calls are made directly.
 *   - User-influenced paths (volume subPaths, image tar entries, log files) only touch the disk through safe-path:
 *     no symlink is followed, nothing outside its root is written, volumes are bind-mounted by fd.
 *   - Images with a symlinked /dev, /proc or /sys are refused (runc CVE-2026-41579); nothing is pulled from a
 *     registry: busybox is built from the host binary, other images are imported from tarballs.
 *   - Removing a container never deletes through a mount: its directory is deleted only once nothing is mounted in it.
 *   - runc's known vulnerabilities are reported at start (runtime.warnings, logged at warn level).
 */
export { createRuntime, Runtime, type RuntimeOptions } from "./runtime.js";
export { RuntimeError, isRuntimeError, type RuntimeErrorCode } from "./errors.js";
export type { ContainerSpec, MountSpec, PodRef, SecurityContext } from "./container-spec.js";
export type { ContainerStatus, ContainerState } from "./status.js";
export type { ExecOptions, ExecProcess } from "./exec.js";
export type { LogOptions } from "./logs.js";
export type { ImageConfig, ImageInfo, ImageProgress, ProgressFn } from "./image-types.js";
export { parseImageRef, isBusyboxRef, type ImageRef } from "./image-ref.js";
export { knownVulnerabilities, parseRuncVersion, type RuncVersion, type Vulnerability } from "./runc-version.js";
