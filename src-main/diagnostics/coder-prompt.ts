/**
 * `coder_prompt.md`: a self-contained description of a problem for a coding assistant — what went
 * wrong, where, how often, the job and its run, and the evidence ids to ask for — redacted like
 * every export (secrets, PII and absolute paths never leave in it).
 */
import type { Diagnostic, Problem } from '../../src-shared/diagnostics';
import type { AiJob } from '../../src-shared/job';
import { Redactor } from '../security/redact';

export interface CoderPromptInput {
  /** The problem to describe; null for a bundle whose scope holds no problem (a clean job, a quiet window). */
  problem: Problem | null;
  /** What the bundle covers, in words (e.g. "time window 10:00-10:05"); shown when there is no problem. */
  scope?: string;
  /** Newest first; the prompt quotes at most a few. */
  instances: readonly Diagnostic[];
  job: AiJob | null;
}

const QUOTED_INSTANCES = 3;

function jobSection(job: AiJob | null): string[] {
  if (!job) return ['## Job', '', 'No job is linked with certainty to this problem.', ''];
  return [
    '## Job',
    '',
    `- job_id: \`${job.job_id}\` (kind \`${job.job_kind}\`, protocol \`${job.protocol_id}\`)`,
    `- state: \`${job.state}\` (status_reason \`${job.status_reason}\`)`,
    `- capability profile \`${job.capability_profile_id}\`, access mode \`${job.access_mode}\`, safety mode \`${job.safety_mode}\``,
    `- trace_id: \`${job.trace_id}\`; workflow_run_id: \`${job.workflow_run_id ?? 'none'}\``,
    ...(job.error_message ? [`- error_message: ${job.error_message}`] : []),
    '',
  ];
}

function instanceLines(instance: Diagnostic): string[] {
  return [
    `### ${instance.timestamp} — diagnostic \`${instance.id}\``,
    '',
    instance.message ? `> ${instance.message.replaceAll('\n', '\n> ')}` : '> (no message)',
    '',
    `- link: ${instance.link_confidence} — ${instance.link_explanation}`,
    `- Flight Recorder events: ${instance.evidence_refs.fr_event_ids.map((id) => `\`${id}\``).join(', ') || 'none'}`,
    '',
  ];
}

function problemSection(problem: Problem | null, scope: string | undefined): string[] {
  if (!problem) return ['## What happened', '', `No diagnostic was recorded in this scope (${scope ?? 'bundle'}).`, ''];
  return [
    '## What happened',
    '',
    `- severity \`${problem.severity}\`, source \`${problem.source}\`, surface \`${problem.surface}\`, tool \`${problem.tool ?? 'none'}\`, code \`${problem.code ?? 'none'}\``,
    `- seen ${problem.count} time(s), first ${problem.first_seen}, last ${problem.last_seen}; status \`${problem.status}\``,
    `- fingerprint \`${problem.fingerprint}\``,
    '',
  ];
}

export function buildCoderPrompt(input: CoderPromptInput, redactor: Redactor = new Redactor()): string {
  const { problem, instances, job } = input;
  const heading = problem ? `Problem: ${problem.title}` : job ? `Job ${job.job_kind} ended ${job.state}` : `Evidence: ${input.scope ?? 'bundle'}`;
  const lines = [
    `# ${heading}`,
    '',
    'You are helping fix a problem reported by Handshake Jobs, a local app that runs AI jobs as workflow runs and',
    'records every step in a Flight Recorder. Everything below is redacted; ask for evidence by the ids given.',
    '',
    ...problemSection(problem, input.scope),
    ...jobSection(job),
    ...(instances.length > 0 ? ['## Latest instances', '', ...instances.slice(0, QUOTED_INSTANCES).flatMap(instanceLines)] : []),
    '## What to do',
    '',
    '1. Explain the most likely cause from the evidence above.',
    '2. Propose the smallest change that fixes it, and a test that fails before the change and passes after.',
    '3. Say what further evidence (event ids, files) would confirm the diagnosis.',
    '',
  ];
  return redactor.redactText(lines.join('\n'));
}
