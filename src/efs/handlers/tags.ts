/** TagResource, UntagResource, ListTagsForResource, and the legacy CreateTags/DeleteTags/DescribeTags. */
import { BadRequest } from "../errors.js";
import { emptyResponse, jsonResponse } from "../http/types.js";
import type { Handler } from "./context.js";
import { bodyFields, queryInt, queryString } from "./input.js";

export const tagResource: Handler = ({ req, params, parts }) => {
  parts.model.tags.tag(params.ResourceId, bodyFields(req).tags("Tags", true)!);
  return jsonResponse(200, {});
};

export const untagResource: Handler = ({ req, params, parts }) => {
  const keys = req.query.getAll("tagKeys");
  if (keys.length === 0) throw new BadRequest("tagKeys is required.");
  parts.model.tags.untag(params.ResourceId, keys);
  return jsonResponse(200, {});
};

export const listTagsForResource: Handler = ({ req, params, parts }) => {
  const page = parts.model.tags.list(params.ResourceId, queryString(req, "NextToken"), queryInt(req, "MaxResults"));
  return jsonResponse(200, { Tags: page.items, NextToken: page.next });
};

export const createTags: Handler = ({ req, params, parts }) => {
  parts.model.tags.tag(parts.model.fileSystems.get(params.FileSystemId).id, bodyFields(req).tags("Tags", true)!);
  return emptyResponse(204);
};

export const deleteTags: Handler = ({ req, params, parts }) => {
  parts.model.tags.untag(parts.model.fileSystems.get(params.FileSystemId).id, bodyFields(req).strList("TagKeys", true)!);
  return emptyResponse(204);
};

export const describeTags: Handler = ({ req, params, parts }) => {
  const marker = queryString(req, "Marker");
  const page = parts.model.tags.list(parts.model.fileSystems.get(params.FileSystemId).id, marker, queryInt(req, "MaxItems"));
  return jsonResponse(200, { Marker: marker, Tags: page.items, NextMarker: page.next });
};
