/**
 * The remotecommand WebSocket framing (v4/v5.channel.k8s.io): every binary message starts with a channel byte —
 * 0 stdin, 1 stdout, 2 stderr, 3 error (a Status as JSON, sent once at the end), 4 terminal resize
 * ({"Width":w,"Height":h}), and in v5 255 "close" with the closed channel in the next byte ([255, 0] = stdin EOF).
 */

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
export const CLOSE = 255;

export const PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

export function frame(channel: number, data: Buffer | string): Buffer {
  const body = typeof data === "string" ? Buffer.from(data) : data;
  return Buffer.concat([Buffer.from([channel]), body]);
}

export type Incoming = { kind: "stdin"; data: Buffer } | { kind: "resize"; width: number; height: number } | { kind: "close"; channel: number } | { kind: "ignored" };

export function parseIncoming(msg: Buffer): Incoming {
  if (msg.length === 0) return { kind: "ignored" };
  const ch = msg[0];
  if (ch === STDIN) return { kind: "stdin", data: msg.subarray(1) };
  if (ch === CLOSE && msg.length >= 2) return { kind: "close", channel: msg[1] };
  if (ch === RESIZE) {
    try {
      const size = JSON.parse(msg.subarray(1).toString("utf8")) as { Width?: unknown; Height?: unknown };
      const w = Number(size.Width);
      const h = Number(size.Height);
      if (Number.isInteger(w) && Number.isInteger(h) && w > 0 && h > 0 && w < 65536 && h < 65536) return { kind: "resize", width: w, height: h };
    } catch {
      // a malformed resize is dropped, as the kubelet does
    }
  }
  return { kind: "ignored" };
}

/** The Status sent on channel 3 when the command ends (kubectl turns NonZeroExitCode into its own exit code). */
export function exitStatus(code: number): string {
  if (code === 0) return JSON.stringify({ metadata: {}, status: "Success" });
  return JSON.stringify({
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: exit status ${code}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(code) }] },
  });
}

/** A failure before the command ran (InternalError), e.g. the executable does not exist. */
export function errorStatus(message: string): string {
  return JSON.stringify({ metadata: {}, status: "Failure", message, reason: "InternalError", details: { causes: [{ message }] }, code: 500 });
}
