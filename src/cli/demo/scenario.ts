/**
 * The guide's use case, end to end, as a user would run it: every step prints the command and
 * its real output, then checks what the guide promises against the API, the EFS API and the
 * disk. A step that does not hold fails the demo.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DescribeAccessPointsCommand } from "@aws-sdk/client-efs";
import { resourceFor, type KubeObject, type ResourceTraits } from "../../api/index.js";
import { isNotFound } from "../../client/index.js";
import { signedJsonRequest } from "../../lib/aws-signed-request.js";
import { formatUsage, type UsageReport } from "../../efs/index.js";
import { command, heading, note, output, verdict, type StepResult } from "./report.js";
import { EXAMPLES, kubectl, waitFor, type DemoContext } from "./tools.js";

const FS_ID = "fs-12345678";
const res = (plural: string, group = ""): ResourceTraits => {
  const t = resourceFor(group, "v1", plural);
  if (!t) throw new Error(`no kind ${plural}`);
  return t;
};
const PVC = () => res("persistentvolumeclaims");
const PV = () => res("persistentvolumes");
const POD = () => res("pods");

type Obj = KubeObject & { spec?: any; status?: any };

async function get(ctx: DemoContext, t: ResourceTraits, ns: string | undefined, name: string): Promise<Obj | undefined> {
  try {
    return (await ctx.kube.resource(t).get(ns ?? "", name)) as Obj;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

const guide = (f: string) => join(EXAMPLES, "guide", f);
const example = (...p: string[]) => join(EXAMPLES, ...p);
const hostFile = (ctx: DemoContext, ...p: string[]) => join(ctx.dataDir, "efs", "fs", FS_ID, ...p);

export interface Step {
  title: string;
  check: string;
  run(ctx: DemoContext): Promise<{ ok: boolean; detail?: string }>;
}

async function podPhase(ctx: DemoContext, name: string, want: (p: string, pod: Obj) => boolean, timeoutMs: number, label: string): Promise<Obj | undefined> {
  return waitFor(label, timeoutMs, async () => {
    const pod = await get(ctx, POD(), "default", name);
    return pod && want(pod.status?.phase ?? "", pod) ? pod : undefined;
  });
}

const ready = (_p: string, pod: Obj) => (pod.status?.conditions ?? []).some((c: { type: string; status: string }) => c.type === "Ready" && c.status === "True");

export const steps: Step[] = [
  {
    title: "Apply the guide's StorageClass, PersistentVolume, PersistentVolumeClaim and Pod (verbatim)",
    check: "guide manifests applied",
    async run(ctx) {
      const r = await kubectl(ctx, ["apply", "-f", guide("storageclass.yaml"), "-f", guide("pv.yaml"), "-f", guide("pvc.yaml"), "-f", guide("pod.yaml")]);
      return { ok: r.code === 0 };
    },
  },
  {
    title: "The 5Gi claim binds to the 100Gi PV backed by EFS",
    check: "efs-pvc Bound to efs-pv (100Gi)",
    async run(ctx) {
      await kubectl(ctx, ["wait", "--for=jsonpath={.status.phase}=Bound", "pvc/efs-pvc", "--timeout=60s"]);
      await kubectl(ctx, ["get", "pvc", "efs-pvc"]);
      const pvc = await get(ctx, PVC(), "default", "efs-pvc");
      const ok = pvc?.status?.phase === "Bound" && pvc.spec?.volumeName === "efs-pv" && pvc.status?.capacity?.storage === "100Gi";
      return { ok, detail: ok ? undefined : `phase ${pvc?.status?.phase}, volume ${pvc?.spec?.volumeName}` };
    },
  },
  {
    title: "The pod runs and writes \"Hello from EFS\" onto the EFS file system",
    check: "Hello from EFS on the file system",
    async run(ctx) {
      note("the first pod on a machine builds the busybox image from Debian's busybox-static");
      const pod = await podPhase(ctx, "app-pod", ready, 180_000, "waiting for app-pod to run");
      await kubectl(ctx, ["get", "pod", "app-pod", "-o", "wide"]);
      if (!pod) return { ok: false, detail: "app-pod did not become Ready" };
      const inPod = await waitFor("waiting for /data/msg.txt", 30_000, async () => {
        const r = await kubectl(ctx, ["exec", "app-pod", "--", "cat", "/data/msg.txt"], { quiet: true });
        return r.code === 0 && r.stdout.includes("Hello from EFS") ? r.stdout : undefined;
      });
      await kubectl(ctx, ["exec", "app-pod", "--", "cat", "/data/msg.txt"]);
      const file = hostFile(ctx, "msg.txt");
      command(["cat", file]);
      const onDisk = existsSync(file) ? readFileSync(file, "utf8") : "";
      output(onDisk || "(no such file)");
      const ok = !!inPod && onDisk.includes("Hello from EFS");
      return { ok, detail: ok ? undefined : "the file is not on the EFS file system's directory" };
    },
  },
  {
    title: "Delete the pod; a new pod on the same claim reads the data back",
    check: "data survives pod re-creation",
    async run(ctx) {
      note("sh runs as PID 1 and ignores SIGTERM, so a plain delete waits out the 30 s grace period (as on any cluster); the demo asks for 2 s");
      await kubectl(ctx, ["delete", "pod", "app-pod", "--grace-period=2"]);
      await kubectl(ctx, ["get", "pvc,pv"]);
      await kubectl(ctx, ["apply", "-f", example("persistence", "reader-pod.yaml")]);
      const done = await podPhase(ctx, "reader-pod", (p) => p === "Succeeded" || p === "Failed", 120_000, "waiting for reader-pod to finish");
      const logs = await kubectl(ctx, ["logs", "reader-pod"]);
      const pvc = await get(ctx, PVC(), "default", "efs-pvc");
      const ok = done?.status?.phase === "Succeeded" && logs.stdout.includes("Hello from EFS") && pvc?.status?.phase === "Bound";
      return { ok, detail: ok ? undefined : `reader-pod ${done?.status?.phase ?? "did not finish"}` };
    },
  },
  {
    title: "Delete the claim under Retain: the PV becomes Released and the data stays",
    check: "Retain: PV Released, data kept",
    async run(ctx) {
      await kubectl(ctx, ["delete", "pod", "reader-pod"]);
      await kubectl(ctx, ["delete", "pvc", "efs-pvc"]);
      const pv = await waitFor("waiting for efs-pv to be Released", 60_000, async () => {
        const v = await get(ctx, PV(), undefined, "efs-pv");
        return v?.status?.phase === "Released" ? v : undefined;
      });
      await kubectl(ctx, ["get", "pv", "efs-pv"]);
      const file = hostFile(ctx, "msg.txt");
      command(["cat", file]);
      const kept = existsSync(file) && readFileSync(file, "utf8").includes("Hello from EFS");
      output(kept ? readFileSync(file, "utf8") : "(no such file)");
      return { ok: !!pv && kept, detail: !pv ? "efs-pv is not Released" : kept ? undefined : "the data is gone" };
    },
  },
  {
    title: "Dynamic provisioning on an efs-ap class with Delete: claim → access point → folder, then all gone",
    check: "Delete: PV, access point and folder removed",
    async run(ctx) {
      await kubectl(ctx, ["apply", "-f", example("dynamic-provisioning", "storageclass.yaml"), "-f", example("dynamic-provisioning", "pvc.yaml"), "-f", example("dynamic-provisioning", "pod.yaml")]);
      await kubectl(ctx, ["wait", "--for=jsonpath={.status.phase}=Bound", "pvc/dynamic-claim", "--timeout=60s"]);
      const pvc = await get(ctx, PVC(), "default", "dynamic-claim");
      const pvName = pvc?.spec?.volumeName as string | undefined;
      if (!pvName) return { ok: false, detail: "dynamic-claim did not bind" };
      const pod = await podPhase(ctx, "dynamic-writer", ready, 120_000, "waiting for dynamic-writer to run");
      await kubectl(ctx, ["get", "pvc", "dynamic-claim"]);
      const pv = await get(ctx, PV(), undefined, pvName);
      const handle = String(pv?.spec?.csi?.volumeHandle ?? "");
      const apId = /fsap-[0-9a-f]+/.exec(handle)?.[0];
      command(["aws", "efs", "describe-access-points", "--access-point-id", apId ?? "?"]);
      const aps = apId ? await ctx.efs.send(new DescribeAccessPointsCommand({ AccessPointId: apId })) : undefined;
      const ap = aps?.AccessPoints?.[0];
      output(JSON.stringify({ AccessPointId: ap?.AccessPointId, FileSystemId: ap?.FileSystemId, PosixUser: ap?.PosixUser, RootDirectory: ap?.RootDirectory, LifeCycleState: ap?.LifeCycleState }, null, 2));
      const dir = ap?.RootDirectory?.Path ? hostFile(ctx, ...ap.RootDirectory.Path.split("/").filter(Boolean)) : "";
      const hadDir = !!dir && existsSync(dir);
      command(["ls", "-ln", dir]);
      output(hadDir ? readDirListing(dir) : "(no such directory)");
      await kubectl(ctx, ["delete", "pod", "dynamic-writer", "--grace-period=2"]);
      await kubectl(ctx, ["delete", "pvc", "dynamic-claim"]);
      const gone = await waitFor(`waiting for ${pvName} to be deleted`, 60_000, async () => ((await get(ctx, PV(), undefined, pvName)) ? undefined : true));
      await kubectl(ctx, ["get", "pv"]);
      let apGone = false;
      try {
        await ctx.efs.send(new DescribeAccessPointsCommand({ AccessPointId: apId }));
      } catch (e) {
        apGone = (e as { name?: string }).name === "AccessPointNotFound";
      }
      command(["aws", "efs", "describe-access-points", "--access-point-id", apId ?? "?"]);
      output(apGone ? `An error occurred (AccessPointNotFound): Access point '${apId}' does not exist.` : "(still there)");
      const dirGone = !!dir && !existsSync(dir);
      command(["ls", "-ln", dir]);
      output(dirGone ? `ls: cannot access '${dir}': No such file or directory` : readDirListing(dir));
      const ok = !!pod && hadDir && !!gone && apGone && dirGone;
      return { ok, detail: ok ? undefined : `pod ${pod ? "ran" : "did not run"}, folder created ${hadDir}, PV gone ${!!gone}, access point gone ${apGone}, folder gone ${dirGone}` };
    },
  },
  {
    title: "What the EFS metrics show",
    check: "EFS usage metered",
    async run(ctx) {
      command(["cistern", "efs", "usage", FS_ID, "--refresh"]);
      const r = await signedJsonRequest({ ...ctx.efsAccess, service: "elasticfilesystem", method: "GET", path: "/cistern/v1/usage", query: { FileSystemId: FS_ID, Refresh: "true" } });
      const report = r.body as UsageReport;
      output(r.status === 200 ? formatUsage(report) : JSON.stringify(r.body));
      const fs = report?.fileSystems?.[0] as { meteredBytes?: number; sizeInBytes?: { Value?: number } } | undefined;
      const metered = (fs?.sizeInBytes?.Value ?? fs?.meteredBytes ?? 0) as number;
      // An empty file system meters 6 KiB; msg.txt adds at least 2 KiB + 4 KiB.
      return { ok: r.status === 200 && metered >= 12 * 1024, detail: `${metered} bytes metered` };
    },
  },
];

function readDirListing(dir: string): string {
  try {
    const st = statSync(dir);
    const entries = readdirSync(dir);
    return `directory uid=${st.uid} gid=${st.gid} mode=${(st.mode & 0o7777).toString(8)}; ${entries.length} entries: ${entries.join(" ")}`;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Removes what an earlier demo run left, so the guide's manifests apply as on a fresh cluster. */
export async function cleanPreviousRun(ctx: DemoContext): Promise<void> {
  const leftovers: [ResourceTraits, string | undefined, string][] = [
    [POD(), "default", "app-pod"], [POD(), "default", "reader-pod"], [POD(), "default", "dynamic-writer"],
    [PVC(), "default", "efs-pvc"], [PVC(), "default", "dynamic-claim"], [PV(), undefined, "efs-pv"],
  ];
  const present = [];
  for (const [t, ns, name] of leftovers) if (await get(ctx, t, ns, name)) present.push(`${t.singular}/${name}`);
  if (present.length === 0) return;
  heading(0, "Cleaning up a previous demo run");
  await kubectl(ctx, ["delete", "--ignore-not-found", "--wait=true", "--timeout=120s", "pod/app-pod", "pod/reader-pod", "pod/dynamic-writer"]);
  await kubectl(ctx, ["delete", "--ignore-not-found", "--wait=true", "--timeout=120s", "pvc/efs-pvc", "pvc/dynamic-claim"]);
  await kubectl(ctx, ["delete", "--ignore-not-found", "--wait=true", "--timeout=120s", "pv/efs-pv"]);
}

export async function runSteps(ctx: DemoContext): Promise<StepResult[]> {
  const results: StepResult[] = [];
  let n = 1;
  for (const s of steps) {
    heading(n++, s.title);
    const start = Date.now();
    let r: { ok: boolean; detail?: string };
    try {
      r = await s.run(ctx);
    } catch (e) {
      r = { ok: false, detail: (e as Error).message };
    }
    const result = { title: s.title, check: s.check, ok: r.ok, detail: r.detail, ms: Date.now() - start };
    verdict(result);
    results.push(result);
  }
  return results;
}
