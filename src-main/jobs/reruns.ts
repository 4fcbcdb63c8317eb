/**
 * Run again: a finished job cloned into a new job (its kind, protocol, modes, refs and plan, with
 * its inputs or edited ones), in the same trace. The new job names its source in `entity_refs`
 * (`{ entity_kind: 'ai_job', entity_id, selector: 'rerun_of' }`), so the link is stored with the
 * job itself and needs no schema change; the way back is a query over the trace's jobs.
 */
import type Database from 'better-sqlite3';
import type { JobKind, JobState } from '../../src-shared/enums';
import { isTerminalState } from '../../src-shared/transitions';
import { ERROR_CODES, HskError, parseOrThrow } from '../../src-shared/errors';
import type { JobRef, RerunLinks } from '../../src-shared/inspector';
import { NewJobSchema, type AiJob, type EntityRef, type JsonValue, type NewJob } from '../../src-shared/job';
import { toRfc3339 } from '../../src-shared/time';

export const RERUN_SELECTOR = 'rerun_of';
const JOB_ENTITY = 'ai_job';

function isRerunRef(ref: EntityRef): boolean {
  return ref.entity_kind === JOB_ENTITY && ref.selector === RERUN_SELECTOR;
}

/** The submission that runs `original` again; refused (HSK-409-CONFLICT) unless it has finished. */
export function rerunSubmission(original: AiJob, jobInputs: JsonValue | undefined): NewJob {
  if (!isTerminalState(original.state)) {
    throw new HskError(
      ERROR_CODES.conflict,
      `only a finished job can be run again; this one is ${original.state}`,
      { job_id: original.job_id, state: original.state },
    );
  }
  const inputs = jobInputs === undefined ? original.job_inputs : jobInputs;
  // Parsed like any submission: edited inputs that do not fit the kind are refused here, naming
  // the field, rather than stored and failed later by the executor.
  return parseOrThrow(NewJobSchema, {
    job_kind: original.job_kind,
    protocol_id: original.protocol_id,
    profile_id: original.profile_id,
    access_mode: original.access_mode,
    safety_mode: original.safety_mode,
    // A rerun of a rerun names its direct source only.
    entity_refs: [...original.entity_refs.filter((ref) => !isRerunRef(ref)), { entity_kind: JOB_ENTITY, entity_id: original.job_id, selector: RERUN_SELECTOR }],
    planned_operations: original.planned_operations,
    ...(inputs === null ? {} : { job_inputs: inputs }),
    trace_id: original.trace_id,
    task_schema_version: original.task_schema_version,
    workspace_scope: original.workspace_scope,
    layer_scope: original.layer_scope,
  }, 'rerun');
}

interface RefRow {
  job_id: string;
  job_kind: JobKind;
  status: JobState;
  created_at: number;
}

function toRef(row: RefRow): JobRef {
  return { job_id: row.job_id, job_kind: row.job_kind, state: row.status, created_at: toRfc3339(row.created_at) };
}

export class RerunLinkQueries {
  private readonly rerunsOf: Database.Statement;
  private readonly refOf: Database.Statement;

  constructor(db: Database.Database) {
    // A rerun shares its source's trace: the trace index narrows the search to a few jobs.
    this.rerunsOf = db.prepare(`SELECT j.job_id, j.job_kind, j.status, j.created_at FROM ai_jobs j
      WHERE j.trace_id = @trace_id AND j.job_id <> @job_id AND EXISTS (
        SELECT 1 FROM json_each(j.entity_refs) ref
        WHERE json_extract(ref.value, '$.entity_kind') = '${JOB_ENTITY}'
          AND json_extract(ref.value, '$.selector') = '${RERUN_SELECTOR}'
          AND json_extract(ref.value, '$.entity_id') = @job_id)
      ORDER BY j.created_at, j.rowid`);
    this.refOf = db.prepare('SELECT job_id, job_kind, status, created_at FROM ai_jobs WHERE job_id = ? AND trace_id = ?');
  }

  links(job: AiJob): RerunLinks {
    const source = job.entity_refs.find(isRerunRef);
    const sourceRow = source ? (this.refOf.get(source.entity_id, job.trace_id) as RefRow | undefined) : undefined;
    const reruns = this.rerunsOf.all({ trace_id: job.trace_id, job_id: job.job_id }) as RefRow[];
    return { rerun_of: sourceRow ? toRef(sourceRow) : null, reruns: reruns.map(toRef) };
  }
}
