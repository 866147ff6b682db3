/** Adapter folders as zip downloads, and picked files (zips, folders, single files) as uploads. */
import { unzipSync, zipSync } from 'fflate';

/** A zip holding `<folder>/<file>` for every file. */
export function zipFolder(folder: string, files: readonly { path: string; bytes: Uint8Array }[]): Uint8Array {
  return zipSync(Object.fromEntries(files.map((f) => [`${folder}/${f.path}`, f.bytes])), { level: 6 });
}

/** Offers `bytes` as a download named `filename`. */
export function download(filename: string, bytes: Uint8Array, type = 'application/zip'): void {
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const basename = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/**
 * The files of one adapter folder from what the user picked: the entries of `.zip` files and the
 * other files as they are, each under its base name (an adapter folder is flat). Hidden files and
 * folders are skipped.
 */
export async function pickedAdapterFiles(picked: readonly File[]): Promise<{ path: string; blob: Blob }[]> {
  const out = new Map<string, Blob>();
  for (const f of picked) {
    if (f.name.toLowerCase().endsWith('.zip')) {
      const entries = unzipSync(new Uint8Array(await f.arrayBuffer()));
      for (const [path, bytes] of Object.entries(entries)) {
        const name = basename(path);
        if (name !== '' && !name.startsWith('.') && !path.startsWith('__MACOSX/')) out.set(name, new Blob([bytes.slice()]));
      }
    } else if (!f.name.startsWith('.')) out.set(basename(f.name), f);
  }
  return [...out].map(([path, blob]) => ({ path, blob }));
}
