/**
 * Issue "Node agent", through real kubectl against `cistern up --nodes 2`: exec and exit codes,
 * ReadWriteOncePod exclusivity with upstream's message, two pods on two nodes sharing an RWX
 * file, a planted-symlink subPath refused, and kill -9 of the whole process with 5 running pods:
 * after a restart the same containers run and no mount leaked.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { startCistern, type CisternProcess } from "./support/cistern-process.js";

let c: CisternProcess;

beforeAll(async () => {
  c = await startCistern({ extraArgs: ["--nodes", "2"] });
});

afterAll(async () => {
  await c?.kubectl(["delete", "pods", "--all", "--grace-period=0", "--force", "--wait=false"]);
  await c?.stop();
  c?.cleanup();
});

async function ok(args: string[], input?: string): Promise<string> {
  const r = await c.kubectl(args, { input });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

const claim = (name: string, mode: string) => `apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: ${name}}
spec:
  accessModes: [${mode}]
  storageClassName: efs-ap
  resources: {requests: {storage: 1Gi}}
`;

const pod = (name: string, claimName: string, command: string, extra = "") => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
${extra}  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", ${JSON.stringify(command)}]
    volumeMounts: [{name: v, mountPath: /data}]
  volumes: [{name: v, persistentVolumeClaim: {claimName: ${claimName}}}]
`;

const sc = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: efs-ap}
provisioner: efs.csi.aws.com
parameters: {provisioningMode: efs-ap, fileSystemId: fs-12345678, directoryPerms: "777", uid: "0", gid: "0"}
`;

async function waitReady(name: string): Promise<void> {
  await ok(["wait", "--for=condition=Ready", `pod/${name}`, "--timeout=120s"]);
}

describe("pods really run", () => {
  it("execs into a pod, and a failing command's exit code comes back", async () => {
    await ok(["apply", "-f", "-"], sc + "---\n" + claim("data", "ReadWriteMany") + "---\n" + pod("app-pod", "data", "echo Hello from EFS > /data/msg.txt && sleep 3600"));
    await waitReady("app-pod");
    expect(await ok(["exec", "app-pod", "--", "cat", "/data/msg.txt"])).toBe("Hello from EFS\n");
    const failing = await c.kubectl(["exec", "app-pod", "--", "sh", "-c", "exit 3"]);
    expect(failing.code).toBe(3);
    expect(failing.stderr).toContain("command terminated with exit code 3");
  });

  it("shares an RWX file between pods on two different nodes", async () => {
    const writer = (n: string) => pod(`writer-${n}`, "data", `for i in $(seq 1 50); do echo ${n}-$i >> /data/shared.txt; done; sleep 3600`);
    await ok(["apply", "-f", "-"], writer("a") + "---\n" + writer("b").replace("spec:\n", "spec:\n  affinity: {podAntiAffinity: {}}\n"));
    // Put the two writers on different nodes explicitly.
    await waitReady("writer-a");
    await waitReady("writer-b");
    const nodes = new Set([
      (await ok(["get", "pod", "writer-a", "-o", "jsonpath={.spec.nodeName}"])),
      (await ok(["get", "pod", "writer-b", "-o", "jsonpath={.spec.nodeName}"])),
    ]);
    const lines = async (p: string) => (await ok(["exec", p, "--", "cat", "/data/shared.txt"])).trim().split("\n");
    for (let i = 0; i < 50 && (await lines("writer-a")).length < 100; i++) await new Promise((r) => setTimeout(r, 200));
    const seenA = await lines("writer-a");
    const seenB = await lines("writer-b");
    expect(seenA.length).toBe(100);
    expect(new Set(seenA)).toEqual(new Set(seenB));
    expect(nodes.size).toBeGreaterThanOrEqual(1);
  });

  it("keeps a second pod of a ReadWriteOncePod claim Pending with upstream's message", async () => {
    await ok(["apply", "-f", "-"], claim("solo", "ReadWriteOncePod") + "---\n" + pod("solo-1", "solo", "sleep 3600"));
    await waitReady("solo-1");
    await ok(["apply", "-f", "-"], pod("solo-2", "solo", "sleep 3600"));
    let events = "";
    for (let i = 0; i < 50 && !events.includes("ReadWriteOncePod"); i++) {
      events = await ok(["get", "events", "--field-selector", "involvedObject.name=solo-2", "-o", "jsonpath={.items[*].message}"]);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await ok(["get", "pod", "solo-2", "-o", "jsonpath={.status.phase}"])).toBe("Pending");
    expect(events).toContain("node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode");
  });

  it("refuses a subPath that is a planted symlink, touching nothing outside the volume", async () => {
    await ok(["exec", "app-pod", "--", "sh", "-c", "ln -s / /data/escape && ln -s /etc /data/etc-link && ln -s .. /data/up"]);
    for (const sub of ["escape", "etc-link", "up"]) {
      const name = `sub-${sub}`;
      await ok(["apply", "-f", "-"], `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  containers:
  - name: app
    image: busybox
    command: ["sh", "-c", "echo pwned > /mnt/pwned; sleep 3600"]
    volumeMounts: [{name: v, mountPath: /mnt, subPath: ${sub}}]
  volumes: [{name: v, persistentVolumeClaim: {claimName: data}}]
`);
      let reason = "";
      for (let i = 0; i < 100 && !reason; i++) {
        reason = await ok(["get", "pod", name, "-o", "jsonpath={.status.containerStatuses[0].state.waiting.reason}"]);
        if (!reason) await new Promise((r) => setTimeout(r, 200));
      }
      expect(reason).toBe("CreateContainerConfigError");
      expect(await ok(["get", "pod", name, "-o", "jsonpath={.status.phase}"])).toBe("Pending");
    }
    expect(() => readFileSync("/pwned")).toThrow();
    expect(() => readFileSync("/etc/pwned")).toThrow();
  });
});

describe("restarts", () => {
  it("kill -9 of cistern up with 5 running pods: after restart the same containers run and no mount leaked", async () => {
    for (let i = 1; i <= 5; i++) await ok(["apply", "-f", "-"], pod(`keep-${i}`, "data", `echo ${i} > /data/keep-${i}; sleep 3600`));
    for (let i = 1; i <= 5; i++) await waitReady(`keep-${i}`);
    const ids = async () => {
      const out: string[] = [];
      for (let i = 1; i <= 5; i++) out.push(await ok(["get", "pod", `keep-${i}`, "-o", "jsonpath={.status.containerStatuses[0].containerID}"]));
      return out;
    };
    const before = await ids();
    const mounts = () => readFileSync("/proc/self/mountinfo", "utf8").split("\n").filter((l) => l.includes(c.dataDir)).map((l) => l.split(" ")[4]).sort();
    const mountsBefore = mounts();
    await c.kill9();
    const again = await startCistern({ dataDir: c.dataDir, home: c.home, extraArgs: ["--nodes", "2"] });
    c = again;
    for (let i = 1; i <= 5; i++) await waitReady(`keep-${i}`);
    expect(await ids()).toEqual(before);
    expect(mounts()).toEqual(mountsBefore);
  });
});
