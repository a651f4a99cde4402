import { describe, it, expect } from "vitest";
import { checkUsageReport } from "./usage-report-check.js";

const good = {
  generatedAt: 1700000000,
  fileSystems: [{
    fileSystemId: "fs-12345678", name: "cistern-default", sizeInBytes: { Value: 6144, Timestamp: 1700000000, ValueInIA: 0 }, clientConnections: 0,
    accessPoints: [{ accessPointId: "fsap-1", rootDirectory: "/x", meteredBytes: null, extra: "dropped" }],
  }],
};

describe("checkUsageReport", () => {
  it("keeps the fields the dashboard uses and drops the rest", () => {
    expect(checkUsageReport(good)).toEqual({
      generatedAt: 1700000000,
      fileSystems: [{ fileSystemId: "fs-12345678", name: "cistern-default", sizeInBytes: { Value: 6144, Timestamp: 1700000000 }, clientConnections: 0, accessPoints: [{ accessPointId: "fsap-1", rootDirectory: "/x", meteredBytes: null }] }],
    });
  });
  it("refuses a report with a wrong field, naming it", () => {
    expect(() => checkUsageReport(null)).toThrow(/not a report/);
    expect(() => checkUsageReport({ ...good, fileSystems: [{ ...good.fileSystems[0], sizeInBytes: { Value: -1 } }] })).toThrow(/fileSystems\[0\]\.sizeInBytes/);
    expect(() => checkUsageReport({ ...good, fileSystems: [{ ...good.fileSystems[0], accessPoints: [{ accessPointId: "a", rootDirectory: "/", meteredBytes: "1" }] }] })).toThrow(/accessPoints\[0\]\.meteredBytes/);
  });
});
