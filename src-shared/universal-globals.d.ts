/**
 * The few globals that exist in every world this code runs in (Node 22, Electron's renderer, a
 * browser): declared here because src-shared is checked with neither the DOM nor the Node types.
 */
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
