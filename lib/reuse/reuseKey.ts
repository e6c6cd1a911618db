import { createHash } from 'node:crypto';

/** The pointer key of a query: its task and args, hashed (args may be long; a key holds at most 2 KB). */
export function reuseKey(task: string, args: readonly string[]): string {
  return `reuse#${createHash('sha256').update(JSON.stringify([task, ...args])).digest('hex')}`;
}
