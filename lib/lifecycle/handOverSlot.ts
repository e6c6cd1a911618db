import { admissionTenant } from '../jobs/admission.js';
import type { JobItem } from '../jobs/types.js';
import { admitJobs, type AdmitFrom } from './admitJobs.js';
import { fillGroup } from './fillGroup.js';
import type { SlotDeps } from './types.js';

/**
 * After a job's end gave back what it held (in its final write, endJob.ts): a
 * group member's slot goes to the group's next member, and a slot of a queue with
 * admission to the next waiting job (lib/lifecycle/admitJobs.ts). A no-op for a
 * job that released nothing; safe to repeat (a redelivered message, the sweeper).
 * `roster`: the queue's roster, read beside the final write (readRoster).
 */
export async function handOverSlot(deps: SlotDeps, job: JobItem | undefined, roster?: AdmitFrom['roster']): Promise<void> {
  if (!job) return;
  if (job.group_id && job.released) await fillGroup(deps, job.group_id, job.group_run);
  if (job.admitted && job.adm_released) await admitJobs(deps, job.queue, { slot: job.adm_slot, tenant: admissionTenant(job), ...(roster ? { roster } : {}) });
}
