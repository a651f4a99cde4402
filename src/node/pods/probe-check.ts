/**
 * One probe attempt, as the kubelet's prober runs it: exec (the command in the container; exit 0 succeeds),
 * httpGet (a status from 200 to 399 succeeds; pods share the host network, so the default host is the pod IP),
 * tcpSocket (a connection succeeds). Every attempt is bounded by timeoutSeconds. grpc probes are not supported
 * and fail with a message saying so.
 */
import * as net from "node:net";
import type { Container, Probe } from "../../api/index.js";
import type { Runtime } from "../runtime/index.js";

export interface ProbeResult {
  success: boolean;
  /** What the kubelet puts after "Liveness probe failed: ". */
  output: string;
}

const OUTPUT_LIMIT = 10 * 1024;

export function resolvePort(port: number | string, c: Container): number | undefined {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

async function execProbe(runtime: Runtime, containerId: string, argv: string[], timeoutMs: number): Promise<ProbeResult> {
  let proc;
  try {
    proc = await runtime.exec(containerId, { argv });
  } catch (e) {
    return { success: false, output: (e as Error).message };
  }
  let out = "";
  const take = (d: Buffer) => (out = (out + d.toString("utf8")).slice(0, OUTPUT_LIMIT));
  proc.stdout.on("data", take);
  proc.stderr.on("data", take);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), timeoutMs)));
  const code = await Promise.race([proc.exitCode, timedOut]);
  clearTimeout(timer);
  if (code === "timeout") {
    proc.kill("SIGKILL");
    return { success: false, output: `command timed out: "${argv.join(" ")}" timed out after ${timeoutMs / 1000}s` };
  }
  return { success: code === 0, output: code === 0 ? out : out || `command "${argv.join(" ")}" exited with ${code}` };
}

async function httpProbe(p: NonNullable<Probe["httpGet"]>, c: Container, hostIP: string, timeoutMs: number): Promise<ProbeResult> {
  const port = resolvePort(p.port, c);
  if (!port) return { success: false, output: `port ${JSON.stringify(p.port)} is not a number or a named port of the container` };
  const scheme = (p.scheme ?? "HTTP").toLowerCase() === "https" ? "https" : "http";
  const host = p.host || hostIP;
  const url = `${scheme}://${host.includes(":") ? `[${host}]` : host}:${port}${p.path?.startsWith("/") ? p.path : `/${p.path ?? ""}`}`;
  const headers: Record<string, string> = { "User-Agent": "kube-probe/1.32" };
  for (const h of p.httpHeaders ?? []) headers[h.name] = h.value;
  try {
    const res = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
    const body = (await res.text()).slice(0, OUTPUT_LIMIT);
    if (res.status >= 200 && res.status < 400) return { success: true, output: body };
    return { success: false, output: `HTTP probe failed with statuscode: ${res.status}` };
  } catch (e) {
    return { success: false, output: `Get "${url}": ${(e as Error).message}` };
  }
}

function tcpProbe(p: NonNullable<Probe["tcpSocket"]>, c: Container, hostIP: string, timeoutMs: number): Promise<ProbeResult> {
  const port = resolvePort(p.port, c);
  if (!port) return Promise.resolve({ success: false, output: `port ${JSON.stringify(p.port)} is not a number or a named port of the container` });
  const host = p.host || hostIP;
  return new Promise((resolve) => {
    const s = net.connect({ host, port, timeout: timeoutMs });
    s.once("connect", () => {
      s.destroy();
      resolve({ success: true, output: "" });
    });
    s.once("timeout", () => {
      s.destroy();
      resolve({ success: false, output: `dial tcp ${host}:${port}: i/o timeout` });
    });
    s.once("error", (e) => resolve({ success: false, output: `dial tcp ${host}:${port}: ${e.message}` }));
  });
}

export function runProbe(runtime: Runtime, containerId: string, probe: Probe, c: Container, hostIP: string): Promise<ProbeResult> {
  const timeoutMs = Math.max(1, probe.timeoutSeconds ?? 1) * 1000;
  if (probe.exec?.command?.length) return execProbe(runtime, containerId, probe.exec.command, timeoutMs);
  if (probe.httpGet) return httpProbe(probe.httpGet, c, hostIP, timeoutMs);
  if (probe.tcpSocket) return tcpProbe(probe.tcpSocket, c, hostIP, timeoutMs);
  if (probe.grpc) return Promise.resolve({ success: false, output: "grpc probes are not supported by this node" });
  return Promise.resolve({ success: false, output: "probe has no handler" });
}
