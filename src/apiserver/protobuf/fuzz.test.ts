/**
 * Property tests: whatever bytes arrive, decoding returns a JSON-serialisable object or throws
 * ProtobufDecodeError, and finishes. Inputs are pure noise, noise behind a valid envelope for each
 * supported kind, and mutations of real kubectl bodies (which reach deep into the descriptors).
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeKubernetesProtobuf, ProtobufDecodeError } from "./index.js";
import { kubernetesBody, ProtoWriter } from "./testing/encoder.js";

const captured = (JSON.parse(readFileSync(new URL("./testdata/kubectl-create.json", import.meta.url), "utf8")) as { requests: { bodyHex: string }[] }).requests.map((r) =>
  Buffer.from(r.bodyHex, "hex"),
);

const KINDS: [string, string][] = [
  ["v1", "ConfigMap"],
  ["v1", "Secret"],
  ["v1", "Namespace"],
  ["v1", "ServiceAccount"],
  ["rbac.authorization.k8s.io/v1", "Role"],
  ["rbac.authorization.k8s.io/v1", "ClusterRole"],
  ["rbac.authorization.k8s.io/v1", "RoleBinding"],
  ["rbac.authorization.k8s.io/v1", "ClusterRoleBinding"],
  ["authentication.k8s.io/v1", "TokenRequest"],
];

/** Decodes and checks the outcome is one of the two allowed ones. */
function decodesOrFailsTyped(body: Buffer): void {
  let out: unknown;
  try {
    out = decodeKubernetesProtobuf(body);
  } catch (err) {
    if (!(err instanceof ProtobufDecodeError)) throw err;
    return;
  }
  expect(() => JSON.stringify(out)).not.toThrow();
}

type Mutation =
  | { op: "flip"; at: number; bit: number }
  | { op: "set"; at: number; value: number }
  | { op: "insert"; at: number; bytes: Uint8Array }
  | { op: "delete"; at: number; count: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("flip" as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ op: fc.constant("set" as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 8 }) }),
  fc.record({ op: fc.constant("delete" as const), at: fc.nat(), count: fc.integer({ min: 1, max: 8 }) }),
);

function mutate(body: Buffer, ops: Mutation[]): Buffer {
  let b = Buffer.from(body);
  for (const m of ops) {
    const at = b.length ? m.at % b.length : 0;
    if (m.op === "flip" && b.length) b[at] ^= 1 << m.bit;
    else if (m.op === "set" && b.length) b[at] = m.value;
    else if (m.op === "insert") b = Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
    else if (m.op === "delete") b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.count)]);
  }
  return b;
}

describe("fuzzing the decoder", () => {
  it("random bytes, with or without the prefix", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.uint8Array({ maxLength: 512 }), (prefixed, bytes) => {
        decodesOrFailsTyped(Buffer.concat([prefixed ? Buffer.from("k8s\0", "latin1") : Buffer.alloc(0), Buffer.from(bytes)]));
      }),
      { numRuns: 3000 },
    );
  });

  it("random object bytes inside a valid envelope, for every supported kind", () => {
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), fc.uint8Array({ maxLength: 512 }), ([apiVersion, kind], bytes) => {
        decodesOrFailsTyped(kubernetesBody(apiVersion, kind, Buffer.from(bytes)));
      }),
      { numRuns: 3000 },
    );
  });

  it("mutations of real kubectl bodies", () => {
    fc.assert(
      fc.property(fc.constantFrom(...captured), fc.array(mutation, { minLength: 1, maxLength: 6 }), (body, ops) => {
        decodesOrFailsTyped(mutate(body, ops));
      }),
      { numRuns: 5000 },
    );
  });

  it("random well-formed field soup: known and unknown numbers, every wire type, nested", () => {
    interface SoupField {
      n: number;
      kind: "varint" | "fixed32" | "fixed64" | "string" | "message";
      v: bigint;
      s: string;
      inner: SoupField[];
    }
    const { soup } = fc.letrec<{ soup: SoupField[] }>((tie) => ({
      soup: fc.array(
        fc.record({
          n: fc.oneof(fc.integer({ min: 1, max: 18 }), fc.integer({ min: 1, max: 0x1fffffff })),
          kind: fc.constantFrom("varint" as const, "fixed32" as const, "fixed64" as const, "string" as const, "message" as const),
          v: fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
          s: fc.string({ maxLength: 12 }),
          inner: fc.oneof({ depthSize: "small" }, fc.constant([] as SoupField[]), tie("soup")),
        }),
        { maxLength: 6 },
      ),
    }));
    const write = (w: ProtoWriter, fields: SoupField[]): void => {
      for (const f of fields) {
        if (f.kind === "varint") w.varint(f.n, f.v);
        else if (f.kind === "fixed32") w.fixed32(f.n, Number(BigInt.asUintN(32, f.v)));
        else if (f.kind === "fixed64") w.fixed64(f.n, f.v);
        else if (f.kind === "string") w.string(f.n, f.s);
        else w.message(f.n, (m) => write(m, f.inner));
      }
    };
    fc.assert(
      fc.property(fc.constantFrom(...KINDS), soup, ([apiVersion, kind], fields) => {
        decodesOrFailsTyped(kubernetesBody(apiVersion, kind, (w) => write(w, fields)));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("round trip", () => {
  const key = fc.string({ minLength: 0, maxLength: 16 });
  it("ConfigMaps written field by field read back as their JSON", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.dictionary(key, fc.string({ maxLength: 20 })),
        fc.dictionary(key, fc.string({ maxLength: 40 })),
        fc.dictionary(key, fc.uint8Array({ maxLength: 32 })),
        fc.option(fc.boolean(), { nil: undefined }),
        (name, labels, data, binaryData, immutable) => {
          const body = kubernetesBody("v1", "ConfigMap", (w) => {
            w.message(1, (m) => {
              m.string(1, name);
              for (const [k, v] of Object.entries(labels)) m.mapEntry(11, k, v);
            });
            for (const [k, v] of Object.entries(data)) w.mapEntry(2, k, v);
            for (const [k, v] of Object.entries(binaryData)) w.mapEntry(3, k, Buffer.from(v));
            if (immutable !== undefined) w.varint(4, immutable);
          });
          const expected: Record<string, unknown> = { apiVersion: "v1", kind: "ConfigMap", metadata: Object.keys(labels).length ? { name, labels } : { name } };
          if (Object.keys(data).length) expected.data = data;
          if (Object.keys(binaryData).length) expected.binaryData = Object.fromEntries(Object.entries(binaryData).map(([k, v]) => [k, Buffer.from(v).toString("base64")]));
          if (immutable !== undefined) expected.immutable = immutable;
          const out = decodeKubernetesProtobuf(body).object;
          expect(JSON.parse(JSON.stringify(out))).toEqual(JSON.parse(JSON.stringify(expected)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
