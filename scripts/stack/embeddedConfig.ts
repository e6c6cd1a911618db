import path from 'node:path';

/** The db and results names the embedded PostgreSQL's databases have in the generated config. */
export const EMBEDDED_DB = 'sample';
export const EMBEDDED_RESULTS = 'sample_results';

/**
 * The config sections that point at the embedded PostgreSQL, appended to the user's
 * config (which then names no databases) by `npm start` and `npm run check`.
 */
export function embeddedSections(sourceUrl: string, resultsUrl: string): string {
  return `
# Added by the local stack: the config names no databases, so an embedded
# PostgreSQL with sample data serves as both source and results database.
[db.${EMBEDDED_DB}]
type = "postgres"
dsn = "${sourceUrl}"

[results.${EMBEDDED_RESULTS}]
type = "postgres"
dsn = "${resultsUrl}"
`;
}

/** Whether config text declares a `[db.NAME]`; without one, the local stack brings the embedded PostgreSQL. */
export function hasDbSection(text: string): boolean {
  return /^\s*\[\s*db\.[^\]]+\]/m.test(text);
}

/**
 * The embedded PostgreSQL's data directory for the stack on `port`: one per port,
 * so stacks on different ports run side by side, each with its own databases.
 */
export function embeddedDataDir(dataDir: string, port: number): string {
  return path.join(dataDir, `postgres-${port}`);
}
