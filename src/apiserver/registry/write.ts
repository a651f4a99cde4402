/**
 * The write path shared by create, update and patch, in upstream's order:
 * decode → (strict field check) → defaults → metadata → strategy (prepare) → mutating admission
 * → validation → validating admission → managed fields → store (compare-and-swap on the
 * stored revision). A write that changes nothing is not stored (upstream skips no-op writes).
 */
import { randomUUID, randomInt } from "node:crypto";
import type { KubeObject, ResourceTraits } from "../../api/types.js";
import { alreadyExists, badRequest, conflict, notFound, StatusError } from "../../api/status.js";
import { isStoreError } from "../../store/types.js";
import type { Operation } from "./admission.js";
import { canonicalOrder, decodeObject, encodeObject } from "./codec.js";
import type { RegistryContext, WriteOptions, WriteResult } from "./context.js";
import { readerFor } from "./context.js";
import { decodeErrors, normalizeNulls, invalidError, prepareMetaForUpdate, unknownFields, updateManagedFields, validateObjectMeta } from "./deps.js";
import { objectKey } from "./keys.js";
import { tryGetObject } from "./read.js";
import { isDeletionComplete } from "./deletion-state.js";

const EVENT_TTL_SECONDS = 3600;
const GENERATE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

export function asObject(body: unknown): KubeObject {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw badRequest("the request body must be a JSON object");
  const obj = body as KubeObject;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (typeof obj.metadata !== "object" || Array.isArray(obj.metadata)) throw badRequest("metadata must be an object");
  return obj;
}

export function apiVersionOf(t: ResourceTraits): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** Checks apiVersion/kind of a body against the endpoint and fills them when absent. */
export function checkTypeMeta(t: ResourceTraits, obj: KubeObject): void {
  const want = apiVersionOf(t);
  if (obj.apiVersion !== undefined && obj.apiVersion !== want) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${want})`);
  }
  if (obj.kind !== undefined && obj.kind !== t.kind) {
    throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${t.kind})`);
  }
  obj.apiVersion = want;
  obj.kind = t.kind;
}

function checkNamespace(t: ResourceTraits, obj: KubeObject, ns: string | undefined): void {
  if (!t.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (obj.metadata.namespace === undefined || obj.metadata.namespace === "") obj.metadata.namespace = ns;
  else if (ns !== undefined && obj.metadata.namespace !== ns) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
}

/** Typed decoding as upstream does it (wrong JSON types, bad quantities) is a 400, before anything else. */
function checkDecodes(t: ResourceTraits, obj: KubeObject): void {
  const errs = decodeErrors(obj, t.schemaName);
  if (errs.length > 0) throw badRequest(`${t.kind} in version "${t.version}" cannot be handled as a ${t.kind}: ${errs[0]}`);
  normalizeNulls(obj, t.schemaName);
}

function fieldWarnings(t: ResourceTraits, obj: KubeObject, mode: WriteOptions["fieldValidation"]): string[] {
  checkDecodes(t, obj);
  if (mode === "Ignore") return [];
  const unknown = unknownFields(obj, t.schemaName);
  if (unknown.length === 0) return [];
  if (mode === "Strict") throw badRequest(`strict decoding error: ${unknown.map((f: string) => `unknown field "${f}"`).join(", ")}`);
  return unknown.map((f: string) => `unknown field "${f}"`);
}

function stripVolatile(o: KubeObject): string {
  const { resourceVersion: _rv, managedFields: _mf, ...meta } = o.metadata;
  return JSON.stringify({ ...o, metadata: meta });
}

/**
 * Names become store keys. Kinds whose names are only path segments (RBAC, events) accept
 * characters a key cannot hold; refuse those as the bad input they are, never as a store error.
 */
export function assertStorableKey(namespace: string | undefined, name: string): void {
  for (const part of [namespace ?? "", name]) {
    if (part.includes("\u0000") || /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(part)) {
      throw badRequest(`invalid resource name ${JSON.stringify(part)}: may not contain NUL or unpaired surrogate characters`);
    }
  }
}

export function sameObject(a: KubeObject, b: KubeObject): boolean {
  return stripVolatile(a) === stripVolatile(b);
}

async function admitAndValidate(ctx: RegistryContext, t: ResourceTraits, op: Operation, obj: KubeObject, old: KubeObject | undefined, opts: WriteOptions): Promise<void> {
  const attrs = {
    operation: op, resource: t, subresource: opts.subresource, namespace: obj.metadata.namespace, name: obj.metadata.name ?? "",
    object: obj, oldObject: old, dryRun: opts.dryRun, user: opts.user, reader: readerFor(ctx),
  };
  const plugins = ctx.admission;
  for (const p of plugins) if (p.admit) await p.admit(attrs);
  const errors = [
    ...validateObjectMeta(obj, t, old),
    ...(old ? t.validateUpdate(obj, old, { now: ctx.now(), subresource: opts.subresource }) : t.validateCreate(obj)),
  ];
  if (errors.length > 0) throw invalidError(t, obj.metadata.name ?? obj.metadata.generateName ?? "", errors);
  for (const p of plugins) if (p.validate) await p.validate(attrs);
}

export async function createObject(ctx: RegistryContext, t: ResourceTraits, ns: string | undefined, body: unknown, opts: WriteOptions, prepared = false): Promise<WriteResult> {
  const obj = asObject(body);
  if (prepared) checkDecodes(t, obj);
  const warnings = prepared ? [] : fieldWarnings(t, obj, opts.fieldValidation);
  checkTypeMeta(t, obj);
  checkNamespace(t, obj, ns);
  if (obj.metadata.resourceVersion) throw badRequest("resourceVersion should not be set on objects to be created");
  const now = ctx.now();
  const meta = obj.metadata;
  if (!meta.name && meta.generateName) {
    let suffix = "";
    for (let i = 0; i < 5; i++) suffix += GENERATE_ALPHABET[randomInt(GENERATE_ALPHABET.length)];
    meta.name = `${meta.generateName.slice(0, 58)}${suffix}`; // upstream's SimpleNameGenerator: at most 63 characters
  }
  meta.uid = randomUUID();
  meta.creationTimestamp = now.toISOString().replace(/\.\d+Z$/, "Z");
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  t.applyDefaults(obj);
  t.prepareForCreate?.(obj, { now, subresource: "" });
  await admitAndValidate(ctx, t, "CREATE", obj, undefined, opts);
  if (!prepared) {
    meta.managedFields = updateManagedFields({
      old: undefined, updated: obj, manager: opts.fieldManager, apiVersion: obj.apiVersion, now, subresource: "", rootSchema: t.schemaName,
    });
  }
  const out = canonicalOrder(obj);
  assertStorableKey(meta.namespace, meta.name!);
  if (opts.dryRun) return { object: out, warnings, created: true };
  try {
    const kv = await ctx.backend.create(objectKey(t, meta.namespace, meta.name!), encodeObject(out), t.kind === "Event" ? { ttlSeconds: EVENT_TTL_SECONDS } : undefined);
    return { object: decodeObject(kv), warnings, created: true };
  } catch (e) {
    if (isStoreError(e, "KeyExists")) throw alreadyExists(t.plural, meta.name!, t.group);
    throw e;
  }
}

export interface UpdateInput {
  /** Builds the desired object from the current one (undefined when it does not exist). */
  desired(current: KubeObject | undefined): Promise<KubeObject> | KubeObject;
  /** The resourceVersion the client pinned (PUT body, or a patch naming one): a mismatch is a 409, never a retry. */
  preconditionRv?: string;
  /** Create the object when missing (apply patches, PUT for some kinds). */
  allowCreate: boolean;
  /** managedFields were already computed by server-side apply. */
  managedFieldsDone?: boolean;
}

/**
 * Update with optimistic concurrency. `desired` is re-run on the latest object when the store
 * reports a conflict that the client did not ask for (patches, unconditional PUTs).
 */
export async function updateObject(ctx: RegistryContext, t: ResourceTraits, ns: string | undefined, name: string, input: UpdateInput, opts: WriteOptions): Promise<WriteResult> {
  for (let attempt = 0; ; attempt++) {
    const current = await tryGetObject(ctx, t, ns, name);
    if (!current) {
      if (!input.allowCreate) throw notFound(t.plural, name, t.group);
      const obj = await input.desired(undefined);
      obj.metadata = { ...obj.metadata, name };
      delete obj.metadata.resourceVersion;
      try {
        return await createObject(ctx, t, ns, obj, opts, input.managedFieldsDone);
      } catch (e) {
        if (e instanceof StatusError && e.reason === "AlreadyExists" && attempt < 5) continue;
        throw e;
      }
    }
    const obj = asObject(await input.desired(current));
    // Applied objects are typed by server-side apply's schema check, but decode them the same way
    // as every other write before defaulting reads them.
    if (input.managedFieldsDone) checkDecodes(t, obj);
    const warnings = input.managedFieldsDone ? [] : fieldWarnings(t, obj, opts.fieldValidation);
    checkTypeMeta(t, obj);
    checkNamespace(t, obj, ns);
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) {
      throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    }
    obj.metadata.name = name;
    const sentRv = input.preconditionRv;
    if (sentRv && sentRv !== current.metadata.resourceVersion) throw conflict(t.plural, name, t.group);
    prepareMetaForUpdate(obj.metadata, current.metadata);
    preserveSystemMetadata(obj, current, opts.subresource);
    const now = ctx.now();
    t.applyDefaults(obj);
    t.prepareForUpdate?.(obj, current, { now, subresource: opts.subresource });
    await admitAndValidate(ctx, t, "UPDATE", obj, current, opts);
    if (!input.managedFieldsDone) {
      obj.metadata.managedFields = updateManagedFields({
        old: current, updated: obj, manager: opts.fieldManager, apiVersion: obj.apiVersion, now, subresource: opts.subresource, rootSchema: t.schemaName,
      });
    }
    const out = canonicalOrder(obj);
    out.metadata.resourceVersion = current.metadata.resourceVersion;
    if (sameObject(out, current)) return { object: current, warnings, created: false };
    if (opts.dryRun) return { object: out, warnings, created: false };
    const key = objectKey(t, ns, name);
    const rev = Number(current.metadata.resourceVersion);
    try {
      if (isDeletionComplete(t, out)) {
        const kv = await ctx.backend.delete(key, rev);
        const gone = decodeObject(kv);
        return { object: { ...out, metadata: { ...out.metadata, resourceVersion: gone.metadata.resourceVersion } }, warnings, created: false };
      }
      const kv = await ctx.backend.update(key, encodeObject(out), rev, t.kind === "Event" ? { ttlSeconds: EVENT_TTL_SECONDS } : undefined);
      return { object: decodeObject(kv), warnings, created: false };
    } catch (e) {
      if (isStoreError(e, "Conflict") || isStoreError(e, "NotFound")) {
        if (sentRv || attempt >= 10) throw conflict(t.plural, name, t.group);
        continue;
      }
      throw e;
    }
  }
  throw new Error("unreachable");
}

/**
 * Fields clients cannot change through an update: identity and deletion state. For the status
 * subresource upstream also keeps labels, annotations, finalizers and owner references.
 */
function preserveSystemMetadata(obj: KubeObject, current: KubeObject, subresource: string): void {
  const m = obj.metadata;
  const c = current.metadata;
  // A differing uid is the client naming another incarnation: validation refuses it (immutable), as upstream.
  if (!m.uid) m.uid = c.uid;
  m.creationTimestamp = c.creationTimestamp;
  if (c.generateName !== undefined) m.generateName = c.generateName;
  if (c.deletionTimestamp !== undefined) {
    m.deletionTimestamp = c.deletionTimestamp;
    m.deletionGracePeriodSeconds = c.deletionGracePeriodSeconds;
  } else {
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
  }
  if (subresource === "status") {
    for (const k of ["labels", "annotations", "finalizers", "ownerReferences"] as const) {
      if (c[k] === undefined) delete m[k];
      else m[k] = c[k] as never;
    }
  }
  if (m.managedFields === undefined && c.managedFields !== undefined) m.managedFields = c.managedFields;
}
