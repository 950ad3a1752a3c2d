/**
 * Writes `test-vectors/audit/chains.json` and its fixtures (AUD-1, AUD-2, X-3):
 * a trace written by `@s3404/audit` (file store, fixed clock, seeded ids,
 * checkpoints signed through `createContentSigner` of `@s3404/seal` on a
 * development PKI), then damaged copies. Each verdict is written by hand in
 * the table below; the generator only checks that `verifyLog` agrees, and
 * stops otherwise.
 *
 * Run: `cd packages/conformance && npx tsx --conditions=@s3404/source generate/audit-chains.ts`
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson, type ContentSigner } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { createAuditLog, verifyLog, type AuditEvent, type AuditEventDraft } from '@s3404/audit';
import { FileAuditStore } from '@s3404/audit/file';
import { createContentSigner, createContentVerifier, readPemCertificates } from '@s3404/seal';
import { seeded, seededPki } from './seeded.js';
import { writeOwnFixtures, writeVectorFile, type FixtureOut } from './vectors-output.js';

const T0 = new Date('2026-03-20T10:00:00.000Z');
/** The verification instant written in every vector: the certificates are valid then, whatever the date of the run. */
const VERIFIED_AT = '2026-04-20T10:00:00.000Z';

/** Every family of action AUD-1 names, with its author, subject and outcome. */
const STORY: AuditEventDraft[] = [
  {
    action: 'bordereau.generated',
    actor: { personId: 'dir-0042', role: 'director', terminalId: 'poste-1' },
    subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', finess: '750300360' },
    outcome: 'success',
  },
  {
    action: 'signature.context-shown',
    actor: { personId: 'prat-1', role: 'practitioner', terminalId: 'tablette-1' },
    subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: 1, contextNonce: 'n-0001' },
    outcome: 'success',
  },
  {
    action: 'signature.captured',
    actor: { personId: 'prat-1', role: 'practitioner', terminalId: 'tablette-1' },
    subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: 1, contextNonce: 'n-0001' },
    outcome: 'success',
  },
  {
    action: 'signature.sealed',
    actor: { personId: 'svc', role: 'service', terminalId: 'serveur-1' },
    subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: 1, recordId: 'rec-0001' },
    outcome: 'success',
  },
  { action: 'signature.consumed', actor: { personId: 'svc', role: 'service', terminalId: 'serveur-1' }, subject: { recordId: 'rec-0001' }, outcome: 'success' },
  {
    action: 'signature.applied',
    actor: { personId: 'svc', role: 'service', terminalId: 'serveur-1' },
    subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: 1, recordId: 'rec-0001' },
    outcome: 'success',
  },
  {
    action: 'signature.refused',
    actor: { personId: 'svc', role: 'service', terminalId: 'serveur-1' },
    subject: { recordId: 'rec-0001' },
    outcome: 'refused',
    code: 'ERR_RECORD_REPLAYED',
  },
  {
    action: 'signature.expired',
    actor: { personId: 'svc', role: 'service', terminalId: 'serveur-1' },
    subject: { contextNonce: 'n-0002' },
    outcome: 'refused',
    code: 'ERR_CONTEXT_EXPIRED',
  },
  {
    action: 'authorization.denied',
    actor: { personId: 'prat-9', role: 'practitioner', terminalId: 'tablette-2' },
    subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: 2 },
    outcome: 'refused',
    code: 'ERR_SIGNER_UNAUTHORIZED',
  },
  {
    action: 'accounting-day.validated',
    actor: { personId: 'dir-0042', role: 'director', terminalId: 'poste-1' },
    subject: { day: '2026-03-20', finess: '750300360' },
    outcome: 'success',
  },
  {
    action: 'lot.built',
    actor: { personId: 'svc', role: 'service', terminalId: 'serveur-1' },
    subject: { lotId: 'lot-001', finess: '750300360' },
    outcome: 'success',
  },
  { action: 'lot.sent', actor: { personId: 'svc', role: 'service', terminalId: 'serveur-1' }, subject: { lotId: 'lot-001' }, outcome: 'success' },
  { action: 'lot.arl-received', actor: { personId: 'svc', role: 'service', terminalId: 'serveur-1' }, subject: { lotId: 'lot-001' }, outcome: 'success' },
  { action: 'audit.export', actor: { personId: 'aud-1', role: 'auditor', terminalId: 'poste-2' }, subject: { exportId: 'exp-001' }, outcome: 'success' },
  {
    action: 'signature.context-shown',
    actor: { personId: 'prat-2', role: 'practitioner', terminalId: 'tablette-3' },
    subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: 2, contextNonce: 'n-0003' },
    outcome: 'success',
  },
  {
    action: 'signature.captured',
    actor: { personId: 'prat-2', role: 'practitioner', terminalId: 'tablette-3' },
    subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: 2, contextNonce: 'n-0003' },
    outcome: 'success',
  },
  {
    action: 'signature.sealed',
    actor: { personId: 'svc', role: 'service', terminalId: 'serveur-1' },
    subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: 2, recordId: 'rec-0002' },
    outcome: 'success',
  },
];

/** A trace: 10 events, a checkpoint, 7 events, a checkpoint, then `tail` unsealed events (the file store's bytes). */
async function trace(signer: ContentSigner | undefined, tail: AuditEventDraft[], withCheckpoints = true): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 's3404-vectors-'));
  try {
    let t = T0.getTime();
    const store = await FileAuditStore.open({ path: join(dir, 'trace.jsonl'), sync: 'none' });
    const log = createAuditLog({
      store,
      ...(signer === undefined ? {} : { signer }),
      origin: 'finess:750300360',
      random: seeded(3),
      now: () => new Date(t),
      sha256: nodeSha256,
    });
    const drafts = STORY;
    for (let i = 0; i < drafts.length; i++) {
      t += 60_000;
      await log.append(drafts[i]!);
      if (withCheckpoints && (i === 9 || i === drafts.length - 1)) {
        t += 1000;
        await log.checkpoint();
      }
    }
    for (const d of tail) {
      t += 60_000;
      await log.append(d);
    }
    await log.close?.();
    await store.close();
    return readFileSync(join(dir, 'trace.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l !== '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const TAIL: AuditEventDraft[] = [
  { action: 'lot.built', actor: { personId: 'svc', role: 'service', terminalId: 'serveur-1' }, subject: { lotId: 'lot-002' }, outcome: 'success' },
  {
    action: 'lot.sent',
    actor: { personId: 'svc', role: 'service', terminalId: 'serveur-1' },
    subject: { lotId: 'lot-002' },
    outcome: 'failure',
    code: 'ERR_TRANSPORT_UNAVAILABLE',
  },
  { action: 'lot.retried', actor: { personId: 'svc', role: 'service', terminalId: 'serveur-1' }, subject: { lotId: 'lot-002' }, outcome: 'success' },
];
const REWRITTEN_TAIL: AuditEventDraft[] = TAIL.map((d) => ({ ...d, subject: { lotId: 'lot-999' } }));

/** Re-computes an event's hash over its edited members (the link to its successor then breaks). */
function rehash(event: Record<string, unknown>): string {
  const { hash: _h, ...rest } = event;
  const hash = createHash('sha256')
    .update(Buffer.concat([Buffer.of(0), Buffer.from(canonicalJson(rest))]))
    .digest('hex');
  return canonicalJson({ ...rest, hash });
}
const edit = (line: string, change: (e: Record<string, unknown>) => Record<string, unknown>, recompute: boolean): string => {
  const e = change(JSON.parse(line) as Record<string, unknown>);
  return recompute ? rehash(e) : canonicalJson(e);
};

interface Case {
  readonly variant: string;
  readonly comment: string;
  readonly requirements: string[];
  readonly flags: string[];
  readonly lines: string[];
  readonly raw?: string;
  readonly anchor?: 'ca' | 'other';
  readonly expect?: { seq: number; hash: string };
  readonly result: 'valid' | 'invalid';
  readonly code?: string;
  readonly damage?: string;
}

async function main(): Promise<void> {
  const pki = await seededPki(11, { now: () => T0, validityDays: 3650 });
  const other = await seededPki(12, { now: () => T0, validityDays: 3650 });
  const signer = await createContentSigner({ key: pki.seal.privateKey, certificate: pki.seal.certificate, now: () => T0 });
  const stranger = await createContentSigner({ key: other.seal.privateKey, certificate: other.seal.certificate, now: () => T0 });
  const forger: ContentSigner = { subject: 'CN=forger', sign: async () => seeded(5)(new Uint8Array(512)) };

  const good = await trace(signer, TAIL);
  const rewritten = await trace(signer, REWRITTEN_TAIL);
  const unsigned = await trace(undefined, TAIL, false);
  const forged = await trace(forger, []);
  const foreign = await trace(stranger, []);
  const cps = good.map((l, i) => (l.includes('"audit.checkpoint"') ? i : -1)).filter((i) => i >= 0);
  const lastCp = cps[cps.length - 1]!;
  const head = JSON.parse(good[good.length - 1]!) as AuditEvent;
  const witnessed = { seq: head.seq, hash: head.hash };
  const n = good.length;
  const at = (i: number) => good[i]!;
  const ev = (i: number) => JSON.parse(at(i)) as AuditEvent;

  const cases: Case[] = [
    {
      variant: 'intact',
      comment: 'trace intacte écrite par @s3404/audit (stockage fichier), deux points de contrôle signés, trois événements non scellés',
      requirements: ['AUD-2', 'AUD-1'],
      flags: ['BASIC'],
      lines: good,
      result: 'valid',
    },
    {
      variant: 'witnessed',
      comment: 'trace intacte, tête témoin conforme (seq et hash du dernier événement)',
      requirements: ['AUD-2'],
      flags: ['BASIC'],
      lines: good,
      expect: witnessed,
      result: 'valid',
    },
    {
      variant: 'sealed-prefix',
      comment: 'trace arrêtée sur son dernier point de contrôle : un préfixe scellé est une trace valide',
      requirements: ['AUD-2'],
      flags: ['EDGE'],
      lines: good.slice(0, lastCp + 1),
      result: 'valid',
    },
    {
      variant: 'first-period',
      comment: 'trace arrêtée sur son premier point de contrôle',
      requirements: ['AUD-2'],
      flags: ['EDGE'],
      lines: good.slice(0, cps[0]! + 1),
      result: 'valid',
    },
    {
      variant: 'genesis-only',
      comment: 'un seul événement (séquence 1, prev à zéro)',
      requirements: ['AUD-2', 'AUD-1'],
      flags: ['EDGE'],
      lines: good.slice(0, 1),
      result: 'valid',
    },
    {
      variant: 'unsigned',
      comment: 'trace sans point de contrôle (aucun signataire configuré) : la chaîne seule, valide',
      requirements: ['AUD-2', 'AUD-1'],
      flags: ['EDGE'],
      lines: unsigned,
      result: 'valid',
    },
    {
      variant: 'deleted-middle',
      comment: 'un événement supprimé au milieu de la première période (séquence 4)',
      requirements: ['AUD-2'],
      flags: ['DELETION'],
      lines: good.filter((_, i) => i !== 3),
      result: 'invalid',
      code: 'ERR_AUDIT_SEQ_GAP',
      damage: 'deleted',
    },
    {
      variant: 'deleted-tail',
      comment: 'un événement non scellé supprimé avant le dernier',
      requirements: ['AUD-2'],
      flags: ['DELETION'],
      lines: good.filter((_, i) => i !== n - 2),
      result: 'invalid',
      code: 'ERR_AUDIT_SEQ_GAP',
      damage: 'deleted',
    },
    {
      variant: 'deleted-checkpoint',
      comment: 'le premier point de contrôle supprimé',
      requirements: ['AUD-2'],
      flags: ['DELETION'],
      lines: good.filter((_, i) => i !== cps[0]),
      result: 'invalid',
      code: 'ERR_AUDIT_SEQ_GAP',
      damage: 'deleted',
    },
    {
      variant: 'inserted-duplicate',
      comment: 'un événement recopié (séquence dupliquée)',
      requirements: ['AUD-2'],
      flags: ['INSERTION'],
      lines: [...good.slice(0, 5), at(4), ...good.slice(5)],
      result: 'invalid',
      code: 'ERR_AUDIT_SEQ_DUPLICATE',
      damage: 'inserted',
    },
    {
      variant: 'inserted-forged',
      comment: 'un événement fabriqué inséré avec la séquence d’un existant et un hash recalculé',
      requirements: ['AUD-2'],
      flags: ['INSERTION'],
      lines: [...good.slice(0, 5), edit(at(5), (e) => ({ ...e, seq: ev(4).seq, prev: ev(3).hash, outcome: 'refused' }), true), ...good.slice(5)],
      result: 'invalid',
      code: 'ERR_AUDIT_SEQ_DUPLICATE',
      damage: 'inserted',
    },
    {
      variant: 'reordered',
      comment: 'deux événements consécutifs échangés (séquences 6 et 7)',
      requirements: ['AUD-2'],
      flags: ['REORDER'],
      lines: [...good.slice(0, 5), at(6), at(5), ...good.slice(7)],
      result: 'invalid',
      code: 'ERR_AUDIT_SEQ_ORDER',
      damage: 'reordered',
    },
    {
      variant: 'head-cut',
      comment: 'les cinq premiers événements coupés, sans purge scellée qui l’explique',
      requirements: ['AUD-2'],
      flags: ['TRUNCATION'],
      lines: good.slice(5),
      result: 'invalid',
      code: 'ERR_AUDIT_HEAD_MISSING',
      damage: 'deleted',
    },
    {
      variant: 'head-cut-at-checkpoint',
      comment: 'trace qui commence à un point de contrôle sans l’événement de purge de conservation',
      requirements: ['AUD-2', 'AUD-3'],
      flags: ['TRUNCATION'],
      lines: good.slice(cps[0]!),
      result: 'invalid',
      code: 'ERR_AUDIT_HEAD_TRUNCATED',
      damage: 'truncated-head',
    },
    {
      variant: 'tail-cut-witnessed',
      comment: 'les deux derniers événements coupés ; la tête témoin les nomme',
      requirements: ['AUD-2'],
      flags: ['TRUNCATION'],
      lines: good.slice(0, n - 2),
      expect: witnessed,
      result: 'invalid',
      code: 'ERR_AUDIT_TRUNCATED',
      damage: 'truncated',
    },
    {
      variant: 'torn-tail',
      comment: 'dernière ligne déchirée (écriture interrompue)',
      requirements: ['AUD-2'],
      flags: ['TRUNCATION'],
      lines: good.slice(0, n - 1),
      raw: `${good.slice(0, n - 1).join('\n')}\n${at(n - 1).slice(0, 80)}`,
      result: 'invalid',
      code: 'ERR_AUDIT_TORN_TAIL',
      damage: 'truncated',
    },
    {
      variant: 'edited-outcome',
      comment: 'le résultat d’un événement scellé changé (refused → success), hash laissé',
      requirements: ['AUD-2'],
      flags: ['EDIT'],
      lines: good.map((l, i) => (i === 6 ? edit(l, (e) => ({ ...e, outcome: 'success' }), false) : l)),
      result: 'invalid',
      code: 'ERR_AUDIT_HASH_MISMATCH',
      damage: 'modified',
    },
    {
      variant: 'edited-rehashed',
      comment: 'l’auteur d’un événement scellé changé et son hash recalculé : le lien suivant casse',
      requirements: ['AUD-2'],
      flags: ['EDIT'],
      lines: good.map((l, i) => (i === 2 ? edit(l, (e) => ({ ...e, actor: { ...(e['actor'] as object), personId: 'prat-7' } }), true) : l)),
      result: 'invalid',
      code: 'ERR_AUDIT_LINK_BROKEN',
      damage: 'modified',
    },
    {
      variant: 'edited-checkpoint-root',
      comment: 'la racine de Merkle du premier point de contrôle changée',
      requirements: ['AUD-2'],
      flags: ['EDIT'],
      lines: good.map((l, i) => (i === cps[0] ? l.replace(/root [A-Za-z0-9+/]{43}=/, `root ${'A'.repeat(43)}=`) : l)),
      result: 'invalid',
      code: 'ERR_AUDIT_HASH_MISMATCH',
      damage: 'modified',
    },
    {
      variant: 'rewritten-after-checkpoint',
      comment: 'tout ce qui suit le dernier point de contrôle réécrit de façon cohérente ; la tête témoin le révèle',
      requirements: ['AUD-2'],
      flags: ['REWRITE'],
      lines: rewritten,
      expect: witnessed,
      result: 'invalid',
      code: 'ERR_AUDIT_HASH_MISMATCH',
      damage: 'modified',
    },
    {
      variant: 'forged-signature',
      comment: 'points de contrôle à signature fabriquée (octets aléatoires), chaîne cohérente',
      requirements: ['AUD-2'],
      flags: ['FORGED'],
      lines: forged,
      result: 'invalid',
      code: 'ERR_AUDIT_CHECKPOINT_SIGNATURE',
      damage: 'modified',
    },
    {
      variant: 'untrusted-key',
      comment: 'points de contrôle signés par un cachet d’une autre AC, chaîne cohérente',
      requirements: ['AUD-2'],
      flags: ['UNTRUSTED'],
      lines: foreign,
      result: 'invalid',
      code: 'ERR_AUDIT_CHECKPOINT_SIGNATURE',
      damage: 'modified',
    },
    {
      variant: 'wrong-anchor',
      comment: 'trace intacte vérifiée avec l’ancre d’une autre AC',
      requirements: ['AUD-2'],
      flags: ['UNTRUSTED'],
      lines: good,
      anchor: 'other',
      result: 'invalid',
      code: 'ERR_AUDIT_CHECKPOINT_SIGNATURE',
      damage: 'modified',
    },
    {
      variant: 'backdated',
      comment: 'le dernier événement daté une heure avant le précédent, hash recalculé',
      requirements: ['AUD-2'],
      flags: ['EDIT'],
      lines: good.map((l, i) => (i === n - 1 ? edit(l, (e) => ({ ...e, time: new Date(Date.parse(ev(n - 2).time) - 3_600_000).toISOString() }), true) : l)),
      result: 'invalid',
      code: 'ERR_AUDIT_TIME_BACKWARDS',
      damage: 'backdated',
    },
    {
      variant: 'unknown-action',
      comment: 'le dernier événement porte une action hors catalogue, hash recalculé',
      requirements: ['AUD-1', 'AUD-2'],
      flags: ['SCHEMA'],
      lines: good.map((l, i) => (i === n - 1 ? edit(l, (e) => ({ ...e, action: 'signature.erased' }), true) : l)),
      result: 'invalid',
      code: 'ERR_AUDIT_LINE_INVALID',
      damage: 'modified',
    },
    {
      variant: 'not-json',
      comment: 'une ligne qui n’est pas du JSON insérée',
      requirements: ['AUD-2'],
      flags: ['MALFORMED'],
      lines: [...good.slice(0, 3), '{"v":1,"seq":', ...good.slice(3)],
      result: 'invalid',
      code: 'ERR_AUDIT_LINE_INVALID',
      damage: 'modified',
    },
  ];

  const verifiedAt = new Date(VERIFIED_AT);
  const anchors = { ca: pki.files['ca.pem'], other: other.files['ca.pem'] };
  const written: FixtureOut[] = [];
  const fixture = (name: string, bytes: string | Uint8Array, reason: string) => {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    written.push({ name, bytes, reason });
    return { file: `fixtures/${name}`, sha256 };
  };
  const ca = fixture('audit-AUD-2-t00-pass-ca.pem', anchors.ca, 'AC de développement du cachet qui signe les points de contrôle');
  const otherCa = fixture('audit-AUD-2-t00-fail-other-ca.pem', anchors.other, 'AC d’une autre PKI de développement');
  const tests: unknown[] = [];
  let tcId = 0;
  const mismatches: string[] = [];
  for (const c of cases) {
    tcId++;
    const bytes = c.raw ?? `${c.lines.join('\n')}\n`;
    const anchorPem = c.anchor === 'other' ? anchors.other : anchors.ca;
    const report = await verifyLog(bytes, {
      verifier: createContentVerifier({ trustAnchors: readPemCertificates(anchorPem), now: () => verifiedAt }),
      now: () => verifiedAt,
      strict: true,
      sha256: nodeSha256,
      ...(c.expect === undefined ? {} : { expect: c.expect }),
    });
    const code = report.issues[0]?.code;
    const kind = report.damage?.kind;
    if (c.result === 'invalid' && (c.code === undefined || c.damage === undefined)) mismatches.push(`${c.variant}: no code or damage in the table`);
    if (report.ok !== (c.result === 'valid') || (c.damage !== undefined && kind !== c.damage) || (c.code !== undefined && code !== c.code))
      mismatches.push(`${c.variant}: verifyLog answers ok=${report.ok} ${code} ${kind}, the table says ${c.result} ${c.code} ${c.damage}`);
    const req = c.requirements[0]!;
    const file = fixture(`audit-${req}-t${String(tcId).padStart(2, '0')}-${c.result === 'valid' ? 'pass' : 'fail'}-${c.variant}.jsonl`, bytes, c.comment);
    const expected = c.result === 'valid' ? undefined : { code: c.code, damage: c.damage };
    tests.push({
      tcId,
      comment: c.comment,
      requirements: c.requirements,
      flags: c.flags,
      input: {
        trace: file,
        trustAnchors: [c.anchor === 'other' ? otherCa : ca],
        verifiedAt: VERIFIED_AT,
        ...(c.expect === undefined ? {} : { expect: c.expect }),
      },
      result: c.result,
      ...(expected === undefined ? {} : { expected }),
    });
  }
  if (mismatches.length > 0) throw new Error(mismatches.join('\n'));
  writeOwnFixtures('audit', 'chains.json', written);
  const vectors = {
    schema: 's3404-test-vectors/2.0',
    area: 'audit',
    title: 'Traces chaînées et scellées : trace intacte et copies endommagées / hash-chained, sealed traces: intact and damaged copies',
    generator: 'packages/conformance/generate/audit-chains.ts',
    notes: {
      BASIC: { bugType: 'BASIC', description: 'trace intacte / intact trace' },
      EDGE: { bugType: 'EDGE_CASE', description: 'trace valide à la limite (préfixe scellé, un seul événement, sans signataire) / valid edge trace' },
      DELETION: { bugType: 'DAMAGED', description: 'événement supprimé / deleted event' },
      INSERTION: { bugType: 'DAMAGED', description: 'événement inséré / inserted event' },
      REORDER: { bugType: 'DAMAGED', description: 'événements réordonnés / reordered events' },
      TRUNCATION: { bugType: 'DAMAGED', description: 'trace coupée (tête ou queue) / truncated trace' },
      EDIT: { bugType: 'MODIFIED_AFTER_SEAL', description: 'champ d’un événement modifié / edited event' },
      REWRITE: {
        bugType: 'MODIFIED_AFTER_SEAL',
        description: 'réécriture cohérente après le dernier point de contrôle / consistent rewrite after the last checkpoint',
      },
      FORGED: { bugType: 'FORGERY', description: 'signature de point de contrôle fabriquée / forged checkpoint signature' },
      UNTRUSTED: { bugType: 'FORGERY', description: 'point de contrôle signé hors des ancres de confiance / checkpoint signed outside the trust anchors' },
      SCHEMA: { bugType: 'MALFORMED_INPUT', description: 'événement refusé par le schéma / event refused by the schema' },
      MALFORMED: { bugType: 'MALFORMED_INPUT', description: 'ligne illisible / unreadable line' },
    },
    numberOfTests: tests.length,
    testGroups: [
      {
        type: 'audit-chain',
        comment:
          'input.trace : la trace (JSON Lines) ; input.trustAnchors : AC des cachets ; input.expect : tête témoin ; expected.damage : le dommage de verifyLog',
        tests,
      },
    ],
  };
  writeVectorFile('audit', 'chains.json', vectors);
  console.log(`${tests.length} vectors, ${cases.filter((c) => c.result === 'invalid').length} invalid`);
}

await main();
