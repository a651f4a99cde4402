/** Kubernetes timestamps: metav1.Time is RFC 3339 in whole seconds, MicroTime keeps microseconds. */

/** "2024-05-01T10:00:00Z" from a Date, epoch ms or any RFC 3339 string (fractions dropped); undefined if unparsable. */
export function metaTime(t: Date | number | string | undefined): string | undefined {
  if (t === undefined || t === "") return undefined;
  if (typeof t === "string") {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.exec(t);
    if (!m) return undefined;
    if (m[3] === "Z") return `${m[1]}Z`;
    t = Date.parse(t);
  }
  const d = t instanceof Date ? t : new Date(t);
  if (Number.isNaN(d.getTime())) return undefined;
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** "2024-05-01T10:00:00.123000Z" (metav1.MicroTime, as leases carry). */
export function microTime(d: Date): string {
  return d.toISOString().replace(/Z$/, "000Z");
}

/** Epoch ms of a timestamp string, or NaN. */
export function epochMs(t: string | undefined): number {
  return t ? Date.parse(t) : NaN;
}
