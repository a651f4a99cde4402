/**
 * Data path: the same busybox script run inside a pod on its EFS volume and on the host, on a
 * plain directory of the same filesystem (the limit):
 *   - sequential write of 1 GiB (256 MiB in quick mode; dd bs=1M, conv=fsync) and read of it back;
 *   - 2,000 small files (4 KiB each, written by the shell's printf builtin) written, then read by
 *     one `cat` of them all.
 * Two volumes: the guide's static volume (the whole file system, served by a bind mount) and an
 * access point from dynamic provisioning (served by efs-fuse, which enforces its POSIX identity).
 * Page caches are dropped before each read (both sides) when the kernel allows it, so reads come
 * from the disk; the figures say which. Each measurement is repeated and the median taken, pod and
 * host alternating which goes first (a VM's disk has its own cache on the hypervisor side).
 * Timings come from the script itself (the clock read through busybox adjtimex, in microseconds,
 * around each step), so pod startup is not counted.
 */
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { waitUntil } from "../core/load.js";
import { valueFigure, type FigureSink } from "../core/result.js";
import type { Scenario, ScenarioContext } from "../core/scenario.js";
import { isBound } from "../harness/condition-watch.js";
import { claim, efsApClass, paths, podWithClaim } from "../harness/objects.js";
import { clusterWithClaim, FS_ID } from "./pods.js";

const run = promisify(execFile);
const SMALL_FILES = 2000;

/** One step of the script: "write" (seq + small) or "read" (seq + small) in directory $1. */
export function script(step: "write" | "read", seqMiB: number): string {
  // adjtimex (read-only) gives the wall clock in microseconds; a file's mtime (coarse: one jiffy) if it is refused.
  const stamp = `stamp() { adjtimex 2>/dev/null | awk '/tv_sec/{s=$2}/tv_usec/{u=$2}END{if (s) printf "%d.%06d\\n", s, u}' | grep . || { touch "$D/.stamp"; stat -c %y "$D/.stamp"; }; }`;
  const body =
    step === "write"
      ? [
          'mkdir -p "$D/small"',
          'echo "seq-start $(stamp)"',
          `dd if=/dev/zero of="$D/seq" bs=1M count=${seqMiB} conv=fsync 2>/dev/null || exit 3`,
          'echo "seq-end $(stamp)"',
          'echo "small-start $(stamp)"',
          `i=0; while [ $i -lt ${SMALL_FILES} ]; do printf "%4096s" x > "$D/small/f$i" || exit 4; i=$((i+1)); done; sync`,
          'echo "small-end $(stamp)"',
        ]
      : [
          'echo "seq-start $(stamp)"',
          'dd if="$D/seq" of=/dev/null bs=1M 2>/dev/null || exit 3',
          'echo "seq-end $(stamp)"',
          'echo "small-start $(stamp)"',
          'cat "$D"/small/f* > /dev/null || exit 4',
          'echo "small-end $(stamp)"',
        ];
  return ['D="$1"', stamp, ...body].join("\n");
}

/** "1795543933.240552" (adjtimex) or "2026-11-24 18:00:12.540264827 +0000" (stat) → nanoseconds since the epoch. */
export function parseStamp(s: string): bigint {
  const e = /^(\d+)\.(\d{1,9})$/.exec(s.trim());
  if (e) return BigInt(e[1]) * 1_000_000_000n + BigInt(e[2].padEnd(9, "0"));
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)\.(\d{1,9}) ([+-]\d\d)(\d\d)$/.exec(s.trim());
  if (!m) throw new Error(`unparseable timestamp ${JSON.stringify(s)}`);
  const seconds = Date.parse(`${m[1]}T${m[2]}${m[4]}:${m[5]}`) / 1000;
  return BigInt(seconds) * 1_000_000_000n + BigInt(m[3].padEnd(9, "0"));
}

/** Seconds taken by "seq" and "small" in a script's output. */
export function durations(output: string): { seq: number; small: number } {
  const at = (label: string) => {
    const line = output.split("\n").find((l) => l.startsWith(label + " "));
    if (!line) throw new Error(`no ${label} in output:\n${output.slice(0, 2000)}`);
    return parseStamp(line.slice(label.length + 1));
  };
  const secs = (a: bigint, b: bigint) => Number(b - a) / 1e9;
  return { seq: secs(at("seq-start"), at("seq-end")), small: secs(at("small-start"), at("small-end")) };
}

async function dropCaches(): Promise<boolean> {
  try {
    await run("sync", []);
    writeFileSync("/proc/sys/vm/drop_caches", "3\n");
    return true;
  } catch {
    return false;
  }
}

interface Timings {
  seqWrite: number[];
  seqRead: number[];
  smallWrite: number[];
  smallRead: number[];
}

/** The median; of an even count, the mean of the middle two. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function measure(order: ("pod" | "host")[], runOn: Record<"pod" | "host", (step: "write" | "read") => Promise<string>>, into: Record<"pod" | "host", Timings>): Promise<boolean> {
  let cold = true;
  for (const side of order) {
    const w = durations(await runOn[side]("write"));
    into[side].seqWrite.push(w.seq);
    into[side].smallWrite.push(w.small);
  }
  for (const side of order) {
    cold = (await dropCaches()) && cold;
    const r = durations(await runOn[side]("read"));
    into[side].seqRead.push(r.seq);
    into[side].smallRead.push(r.small);
  }
  return cold;
}

function empty(): Timings {
  return { seqWrite: [], seqRead: [], smallWrite: [], smallRead: [] };
}

export const datapathScenario: Scenario = {
  name: "datapath",
  title: "Data path: inside a pod on EFS vs the host directory",
  async run(ctx: ScenarioContext, sink: FigureSink) {
    const ns = "data";
    const cluster = await clusterWithClaim(ctx, "data", ns);
    const { client, up } = cluster;
    try {
      await client.expect("POST", paths.storageClasses, efsApClass("efs-ap", FS_ID));
      await client.expect("POST", paths.pvcs(ns), claim(ns, "ap", { storageClassName: "efs-ap" }));
      await waitUntil(async () => isBound(await client.expect("GET", paths.pvc(ns, "ap"))), "access point claim Bound", 60_000, 100);
      // Five rounds in a full run: this VM's disk moves by tens of percent between runs of the same dd.
      const rounds = ctx.options.quick ? 2 : 5;
      const seqMiB = ctx.options.quick ? 256 : 1024;
      let seq = 0;
      const podRun = (claimName: string, dir: string) => async (step: "write" | "read") => {
        const name = `dd-${claimName}-${step}-${seq++}`;
        await client.expect("POST", paths.pods(ns), podWithClaim(ns, name, claimName, ["sh", "-c", script(step, seqMiB), "sh", dir]));
        let phase = "";
        await waitUntil(async () => ["Succeeded", "Failed"].includes((phase = (await client.expect("GET", `${paths.pods(ns)}/${name}`)).status?.phase ?? "")), `pod ${name} finished`, 600_000, 100);
        const log = String(await client.expect("GET", `${paths.pods(ns)}/${name}/log`));
        if (phase !== "Succeeded") throw new Error(`pod ${name} ${phase}:\n${log.slice(0, 2000)}`);
        await client.expect("DELETE", `${paths.pods(ns)}/${name}`, undefined, [200, 202, 404]);
        return log;
      };
      for (const [claimName, id, what] of [["shared", "datapath", "static volume, bind mount"], ["ap", "datapath.ap", "access point, efs-fuse"]] as const) {
        const host = join(up.dataDir, `host-${claimName}`);
        mkdirSync(host, { recursive: true });
        const hostRun = async (step: "write" | "read") => (await run("busybox", ["sh", "-c", script(step, seqMiB), "sh", host], { maxBuffer: 1 << 20 })).stdout;
        const t = { pod: empty(), host: empty() };
        let cold = true;
        for (let r = 0; r < rounds; r++) cold = (await measure(r % 2 === 0 ? ["host", "pod"] : ["pod", "host"], { pod: podRun(claimName, "/data"), host: hostRun }, t)) && cold;
        const cache = cold ? "page cache dropped before reads" : "page cache NOT dropped (no permission): reads come from memory";
        const note = `median of ${rounds}; ${what}`;
        const mibs = (xs: number[]) => seqMiB / median(xs);
        const files = (xs: number[]) => SMALL_FILES / median(xs);
        const limit = (label: string, v: number, unit: "MiB/s" | "/s") => ({ label: `host directory, same filesystem: ${label}`, value: v, unit });
        // Every run, in order, so the spread behind each median is on the record.
        const runs = (xs: number[]) => xs.map((x) => (seqMiB / x).toFixed(0)).join(", ");
        const spread = (k: "seqWrite" | "seqRead") => `pod runs ${runs(t.pod[k])} MiB/s; host runs ${runs(t.host[k])} MiB/s`;
        sink.add(valueFigure(`${id}.seqWrite`, `${what}: sequential write ${seqMiB} MiB (dd bs=1M conv=fsync)`, "MiB/s", mibs(t.pod.seqWrite), limit("dd", mibs(t.host.seqWrite), "MiB/s"), `${note}; ${spread("seqWrite")}`));
        sink.add(valueFigure(`${id}.seqRead`, `${what}: sequential read ${seqMiB} MiB (dd bs=1M)`, "MiB/s", mibs(t.pod.seqRead), limit("dd", mibs(t.host.seqRead), "MiB/s"), `${note}; ${cache}; ${spread("seqRead")}`));
        sink.add(valueFigure(`${id}.smallWrite`, `${what}: ${SMALL_FILES} × 4 KiB files written (then sync)`, "/s", files(t.pod.smallWrite), limit("same script", files(t.host.smallWrite), "/s"), note));
        sink.add(valueFigure(`${id}.smallRead`, `${what}: ${SMALL_FILES} × 4 KiB files read (one cat)`, "/s", files(t.pod.smallRead), limit("same script", files(t.host.smallRead), "/s"), `${note}; ${cache}`));
        ctx.log(`${what}: seq write ${mibs(t.pod.seqWrite).toFixed(0)} vs host ${mibs(t.host.seqWrite).toFixed(0)} MiB/s; seq read ${mibs(t.pod.seqRead).toFixed(0)} vs ${mibs(t.host.seqRead).toFixed(0)} MiB/s`);
        rmSync(host, { recursive: true, force: true });
      }
    } finally {
      await cluster.stop();
    }
  },
};
