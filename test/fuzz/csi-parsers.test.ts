/**
 * Hostile input to the EFS CSI driver's parsers: volume handles, mount options, StorageClass
 * parameters (basePath, subPathPattern and the rest), the root directory built from them and the
 * claim's names, and volume contexts. Property: the parser either returns a value that is safe by
 * construction (IDs match the strict patterns, path components are plain and EFS-legal, options hold
 * no separator or quote, root paths are absolute, ≤100 characters and ≤4 levels) or throws a CsiError
 * with InvalidArgument — never any other error.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  AP_ID,
  FS_ID,
  accessPointRootDir,
  isCsiError,
  parseMountOptions,
  parseProvisionParams,
  parseVolumeContext,
  parseVolumeHandle,
} from "../../src/csi/index.js";
import { hostilePiece, hostileString } from "./support/hostile.js";
import { Tally, fcParams, timeoutFor } from "./support/runs.js";

const tally = new Tally("csi-parsers");

/** Runs `fn`; a CsiError InvalidArgument is a refusal, anything else thrown fails the property. */
function refusedOr<T>(what: string, fn: () => T): T | undefined {
  try {
    const v = fn();
    tally.count(`${what}:accepted`);
    return v;
  } catch (e) {
    if (!isCsiError(e)) throw new Error(`${what} threw a non-CSI error: ${(e as Error)?.stack ?? String(e)}`, { cause: e });
    expect(e.code, `${what}: ${e.message}`).toBe("InvalidArgument");
    tally.count(`${what}:InvalidArgument`);
    return undefined;
  }
}

function plainComponent(c: string): boolean {
  // eslint-disable-next-line no-control-regex
  return c !== "" && c !== "." && c !== ".." && !c.includes("/") && !/[\u0000-\u001f\u007f]/.test(c);
}

const idish = fc.oneof(
  fc.constantFrom("fs-12345678", "fs-0123456789abcdef0", "fsap-0123456789abcdef0", "fs-1234567", "fs-ABCDEF12", "fs-12345678,ro", "fsap-12345678 tls", ""),
  fc.stringMatching(/^fs-[0-9a-f]{8,12}$/),
  fc.stringMatching(/^fsap-[0-9a-f]{8,12}$/),
  hostilePiece,
);
const handle = fc.oneof(
  { weight: 1, arbitrary: hostileString },
  {
    weight: 4,
    arbitrary: fc
      .tuple(
        fc.constantFrom("", "efs:", "s3files:", "EFS:"),
        fc.oneof({ weight: 3, arbitrary: fc.stringMatching(/^fs-[0-9a-f]{8,12}$/) }, { weight: 1, arbitrary: idish }),
        fc.array(fc.oneof(fc.constantFrom("data", "a", "..", "a/../..", "/", "a//b", "./a", "a/./b", "x y"), hostilePiece), { maxLength: 3 }),
        fc.option(fc.oneof({ weight: 3, arbitrary: fc.stringMatching(/^fsap-[0-9a-f]{8,12}$/) }, { weight: 1, arbitrary: idish })),
      )
      .map(([prefix, fs, sub, ap]) => `${prefix}${fs}${sub.length > 0 || ap !== null ? ":" + sub.join("/") : ""}${ap !== null ? ":" + ap : ""}`),
  },
);

const optionEntry = fc.oneof(
  hostileString,
  fc.array(
    fc.oneof(
      fc.constantFrom("tls", "ro", "rw", "iam", "noresvport", "awscredsuri=http://169.254.170.2/x", "accesspoint=fsap-0123456789abcdef0", "mounttargetip=10.0.0.1", "rsize=1048576", "netns=/proc/1/ns/net", "cafile=/etc/shadow", "crossaccount", "x-mount.mkdir"),
      fc.tuple(fc.constantFrom("accesspoint", "mounttargetip", "tlsport", "region", "az", "rsize", "verify", "awsprofile", "lookupcache"), hostilePiece).map(([k, v]) => `${k}=${v}`),
      hostilePiece,
    ),
    { minLength: 1, maxLength: 4 },
  ).map((os) => os.join(",")),
);

const PARAM_KEYS = ["provisioningMode", "fileSystemId", "directoryPerms", "uid", "gid", "gidRangeStart", "gidRangeEnd", "basePath", "subPathPattern", "ensureUniqueDirectory", "reuseAccessPoint", "deleteAccessPointRootDir", "enableTagging", "csi.storage.k8s.io/pv/name", "csi.storage.k8s.io/pvc/name", "csi.storage.k8s.io/pvc/namespace", "az", "fileSystemIdConfigRef", "x"];
const pattern = fc.oneof(
  fc.array(fc.oneof(fc.constantFrom("${.PVC.name}", "${.PVC.namespace}", "${.PV.name}", "${.PVC.labels.x}", "${", "}", "/", "..", "-", "data", "${.PVC.name}${.PVC.name}"), hostilePiece), { minLength: 1, maxLength: 5 }).map((p) => p.join("")),
  hostileString,
);
const VALID_PARAMS: Record<string, string> = {
  provisioningMode: "efs-ap",
  fileSystemId: "fs-12345678",
  basePath: "/dynamic",
  "csi.storage.k8s.io/pvc/name": "data",
  "csi.storage.k8s.io/pvc/namespace": "default",
  "csi.storage.k8s.io/pv/name": "pvc-1234",
};
const paramValue: Record<string, fc.Arbitrary<string>> = {
  basePath: fc.oneof(fc.constantFrom("/dynamic", "", "/", "a/b/c", "../..", "/a/../..", "//x//", "/.hidden", "/a b", "/a/b/c/d/e", "/" + "d".repeat(120)), hostileString),
  subPathPattern: pattern,
  ensureUniqueDirectory: fc.oneof(fc.constantFrom("true", "false"), hostilePiece),
  directoryPerms: fc.oneof(fc.constantFrom("700", "0755", "7777", "888"), hostilePiece),
  gidRangeStart: fc.oneof(fc.constantFrom("1000", "0", "-1", "4294967295"), hostilePiece),
  gidRangeEnd: fc.oneof(fc.constantFrom("2000", "999", "99999999999"), hostilePiece),
  "csi.storage.k8s.io/pvc/name": fc.oneof(fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?$/), hostilePiece),
  "csi.storage.k8s.io/pvc/namespace": fc.oneof(fc.constant("default"), hostilePiece),
  "csi.storage.k8s.io/pv/name": fc.oneof(fc.constant("pvc-1234"), hostilePiece),
};
/** Valid parameters with one to three of them (or an unknown key) made hostile; patterns are set half the time. */
const params = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...PARAM_KEYS), fc.boolean()), { minLength: 1, maxLength: 3 }).chain((keys) =>
      fc.tuple(...keys.map(([k, fromGrammar]) => (fromGrammar && paramValue[k] ? paramValue[k] : hostilePiece).map((v) => [k, v] as const))),
    ),
    fc.option(pattern, { freq: 2 }),
  )
  .map(([overrides, pat]) => {
    const out: Record<string, string> = { ...VALID_PARAMS };
    if (pat !== null) out.subPathPattern = pat;
    for (const [k, v] of overrides) out[k] = v;
    return out;
  });

describe("hostile input to the CSI driver's parsers", () => {
  it(
    "volume handles: strict IDs and plain subpath components, or InvalidArgument",
    () => {
      fc.assert(
        fc.property(handle, (h) => {
          const v = refusedOr("handle", () => parseVolumeHandle(h));
          if (!v) return;
          expect(FS_ID.test(v.fileSystemId), h).toBe(true);
          if (v.accessPointId !== undefined) expect(AP_ID.test(v.accessPointId), h).toBe(true);
          for (const c of v.subPath) expect(plainComponent(c), `${h} → ${JSON.stringify(v.subPath)}`).toBe(true);
        }),
        fcParams(2000),
      );
    },
    timeoutFor(2000, 2),
  );

  it(
    "mount options: every accepted option is one allow-listed token, or InvalidArgument",
    () => {
      fc.assert(
        fc.property(fc.array(optionEntry, { maxLength: 3 }), (entries) => {
          const v = refusedOr("mountOptions", () => parseMountOptions(entries));
          if (!v) return;
          for (const o of v.options) {
            expect(o, JSON.stringify(entries)).toMatch(/^[a-z0-9_.-]+(=[A-Za-z0-9_.:-]+)?$/);
            expect(o.startsWith("awscredsuri"), o).toBe(false);
          }
          if (v.accessPointId !== undefined) expect(AP_ID.test(v.accessPointId)).toBe(true);
        }),
        fcParams(2000),
      );
    },
    timeoutFor(2000, 2),
  );

  it(
    "StorageClass parameters and the access point root: absolute, ≤100 characters, ≤4 plain levels, or InvalidArgument",
    () => {
      fc.assert(
        fc.property(params, fc.oneof(fc.constant("pvc-0c6b5b1e-1d2f-4a34-9b7e-0e8b7a9c1d2e"), hostilePiece), (p, volumeName) => {
          const parsed = refusedOr("params", () => parseProvisionParams(p));
          if (!parsed) return;
          for (const c of parsed.basePath) expect(plainComponent(c), JSON.stringify(p)).toBe(true);
          const root = refusedOr("rootDir", () => accessPointRootDir(parsed, volumeName));
          if (!root) return;
          const what = `${JSON.stringify(p)} ${volumeName} → ${root.path}`;
          expect(root.path.startsWith("/"), what).toBe(true);
          expect(root.path.length, what).toBeLessThanOrEqual(100);
          expect(root.components.length, what).toBeLessThanOrEqual(4);
          expect(root.components.length, what).toBeGreaterThan(0);
          expect(root.path, what).toBe("/" + root.components.join("/"));
          for (const c of root.components) {
            expect(plainComponent(c), what).toBe(true);
            expect(c, what).not.toMatch(/[$#<>;`|&?{}^*]/);
          }
        }),
        fcParams(2000),
      );
    },
    timeoutFor(2000, 2),
  );

  it(
    "volume contexts: known keys with checked values, or InvalidArgument",
    () => {
      fc.assert(
        fc.property(
          fc.dictionary(fc.oneof(fc.constantFrom("encryptInTransit", "mounttargetip", "mountTargetIpMap", "crossaccount", "csi.storage.k8s.io/pod.name", "storage.kubernetes.io/csiProvisionerIdentity", "awscredsuri"), hostilePiece), fc.oneof(hostilePiece, fc.constantFrom("true", "10.0.0.1", "::1", '{"us-east-1a":"10.0.0.1"}', "10.0.0.1,ro")), { maxKeys: 3 }),
          (ctx) => {
            const v = refusedOr("volumeContext", () => parseVolumeContext(ctx));
            if (v?.mountTargetIp !== undefined) expect(v.mountTargetIp, JSON.stringify(ctx)).toMatch(/^[0-9a-fA-F.:]+$/);
          },
        ),
        fcParams(2000),
      );
    },
    timeoutFor(2000, 2),
  );

  it("reports its tally", () => {
    tally.report();
    expect(tally.inputs).toBeGreaterThan(0);
  });
});
