/**
 * The registry's view of the api and patch packages: one place that adapts their exports to
 * the calls the write path makes, so the rest of the registry does not depend on their shapes.
 */
export {
  validateObjectMeta,
  invalidError,
  unknownFields,
  parseLabelSelector,
  parseFieldSelector,
  schemas,
} from "../../api/index.js";
export {
  strategicMergePatch,
  jsonMergePatch,
  applyJsonPatch,
  serverSideApply,
  updateManagedFields,
} from "../patch/index.js";
