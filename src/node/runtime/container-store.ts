/**
 * <rootDir>/containers/<id>/ holds everything about one container (or pod sandbox):
 *   container.json   ContainerRecord, written by the runtime before the container starts
 *   state.json       written only by the shim: created / running / exited (+ exit code, times) / failed
 *   container.log    CRI-format log written by the shim      runc.log, shim.log   diagnostics
 *   bundle/          config.json and rootfs (overlay mount point); upper/, work/ (overlay)
 *   mounts/<n>       bind mounts of volumes (opened with safe-path) that runc mounts into the container (made with
 *                    the first volume)
 *   exec/            process specs and console sockets of running execs (made by the first exec)
 * Sandboxes also hold hostname, hosts, resolv.conf and shm/ (a tmpfs shared by the pod's containers).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as fsp from "node:fs/promises";
import * as path from "node:path";
import type { PodRef } from "./container-spec.js";
import { RuntimeError } from "./errors.js";
import type { OciProcess } from "./oci-spec.js";

export const ID_PATTERN = /^[a-z0-9]{1,64}$/;

export interface ContainerRecord {
  id: string;
  kind: "container" | "sandbox";
  pod: PodRef;
  name: string;
  attempt: number;
  image: string;
  imageId: string;
  labels: Record<string, string>;
  createdAt: string;
  sandboxId?: string;
  /** The first process; execs inherit its user, environment, working directory and capabilities. */
  process: OciProcess;
}

export function newContainerId(): string {
  return crypto.randomBytes(12).toString("hex");
}

/** Sandbox ids are derived from the pod uid, so a restarted agent finds a pod's sandbox again. */
export function sandboxIdFor(podUid: string): string {
  return "sb" + crypto.createHash("sha256").update(podUid).digest("hex").slice(0, 30);
}

export class ContainerStore {
  readonly dir: string;

  constructor(rootDir: string) {
    this.dir = path.join(rootDir, "containers");
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /** Throws ContainerNotFound for ids that are not ours by shape, so user-supplied ids never reach a path. */
  checkId(id: string): string {
    if (typeof id !== "string" || !ID_PATTERN.test(id)) throw new RuntimeError("ContainerNotFound", `no container ${JSON.stringify(id)}`);
    return id;
  }

  path(id: string, ...rel: string[]): string {
    return path.join(this.dir, this.checkId(id), ...rel);
  }

  /**
   * Make the container's directory (it must not exist) and what every container needs in it. Asynchronous: on a
   * busy disk directory creation can take milliseconds, and this must not stall the agent's other pods.
   */
  async create(id: string): Promise<string> {
    const dir = this.path(id);
    await fsp.mkdir(dir, { mode: 0o700 });
    const sub = (rel: string) => fsp.mkdir(path.join(dir, rel), { mode: 0o700 });
    // The overlay's root directory takes its owner and mode from upper/: it is the container's "/", which every
    // user in the container must be able to traverse. (The container directory itself stays 0700.)
    const upper = sub("upper").then(() => fsp.chmod(path.join(dir, "upper"), 0o755));
    await Promise.all([sub("bundle").then(() => sub("bundle/rootfs")), upper, sub("work")]);
    return dir;
  }

  write(rec: ContainerRecord): void {
    const file = this.path(rec.id, "container.json");
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(rec, null, 2), { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
  }

  read(id: string): ContainerRecord {
    try {
      return JSON.parse(fs.readFileSync(this.path(id, "container.json"), "utf8")) as ContainerRecord;
    } catch (e) {
      if (e instanceof RuntimeError) throw e;
      throw new RuntimeError("ContainerNotFound", `no container ${id}`, { cause: e });
    }
  }

  tryRead(id: string): ContainerRecord | undefined {
    try {
      return this.read(id);
    } catch {
      return undefined;
    }
  }

  ids(): string[] {
    return fs.readdirSync(this.dir).filter((n) => ID_PATTERN.test(n));
  }

  list(): ContainerRecord[] {
    return this.ids()
      .map((id) => this.tryRead(id))
      .filter((r): r is ContainerRecord => !!r);
  }
}
