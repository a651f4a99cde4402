/**
 * Shared state of the generic registry: the store, the served kinds, the admission chain.
 */
import type { Backend } from "../../store/types.js";
import type { KubeObject, ResourceTraits } from "../../api/types.js";
import type { AdmissionPlugin, AdmissionReader, UserInfo } from "./admission.js";
import { StatusError } from "../../api/status.js";
import { decodeObject } from "./codec.js";
import { listPrefix, objectKey } from "./keys.js";

export interface RegistryContext {
  backend: Backend;
  resources: ResourceTraits[];
  admission: AdmissionPlugin[];
  /** Clock, overridable in tests. */
  now(): Date;
}

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: "Strict" | "Warn" | "Ignore";
  user: UserInfo;
  subresource: string;
}

export interface WriteResult {
  object: KubeObject;
  /** Warning headers (fieldValidation=Warn, deprecations). */
  warnings: string[];
  /** 201 for creates, 200 otherwise. */
  created: boolean;
}

export function findResource(ctx: RegistryContext, group: string, plural: string): ResourceTraits {
  const t = ctx.resources.find((r) => r.group === group && r.plural === plural);
  if (!t) throw new StatusError(404, "NotFound", `the server could not find the requested resource (${plural}${group ? "." + group : ""})`);
  return t;
}

export function readerFor(ctx: RegistryContext): AdmissionReader {
  return {
    async get(t, ns, name) {
      const r = await ctx.backend.get(objectKey(t, ns, name));
      return r.kv ? decodeObject(r.kv) : undefined;
    },
    async list(t, ns) {
      const out: KubeObject[] = [];
      let startAfter: string | undefined;
      for (;;) {
        const page = await ctx.backend.list({ prefix: listPrefix(t, ns), startAfter, limit: 1000 });
        for (const kv of page.items) out.push(decodeObject(kv));
        if (!page.more || page.items.length === 0) break;
        startAfter = page.items[page.items.length - 1].key;
      }
      return out;
    },
    resource: (group, plural) => findResource(ctx, group, plural),
  };
}

export function resourceLabel(t: ResourceTraits): string {
  return t.group ? `${t.plural}.${t.group}` : t.plural;
}
