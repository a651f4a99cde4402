/**
 * Admission: plugins that see every write after defaulting and before storage, as
 * kube-apiserver's admission chain. Mutating plugins (`admit`) may change the object;
 * validating plugins (`validate`) may only refuse it with a StatusError.
 */
import type { KubeObject, ResourceTraits } from "../../api/types.js";

export type Operation = "CREATE" | "UPDATE" | "DELETE";

export interface UserInfo {
  name: string;
  groups: string[];
}

/** Read access to other objects, for plugins such as DefaultStorageClass. */
export interface AdmissionReader {
  get(resource: ResourceTraits, namespace: string | undefined, name: string): Promise<KubeObject | undefined>;
  list(resource: ResourceTraits, namespace?: string): Promise<KubeObject[]>;
  resource(group: string, plural: string): ResourceTraits;
}

export interface AdmissionAttributes {
  operation: Operation;
  resource: ResourceTraits;
  subresource: string;
  namespace: string | undefined;
  name: string;
  /** The object being written (mutable in `admit`). Absent for DELETE. */
  object?: KubeObject;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: KubeObject;
  dryRun: boolean;
  user: UserInfo;
  reader: AdmissionReader;
}

export interface AdmissionPlugin {
  name: string;
  admit?(a: AdmissionAttributes): Promise<void>;
  validate?(a: AdmissionAttributes): Promise<void>;
}

export async function runAdmission(plugins: AdmissionPlugin[], a: AdmissionAttributes): Promise<void> {
  for (const p of plugins) if (p.admit) await p.admit(a);
  for (const p of plugins) if (p.validate) await p.validate(a);
}
