/**
 * Kubernetes variable references in command, args, env values and subPathExpr: "$(NAME)" becomes NAME's value
 * when NAME is defined and stays as written otherwise; "$$" is an escaped "$"; any other "$" is literal
 * (the rules of upstream's third_party/forked/golang/expansion).
 */

export type Mapping = (name: string) => string;

/** A mapping over `vars`; undefined names are left as "$(NAME)". */
export function mappingFor(vars: Map<string, string>): Mapping {
  return (name) => (vars.has(name) ? (vars.get(name) as string) : `$(${name})`);
}

export function expand(input: string, mapping: Mapping): string {
  let out = "";
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== "$" || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let advance = 1;
    if (rest[0] === "$") out += "$";
    else if (rest[0] === "(") {
      const close = rest.indexOf(")", 1);
      if (close >= 0) {
        out += mapping(rest.slice(1, close));
        advance = close + 1;
      } else out += "$(";
    } else out += "$" + rest[0];
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}
