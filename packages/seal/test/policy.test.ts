import { describe, expect, it } from 'vitest';
import { createBordereauId } from '@s3404/form';
import {
  accountingDayScope,
  createCapture,
  createCaptureContext,
  createVerifier,
  dayBordereauxDigest,
  MemoryContextRegistry,
  type CaptureContext,
  type Scope,
} from '@s3404/seal';
import { at, FINESS, fixture, makePng, RPPS_A, RPPS_B, seededRandom, strokes, T0, type Fixture, CONTENT_HASH, OTHER_CONTENT_HASH } from './helpers.js';

const verifierFor = (f: Fixture, locale?: 'fr' | 'en') =>
  createVerifier({ trustAnchors: [f.pki.ca.certificate], now: () => at(600), ...(locale === undefined ? {} : { locale }) });

describe('capture context (SIG-1)', () => {
  it('gives the screen the French timestamp with seconds, the identifier and the role', () => {
    const bordereauId = createBordereauId({ random: seededRandom(3) });
    const ctx = createCaptureContext({
      scope: { kind: 'bordereau', bordereauId, contentHash: CONTENT_HASH },
      role: 'insured',
      signer: { id: 'p', name: 'Jeanne Martin' },
      terminalId: 'tablette-3',
      now: () => new Date('2026-03-20T10:00:07.250Z'),
      random: seededRandom(1),
    });
    expect(ctx.display.timestamp).toBe('20/03/2026 11:00:07');
    expect(ctx.display.lines).toEqual([
      'Signature du 20/03/2026 11:00:07',
      `Bordereau ${bordereauId}`,
      `Empreinte SHA-256 du contenu : ${CONTENT_HASH}`,
      'Assuré(e) : Jeanne Martin',
    ]);
    expect(ctx.token.nonce).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(ctx.token.issuedAt).toBe('2026-03-20T10:00:07.250Z');
    expect(ctx.token.expiresAt).toBe('2026-03-20T10:05:07.250Z');
    const summer = createCaptureContext({
      scope: { kind: 'bordereau', bordereauId, contentHash: CONTENT_HASH },
      role: 'director',
      signer: { id: 'd', name: 'D' },
      terminalId: 't',
      now: () => new Date('2026-07-01T22:30:00Z'),
      locale: 'en',
    });
    expect(summer.display.timestamp).toBe('02/07/2026 00:30:00');
    expect(summer.display.lines[0]).toBe('Signature of 02/07/2026 00:30:00');
    expect(summer.display.role).toBe('Establishment director');
  });

  it('shows « journée comptable » for an accounting day and « Mandat » for a mandate', () => {
    const ids = [1, 2, 3].map((s) => createBordereauId({ random: seededRandom(s) }));
    const scope = accountingDayScope({ finess: FINESS, day: '2026-03-19', bordereaux: ids.map((bordereauId) => ({ bordereauId, contentHash: CONTENT_HASH })) });
    const day = createCaptureContext({ scope, role: 'director', signer: { id: 'dir-1', name: 'M. Durand' }, terminalId: 't', now: () => T0 });
    expect(day.display.accountingDay).toBe('19/03/2026 journée comptable');
    expect(day.display.lines).toContain('3 bordereau(x)');
    const line = createCaptureContext({
      scope: { kind: 'line', bordereauId: ids[0]!, contentHash: CONTENT_HASH, line: 2, practitionerRpps: RPPS_B },
      role: 'director',
      signer: { id: 'dir-1', name: 'M. Durand' },
      terminalId: 't',
      mandate: { reference: 'MDT-2026-001' },
      now: () => T0,
    });
    expect(line.display.lines).toEqual([
      'Signature du 20/03/2026 11:00:00',
      `Bordereau ${ids[0]}`,
      'Ligne 2',
      `Empreinte SHA-256 du contenu : ${CONTENT_HASH}`,
      "Directeur de l'établissement : M. Durand",
      'Mandat',
    ]);
  });

  it('refuses invalid scopes, roles and identifiers with coded errors', () => {
    const base = { role: 'insured' as const, signer: { id: 'p', name: 'P' }, terminalId: 't' };
    // A malformed identifier is named as malformed (issue 14 #16), not "ERR_RECORD_INVALID (scope)".
    expect(() => createCaptureContext({ ...base, scope: { kind: 'bordereau', bordereauId: 'nope', contentHash: CONTENT_HASH } })).toThrow(
      expect.objectContaining({ code: 'ERR_BORDEREAU_ID_FORMAT', kind: 'input' }),
    );
    expect(() =>
      createCaptureContext({
        ...base,
        scope: { kind: 'line', bordereauId: createBordereauId(), contentHash: CONTENT_HASH, line: 1, practitionerRpps: '12345678901' },
      }),
    ).toThrow(expect.objectContaining({ code: 'ERR_RECORD_INVALID' }));
    expect(() =>
      createCaptureContext({ ...base, role: 'boss' as never, scope: { kind: 'bordereau', bordereauId: createBordereauId(), contentHash: CONTENT_HASH } }),
    ).toThrow(expect.objectContaining({ code: 'ERR_RECORD_INVALID' }));
    expect(() => accountingDayScope({ finess: FINESS, day: '2026-03-19', bordereaux: [] })).toThrow(expect.objectContaining({ code: 'ERR_RECORD_INVALID' }));
    const id = createBordereauId();
    // One identifier twice is refused, even with two contents (SIG-10).
    expect(() =>
      dayBordereauxDigest([
        { bordereauId: id, contentHash: CONTENT_HASH },
        { bordereauId: id, contentHash: OTHER_CONTENT_HASH },
      ]),
    ).toThrow(expect.objectContaining({ code: 'ERR_RECORD_INVALID' }));
    expect(() => dayBordereauxDigest([{ bordereauId: id, contentHash: CONTENT_HASH.toUpperCase() }])).toThrow(
      expect.objectContaining({ code: 'ERR_RECORD_INVALID' }),
    );
    // The 1.0 option is a programmer's mistake, named as such.
    expect(() => accountingDayScope({ finess: FINESS, day: '2026-03-19', bordereauIds: [id] } as never)).toThrow(TypeError);
  });

  it('opens a context for the content hash, shows it as the PDF prints it, and refuses a capture for another hash (SIG-1, SIG-4)', async () => {
    const f = await fixture();
    const base = { role: 'insured' as const, signer: { id: 'p', name: 'P' }, terminalId: 'tablette-3' };
    const ctx = await f.sealer.openContext({ ...base, scope: { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: f.contentHash } });
    expect(ctx.display.contentHash).toBe(f.contentHash);
    // All 64 digits, as the footer of every page of the PDF prints them.
    expect(ctx.display.lines).toContain(`Empreinte SHA-256 du contenu : ${f.contentHash}`);
    const en = createCaptureContext({ ...base, scope: ctx.scope, now: () => T0, locale: 'en' });
    expect(en.display.lines).toContain(`Content SHA-256: ${f.contentHash}`);
    // No hash, or a malformed one: the scope is refused, named.
    for (const contentHash of [undefined, 'abc', f.contentHash.toUpperCase()]) {
      const scope = { kind: 'bordereau', bordereauId: f.bordereauId, ...(contentHash === undefined ? {} : { contentHash }) } as Scope;
      await expect(f.sealer.openContext({ ...base, scope })).rejects.toMatchObject({ code: 'ERR_RECORD_INVALID', params: { detail: 'scope.contentHash' } });
    }
    // A capture whose scope carries another content hash than the context shown: refused, traced, nothing sealed.
    const forged = { ...createCapture(ctx, { image: makePng(), capturedAt: at(2) }), scope: { ...ctx.scope, contentHash: OTHER_CONTENT_HASH } as Scope };
    await expect(f.sealer.seal(forged)).rejects.toMatchObject({ code: 'ERR_CONTEXT_MISMATCH', params: { field: 'scope.contentHash' } });
    expect(f.trace.events.filter((e) => e.action === 'signature.refused').map((e) => e.code)).toEqual(['ERR_CONTEXT_MISMATCH']);
    expect(f.trace.events.some((e) => e.action === 'signature.sealed')).toBe(false);
    // The context is spent: the same capture with the right hash now finds no context.
    await expect(f.sealer.seal(createCapture(ctx, { image: makePng(), capturedAt: at(2) }))).rejects.toMatchObject({ code: 'ERR_CONTEXT_UNKNOWN' });
  });

  it('refuses a capture whose context is unknown, expired, already used or different', async () => {
    const f = await fixture();
    const open = () =>
      f.sealer.openContext({
        scope: { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: CONTENT_HASH },
        role: 'insured',
        signer: { id: 'p', name: 'P' },
        terminalId: 'tablette-3',
        ttlSeconds: 60,
      });
    const ctx = await open();
    const good = createCapture(ctx, { image: makePng(), capturedAt: at(2) });
    // Unknown: a context this sealer never showed.
    const foreign = createCaptureContext({ scope: ctx.scope, role: 'insured', signer: ctx.signer, terminalId: 'tablette-3', now: () => T0 });
    await expect(f.sealer.seal(createCapture(foreign, { image: makePng(), capturedAt: at(2) }))).rejects.toMatchObject({ code: 'ERR_CONTEXT_UNKNOWN' });
    // Different: another bordereau, role, signer or terminal than shown.
    const other = createBordereauId({ random: seededRandom(77) });
    for (const [field, capture] of [
      ['scope', { ...good, scope: { kind: 'bordereau', bordereauId: other, contentHash: CONTENT_HASH } as Scope }],
      // The same bordereau, other content than the one shown (SIG-1, SIG-4).
      ['scope.contentHash', { ...good, scope: { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: OTHER_CONTENT_HASH } as Scope }],
      ['role', { ...good, role: 'director' as const }],
      ['signer', { ...good, signer: { id: 'p', name: 'Quelqu’un d’autre' } }],
      ['terminal', { ...good, terminal: { id: 'tablette-9' } }],
    ] as const) {
      const c = await open();
      await expect(f.sealer.seal({ ...capture, context: c.token })).rejects.toMatchObject({ code: 'ERR_CONTEXT_MISMATCH', params: { field } });
    }
    // A capture time outside the context's window.
    const early = await open();
    await expect(f.sealer.seal(createCapture(early, { image: makePng(), capturedAt: at(-30) }))).rejects.toMatchObject({
      code: 'ERR_CONTEXT_MISMATCH',
      params: { field: 'capturedAt' },
    });
    // Expired.
    const late = await open();
    f.clock.now = at(61);
    await expect(f.sealer.seal(createCapture(late, { image: makePng(), capturedAt: at(59) }))).rejects.toMatchObject({ code: 'ERR_CONTEXT_EXPIRED' });
    // Used once: the second seal with the same context is unknown.
    f.clock.now = T0;
    const once = await open();
    await f.sealer.seal(createCapture(once, { image: makePng(), capturedAt: at(1) }));
    await expect(f.sealer.seal(createCapture(once, { image: makePng(), capturedAt: at(1) }))).rejects.toMatchObject({ code: 'ERR_CONTEXT_UNKNOWN' });
    // Every refusal is traced with its code.
    const refused = f.trace.events.filter((e) => e.outcome === 'refused').map((e) => e.code);
    expect(refused).toEqual([
      'ERR_CONTEXT_UNKNOWN',
      'ERR_CONTEXT_MISMATCH',
      'ERR_CONTEXT_MISMATCH',
      'ERR_CONTEXT_MISMATCH',
      'ERR_CONTEXT_MISMATCH',
      'ERR_CONTEXT_MISMATCH',
      'ERR_CONTEXT_MISMATCH',
      'ERR_CONTEXT_EXPIRED',
      'ERR_CONTEXT_UNKNOWN',
    ]);
    expect(JSON.stringify(f.trace.events)).not.toContain('iVBORw0KGgo'); // never the image
  });

  it('the memory registry forgets expired contexts', async () => {
    let now = T0;
    const registry = new MemoryContextRegistry({ now: () => now });
    const mk = () =>
      createCaptureContext({
        scope: { kind: 'bordereau', bordereauId: createBordereauId(), contentHash: CONTENT_HASH },
        role: 'insured',
        signer: { id: 'p', name: 'P' },
        terminalId: 't',
        now: () => now,
        ttlSeconds: 10,
      });
    registry.register(mk());
    now = at(30);
    registry.register(mk());
    expect(registry.size).toBe(2);
    expect(registry.sweep()).toBe(1);
    expect(registry.size).toBe(1);
    // Registering keeps the map bounded without an explicit sweep.
    for (let i = 0; i < 600; i++) registry.register(mk());
    now = at(60);
    for (let i = 0; i < 300; i++) registry.register(mk());
    expect(registry.size).toBeLessThan(601);
  });
});

describe('image and strokes (SIG-2)', () => {
  async function captureWith(f: Fixture, extra: { image?: Uint8Array; strokes?: unknown }) {
    const ctx = await f.sealer.openContext({
      scope: { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: CONTENT_HASH },
      role: 'insured',
      signer: { id: 'p', name: 'P' },
      terminalId: 't',
    });
    return f.sealer.seal({ ...createCapture(ctx, { image: extra.image ?? makePng(), capturedAt: at(1) }), strokes: extra.strokes as never });
  }

  it('refuses non-PNG, corrupted, oversized and out-of-range images', async () => {
    const f = await fixture();
    await expect(captureWith(f, { image: new TextEncoder().encode('GIF89a not a png at all, not at all, not at all') })).rejects.toMatchObject({
      code: 'ERR_IMAGE_NOT_PNG',
    });
    const png = makePng();
    const badCrc = Uint8Array.from(png);
    badCrc[30] = badCrc[30]! ^ 0xff;
    await expect(captureWith(f, { image: badCrc })).rejects.toMatchObject({ code: 'ERR_IMAGE_NOT_PNG' });
    await expect(captureWith(f, { image: png.subarray(0, png.length - 12) })).rejects.toMatchObject({ code: 'ERR_IMAGE_NOT_PNG' });
    await expect(captureWith(f, { image: makePng(8, 8) })).rejects.toMatchObject({ code: 'ERR_IMAGE_DIMENSIONS' });
    await expect(captureWith(f, { image: makePng(5000, 20) })).rejects.toMatchObject({ code: 'ERR_IMAGE_DIMENSIONS' });
    const small = await fixture({ overrides: { limits: { maxImageBytes: 100 } } });
    await expect(captureWith(small, { image: png })).rejects.toMatchObject({ code: 'ERR_IMAGE_TOO_LARGE', params: { limit: 100 } });
  });

  it('keeps valid strokes and refuses absurd ones', async () => {
    const f = await fixture();
    const ok = await captureWith(f, { strokes });
    expect(ok.record.strokes).toEqual(strokes);
    for (const bad of [
      [
        {
          pointerType: 'pen',
          points: [
            [10, 10, 0],
            [Number.NaN, 10, 5],
          ],
        },
      ],
      [
        {
          pointerType: 'pen',
          points: [
            [10, 10, 0],
            [1e9, 10, 5],
          ],
        },
      ],
      [
        {
          pointerType: 'pen',
          points: [
            [10, 10, 50],
            [11, 10, 5],
          ],
        },
      ],
      [{ pointerType: 'pen', points: [[10, 10, -1]] }],
      [{ pointerType: 'pen', points: [[10, 10, 0, 7]] }],
      [{ pointerType: 'pen', points: [[10, 10, 0, 0.5, 1]] }],
      [{ pointerType: 'stylus', points: [[10, 10, 0]] }],
      [{ pointerType: 'pen', points: [] }],
      [{ pointerType: 'pen', points: [[10, 10, 3_600_000]] }],
    ]) {
      await expect(captureWith(f, { strokes: bad })).rejects.toMatchObject({ code: expect.stringMatching(/^ERR_(STROKES|RECORD)_INVALID$/) });
    }
    const tight = await fixture({ overrides: { limits: { maxPoints: 3 } } });
    await expect(captureWith(tight, { strokes })).rejects.toMatchObject({ code: 'ERR_STROKES_INVALID' });
  });
});

describe('authorisation (SIG-7)', () => {
  it('allows staff in their roles only, and traces every denial with its reason', async () => {
    const f = await fixture();
    const scope: Scope = { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: CONTENT_HASH };
    await expect(f.sealer.openContext({ scope, role: 'director', signer: { id: 'intrus', name: 'X' }, terminalId: 't' })).rejects.toMatchObject({
      code: 'ERR_AUTH_DENIED',
      params: { reason: 'unknown-person' },
    });
    await expect(f.sealer.openContext({ scope, role: 'director', signer: { id: 'del-1', name: 'X' }, terminalId: 't' })).rejects.toMatchObject({
      params: { reason: 'role-not-granted' },
    });
    await expect(f.sealer.openContext({ scope, role: 'practitioner', signer: { id: 'dr-a', name: 'A', rpps: RPPS_A }, terminalId: 't' })).rejects.toMatchObject(
      {
        params: { reason: 'scope-not-allowed' },
      },
    );
    const line: Scope = { kind: 'line', bordereauId: f.bordereauId, contentHash: CONTENT_HASH, line: 1, practitionerRpps: RPPS_A };
    await expect(
      f.sealer.openContext({ scope: line, role: 'practitioner', signer: { id: 'dr-a', name: 'A', rpps: RPPS_B }, terminalId: 't' }),
    ).rejects.toMatchObject({
      params: { reason: 'rpps-mismatch' },
    });
    const ok = await f.sealer.openContext({ scope, role: 'director', signer: { id: 'dir-1', name: 'M. Durand' }, terminalId: 't' });
    expect(ok.role).toBe('director');
    const denied = f.trace.events.filter((e) => e.action === 'authorization.denied');
    expect(denied.map((e) => e.reason)).toEqual(['unknown-person', 'role-not-granted', 'scope-not-allowed', 'rpps-mismatch']);
    expect(denied[0]).toMatchObject({
      actor: { personId: 'intrus', role: 'director', terminalId: 't' },
      subject: { bordereauId: f.bordereauId },
      outcome: 'refused',
      at: T0.toISOString(),
    });
    expect(f.trace.events.filter((e) => e.action === 'signature.context-shown')).toHaveLength(1);
  });

  it('asks again at sealing time: a policy that changed in between denies the seal', async () => {
    let open = true;
    const f = await fixture({
      overrides: { authorizer: { authorize: (r) => (open || r.action === 'capture' ? { allow: true } : { allow: false, reason: 'revoked' }) } },
    });
    const ctx = await f.sealer.openContext({
      scope: { kind: 'bordereau', bordereauId: f.bordereauId, contentHash: CONTENT_HASH },
      role: 'insured',
      signer: { id: 'p', name: 'P' },
      terminalId: 't',
    });
    open = false;
    await expect(f.sealer.seal(createCapture(ctx, { image: makePng(), capturedAt: at(1) }))).rejects.toMatchObject({ code: 'ERR_AUTH_DENIED' });
    expect(f.trace.events.at(-1)).toMatchObject({ action: 'authorization.denied', reason: 'revoked' });
  });
});

describe('mandate (SIG-8) and proof agreement (SIG-9)', () => {
  async function signLine(
    f: Fixture,
    o: { signer: { id: string; name: string; rpps?: string }; role: 'practitioner' | 'director'; practitionerRpps: string; mandate?: string },
  ) {
    const ctx: CaptureContext = await f.sealer.openContext({
      scope: { kind: 'line', bordereauId: f.bordereauId, contentHash: CONTENT_HASH, line: 3, practitionerRpps: o.practitionerRpps },
      role: o.role,
      signer: o.signer,
      terminalId: 't',
      ...(o.mandate === undefined ? {} : { mandate: { reference: o.mandate } }),
    });
    return f.sealer.seal(createCapture(ctx, { image: makePng(), capturedAt: at(1) }));
  }

  it('seals a practitioner’s own line with their proof agreement reference', async () => {
    const f = await fixture();
    const sealed = await signLine(f, { signer: { id: 'dr-a', name: 'Dr A', rpps: RPPS_A }, role: 'practitioner', practitionerRpps: RPPS_A });
    expect(sealed.record.proofAgreement).toEqual({ reference: 'CDP-2026-003' });
    expect(sealed.record.mandate).toBeUndefined();
    expect(await verifierFor(f).verify(sealed.bytes, { expect: { bordereauId: f.bordereauId, line: 3, practitionerRpps: RPPS_A } })).toMatchObject({
      ok: true,
    });
  });

  it('refuses a practitioner without a valid proof agreement (none, expired, terminated)', async () => {
    const f = await fixture();
    await expect(signLine(f, { signer: { id: 'dr-b', name: 'Dr B', rpps: RPPS_B }, role: 'practitioner', practitionerRpps: RPPS_B })).rejects.toMatchObject({
      code: 'ERR_PROOF_AGREEMENT_MISSING',
      params: { rpps: RPPS_B },
    });
    f.agreements.add({ reference: 'CDP-OLD', rpps: RPPS_B, finess: FINESS, validFrom: '2025-01-01', validUntil: '2026-03-19' });
    await expect(signLine(f, { signer: { id: 'dr-b', name: 'Dr B', rpps: RPPS_B }, role: 'practitioner', practitionerRpps: RPPS_B })).rejects.toMatchObject({
      code: 'ERR_PROOF_AGREEMENT_MISSING',
    });
    f.agreements.add({ reference: 'CDP-OTHER', rpps: RPPS_B, finess: '010780054', validFrom: '2026-01-01' });
    await expect(signLine(f, { signer: { id: 'dr-b', name: 'Dr B', rpps: RPPS_B }, role: 'practitioner', practitionerRpps: RPPS_B })).rejects.toMatchObject({
      code: 'ERR_PROOF_AGREEMENT_MISSING',
    });
    f.agreements.terminate('CDP-2026-003', '2026-03-20');
    await expect(signLine(f, { signer: { id: 'dr-a', name: 'Dr A', rpps: RPPS_A }, role: 'practitioner', practitionerRpps: RPPS_A })).rejects.toMatchObject({
      code: 'ERR_PROOF_AGREEMENT_MISSING',
    });
  });

  it('seals the director’s signature on a practitioner line under a valid mandate, and refuses it otherwise', async () => {
    const f = await fixture();
    const sealed = await signLine(f, { signer: { id: 'dir-1', name: 'M. Durand' }, role: 'director', practitionerRpps: RPPS_B, mandate: 'MDT-2026-001' });
    expect(sealed.record.mandate).toEqual({ reference: 'MDT-2026-001' });
    expect(await verifierFor(f).verify(sealed.bytes, { expect: { bordereauId: f.bordereauId, line: 3 } })).toMatchObject({ ok: true });
    await expect(signLine(f, { signer: { id: 'dir-1', name: 'M. Durand' }, role: 'director', practitionerRpps: RPPS_B })).rejects.toMatchObject({
      code: 'ERR_MANDATE_REQUIRED',
    });
    await expect(
      signLine(f, { signer: { id: 'dir-1', name: 'M. Durand' }, role: 'director', practitionerRpps: RPPS_B, mandate: 'MDT-NONE' }),
    ).rejects.toMatchObject({ code: 'ERR_MANDATE_INVALID' });
    await expect(
      signLine(f, { signer: { id: 'dir-1', name: 'M. Durand' }, role: 'director', practitionerRpps: RPPS_A, mandate: 'MDT-2026-001' }),
    ).rejects.toMatchObject({ code: 'ERR_MANDATE_INVALID' });
    f.mandates.revoke('MDT-2026-001', '2026-03-01');
    await expect(
      signLine(f, { signer: { id: 'dir-1', name: 'M. Durand' }, role: 'director', practitionerRpps: RPPS_B, mandate: 'MDT-2026-001' }),
    ).rejects.toMatchObject({ code: 'ERR_MANDATE_INVALID' });
    // A colleague signs under mandate too; a mandate on one's own line is refused.
    f.mandates.add({ reference: 'MDT-COLL', mandatorRpps: RPPS_B, delegateId: 'dr-a', validFrom: '2026-01-01' });
    expect(
      (await signLine(f, { signer: { id: 'dr-a', name: 'Dr A', rpps: RPPS_A }, role: 'practitioner', practitionerRpps: RPPS_B, mandate: 'MDT-COLL' })).record
        .mandate,
    ).toEqual({ reference: 'MDT-COLL' });
    await expect(
      signLine(f, { signer: { id: 'dr-a', name: 'Dr A', rpps: RPPS_A }, role: 'practitioner', practitionerRpps: RPPS_A, mandate: 'MDT-COLL' }),
    ).rejects.toMatchObject({ code: 'ERR_RECORD_INVALID' });
  });
});

describe('binding (SIG-4) and journée comptable (SIG-10)', () => {
  it('refuses another bordereau, another line, another scope and another practitioner', async () => {
    const f = await fixture();
    const ctx = await f.sealer.openContext({
      scope: { kind: 'line', bordereauId: f.bordereauId, contentHash: CONTENT_HASH, line: 2, practitionerRpps: RPPS_A },
      role: 'practitioner',
      signer: { id: 'dr-a', name: 'A', rpps: RPPS_A },
      terminalId: 't',
    });
    const sealed = await f.sealer.seal(createCapture(ctx, { image: makePng(), capturedAt: at(1), strokes }));
    const v = verifierFor(f);
    const other = createBordereauId({ random: seededRandom(99) });
    expect(await v.verify(sealed.bytes, { expect: { bordereauId: other } })).toMatchObject({ ok: false, code: 'ERR_RECORD_WRONG_BORDEREAU' });
    expect(await v.verify(sealed.bytes, { expect: { bordereauId: f.bordereauId, line: 3 } })).toMatchObject({ ok: false, code: 'ERR_RECORD_WRONG_LINE' });
    expect(await v.verify(sealed.bytes, { expect: { bordereauId: f.bordereauId, scope: 'bordereau' } })).toMatchObject({
      ok: false,
      code: 'ERR_RECORD_WRONG_SCOPE',
    });
    expect(await v.verify(sealed.bytes, { expect: { bordereauId: f.bordereauId, practitionerRpps: RPPS_B } })).toMatchObject({
      ok: false,
      code: 'ERR_RECORD_WRONG_PRACTITIONER',
    });
    expect(await v.verify(sealed.bytes, { expect: { day: '2026-03-20' } })).toMatchObject({ ok: false, code: 'ERR_RECORD_WRONG_SCOPE' });
    // The same bordereau and line, other content (SIG-4): refused with its own code; the right content passes.
    const wrong = await verifierFor(f, 'en').verify(sealed.bytes, { expect: { bordereauId: f.bordereauId, contentHash: OTHER_CONTENT_HASH, line: 2 } });
    expect(wrong).toMatchObject({
      ok: false,
      code: 'ERR_RECORD_WRONG_CONTENT',
      message: 'The record was signed for other content of the bordereau (different content hash).',
    });
    expect(await v.verify(sealed.bytes, { expect: { bordereauId: f.bordereauId, contentHash: OTHER_CONTENT_HASH } })).toMatchObject({
      ok: false,
      code: 'ERR_RECORD_WRONG_CONTENT',
      message: 'L’enregistrement a été signé pour un autre contenu du bordereau (empreinte différente).',
    });
    expect(await v.verify(sealed.bytes, { expect: { bordereauId: f.bordereauId, contentHash: CONTENT_HASH, line: 2 } })).toMatchObject({ ok: true });
    // A malformed expected hash is the caller's mistake, not a verdict.
    await expect(v.verify(sealed.bytes, { expect: { bordereauId: f.bordereauId, contentHash: 'ABC' } })).rejects.toThrow(TypeError);
    // The identifier as a person types it is normalised.
    expect(await v.verify(sealed.bytes, { expect: { bordereauId: f.bordereauId.toLowerCase().replace(/-/g, ' '), line: 2 } })).toMatchObject({ ok: true });
  });

  it('binds a director’s day record to the exact set of the day’s bordereaux', async () => {
    const f = await fixture();
    const ids = [11, 12, 13, 14].map((s) => createBordereauId({ random: seededRandom(s) }));
    const entry = (bordereauId: string) => ({ bordereauId, contentHash: CONTENT_HASH });
    const set = ids.map(entry);
    const scope = accountingDayScope({ finess: FINESS, day: '2026-03-19', bordereaux: set });
    expect(scope.bordereaux.digest).toBe(dayBordereauxDigest([...set].reverse()));
    const ctx = await f.sealer.openContext({ scope, role: 'director', signer: { id: 'dir-1', name: 'M. Durand' }, terminalId: 'poste-direction' });
    const sealed = await f.sealer.seal(createCapture(ctx, { image: makePng(), capturedAt: at(3) }));
    const v = verifierFor(f);
    for (const id of ids) {
      expect(await v.verify(sealed.bytes, { expect: { bordereauId: id, day: '2026-03-19', finess: FINESS, dayBordereaux: set } })).toMatchObject({ ok: true });
    }
    const outsider = createBordereauId({ random: seededRandom(15) });
    expect(await v.verify(sealed.bytes, { expect: { bordereauId: outsider, dayBordereaux: set } })).toMatchObject({
      ok: false,
      code: 'ERR_RECORD_DAY_SET_MISMATCH',
    });
    // A bordereau added later changes the set: refused.
    expect(await v.verify(sealed.bytes, { expect: { bordereauId: outsider, dayBordereaux: [...set, entry(outsider)] } })).toMatchObject({
      ok: false,
      code: 'ERR_RECORD_DAY_SET_MISMATCH',
    });
    expect(await v.verify(sealed.bytes, { expect: { bordereauId: ids[0]!, dayBordereaux: set.slice(1) } })).toMatchObject({
      ok: false,
      code: 'ERR_RECORD_DAY_SET_MISMATCH',
    });
    expect(await v.verify(sealed.bytes, { expect: { bordereauId: ids[0]! } })).toMatchObject({ ok: false, code: 'ERR_RECORD_DAY_SET_MISMATCH' });
    expect(await v.verify(sealed.bytes, { expect: { day: '2026-03-20', dayBordereaux: set } })).toMatchObject({ ok: false, code: 'ERR_RECORD_WRONG_DAY' });
    expect(await v.verify(sealed.bytes, { expect: { finess: '010780054', dayBordereaux: set } })).toMatchObject({ ok: false, code: 'ERR_RECORD_WRONG_DAY' });
    // The same identifiers, one bordereau altered since (another content hash): not the set signed (SIG-4, SIG-10).
    const altered = set.map((e, i) => (i === 2 ? { ...e, contentHash: OTHER_CONTENT_HASH } : e));
    for (const id of ids) {
      expect(await v.verify(sealed.bytes, { expect: { bordereauId: id, dayBordereaux: altered } }), id).toMatchObject({
        ok: false,
        code: 'ERR_RECORD_DAY_SET_MISMATCH',
      });
    }
    // The right set, but the bordereau about to be signed has other content than its entry.
    expect(await v.verify(sealed.bytes, { expect: { bordereauId: ids[1]!, contentHash: OTHER_CONTENT_HASH, dayBordereaux: set } })).toMatchObject({
      ok: false,
      code: 'ERR_RECORD_DAY_SET_MISMATCH',
    });
    expect(await v.verify(sealed.bytes, { expect: { bordereauId: ids[1]!, contentHash: CONTENT_HASH, dayBordereaux: set } })).toMatchObject({ ok: true });
    // Only the director or delegate signs a day, and only for this establishment.
    await expect(f.sealer.openContext({ scope, role: 'insured', signer: { id: 'p', name: 'P' }, terminalId: 't' })).rejects.toMatchObject({
      code: 'ERR_AUTH_DENIED',
    });
    const elsewhere = accountingDayScope({ finess: '010780054', day: '2026-03-19', bordereaux: set });
    const ctx2 = await f.sealer.openContext({ scope: elsewhere, role: 'director', signer: { id: 'dir-1', name: 'M. Durand' }, terminalId: 't' });
    await expect(f.sealer.seal(createCapture(ctx2, { image: makePng(), capturedAt: at(3) }))).rejects.toMatchObject({ code: 'ERR_RECORD_INVALID' });
  });
});
