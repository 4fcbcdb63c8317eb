/** The HskError `work` throws (any other outcome fails the test). */
import { HskError } from '../../src-shared/errors';

export function errorOf(work: () => unknown): HskError {
  try {
    work();
  } catch (error) {
    if (error instanceof HskError) return error;
    throw error;
  }
  throw new Error('expected an HskError');
}
