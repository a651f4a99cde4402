import { describe, expect, it } from "vitest";
import { exitStatus, frame, parseIncoming } from "./exec-channel.js";
import { parseExecQuery, runcExecFailure } from "./exec.js";

describe("remotecommand framing", () => {
  it("frames output with its channel byte", () => {
    expect([...frame(1, "hi")]).toEqual([1, 104, 105]);
  });

  it("parses stdin, v5 close and resize; drops junk", () => {
    expect(parseIncoming(Buffer.from([0, 65]))).toEqual({ kind: "stdin", data: Buffer.from("A") });
    expect(parseIncoming(Buffer.from([255, 0]))).toEqual({ kind: "close", channel: 0 });
    expect(parseIncoming(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":120,"Height":40}')]))).toEqual({ kind: "resize", width: 120, height: 40 });
    expect(parseIncoming(Buffer.concat([Buffer.from([4]), Buffer.from("{nope")]))).toEqual({ kind: "ignored" });
    expect(parseIncoming(Buffer.from([4, ...Buffer.from('{"Width":-1,"Height":2}')]))).toEqual({ kind: "ignored" });
    expect(parseIncoming(Buffer.alloc(0))).toEqual({ kind: "ignored" });
  });

  it("ends with Success or NonZeroExitCode carrying the exit code", () => {
    expect(JSON.parse(exitStatus(0))).toEqual({ metadata: {}, status: "Success" });
    expect(JSON.parse(exitStatus(3))).toEqual({
      metadata: {},
      status: "Failure",
      message: "command terminated with non-zero exit code: exit status 3",
      reason: "NonZeroExitCode",
      details: { causes: [{ reason: "ExitCode", message: "3" }] },
    });
  });
});

describe("exec requests", () => {
  it("reads runc's exec failure line and nothing else", () => {
    expect(runcExecFailure('time="2026-01-01T00:00:00Z" level=error msg="exec failed: unable to start container process: exec: \\"x\\": executable file not found in $PATH"\n')).toBe(
      'exec failed: unable to start container process: exec: "x": executable file not found in $PATH',
    );
    expect(runcExecFailure("exec failed: something the command printed")).toBeUndefined();
    expect(runcExecFailure('time="t" level=error msg="another error"')).toBeUndefined();
  });

  it("parses kubectl's query and refuses requests without a command or a stream", () => {
    expect(parseExecQuery(new URLSearchParams("command=ls&command=-l&stdout=true&tty=true&stderr=true"))).toEqual({ argv: ["ls", "-l"], stdin: false, stdout: true, stderr: false, tty: true });
    expect(() => parseExecQuery(new URLSearchParams("stdout=true"))).toThrow("you must specify at least 1 command");
    expect(() => parseExecQuery(new URLSearchParams("command=ls"))).toThrow("you must specify at least 1 of stdin, stdout, stderr");
  });
});
