/**
 * Fields no manager ever owns. Two kinds, as upstream:
 * - metadata the server controls (stripMetaManager): apiVersion, kind, the metadata node itself,
 *   name, namespace, uid, resourceVersion, generation, creationTimestamp, managedFields…;
 *   removed exactly (labels under metadata stay ownable);
 * - the other half of the object for a subresource (the strategy's reset fields): `status` for
 *   the main resource, `spec` for the status subresource; removed with everything under them.
 */
import { fieldElement as f } from "../fieldpath/element.js";
import { FieldSet } from "../fieldpath/set.js";

export const STRIPPED_META = FieldSet.of(
  [f("apiVersion")],
  [f("kind")],
  [f("metadata")],
  ...["name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName", "generation", "managedFields", "resourceVersion"].map(
    (name) => [f("metadata"), f(name)],
  ),
);

/** Reset fields for a subresource unless the caller names them (top-level field paths). */
export function resetFieldSet(subresource: string, resetFields?: string[][]): FieldSet {
  const paths = resetFields ?? (subresource === "" ? [["status"]] : subresource === "status" ? [["spec"]] : []);
  return FieldSet.of(...paths.map((p) => p.map(f)));
}

/** RFC 3339 with second precision, as metav1.Time serialises. */
export function rfc3339Seconds(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, "Z");
}
