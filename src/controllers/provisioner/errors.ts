/**
 * How driver failures read in events: the text a Go CSI client prints for a gRPC status
 * ("rpc error: code = InvalidArgument desc = Missing provisioningMode parameter"), which is what
 * users of the upstream external-provisioner search for.
 */
export function rpcErrorText(e: unknown): string {
  if (typeof e === "object" && e !== null) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && /^[A-Z][A-Za-z]+$/.test(code) && typeof message === "string") return `rpc error: code = ${code} desc = ${message}`;
    if (typeof message === "string") return message;
  }
  return String(e);
}
