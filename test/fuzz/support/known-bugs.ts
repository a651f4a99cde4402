/**
 * Product bugs the fuzzers found that are still open and belong to another component's owner
 * (fixed ones: regression tests in known-bugs.test.ts; the CSI one is special-cased in
 * csi-publish.test.ts, see known-bugs-csi.test.ts). Each entry recognises
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
    id: "patched-object-not-type-checked",
    owner: "src/apiserver (patch/apply write path)",
    // A patch or apply that gives a field the wrong JSON type (a container's image as a number) reaches
    // defaulting untyped ("image.trim is not a function"): 500. A create with the same body is refused
    // by the typed decoding with 400; the patched object should go through the same check.
    matches: (r, input) => r.status === 500 && /^application\/[a-z-]*(patch|apply)/.test(input) && /is not a function|Cannot read properties of/.test(r.text),
  },
];

export function knownBug(r: RawReply | { status: number; text: string }, input: string): KnownBug | undefined {
  return KNOWN_BUGS.find((b) => b.matches(r, input));
}
