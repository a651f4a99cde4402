/**
 * Client mounts through the Cistern mount extension (not part of AWS's API): the data plane's control
 * call. A mount is authorised by the file system policy (ClientMount required; no ClientWrite → read-only;
 * no ClientRootAccess → root squash), resolves the local directory to serve (created lazily for access
 * points, see disk/mount-root.ts), and is recorded until released: active mounts are the file system's
 * ClientConnections and survive restarts. Deleting an access point does not end its mounts, as on EFS.
 */
import { AccessDeniedException, BadRequest, MountNotFound } from "../errors.js";
import { MOUNT_ID, fileSystemArn, newId } from "../ids.js";
import type { AccessPoints } from "./access-points.js";
import type { FileSystems } from "./file-systems.js";
import type { Policies } from "./policies.js";
import type { State } from "./state.js";
import type { ClientMountRecord, CreationInfo, PosixUser } from "./types.js";
import { checkPattern, pathComponents } from "./validation.js";
import { isSafePathError, validateRelativePath } from "../../lib/safe-path/index.js";

export interface MountInput {
  fileSystemId: string;
  accessPointId?: string;
  path?: string;
  principalArn?: string;
  secureTransport: boolean;
  readOnly?: boolean;
  nodeId?: string;
}

/** Resolves (and lazily creates) the directory to serve; throws MountFailed when it cannot. */
export type MountDirectoryResolver = (req: {
  fsId: string;
  accessPointId?: string;
  rootComponents: string[];
  creationInfo?: CreationInfo;
  posixUser?: PosixUser;
  pathComponents: string[];
}) => string;

const PRINCIPAL_ARN = /^arn:aws[-a-z]*:(iam|sts)::\d{12}:[\w+=,.@\-/]+$/;
const NODE_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,252}$/;

/** Path: absolute; "." / ".." / NUL / over-long components refused (repeated and trailing "/" are tolerated). */
export function checkMountPath(path: string): string[] {
  if (!path.startsWith("/")) throw new BadRequest(`Path '${path}' must be absolute ("/…").`);
  try {
    return validateRelativePath(pathComponents(path).join("/"));
  } catch (err) {
    if (isSafePathError(err)) throw new BadRequest(`Path '${path}' is not allowed: ${err.message}.`);
    throw err;
  }
}

export class Mounts {
  constructor(
    private readonly s: State,
    private readonly fileSystems: FileSystems,
    private readonly accessPoints: AccessPoints,
    private readonly policies: Policies,
    private readonly resolveDirectory: MountDirectoryResolver,
  ) {}

  get(id: string): ClientMountRecord {
    const m = MOUNT_ID.test(id) ? this.s.mounts.get(id) : undefined;
    if (!m) throw new MountNotFound(`Mount '${id}' does not exist.`);
    return m;
  }

  mount(input: MountInput): ClientMountRecord {
    const fs = this.fileSystems.getAvailable(input.fileSystemId);
    const ap = input.accessPointId !== undefined ? this.accessPoints.get(input.accessPointId) : undefined;
    if (ap && ap.fsId !== fs.id) throw new BadRequest(`Access point ${ap.id} belongs to file system ${ap.fsId}, not ${fs.id}.`);
    if (input.principalArn !== undefined) checkPattern(input.principalArn, "principalArn", PRINCIPAL_ARN);
    if (input.nodeId !== undefined) checkPattern(input.nodeId, "nodeId", NODE_ID);
    const path = input.path ?? "/";
    const comps = checkMountPath(path);

    const access = this.policies.clientAccess(fs.id, { principalArn: input.principalArn, secureTransport: input.secureTransport, accessPointId: ap?.id });
    if (!access.mount) {
      const who = input.principalArn ?? "anonymous";
      throw new AccessDeniedException(`User: ${who} is not authorized to perform: elasticfilesystem:ClientMount on the specified resource ${fileSystemArn(this.s.scope, fs.id)}`);
    }
    const hostPath = this.resolveDirectory({
      fsId: fs.id,
      accessPointId: ap?.id,
      rootComponents: ap ? pathComponents(ap.rootPath) : [],
      creationInfo: ap?.creationInfo,
      posixUser: ap?.posixUser,
      pathComponents: comps,
    });
    const m: ClientMountRecord = {
      id: newId("mount", (x) => this.s.mounts.has(x)),
      seq: this.s.nextSeq(),
      fsId: fs.id,
      apId: ap?.id,
      path,
      principalArn: input.principalArn,
      secureTransport: input.secureTransport,
      readOnly: input.readOnly === true || !access.write,
      rootSquash: !access.root,
      posixUser: ap?.posixUser,
      nodeId: input.nodeId,
      hostPath,
      createdAt: this.s.epochSeconds(),
    };
    this.s.mounts.set(m.id, m);
    this.s.persist("mount", m, m.id);
    return m;
  }

  release(id: string): void {
    const m = this.get(id);
    this.s.mounts.delete(m.id);
    this.s.unpersist("mount", m.id);
  }

  list(filter: { fileSystemId?: string; nodeId?: string } = {}): ClientMountRecord[] {
    const fsId = filter.fileSystemId !== undefined ? this.fileSystems.get(filter.fileSystemId).id : undefined;
    return [...this.s.mounts.values()].filter((m) => (fsId === undefined || m.fsId === fsId) && (filter.nodeId === undefined || m.nodeId === filter.nodeId));
  }

  /** Active mounts per file system (ClientConnections). */
  connections(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const m of this.s.mounts.values()) counts.set(m.fsId, (counts.get(m.fsId) ?? 0) + 1);
    return counts;
  }
}
