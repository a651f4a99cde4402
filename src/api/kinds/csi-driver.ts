/**
 * storage.k8s.io/v1 CSIDriver: how Kubernetes talks to a CSI driver. Defaults as upstream
 * (attachRequired true, podInfoOnMount false, storageCapacity false, fsGroupPolicy
 * ReadWriteOnceWithFSType, volumeLifecycleModes [Persistent], requiresRepublish false,
 * seLinuxMount false); attachRequired and volumeLifecycleModes are immutable (upstream reports
 * attachRequired under its own misspelt path "spec.attachedRequired").
 */
import type { FieldError, KubeObject } from "../types.js";
import { duplicate, invalid, notSupported, required } from "../fields/errors.js";
import { registerKind, STANDARD_VERBS, type KindDefinition } from "./kind.js";
import { nameIsDNSSubdomain } from "../validation/names.js";
import { immutableField } from "../validation/common.js";
import { ageColumn, column, nameColumn } from "../printing/columns.js";
import { ageSince } from "../printing/duration.js";

export interface CSIDriverSpec {
  attachRequired?: boolean;
  podInfoOnMount?: boolean;
  volumeLifecycleModes?: string[];
  storageCapacity?: boolean;
  fsGroupPolicy?: string;
  tokenRequests?: { audience: string; expirationSeconds?: number }[];
  requiresRepublish?: boolean;
  seLinuxMount?: boolean;
}

export interface CSIDriver extends KubeObject {
  spec: CSIDriverSpec;
}

const FS_GROUP_POLICIES = ["File", "None", "ReadWriteOnceWithFSType"];
const LIFECYCLE_MODES = ["Ephemeral", "Persistent"];

function validateCSIDriver(d: CSIDriver): FieldError[] {
  const errs: FieldError[] = [];
  const spec = d.spec ?? {};
  for (const [key, path] of [
    ["attachRequired", "spec.attachedRequired"],
    ["podInfoOnMount", "spec.podInfoOnMount"],
    ["storageCapacity", "spec.storageCapacity"],
    ["seLinuxMount", "spec.seLinuxMount"],
  ] as const) {
    if (spec[key] === undefined || spec[key] === null) errs.push(required(path));
  }
  if (!spec.fsGroupPolicy) errs.push(required("spec.fsGroupPolicy"));
  else if (!FS_GROUP_POLICIES.includes(spec.fsGroupPolicy)) errs.push(notSupported("spec.fsGroupPolicy", spec.fsGroupPolicy, FS_GROUP_POLICIES));
  for (const mode of spec.volumeLifecycleModes ?? []) {
    if (!LIFECYCLE_MODES.includes(mode)) errs.push(notSupported("spec.volumeLifecycleModes", mode, LIFECYCLE_MODES));
  }
  const audiences = new Set<string>();
  (spec.tokenRequests ?? []).forEach((t, i) => {
    const p = `spec.tokenRequests[${i}]`;
    if (audiences.has(t.audience)) errs.push(duplicate(`${p}.audience`, t.audience));
    audiences.add(t.audience);
    const exp = t.expirationSeconds;
    if (typeof exp === "number" && exp < 600) errs.push(invalid(`${p}.expirationSeconds`, exp, "may not specify a duration less than 10 minutes"));
    if (typeof exp === "number" && exp > 2 ** 32) errs.push(invalid(`${p}.expirationSeconds`, exp, "may not specify a duration larger than 2^32 seconds"));
  });
  return errs;
}

export const csiDrivers: KindDefinition<CSIDriver> = {
  group: "storage.k8s.io",
  version: "v1",
  kind: "CSIDriver",
  listKind: "CSIDriverList",
  plural: "csidrivers",
  singular: "csidriver",
  shortNames: [],
  namespaced: false,
  categories: [],
  subresources: [],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.storage.v1.CSIDriver",
  validateName: nameIsDNSSubdomain,

  applyDefaults(d) {
    d.spec ??= {};
    const s = d.spec;
    s.attachRequired ??= true;
    s.podInfoOnMount ??= false;
    s.storageCapacity ??= false;
    s.fsGroupPolicy ??= "ReadWriteOnceWithFSType";
    if (!s.volumeLifecycleModes || s.volumeLifecycleModes.length === 0) s.volumeLifecycleModes = ["Persistent"];
    s.requiresRepublish ??= false;
    s.seLinuxMount ??= false;
  },

  validateCreate: (d) => validateCSIDriver(d),
  validateUpdate: (d, old) => [
    ...validateCSIDriver(d),
    ...immutableField(d.spec?.attachRequired, old.spec?.attachRequired, "spec.attachedRequired"),
    ...immutableField(d.spec?.volumeLifecycleModes, old.spec?.volumeLifecycleModes, "spec.volumeLifecycleModes"),
  ],

  tableColumns: [
    nameColumn(),
    column("AttachRequired", "Whether volumes need a ControllerPublish (attach) step.", { type: "boolean" }),
    column("PodInfoOnMount", "Whether pod details are passed to NodePublish.", { type: "boolean" }),
    column("StorageCapacity", "Whether the scheduler considers reported capacity.", { type: "boolean" }),
    column("TokenRequests", "Audiences of service-account tokens passed to the driver."),
    column("RequiresRepublish", "Whether NodePublish is called periodically.", { type: "boolean" }),
    column("Modes", "Volume lifecycle modes the driver supports."),
    ageColumn(),
  ],
  tableRow(d, now) {
    const s = d.spec ?? {};
    const tokens = s.tokenRequests ? s.tokenRequests.map((t) => t.audience).join(",") : "<unset>";
    const modes = (s.volumeLifecycleModes ?? []).join(",") || "<none>";
    return [d.metadata.name ?? "", s.attachRequired ?? true, s.podInfoOnMount ?? false, s.storageCapacity ?? false, tokens, s.requiresRepublish ?? false, modes, ageSince(d.metadata.creationTimestamp, now)];
  },
  fieldSelectors: {},
};

export const csiDriverKind = registerKind(csiDrivers);
