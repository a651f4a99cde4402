/**
 * Another client on the same etcd, writing to its own prefix right before each write of the backend
 * under test. etcd's revision is cluster-wide, so every write of the tested backend then lands one
 * or more revisions after the previous one: the gaps a shared etcd really has. Nothing is
 * translated; reads, watches and results pass through untouched.
 */
import type { Backend } from "../../src/store/index.js";

const WRITES = new Set<PropertyKey>(["create", "update", "delete"]);

let written = 0;

export function withOtherWriter(backend: Backend, other: Backend): Backend {
  const interleave = () => other.create(`/other/${++written}`, new TextEncoder().encode("x"));
  return new Proxy(backend, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function") return value;
      if (!WRITES.has(prop)) return value.bind(target);
      return async (...args: unknown[]) => {
        await interleave();
        return value.apply(target, args);
      };
    },
  });
}
