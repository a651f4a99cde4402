/**
 * SigV4 at the EFS endpoint. (1) The public test-suite vectors the unit tests do not cover pass the
 * verifier, and each fails with one signature digit changed. (2) Over HTTP: a wrong secret, a request
 * signed 15 minutes and one second ago (or as far ahead), and no signature at all are refused with
 * AWS's 403s and change nothing; 14 minutes of skew is still accepted; a replay inside the window
 * creates nothing new (idempotency token). (3) Property: any tampering with a correctly signed
 * mutating request — body byte, path, query, method, date, signed header, scope, signature — or a
 * hostile Authorization / X-Amz-Date header is refused (never 2xx, never 5xx) and changes nothing.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifySigV4, type SigV4Request } from "../../src/efs/index.js";
import { startEfsTarget, type EfsReply, type EfsTarget } from "./support/efs-target.js";
import { hostilePiece, hostileString } from "./support/hostile.js";
import { Tally, fcParams, timeoutFor } from "./support/runs.js";
import { STS_TOKEN, SUITE_VECTORS } from "./sigv4-vectors.js";

const AKID = "AKIDEXAMPLE";
const SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const suiteOpts = {
  service: "service",
  region: "us-east-1",
  lookupSecret: (id: string, token: string | undefined) => (id === AKID && (token === undefined || token === STS_TOKEN) ? SECRET : undefined),
  now: () => new Date("2015-08-30T12:36:00Z"),
};

function suiteRequest(v: (typeof SUITE_VECTORS)[number], signature: string): SigV4Request {
  const headers: Record<string, string[]> = { host: ["example.amazonaws.com"], "x-amz-date": ["20150830T123600Z"], ...v.headers };
  const signed = Object.keys(headers).sort().join(";");
  headers.authorization = [`AWS4-HMAC-SHA256 Credential=${AKID}/20150830/us-east-1/service/aws4_request, SignedHeaders=${signed}, Signature=${signature}`];
  return { method: v.method, rawPath: v.rawPath, rawQuery: v.rawQuery ?? "", headers, body: Buffer.from(v.body ?? "") };
}

describe("aws-sig-v4-test-suite vectors", () => {
  for (const v of SUITE_VECTORS) {
    it(`${v.name}: accepted, and refused with one digit changed`, () => {
      expect(verifySigV4(suiteRequest(v, v.signature), suiteOpts)).toEqual({ ok: true, accessKeyId: AKID });
      const bad = v.signature.slice(0, 10) + (v.signature[10] === "0" ? "1" : "0") + v.signature.slice(11);
      expect(verifySigV4(suiteRequest(v, bad), suiteOpts)).toMatchObject({ ok: false, kind: "InvalidSignature" });
    });
  }
});

let efs: EfsTarget;
const tally = new Tally("sigv4");
const V = "/2015-02-01";
let serial = 0;

beforeAll(async () => {
  efs = await startEfsTarget();
});

afterAll(async () => {
  tally.report();
  await efs?.close();
});

const createBody = (token: string) => JSON.stringify({ ClientToken: token, FileSystemId: "fs-12345678", RootDirectory: { Path: `/sig/${token}` } });

async function refusedAndUnchanged(send: () => Promise<EfsReply>, code: RegExp): Promise<EfsReply> {
  const before = await efs.settledSnapshot();
  const r = await send();
  expect(r.status, r.text).toBe(403);
  expect(r.json?.ErrorCode, r.text).toMatch(code);
  const after = efs.snapshot();
  const at = [...after].findIndex((c, i) => c !== before[i]);
  expect(after, `changed at ${at}: ${before.slice(at - 150, at + 80)}\n now ${after.slice(at - 150, at + 80)}`).toBe(before);
  return r;
}

describe("SigV4 over HTTP at the EFS endpoint", () => {
  it("refuses a wrong secret, a 15-minute-stale or future date, and a missing signature; changes nothing", async () => {
    await refusedAndUnchanged(() => efs.send("POST", `${V}/access-points`, {}, createBody("wrong-secret"), { secret: "not-the-secret" }), /^InvalidSignatureException$/);
    const stale = await refusedAndUnchanged(
      () => efs.send("POST", `${V}/access-points`, {}, createBody("stale"), { signingDate: new Date(Date.now() - 15 * 60 * 1000 - 1000) }),
      /^InvalidSignatureException$/,
    );
    expect(stale.json.Message).toMatch(/Signature expired/);
    await refusedAndUnchanged(() => efs.send("POST", `${V}/access-points`, {}, createBody("future"), { signingDate: new Date(Date.now() + 16 * 60 * 1000) }), /^InvalidSignatureException$/);
    await refusedAndUnchanged(
      () => efs.send("POST", `${V}/access-points`, {}, createBody("unsigned"), { tamper: (w) => delete w.headers.authorization }),
      /^MissingAuthenticationTokenException$/,
    );
  });

  it("accepts 14 minutes of skew; a replay inside the window adds nothing", async () => {
    const body = createBody("replayed");
    const first = await efs.send("POST", `${V}/access-points`, {}, body, { signingDate: new Date(Date.now() - 14 * 60 * 1000) });
    expect(first.status, first.text).toBe(200);
    const captured: { headers?: Record<string, string> } = {};
    const again = await efs.send("POST", `${V}/access-points`, {}, body, { tamper: (w) => (captured.headers = { ...w.headers }) });
    expect(again.status).toBe(200);
    const before = await efs.settledSnapshot();
    const replay = await efs.send("POST", `${V}/access-points`, {}, body, { tamper: (w) => (w.headers = { ...captured.headers! }) });
    expect(replay.status, replay.text).toBe(200);
    expect(replay.json.AccessPointId).toBe(first.json.AccessPointId);
    expect(efs.snapshot()).toBe(before);
  });

  type Tamper = (w: { method: string; path: string; query: string; headers: Record<string, string>; body: string }, n: number) => void;
  const flipChar = (s: string, n: number, alphabet: string): string => {
    if (s.length === 0) return alphabet[0];
    const i = n % s.length;
    const c = alphabet[(alphabet.indexOf(s[i]) + 1 + (n % (alphabet.length - 1))) % alphabet.length] ?? alphabet[0];
    return s.slice(0, i) + (c === s[i] ? alphabet[(alphabet.indexOf(c) + 1) % alphabet.length] : c) + s.slice(i + 1);
  };
  const HEX = "0123456789abcdef";
  const ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
  const TAMPERS: Record<string, Tamper> = {
    body: (w, n) => (w.body = flipChar(w.body, n, ALNUM)),
    bodyExtra: (w) => (w.body = w.body + " "),
    path: (w) => (w.path = w.path.replace("access-points", "access-pointz")),
    queryAdded: (w, n) => (w.query = `MaxResults=${1 + (n % 50)}`),
    method: (w) => (w.method = "PUT"),
    date: (w, n) => (w.headers["x-amz-date"] = w.headers["x-amz-date"].replace(/\d{2}Z$/, (s) => `${String((Number(s.slice(0, 2)) + 1 + (n % 50)) % 60).padStart(2, "0")}Z`)),
    signature: (w, n) => (w.headers.authorization = w.headers.authorization.replace(/Signature=([0-9a-f]+)/, (_, sig: string) => `Signature=${flipChar(sig, n, HEX)}`)),
    region: (w) => (w.headers.authorization = w.headers.authorization.replace("/us-east-1/", "/us-east-2/")),
    service: (w) => (w.headers.authorization = w.headers.authorization.replace("/elasticfilesystem/", "/s3/")),
    accessKey: (w, n) => (w.headers.authorization = w.headers.authorization.replace(/Credential=([A-Z0-9]+)/, (_, k: string) => `Credential=${flipChar(k, n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`)),
    signedHeaderDropped: (w) => (w.headers.authorization = w.headers.authorization.replace("content-type;", "")),
    contentHash: (w, n) => (w.headers["x-amz-content-sha256"] = flipChar(w.headers["x-amz-content-sha256"] ?? "", n, HEX)),
    unsignedAmzHeader: (w) => (w.headers["x-amz-target"] = "smuggled"),
    securityToken: (w) => (w.headers["x-amz-security-token"] = "token"),
  };
  const hostileAuth = fc.oneof(
    hostileString,
    fc.tuple(hostilePiece, hostilePiece, hostilePiece).map(([a, b, c]) => `AWS4-HMAC-SHA256 Credential=${a}, SignedHeaders=${b}, Signature=${c}`),
    fc.constantFrom("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256 Credential=,SignedHeaders=,Signature=", "Bearer x", "AWS AKID:sig", "AWS4-HMAC-SHA256 Credential=a/b/c/d/e/f/g, SignedHeaders=host, Signature=zz"),
  ).map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, "")); // what an HTTP client can put in a header at all
  const hostileDate = fc.oneof(fc.constantFrom("", "20150830T123600Z", "99999999T999999Z", "2026-01-01T00:00:00Z", "Thu, 01 Jan 1970 00:00:00 GMT", "0"), hostilePiece).map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, ""));

  it(
    "tampered or hostile signatures: refused (4xx, AWS-shaped, never 5xx) and nothing changes",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...Object.keys(TAMPERS)), fc.nat()).map(([kind, n]) => ({ kind, n, auth: undefined as string | undefined, date: undefined as string | undefined })) },
            { weight: 1, arbitrary: fc.record({ kind: fc.constant("hostileAuthorization"), n: fc.nat(), auth: hostileAuth, date: fc.constant(undefined) }) },
            { weight: 1, arbitrary: fc.record({ kind: fc.constant("hostileDate"), n: fc.nat(), auth: fc.constant(undefined), date: hostileDate }) },
          ),
          async (t) => {
            const before = await efs.settledSnapshot();
            const r = await efs.send("POST", `${V}/access-points`, {}, createBody(`tamper-${++serial}`), {
              tamper: (w) => {
                if (t.auth !== undefined) w.headers.authorization = t.auth;
                else if (t.date !== undefined) w.headers["x-amz-date"] = t.date;
                else TAMPERS[t.kind](w, t.n);
              },
            });
            tally.count(`${r.status}`);
            const what = `${t.kind} ${t.auth ?? t.date ?? t.n}: ${r.status} ${r.text.slice(0, 300)}`;
            expect(r.status, what).toBeGreaterThanOrEqual(400);
            expect(r.status, what).toBeLessThan(500);
            // A header over Node's 16 KiB limit is refused by the HTTP parser itself, before the service.
            if (!(r.oversizeHead && r.text === "")) expect(typeof r.json?.ErrorCode, what).toBe("string");
            expect(efs.snapshot(), what).toBe(before);
          },
        ),
        fcParams(400),
      );
    },
    timeoutFor(400),
  );
});
