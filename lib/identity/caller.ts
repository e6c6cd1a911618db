/**
 * Glossary
 * - caller: who sends a request: the tenant it acts for, whether it is an
 *   operator, and the claims of its token (none for trusted backends).
 * - tenant: whose jobs, groups, results and events a request sees. Job and group
 *   IDs are per tenant; another tenant's things answer as unknown ones do.
 * - default tenant: the tenant of a trusted backend that names none (and of every
 *   job made before tenants existed); its keys and table names are those of
 *   earlier versions.
 * - operator: a caller that sees every tenant, the task SQL and the queues.
 */

/** The name of the default tenant (`X-Tenant-Id` absent, or this value). */
export const DEFAULT_TENANT = 'default';

/** Who asks: one per request (lib/identity/identifyCaller.ts). */
export interface Caller {
  /** The tenant the request acts for. */
  readonly tenant: string;
  /** Operators see every tenant, the task SQL and the queues. */
  readonly operator: boolean;
  /** The verified claims of the caller's token (`auth = "jwt"`); empty for trusted backends. */
  readonly claims: Readonly<Record<string, unknown>>;
}

/** The caller of scripts and tests that act as the service itself: the default tenant, an operator. */
export const SERVICE_CALLER: Caller = Object.freeze({ tenant: DEFAULT_TENANT, operator: true, claims: Object.freeze({}) });
