import { describe, expect, it } from 'vitest';
import { AUDIT_ERRORS, AuditError, isS3404Error, type AuditErrorCode } from '@s3404/audit/errors';
import { verifyLog, type AuditEvent } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { collect, draft, memoryLog } from './helpers.js';

/** Values for every parameter a message may use; language-valued ones as { fr, en }. */
const PARAMS = {
  seq: 12,
  line: 3,
  count: 2,
  limit: 1024,
  expected: 40,
  last: 30,
  bytes: 57,
  offset: 4096,
  months: 6,
  cutoff: '2024-03-31',
  format: 'xml',
  first: 21,
  time: '2000-01-01T00:00:00.000Z',
  latest: '2026-03-20T10:00:00.000Z',
  tolerance: 300,
  detail: { fr: 'racine de Merkle', en: 'Merkle root' },
  proof: { fr: "d'inclusion", en: 'inclusion' },
};

/** What an English message must not hold: French letters, guillemets, French spacing before punctuation, common French words. */
const FRENCH =
  /[àâçéèêëîïôûùüÿœæ«»\u202f]|\s[:;!?]|\b(le|la|les|des|du|une|est|pas|séquence|ligne|octets|mois|point de contrôle|refusée?|invalide|indisponible|verrouillée)\b/i;

describe('AUDIT_ERRORS (X-2, conventions §3–§4)', () => {
  it('gives every code a kind and a message in French, in English without French, and French for an unknown locale', () => {
    expect(AUDIT_ERRORS.codes.length).toBeGreaterThan(20);
    for (const code of AUDIT_ERRORS.codes) {
      expect(['input', 'verdict', 'unavailable', 'internal']).toContain(AUDIT_ERRORS.kind(code));
      const fr = AUDIT_ERRORS.message(code, PARAMS, 'fr');
      const en = AUDIT_ERRORS.message(code, PARAMS, 'en');
      expect(fr, code).not.toBe(code);
      expect(en, code).not.toMatch(FRENCH);
      expect(en, code).not.toMatch(/\bundefined\b|\[object/);
      expect(AUDIT_ERRORS.message(code, PARAMS, 'de'), code).toBe(fr);
      expect(AUDIT_ERRORS.message(code, PARAMS, 'en_GB.UTF-8'), code).toBe(en);
      expect(AUDIT_ERRORS.message(code, {}, 'en'), code).not.toMatch(FRENCH);
    }
  });

  it('sorts the codes by what the caller should do', () => {
    const kind = (code: AuditErrorCode) => AUDIT_ERRORS.kind(code);
    expect([kind('ERR_AUDIT_STORE_UNAVAILABLE'), kind('ERR_AUDIT_LOCKED'), kind('ERR_AUDIT_CLOSED')]).toEqual(['unavailable', 'unavailable', 'unavailable']);
    expect([kind('ERR_AUDIT_EVENT_INVALID'), kind('ERR_AUDIT_PERIOD_INVALID'), kind('ERR_AUDIT_RETENTION_TOO_SHORT'), kind('ERR_AUDIT_EXPORT_FORMAT')]).toEqual(
      ['input', 'input', 'input', 'input'],
    );
    for (const code of [
      'ERR_AUDIT_HASH_MISMATCH',
      'ERR_AUDIT_SEQ_GAP',
      'ERR_AUDIT_LINE_INVALID',
      'ERR_AUDIT_CHECKPOINT_SIGNATURE',
      'ERR_AUDIT_PURGE_TOO_RECENT',
    ] as const)
      expect(kind(code), code).toBe('verdict');
  });

  it('throws AuditError with its code, kind and params, in the locale asked for (unknown → French, never a throw)', async () => {
    const log = memoryLog({ locale: 'en-GB' as never });
    const e = await log.append({ ...draft(0), action: 'signature.stolen' as never }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AuditError);
    expect(isS3404Error(e)).toBe(true);
    expect(e).toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID', kind: 'input', name: 'AuditError' });
    expect((e as AuditError).message).toMatch(/^Invalid trace event: action: /);
    expect((e as AuditError).messageIn('fr')).toMatch(/^Événement de trace invalide : action : /);
    const klingon = memoryLog({ locale: 'tlh' as never });
    await expect(klingon.append({ ...draft(0), action: 'x' as never })).rejects.toThrow(/^Événement de trace invalide/);
  });

  it('ends a message whose detail is another sentence with one period, not two', () => {
    const e = new AuditError('ERR_AUDIT_STORE_UNAVAILABLE', { params: { detail: "Impossible d'écrire le fichier /x (EISDIR) : rien n'a été écrit." } });
    expect(e.message).toBe("Stockage des traces indisponible : Impossible d'écrire le fichier /x (EISDIR) : rien n'a été écrit.");
    expect(e.messageIn('en')).toBe("Trace store unavailable: Impossible d'écrire le fichier /x (EISDIR) : rien n'a été écrit.");
    expect(new AuditError('ERR_AUDIT_STORE_UNAVAILABLE', { params: { detail: 'postgres append: 57P01' } }).messageIn('en')).toBe(
      'Trace store unavailable: postgres append: 57P01.',
    );
  });

  it('verifyLog names a damaged checkpoint in English without French, and in French by default', async () => {
    const store = new MemoryAuditStore();
    const log = memoryLog({ store, signer: { subject: 'CN=test', sign: async () => new Uint8Array([1, 2, 3]) } });
    for (let i = 0; i < 4; i++) await log.append(draft(i));
    await log.checkpoint();
    const lines = new TextDecoder()
      .decode(await collect(store.lines()))
      .split('\n')
      .slice(0, -1);
    const cp = JSON.parse(lines[4]!) as AuditEvent;
    // The body's previous checkpoint rewritten and the event re-hashed consistently: the checkpoint check names it.
    const { canonicalJson } = await import('@s3404/core');
    const { createHash } = await import('node:crypto');
    const { hash: _h, ...rest } = {
      ...cp,
      checkpoint: { ...cp.checkpoint!, body: cp.checkpoint!.body.replace('previous none', `previous ${'a'.repeat(64)}`) },
    };
    lines[4] = canonicalJson({
      ...rest,
      hash: createHash('sha256')
        .update(Buffer.concat([Buffer.of(0), Buffer.from(canonicalJson(rest))]))
        .digest('hex'),
    });
    const text = lines.map((l) => `${l}\n`).join('');
    const en = await verifyLog(text, { locale: 'en' });
    expect(en).toMatchObject({ ok: false, damage: { kind: 'modified', seq: 5, code: 'ERR_AUDIT_CHECKPOINT_INVALID' } });
    expect(en.issues).toEqual([{ code: 'ERR_AUDIT_CHECKPOINT_INVALID', path: [4], message: en.damage!.message }]);
    expect(en.damage!.message).toBe('Inconsistent checkpoint (sequence 5): previous checkpoint.');
    expect((await verifyLog(text)).damage!.message).toBe('Point de contrôle incohérent (séquence 5) : point de contrôle précédent.');
  });
});
