/**
 * Executors by kind. `Record<JobKind, ExecutorEntry>` makes the compiler refuse a kind without an
 * entry; a kind this machine cannot run has an `unavailable` entry that says what is missing.
 */
import type { ModelRuntime } from '../model-runtime/runtime';
import { debugBundleExecutor, type BundleEnvironment } from './debug-bundle';
import { docIngestExecutor } from './doc-ingest';
import { modelTaskExecutor } from './model-task';
import { terminalExecExecutor } from './terminal-exec';
import type { ExecutorEntry, ExecutorRegistry } from './types';
import { workflowStepsExecutor } from './workflow-steps';

const asrUnavailable: ExecutorEntry = {
  type: 'unavailable',
  status_reason: 'no_executor',
  message: 'asr_transcribe needs a local speech-recognition runtime (e.g. whisper.cpp); none is bundled or configured on this machine',
};

export function createExecutorRegistry(modelRuntime: ModelRuntime | null, environment?: () => BundleEnvironment): ExecutorRegistry {
  return {
    terminal_exec: terminalExecExecutor,
    debug_bundle_export: debugBundleExecutor(environment),
    doc_ingest: docIngestExecutor,
    workflow_run: workflowStepsExecutor,
    asr_transcribe: asrUnavailable,
    doc_summarize: modelTaskExecutor('doc_summarize', modelRuntime),
    doc_rewrite: modelTaskExecutor('doc_rewrite', modelRuntime),
    doc_edit: modelTaskExecutor('doc_edit', modelRuntime),
    spec_router: modelTaskExecutor('spec_router', modelRuntime),
    distillation_eval: modelTaskExecutor('distillation_eval', modelRuntime),
    sheet_transform: modelTaskExecutor('sheet_transform', modelRuntime),
    canvas_cluster: modelTaskExecutor('canvas_cluster', modelRuntime),
  };
}
