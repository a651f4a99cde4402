/**
 * Prometheus metrics shaped like EFS's CloudWatch metrics (namespace AWS/EFS, dimension FileSystemId →
 * label file_system_id), in the service's own prom-client Registry:
 *
 *   efs_storage_bytes{file_system_id, storage_class=Total|Standard|IA}   StorageBytes (metered size)
 *   efs_access_point_storage_bytes{file_system_id, access_point_id}      metered size under an AP root
 *   efs_client_connections{file_system_id}                              ClientConnections (active mounts)
 *   efs_data_read_io_bytes_total, efs_data_write_io_bytes_total,
 *   efs_metadata_io_bytes_total, efs_total_io_bytes_total               DataRead/DataWrite/Metadata/TotalIOBytes (Sum)
 *   efs_metered_io_bytes_total                                          MeteredIOBytes: reads count 1/3
 *   efs_data_read_ops_total, efs_data_write_ops_total, efs_metadata_ops_total   the SampleCount statistics
 *   efs_api_requests_total{operation, status}, efs_api_request_duration_seconds{operation}
 *
 * The I/O figures are what mount clients report (POST /cistern/v1/mounts/{id}/io); the service itself
 * sees no data traffic. Storage and connection gauges are read from the model at scrape time.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { FileSystemSize } from "../metering/meter.js";

export interface IoReport {
  DataReadIOBytes: number;
  DataWriteIOBytes: number;
  MetadataIOBytes: number;
  DataReadOps: number;
  DataWriteOps: number;
  MetadataOps: number;
}

export interface MetricsSource {
  fileSystems(): Array<{ id: string; size: FileSystemSize; connections: number }>;
  accessPointUsage(): Array<{ fsId: string; apId: string; bytes: number }>;
}

const FS = ["file_system_id"] as const;

export class EfsMetrics {
  readonly registry = new Registry();
  private readonly io: Record<string, Counter<"file_system_id">>;
  private readonly requests: Counter<"operation" | "status">;
  private readonly latency: Histogram<"operation">;

  constructor(source: MetricsSource) {
    const registers = [this.registry];
    new Gauge({
      name: "efs_storage_bytes",
      help: "Metered size of the file system (StorageBytes), by storage class.",
      labelNames: ["file_system_id", "storage_class"],
      registers,
      collect() {
        this.reset();
        for (const fs of source.fileSystems()) {
          this.set({ file_system_id: fs.id, storage_class: "Total" }, fs.size.Value);
          this.set({ file_system_id: fs.id, storage_class: "Standard" }, fs.size.ValueInStandard);
          this.set({ file_system_id: fs.id, storage_class: "IA" }, fs.size.ValueInIA);
        }
      },
    });
    new Gauge({
      name: "efs_access_point_storage_bytes",
      help: "Metered size of the directory tree under an access point's root directory.",
      labelNames: ["file_system_id", "access_point_id"],
      registers,
      collect() {
        this.reset();
        for (const u of source.accessPointUsage()) this.set({ file_system_id: u.fsId, access_point_id: u.apId }, u.bytes);
      },
    });
    new Gauge({
      name: "efs_client_connections",
      help: "Active client mounts of the file system (ClientConnections).",
      labelNames: FS,
      registers,
      collect() {
        this.reset();
        for (const fs of source.fileSystems()) this.set({ file_system_id: fs.id }, fs.connections);
      },
    });
    const counter = (name: string, help: string) => new Counter({ name, help, labelNames: FS, registers });
    this.io = {
      read: counter("efs_data_read_io_bytes_total", "Bytes read by clients (DataReadIOBytes)."),
      write: counter("efs_data_write_io_bytes_total", "Bytes written by clients (DataWriteIOBytes)."),
      metadata: counter("efs_metadata_io_bytes_total", "Bytes of metadata operations (MetadataIOBytes)."),
      total: counter("efs_total_io_bytes_total", "Bytes of all client operations (TotalIOBytes)."),
      metered: counter("efs_metered_io_bytes_total", "Metered throughput bytes, reads counted at one third (MeteredIOBytes)."),
      readOps: counter("efs_data_read_ops_total", "Read operations (SampleCount of DataReadIOBytes)."),
      writeOps: counter("efs_data_write_ops_total", "Write operations (SampleCount of DataWriteIOBytes)."),
      metadataOps: counter("efs_metadata_ops_total", "Metadata operations (SampleCount of MetadataIOBytes)."),
    };
    this.requests = new Counter({ name: "efs_api_requests_total", help: "API requests by operation and HTTP status.", labelNames: ["operation", "status"], registers });
    this.latency = new Histogram({
      name: "efs_api_request_duration_seconds",
      help: "API request latency by operation, from first byte of the request to the response.",
      labelNames: ["operation"],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
  }

  recordIo(fsId: string, r: IoReport): void {
    const l = { file_system_id: fsId };
    this.io.read.inc(l, r.DataReadIOBytes);
    this.io.write.inc(l, r.DataWriteIOBytes);
    this.io.metadata.inc(l, r.MetadataIOBytes);
    this.io.total.inc(l, r.DataReadIOBytes + r.DataWriteIOBytes + r.MetadataIOBytes);
    this.io.metered.inc(l, r.DataReadIOBytes / 3 + r.DataWriteIOBytes + r.MetadataIOBytes);
    this.io.readOps.inc(l, r.DataReadOps);
    this.io.writeOps.inc(l, r.DataWriteOps);
    this.io.metadataOps.inc(l, r.MetadataOps);
  }

  /** Drops the I/O series of a deleted file system. */
  forget(fsId: string): void {
    for (const c of Object.values(this.io)) c.remove({ file_system_id: fsId });
  }

  observeRequest(operation: string, status: number, seconds: number): void {
    this.requests.inc({ operation, status: String(status) });
    this.latency.observe({ operation }, seconds);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
