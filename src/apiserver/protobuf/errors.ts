/**
 * The one error type the protobuf decoder throws. `reason` tells the HTTP edge which status to
 * answer: a body we cannot read is the client's mistake (400); a well-formed envelope carrying a
 * kind we have no descriptor for is a representation we do not accept (415).
 */

export type ProtobufErrorReason = "Malformed" | "UnsupportedKind";

export class ProtobufDecodeError extends Error {
  constructor(
    readonly reason: ProtobufErrorReason,
    message: string,
  ) {
    super(message);
    this.name = "ProtobufDecodeError";
  }
}

export function malformed(message: string): ProtobufDecodeError {
  return new ProtobufDecodeError("Malformed", message);
}

export function isProtobufDecodeError(err: unknown): err is ProtobufDecodeError {
  return err instanceof ProtobufDecodeError;
}
