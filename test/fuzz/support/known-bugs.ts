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

/** Empty while every API finding is fixed; csi-publish.test.ts special-cases the open CSI one. */
export const KNOWN_BUGS: KnownBug[] = [];

export function knownBug(r: RawReply | { status: number; text: string }, input: string): KnownBug | undefined {
  return KNOWN_BUGS.find((b) => b.matches(r, input));
}
