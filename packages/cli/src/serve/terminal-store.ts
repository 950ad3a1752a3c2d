import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CoreError } from '@s3404/core';
import { ensureDirectory, withFileLock, writeFileAtomic } from '@s3404/core/node';

/** The public part of a terminal's ECDSA P-256 key, as a JWK (RFC 7517, RFC 7518 §6.2). @public */
export interface TerminalPublicKey {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  /** The point's coordinates, 32 bytes each, base64url. */
  readonly x: string;
  readonly y: string;
}

/** A terminal enrolled with the signing service (SIG-7): its identifier and public key. @public */
export interface EnrolledTerminal {
  readonly id: string;
  readonly publicKey: TerminalPublicKey;
  /** ISO 8601 UTC instant of its enrolment. */
  readonly enrolledAt: string;
}

/**
 * Where a signing service keeps its enrolled terminals (SIG-7): public keys
 * only — a terminal's private key never leaves the tablet. Implement it over
 * the vendor's database when several servers share the terminals.
 *
 * `import type { TerminalStore } from '@s3404/cli/serve'`
 *
 * @public
 */
export interface TerminalStore {
  /** The terminal, or `null` when unknown or revoked. */
  get(id: string): Promise<EnrolledTerminal | null>;
  /** Enrols a terminal; `false` (nothing changed) when the identifier is already enrolled. */
  add(terminal: EnrolledTerminal): Promise<boolean>;
  /** Revokes a terminal; `false` when it was not enrolled. */
  delete(id: string): Promise<boolean>;
  /** Releases what the store opened itself. Idempotent. */
  close(): Promise<void>;
}

/**
 * The enrolled terminals in this process's memory (SIG-7): forgotten at
 * restart, when every tablet pairs again.
 *
 * `import { MemoryTerminalStore } from '@s3404/cli/serve'`
 *
 * @example
 * ```ts
 * const service = createSigningService({ …, terminals: await MemoryTerminalStore.open() })
 * ```
 * @public
 */
export class MemoryTerminalStore implements TerminalStore {
  readonly #terminals = new Map<string, EnrolledTerminal>();

  /** Opens an empty store. */
  static async open(): Promise<MemoryTerminalStore> {
    return new MemoryTerminalStore();
  }

  async get(id: string): Promise<EnrolledTerminal | null> {
    return this.#terminals.get(id) ?? null;
  }

  async add(terminal: EnrolledTerminal): Promise<boolean> {
    if (this.#terminals.has(terminal.id)) return false;
    this.#terminals.set(terminal.id, terminal);
    return true;
  }

  async delete(id: string): Promise<boolean> {
    return this.#terminals.delete(id);
  }

  async close(): Promise<void> {}
}

/** Options of {@link FileTerminalStore.open}. @public */
export interface FileTerminalStoreOptions {
  /** The JSON file of the enrolled terminals (public keys only), e.g. `state/serve/terminals.json`. */
  readonly path: string;
}

/**
 * The enrolled terminals in one JSON file (SIG-7), written with core's
 * atomic writer: public keys only, so the file holds no secret. Processes of
 * one machine sharing the file see each other's enrolments (the file is read
 * again when a terminal is not found); each enrolment and revocation reads
 * and writes the file under a lock shared by those processes
 * (`<file>.lock.d`, `acquireFileLock` of `@s3404/core/node`), so none is
 * lost to another made at the same instant — a revoked terminal stays revoked.
 *
 * `import { FileTerminalStore } from '@s3404/cli/serve'`
 *
 * @example
 * ```ts
 * const terminals = await FileTerminalStore.open({ path: 'state/serve/terminals.json' })
 * ```
 * @throws CoreError `ERR_FILE_UNREADABLE` (the file is not a terminal list), `ERR_FILE_UNWRITABLE` (on `add`, `delete`),
 * `ERR_LOCK_TIMEOUT` (kind `unavailable`: another process kept the file's lock for more than 10 s, on `add`, `delete`).
 * @public
 */
export class FileTerminalStore implements TerminalStore {
  readonly #path: string;
  #terminals = new Map<string, EnrolledTerminal>();

  private constructor(path: string) {
    this.#path = path;
  }

  /**
   * Opens the file (absent: no terminal yet).
   * @throws TypeError when `path` is not a non-empty string.
   */
  static async open(options: FileTerminalStoreOptions): Promise<FileTerminalStore> {
    if (options === null || typeof options !== 'object' || typeof options.path !== 'string' || options.path === '')
      throw new TypeError('FileTerminalStore.open: options.path must be a non-empty string');
    const store = new FileTerminalStore(options.path);
    await ensureDirectory(dirname(options.path));
    await store.#reload();
    return store;
  }

  async get(id: string): Promise<EnrolledTerminal | null> {
    if (!this.#terminals.has(id)) await this.#reload();
    return this.#terminals.get(id) ?? null;
  }

  async add(terminal: EnrolledTerminal): Promise<boolean> {
    return this.#exclusive(async () => {
      await this.#reload();
      if (this.#terminals.has(terminal.id)) return false;
      this.#terminals.set(terminal.id, terminal);
      await this.#write();
      return true;
    });
  }

  async delete(id: string): Promise<boolean> {
    return this.#exclusive(async () => {
      await this.#reload();
      if (!this.#terminals.delete(id)) return false;
      await this.#write();
      return true;
    });
  }

  async close(): Promise<void> {}

  async #reload(): Promise<void> {
    let text: string;
    const unreadable = (reason: string, cause?: unknown): CoreError => new CoreError('ERR_FILE_UNREADABLE', { params: { path: this.#path, reason }, cause });
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOENT') return;
      throw unreadable(code ?? 'read', e);
    }
    let list: unknown;
    try {
      list = JSON.parse(text);
    } catch (e) {
      throw unreadable('JSON', e);
    }
    const terminals = (list as { terminals?: unknown } | null)?.terminals;
    if (!Array.isArray(terminals) || !terminals.every((t) => typeof (t as EnrolledTerminal | null)?.id === 'string')) throw unreadable('s3404.terminals');
    this.#terminals = new Map((terminals as EnrolledTerminal[]).map((t) => [t.id, t]));
  }

  /** A read-modify-write of the file, alone among the processes (and the calls of this one) sharing it. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return withFileLock(`${this.#path}.lock.d`, fn, { timeoutMs: 10_000 });
  }

  async #write(): Promise<void> {
    const terminals = [...this.#terminals.values()].sort((a, b) => a.id.localeCompare(b.id));
    await writeFileAtomic(this.#path, `${JSON.stringify({ type: 's3404.terminals', version: '1', terminals }, null, 2)}\n`, { mode: 0o644 });
  }
}
