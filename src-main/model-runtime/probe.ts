/**
 * Phase 1 runtime detection (L49542): is the configured model runtime reachable, and which models
 * does it have? Checked when the host starts and whenever system.status asks; the last answer is
 * what the status bar and debug bundles show.
 */
import type { RuntimeReachability } from '../../src-shared/ipc';
import { toRfc3339 } from '../../src-shared/time';
import type { ModelRuntime } from './runtime';

export const UNCHECKED: RuntimeReachability = { reachable: null, models: [], message: null, checked_at: null };

export class RuntimeProbe {
  private last: RuntimeReachability = UNCHECKED;
  private inFlight: Promise<RuntimeReachability> | null = null;

  constructor(
    private readonly runtime: ModelRuntime | null,
    private readonly now: () => number = Date.now,
  ) {}

  get current(): RuntimeReachability {
    return this.last;
  }

  /** Probes now (one probe at a time); never throws. */
  check(): Promise<RuntimeReachability> {
    const runtime = this.runtime;
    if (!runtime) {
      this.last = { ...UNCHECKED, message: 'no model runtime is configured' };
      return Promise.resolve(this.last);
    }
    this.inFlight ??= runtime.detect().then((result) => {
      this.last = {
        reachable: result.ok,
        models: result.models,
        message: result.ok ? null : result.message,
        checked_at: toRfc3339(this.now()),
      };
      this.inFlight = null;
      return this.last;
    });
    return this.inFlight;
  }
}
