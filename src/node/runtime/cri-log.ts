/**
 * The CRI container log format written by the shim — "<RFC3339Nano> <stdout|stderr> <F|P> <content>" per line,
 * P marking a piece of a longer line — and how kubectl logs renders it: pieces are joined (a P record ends without a
 * newline), and with timestamps every record is prefixed by its time as Go prints RFC3339Nano (trailing zeros cut).
 */

export interface CriRecord {
  /** As written: "2026-11-24T16:00:00.123456789Z" (always 9 fraction digits from our shim). */
  time: string;
  stream: "stdout" | "stderr";
  partial: boolean;
  content: Buffer;
}

const SP = 0x20;

/** Parse one log line (without its newline). Returns undefined for lines that are not CRI records. */
export function parseCriLine(line: Buffer): CriRecord | undefined {
  const a = line.indexOf(SP);
  const b = a < 0 ? -1 : line.indexOf(SP, a + 1);
  if (a <= 0 || b < 0) return undefined;
  const stream = line.subarray(a + 1, b).toString("latin1");
  if (stream !== "stdout" && stream !== "stderr") return undefined;
  const tag = line[b + 1];
  if (tag !== 0x46 /* F */ && tag !== 0x50 /* P */) return undefined;
  const rest = line.length > b + 2 && line[b + 2] === SP ? b + 3 : b + 2;
  return { time: line.subarray(0, a).toString("latin1"), stream, partial: tag === 0x50, content: line.subarray(rest) };
}

/** "…05.120000000Z" -> "…05.12Z"; "…05.000000000Z" -> "…05Z" (Go's time.RFC3339Nano). */
export function goRfc3339Nano(t: string): string {
  return t.replace(/\.(\d*?)0*Z$/, (_m, digits: string) => (digits ? `.${digits}Z` : "Z"));
}

/** A Date (or RFC 3339 string) in the shim's fixed-width form, so times compare as strings. */
export function toCriTime(t: Date | string): string {
  if (typeof t === "string") {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(t);
    if (m) return `${m[1]}.${(m[2] ?? "").padEnd(9, "0")}Z`;
    t = new Date(t);
  }
  if (Number.isNaN(t.getTime())) throw new Error("invalid time");
  return t.toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
}

/** The bytes kubectl logs shows for one record. */
export function renderRecord(r: CriRecord, timestamps: boolean): Buffer {
  const parts: Buffer[] = [];
  if (timestamps) parts.push(Buffer.from(goRfc3339Nano(r.time) + " "));
  parts.push(r.content);
  if (!r.partial) parts.push(Buffer.from("\n"));
  return Buffer.concat(parts);
}
