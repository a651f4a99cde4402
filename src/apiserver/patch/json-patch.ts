/**
 * JSON patch (RFC 6902): add, remove, replace, move, copy, test, applied in order to a copy of
 * the document; the first failing operation aborts the whole patch.
 *
 * Errors mirror kube-apiserver (handlers/patch.go with evanphx/json-patch):
 * - the body is not an array of operation objects: 400 BadRequest;
 * - more than `maxOperations` operations: 413 "The allowed maximum operations in a JSON patch
 *   is 10000, got N" (checked before anything is applied);
 * - an operation that cannot apply (failed test, missing path, bad index, unknown op, copies
 *   beyond `maxCopyBytes` in total): 422 Invalid.
 * The two limits are upstream's defence against amplification (CVE-2019-1002100): a patch of a
 * few kilobytes must not be able to double the document thousands of times.
 *
 * Written here rather than on fast-json-patch because that library accepts its internal `_get`
 * op, lets `-` on replace grow arrays, reads an empty index token as 0 and cannot account copies.
 */
import { assertMaxDepth, badRequest, tooLarge, unprocessable } from "./errors.js";
import { deepClone, deepEqual, getOwn, hasOwn, isObject, setOwn, type JsonObject } from "./json.js";

export interface JsonPatchLimits {
  maxOperations: number;
  /** Total bytes (as JSON) that `copy` operations may add, like upstream's JSONPatchMaxCopyBytes. */
  maxCopyBytes: number;
}

export const DEFAULT_JSON_PATCH_LIMITS: Readonly<JsonPatchLimits> = Object.freeze({
  maxOperations: 10000,
  maxCopyBytes: 3 * 1024 * 1024,
});

type Op = { op: unknown; path?: unknown; from?: unknown; value?: unknown };

/** Apply an RFC 6902 patch (already JSON-decoded) to an object; returns a new object. */
export function jsonPatch(original: JsonObject, operations: unknown, limits: JsonPatchLimits = DEFAULT_JSON_PATCH_LIMITS): JsonObject {
  if (!Array.isArray(operations)) {
    throw badRequest(`json: cannot unmarshal ${isObject(operations) ? "object" : typeof operations} into Go value of type jsonpatch.Patch`);
  }
  for (const op of operations) {
    if (!isObject(op)) throw badRequest("json: cannot unmarshal non-object into Go value of type jsonpatch.Operation");
  }
  if (operations.length > limits.maxOperations) {
    throw tooLarge(`The allowed maximum operations in a JSON patch is ${limits.maxOperations}, got ${operations.length}`);
  }
  assertMaxDepth(operations);
  const state = { doc: deepClone(original) as unknown, copied: 0 };
  (operations as Op[]).forEach((op, index) => applyOne(state, op, index, limits));
  if (!isObject(state.doc)) throw unprocessable("the patched document is not a JSON object");
  return state.doc;
}

function applyOne(state: { doc: unknown; copied: number }, op: Op, index: number, limits: JsonPatchLimits): void {
  const kind = op.op;
  const path = pointerOf(op.path, "path", kind, index);
  switch (kind) {
    case "add":
      state.doc = add(state.doc, path, requireValue(op, index), op.path as string);
      return;
    case "remove":
      state.doc = remove(state.doc, path, "remove", op.path as string).doc;
      return;
    case "replace":
      state.doc = replace(state.doc, path, requireValue(op, index), op.path as string);
      return;
    case "move": {
      const from = pointerOf(op.from, "from", kind, index);
      if (from.length < path.length && from.every((t, i) => t === path[i])) {
        throw unprocessable(`move operation does not apply: cannot move ${op.from as string} into its own child ${op.path as string}`);
      }
      const taken = remove(state.doc, from, "move", op.from as string);
      state.doc = add(taken.doc, path, taken.value, op.path as string);
      return;
    }
    case "copy": {
      const from = pointerOf(op.from, "from", kind, index);
      const value = lookup(state.doc, from);
      if (value === undefined) throw unprocessable(`copy operation does not apply: doc is missing from path: ${op.from as string}: missing value`);
      state.copied += Buffer.byteLength(JSON.stringify(value));
      if (state.copied > limits.maxCopyBytes) {
        throw unprocessable(`Unable to complete the copy, the accumulated size increase of copy is ${state.copied}, exceeding the limit ${limits.maxCopyBytes}`);
      }
      state.doc = add(state.doc, path, deepClone(value), op.path as string);
      return;
    }
    case "test": {
      const expected = requireValue(op, index);
      if (!deepEqual(lookup(state.doc, path), expected)) throw unprocessable(`testing value ${op.path as string} failed: test failed`, op.path as string);
      return;
    }
    default:
      throw unprocessable(`Unexpected kind: ${String(kind)}`);
  }
}

function requireValue(op: Op, index: number): unknown {
  if (!hasOwn(op as JsonObject, "value")) throw unprocessable(`operation ${index} (${String(op.op)}) is missing its value`);
  return op.value;
}

/** RFC 6901 pointer → reference tokens. */
function pointerOf(raw: unknown, field: string, kind: unknown, index: number): string[] {
  if (typeof raw !== "string") throw unprocessable(`operation ${index} (${String(kind)}) is missing its ${field} field`);
  if (raw === "") return [];
  if (!raw.startsWith("/")) throw unprocessable(`invalid JSON pointer ${JSON.stringify(raw)}: must start with "/"`);
  return raw.slice(1).split("/").map((t) => {
    if (/~[^01]|~$/.test(t)) throw unprocessable(`invalid JSON pointer ${JSON.stringify(raw)}: bad escape`);
    return t.replace(/~1/g, "/").replace(/~0/g, "~");
  });
}

/** An array index token: "0" or digits without a leading zero, below `limit`. */
function arrayIndex(token: string, limit: number): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(token)) return undefined;
  const i = Number(token);
  return i < limit ? i : undefined;
}

function lookup(doc: unknown, tokens: string[]): unknown {
  let cur = doc;
  for (const t of tokens) {
    if (Array.isArray(cur)) {
      const i = arrayIndex(t, cur.length);
      if (i === undefined) return undefined;
      cur = cur[i];
    } else if (isObject(cur)) {
      cur = getOwn(cur, t);
    } else {
      return undefined;
    }
  }
  return cur;
}

function add(doc: unknown, path: string[], value: unknown, raw: string): unknown {
  if (path.length === 0) return deepClone(value);
  const parent = lookup(doc, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent)) {
    const i = last === "-" ? parent.length : arrayIndex(last, parent.length + 1);
    if (i === undefined) throw unprocessable(`add operation does not apply: index out of bounds at ${raw}`, raw);
    parent.splice(i, 0, deepClone(value));
  } else if (isObject(parent)) {
    setOwn(parent, last, deepClone(value));
  } else {
    throw unprocessable(`add operation does not apply: doc is missing path: ${JSON.stringify(raw)}: missing value`, raw);
  }
  return doc;
}

function replace(doc: unknown, path: string[], value: unknown, raw: string): unknown {
  if (path.length === 0) return deepClone(value);
  const parent = lookup(doc, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent) && arrayIndex(last, parent.length) !== undefined) {
    parent[Number(last)] = deepClone(value);
  } else if (isObject(parent) && hasOwn(parent, last)) {
    setOwn(parent, last, deepClone(value));
  } else {
    throw unprocessable(`replace operation does not apply: doc is missing key: ${raw}: missing value`, raw);
  }
  return doc;
}

function remove(doc: unknown, path: string[], kind: string, raw: string): { doc: unknown; value: unknown } {
  const missing = () => unprocessable(`${kind} operation does not apply: doc is missing ${kind === "move" ? "from path" : "path"}: ${raw}: missing value`, raw);
  if (path.length === 0) {
    // Moving the root into itself is caught earlier; removing it leaves no object to store.
    if (kind === "remove") throw unprocessable("remove operation does not apply: cannot remove the whole document");
    return { doc: undefined, value: doc };
  }
  const parent = lookup(doc, path.slice(0, -1));
  const last = path[path.length - 1];
  if (Array.isArray(parent)) {
    const i = arrayIndex(last, parent.length);
    if (i === undefined) throw missing();
    return { doc, value: parent.splice(i, 1)[0] };
  }
  if (isObject(parent) && hasOwn(parent, last)) {
    const value = parent[last];
    delete parent[last];
    return { doc, value };
  }
  throw missing();
}
