/**
 * Upstream's index_test.go tables (TestMatchVolume, TestMatchingWithBoundVolumes,
 * TestFindingVolumeWithDifferentAccessModes, TestFindingPreboundVolumes, TestBestMatchDelayed,
 * TestFindMatchVolumeWithNode, TestCheckAccessModes, TestVolumeModeCheck, TestFilteringVolumeModes,
 * TestStorageObjectInUseProtectionFiltering), plus a property test: the index gives the same
 * answer as upstream's literal algorithm (buckets + linear FindMatchingVolume) on random inputs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accessModesContainedIn, accessModesKey } from "../model/access-modes.js";
import { nanoKey } from "../model/quantity.js";
import type { AccessMode, Node, PersistentVolume, PersistentVolumeClaim, VolumeMode, VolumePhase } from "../model/types.js";
import { volumeModeMismatch } from "../model/volume-helpers.js";
import { checkVolumeSatisfyClaim, findMatchingVolume } from "./match-volume.js";
import { VolumeIndex } from "./volume-index.js";

const RWO: AccessMode = "ReadWriteOnce";
const ROX: AccessMode = "ReadOnlyMany";
const RWX: AccessMode = "ReadWriteMany";

function pv(uid: string, name: string, size: string, modes: AccessMode[], extra: { phase?: VolumePhase | ""; cls?: string; labels?: Record<string, string>; claimRef?: PersistentVolume["spec"]["claimRef"]; affinity?: string; mode?: VolumeMode | null } = {}): PersistentVolume {
  const vol: PersistentVolume = {
    apiVersion: "v1",
    kind: "PersistentVolume",
    metadata: { name, uid, labels: extra.labels },
    spec: { capacity: { storage: size }, accessModes: modes, storageClassName: extra.cls ?? "", volumeMode: extra.mode === null ? undefined : (extra.mode ?? "Filesystem"), claimRef: extra.claimRef },
    status: { phase: extra.phase === undefined ? "Available" : extra.phase },
  };
  if (!extra.claimRef) delete vol.spec.claimRef;
  if (extra.affinity) vol.spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "key1", operator: "In", values: [extra.affinity] }] }] } };
  return vol;
}

function claim(size: string, mod: (c: PersistentVolumeClaim) => void = () => {}): PersistentVolumeClaim {
  const c: PersistentVolumeClaim = {
    apiVersion: "v1",
    kind: "PersistentVolumeClaim",
    metadata: { name: "claim01", namespace: "myns" },
    spec: { accessModes: [ROX, RWO], resources: { requests: { storage: size } }, volumeMode: "Filesystem" },
  };
  mod(c);
  return c;
}

/** Upstream's createTestVolumes fixture. */
function testVolumes(): PersistentVolume[] {
  return [
    pv("gce-pd-10", "gce003", "10G", [RWO, ROX]),
    pv("gce-pd-20", "gce004", "20G", [RWO, ROX], { claimRef: { uid: "def456" }, phase: "Bound" }),
    pv("nfs-5", "nfs002", "5G", [RWO, ROX, RWX]),
    pv("gce-pd-1", "gce001", "1G", [RWO, ROX], { claimRef: { uid: "abc123" }, phase: "Bound" }),
    pv("nfs-10", "nfs003", "10G", [RWO, ROX, RWX]),
    pv("gce-pd-5", "gce002", "5G", [RWO, ROX]),
    pv("nfs-1", "nfs001", "1G", [RWO, ROX, RWX]),
    pv("gce-pd-2", "gce0022", "20000G", [RWO], { labels: { "should-exist": "true" } }),
    pv("gce-pd-silver1", "gce0023", "10000G", [RWO], { labels: { "should-exist": "true" }, cls: "silver" }),
    pv("gce-pd-silver2", "gce0024", "100G", [RWO], { cls: "silver" }),
    pv("gce-pd-gold", "gce0025", "50G", [RWO], { cls: "gold" }),
    pv("local-pd-very-large", "local001", "200E", [RWO, ROX, RWX], { cls: "large" }),
    pv("local-pd-extremely-large", "local002", "800E", [RWO, ROX, RWX], { cls: "large" }),
    pv("affinity-pv", "affinity001", "100G", [RWO, ROX], { cls: "wait", affinity: "value1" }),
    pv("affinity-pv2", "affinity002", "150G", [RWO, ROX], { cls: "wait", affinity: "value1" }),
    pv("affinity-prebound", "affinity003", "100G", [RWO, ROX], { cls: "wait", affinity: "value1", claimRef: { name: "claim02", namespace: "myns" } }),
    pv("affinity-pv3", "affinity003", "200G", [RWO, ROX], { cls: "wait", affinity: "value3" }),
    pv("affinity-pv4-pending", "affinity004-pending", "200G", [RWO, ROX], { cls: "wait", affinity: "value4", phase: "Pending" }),
    pv("affinity-pv4-failed", "affinity004-failed", "200G", [RWO, ROX], { cls: "wait", affinity: "value4", phase: "Failed" }),
    pv("affinity-pv4-released", "affinity004-released", "200G", [RWO, ROX], { cls: "wait", affinity: "value4", phase: "Released" }),
    pv("affinity-pv4-empty", "affinity004-empty", "200G", [RWO, ROX], { cls: "wait", affinity: "value4", phase: "" }),
  ];
}

function indexOf(vols: PersistentVolume[]): VolumeIndex {
  const index = new VolumeIndex();
  for (const v of vols) index.upsert(v);
  return index;
}

describe("TestMatchVolume", () => {
  // The fixture reuses one name for two volumes (as upstream's); the index is by name, so the
  // later one wins there, exactly as in upstream's indexer.
  const index = indexOf(testVolumes());
  const scenarios: [string, string, PersistentVolumeClaim][] = [
    ["successful-match-gce-10", "gce-pd-10", claim("8G")],
    ["successful-match-nfs-5", "nfs-5", claim("5G", (c) => (c.spec.accessModes = [ROX, RWO, RWX]))],
    ["successful-skip-1g-bound-volume", "gce-pd-5", claim("1G")],
    ["successful-no-match", "", claim("999G")],
    ["successful-no-match-due-to-label", "", claim("999G", (c) => (c.spec.selector = { matchLabels: { "should-not-exist": "true" } }))],
    ["successful-no-match-due-to-size-constraint-with-label-selector", "", claim("20000G", (c) => { c.spec.selector = { matchLabels: { "should-exist": "true" } }; c.spec.accessModes = [ROX, RWO]; })],
    ["successful-match-due-with-constraint-and-label-selector", "gce-pd-2", claim("20000G", (c) => { c.spec.selector = { matchLabels: { "should-exist": "true" } }; c.spec.accessModes = [RWO]; })],
    ["successful-match-with-class", "gce-pd-silver1", claim("1G", (c) => { c.spec.selector = { matchLabels: { "should-exist": "true" } }; c.spec.accessModes = [RWO]; c.spec.storageClassName = "silver"; })],
    ["successful-match-with-class-and-labels", "gce-pd-silver2", claim("1G", (c) => { c.spec.accessModes = [RWO]; c.spec.storageClassName = "silver"; })],
    ["successful-match-very-large", "local-pd-very-large", claim("1E", (c) => { c.spec.accessModes = [RWO]; c.spec.storageClassName = "large"; })],
    ["successful-match-exact-extremely-large", "local-pd-extremely-large", claim("800E", (c) => { c.spec.accessModes = [RWO]; c.spec.storageClassName = "large"; })],
    ["successful-no-match-way-too-large", "", claim("950E", (c) => { c.spec.accessModes = [RWO]; c.spec.storageClassName = "large"; })],
  ];
  for (const [name, want, c] of scenarios) {
    it(name, () => expect(index.findBestMatchForClaim(c, false)?.metadata.uid ?? "").toBe(want));
  }
});

describe("index behaviour tables", () => {
  it("TestMatchingWithBoundVolumes", () => {
    const index = indexOf([pv("gce-pd-1", "gce001", "1G", [RWO, ROX], { claimRef: { uid: "abc123" }, phase: "Bound" }), pv("gce-pd-2", "gce002", "1G", [RWO, ROX])]);
    expect(index.findBestMatchForClaim(claim("1G"), false)?.metadata.name).toBe("gce002");
  });

  it("TestFindingVolumeWithDifferentAccessModes", () => {
    const gce = pv("001", "gce", "10G", [RWO, ROX]);
    const ebs = pv("002", "ebs", "10G", [RWO]);
    const nfs = pv("003", "nfs", "10G", [RWO, ROX, RWX]);
    const index = indexOf([gce, ebs, nfs]);
    const c = claim("1G", (x) => (x.spec.accessModes = [RWO]));
    expect(index.findBestMatchForClaim(c, false)?.metadata.name).toBe("ebs");
    c.spec.accessModes = [RWO, ROX];
    expect(index.findBestMatchForClaim(c, false)?.metadata.name).toBe("gce");
    c.spec.accessModes = [RWX, RWO, ROX];
    expect(index.findBestMatchForClaim(c, false)?.metadata.name).toBe("nfs");
    c.spec.accessModes = [RWX];
    expect(index.findBestMatchForClaim(c, false)?.metadata.name).toBe("nfs");
    // The exact match is taken: the next level of modes up.
    index.upsert({ ...ebs, spec: { ...ebs.spec, claimRef: {} } });
    c.spec.accessModes = [RWO];
    expect(index.findBestMatchForClaim(c, false)?.metadata.name).toBe("gce");
    index.upsert({ ...gce, spec: { ...gce.spec, claimRef: {} } });
    expect(index.findBestMatchForClaim(c, false)?.metadata.name).toBe("nfs");
    index.upsert(gce);
    c.spec.accessModes = [ROX];
    expect(index.findBestMatchForClaim(c, false)?.metadata.name).toBe("gce");
  });

  it("TestFindingPreboundVolumes", () => {
    const c = claim("1Gi", (x) => (x.spec.accessModes = [RWO]));
    c.metadata.uid = "claim-uid";
    const ref = { kind: "PersistentVolumeClaim", namespace: "myns", name: "claim01", uid: "claim-uid" };
    const mk = (name: string, size: string, modes: AccessMode[] = [RWO]) => pv(name, name, size, modes);
    const [pv1, pv5, pv8, pvBadSize, pvBadMode] = [mk("pv1", "1Gi"), mk("pv5", "5Gi"), mk("pv8", "8Gi"), mk("pvBadSize", "1Mi"), mk("pvBadMode", "1Gi", [ROX])];
    const index = indexOf([pv1, pv5, pv8, pvBadSize, pvBadMode]);
    expect(index.findBestMatchForClaim(c, false)?.metadata.name).toBe("pv1");
    index.upsert({ ...pv1, spec: { ...pv1.spec, claimRef: { name: "foo", namespace: "bar" } } });
    expect(index.findBestMatchForClaim(c, false)?.metadata.name).toBe("pv5");
    index.upsert(pv1);
    index.upsert({ ...pv8, spec: { ...pv8.spec, claimRef: ref } });
    expect(index.findBestMatchForClaim(c, false)?.metadata.name).toBe("pv8");
    index.upsert(pv8);
    index.upsert({ ...pvBadSize, spec: { ...pvBadSize.spec, claimRef: ref } });
    expect(index.findBestMatchForClaim(c, false)?.metadata.name).toBe("pv1");
    index.upsert(pvBadSize);
    index.upsert({ ...pvBadMode, spec: { ...pvBadMode.spec, claimRef: ref } });
    expect(index.findBestMatchForClaim(c, false)?.metadata.name).toBe("pv1");
  });

  it("TestBestMatchDelayed", () => {
    expect(indexOf(testVolumes()).findBestMatchForClaim(claim("8G"), true)).toBeUndefined();
  });

  it("TestFindMatchVolumeWithNode", () => {
    const vols = testVolumes();
    const node = (value: string): Pick<Node, "metadata"> => ({ metadata: { labels: { key1: value } } });
    const waitClaim = (name = "claim01", modes: AccessMode[] = [RWO]) => claim("100G", (c) => { c.spec.accessModes = modes; c.spec.storageClassName = "wait"; c.metadata.name = name; });
    const scenarios: [string, string, PersistentVolumeClaim, Pick<Node, "metadata">, string[]?][] = [
      ["success-match", "affinity-pv", waitClaim(), node("value1")],
      ["success-prebound", "affinity-prebound", waitClaim("claim02"), node("value1")],
      ["success-exclusion", "affinity-pv2", waitClaim(), node("value1"), ["affinity001"]],
      ["fail-exclusion", "", waitClaim(), node("value1"), ["affinity001", "affinity002"]],
      ["fail-accessmode", "", waitClaim("claim01", [RWX]), node("value1")],
      ["fail-nodeaffinity", "", waitClaim(), node("value2")],
      ["fail-prebound-node-affinity", "", waitClaim("claim02"), node("value3")],
      ["fail-nonavaiable", "", waitClaim("claim04"), node("value4")],
      ["success-bad-and-good-node-affinity", "affinity-pv3", waitClaim("claim03"), node("value3")],
    ];
    for (const [name, want, c, n, excluded] of scenarios) {
      const got = findMatchingVolume(c, vols, { node: n, excluded: new Set(excluded ?? []), delayBinding: true });
      expect(got?.metadata.uid ?? "", name).toBe(want);
    }
  });

  it("TestCheckAccessModes", () => {
    const have = [RWO, RWX];
    expect(accessModesContainedIn(have, [RWX])).toBe(true);
    expect(accessModesContainedIn(have, [RWX, RWO])).toBe(true);
    expect(accessModesContainedIn(have, [ROX])).toBe(false);
    expect(accessModesContainedIn(have, [RWX, ROX])).toBe(false);
  });

  it("TestVolumeModeCheck and TestFilteringVolumeModes", () => {
    const modes: (VolumeMode | null)[] = ["Block", "Filesystem", null];
    for (const claimMode of modes) {
      for (const volumeMode of modes) {
        const c = claim("8G", (x) => { x.spec.accessModes = [RWO]; if (claimMode) x.spec.volumeMode = claimMode; else delete x.spec.volumeMode; });
        const v = pv("local-1", "block", "10G", [RWO], { mode: volumeMode });
        const mismatch = (claimMode ?? "Filesystem") !== (volumeMode ?? "Filesystem");
        expect(volumeModeMismatch(c, v), `${claimMode}/${volumeMode}`).toBe(mismatch);
        expect(indexOf([v]).findBestMatchForClaim(c, false) === undefined, `${claimMode}/${volumeMode}`).toBe(mismatch);
      }
    }
  });

  it("TestStorageObjectInUseProtectionFiltering", () => {
    const v = pv("pv1", "pv1", "1G", [RWO]);
    const deleting = { ...v, metadata: { ...v.metadata, deletionTimestamp: "2020-02-18T10:30:30Z" } };
    const c = claim("1G", (x) => (x.spec.accessModes = [RWO]));
    expect(checkVolumeSatisfyClaim(v, c)).toBeUndefined();
    expect(checkVolumeSatisfyClaim(deleting, c)).toBe('the volume is marked for deletion "pv1"');
    expect(indexOf([v]).findBestMatchForClaim(c, false)?.metadata.name).toBe("pv1");
    expect(indexOf([deleting]).findBestMatchForClaim(c, false)).toBeUndefined();
  });

  it("reserved volumes are invisible to other claims, not to their holder", () => {
    const index = indexOf([pv("a", "a", "1Gi", [RWO])]);
    const c = claim("1Gi", (x) => (x.spec.accessModes = [RWO]));
    expect(index.reserve("a", "other/claim")).toBe(true);
    expect(index.findBestMatchForClaim(c, false)).toBeUndefined();
    expect(index.reserve("a", "myns/claim01")).toBe(false);
    index.release("a", "other/claim");
    expect(index.reserve("a", "myns/claim01")).toBe(true);
    expect(index.findBestMatchForClaim(c, false)?.metadata.name).toBe("a");
  });
});

/** Upstream's algorithm, literally: candidate buckets in order, a linear scan of each. */
function referenceBestMatch(vols: PersistentVolume[], c: PersistentVolumeClaim, delayBinding: boolean): PersistentVolume | undefined {
  const buckets = new Map<string, PersistentVolume[]>();
  for (const v of vols) {
    const k = accessModesKey(v.spec.accessModes);
    buckets.set(k, [...(buckets.get(k) ?? []), v]);
  }
  const keys = [...buckets.keys()]
    .filter((k) => accessModesContainedIn(k ? k.split(",").map((s) => ({ RWO, ROX, RWX, RWOP: "ReadWriteOncePod" })[s] as string) : [], c.spec.accessModes))
    .sort((a, b) => (a ? a.split(",").length : 0) - (b ? b.split(",").length : 0) || (a < b ? -1 : a > b ? 1 : 0));
  for (const k of keys) {
    const found = findMatchingVolume(c, buckets.get(k) ?? [], { delayBinding });
    if (found) return found;
  }
  return undefined;
}

describe("index ≡ upstream's linear algorithm (property)", () => {
  const modeSets: AccessMode[][] = [[RWO], [RWO, ROX], [RWX], [RWO, ROX, RWX], [ROX], ["ReadWriteOncePod"]];
  const volumeArb = fc.record({
    size: fc.constantFrom("1Gi", "2Gi", "5Gi", "1G", "500Mi", "10Gi"),
    modes: fc.constantFrom(...modeSets),
    cls: fc.constantFrom("", "gold"),
    phase: fc.constantFrom<VolumePhase>("Available", "Available", "Available", "Pending", "Bound", "Released"),
    claimRef: fc.constantFrom<"none" | "mine" | "mine-uid" | "other">("none", "none", "none", "mine", "mine-uid", "other"),
    mode: fc.constantFrom<VolumeMode>("Filesystem", "Filesystem", "Block"),
    label: fc.boolean(),
    deleting: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  });
  const claimArb = fc.record({
    size: fc.constantFrom("1Gi", "2Gi", "3Gi", "1G"),
    modes: fc.constantFrom(...modeSets),
    cls: fc.constantFrom("", "gold"),
    mode: fc.constantFrom<VolumeMode>("Filesystem", "Block"),
    selector: fc.boolean(),
    delay: fc.boolean(),
  });
  it("finds a volume exactly when upstream does, of the same size, bucket and kind", () => {
    fc.assert(
      fc.property(fc.array(volumeArb, { maxLength: 25 }), claimArb, (vspecs, cs) => {
        const c: PersistentVolumeClaim = {
          apiVersion: "v1",
          kind: "PersistentVolumeClaim",
          metadata: { name: "c", namespace: "ns", uid: "u1" },
          spec: { accessModes: cs.modes, resources: { requests: { storage: cs.size } }, storageClassName: cs.cls, volumeMode: cs.mode, selector: cs.selector ? { matchLabels: { tier: "a" } } : undefined },
        };
        const vols = vspecs.map((s, i) => {
          const ref = s.claimRef === "none" ? undefined : s.claimRef === "other" ? { namespace: "ns", name: "x", uid: "u9" } : { namespace: "ns", name: "c", uid: s.claimRef === "mine-uid" ? "u1" : undefined };
          const v = pv(`v${i}`, `v${String(i).padStart(2, "0")}`, s.size, s.modes, { phase: s.phase, cls: s.cls, labels: s.label ? { tier: "a" } : undefined, claimRef: ref, mode: s.mode });
          if (s.deleting) v.metadata.deletionTimestamp = "2024-01-01T00:00:00Z";
          return v;
        });
        const want = referenceBestMatch(vols, c, cs.delay);
        const got = indexOf(vols).findBestMatchForClaim(c, cs.delay);
        expect(got === undefined).toBe(want === undefined);
        if (got && want) {
          expect(accessModesKey(got.spec.accessModes)).toBe(accessModesKey(want.spec.accessModes));
          expect(!!got.spec.claimRef).toBe(!!want.spec.claimRef);
          if (!want.spec.claimRef) expect(nanoKey(got.spec.capacity?.storage)).toBe(nanoKey(want.spec.capacity?.storage));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
