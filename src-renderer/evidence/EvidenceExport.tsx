/**
 * The Evidence Drawer's export entry point and "copy as coder prompt": a job's event exports that
 * job's bundle, any other event the minutes around it; the prompt is that of the event's problem
 * (a diagnostic event's own, else the job's newest problem), when there is one.
 */
import { useEffect, useState } from 'react';
import type { FlightEvent } from '../../src-shared/events';
import { useApi } from '../api/ApiContext';
import { ExportBundle } from '../inspector/ExportBundle';
import { CopyPrompt } from '../problems/CopyPrompt';

const AROUND_MS = 5 * 60_000;

function useCoderPrompt(event: FlightEvent): string | null {
  const api = useApi();
  const [prompt, setPrompt] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setPrompt(null);
    const load = async () => {
      let diagnosticId = event.type === 'diagnostic' ? String(event.payload.diagnostic_id) : null;
      if (!diagnosticId && event.job_id) {
        const problems = await api['problems.list']({ job_id: event.job_id, limit: 1 });
        diagnosticId = problems.ok ? (problems.data.items[0]?.latest_diagnostic_id ?? null) : null;
      }
      if (!diagnosticId) return;
      const detail = await api['problems.get']({ diagnostic_id: diagnosticId, limit: 3 });
      if (live && detail.ok) setPrompt(detail.data.coder_prompt);
    };
    void load();
    return () => {
      live = false;
    };
  }, [api, event]);
  return prompt;
}

export function EvidenceExport({ event }: { event: FlightEvent }) {
  const prompt = useCoderPrompt(event);
  const at = Date.parse(event.timestamp);
  const request = event.job_id
    ? { job_id: event.job_id }
    : { scope: 'time_window' as const, from: new Date(at - AROUND_MS).toISOString(), to: new Date(at + AROUND_MS).toISOString() };
  return (
    <div className="status-actions" data-testid="evidence-export">
      <ExportBundle request={request} label={event.job_id ? 'Export debug bundle (job)' : 'Export debug bundle (±5 min)'} idPrefix="evidence-export" />
      {prompt && <CopyPrompt prompt={prompt} testId="evidence-copy-prompt" />}
    </div>
  );
}
