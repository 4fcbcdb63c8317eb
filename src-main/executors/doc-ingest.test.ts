import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { drain, makeRig, type TestRig } from '../testing/workflows';

let rig: TestRig;
afterEach(async () => {
  await rig.close();
});

const ingest = (p: string) => ({
  job_kind: 'doc_ingest' as const,
  protocol_id: 'hsk.docs.ingest.v0',
  access_mode: 'analysis_only' as const,
  entity_refs: [{ entity_kind: 'file', entity_id: p }],
  job_inputs: { path: p },
});

/** The file-read decisions recorded for a job. */
function fileReads(jobId: string) {
  return rig.store
    .listEvents({ job_id: jobId, type: ['capability_action'], limit: 20 })
    .items.map((event) => event.payload)
    .filter((payload) => payload.checkpoint === 'file_read');
}

function documents(): string {
  const dir = path.join(rig.dataDir, 'documents');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

describe('doc_ingest executor', () => {
  it('records hash, size, line and word counts and a redacted preview of a Markdown file', async () => {
    rig = makeRig();
    const text = '# Notes\n\nContact alice@example.com about the plan.\nSecond line here\n';
    fs.writeFileSync(path.join(documents(), 'notes.md'), text);
    const job = rig.submit(ingest('notes.md'));
    await drain(rig.engine);
    const done = rig.store.getJob(job.job_id);
    expect(done.state).toBe('completed');
    expect(done.job_outputs).toMatchObject({
      path: 'notes.md',
      sha256: createHash('sha256').update(text).digest('hex'),
      size_bytes: Buffer.byteLength(text),
      line_count: 4,
      word_count: 10,
    });
    const preview = String((done.job_outputs as Record<string, unknown>).preview);
    expect(preview).toContain('[REDACTED:pii_email:email]');
    expect(preview).not.toContain('alice@example.com');
    expect(done.metrics.entities_read).toBe(1);
  });

  it('refuses a path that climbs out of the allowed folder', async () => {
    rig = makeRig();
    documents();
    fs.writeFileSync(path.join(rig.dataDir, 'secret.md'), 'outside');
    const job = rig.submit(ingest('../secret.md'));
    await drain(rig.engine);
    expect(rig.store.getJob(job.job_id).status_reason).toBe('capability_denied');
    expect(fileReads(job.job_id)).toEqual([expect.objectContaining({ capability_id: 'fs.read', decision_outcome: 'deny', rule: 'fs.read.outside_allowed_folder' })]);
  });

  it('reads only a file the job names in entity_refs, even when the row bypassed the submission schema', async () => {
    rig = makeRig();
    fs.writeFileSync(path.join(documents(), 'notes.md'), 'private notes');
    const job = rig.store.createJob({ ...ingest('notes.md'), entity_refs: [{ entity_kind: 'file', entity_id: 'other.md' }] }, { capabilityProfileId: 'Analyst' });
    await drain(rig.engine);
    const failed = rig.store.getJob(job.job_id);
    expect(failed).toMatchObject({ state: 'failed', status_reason: 'capability_denied' });
    expect(JSON.stringify(failed)).not.toContain('private notes');
    expect(fileReads(job.job_id)).toEqual([expect.objectContaining({ decision_outcome: 'deny', rule: 'fs.read.not_in_entity_refs' })]);
  });

  it('refuses a symlink inside the folder that points outside it', async () => {
    rig = makeRig();
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'hsk-outside-'));
    fs.writeFileSync(path.join(outside, 'passwords.md'), 'hunter2');
    fs.symlinkSync(path.join(outside, 'passwords.md'), path.join(documents(), 'link.md'));
    const job = rig.submit(ingest('link.md'));
    await drain(rig.engine);
    const failed = rig.store.getJob(job.job_id);
    expect(failed.status_reason).toBe('capability_denied');
    expect(fileReads(job.job_id)).toEqual([expect.objectContaining({ rule: 'fs.read.outside_allowed_folder' })]);
    expect(JSON.stringify(failed)).not.toContain('hunter2');
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('fails with file_not_found for a missing file and unsupported_file_type for a binary extension', async () => {
    rig = makeRig();
    fs.writeFileSync(path.join(documents(), 'image.png'), Buffer.from([0x89, 0x50]));
    const missing = rig.submit(ingest('nope.md'));
    const binary = rig.submit(ingest('image.png'));
    await drain(rig.engine);
    expect(rig.store.getJob(missing.job_id).status_reason).toBe('file_not_found');
    expect(rig.store.getJob(binary.job_id).status_reason).toBe('unsupported_file_type');
  });
});
