import { describe, expect, it } from "vitest";
import { expand, mappingFor } from "./expand.js";

const m = mappingFor(new Map([["A", "alpha"], ["EMPTY", ""], ["B", "$(A)"]]));

describe("expand", () => {
  it.each([
    ["$(A)", "alpha"],
    ["x-$(A)-y", "x-alpha-y"],
    ["$(EMPTY)z", "z"],
    ["$(UNDEFINED)", "$(UNDEFINED)"],
    ["$$(A)", "$(A)"],
    ["$$", "$"],
    ["a$b", "a$b"],
    ["$", "$"],
    ["trailing $(", "trailing $("],
    ["$(A", "$(A"],
    ["$(B)", "$(A)"],
    ["$(A)$(A)", "alphaalpha"],
    ["no refs", "no refs"],
  ])("%s -> %s", (input, want) => {
    expect(expand(input, m)).toBe(want);
  });
});
