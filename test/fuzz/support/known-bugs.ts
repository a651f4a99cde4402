/**
 * Product bugs the fuzzers found that belong to another component's owner. Each entry recognises
 * exactly its own failure (status, message and the shape of the input), is counted separately in
 * the tally ("known:<id>") instead of failing the property, and has a reproduction in
 * known-bugs.test.ts declared with `it.fails`: once the owner fixes the bug, that reproduction
 * starts failing and the entry must be deleted here — the property then covers the input again.
 */
import type { RawReply } from "./api-target.js";

export interface KnownBug {
  id: string;
  /** Where the fix belongs. */
  owner: string;
  matches(reply: { status: number; text: string }, input: string): boolean;
}

export const KNOWN_BUGS: KnownBug[] = [
  {
    id: "null-list-element",
    owner: "src/api (decoding/validation of list elements)",
    // `[null]` where a list of objects is expected: Go decodes it as an empty struct (then "Required"
    // errors); here validation dereferences the null and the request fails with 500.
    matches: (r, input) => r.status === 500 && /Cannot read properties of null/.test(r.text) && /\[(?:[^\]]*,)?null[,\]]/.test(input),
  },
  {
    id: "null-quantity-stored",
    owner: "src/api (PersistentVolumeClaim decoding)",
    // resources.limits.storage: null is accepted and stored as null. Upstream decodes a null Quantity as
    // zero and stores "0"; a stored null is not a quantity for any reader of the claim.
    matches: (r, input) => r.status === 201 && /"limits":\{"storage":null\}/.test(input) && /"limits":\{"storage":null\}/.test(r.text),
  },
  {
    id: "malformed-percent-escape",
    owner: "src/apiserver/http/request-info.ts (parseRequestInfo)",
    // A path segment with a malformed escape ("%", "%zz") reaches decodeURIComponent, whose URIError
    // becomes 500; Go's server answers 400 for an invalid URL escape.
    matches: (r) => r.status === 500 && /URI malformed/.test(r.text),
  },
  {
    id: "store-key-refused-as-500",
    owner: "src/api validation (names) or src/apiserver (mapping store errors)",
    // A name that passes validation (path-segment names: RBAC kinds, events) or a namespace/name segment
    // of a request path, holding NUL or a lone UTF-16 surrogate, reaches the store, which refuses such
    // keys and prefixes by throwing a TypeError: 500. It should be refused with 400/422 before the store.
    matches: (r) => r.status === 500 && /store (key|prefix) must/.test(r.text),
  },
  {
    id: "bad-gzip-body",
    owner: "src/apiserver/http/body.ts (readBody)",
    // Content-Encoding: gzip with a body that is not gzip: the zlib error escapes readBody and becomes
    // 500 ("incorrect header check"); a malformed body is the client's fault (400).
    matches: (r) => r.status === 500 && /incorrect header check|invalid (block type|distance|stored block)|unexpected end of file|zlib/i.test(r.text),
  },
];

export function knownBug(r: RawReply | { status: number; text: string }, input: string): KnownBug | undefined {
  return KNOWN_BUGS.find((b) => b.matches(r, input));
}
