import { afterEach, describe, expect, it, vi } from 'vitest';
import { takeTaskParam, taskIdOf } from './openLink';

describe('the ?task= link', () => {
  afterEach(() => window.history.replaceState(null, '', '/'));

  it('reads a positive integer id only', () => {
    expect(taskIdOf('?task=42')).toBe(42);
    expect(taskIdOf('?x=1&task=7')).toBe(7);
    expect(taskIdOf('')).toBeNull();
    expect(taskIdOf('?task=')).toBeNull();
    expect(taskIdOf('?task=0')).toBeNull();
    expect(taskIdOf('?task=-3')).toBeNull();
    expect(taskIdOf('?task=4x')).toBeNull();
    expect(taskIdOf('?task=99999999999999999')).toBeNull();
  });

  it('takes the parameter out of the address, keeping the rest', () => {
    window.history.replaceState(null, '', '/?task=12&view=x#top');
    const replace = vi.spyOn(window.history, 'replaceState');
    expect(takeTaskParam()).toBe(12);
    expect(window.location.pathname + window.location.search + window.location.hash).toBe('/?view=x#top');
    expect(takeTaskParam()).toBeNull();
    expect(replace).toHaveBeenCalledTimes(1);
  });
});
