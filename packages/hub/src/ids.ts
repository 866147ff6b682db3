import { AdaptersError } from '@adapters/core';

/** A Hub repository id with an optional revision. */
export interface ResolvedId {
  /** `org/name` (or a legacy single-name id such as `gpt2`). */
  repoId: string;
  /** Revision given in the id (`hf:org/name@rev`), if any. */
  revision: string | undefined;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Throws unless `repoId` is a valid Hub repository id (`name` or `org/name`, as `huggingface_hub.validate_repo_id`). */
export function validateRepoId(repoId: string): void {
  const parts = repoId.split('/');
  const ok =
    repoId.length > 0 &&
    repoId.length <= 96 &&
    parts.length <= 2 &&
    parts.every((p) => NAME.test(p) && !p.endsWith('.git')) &&
    !repoId.includes('--') &&
    !repoId.includes('..');
  if (!ok) {
    throw new AdaptersError(
      `invalid Hub repository id "${repoId}": expected "name" or "org/name" with letters, digits, ".", "-" and "_" (no "--" or "..", at most 96 characters)`,
    );
  }
}

/**
 * Turns an adapter id into a Hub repository id and revision.
 *
 * - AdapterHub ids such as `AdapterHub/roberta-base-pf-imdb` are plain Hugging Face repository
 *   ids (AdapterHub hosts its adapters on the Hugging Face Hub since `adapters` 1.0).
 * - `hf:org/name` and `hf:org/name@revision` name a repository and pin a branch, tag or commit.
 *
 * The pre-2023 AdapterHub index ids (`sentiment/sst-2@ukp`) needed adapterhub.ml's index and are
 * rejected, as is an `@revision` without the `hf:` prefix (it would be ambiguous with them).
 *
 * @example
 * ```ts
 * resolveAdapterId('AdapterHub/roberta-base-pf-imdb'); // { repoId: 'AdapterHub/roberta-base-pf-imdb', revision: undefined }
 * resolveAdapterId('hf:org/my-adapter@v1');           // { repoId: 'org/my-adapter', revision: 'v1' }
 * ```
 */
export function resolveAdapterId(id: string): ResolvedId {
  const trimmed = id.trim();
  if (trimmed.startsWith('hf:')) {
    const body = trimmed.slice(3);
    const at = body.indexOf('@');
    const repoId = at < 0 ? body : body.slice(0, at);
    const revision = at < 0 ? undefined : body.slice(at + 1);
    if (revision !== undefined && revision.length === 0) throw new AdaptersError(`"${id}": empty revision after "@"`);
    validateRepoId(repoId);
    return { repoId, revision };
  }
  if (trimmed.includes('@')) {
    throw new AdaptersError(
      `"${id}" looks like a legacy AdapterHub index id ("task/subtask@org"), which needs the retired adapterhub.ml index; ` +
        'use a Hugging Face repository id (e.g. "AdapterHub/roberta-base-pf-imdb") and write a revision as "hf:org/name@revision" or pass { revision }',
    );
  }
  validateRepoId(trimmed);
  return { repoId: trimmed, revision: undefined };
}

/**
 * The revision to use when an id may pin one (`hf:org/name@rev`) and options may name one: either,
 * or both when they agree.
 * @throws AdaptersError when the two differ.
 */
export function pickRevision(id: string, fromId: string | undefined, fromOpts: string | undefined): string | undefined {
  if (fromId !== undefined && fromOpts !== undefined && fromId !== fromOpts) {
    throw new AdaptersError(`"${id}" pins revision "${fromId}" but options ask for "${fromOpts}"`);
  }
  return fromOpts ?? fromId;
}
