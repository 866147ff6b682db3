import { AdaptersError } from '../errors';

/**
 * Splits a '/'-separated storage path into its segments, dropping empty and `.` segments.
 * Throws {@link AdaptersError} on `..` (storages never leave their root).
 */
export function pathSegments(path: string): string[] {
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new AdaptersError(`storage path '${path}' must not contain '..'`);
  return parts;
}

/** The normal form of a storage path: segments joined with '/', no leading or trailing '/'. */
export function normalizePath(path: string): string {
  return pathSegments(path).join('/');
}
