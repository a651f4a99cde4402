/**
 * Splits a watch response body into its JSON documents. The API server writes one event per line;
 * chunks may cut a line anywhere, so the unfinished tail is held until the next chunk. A line
 * longer than `maxLine` (a runaway or hostile stream) is an error, so memory stays bounded.
 */
export class JsonLinesDecoder {
  private tail = "";

  constructor(private readonly maxLine = 16 * 1024 * 1024) {}

  /** Returns the documents completed by this chunk; throws on a malformed line. */
  push(chunk: string): unknown[] {
    const text = this.tail + chunk;
    const lines = text.split("\n");
    this.tail = lines.pop() ?? "";
    if (this.tail.length > this.maxLine) throw new Error(`watch event longer than ${this.maxLine} bytes`);
    const out: unknown[] = [];
    for (const line of lines) {
      const trimmed = line.trim();
      if (trimmed) out.push(JSON.parse(trimmed));
    }
    return out;
  }

  /** The stream ended: a non-empty unfinished line is a truncated event. */
  end(): unknown[] {
    const rest = this.tail.trim();
    this.tail = "";
    return rest ? [JSON.parse(rest)] : [];
  }
}
