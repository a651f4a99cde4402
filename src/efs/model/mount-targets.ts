/**
 * Mount targets. There is no VPC here, so the network facts are synthesised deterministically: a subnet
 * maps to one of three availability zones of the region by a hash of its ID (a One Zone file system's
 * mount targets take the file system's zone), every subnet is in the account's one VPC, and an address
 * is the one asked for or the next free 10.x.y.z in the subnet. AWS's rules that remain meaningful are
 * enforced: one mount target per zone per file system (MountTargetConflict), an address in use
 * (IpAddressInUse), at most five security groups. Clients mount through the Cistern mount extension,
 * which does not require a mount target.
 */
import { createHash } from "node:crypto";
import { BadRequest, IpAddressInUse, MountTargetConflict, MountTargetNotFound, SecurityGroupLimitExceeded } from "../errors.js";
import { MT_ID, newId } from "../ids.js";
import type { AccessPoints } from "./access-points.js";
import type { FileSystems } from "./file-systems.js";
import { pageOfIterable, type Page } from "./pagination.js";
import type { State } from "./state.js";
import type { MountTargetRecord } from "./types.js";
import { IPV4, SECURITY_GROUP_ID, SUBNET_ID, checkPattern } from "./validation.js";

export interface CreateMountTargetInput {
  fileSystemId: string;
  subnetId: string;
  ipAddress?: string;
  securityGroups?: string[];
}

export interface DescribeMountTargetsInput {
  fileSystemId?: string;
  mountTargetId?: string;
  accessPointId?: string;
  marker?: string;
  maxItems?: number;
}

function hashBytes(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/**
 * AWS's zone-ID prefix per region (AWS Regions and Availability Zones guide, "AZ IDs"). The table is the
 * authority; regions it does not know get the same scheme derived from the name.
 */
const ZONE_ID_PREFIX: Record<string, string> = {
  "us-east-1": "use1", "us-east-2": "use2", "us-west-1": "usw1", "us-west-2": "usw2",
  "ca-central-1": "cac1", "ca-west-1": "caw1", "mx-central-1": "mxc1",
  "af-south-1": "afs1",
  "ap-east-1": "ape1", "ap-east-2": "ape2", "ap-northeast-1": "apne1", "ap-northeast-2": "apne2", "ap-northeast-3": "apne3",
  "ap-south-1": "aps1", "ap-south-2": "aps2", "ap-southeast-1": "apse1", "ap-southeast-2": "apse2", "ap-southeast-3": "apse3",
  "ap-southeast-4": "apse4", "ap-southeast-5": "apse5", "ap-southeast-6": "apse6", "ap-southeast-7": "apse7",
  "eu-central-1": "euc1", "eu-central-2": "euc2", "eu-north-1": "eun1", "eu-south-1": "eus1", "eu-south-2": "eus2",
  "eu-west-1": "euw1", "eu-west-2": "euw2", "eu-west-3": "euw3",
  "il-central-1": "ilc1", "me-central-1": "mec1", "me-south-1": "mes1",
  "sa-east-1": "sae1",
  "us-gov-east-1": "usge1", "us-gov-west-1": "usgw1",
  "cn-north-1": "cnn1", "cn-northwest-1": "cnnw1",
};

const COMPASS: Record<string, string> = { northeast: "ne", northwest: "nw", southeast: "se", southwest: "sw" };

/**
 * The prefix of AWS's zone IDs for a region ("us-east-1" → "use1", "ap-southeast-2" → "apse2"). A region
 * missing from the table follows AWS's scheme: the geography code, the initials of the direction (two letters
 * for the diagonals), the number. Anything not shaped like a region name is kept as its letters and digits.
 */
export function zoneIdPrefix(region: string): string {
  const known = ZONE_ID_PREFIX[region];
  if (known) return known;
  const parts = region.toLowerCase().split("-");
  if (parts.length < 3 || !/^[a-z]{2}$/.test(parts[0]) || !/^\d+$/.test(parts[parts.length - 1]) || parts.slice(1, -1).some((p) => !/^[a-z]+$/.test(p))) {
    return region.toLowerCase().replace(/[^a-z0-9]/g, "") || "az";
  }
  const middle = parts.slice(1, -1).map((p) => COMPASS[p] ?? p[0]).join("");
  return `${parts[0]}${middle}${parts[parts.length - 1]}`;
}

/**
 * The zone ID of the region's index-th zone (0 = "a" → az1). AWS maps letters to IDs per account in its
 * oldest regions, so no mapping is "the" right one; this one is stable.
 */
function zoneId(region: string, index: number): string {
  return `${zoneIdPrefix(region)}-az${index + 1}`;
}

/** The zone ID AWS would give a zone name of this region ("us-east-1b" → "use1-az2"). */
export function availabilityZoneId(region: string, zoneName: string): string {
  return zoneId(region, Math.max(0, "abcdef".indexOf(zoneName.slice(-1))));
}

export class MountTargets {
  constructor(
    private readonly s: State,
    private readonly fileSystems: FileSystems,
    private readonly accessPoints: AccessPoints,
  ) {}

  get(id: string): MountTargetRecord {
    checkPattern(id, "mountTargetId", MT_ID);
    const mt = this.s.mountTargets.get(id);
    if (!mt) throw new MountTargetNotFound(`Mount target '${id}' does not exist.`);
    return mt;
  }

  private zoneOf(subnetId: string, fixedZone: string | undefined): { name: string; id: string } {
    const zones = ["a", "b", "c"];
    const index = fixedZone ? Math.max(0, zones.indexOf(fixedZone.slice(-1))) : hashBytes(subnetId)[0] % 3;
    return { name: fixedZone ?? `${this.s.scope.region}${zones[index]}`, id: zoneId(this.s.scope.region, index) };
  }

  private addressFor(subnetId: string, wanted: string | undefined): string {
    const used = new Set([...this.s.mountTargets.values()].filter((m) => m.subnetId === subnetId).map((m) => m.ipAddress));
    if (wanted !== undefined) {
      checkPattern(wanted, "ipAddress", IPV4);
      if (wanted.split(".").some((o) => Number(o) > 255)) throw new BadRequest(`'${wanted}' is not a valid IPv4 address.`);
      if (used.has(wanted)) throw new IpAddressInUse(`IP address ${wanted} is already in use in subnet ${subnetId}.`);
      return wanted;
    }
    const h = hashBytes(subnetId);
    for (let host = 4; host < 255; host++) {
      const ip = `10.${h[1]}.${h[2]}.${host}`;
      if (!used.has(ip)) return ip;
    }
    throw new BadRequest(`No free addresses left in subnet ${subnetId}.`);
  }

  create(input: CreateMountTargetInput): MountTargetRecord {
    const fs = this.fileSystems.getAvailable(input.fileSystemId);
    checkPattern(input.subnetId, "subnetId", SUBNET_ID);
    const groups = input.securityGroups ?? [];
    if (groups.length > this.s.limits.mountTargetSecurityGroups) {
      throw new SecurityGroupLimitExceeded(`A mount target can have at most ${this.s.limits.mountTargetSecurityGroups} security groups.`);
    }
    groups.forEach((g, i) => checkPattern(g, `securityGroups.${i + 1}.member`, SECURITY_GROUP_ID));
    const zone = this.zoneOf(input.subnetId, fs.availabilityZoneName);
    for (const mt of this.s.mountTargets.values()) {
      if (mt.fsId === fs.id && mt.availabilityZoneName === zone.name) {
        throw new MountTargetConflict(`File system '${fs.id}' already has mount target ${mt.id} in availability zone ${zone.name}.`);
      }
    }
    const vpcHash = hashBytes(`${this.s.scope.accountId}/${this.s.scope.region}`).toString("hex");
    const mt: MountTargetRecord = {
      id: newId("fsmt", (x) => this.s.mountTargets.has(x)),
      seq: this.s.nextSeq(),
      fsId: fs.id,
      subnetId: input.subnetId,
      ipAddress: this.addressFor(input.subnetId, input.ipAddress),
      availabilityZoneName: zone.name,
      availabilityZoneId: zone.id,
      vpcId: `vpc-${vpcHash.slice(0, 17)}`,
      networkInterfaceId: `eni-${hashBytes(`${fs.id}/${input.subnetId}`).toString("hex").slice(0, 17)}`,
      securityGroups: groups.length > 0 ? [...groups] : [`sg-${vpcHash.slice(17, 34)}`],
      state: "available",
    };
    this.s.mountTargets.set(mt.id, mt);
    this.s.persist("mount-target", mt, mt.id);
    return mt;
  }

  describe(input: DescribeMountTargetsInput): Page<MountTargetRecord> {
    const limit = input.maxItems ?? 10;
    if (!Number.isInteger(limit) || limit < 1) throw new BadRequest("MaxItems must be an integer greater than 0.");
    const given = [input.fileSystemId, input.mountTargetId, input.accessPointId].filter((v) => v !== undefined).length;
    if (given !== 1) throw new BadRequest("Specify exactly one of FileSystemId, MountTargetId or AccessPointId.");
    if (input.mountTargetId !== undefined) return { items: [this.get(input.mountTargetId)] };
    const fsId = input.accessPointId !== undefined ? this.accessPoints.get(input.accessPointId).fsId : this.fileSystems.get(input.fileSystemId!).id;
    const ofFs = [...this.s.mountTargets.values()].filter((m) => m.fsId === fsId);
    return pageOfIterable(ofFs, input.marker, limit, "Marker");
  }

  delete(id: string): void {
    const mt = this.get(id);
    this.s.mountTargets.delete(mt.id);
    this.s.unpersist("mount-target", mt.id);
  }
}
