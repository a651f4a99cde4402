/** EFS usage over time (metered size and I/O per file system, metered size per access point) and node-reported claim usage. */
import { useMemo } from "react";
import type { EfsUsage } from "../api/use-efs-usage.js";
import type { ClaimUsage } from "../../../model/node-stats.js";
import { accessPointSizeSeries, fileSystemSizeSeries, ioRateSeries, latestValue, type Series } from "../../../model/usage-series.js";
import type { EfsFileSystemUsage, UsageSample } from "../../../model/usage-types.js";
import { formatBytes, formatRate } from "../../../model/format.js";
import { DASHES, PALETTE, TimeChart } from "./time-chart.js";

const AP_LINES = 8;

function FileSystemUsage({ fs, samples }: { fs: EfsFileSystemUsage; samples: UsageSample[] }) {
  const size = useMemo(() => fileSystemSizeSeries(samples, fs.fileSystemId), [samples, fs.fileSystemId]);
  const io = useMemo(() => ioRateSeries(samples, fs.fileSystemId), [samples, fs.fileSystemId]);
  const top = useMemo(() => [...fs.accessPoints].sort((a, b) => (b.meteredBytes ?? -1) - (a.meteredBytes ?? -1)).slice(0, AP_LINES), [fs.accessPoints]);
  const apSeries = useMemo<Series>(() => {
    const [t] = fileSystemSizeSeries(samples, fs.fileSystemId);
    return [t, ...top.map((ap) => accessPointSizeSeries(samples, ap.accessPointId)[1])];
  }, [samples, fs.fileSystemId, top]);
  const rate = (line: number) => {
    const v = latestValue(io, line);
    return v === null ? "—" : formatRate(v);
  };
  const headingId = `fs-${fs.fileSystemId}`;
  return (
    <article aria-labelledby={headingId} className="fs-usage" data-testid={`usage-${fs.fileSystemId}`}>
      <h3 id={headingId}>{fs.fileSystemId}{fs.name && fs.name !== fs.fileSystemId ? ` (${fs.name})` : ""}</h3>
      <p>
        Metered size <strong>{formatBytes(fs.sizeInBytes.Value)}</strong> · {fs.clientConnections} client mount{fs.clientConnections === 1 ? "" : "s"} · {fs.accessPoints.length} access point{fs.accessPoints.length === 1 ? "" : "s"}
      </p>
      <div className="charts">
        <TimeChart title="Metered size" series={size} lines={[{ label: "size", color: PALETTE[0] }]} format={formatBytes} summary={`now ${formatBytes(fs.sizeInBytes.Value)}`} />
        <TimeChart
          title="Client I/O"
          series={io}
          lines={[{ label: "read", color: PALETTE[0] }, { label: "write", color: PALETTE[1], dash: DASHES[1] }, { label: "metadata", color: PALETTE[2], dash: DASHES[2] }]}
          format={formatRate}
          summary={`latest read ${rate(1)}, write ${rate(2)}, metadata ${rate(3)}`}
        />
        {top.length > 0 && (
          <TimeChart
            title="Access points (metered)"
            series={apSeries}
            lines={top.map((ap, i) => ({ label: ap.name ?? ap.accessPointId, color: PALETTE[i % PALETTE.length], dash: DASHES[i % DASHES.length] }))}
            format={formatBytes}
            summary={top.map((ap) => `${ap.accessPointId} ${ap.meteredBytes === null ? "not measured" : formatBytes(ap.meteredBytes)}`).join(", ")}
          />
        )}
      </div>
      {fs.accessPoints.length > 0 && (
        <div className="table-scroll">
          <table>
            <caption>Access points of {fs.fileSystemId}</caption>
            <thead><tr><th scope="col">Access point</th><th scope="col">Name</th><th scope="col">Root directory</th><th scope="col">Metered</th></tr></thead>
            <tbody>
              {fs.accessPoints.map((ap) => (
                <tr key={ap.accessPointId}><th scope="row">{ap.accessPointId}</th><td>{ap.name ?? "—"}</td><td><code>{ap.rootDirectory}</code></td><td>{ap.meteredBytes === null ? "not measured yet" : formatBytes(ap.meteredBytes)}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

function ClaimUsageTable({ claimUsage }: { claimUsage: ReadonlyMap<string, ClaimUsage> }) {
  const rows = [...claimUsage.values()].sort((a, b) => b.usedBytes - a.usedBytes);
  return (
    <article aria-labelledby="claim-usage-title">
      <h3 id="claim-usage-title">Claims: used bytes reported by nodes</h3>
      {rows.length === 0 ? <p className="empty">No node has reported volume statistics yet (they come from running pods).</p> : (
        <div className="table-scroll">
          <table data-testid="claim-usage">
            <thead><tr><th scope="col">Claim</th><th scope="col">Pod</th><th scope="col">Node</th><th scope="col">Used</th><th scope="col">Capacity</th><th scope="col">Available</th></tr></thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.namespace}/${r.claim}`}>
                  <th scope="row">{r.namespace}/{r.claim}</th><td>{r.pod}</td><td>{r.node}</td><td>{formatBytes(r.usedBytes)}</td>
                  <td>{r.capacityBytes === undefined ? "—" : formatBytes(r.capacityBytes)}</td><td>{r.availableBytes === undefined ? "—" : formatBytes(r.availableBytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </article>
  );
}

export function UsageSection({ usage, claimUsage }: { usage: EfsUsage; claimUsage: ReadonlyMap<string, ClaimUsage> }) {
  const systems = usage.report?.fileSystems ?? [];
  return (
    <section aria-labelledby="usage-title" className="card">
      <h2 id="usage-title">EFS usage over time</h2>
      {!usage.loaded && <p role="status">Loading usage…</p>}
      {usage.loaded && !usage.report && <p className="error">EFS usage is not available{usage.problem ? `: ${usage.problem}` : ""}.</p>}
      {usage.report && systems.length === 0 && <p className="empty">The EFS service has no file systems.</p>}
      {usage.samples.length < 2 && usage.report && <p className="hint">Plots fill in as samples arrive (one per sampling interval).</p>}
      {systems.map((fs) => <FileSystemUsage key={fs.fileSystemId} fs={fs} samples={usage.samples} />)}
      <ClaimUsageTable claimUsage={claimUsage} />
    </section>
  );
}
