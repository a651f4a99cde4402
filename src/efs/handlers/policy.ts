/** PutFileSystemPolicy, DescribeFileSystemPolicy, DeleteFileSystemPolicy. */
import { jsonResponse } from "../http/types.js";
import type { Handler } from "./context.js";
import { bodyFields } from "./input.js";

export const putFileSystemPolicy: Handler = ({ req, params, parts }) => {
  const b = bodyFields(req);
  const rec = parts.model.policies.put(params.FileSystemId, b.str("Policy", true), b.bool("BypassPolicyLockoutSafetyCheck") ?? false);
  return jsonResponse(200, { FileSystemId: rec.fsId, Policy: rec.text });
};

export const describeFileSystemPolicy: Handler = ({ params, parts }) => {
  const rec = parts.model.policies.describe(params.FileSystemId);
  return jsonResponse(200, { FileSystemId: rec.fsId, Policy: rec.text });
};

export const deleteFileSystemPolicy: Handler = ({ params, parts }) => {
  parts.model.policies.delete(params.FileSystemId);
  return jsonResponse(200, {});
};
