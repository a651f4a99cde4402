/**
 * Splits a byte stream of concatenated JSON objects into documents, as a watch response carries
 * them. kube-apiserver writes one object per line, but Go's decoder accepts objects back to back
 * with any whitespace, and so does this: it tracks brace depth and string state, so chunk
 * boundaries may fall anywhere, including inside a multi-byte UTF-8 character.
 */

export class JsonStreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JsonStreamError";
  }
}

export class JsonStreamDecoder {
  private readonly text = new TextDecoder("utf-8");
  private buf = "";
  /** Where scanning resumes in `buf`; everything before it belongs to the current document. */
  private pos = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(private readonly maxDocumentBytes = 64 * 1024 * 1024) {}

  /** Feed a chunk; returns the documents it completed, in order. */
  push(chunk: Uint8Array): unknown[] {
    this.buf += this.text.decode(chunk, { stream: true });
    const docs: unknown[] = [];
    let start = 0;
    for (let i = this.pos; i < this.buf.length; i++) {
      const c = this.buf.charCodeAt(i);
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c /* \ */) this.escaped = true;
        else if (c === 0x22 /* " */) this.inString = false;
        continue;
      }
      if (this.depth === 0) {
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
          start = i + 1;
          continue;
        }
        if (c !== 0x7b /* { */ && c !== 0x5b /* [ */) throw new JsonStreamError(`unexpected ${JSON.stringify(this.buf[i])} between watch documents`);
      }
      if (c === 0x22) this.inString = true;
      else if (c === 0x7b || c === 0x5b) this.depth++;
      else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 0) {
          const raw = this.buf.slice(start, i + 1);
          try {
            docs.push(JSON.parse(raw));
          } catch (err) {
            throw new JsonStreamError(`malformed watch document: ${(err as Error).message}`);
          }
          start = i + 1;
        }
      }
    }
    this.buf = this.buf.slice(start);
    this.pos = this.buf.length;
    if (this.buf.length > this.maxDocumentBytes) throw new JsonStreamError(`watch document exceeds ${this.maxDocumentBytes} bytes`);
    return docs;
  }

  /** True when no partial document is buffered (a clean place for the stream to end). */
  get idle(): boolean {
    return this.depth === 0 && this.buf.trim() === "";
  }
}
