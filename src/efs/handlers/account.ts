/** DescribeAccountPreferences, and the answer for AWS operations this service does not implement. */
import { UnsupportedOperation } from "../errors.js";
import { jsonResponse } from "../http/types.js";
import type { Handler } from "./context.js";

export const describeAccountPreferences: Handler = () =>
  jsonResponse(200, { ResourceIdPreference: { ResourceIdType: "LONG_ID", Resources: ["FILE_SYSTEM", "MOUNT_TARGET"] } });

export function unsupported(operation: string): Handler {
  return () => {
    throw new UnsupportedOperation(`${operation} is an Amazon EFS operation that this service does not implement.`);
  };
}
