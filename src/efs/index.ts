/**
 * EFS-compatible file service: the Amazon EFS REST-JSON API (2015-02-01) as `@aws-sdk/client-efs`, the
 * AWS CLI or boto3 speak it, over file systems that are directories on this machine, plus a small
 * signed extension the Cistern data plane uses to mount them. Knows nothing of Kubernetes.
 *
 * Model and invariants
 * - Every request is signed with SigV4 for service `elasticfilesystem` by the service's one credential
 *   pair; there is no anonymous access (GET /metrics may be delegated to `metricsAuthorizer`).
 * - A file system is a directory; an access point is a (POSIX identity, root directory) view of it whose
 *   root is created lazily at the first mount; mount targets are bookkeeping (no network exists here).
 * - A 2xx (or any reply) leaves only after the metadata it reflects is durable: SQLite in WAL mode with
 *   synchronous=FULL, group-committed, every reply waits for the commit.
 * - No path from a request is ever string-joined and trusted: names are validated by pattern, then
 *   resolved one component at a time without following symlinks; removal never crosses a mount point.
 * - Sizes follow EFS's metering rule (2 KiB per object + data in 4 KiB steps) from a background walk,
 *   never more than ~60 s old while walks stay quick.
 *
 * Data directory layout
 *   <dataDir>/meta.db (+ -wal, -shm)   metadata: file systems, access points, mount targets, policies, mounts
 *   <dataDir>/credentials.json         generated credentials when none are given (mode 0600)
 *   <dataDir>/fs/                      mode 0711
 *   <dataDir>/fs/<fs-id>/              a file system's root directory, root:root 0755
 *   <dataDir>/trash/                   deleted file systems' trees while they are being removed
 *
 * Cistern mount extension (not AWS; SigV4-signed the same way)
 *   POST   /cistern/v1/mounts  {FileSystemId, AccessPointId?, Path?, PrincipalArn?, SecureTransport, ReadOnly?, NodeId?}
 *          → 200 {MountId, FileSystemId, AccessPointId?, Path, HostPath, ReadOnly, RootSquash, PosixUser?, NodeId?, CreatedAt}
 *          Errors: FileSystemNotFound / AccessPointNotFound 404, AccessDeniedException 403 (policy denies
 *          ClientMount), MountFailed 409 (root missing without CreationInfo, symlink, not a directory,
 *          no search permission), BadRequest 400 (Path with "..", AP of another file system).
 *   GET    /cistern/v1/mounts?FileSystemId=&NodeId=   → {Mounts: [...]}
 *   DELETE /cistern/v1/mounts/{MountId}               → 204; MountNotFound 404 when already released
 *   POST   /cistern/v1/mounts/{MountId}/io  {DataReadIOBytes, DataWriteIOBytes, MetadataIOBytes,
 *          DataReadOps, DataWriteOps, MetadataOps} (deltas, non-negative integers) → 200 {}
 *   GET    /cistern/v1/usage?FileSystemId=&Refresh=true → UsageReport (render with formatUsage)
 *   GET    /metrics                                   Prometheus text
 */
export { startEfsService, type EfsService, type EfsServiceOptions } from "./service.js";
export type { MetricsRequest } from "./handlers/context.js";
export type { Credentials } from "./persistence/credentials.js";
export type { EfsLimits } from "./model/state.js";
export { DEFAULT_LIMITS } from "./model/state.js";
export type { EfsModel } from "./model/model.js";
export { DEFAULT_FILE_SYSTEM_NAME } from "./model/model.js";
export { formatUsage, formatBytes, type UsageReport, type FileSystemUsage, type AccessPointUsage } from "./metering/usage-report.js";
export type { FileSystemSize } from "./metering/meter.js";
export { SIGNING_SERVICE } from "./http/dispatch.js";
export { verifySigV4, type SigV4Request, type SigV4Options, type SigV4Result, type SigV4FailureKind } from "./sigv4/verify.js";
export { EfsError } from "./errors.js";
