import { describe, it, expect } from "vitest";
import { ioCountersFromMetrics } from "./prometheus-text.js";

const exposition = `# HELP efs_data_read_io_bytes_total Bytes read by clients (DataReadIOBytes).
# TYPE efs_data_read_io_bytes_total counter
efs_data_read_io_bytes_total{file_system_id="fs-12345678"} 3000
efs_data_read_io_bytes_total{file_system_id="fs-0000000a"} 1
efs_data_write_io_bytes_total{file_system_id="fs-12345678"} 1.5e3
efs_metadata_io_bytes_total{file_system_id="fs-12345678"} 10 1700000000000
efs_data_read_ops_total{file_system_id="fs-12345678"} 3
efs_data_write_ops_total{file_system_id="fs-12345678"} 2
efs_metadata_ops_total{file_system_id="fs-12345678"} 1
efs_storage_bytes{file_system_id="fs-12345678",storage_class="Total"} 6144
efs_api_requests_total{operation="X",status="200"} 5
efs_data_write_io_bytes_total{file_system_id="fs-weird\\"id"} 7
efs_data_read_io_bytes_total 99
garbage line here
efs_data_read_io_bytes_total{file_system_id="fs-bad"} NaNx
`;

describe("ioCountersFromMetrics", () => {
  const io = ioCountersFromMetrics(exposition);
  it("collects the six I/O counters per file system", () => {
    expect(io.get("fs-12345678")).toEqual({ readBytes: 3000, writeBytes: 1500, metadataBytes: 10, readOps: 3, writeOps: 2, metadataOps: 1 });
    expect(io.get("fs-0000000a")).toEqual({ readBytes: 1, writeBytes: 0, metadataBytes: 0, readOps: 0, writeOps: 0, metadataOps: 0 });
  });
  it("unescapes label values and skips unlabelled, malformed and other metrics", () => {
    expect(io.get('fs-weird"id')?.writeBytes).toBe(7);
    expect([...io.keys()].sort()).toEqual(["fs-0000000a", "fs-12345678", 'fs-weird"id']);
  });
});
