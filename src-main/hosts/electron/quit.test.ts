import { describe, expect, it, vi } from 'vitest';
import { createQuitGuard, type QuitSteps } from './quit';

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function fakeSteps(close: Promise<void>) {
  const order: string[] = [];
  const steps: QuitSteps = {
    closeCore: vi.fn(() => {
      order.push('closeCore');
      return close;
    }),
    blockInput: vi.fn(() => void order.push('blockInput')),
    quit: vi.fn(() => void order.push('quit')),
    exit: vi.fn((code: number) => void order.push(`exit ${code}`)),
    log: vi.fn(),
  };
  return { steps, order };
}

const quitEvent = () => ({ preventDefault: vi.fn() });

describe('createQuitGuard', () => {
  it('holds the quit, blocks input, closes the core, then quits', async () => {
    const close = deferred();
    const { steps, order } = fakeSteps(close.promise);
    const guard = createQuitGuard(steps);
    const event = quitEvent();
    guard(event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(order).toEqual(['blockInput', 'closeCore']);
    close.resolve();
    await vi.waitFor(() => expect(order).toEqual(['blockInput', 'closeCore', 'quit']));
  });

  it('closes the core once when a second quit arrives during the close, and holds that quit too', async () => {
    const close = deferred();
    const { steps, order } = fakeSteps(close.promise);
    const guard = createQuitGuard(steps);
    guard(quitEvent());
    const second = quitEvent();
    guard(second);
    expect(second.preventDefault).toHaveBeenCalled();
    expect(steps.closeCore).toHaveBeenCalledTimes(1);
    close.resolve();
    await vi.waitFor(() => expect(order.at(-1)).toBe('quit'));
    expect(steps.closeCore).toHaveBeenCalledTimes(1);
  });

  it('lets the quit it issued itself through once the core is closed', async () => {
    const { steps } = fakeSteps(Promise.resolve());
    const guard = createQuitGuard(steps);
    guard(quitEvent());
    await vi.waitFor(() => expect(steps.quit).toHaveBeenCalled());
    const final = quitEvent();
    guard(final);
    expect(final.preventDefault).not.toHaveBeenCalled();
    expect(steps.closeCore).toHaveBeenCalledTimes(1);
  });

  it('logs a failed close and exits with 1 instead of leaving an unhandled rejection', async () => {
    const { steps, order } = fakeSteps(Promise.reject(new Error('disk full')));
    const guard = createQuitGuard(steps);
    guard(quitEvent());
    await vi.waitFor(() => expect(order).toEqual(['blockInput', 'closeCore', 'exit 1']));
    expect(steps.log).toHaveBeenCalledWith(expect.stringContaining('closing the core failed'), expect.objectContaining({ message: 'disk full' }));
    expect(steps.quit).not.toHaveBeenCalled();
  });

  it('still closes the core when blocking input fails (the window is already gone)', async () => {
    const { steps } = fakeSteps(Promise.resolve());
    steps.blockInput = () => {
      throw new Error('Object has been destroyed');
    };
    createQuitGuard(steps)(quitEvent());
    await vi.waitFor(() => expect(steps.quit).toHaveBeenCalled());
    expect(steps.closeCore).toHaveBeenCalledTimes(1);
  });
});
