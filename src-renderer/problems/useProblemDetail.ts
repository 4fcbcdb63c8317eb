/** One problem with its raw instances and coder prompt (problems.get), refetched when it changes. */
import { useCallback, useEffect, useState } from 'react';
import type { ChannelOutput } from '../../src-shared/ipc';
import { useApi, usePush } from '../api/ApiContext';
import type { ClientError } from '../api/records';

export type ProblemDetail = ChannelOutput<'problems.get'>;

export function useProblemDetail(fingerprint: string) {
  const api = useApi();
  const [detail, setDetail] = useState<ProblemDetail | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const load = useCallback(async () => {
    const result = await api['problems.get']({ fingerprint });
    if (result.ok) {
      setDetail(result.data);
      setError(null);
    } else setError(result.error);
  }, [api, fingerprint]);
  useEffect(() => {
    setDetail(null);
    void load();
  }, [load]);
  usePush('event.appended', (message) => {
    const { event } = message.payload;
    if ((event.type === 'diagnostic' || event.type === 'problem_status_changed') && event.payload.fingerprint === fingerprint) void load();
  });
  return { detail, error, reload: () => void load(), setDetail };
}
