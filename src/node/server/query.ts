/** Query parameters of the kubelet API, parsed strictly (a malformed value is a 400 naming the parameter). */
import type { LogOptions } from "../runtime/index.js";
import { badRequest } from "./respond.js";

export function boolParam(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  if (v === null || v === "" || v === "false" || v === "0") return false;
  if (v === "true" || v === "1") return true;
  throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
}

function intParam(q: URLSearchParams, name: string, min: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === "") return undefined;
  if (!/^-?\d+$/.test(v) || Number(v) < min || !Number.isSafeInteger(Number(v))) throw badRequest(`invalid value for ${name}: ${JSON.stringify(v)}`);
  return Number(v);
}

/** pods/log options as kubectl sends them (follow, tailLines, timestamps, previous, sinceSeconds, sinceTime, limitBytes). */
export function logOptions(q: URLSearchParams): LogOptions {
  const o: LogOptions = {
    follow: boolParam(q, "follow"),
    timestamps: boolParam(q, "timestamps"),
    previous: boolParam(q, "previous"),
  };
  const tail = intParam(q, "tailLines", 0);
  if (tail !== undefined) o.tailLines = tail;
  const since = intParam(q, "sinceSeconds", 1);
  const sinceTime = q.get("sinceTime");
  if (since !== undefined && sinceTime) throw badRequest("at most one of sinceTime or sinceSeconds may be specified");
  if (since !== undefined) o.sinceSeconds = since;
  if (sinceTime) {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(sinceTime) || Number.isNaN(Date.parse(sinceTime))) {
      throw badRequest(`invalid value for sinceTime: ${JSON.stringify(sinceTime)}`);
    }
    o.sinceTime = sinceTime;
  }
  const limit = intParam(q, "limitBytes", 1);
  if (limit !== undefined) o.limitBytes = limit;
  return o;
}
