/**
 * The web dashboard: the guide's picture EFS ← PersistentVolume ← PersistentVolumeClaim ← Pod,
 * drawn live, with EFS usage over time and the events stream. Served by the API server under
 * /ui/ (same port, same TLS), so the browser only ever talks to one origin.
 *
 * Model
 *   - The page (src/dashboard/web, React + uPlot, built by Vite into dist/dashboard/) asks for a
 *     bearer token, keeps it in sessionStorage, and lists + watches PVs, PVCs, pods, events and
 *     nodes through the Kubernetes API itself; its state is the pure model in ./model
 *     (applyWatchEvents → buildTopology → layoutTopology), tested without a browser.
 *   - What the Kubernetes API does not carry comes from this package's server side, mounted into
 *     the API server with createDashboardHandler: EFS usage and I/O (sampled from the EFS service
 *     with the cluster's EFS credentials into a bounded in-memory history) and `cistern explain`
 *     answers (a function the entry point passes in).
 *
 * Invariants
 *   - Every /ui/api/ request needs the same bearer token the Kubernetes API needs; what is read
 *     with the cluster's own credentials (EFS usage, explain) also needs `authorize` (default:
 *     system:masters only). The static page is public and holds no data.
 *   - No request path ever becomes a file path: the built files are listed once, without following
 *     symlinks, and requests are looked up in that list.
 *   - Memory is bounded: usage history keeps `historyCapacity` samples, the page keeps the newest
 *     EVENT_LIMIT events.
 */
export { createDashboardHandler, defaultAssetsDir, MASTERS_GROUP, type DashboardAccess, type DashboardHandler, type DashboardOptions, type DashboardUser } from "./server/handler.js";
export type { EfsAccess } from "./server/efs-reader.js";
export type { ExplainAnswer, ExplainKind, Explainer } from "./server/explain-route.js";
export type { EfsUsageReport, UsageHistory, UsageSample, IoCounters } from "./model/usage-types.js";
