import { describe, expect, it } from "vitest";
import { logOptions } from "./query.js";

describe("logOptions", () => {
  it("parses what kubectl sends", () => {
    expect(logOptions(new URLSearchParams("follow=true&tailLines=10&timestamps=true&previous=false&limitBytes=100&sinceSeconds=5"))).toEqual({
      follow: true,
      timestamps: true,
      previous: false,
      tailLines: 10,
      sinceSeconds: 5,
      limitBytes: 100,
    });
    expect(logOptions(new URLSearchParams("sinceTime=2024-01-01T00:00:00Z")).sinceTime).toBe("2024-01-01T00:00:00Z");
  });

  it("refuses malformed values with a 400", () => {
    for (const q of ["tailLines=-1", "tailLines=x", "follow=maybe", "sinceSeconds=0", "limitBytes=0", "sinceTime=yesterday", "sinceSeconds=1&sinceTime=2024-01-01T00:00:00Z"]) {
      expect(() => logOptions(new URLSearchParams(q)), q).toThrow(expect.objectContaining({ code: 400 }));
    }
  });
});
