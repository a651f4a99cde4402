/**
 * The Kubernetes API client: what every component (controllers, node agent, CLI, dashboard) uses
 * to talk to an API server — ours or a real kube-apiserver — over its published REST protocol.
 *
 * Model
 *   KubeClient      configuration (kubeconfig or explicit) → one transport (keep-alive HTTPS with a
 *                   custom CA and bearer token, or any fetch function) → per-resource clients.
 *                   Several servers of one cluster (`servers`, or the kubeconfig extension
 *                   servers.cistern.io): requests fail over to the next when one stops answering.
 *   ResourceClient  the verbs on one group/version/plural: get, list(+All), create, update,
 *                   updateStatus, patch (merge | strategic | json | apply), delete, watch, and
 *                   subresources. Paths come from resource traits; names are validated so no
 *                   argument can change the path's shape.
 *   Watch           the server's event stream as an async iterable, cancellable, with an idle check.
 *   Informer        list + watch into a cache with indexes and add/update/delete handlers, which
 *                   re-watches and re-lists on its own; InformerFactory shares one per resource.
 *
 * Errors: non-2xx answers throw StatusError (src/api/status.ts) with the server's code, reason,
 * message and details; failures below HTTP throw NetworkError (typed, `retryable`); bad arguments
 * throw RequestConstructionError before anything is sent. Every request has a deadline (watches:
 * until headers arrive, then an idle check).
 */
export { KubeClient, createClient, defaultUserAgent, type ClientOptions } from "./client.js";
export { loadKubeconfig, resolveKubeconfig, KubeconfigError, SERVERS_EXTENSION, type ClientConfig } from "./kubeconfig.js";
export {
  ResourceClient,
  patchContentTypes,
  type CallOptions,
  type DeleteOptions,
  type ListOptions,
  type ListResult,
  type PatchOptions,
  type PatchType,
  type WatchOptions,
  type WriteOptions,
} from "./resource-client.js";
export type { Watch, WatchEvent, BookmarkObject } from "./watch.js";
export {
  NetworkError,
  RequestConstructionError,
  decodeStatusError,
  isAlreadyExists,
  isConflict,
  isGone,
  isNotFound,
  isRetryable,
} from "./errors.js";
export { fetchTransport, type Transport, type TransportRequest, type TransportResponse } from "./transport.js";
export { nodeTransport, type NodeTransportOptions } from "./node-transport.js";
export type { RequestSpec } from "./http.js";
export { apiVersionOf, objectKey, splitKey, type ResourceRef } from "./paths.js";
export { compareResourceVersions } from "./resource-version.js";
export { Backoff, type BackoffOptions } from "./backoff.js";
export { Informer, createInformer, stripManagedFields, type DeleteInfo, type EventHandlers, type InformerOptions } from "./informer.js";
export type { IndexFunc } from "./informer-cache.js";
export { InformerFactory, createInformerFactory, type InformerDefaults, type InformerScope } from "./informer-factory.js";
