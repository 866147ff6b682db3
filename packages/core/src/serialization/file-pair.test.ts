import { describe, expect, it } from 'vitest';
import { AdapterFormatError } from '../errors';
import { MemoryStorage, type Storage } from '../storage';
import { pairSideFiles, readFilePair, writeFilePair } from './file-pair';

const NAMES = { config: 'adapter_config.json', weights: ['adapter.safetensors', 'pytorch_adapter.bin'] } as const;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

/** A storage that dies (throws, writing nothing more) at its `failAt`-th write. */
class CrashingStorage extends MemoryStorage {
  writes = 0;
  constructor(private readonly failAt: number) {
    super();
  }
  override async writeFile(path: string, data: Uint8Array): Promise<void> {
    if (this.writes++ === this.failAt) throw new Error('killed');
    return super.writeFile(path, data);
  }
}

async function state(s: Storage): Promise<[string, string]> {
  const p = await readFilePair(s, 'd', NAMES, () => {});
  return [dec(p.configBytes), dec(p.weightsBytes)];
}

describe('writeFilePair / readFilePair: crash-consistent config + weights pairs', () => {
  it('a naive two-write save killed between the writes leaves a mismatched pair', async () => {
    const s = new MemoryStorage();
    await s.writeFile('d/adapter_config.json', enc('config r=2'));
    await s.writeFile('d/adapter.safetensors', enc('weights r=2'));
    // New save (weights first, then config) killed after the first write:
    await s.writeFile('d/adapter.safetensors', enc('weights r=4'));
    expect(await state(s)).toEqual(['config r=2', 'weights r=4']); // neither save: undetectable without a record
  });

  it('a kill at every write of a save leaves the previous or the new pair, never a mix', async () => {
    for (let failAt = 0; failAt <= 8; failAt++) {
      const s = new CrashingStorage(Number.POSITIVE_INFINITY);
      await writeFilePair(s, 'd', NAMES, enc('config r=2'), enc('weights r=2'));
      const crashing = Object.assign(new CrashingStorage(failAt), { files: s.files });
      const done = await writeFilePair(crashing, 'd', NAMES, enc('config r=4'), enc('weights r=4')).then(
        () => true,
        () => false,
      );
      const got = await state(s);
      expect([['config r=2', 'weights r=2'], ['config r=4', 'weights r=4']], `kill at write ${failAt}`).toContainEqual(got);
      if (done) expect(got).toEqual(['config r=4', 'weights r=4']);
      // A third, complete save after any crash wins; a crash during it again leaves a consistent pair.
      for (let again = 0; again <= 4; again++) {
        const copy = new MemoryStorage();
        for (const [k, v] of s.files) copy.files.set(k, v);
        const c2 = Object.assign(new CrashingStorage(again), { files: copy.files });
        await writeFilePair(c2, 'd', NAMES, enc('config r=8'), enc('weights r=8')).catch(() => undefined);
        expect([got, ['config r=8', 'weights r=8']], `kill at ${failAt} then ${again}`).toContainEqual(await state(copy));
      }
    }
  });

  it('random save sequences with random kills: the folder always holds the last completed save', async () => {
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let run = 0; run < 200; run++) {
      const files = new Map<string, Uint8Array>();
      let last: [string, string] | undefined;
      for (let i = 0; i < 6; i++) {
        const kill = rand(3) === 0 ? Number.POSITIVE_INFINITY : rand(5);
        const s = Object.assign(new CrashingStorage(kill), { files });
        const c = `config ${run}.${i}`;
        const w = `weights ${run}.${i}`.repeat(1 + rand(3));
        if (await writeFilePair(s, 'd', NAMES, enc(c), enc(w)).then(() => true, () => false)) last = [c, w];
        const storage = Object.assign(new MemoryStorage(), { files });
        if (last) expect(await state(storage), `run ${run} save ${i}`).toEqual(last);
      }
    }
  });

  it('recovers the previous config when the crash fell between config and weights, and says so', async () => {
    const s = new MemoryStorage();
    await writeFilePair(s, 'd', NAMES, enc('old config'), enc('old weights'));
    const crashing = Object.assign(new CrashingStorage(3), { files: s.files }); // .prev, .commit, config written; weights not
    await expect(writeFilePair(crashing, 'd', NAMES, enc('new config'), enc('new weights'))).rejects.toThrow('killed');
    expect(dec(s.files.get('d/adapter_config.json')!)).toBe('new config');
    const warnings: string[] = [];
    const p = await readFilePair(s, 'd', NAMES, (m) => warnings.push(m));
    expect([dec(p.configBytes), dec(p.weightsBytes), p.recovered]).toEqual(['old config', 'old weights', true]);
    expect(p.configPath).toBe(`d/${pairSideFiles('adapter_config.json').prev}`);
    expect(warnings.join()).toMatch(/interrupted save/);
  });

  it('fails with a typed error naming the files when the previous config is gone as well', async () => {
    const s = new MemoryStorage();
    await writeFilePair(s, 'd', NAMES, enc('old config'), enc('old weights'));
    await writeFilePair(Object.assign(new CrashingStorage(3), { files: s.files }), 'd', NAMES, enc('new config'), enc('new weights')).catch(() => undefined);
    s.files.delete(`d/${pairSideFiles('adapter_config.json').prev}`);
    const err = await readFilePair(s, 'd', NAMES).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterFormatError);
    expect(String(err)).toMatch(/adapter_config\.json.*interrupted save.*adapter\.safetensors/);
  });

  it('files are byte-identical to plain writes; folders without a record (Python) load as they are', async () => {
    const s = new MemoryStorage();
    await writeFilePair(s, 'd', NAMES, enc('cfg'), enc('w'));
    expect(dec(s.files.get('d/adapter_config.json')!)).toBe('cfg');
    expect(dec(s.files.get('d/adapter.safetensors')!)).toBe('w');
    expect([...s.files.keys()].sort()).toEqual(['d/.adapter_config.json.commit', 'd/adapter.safetensors', 'd/adapter_config.json']);
    const py = new MemoryStorage();
    py.files.set('d/adapter_config.json', enc('py cfg'));
    py.files.set('d/pytorch_adapter.bin', enc('py w'));
    expect(await state(py)).toEqual(['py cfg', 'py w']);
  });

  it('another tool rewriting the pair (Python save_adapter into the folder) or a hand-edited config: loaded as is, with a warning', async () => {
    const s = new MemoryStorage();
    await writeFilePair(s, 'd', NAMES, enc('ours'), enc('ours w'));
    s.files.set('d/adapter_config.json', enc('edited'));
    const warnings: string[] = [];
    expect(dec((await readFilePair(s, 'd', NAMES, (m) => warnings.push(m))).configBytes)).toBe('edited');
    s.files.set('d/adapter.safetensors', enc('python w'));
    expect(await state(s)).toEqual(['edited', 'python w']);
    expect(warnings.join()).toMatch(/stale/);
  });

  it('a save over a Python .bin folder keeps the .bin pair recoverable until the safetensors is written', async () => {
    const s = new MemoryStorage();
    s.files.set('d/adapter_config.json', enc('py cfg'));
    s.files.set('d/pytorch_adapter.bin', enc('py w'));
    await writeFilePair(Object.assign(new CrashingStorage(2), { files: s.files }), 'd', NAMES, enc('ts cfg'), enc('ts w')).catch(() => undefined);
    expect(await state(s)).toEqual(['py cfg', 'py w']);
    await writeFilePair(s, 'd', NAMES, enc('ts cfg'), enc('ts w'));
    expect(await state(s)).toEqual(['ts cfg', 'ts w']);
  });
});
