/** CreateFileSystem, DescribeFileSystems, UpdateFileSystem, DeleteFileSystem. */
import { BadRequest } from "../errors.js";
import { emptyResponse, jsonResponse } from "../http/types.js";
import type { PerformanceMode, ThroughputMode } from "../model/types.js";
import { describeFileSystem, type Handler } from "./context.js";
import { bodyFields, queryInt, queryString } from "./input.js";

const PERFORMANCE_MODES = ["generalPurpose", "maxIO"];
const THROUGHPUT_MODES = ["bursting", "provisioned", "elastic"];

function oneOf<T extends string>(value: string | undefined, allowed: string[], member: string): T | undefined {
  if (value !== undefined && !allowed.includes(value)) throw new BadRequest(`${member} must be one of ${allowed.join(", ")}; got '${value}'.`);
  return value as T | undefined;
}

export const createFileSystem: Handler = ({ req, parts }) => {
  const b = bodyFields(req);
  b.bool("Backup"); // accepted and type-checked; backups are not modelled
  const fs = parts.model.fileSystems.create({
    creationToken: b.str("CreationToken", true),
    performanceMode: oneOf<PerformanceMode>(b.str("PerformanceMode"), PERFORMANCE_MODES, "PerformanceMode"),
    throughputMode: oneOf<ThroughputMode>(b.str("ThroughputMode"), THROUGHPUT_MODES, "ThroughputMode"),
    provisionedThroughputInMibps: b.num("ProvisionedThroughputInMibps"),
    encrypted: b.bool("Encrypted"),
    kmsKeyId: b.str("KmsKeyId"),
    availabilityZoneName: b.str("AvailabilityZoneName"),
    tags: b.tags(),
  });
  return jsonResponse(201, describeFileSystem(parts, fs));
};

export const describeFileSystems: Handler = ({ req, parts }) => {
  const marker = queryString(req, "Marker");
  const page = parts.model.fileSystems.describe({
    fileSystemId: queryString(req, "FileSystemId"),
    creationToken: queryString(req, "CreationToken"),
    marker,
    maxItems: queryInt(req, "MaxItems"),
  });
  return jsonResponse(200, { Marker: marker, FileSystems: page.items.map((fs) => describeFileSystem(parts, fs)), NextMarker: page.next });
};

export const updateFileSystem: Handler = ({ req, params, parts }) => {
  const b = bodyFields(req);
  const fs = parts.model.fileSystems.update(params.FileSystemId, {
    throughputMode: oneOf<ThroughputMode>(b.str("ThroughputMode"), THROUGHPUT_MODES, "ThroughputMode"),
    provisionedThroughputInMibps: b.num("ProvisionedThroughputInMibps"),
  });
  // AWS answers while the change is being applied; ours is already in effect.
  return jsonResponse(202, { ...describeFileSystem(parts, fs), LifeCycleState: "updating" });
};

export const deleteFileSystem: Handler = ({ params, parts }) => {
  const id = parts.model.fileSystems.get(params.FileSystemId).id;
  parts.model.fileSystems.delete(id);
  parts.metrics.forget(id);
  return emptyResponse(204);
};
