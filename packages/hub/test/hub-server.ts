/**
 * A local stand-in for huggingface.co, serving a Hub-shaped tree from a temp folder and speaking
 * the part of the protocol `hf_hub_download` uses:
 *
 * - `HEAD|GET /{org}/{name}/resolve/{revision}/{path}`
 *   - regular files: 200 with `X-Repo-Commit`, `ETag: "<git-sha1>"`, `Content-Length`, Range support;
 *   - LFS files: 302 to an absolute `/cdn/<sha256>` URL with `X-Repo-Commit`,
 *     `X-Linked-Etag: "<sha256>"`, `X-Linked-Size`;
 *   - errors with `X-Error-Code`: 401 `RepoNotFound`, 404 `RevisionNotFound`, 404 `EntryNotFound`
 *     (the last one with `X-Repo-Commit`, as the Hub does).
 * - `HEAD|GET /cdn/<sha256>`: LFS bytes with Range support (206 + Content-Range).
 *
 * Tree on disk: `<root>/<org>/<name>/refs.json` (`{ "main": "<commit>", "v1": "<commit>" }`) and
 * `<root>/<org>/<name>/commits/<commit>/<files>`; files whose name ends in `.safetensors` or
 * `.bin` are served as LFS files.
 *
 * Fault injection: {@link HubServer.truncate} makes GETs of a file stop after n bytes (connection
 * destroyed, full Content-Length announced); {@link HubServer.corrupt} flips bytes of the body.
 */
import { createHash } from 'node:crypto';
import { type Dirent, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

/** One request seen by the server. */
export interface LoggedRequest {
  method: string;
  url: string;
  range: string | undefined;
  authorization: string | undefined;
}

/** A fault on the GETs of one file (by repo path, e.g. `org/name/adapter.safetensors`). */
interface Fault {
  kind: 'truncate' | 'corrupt';
  /** truncate: bytes sent per response before the connection is destroyed. */
  bytes: number;
  /** How many more GETs it applies to (Infinity: always). */
  times: number;
}

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
export const gitSha1 = (b: Uint8Array): string => createHash('sha1').update(`blob ${b.byteLength}\0`).update(b).digest('hex');
/** A deterministic fake commit hash. */
export const commitOf = (label: string): string => createHash('sha1').update(`commit:${label}`).digest('hex');

const isLfs = (file: string): boolean => /\.(safetensors|bin)$/.test(file);

export class HubServer {
  readonly requests: LoggedRequest[] = [];
  private server: Server | undefined;
  private cdnServer: Server | undefined;
  /** Origin of the CDN that LFS files redirect to (another port: another origin). */
  cdnUrl = '';
  private readonly faults = new Map<string, Fault>();
  private readonly renamed = new Map<string, string>();
  url = '';

  constructor(readonly root: string) {}

  /** Adds (or replaces) a commit of `repoId` with the given files and points `refs` at it. */
  addCommit(repoId: string, label: string, files: Record<string, Uint8Array | string>, refs: string[] = ['main']): string {
    const commit = commitOf(`${repoId}:${label}`);
    const base = path.join(this.root, ...repoId.split('/'));
    for (const [name, content] of Object.entries(files)) {
      const p = path.join(base, 'commits', commit, ...name.split('/'));
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, content);
    }
    const refsPath = path.join(base, 'refs.json');
    const current = existsSync(refsPath) ? (JSON.parse(readFileSync(refsPath, 'utf8')) as Record<string, string>) : {};
    for (const r of refs) current[r] = commit;
    writeFileSync(refsPath, JSON.stringify(current));
    return commit;
  }

  truncate(repoPath: string, bytes: number, times = 1): void {
    this.faults.set(repoPath, { kind: 'truncate', bytes, times });
  }
  corrupt(repoPath: string, times = Infinity): void {
    this.faults.set(repoPath, { kind: 'corrupt', bytes: 0, times });
  }
  /** Answers requests for `from` with a relative 307 to `to` (a renamed repository, as the Hub does). */
  rename(from: string, to: string): void {
    this.renamed.set(from, to);
  }
  clearFaults(): void {
    this.faults.clear();
  }
  /** Number of requests logged so far (reset with `requests.length = 0`). */
  get count(): number {
    return this.requests.length;
  }

  async start(): Promise<string> {
    const listen = async (): Promise<[Server, string]> => {
      const s = createServer((req, res) => {
        try {
          this.handle(req, res);
        } catch (e) {
          res.writeHead(500).end(String(e));
        }
      });
      await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
      return [s, `http://127.0.0.1:${(s.address() as AddressInfo).port}`];
    };
    [this.server, this.url] = await listen();
    [this.cdnServer, this.cdnUrl] = await listen();
    return this.url;
  }

  async close(): Promise<void> {
    for (const s of [this.server, this.cdnServer]) {
      if (!s) continue;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    this.server = undefined;
    this.cdnServer = undefined;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push({ method, url: url.pathname, range: req.headers.range, authorization: req.headers.authorization });

    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(url.pathname);
    if (cdn) {
      const found = this.findBlob(cdn[1]!);
      if (!found) return void res.writeHead(404).end();
      return this.sendBytes(req, res, found.bytes, found.repoPath, { etag: `"${cdn[1]}"` });
    }

    const m = /^\/([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!m) return void res.writeHead(404, { 'x-error-code': 'RepoNotFound' }).end();
    const [, org, name, revEnc, fileEnc] = m as unknown as [string, string, string, string, string];
    const repoId = `${org}/${name}`;
    const movedTo = this.renamed.get(repoId);
    if (movedTo) {
      return void res.writeHead(307, { location: url.pathname.replace(`/${repoId}/`, `/${movedTo}/`) }).end();
    }
    const revision = decodeURIComponent(revEnc);
    const file = fileEnc.split('/').map(decodeURIComponent).join('/');
    const base = path.join(this.root, org, name);
    if (!existsSync(path.join(base, 'refs.json'))) {
      return void res.writeHead(401, { 'x-error-code': 'RepoNotFound', 'x-error-message': 'Repository not found' }).end();
    }
    const refs = JSON.parse(readFileSync(path.join(base, 'refs.json'), 'utf8')) as Record<string, string>;
    const commit = refs[revision] ?? (/^[0-9a-f]{40}$/.test(revision) && existsSync(path.join(base, 'commits', revision)) ? revision : undefined);
    if (!commit) return void res.writeHead(404, { 'x-error-code': 'RevisionNotFound', 'x-error-message': 'Invalid rev id' }).end();
    const filePath = path.join(base, 'commits', commit, ...file.split('/'));
    if (!existsSync(filePath)) {
      return void res.writeHead(404, { 'x-error-code': 'EntryNotFound', 'x-repo-commit': commit, 'x-error-message': 'Entry not found' }).end();
    }
    const bytes = new Uint8Array(readFileSync(filePath));
    if (isLfs(file)) {
      const sha = sha256(bytes);
      res.writeHead(302, {
        location: `${this.cdnUrl}/cdn/${sha}`,
        'x-repo-commit': commit,
        'x-linked-etag': `"${sha}"`,
        'x-linked-size': String(bytes.byteLength),
        etag: `W/"redirect-${sha.slice(0, 8)}"`,
        'content-length': '0',
      });
      return void res.end();
    }
    this.sendBytes(req, res, bytes, `${repoId}/${file}`, { 'x-repo-commit': commit, etag: `"${gitSha1(bytes)}"` });
  }

  private findBlob(sha: string): { bytes: Uint8Array; repoPath: string } | undefined {
    // Small trees: a linear scan is fine.
    const walk = (dir: string, rel: string[]): { bytes: Uint8Array; repoPath: string } | undefined => {
      for (const entry of readdir(dir)) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          const r = walk(p, [...rel, entry.name]);
          if (r) return r;
        } else if (isLfs(entry.name)) {
          const bytes = new Uint8Array(readFileSync(p));
          // rel = [org, name, 'commits', commit, ...dirs]
          if (sha256(bytes) === sha) return { bytes, repoPath: [rel[0], rel[1], ...rel.slice(4), entry.name].join('/') };
        }
      }
      return undefined;
    };
    return walk(this.root, []);
  }

  private sendBytes(req: IncomingMessage, res: ServerResponse, full: Uint8Array, repoPath: string, headers: Record<string, string>): void {
    if (req.method === 'HEAD') {
      res.writeHead(200, { ...headers, 'content-length': String(full.byteLength), 'accept-ranges': 'bytes' });
      return void res.end();
    }
    let body = full;
    let status = 200;
    const extra: Record<string, string> = {};
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Number(range[2]) : full.byteLength - 1;
      if (start >= full.byteLength) {
        res.writeHead(416, { 'content-range': `bytes */${full.byteLength}` });
        return void res.end();
      }
      body = full.subarray(start, end + 1);
      status = 206;
      extra['content-range'] = `bytes ${start}-${end}/${full.byteLength}`;
    }
    const fault = this.faults.get(repoPath);
    if (fault && fault.times > 0) {
      fault.times--;
      if (fault.kind === 'corrupt') {
        body = body.map((b) => b ^ 0xff);
      } else {
        res.writeHead(status, { ...headers, ...extra, 'content-length': String(body.byteLength) });
        // Let the client read the bytes before the connection drops (a stream error discards queued chunks).
        res.write(body.subarray(0, Math.min(fault.bytes, body.byteLength)), () => {
          setTimeout(() => res.socket?.destroy(), 150);
        });
        return;
      }
    }
    res.writeHead(status, { ...headers, ...extra, 'content-length': String(body.byteLength) });
    res.end(body);
  }
}

function readdir(dir: string): Dirent[] {
  return readdirSync(dir, { withFileTypes: true });
}
