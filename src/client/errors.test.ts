import { describe, expect, it } from "vitest";
import { StatusError } from "../api/status.js";
import { NetworkError, decodeStatusError, isGone, isRetryable, statusErrorFromObject } from "./errors.js";

describe("decodeStatusError", () => {
  it("keeps the server's code, reason, message and details from a Status body", () => {
    const body = JSON.stringify({
      kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", code: 422, reason: "Invalid",
      message: 'PersistentVolumeClaim "x" is invalid: spec.resources[storage]: Required value',
      details: { name: "x", kind: "PersistentVolumeClaim", causes: [{ reason: "FieldValueRequired", field: "spec.resources[storage]" }] },
    });
    const err = decodeStatusError(422, body);
    expect(err).toBeInstanceOf(StatusError);
    expect(err.code).toBe(422);
    expect(err.reason).toBe("Invalid");
    expect(err.message).toMatch(/is invalid/);
    expect(err.details?.causes?.[0].field).toBe("spec.resources[storage]");
  });

  it("synthesises an error from the HTTP code when the body is not a Status", () => {
    const err = decodeStatusError(502, "Bad Gateway");
    expect(err.code).toBe(502);
    expect(err.reason).toBe("InternalError");
    expect(err.message).toContain("Bad Gateway");
    expect(decodeStatusError(404, "").reason).toBe("NotFound");
    expect(decodeStatusError(409, "{}").reason).toBe("Conflict");
  });

  it("maps an unknown reason to the one its code implies and records Retry-After", () => {
    const err = decodeStatusError(429, JSON.stringify({ kind: "Status", code: 429, reason: "SomethingNew", message: "slow down" }), "3");
    expect(err.reason).toBe("TooManyRequests");
    expect(err.message).toBe("slow down");
    expect(err.details?.retryAfterSeconds).toBe(3);
  });

  it("decodes a watch ERROR Status and recognises 410 as gone", () => {
    const err = statusErrorFromObject({ kind: "Status", apiVersion: "v1", status: "Failure", code: 410, reason: "Expired", message: "too old resource version" });
    expect(err.code).toBe(410);
    expect(isGone(err)).toBe(true);
    expect(isGone(decodeStatusError(410, ""))).toBe(true);
    expect(isGone(decodeStatusError(404, ""))).toBe(false);
  });
});

describe("isRetryable", () => {
  it("retries network failures but not TLS verification failures", () => {
    expect(isRetryable(new NetworkError("refused", "ECONNREFUSED"))).toBe(true);
    expect(isRetryable(new NetworkError("bad cert", "DEPTH_ZERO_SELF_SIGNED_CERT", false))).toBe(false);
  });

  it("retries 429/503/504 but not 404 or 409", () => {
    expect(isRetryable(decodeStatusError(429, ""))).toBe(true);
    expect(isRetryable(decodeStatusError(503, ""))).toBe(true);
    expect(isRetryable(decodeStatusError(504, ""))).toBe(true);
    expect(isRetryable(decodeStatusError(404, ""))).toBe(false);
    expect(isRetryable(decodeStatusError(409, ""))).toBe(false);
    expect(isRetryable(new Error("x"))).toBe(false);
  });
});
