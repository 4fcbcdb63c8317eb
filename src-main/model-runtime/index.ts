/** Builds the runtime the user chose; `none` means model-backed kinds fail with a clear reason. */
import type { ModelRuntimeChoice } from '../../src-shared/enums';
import { MockModelRuntime } from './mock';
import { OllamaModelRuntime, type OllamaOptions } from './ollama';
import type { ModelRuntime } from './runtime';

export * from './runtime';
export { MockModelRuntime } from './mock';
export { OllamaModelRuntime, DEFAULT_OLLAMA_MODEL, DEFAULT_OLLAMA_URL } from './ollama';

export interface ModelRuntimeConfig {
  ollama?: OllamaOptions;
  mockName?: string;
}

export function createModelRuntime(choice: ModelRuntimeChoice, config: ModelRuntimeConfig = {}): ModelRuntime | null {
  switch (choice) {
    case 'mock':
      return new MockModelRuntime({ name: config.mockName ?? 'echo' });
    case 'ollama':
      return new OllamaModelRuntime(config.ollama);
    case 'none':
      return null;
  }
}
