/** Pull-style reading of exact byte counts from an async stream of chunks (the tar reader's input). */

export class ByteSource {
  private readonly it: AsyncIterator<Buffer | string | Uint8Array>;
  private buf: Buffer = Buffer.alloc(0);
  private done = false;

  constructor(input: AsyncIterable<Buffer | string | Uint8Array>) {
    this.it = input[Symbol.asyncIterator]();
  }

  private async fill(): Promise<boolean> {
    if (this.done) return false;
    const r = await this.it.next();
    if (r.done) {
      this.done = true;
      return false;
    }
    const chunk = Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value);
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    return true;
  }

  /** Exactly n bytes, or fewer only at end of input. */
  async read(n: number): Promise<Buffer> {
    while (this.buf.length < n && (await this.fill())) {
      // keep filling
    }
    const out = this.buf.subarray(0, Math.min(n, this.buf.length));
    this.buf = this.buf.subarray(out.length);
    return out;
  }

  /** Up to n bytes in chunks as they arrive (for streaming a tar member's body). */
  async *chunks(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.buf.length === 0 && !(await this.fill())) return;
      const out = this.buf.subarray(0, Math.min(left, this.buf.length));
      this.buf = this.buf.subarray(out.length);
      left -= out.length;
      yield out;
    }
  }

  async skip(n: number): Promise<number> {
    let skipped = 0;
    for await (const c of this.chunks(n)) skipped += c.length;
    return skipped;
  }

  /** Release the underlying stream (e.g. a file) when the reader stops early. */
  async close(): Promise<void> {
    await this.it.return?.();
  }
}
