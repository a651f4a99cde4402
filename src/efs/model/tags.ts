/**
 * Tags on file systems and access points (TagResource / UntagResource / ListTagsForResource). Tagging
 * merges: a key already present takes the new value. The Name tag is what EFS reports as `Name`.
 */
import { BadRequest } from "../errors.js";
import { RESOURCE_ID_OR_ARN, bareId } from "../ids.js";
import type { AccessPoints } from "./access-points.js";
import type { FileSystems } from "./file-systems.js";
import { pageOfIterable, type Page } from "./pagination.js";
import type { State } from "./state.js";
import type { AccessPointRecord, FileSystemRecord, Tag } from "./types.js";
import { checkLength, checkPattern, checkTags } from "./validation.js";

type Tagged = { kind: "file-system"; record: FileSystemRecord } | { kind: "access-point"; record: AccessPointRecord };

export class Tags {
  constructor(
    private readonly s: State,
    private readonly fileSystems: FileSystems,
    private readonly accessPoints: AccessPoints,
  ) {}

  private resolve(resourceId: string): Tagged {
    checkPattern(resourceId, "resourceId", RESOURCE_ID_OR_ARN);
    const id = bareId(this.s.scope, resourceId) ?? resourceId;
    return id.startsWith("fsap-") || resourceId.includes(":access-point/")
      ? { kind: "access-point", record: this.accessPoints.get(resourceId) }
      : { kind: "file-system", record: this.fileSystems.get(resourceId) };
  }

  tag(resourceId: string, tags: Tag[]): void {
    const target = this.resolve(resourceId);
    if (tags.length === 0) throw new BadRequest("Tags must contain at least one tag.");
    checkTags(tags);
    const merged = new Map(target.record.tags.map((t) => [t.Key, t.Value]));
    for (const t of tags) merged.set(t.Key, t.Value);
    if (merged.size > this.s.limits.tagsPerResource) {
      throw new BadRequest(`A resource can have at most ${this.s.limits.tagsPerResource} tags; this request would give it ${merged.size}.`);
    }
    target.record.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
    this.s.persist(target.kind, target.record, target.record.id);
  }

  /** Removes the given keys; keys that are not present are ignored, as AWS does. */
  untag(resourceId: string, keys: string[]): void {
    const target = this.resolve(resourceId);
    if (keys.length === 0) throw new BadRequest("TagKeys must contain at least one key.");
    if (keys.length > 50) throw new BadRequest("TagKeys can contain at most 50 keys.");
    keys.forEach((k, i) => checkLength(k, `tagKeys.${i + 1}.member`, 1, 128));
    const drop = new Set(keys);
    target.record.tags = target.record.tags.filter((t) => !drop.has(t.Key));
    this.s.persist(target.kind, target.record, target.record.id);
  }

  list(resourceId: string, nextToken: string | undefined, maxResults: number | undefined): Page<Tag> {
    const target = this.resolve(resourceId);
    const limit = maxResults ?? 100;
    if (!Number.isInteger(limit) || limit < 1) throw new BadRequest("MaxResults must be an integer greater than 0.");
    const indexed = target.record.tags.map((t, i) => ({ seq: i + 1, tag: t }));
    const page = pageOfIterable(indexed, nextToken, limit, "NextToken");
    return { items: page.items.map((x) => x.tag), next: page.next };
  }
}
