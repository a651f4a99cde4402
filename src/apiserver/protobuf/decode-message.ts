/**
 * Decodes one protobuf message into the JSON object Kubernetes' JSON encoding would produce,
 * driven by a descriptor table. Semantics follow Go's generated unmarshallers: unknown fields are
 * skipped, a repeated occurrence of a singular scalar replaces it, of a singular message merges
 * into it, of a repeated field or map entry appends/overwrites.
 */
import {
  isMap,
  isMessage,
  type FieldDescriptor,
  type MessageDescriptor,
  type ScalarType,
  type ValueType,
} from "./descriptor.js";
import { malformed } from "./errors.js";
import { WireReader, WireType, type Tag } from "./wire.js";

/** Message nesting limit, the same bound the JSON path enforces on decoded objects. */
export const MAX_DEPTH = 100;

type JsonObject = Record<string, unknown>;

export function decodeMessage(buf: Buffer, desc: MessageDescriptor, depth: number): unknown {
  const fields = decodeInto(buf, desc, depth, {});
  return desc.toJson ? desc.toJson(fields) : fields;
}

function decodeInto(buf: Buffer, desc: MessageDescriptor, depth: number, target: JsonObject): JsonObject {
  if (depth > MAX_DEPTH) throw malformed(`nesting exceeds the maximum depth of ${MAX_DEPTH}`);
  const reader = new WireReader(buf);
  while (!reader.done) {
    const tag = reader.readTag();
    const f = desc.fields.get(tag.fieldNumber);
    if (f) readField(reader, tag, desc, f, depth, target);
    else reader.skipField(tag, depth, MAX_DEPTH);
  }
  for (const f of desc.fields.values()) {
    if (f.required && f.type === "string" && target[f.json] === undefined) target[f.json] = "";
  }
  return target;
}

function readField(reader: WireReader, tag: Tag, desc: MessageDescriptor, f: FieldDescriptor, depth: number, target: JsonObject): void {
  const where = `${desc.name}.${f.json}`;
  const type = f.type;
  if (isMap(type)) {
    expectWireType(tag, WireType.LengthDelimited, where);
    const [key, value] = decodeMapEntry(reader.readLengthDelimited(), type.map, depth + 1, where);
    let map = target[f.json] as JsonObject | undefined;
    if (!map) target[f.json] = map = {};
    // defineProperty keeps a "__proto__" key plain data, as JSON.parse does.
    Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
    return;
  }
  if (f.repeated) {
    const value = readValue(reader, tag, type, depth, where);
    let list = target[f.json] as unknown[] | undefined;
    if (!list) target[f.json] = list = [];
    list.push(value === undefined ? null : value);
    return;
  }
  if (isMessage(type) && !type.toJson) {
    expectWireType(tag, WireType.LengthDelimited, where);
    const existing = target[f.json] as JsonObject | undefined;
    target[f.json] = decodeInto(reader.readLengthDelimited(), type, depth + 1, existing ?? {});
    return;
  }
  const value = readValue(reader, tag, type, depth, where);
  if (value === undefined || (!f.nullable && isZero(value))) delete target[f.json];
  else target[f.json] = value;
}

function readValue(reader: WireReader, tag: Tag, type: ValueType, depth: number, where: string): unknown {
  if (isMessage(type)) {
    expectWireType(tag, WireType.LengthDelimited, where);
    return decodeMessage(reader.readLengthDelimited(), type, depth + 1);
  }
  if (isMap(type)) throw malformed(`${where}: a map cannot be a map value or list element`);
  return readScalar(reader, tag, type, depth, where);
}

function readScalar(reader: WireReader, tag: Tag, type: ScalarType, depth: number, where: string): unknown {
  switch (type) {
    case "string":
      expectWireType(tag, WireType.LengthDelimited, where);
      return reader.readLengthDelimited().toString("utf8");
    case "bytes":
      expectWireType(tag, WireType.LengthDelimited, where);
      return reader.readLengthDelimited().toString("base64");
    case "json":
      expectWireType(tag, WireType.LengthDelimited, where);
      return parseEmbeddedJson(reader.readLengthDelimited(), MAX_DEPTH - depth, where);
    case "bool":
      expectWireType(tag, WireType.Varint, where);
      return reader.readVarint() !== 0n;
    case "int32":
      expectWireType(tag, WireType.Varint, where);
      return Number(BigInt.asIntN(32, reader.readVarint()));
    case "int64": {
      expectWireType(tag, WireType.Varint, where);
      const v = BigInt.asIntN(64, reader.readVarint());
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw malformed(`${where}: integer ${v} does not fit a JSON number`);
      }
      return Number(v);
    }
  }
}

function decodeMapEntry(buf: Buffer, valueType: ScalarType | MessageDescriptor, depth: number, where: string): [string, unknown] {
  if (depth > MAX_DEPTH) throw malformed(`nesting exceeds the maximum depth of ${MAX_DEPTH}`);
  const reader = new WireReader(buf);
  let key = "";
  let value: unknown;
  while (!reader.done) {
    const tag = reader.readTag();
    if (tag.fieldNumber === 1) {
      expectWireType(tag, WireType.LengthDelimited, `${where} key`);
      key = reader.readLengthDelimited().toString("utf8");
    } else if (tag.fieldNumber === 2) {
      value = readValue(reader, tag, valueType, depth, `${where}[${JSON.stringify(key)}]`);
    } else {
      reader.skipField(tag, depth, MAX_DEPTH);
    }
  }
  // An entry without a value holds the value type's zero value, as in Go.
  if (value === undefined) value = zeroValue(valueType, depth);
  return [key, value];
}

function zeroValue(type: ScalarType | MessageDescriptor, depth: number): unknown {
  if (isMessage(type)) return decodeMessage(Buffer.alloc(0), type, depth + 1) ?? null;
  switch (type) {
    case "bool":
      return false;
    case "int32":
    case "int64":
      return 0;
    case "json":
      return null;
    default:
      return "";
  }
}

function isZero(v: unknown): boolean {
  return v === "" || v === 0 || v === false;
}

function expectWireType(tag: Tag, expected: number, where: string): void {
  if (tag.wireType !== expected) {
    throw malformed(`${where} (field ${tag.fieldNumber}) has wire type ${tag.wireType}, expected ${expected}`);
  }
}

/** FieldsV1 carries raw JSON; it is parsed so the object reads as it does in JSON. */
function parseEmbeddedJson(raw: Buffer, depthBudget: number, where: string): unknown {
  if (raw.length === 0) return undefined;
  // Measured before parsing: JSON.parse would build a million-deep array before we could object.
  if (jsonNestingExceeds(raw, depthBudget)) throw malformed(`nesting exceeds the maximum depth of ${MAX_DEPTH}`);
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch (err) {
    throw malformed(`${where} holds invalid JSON: ${(err as Error).message}`);
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Whether arrays/objects nest deeper than `limit`, counting brackets outside strings. */
function jsonNestingExceeds(raw: Buffer, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}
