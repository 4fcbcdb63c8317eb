/**
 * The core as the hosts see it. Both the Electron shell and the browser host call `openCore`
 * (src-main/core/open-core.ts) and serve `handlers` through the one router; neither contains rules.
 */
import type { HostKind, ModelRuntimeChoice } from '../../src-shared/enums';
import type { ErrorBody } from '../../src-shared/errors';
import type { Channel, ChannelOutput, ChannelParsedInput, PushMessage } from '../../src-shared/ipc';
import type { LiveExportOptions } from '../otel/live-exporter';
import type { BundleStatus } from '../../src-shared/inspector-views';
import type { RejectionEvent } from '../ipc/router';

/**
 * One function per channel. Inputs arrive already parsed by the channel's zod schema; a handler
 * throws `HskError` (src-shared/errors) for a refusal, which the router turns into an envelope.
 */
export type ChannelHandlers = {
  /** `raw` is the input as sent, for audit only (e.g. the spelling of an aliased job kind). */
  [C in Channel]: (input: ChannelParsedInput<C>, raw?: unknown) => Promise<ChannelOutput<C>>;
};

export type { ModelRuntimeChoice };

export interface CoreOptions {
  dataDir: string;
  host: HostKind;
  version: string;
  /** Which model runtime model-backed kinds use; `mock` must be chosen explicitly. */
  modelRuntime?: ModelRuntimeChoice;
  /** Days of Flight Recorder history to keep (default 30). */
  retentionDays?: number;
  /** Where the Ollama runtime is and which model it runs (defaults: 127.0.0.1:11434, llama3.2). */
  ollama?: { model?: string; baseUrl?: string };
  /**
   * --allow-terminal: consent, for this process, to every terminal_exec submitted to it (recorded on
   * each job). Without it such a job waits in awaiting_user for the operator's consent.
   */
  allowTerminal?: boolean;
  /** Workflow-engine concurrency (default 2). */
  concurrency?: number;
  /** Tests set this to false to keep jobs queued; the app always runs the engine. */
  startEngine?: boolean;
  /** Live OTLP export of finished jobs (off when absent); see src-main/otel/live-exporter.ts. */
  otlp?: Omit<LiveExportOptions, 'serviceVersion'>;
  /** Serves an uploaded debug bundle read-only on its own address (the browser host provides it). */
  openBundleView?: BundleViewLauncher;
}

/** Opens a bundle ZIP in a read-only inspector of its own and says where. */
export type BundleViewLauncher = (fileName: string, bytes: Uint8Array) => Promise<{ url: string; bundle: BundleStatus }>;

export interface HandshakeCore {
  readonly handlers: ChannelHandlers;
  readonly dataDir: string;
  /** Subscribe to push messages (already numbered); returns an unsubscribe function. */
  subscribe(listener: (message: PushMessage) => void): () => void;
  /**
   * The router calls this for input the contract refused. A refused job submission leaves a
   * job_rejected event (which field, why) and no job row; its ids are returned for the refusal.
   */
  onInputRejected(channel: Channel, rawInput: unknown, error: ErrorBody): RejectionEvent | null;
  /** Resolves when startup recovery has finished and jobs are accepted. */
  readonly recoveryDone: Promise<void>;
  /** Stops the engine, writes the clean-stop marker (app_stopped), closes the DB, releases the lock. */
  close(reason: string): Promise<void>;
}
