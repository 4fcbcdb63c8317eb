/**
 * The OpenTelemetry names the export uses, all taken from @opentelemetry/semantic-conventions
 * 1.45.0 (pinned exactly in package.json): the GenAI client-span conventions of semantic
 * conventions v1.45.0 (status Development; later revisions live in the separate
 * semantic-conventions-genai repository with the same attribute names), plus the process and file
 * attributes of the same registry. Our own facts go under the `handshake.` namespace.
 */
import { ATTR_ERROR_TYPE, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import {
  ATTR_FILE_PATH,
  ATTR_FILE_SIZE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_PROCESS_COMMAND,
  ATTR_PROCESS_COMMAND_ARGS,
  ATTR_PROCESS_EXIT_CODE,
  ATTR_PROCESS_WORKING_DIRECTORY,
  GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION,
} from '@opentelemetry/semantic-conventions/incubating';

/** The semantic-conventions release the names below come from; also the spans' schema URL. */
export const SEMCONV_VERSION = '1.45.0';
export const SCHEMA_URL = `https://opentelemetry.io/schemas/${SEMCONV_VERSION}`;
export const SERVICE_NAME = 'handshake-jobs';

export const OTEL_ATTR = {
  serviceName: ATTR_SERVICE_NAME,
  serviceVersion: ATTR_SERVICE_VERSION,
  errorType: ATTR_ERROR_TYPE,
  genAiOperationName: ATTR_GEN_AI_OPERATION_NAME,
  genAiProviderName: ATTR_GEN_AI_PROVIDER_NAME,
  genAiRequestModel: ATTR_GEN_AI_REQUEST_MODEL,
  genAiResponseModel: ATTR_GEN_AI_RESPONSE_MODEL,
  genAiUsageInputTokens: ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  genAiUsageOutputTokens: ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  processCommand: ATTR_PROCESS_COMMAND,
  processCommandArgs: ATTR_PROCESS_COMMAND_ARGS,
  processExitCode: ATTR_PROCESS_EXIT_CODE,
  processWorkingDirectory: ATTR_PROCESS_WORKING_DIRECTORY,
  filePath: ATTR_FILE_PATH,
  fileSize: ATTR_FILE_SIZE,
} as const;

/** Both runtimes answer a prompt through Ollama's /api/generate shape: a text completion. */
export const MODEL_OPERATION = GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION;

/**
 * Our model ids are `<runtime>:<model>` (`ollama:llama3.2`, `mock:demo`): the runtime is the
 * provider (not one of the well-known values, so its own lowercase name, as the conventions ask).
 */
export function providerAndModel(modelId: string): { provider: string; model: string } {
  const colon = modelId.indexOf(':');
  if (colon <= 0) return { provider: 'unknown', model: modelId };
  return { provider: modelId.slice(0, colon), model: modelId.slice(colon + 1) };
}
