import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { AdaptersError, MissingPluginError } from '../errors';
import { isNodeEnvironment, listBackends, probeBackends, setupBackend } from './index';

let tfjsNodeInstalled = true;
try {
  await import(/* @vite-ignore */ ['@tensorflow', 'tfjs-node'].join('/'));
} catch {
  tfjsNodeInstalled = false;
}

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('setupBackend', () => {
  it('detects Node', () => {
    expect(isNodeEnvironment()).toBe(true);
  });

  it('selects cpu and registers the cpu patches', async () => {
    const info = await setupBackend({ backend: 'cpu' });
    expect(info.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(info.environment).toBe('node');
    expect(info.kernelPatches).toEqual(expect.arrayContaining(['UnsortedSegmentSum/cpu', 'BatchMatMul/gradient']));
  });

  it('selects wasm (single-threaded SIMD without the Node entry)', async () => {
    const info = await setupBackend({ backend: 'wasm' });
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.threads).toBe(1);
    expect(info.simd).toBe(true);
    expect(info.kernelPatches).toEqual(expect.arrayContaining(['BatchMatMul/wasm', 'UnsortedSegmentSum/wasm']));
    expect(Array.from(tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).dataSync())).toEqual([3, 3, 3, 3]);
  });

  it('can skip the kernel patches', async () => {
    const info = await setupBackend({ backend: 'cpu', patchKernels: false });
    expect(info.kernelPatches).toEqual([]);
  });

  // @tensorflow/tfjs-node is an optional peer that downloads libtensorflow at install time; it is
  // normally absent here and in CI.
  it.skipIf(tfjsNodeInstalled)("throws MissingPluginError for 'tensorflow' when @tensorflow/tfjs-node is absent", async () => {
    await expect(setupBackend({ backend: 'tensorflow' })).rejects.toBeInstanceOf(MissingPluginError);
    await expect(setupBackend({ backend: 'tensorflow' })).rejects.toThrow(/@tensorflow\/tfjs-node/);
  });

  it.skipIf(tfjsNodeInstalled)("'auto' falls back to wasm in Node and reports why tensorflow was skipped", async () => {
    const info = await setupBackend({ backend: 'auto' });
    expect(info.name).toBe('wasm');
    expect(info.requested).toBe('auto');
    expect(info.skipped.map((s) => s.name)).toEqual(['tensorflow']);
    expect(info.skipped[0]?.reason).toMatch(/tfjs-node/);
  });

  it('rejects webgl in Node and unknown names', async () => {
    await expect(setupBackend({ backend: 'webgl' })).rejects.toBeInstanceOf(AdaptersError);
    await expect(setupBackend({ backend: 'nope' as 'cpu' })).rejects.toThrow(/unknown backend/);
  });
});

describe('listBackends', () => {
  it('lists cpu and wasm, not webgl, best first', async () => {
    const names = await listBackends();
    expect(names).toEqual(expect.arrayContaining(['wasm', 'cpu']));
    expect(names).not.toContain('webgl');
    expect(names.indexOf('wasm')).toBeLessThan(names.indexOf('cpu'));
    if (!tfjsNodeInstalled) expect(names).not.toContain('tensorflow');
  });

  it('gives reasons for unavailable backends', async () => {
    const probes = await probeBackends();
    const webgl = probes.find((p) => p.name === 'webgl');
    expect(webgl).toMatchObject({ available: false });
    expect(webgl?.reason).toMatch(/browser/);
  });
});
