/**
 * The Cistern extension routes (not AWS operations; signed like everything else):
 *   POST   /cistern/v1/mounts                 mount → MountId, HostPath, ReadOnly, RootSquash, PosixUser
 *   GET    /cistern/v1/mounts?FileSystemId=&NodeId=   list active mounts
 *   DELETE /cistern/v1/mounts/{MountId}       release
 *   POST   /cistern/v1/mounts/{MountId}/io    I/O deltas from the client side, feeding the metrics
 *   GET    /cistern/v1/usage?FileSystemId=&Refresh=true   the usage report (`cistern efs usage`)
 */
import { BadRequest } from "../errors.js";
import { emptyResponse, jsonResponse } from "../http/types.js";
import { buildUsageReport } from "../metering/usage-report.js";
import type { IoReport } from "../metrics/efs-metrics.js";
import type { Handler } from "./context.js";
import { bodyFields, queryString } from "./input.js";
import { mountDescription } from "./serialize.js";

export const createMount: Handler = ({ req, parts }) => {
  const b = bodyFields(req);
  const m = parts.model.mounts.mount({
    fileSystemId: b.str("FileSystemId", true),
    accessPointId: b.str("AccessPointId"),
    path: b.str("Path"),
    principalArn: b.str("PrincipalArn"),
    secureTransport: b.bool("SecureTransport", true),
    readOnly: b.bool("ReadOnly"),
    nodeId: b.str("NodeId"),
  });
  return jsonResponse(200, mountDescription(m));
};

export const listMounts: Handler = ({ req, parts }) => {
  const mounts = parts.model.mounts.list({ fileSystemId: queryString(req, "FileSystemId"), nodeId: queryString(req, "NodeId") });
  return jsonResponse(200, { Mounts: mounts.map(mountDescription) });
};

export const deleteMount: Handler = ({ params, parts }) => {
  parts.model.mounts.release(params.MountId);
  return emptyResponse(204);
};

const IO_FIELDS = ["DataReadIOBytes", "DataWriteIOBytes", "MetadataIOBytes", "DataReadOps", "DataWriteOps", "MetadataOps"] as const;

export const reportIo: Handler = ({ req, params, parts }) => {
  const m = parts.model.mounts.get(params.MountId);
  const b = bodyFields(req);
  const report = {} as IoReport;
  for (const name of IO_FIELDS) {
    const v = b.num(name) ?? 0;
    if (!Number.isSafeInteger(v) || v < 0) throw new BadRequest(`${name} must be a non-negative integer.`);
    report[name] = v;
  }
  parts.metrics.recordIo(m.fsId, report);
  return jsonResponse(200, {});
};

export const usage: Handler = async ({ req, parts }) => {
  const fsId = queryString(req, "FileSystemId");
  const id = fsId === undefined ? undefined : parts.model.fileSystems.get(fsId).id;
  if (queryString(req, "Refresh") === "true") await parts.meter.refresh(id);
  return jsonResponse(200, buildUsageReport(parts.model, parts.meter, id));
};
