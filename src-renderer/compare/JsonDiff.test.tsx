// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { JsonDiff } from './JsonDiff';

afterEach(cleanup);

const lineKinds = () => screen.queryAllByTestId('diff-line').map((line) => line.dataset.kind);

describe('JsonDiff', () => {
  it('says there are no differences for equal values and draws no lines', () => {
    render(<JsonDiff left={{ argv: ['ls'] }} right={{ argv: ['ls'] }} label="Inputs" testId="d" />);
    expect(screen.getByTestId('d-summary').textContent).toBe('No differences.');
    expect(lineKinds()).toEqual([]);
  });

  it('counts and marks each change, with its kind in words for screen readers', () => {
    render(<JsonDiff left={{ argv: ['echo', 'a'], cwd: '/tmp', old: 1 }} right={{ argv: ['echo', 'x', 'a'], cwd: '/var' }} label="Inputs" testId="d" />);
    expect(screen.getByTestId('d-summary').textContent).toBe('3 differences: 1 added, 1 removed, 1 changed.');
    expect(screen.getByTestId('d').dataset.changes).toBe('3');
    const modified = screen.getAllByTestId('diff-line').find((line) => line.dataset.kind === 'modified')!;
    expect(modified.textContent).toContain('changed: cwd: "/tmp"');
    expect(modified.querySelector('del')?.textContent).toBe('"/tmp"');
    expect(modified.querySelector('ins')?.textContent).toBe('"/var"');
    const added = screen.getAllByTestId('diff-line').find((line) => line.dataset.kind === 'added')!;
    expect(added.textContent).toContain('added: [1]: "x"');
  });

  it('shows that a secret changed without showing either value', () => {
    render(<JsonDiff left={{ api_key: 'sk-old-111' }} right={{ api_key: 'sk-new-222' }} label="Inputs" testId="d" />);
    const text = screen.getByTestId('d').textContent ?? '';
    expect(text).toContain('1 difference');
    expect(text).not.toContain('sk-old-111');
    expect(text).not.toContain('sk-new-222');
    expect(text).toContain('[REDACTED]');
  });
});
