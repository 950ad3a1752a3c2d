import { describe, expect, it } from 'vitest';
import { AUDIT_ERRORS, type AuditStore } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { draft, memoryLog } from './helpers.js';

// Issue 19 (left open by hardening row 65): the SDK's own audit stores code every backend failure, but a vendor's
// AuditStore over its own driver throws the driver's errors as they are. The log made each of them
// ERR_AUDIT_STORE_UNAVAILABLE, "retry later": a role without INSERT or a damaged table retried for ever, as the
// consumer and the lot manager no longer do.

const driverError = (code: string, message: string): Error => Object.assign(new Error(message), { code });

/** A vendor's store over the memory store whose appends throw `failure.next` while it is set. */
function vendorStore() {
  const inner = new MemoryAuditStore();
  const failure: { next: Error | undefined } = { next: undefined };
  const store: AuditStore = {
    async append(build) {
      if (failure.next !== undefined) throw failure.next;
      await inner.append((head) => build(head));
    },
    read: (options) => inner.read(options),
    lines: () => inner.lines(),
    head: () => inner.head(),
    purge: (n) => inner.purge(n),
    close: () => inner.close(),
  };
  return { store, failure };
}

describe("a vendor's audit store that throws its driver's errors as they are (AUD-2, issue 19)", () => {
  const cases: { label: string; error: () => Error; code: string; kind: string; detail: RegExp }[] = [
    {
      label: 'a role without INSERT (42501)',
      error: () => driverError('42501', 'permission denied for table audit'),
      code: 'ERR_AUDIT_STORE_MISCONFIGURED',
      kind: 'internal',
      detail: /42501 insufficient_privilege/,
    },
    {
      label: 'a table not migrated (42P01)',
      error: () => driverError('42P01', 'relation "audit" does not exist'),
      code: 'ERR_AUDIT_STORE_MISCONFIGURED',
      kind: 'internal',
      detail: /42P01/,
    },
    {
      label: 'a damaged index (XX002)',
      error: () => driverError('XX002', 'index "audit_pkey" contains unexpected zero page'),
      code: 'ERR_AUDIT_STORE_CORRUPT',
      kind: 'internal',
      detail: /XX002 index_corrupted/,
    },
    {
      label: 'a connection reset',
      error: () => driverError('ECONNRESET', 'read ECONNRESET'),
      code: 'ERR_AUDIT_STORE_UNAVAILABLE',
      kind: 'unavailable',
      detail: /read ECONNRESET/,
    },
  ];
  for (const { label, error, code, kind, detail } of cases) {
    it(`${label}: ${code} (kind ${kind}), the driver's error as cause; once mended, the log appends on one chain`, async () => {
      const { store, failure } = vendorStore();
      const log = memoryLog({ store });
      await log.append(draft(0));
      failure.next = error();
      const e = await log.append(draft(1)).then(
        () => undefined,
        (x: unknown) => x as { code: string; kind: string; cause: unknown; message: string },
      );
      expect(e, String(e)).toMatchObject({ code, kind, cause: failure.next });
      expect(e!.message).toMatch(detail);
      expect(AUDIT_ERRORS.kind(code as never)).toBe(kind);
      failure.next = undefined;
      const next = await log.append(draft(2));
      expect(next.seq).toBe(2);
      expect((await log.verify()).ok).toBe(true);
    });
  }
});
