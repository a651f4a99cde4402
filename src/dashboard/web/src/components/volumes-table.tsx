/** PersistentVolumes by usage, largest first, with the reclaim policy and where releasing would delete data. */
import type { ClusterState } from "../../../model/cluster-state.js";
import type { ClaimUsage } from "../../../model/node-stats.js";
import type { EfsUsageReport } from "../../../model/usage-types.js";
import { volumeUsageRows } from "../../../model/volume-usage.js";
import { formatBytes } from "../../../model/format.js";
import { nodeId } from "../../../model/topology.js";
import { PhaseBadge } from "./phase-badge.js";

const SOURCE: Record<string, string> = { "access point": "EFS access point (metered)", "file system": "EFS file system (metered)", node: "node-reported", none: "" };

export function VolumesTable({ state, report, claimUsage, onSelect }: { state: ClusterState; report?: EfsUsageReport; claimUsage: ReadonlyMap<string, ClaimUsage>; onSelect: (id: string) => void }) {
  const rows = volumeUsageRows(state, report, claimUsage);
  return (
    <section aria-labelledby="volumes-title" className="card">
      <h2 id="volumes-title">PersistentVolumes by usage</h2>
      {rows.length === 0 ? <p className="empty">No PersistentVolumes.</p> : (
        <div className="table-scroll">
          <table data-testid="volumes-table">
            <thead>
              <tr><th scope="col">Volume</th><th scope="col">Phase</th><th scope="col">Claim</th><th scope="col">Capacity</th><th scope="col">Used</th><th scope="col">Reclaim policy</th></tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.volume} data-volume={r.volume}>
                  <th scope="row"><button type="button" className="link" onClick={() => onSelect(nodeId.volume(r.volume))}>{r.volume}</button></th>
                  <td><PhaseBadge phase={r.phase} /></td>
                  <td>{r.claim ?? "—"}{r.claimGone && <span className="hint"> (deleted)</span>}</td>
                  <td>{r.capacity ?? "—"}</td>
                  <td>{r.usedBytes === null ? "unknown" : formatBytes(r.usedBytes)}{r.source !== "none" && <span className="hint"> ({SOURCE[r.source]})</span>}</td>
                  <td>
                    {r.reclaimPolicy}
                    {r.deletesData && <span className="badge warn" title="The volume's storage is deleted once its claim is deleted">data deleted when released</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
