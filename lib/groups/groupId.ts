import { quoteInput } from '../quoteInput.js';

export const MAX_GROUP_ID_LENGTH = 128;
const GROUP_ID_PATTERN = /^[A-Za-z0-9_:-]+$/;

/**
 * What is wrong with a group ID as no group could have it (bad characters, too
 * long), or undefined: a path's group ID is checked with this before any lookup.
 */
export function groupIdProblem(groupId: string): string | undefined {
  if (groupId.length > MAX_GROUP_ID_LENGTH) return `at most ${MAX_GROUP_ID_LENGTH} characters (got ${groupId.length})`;
  if (!GROUP_ID_PATTERN.test(groupId)) return `may contain only letters, digits, "_", "-" and ":" (got ${quoteInput(groupId)})`;
  return undefined;
}
