/**
 * The Capability & Policy Inspector for a job (§10.5): what its kind declares, what its profile
 * grants, and what was decided (used) at run time, from the recorded decision events.
 */
import { useEffect, useState } from 'react';
import type { ChannelOutput } from '../../src-shared/ipc';
import { useApi } from '../api/ApiContext';
import type { ClientError } from '../api/records';
import { ErrorNote, Loading } from '../components/States';
import { PolicySimulator, type SimulatorStart } from './PolicySimulator';

type Inspection = ChannelOutput<'policy.inspect'>;

function usedState(capability: string, inspection: Inspection): string {
  const decisions = inspection.decisions.filter((decision) => decision.capability_id === capability);
  if (decisions.length === 0) return 'not requested';
  return decisions.some((decision) => decision.decision_outcome === 'deny') ? 'denied' : 'allowed (used)';
}

/** `job`: the simulator starts from this job's kind, protocol and access mode. */
export function CapabilityInspector({ jobId, job }: { jobId: string; job: SimulatorStart }) {
  const api = useApi();
  const [inspection, setInspection] = useState<Inspection | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  useEffect(() => {
    let live = true;
    void api['policy.inspect']({ job_id: jobId }).then((result) => {
      if (!live) return;
      if (result.ok) setInspection(result.data);
      else setError(result.error);
    });
    return () => {
      live = false;
    };
  }, [api, jobId]);
  if (error) return <ErrorNote error={error} />;
  if (!inspection) return <Loading what="capabilities" />;
  const capabilities = [...new Set([...inspection.declared, ...inspection.granted, ...inspection.decisions.map((d) => d.capability_id)])].sort();
  return (
    <>
    <table className="capability-table" data-testid="capability-table">
      <caption className="visually-hidden">Declared, granted and used capabilities</caption>
      <thead>
        <tr>
          <th scope="col">capability</th>
          <th scope="col">declared by the kind</th>
          <th scope="col">granted by {inspection.capability_profile_id}</th>
          <th scope="col">at run time</th>
        </tr>
      </thead>
      <tbody>
        {capabilities.map((capability) => (
          <tr key={capability} data-testid="capability-row" data-capability={capability}>
            <td><code>{capability}</code></td>
            <td>{inspection.declared.includes(capability) ? 'yes' : 'no'}</td>
            <td>{inspection.granted.includes(capability) ? 'yes' : 'no'}</td>
            <td data-testid="capability-used">{usedState(capability, inspection)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    <h3>Simulator</h3>
    <PolicySimulator start={job} capabilities={inspection.registry} />
    </>
  );
}
