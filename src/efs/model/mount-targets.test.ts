import { afterEach, describe, expect, it } from "vitest";
import { openModelFixture, type ModelFixture } from "../testing/model-fixture.js";
import { availabilityZoneId, zoneIdPrefix } from "./mount-targets.js";

let f: ModelFixture | undefined;
afterEach(() => {
  f?.cleanup();
  f = undefined;
});

describe("zone IDs", () => {
  it("uses AWS's prefix for known regions", () => {
    const expected: Record<string, string> = {
      "us-east-1": "use1",
      "us-west-2": "usw2",
      "eu-west-1": "euw1",
      "eu-central-1": "euc1",
      "ap-northeast-1": "apne1",
      "ap-south-1": "aps1",
      "ap-southeast-2": "apse2",
      "sa-east-1": "sae1",
      "ca-central-1": "cac1",
      "il-central-1": "ilc1",
      "us-gov-west-1": "usgw1",
      "cn-northwest-1": "cnnw1",
    };
    for (const [region, prefix] of Object.entries(expected)) expect(zoneIdPrefix(region), region).toBe(prefix);
  });

  it("derives the prefix of a region missing from the table the way AWS forms it", () => {
    expect(zoneIdPrefix("xx-southwest-3")).toBe("xxsw3");
    expect(zoneIdPrefix("xx-north-2")).toBe("xxn2");
    expect(zoneIdPrefix("us-gov-central-1")).toBe("usgc1");
  });

  it("keeps a name that is not shaped like a region as its letters and digits", () => {
    expect(zoneIdPrefix("Local_Test")).toBe("localtest");
    expect(zoneIdPrefix("---")).toBe("az");
  });

  it("numbers zones by their letter", () => {
    expect(availabilityZoneId("us-east-1", "us-east-1a")).toBe("use1-az1");
    expect(availabilityZoneId("us-east-1", "us-east-1b")).toBe("use1-az2");
    expect(availabilityZoneId("eu-west-1", "eu-west-1c")).toBe("euw1-az3");
  });
});

describe("mount targets", () => {
  it("carry the region's AWS zone ID, and a One Zone file system's mount target takes its zone", () => {
    f = openModelFixture();
    const regional = f.model.fileSystems.create({ creationToken: "regional" });
    const oneZone = f.model.fileSystems.create({ creationToken: "one-zone", availabilityZoneName: "us-east-1b" });
    f.settle();
    const mt = f.model.mountTargets.create({ fileSystemId: regional.id, subnetId: "subnet-0123456789abcdef0" });
    expect(mt.availabilityZoneId).toMatch(/^use1-az[123]$/);
    expect(mt.availabilityZoneId.slice(-1)).toBe(String("abc".indexOf(mt.availabilityZoneName.slice(-1)) + 1));
    const pinned = f.model.mountTargets.create({ fileSystemId: oneZone.id, subnetId: "subnet-0123456789abcdef1" });
    expect(pinned).toMatchObject({ availabilityZoneName: "us-east-1b", availabilityZoneId: "use1-az2" });
  });
});
