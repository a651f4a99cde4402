/**
 * Runs the built `cistern up` as a child process for the dashboard's browser test (as a user
 * would start it), and a small HTTPS client that trusts the cluster's CA and carries the admin
 * token, for the writes the test makes through the API.
 */
import { spawn, execFile, type ChildProcess } from "node:child_process";
import https from "node:https";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(new URL("../../..", import.meta.url).pathname);
const CISTERN_BIN = join(REPO, "bin", "cistern.js");
const KUBECTL = process.env.CISTERN_TEST_KUBECTL ?? "/usr/bin/kubectl";

export interface Response {
  status: number;
  body: string;
}

export interface RunningCistern {
  url: string;
  dataDir: string;
  token: string;
  output(): string;
  request(method: string, path: string, body?: unknown): Promise<Response>;
  kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export async function startCistern(): Promise<RunningCistern> {
  const dataDir = mkdtempSync(join(tmpdir(), "cistern-dashboard-"));
  const home = mkdtempSync(join(tmpdir(), "cistern-dashboard-home-"));
  const child: ChildProcess = spawn(process.execPath, [CISTERN_BIN, "up", "--data-dir", dataDir, "--api-port", "0", "--efs-port", "0", "--file-system-id", "fs-12345678"], {
    env: { ...process.env, HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`cistern did not become ready:\n${out}`)), 120_000);
    child.stdout!.on("data", () => {
      const m = /Cistern is ready at (https:\/\/\S+?):? /.exec(out);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`cistern exited with ${code}:\n${out}`));
    });
  });
  const token = readFileSync(join(dataDir, "pki", "admin.token"), "utf8").trim();
  const ca = readFileSync(join(dataDir, "pki", "ca.crt"), "utf8");
  const base = new URL(url);
  const request = (method: string, path: string, body?: unknown) =>
    new Promise<Response>((resolveRes, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      // Node frames a DELETE body only when told its length.
      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, "Content-Type": "application/json", Accept: "application/json" };
      if (data !== undefined) headers["Content-Length"] = String(Buffer.byteLength(data));
      const req = https.request({ host: base.hostname, port: base.port, path, method, ca, headers }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d) => (text += d));
        res.on("end", () => resolveRes({ status: res.statusCode ?? 0, body: text }));
      });
      req.on("error", reject);
      req.end(data);
    });
  const kubectl = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolveRun) => {
      execFile(KUBECTL, args, { env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: join(dataDir, "kubeconfig") }, timeout: 60_000 }, (err, stdout, stderr) => {
        resolveRun({ code: err ? (typeof err.code === "number" ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) });
      });
    });
  return {
    url, dataDir, token, request, kubectl,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((r) => child.once("exit", () => r()));
        child.kill("SIGTERM");
        await exited;
      }
      rmSync(home, { recursive: true, force: true });
      // Cistern unmounts what it mounted on SIGTERM; a leftover mount makes removal fail loudly here.
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
