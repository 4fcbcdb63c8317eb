/**
 * What happens when the app is asked to quit: the core is closed exactly once (engine stopped,
 * clean-stop marker written, lock released) before the process ends, whatever number of quits
 * arrive meanwhile. Written against a few injected steps, so it is tested without Electron.
 */
export interface QuitSteps {
  /** Closes the core; may reject. */
  closeCore(): Promise<void>;
  /** Stops the window taking input while the core closes. */
  blockInput(): void;
  /** Quits normally (Electron's app.quit), which asks this guard again. */
  quit(): void;
  /** Ends the process at once with a code (Electron's app.exit). */
  exit(code: number): void;
  log(message: string, error: unknown): void;
}

type QuitState = 'open' | 'closing' | 'closed';

/** Returns the app's before-quit listener. */
export function createQuitGuard(steps: QuitSteps): (event: { preventDefault(): void }) => void {
  let state: QuitState = 'open';
  return (event) => {
    if (state === 'closed') return;
    // Hold every quit until the close in progress (or the one starting now) has finished.
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    try {
      steps.blockInput();
    } catch (error) {
      steps.log('could not block input while closing', error);
    }
    steps.closeCore().then(
      () => {
        state = 'closed';
        steps.quit();
      },
      (error: unknown) => {
        state = 'closed';
        steps.log('closing the core failed; the next start will recover interrupted runs', error);
        steps.exit(1);
      },
    );
  };
}
