/** CreateMountTarget, DescribeMountTargets, DeleteMountTarget, and the mount target security groups. */
import { emptyResponse, jsonResponse } from "../http/types.js";
import type { Handler } from "./context.js";
import { bodyFields, queryInt, queryString } from "./input.js";
import { mountTargetDescription } from "./serialize.js";

export const createMountTarget: Handler = ({ req, parts }) => {
  const b = bodyFields(req);
  b.str("Ipv6Address");
  b.str("IpAddressType"); // accepted; only IPv4 addresses are synthesised
  const mt = parts.model.mountTargets.create({
    fileSystemId: b.str("FileSystemId", true),
    subnetId: b.str("SubnetId", true),
    ipAddress: b.str("IpAddress"),
    securityGroups: b.strList("SecurityGroups"),
  });
  return jsonResponse(200, mountTargetDescription(parts.scope, mt));
};

export const describeMountTargets: Handler = ({ req, parts }) => {
  const marker = queryString(req, "Marker");
  const page = parts.model.mountTargets.describe({
    fileSystemId: queryString(req, "FileSystemId"),
    mountTargetId: queryString(req, "MountTargetId"),
    accessPointId: queryString(req, "AccessPointId"),
    marker,
    maxItems: queryInt(req, "MaxItems"),
  });
  return jsonResponse(200, { Marker: marker, MountTargets: page.items.map((mt) => mountTargetDescription(parts.scope, mt)), NextMarker: page.next });
};

export const deleteMountTarget: Handler = ({ params, parts }) => {
  parts.model.mountTargets.delete(params.MountTargetId);
  return emptyResponse(204);
};

export const describeMountTargetSecurityGroups: Handler = ({ params, parts }) => {
  return jsonResponse(200, { SecurityGroups: parts.model.mountTargets.get(params.MountTargetId).securityGroups });
};
