/** Browser-safe {@link Storage} implementations: HTTP `fetch`, `Blob`/`File`, Origin Private File System. */
export { FetchStorage, type FetchLike, type FetchResponseLike, type FetchStorageOptions } from './fetch-storage';
export { BlobStorage, type FileLike, type FromFilesOptions } from './blob-storage';
export {
  OpfsStorage,
  type OpfsDirectoryHandle,
  type OpfsFileHandle,
  type OpfsSyncAccessHandle,
  type OpfsWritable,
} from './opfs-storage';
