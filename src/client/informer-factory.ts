/**
 * Shared informers: one list+watch per (resource, namespace, selectors) however many controllers
 * ask for it, as client-go's SharedInformerFactory. Informers requested after `start()` start at
 * once; `waitForSync()` covers every informer handed out so far.
 */
import type { KubeObject, ResourceTraits } from "../api/types.js";
import type { KubeClient } from "./client.js";
import { Informer, type InformerOptions } from "./informer.js";
import type { ResourceRef } from "./paths.js";

export type InformerDefaults = Omit<InformerOptions, "namespace" | "labelSelector" | "fieldSelector">;

export interface InformerScope {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export class InformerFactory {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private started = false;

  constructor(
    private readonly client: KubeClient,
    private readonly defaults: InformerDefaults = {},
  ) {}

  /** The shared informer for this resource and scope, created on first request. */
  informerFor<T extends KubeObject>(traits: ResourceTraits<T>, scope?: InformerScope): Informer<T>;
  informerFor<T extends KubeObject = KubeObject>(ref: ResourceRef, scope?: InformerScope): Informer<T>;
  informerFor<T extends KubeObject>(ref: ResourceRef, scope: InformerScope = {}): Informer<T> {
    const key = [ref.group, ref.version, ref.plural, scope.namespace ?? "", scope.labelSelector ?? "", scope.fieldSelector ?? ""].join("|");
    let informer = this.informers.get(key);
    if (!informer) {
      informer = new Informer<KubeObject>(this.client.resource(ref), { ...this.defaults, ...scope });
      this.informers.set(key, informer);
      if (this.started) informer.start();
    }
    return informer as unknown as Informer<T>;
  }

  /** Start every informer (and any requested later). Idempotent. */
  start(): void {
    this.started = true;
    for (const i of this.informers.values()) i.start();
  }

  /** Resolves when every informer handed out so far has synced. */
  async waitForSync(signal?: AbortSignal): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync(signal)));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }

  get size(): number {
    return this.informers.size;
  }
}

export function createInformerFactory(client: KubeClient, defaults: InformerDefaults = {}): InformerFactory {
  return new InformerFactory(client, defaults);
}
