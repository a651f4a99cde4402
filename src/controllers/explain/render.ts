/** Plain-text rendering of an Explanation, for terminals. */
import type { Explanation } from "./report.js";

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd());
}

export function renderExplanation(e: Explanation): string {
  const title = `${e.kind} ${e.namespace ? `${e.namespace}/` : ""}${e.name}`;
  const out: string[] = [title, "", `Why: ${e.summary}`];
  if (!e.found) return out.join("\n") + "\n";
  if (e.facts.length) {
    out.push("");
    for (const line of table(e.facts.map(([k, v]) => [`${k}:`, v]))) out.push(`  ${line}`);
  }
  if (e.storageClass) {
    out.push("", "Storage class:", `  ${e.storageClass.name ? `"${e.storageClass.name}"` : "(none)"}: ${e.storageClass.state}`);
    if (e.storageClass.exists) out.push(`  provisioner ${e.storageClass.provisioner}, binding mode ${e.storageClass.volumeBindingMode ?? "Immediate"}${e.storageClass.isDefault ? ", default class" : ""}${e.storageClass.allowVolumeExpansion ? ", expandable" : ""}`);
  }
  if (e.candidates) {
    out.push("", `Volumes considered (${e.candidates.length}):`);
    if (e.candidates.length === 0) out.push("  (no PersistentVolumes exist)");
    else for (const line of table([["VOLUME", "RESULT", "WHY"], ...e.candidates.map((c) => [c.volume, c.rejectedBy ? `rejected: ${c.rejectedBy}` : "candidate", c.detail])])) out.push(`  ${line}`);
  }
  if (e.nodes) {
    out.push("", "Nodes:");
    if (e.nodes.length === 0) out.push("  (no nodes)");
    else for (const line of table([["NODE", "VERDICT"], ...e.nodes.map((n) => [n.name, n.verdict])])) out.push(`  ${line}`);
  }
  if (e.pods && e.pods.length) {
    out.push("", e.kind === "Pod" ? "Claims:" : "Pods using it:");
    for (const line of table(e.pods.map((p) => [p.name, p.phase ?? "", p.note]))) out.push(`  ${line}`);
  }
  if (e.containers) {
    out.push("", "Containers:");
    if (e.containers.length === 0) out.push("  (not reported by the node yet)");
    else {
      const rows = e.containers.map((c) => [`${c.init ? "init:" : ""}${c.name}`, c.state, c.ready ? "yes" : "no", String(c.restarts), [c.reason, c.lastExit && `last run: ${c.lastExit}`].filter(Boolean).join("; ")]);
      for (const line of table([["CONTAINER", "STATE", "READY", "RESTARTS", "REASON"], ...rows])) out.push(`  ${line}`);
    }
  }
  if (e.conditions && e.conditions.length) {
    out.push("", "Conditions:");
    for (const line of table([["TYPE", "STATUS", "REASON"], ...e.conditions.map((c) => [c.type, c.status, c.reason ?? ""])])) out.push(`  ${line}`);
  }
  if (e.causes.length) {
    out.push("", "What to do:");
    e.causes.forEach((c, i) => {
      out.push(`  ${i + 1}. ${c.message}`);
      for (const f of c.fixes) for (const [j, line] of f.split("\n").entries()) out.push(`${j === 0 ? "     $ " : "       "}${line}`);
    });
  }
  out.push("", "Recent events:");
  if (e.events.length === 0) out.push("  <none>");
  else for (const line of table([["TYPE", "REASON", "COUNT", "FROM", "MESSAGE"], ...e.events.map((ev) => [ev.type, ev.reason, String(ev.count), ev.source ?? "", ev.message])])) out.push(`  ${line}`);
  return out.join("\n") + "\n";
}
