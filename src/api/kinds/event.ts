/**
 * core/v1 Event. Validated as upstream's legacy rules: involvedObject.namespace must match the
 * event's namespace (cluster-scoped objects' events live in "default" or have no namespace);
 * events carrying eventTime also need reportingController, reportingInstance, action, reason.
 * Names follow the generic path-segment rule only, as upstream.
 */
import type { FieldError, KubeObject } from "../types.js";
import { invalid, required } from "../fields/errors.js";
import type { ObjectReference } from "./core-types.js";
import { registerKind, STANDARD_VERBS, type KindDefinition } from "./kind.js";
import { nameIsPathSegment } from "../validation/names.js";
import { dns1123Subdomain, qualifiedName } from "../validation/common.js";
import { column, nameColumn } from "../printing/columns.js";
import { ageSince } from "../printing/duration.js";

export interface Event extends KubeObject {
  involvedObject: ObjectReference;
  reason?: string;
  message?: string;
  source?: { component?: string; host?: string };
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  count?: number;
  type?: string;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string };
  action?: string;
  related?: ObjectReference;
  reportingComponent?: string;
  reportingInstance?: string;
}

function validateEvent(ev: Event): FieldError[] {
  const errs: FieldError[] = [];
  const ns = ev.metadata.namespace ?? "";
  const involvedNs = ev.involvedObject?.namespace ?? "";
  if (!ev.eventTime) {
    if (!involvedNs) {
      if (ns !== "" && ns !== "default") errs.push(invalid("involvedObject.namespace", involvedNs, "does not match event.namespace"));
    } else if (ns !== involvedNs) {
      errs.push(invalid("involvedObject.namespace", involvedNs, "does not match event.namespace"));
    }
  } else {
    if (!involvedNs && ns !== "default" && ns !== "kube-system") errs.push(invalid("involvedObject.namespace", involvedNs, "does not match event.namespace"));
    const controller = ev.reportingComponent ?? "";
    if (!controller) errs.push(required("reportingController"));
    errs.push(...qualifiedName(controller, "reportingController"));
    const instance = ev.reportingInstance ?? "";
    if (!instance) errs.push(required("reportingInstance"));
    if (instance.length > 128) errs.push(invalid("reportingInstance", "", "can have at most 128 characters"));
    if (!ev.action) errs.push(required("action"));
    if ((ev.action ?? "").length > 128) errs.push(invalid("action", "", "can have at most 128 characters"));
    if (!ev.reason) errs.push(required("reason"));
    if ((ev.reason ?? "").length > 128) errs.push(invalid("reason", "", "can have at most 128 characters"));
    if ((ev.message ?? "").length > 1024) errs.push(invalid("message", "", "can have at most 1024 characters"));
  }
  errs.push(...dns1123Subdomain(ns, "namespace"));
  return errs;
}

/** Upstream's formatEventSource: component (or reportingComponent), then ", host" if any. */
function eventSource(ev: Event): string {
  const component = ev.source?.component || ev.reportingComponent || "";
  const host = ev.source?.host || ev.reportingInstance || "";
  return host ? `${component}, ${host}` : component;
}

export const events: KindDefinition<Event> = {
  group: "",
  version: "v1",
  kind: "Event",
  listKind: "EventList",
  plural: "events",
  singular: "event",
  shortNames: ["ev"],
  namespaced: true,
  categories: [],
  subresources: [],
  verbs: STANDARD_VERBS,
  schemaName: "io.k8s.api.core.v1.Event",
  validateName: nameIsPathSegment,

  applyDefaults(ev) {
    ev.involvedObject ??= {};
  },

  validateCreate: (ev) => validateEvent(ev),
  validateUpdate: (ev) => validateEvent(ev),

  tableColumns: [
    column("Last Seen", "Time since the event was last seen."),
    column("Type", "Normal or Warning."),
    column("Reason", "Short machine-readable reason."),
    column("Object", "The object the event is about, as kind/name."),
    column("Subobject", "The part of the object (fieldPath), if any.", { priority: 1 }),
    column("Source", "The component that reported the event.", { priority: 1 }),
    column("Message", "Human-readable description."),
    column("First Seen", "Time since the event was first seen.", { priority: 1 }),
    column("Count", "How many times the event occurred.", { priority: 1 }),
    { ...nameColumn(), priority: 1 },
  ],
  tableRow(ev, now) {
    let first = ageSince(ev.firstTimestamp ?? undefined, now);
    if (!ev.firstTimestamp) first = ageSince(ev.eventTime ?? undefined, now);
    let last = ev.lastTimestamp ? ageSince(ev.lastTimestamp, now) : first;
    let count = ev.count ?? 0;
    if (ev.series) {
      last = ageSince(ev.series.lastObservedTime, now);
      count = ev.series.count ?? 0;
    } else if (count === 0) {
      count = 1;
    }
    const kind = (ev.involvedObject?.kind ?? "").toLowerCase();
    const target = ev.involvedObject?.name ? `${kind}/${ev.involvedObject.name}` : kind;
    return [last, ev.type ?? "", ev.reason ?? "", target, ev.involvedObject?.fieldPath ?? "", eventSource(ev), (ev.message ?? "").trim(), first, count, ev.metadata.name ?? ""];
  },
  fieldSelectors: {
    "involvedObject.kind": (ev) => ev.involvedObject?.kind ?? "",
    "involvedObject.namespace": (ev) => ev.involvedObject?.namespace ?? "",
    "involvedObject.name": (ev) => ev.involvedObject?.name ?? "",
    "involvedObject.uid": (ev) => ev.involvedObject?.uid ?? "",
    "involvedObject.apiVersion": (ev) => ev.involvedObject?.apiVersion ?? "",
    "involvedObject.resourceVersion": (ev) => ev.involvedObject?.resourceVersion ?? "",
    "involvedObject.fieldPath": (ev) => ev.involvedObject?.fieldPath ?? "",
    reason: (ev) => ev.reason ?? "",
    reportingComponent: (ev) => ev.reportingComponent ?? "",
    source: (ev) => ev.source?.component || ev.reportingComponent || "",
    type: (ev) => ev.type ?? "",
  },
};

export const eventKind = registerKind(events);
