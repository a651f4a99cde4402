/**
 * argv, environment and working directory of a container's first process, with Kubernetes' rules:
 *   command set        -> command + args (the image's Entrypoint and Cmd are ignored)
 *   only args set      -> image Entrypoint + args
 *   neither            -> image Entrypoint + image Cmd
 * Environment: the image's variables, then the container's (a container variable replaces the image's value in
 * place), HOSTNAME first and PATH defaulted as container runtimes do. $(VAR) expansion is the agent's job.
 */
import type { ContainerSpec } from "./container-spec.js";
import { checkContainerPath } from "./container-spec.js";
import { RuntimeError } from "./errors.js";
import { DEFAULT_PATH, type ImageConfig } from "./image-types.js";

export interface ProcessBasics {
  args: string[];
  env: string[];
  cwd: string;
}

export function containerArgs(image: ImageConfig, spec: Pick<ContainerSpec, "command" | "args">): string[] {
  let argv: string[];
  if (spec.command && spec.command.length > 0) argv = [...spec.command, ...(spec.args ?? [])];
  else if (spec.args && spec.args.length > 0) argv = [...image.entrypoint, ...spec.args];
  else argv = [...image.entrypoint, ...image.cmd];
  if (argv.length === 0 || argv[0] === "") {
    throw new RuntimeError("InvalidSpec", "no command specified: the container has no command and the image no Entrypoint or Cmd");
  }
  return argv;
}

export function mergeEnv(base: string[], overrides: { name: string; value: string }[], hostname: string): string[] {
  const order: string[] = [];
  const values = new Map<string, string>();
  const set = (k: string, v: string) => {
    if (!values.has(k)) order.push(k);
    values.set(k, v);
  };
  set("HOSTNAME", hostname);
  for (const kv of base) {
    const eq = kv.indexOf("=");
    if (eq > 0) set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  for (const e of overrides) set(e.name, e.value ?? "");
  if (!values.has("PATH")) set("PATH", DEFAULT_PATH);
  return order.map((k) => `${k}=${values.get(k)}`);
}

export function containerCwd(image: ImageConfig, workingDir: string | undefined): string {
  const wd = workingDir || image.workingDir || "/";
  if (!wd.startsWith("/")) throw new RuntimeError("InvalidSpec", `working directory ${JSON.stringify(wd)} must be absolute`);
  if (wd === "/") return "/";
  const norm = checkContainerPath(wd, "working directory");
  if (norm === "/proc" || norm.startsWith("/proc/")) throw new RuntimeError("InvalidSpec", "working directory must not be under /proc");
  return norm;
}

export function containerProcess(image: ImageConfig, spec: ContainerSpec, hostname: string): ProcessBasics {
  return {
    args: containerArgs(image, spec),
    env: mergeEnv(image.env, spec.env ?? [], hostname),
    cwd: containerCwd(image, spec.workingDir),
  };
}
