/**
 * The route table: method + path pattern → operation name and handler. AWS paths and success codes are
 * those of the `@aws-sdk/client-efs` operation schemas; literal paths come before patterns that would
 * also match them. AWS operations not implemented here answer UnsupportedOperation (400); paths that are
 * no operation at all answer UnknownOperationException (404).
 */
import { createAccessPoint, deleteAccessPoint, describeAccessPoints } from "./handlers/access-points.js";
import { describeAccountPreferences, unsupported } from "./handlers/account.js";
import type { Handler } from "./handlers/context.js";
import { createFileSystem, deleteFileSystem, describeFileSystems, updateFileSystem } from "./handlers/file-systems.js";
import { metrics } from "./handlers/metrics.js";
import { createMount, deleteMount, listMounts, reportIo, usage } from "./handlers/mounts.js";
import { createMountTarget, deleteMountTarget, describeMountTargetSecurityGroups, describeMountTargets } from "./handlers/mount-targets.js";
import { deleteFileSystemPolicy, describeFileSystemPolicy, putFileSystemPolicy } from "./handlers/policy.js";
import { createTags, deleteTags, describeTags, listTagsForResource, tagResource, untagResource } from "./handlers/tags.js";

export interface Route {
  method: string;
  pattern: string;
  operation: string;
  handler: Handler;
  /** "metrics": decided by the metrics authorizer when one is configured; everything else is SigV4. */
  auth?: "metrics";
}

const V = "/2015-02-01";

function op(method: string, pattern: string, operation: string, handler: Handler): Route {
  return { method, pattern, operation, handler };
}

function notImplemented(method: string, pattern: string, operation: string): Route {
  return op(method, pattern, operation, unsupported(operation));
}

export const ROUTES: Route[] = [
  op("POST", `${V}/file-systems`, "CreateFileSystem", createFileSystem),
  op("GET", `${V}/file-systems`, "DescribeFileSystems", describeFileSystems),
  notImplemented("GET", `${V}/file-systems/replication-configurations`, "DescribeReplicationConfigurations"),
  op("PUT", `${V}/file-systems/{FileSystemId}`, "UpdateFileSystem", updateFileSystem),
  op("DELETE", `${V}/file-systems/{FileSystemId}`, "DeleteFileSystem", deleteFileSystem),
  op("PUT", `${V}/file-systems/{FileSystemId}/policy`, "PutFileSystemPolicy", putFileSystemPolicy),
  op("GET", `${V}/file-systems/{FileSystemId}/policy`, "DescribeFileSystemPolicy", describeFileSystemPolicy),
  op("DELETE", `${V}/file-systems/{FileSystemId}/policy`, "DeleteFileSystemPolicy", deleteFileSystemPolicy),
  notImplemented("GET", `${V}/file-systems/{FileSystemId}/lifecycle-configuration`, "DescribeLifecycleConfiguration"),
  notImplemented("PUT", `${V}/file-systems/{FileSystemId}/lifecycle-configuration`, "PutLifecycleConfiguration"),
  notImplemented("GET", `${V}/file-systems/{FileSystemId}/backup-policy`, "DescribeBackupPolicy"),
  notImplemented("PUT", `${V}/file-systems/{FileSystemId}/backup-policy`, "PutBackupPolicy"),
  notImplemented("PUT", `${V}/file-systems/{FileSystemId}/protection`, "UpdateFileSystemProtection"),
  notImplemented("POST", `${V}/file-systems/{FileSystemId}/replication-configuration`, "CreateReplicationConfiguration"),
  notImplemented("DELETE", `${V}/file-systems/{FileSystemId}/replication-configuration`, "DeleteReplicationConfiguration"),

  op("POST", `${V}/access-points`, "CreateAccessPoint", createAccessPoint),
  op("GET", `${V}/access-points`, "DescribeAccessPoints", describeAccessPoints),
  op("DELETE", `${V}/access-points/{AccessPointId}`, "DeleteAccessPoint", deleteAccessPoint),

  op("POST", `${V}/mount-targets`, "CreateMountTarget", createMountTarget),
  op("GET", `${V}/mount-targets`, "DescribeMountTargets", describeMountTargets),
  op("DELETE", `${V}/mount-targets/{MountTargetId}`, "DeleteMountTarget", deleteMountTarget),
  op("GET", `${V}/mount-targets/{MountTargetId}/security-groups`, "DescribeMountTargetSecurityGroups", describeMountTargetSecurityGroups),
  notImplemented("PUT", `${V}/mount-targets/{MountTargetId}/security-groups`, "ModifyMountTargetSecurityGroups"),

  op("POST", `${V}/resource-tags/{ResourceId}`, "TagResource", tagResource),
  op("DELETE", `${V}/resource-tags/{ResourceId}`, "UntagResource", untagResource),
  op("GET", `${V}/resource-tags/{ResourceId}`, "ListTagsForResource", listTagsForResource),
  op("POST", `${V}/create-tags/{FileSystemId}`, "CreateTags", createTags),
  op("POST", `${V}/delete-tags/{FileSystemId}`, "DeleteTags", deleteTags),
  op("GET", `${V}/tags/{FileSystemId}`, "DescribeTags", describeTags),

  op("GET", `${V}/account-preferences`, "DescribeAccountPreferences", describeAccountPreferences),
  notImplemented("PUT", `${V}/account-preferences`, "PutAccountPreferences"),

  op("POST", "/cistern/v1/mounts", "CisternMount", createMount),
  op("GET", "/cistern/v1/mounts", "CisternListMounts", listMounts),
  op("DELETE", "/cistern/v1/mounts/{MountId}", "CisternUnmount", deleteMount),
  op("POST", "/cistern/v1/mounts/{MountId}/io", "CisternReportIo", reportIo),
  op("GET", "/cistern/v1/usage", "CisternUsage", usage),
  { method: "GET", pattern: "/metrics", operation: "Metrics", handler: metrics, auth: "metrics" },
];

interface CompiledRoute {
  route: Route;
  segments: string[];
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

/** Matches a raw (percent-encoded) path against the table; labels come back decoded. */
export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(routes: Route[] = ROUTES) {
    this.compiled = routes.map((route) => ({ route, segments: route.pattern.split("/").slice(1) }));
  }

  match(method: string, rawPath: string): RouteMatch | undefined {
    const segments = rawPath.split("/").slice(1);
    for (const { route, segments: pattern } of this.compiled) {
      if (route.method !== method || pattern.length !== segments.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < pattern.length && ok; i++) {
        const p = pattern[i];
        if (p.startsWith("{")) {
          let value: string;
          try {
            value = decodeURIComponent(segments[i]);
          } catch {
            ok = false;
            break;
          }
          ok = value !== "";
          params[p.slice(1, -1)] = value;
        } else {
          ok = p === segments[i];
        }
      }
      if (ok) return { route, params };
    }
    return undefined;
  }
}
