/** CreateAccessPoint, DescribeAccessPoints, DeleteAccessPoint. */
import { emptyResponse, jsonResponse } from "../http/types.js";
import type { Handler } from "./context.js";
import { bodyFields, queryInt, queryString } from "./input.js";
import { accessPointDescription } from "./serialize.js";

export const createAccessPoint: Handler = ({ req, parts }) => {
  const b = bodyFields(req);
  const posix = b.obj("PosixUser");
  const root = b.obj("RootDirectory");
  const creation = root?.obj("CreationInfo");
  const { accessPoint, created } = parts.model.accessPoints.create({
    clientToken: b.str("ClientToken", true),
    fileSystemId: b.str("FileSystemId", true),
    tags: b.tags(),
    posixUser: posix ? { uid: posix.num("Uid", true), gid: posix.num("Gid", true), secondaryGids: posix.numList("SecondaryGids") ?? [] } : undefined,
    rootDirectory: root
      ? {
          path: root.str("Path"),
          creationInfo: creation
            ? { ownerUid: creation.num("OwnerUid", true), ownerGid: creation.num("OwnerGid", true), permissions: creation.str("Permissions", true) }
            : undefined,
        }
      : undefined,
  });
  // A fresh access point is reported as AWS reports it at this point; a repeated request sees it settled.
  return jsonResponse(200, accessPointDescription(parts.scope, accessPoint, created ? "creating" : "available"));
};

export const describeAccessPoints: Handler = ({ req, parts }) => {
  const page = parts.model.accessPoints.describe({
    accessPointId: queryString(req, "AccessPointId"),
    fileSystemId: queryString(req, "FileSystemId"),
    nextToken: queryString(req, "NextToken"),
    maxResults: queryInt(req, "MaxResults"),
  });
  return jsonResponse(200, { AccessPoints: page.items.map((ap) => accessPointDescription(parts.scope, ap)), NextToken: page.next });
};

export const deleteAccessPoint: Handler = ({ params, parts }) => {
  parts.model.accessPoints.delete(params.AccessPointId);
  return emptyResponse(204);
};
