/**
 * The store on etcd v3, mapped the way kube-apiserver maps its storage onto etcd:
 * - revision = etcd's revision (the header revision; it also counts writes to other prefixes and
 *   lease expiries, so it is strictly increasing but not contiguous);
 * - create = Txn(mod_revision(k) == 0 ? put : range); update = Txn(mod_revision(k) == R ? put : range);
 *   delete = Txn(mod_revision(k) == R ? delete : range), or a plain delete without R;
 * - reads at a revision are etcd ranges at that revision (linearizable), `count` is etcd's count;
 * - TTL = leases shared per TTL (leases.ts), deletion by etcd itself;
 * - watch = resumable etcd watch (watch.ts); compaction = etcd Compact (physical).
 */
import type { CallOptions } from "@grpc/grpc-js";
import type { IRangeResponse, ITxnResponse } from "etcd3";
import { assertValidPrefix } from "../core/keys.js";
import { assertRevisionArg } from "../core/revisions.js";
import { checkExpectedRevision, checkLimit, checkTtl, checkValue, DEFAULT_MAX_VALUE_BYTES } from "../core/validate.js";
import {
  isStoreError,
  StoreError,
  type Backend,
  type GetResult,
  type KeyValue,
  type ListOptions,
  type ListResult,
  type WatchHandle,
  type WatchOptions,
  type WriteOptions,
} from "../types.js";
import { EtcdLeaseError, EtcdRpc, type EtcdClientOptions } from "./client.js";
import { CompactionFloor, readableAt } from "./compaction-floor.js";
import { KeyCodec } from "./keys.js";
import { toKeyValue } from "./kv-codec.js";
import { LeaseBuckets } from "./leases.js";
import { EtcdWatch } from "./watch.js";

export interface EtcdBackendOptions extends EtcdClientOptions {
  /** Namespace every key is stored under (default "/cistern"). */
  prefix?: string;
  /** How long open() waits for any endpoint to answer (default 5 s). */
  dialTimeoutMs?: number;
  /** Largest value accepted (default 1.5 MiB, etcd's default --max-request-bytes). */
  maxValueBytes?: number;
  /** A watch that cannot be resumed for this long ends with Unavailable (default 60 s). */
  watchGiveUpMs?: number;
}

/** The key kube-apiserver's compactor records its last compaction in (read as a floor hint). */
const COMPACT_REV_KEY = Buffer.from("compact_rev_key");

export class EtcdBackend implements Backend {
  readonly name: string;
  readonly rpc: EtcdRpc;
  private readonly keys: KeyCodec;
  private readonly leases: LeaseBuckets;
  private readonly floor: CompactionFloor;
  private readonly watches = new Set<EtcdWatch>();
  private readonly maxValueBytes: number;
  private readonly watchGiveUpMs: number;

  /** Connects and checks that some endpoint answers; fails naming the endpoints otherwise. */
  static async open(opts: EtcdBackendOptions): Promise<EtcdBackend> {
    const b = new EtcdBackend(opts);
    const dialTimeoutMs = opts.dialTimeoutMs ?? 5000;
    try {
      await b.rpc.read("connect", (call) => b.rpc.etcd.kv.range({ key: b.rootKey(), count_only: true }, call), dialTimeoutMs);
    } catch (err) {
      b.rpc.close();
      throw new Error(`etcd store: no endpoint of ${opts.endpoints.join(",")} answered within ${dialTimeoutMs} ms: ${(err as Error).message}`, {
        cause: err,
      });
    }
    return b;
  }

  private constructor(opts: EtcdBackendOptions) {
    if (opts.endpoints.length === 0) throw new TypeError("etcd store: no endpoints");
    this.keys = new KeyCodec(opts.prefix ?? "/cistern");
    this.rpc = new EtcdRpc(opts);
    this.leases = new LeaseBuckets(this.rpc);
    this.maxValueBytes = opts.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
    this.watchGiveUpMs = opts.watchGiveUpMs ?? 60_000;
    this.name = `${opts.tls ? "etcds" : "etcd"}://${opts.endpoints.join(",")}?prefix=${this.keys.namespace}`;
    this.floor = new CompactionFloor({
      readable: (revision) =>
        readableAt(() => this.rpc.read("floor probe", (call) => this.rpc.etcd.kv.range({ key: this.rootKey(), revision, count_only: true }, call))),
      current: () => this.currentRevision(),
      hint: async () => {
        const res = await this.rpc.read("floor hint", (call) => this.rpc.etcd.kv.range({ key: COMPACT_REV_KEY }, call));
        const v = Number(res.kvs[0]?.value.toString("utf8"));
        return Number.isSafeInteger(v) && v > 0 ? v : undefined;
      },
    });
  }

  async get(key: string, revision?: number): Promise<GetResult> {
    assertRevisionArg(revision);
    const k = this.keys.encode(key);
    const res = await this.read("get", (call) => this.rpc.etcd.kv.range({ key: k, revision: revision ?? 0 }, call));
    return { kv: res.kvs[0] && toKeyValue(this.keys, res.kvs[0]), revision: revision || Number(res.header.revision) };
  }

  async list(opts: ListOptions): Promise<ListResult> {
    assertValidPrefix(opts.prefix);
    assertRevisionArg(opts.revision);
    const limit = checkLimit(opts.limit);
    const range = this.keys.after(this.keys.prefixRange(opts.prefix), opts.startAfter);
    const res = await this.read("list", (call) =>
      this.rpc.etcd.kv.range({ key: range.key, range_end: range.rangeEnd, revision: opts.revision ?? 0, limit: limit ?? 0 }, call),
    );
    const items = res.kvs.map((kv) => toKeyValue(this.keys, kv));
    const more = Boolean(res.more);
    return { items, revision: opts.revision || Number(res.header.revision), more, remaining: more ? Number(res.count) - items.length : 0 };
  }

  async count(prefix: string, revision?: number): Promise<{ count: number; revision: number }> {
    assertValidPrefix(prefix);
    assertRevisionArg(revision);
    const range = this.keys.prefixRange(prefix);
    const res = await this.read("count", (call) =>
      this.rpc.etcd.kv.range({ key: range.key, range_end: range.rangeEnd, revision: revision ?? 0, count_only: true }, call),
    );
    return { count: Number(res.count), revision: revision || Number(res.header.revision) };
  }

  async create(key: string, value: Uint8Array, opts?: WriteOptions): Promise<KeyValue> {
    const k = this.keys.encode(key);
    const v = toBuffer(checkValue(key, value, this.maxValueBytes));
    const ttl = checkTtl(opts);
    const res = await this.withLease(ttl, (lease) =>
      this.txn("create", {
        compare: [{ key: k, target: "Mod", result: "Equal", mod_revision: 0 }],
        success: [{ request_put: { key: k, value: v, lease } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
    if (!res.succeeded) {
      const current = this.currentOf(res);
      throw new StoreError("KeyExists", `key ${key} already exists`, current);
    }
    const rev = Number(res.header.revision);
    return { key, value, createRevision: rev, modRevision: rev, lease: ttl };
  }

  async update(key: string, value: Uint8Array, expectedModRevision: number, opts?: WriteOptions): Promise<KeyValue> {
    const k = this.keys.encode(key);
    const v = toBuffer(checkValue(key, value, this.maxValueBytes));
    const expected = checkExpectedRevision(expectedModRevision);
    const ttl = checkTtl(opts);
    const res = await this.withLease(ttl, (lease) =>
      this.txn("update", {
        compare: [{ key: k, target: "Mod", result: "Equal", mod_revision: expected }],
        success: [{ request_put: { key: k, value: v, lease, prev_kv: true } }],
        failure: [{ request_range: { key: k } }],
      }),
    );
    if (!res.succeeded) throw this.compareFailed(key, expected, res);
    const prev = res.responses[0].response_put.prev_kv;
    const rev = Number(res.header.revision);
    return { key, value, createRevision: Number(prev.create_revision), modRevision: rev, lease: ttl };
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    const k = this.keys.encode(key);
    if (expectedModRevision === undefined) {
      this.checkOpen();
      const res = await this.rpc.write("delete", (call) => this.rpc.etcd.kv.deleteRange({ key: k, prev_kv: true }, call));
      const prev = res.prev_kvs[0];
      if (!prev) throw new StoreError("NotFound", `key ${key} not found`);
      return { ...toKeyValue(this.keys, prev), modRevision: Number(res.header.revision) };
    }
    const expected = checkExpectedRevision(expectedModRevision);
    const res = await this.txn("delete", {
      compare: [{ key: k, target: "Mod", result: "Equal", mod_revision: expected }],
      success: [{ request_delete_range: { key: k, prev_kv: true } }],
      failure: [{ request_range: { key: k } }],
    });
    if (!res.succeeded) throw this.compareFailed(key, expected, res);
    const prev = res.responses[0].response_delete_range.prev_kvs[0];
    return { ...toKeyValue(this.keys, prev), modRevision: Number(res.header.revision) };
  }

  watch(opts: WatchOptions): WatchHandle {
    assertValidPrefix(opts.prefix);
    assertRevisionArg(opts.afterRevision, "afterRevision");
    const w = new EtcdWatch(
      {
        rpc: this.rpc,
        keys: this.keys,
        compactRevision: () => this.compactRevision(),
        giveUpAfterMs: this.watchGiveUpMs,
        onEnd: (ended) => this.watches.delete(ended),
      },
      opts,
    );
    this.watches.add(w);
    return w;
  }

  async currentRevision(): Promise<number> {
    const res = await this.read("current revision", (call) => this.rpc.etcd.kv.range({ key: this.rootKey(), count_only: true }, call));
    return Number(res.header.revision);
  }

  compactRevision(): Promise<number> {
    this.checkOpen();
    return this.floor.get();
  }

  async compact(revision: number): Promise<void> {
    assertRevisionArg(revision);
    this.checkOpen();
    if (revision === 0) return;
    try {
      // Compacting to one revision twice is harmless, so a lost answer may be retried.
      await this.rpc.read("compact", (call) => this.rpc.etcd.kv.compact({ revision, physical: true }, call));
    } catch (err) {
      // At or below etcd's floor: already done (by us, another API server, or etcdctl).
      if (!isStoreError(err, "Compacted")) throw err;
    }
    this.floor.raise(revision);
  }

  async stats(): Promise<{ dbBytes: number; walBytes: number; rows: number }> {
    this.checkOpen();
    const status = await this.rpc.read("status", (call) => this.rpc.etcd.maintenance.status(call));
    const [current, floor, live] = [await this.currentRevision(), await this.compactRevision(), await this.count("")];
    // etcd keeps one version per revision above the floor, plus each key's version at the floor;
    // (current - floor) + live keys estimates that for this namespace. etcd does not report its WAL.
    return { dbBytes: Number(status.dbSize), walBytes: 0, rows: current - floor + live.count };
  }

  async close(): Promise<void> {
    if (this.rpc.isClosed) return;
    this.rpc.close();
    const err = this.rpc.unavailable("store closed");
    for (const w of [...this.watches]) w.fail(err);
  }

  private rootKey(): Buffer {
    return Buffer.from(this.keys.namespace + "/", "utf8");
  }

  private checkOpen(): void {
    if (this.rpc.isClosed) throw this.rpc.unavailable("store closed");
  }

  /** A read; a Compacted answer gets the floor attached (etcd's error does not carry it). */
  private async read(what: string, fn: (call: CallOptions) => Promise<IRangeResponse>): Promise<IRangeResponse> {
    try {
      return await this.rpc.read(what, fn);
    } catch (err) {
      if (isStoreError(err, "Compacted") && err.compactRevision === undefined) {
        const floor = await this.floor.get().catch(() => undefined);
        throw new StoreError("Compacted", err.message, undefined, floor);
      }
      throw err;
    }
  }

  private txn(what: string, req: Parameters<EtcdRpc["etcd"]["kv"]["txn"]>[0]): Promise<ITxnResponse> {
    return this.rpc.write(what, (call) => this.rpc.etcd.kv.txn(req, call));
  }

  /** Runs a write with the lease for `ttl` ("0" = none), granting again if etcd lost the lease. */
  private async withLease<T>(ttl: number, write: (lease: string) => Promise<T>): Promise<T> {
    this.checkOpen();
    if (ttl === 0) return write("0");
    for (let attempt = 0; ; attempt++) {
      const lease = await this.leases.leaseFor(ttl);
      try {
        return await write(lease);
      } catch (err) {
        if (!(err instanceof EtcdLeaseError)) throw err;
        // etcd checks the lease when applying, before any change: the write did not happen.
        this.leases.forget(lease);
        if (attempt >= 2) throw this.rpc.unavailable(`lease for TTL ${ttl}s: ${err.message}`);
      }
    }
  }

  private currentOf(res: ITxnResponse): KeyValue | undefined {
    const kv = res.responses[0]?.response_range?.kvs[0];
    return kv && toKeyValue(this.keys, kv);
  }

  private compareFailed(key: string, expected: number, res: ITxnResponse): StoreError {
    const current = this.currentOf(res);
    if (!current) return new StoreError("NotFound", `key ${key} not found`);
    return new StoreError("Conflict", `key ${key} is at modRevision ${current.modRevision}, expected ${expected}`, current);
  }
}

function toBuffer(v: Uint8Array): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}
