import { describe, expect, it } from 'vitest';
import { BatchSplit, Fuse, Stack } from '../composition/blocks';
import { MemoryStorage } from '../storage';
import { loadAdapterSetup, saveAdapterSetup } from './setup-files';

describe('adapter_setup.json', () => {
  it('round-trips Python to_dict form with head setup and version', async () => {
    const s = new MemoryStorage();
    const setup = Stack('a', Fuse('b', 'c'), BatchSplit('d', 'e', { batchSizes: [1, 2] }));
    await saveAdapterSetup(s, 'x', setup, ['h1', 'h2']);
    const text = new TextDecoder().decode(s.files.get('x/adapter_setup.json'));
    expect(JSON.parse(text)).toMatchObject({ head_setup: ['h1', 'h2'], version: 'adapters.1.1.0', adapter_setup: { type: 'Stack' } });
    expect(text).toContain('"batch_sizes": [\n');
    const back = await loadAdapterSetup(s, 'x');
    expect(back.adapterSetup).toEqual(setup);
    expect(back.headSetup).toEqual(['h1', 'h2']);
  });
});
