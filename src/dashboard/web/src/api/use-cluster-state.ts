/** React hook: the cluster state kept current by one list+watch per resource. */
import { useEffect, useReducer, useState } from "react";
import { applyWatchEvents, emptyClusterState, replaceResource, type ClusterState, type WatchEventLike, type WatchedResource } from "../../../model/cluster-state.js";
import { watchResource, type WatchStatus } from "./watch-client.js";

export const COLLECTION_PATHS: Record<WatchedResource, string> = {
  persistentvolumes: "/api/v1/persistentvolumes",
  persistentvolumeclaims: "/api/v1/persistentvolumeclaims",
  pods: "/api/v1/pods",
  events: "/api/v1/events",
  nodes: "/api/v1/nodes",
};

type Action = { type: "list"; resource: WatchedResource; items: unknown[] } | { type: "events"; resource: WatchedResource; events: WatchEventLike[] };

function reduce(state: ClusterState, a: Action): ClusterState {
  return a.type === "list" ? replaceResource(state, a.resource, a.items) : applyWatchEvents(state, a.resource, a.events);
}

export type ConnectionState = Partial<Record<WatchedResource, { status: WatchStatus; error?: string }>>;

export function useClusterState(token: string, onUnauthorized: () => void): { state: ClusterState; connection: ConnectionState } {
  const [state, dispatch] = useReducer(reduce, undefined, emptyClusterState);
  const [connection, setConnection] = useState<ConnectionState>({});
  useEffect(() => {
    const stops = (Object.keys(COLLECTION_PATHS) as WatchedResource[]).map((resource) =>
      watchResource(token, COLLECTION_PATHS[resource], {
        onList: (items) => dispatch({ type: "list", resource, items }),
        onEvents: (events) => dispatch({ type: "events", resource, events }),
        onStatus: (status, error) => setConnection((c) => ({ ...c, [resource]: { status, error } })),
        onUnauthorized,
      }));
    return () => stops.forEach((stop) => stop());
  }, [token, onUnauthorized]);
  return { state, connection };
}
