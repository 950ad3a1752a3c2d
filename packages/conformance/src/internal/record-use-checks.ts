import type { ConformanceSdk } from '../sdk.js';
import type { ArtifactCheck, CheckContext } from './artifact-checks.js';

/**
 * The SDK with the two verifications the checks of a file and
 * {@link recordUses} both ask for — `verifyBordereauPdf(pdf, {})` and
 * `verifyRecord(bytes, { trustAnchors, at })` — answered once per file
 * (the same bytes, the same options): each verifier sees each file once.
 */
export function onceEachSdk(sdk: ConformanceSdk): ConformanceSdk {
  const pdf = sdk.pdf;
  const seal = sdk.seal;
  const once = <V>(memo: WeakMap<Uint8Array, Promise<V>>, bytes: Uint8Array, run: () => Promise<V>): Promise<V> => {
    const known = memo.get(bytes);
    if (known !== undefined) return known;
    const v = run();
    memo.set(bytes, v);
    return v;
  };
  const pdfs = new WeakMap<Uint8Array, ReturnType<NonNullable<ConformanceSdk['pdf']>['verifyBordereauPdf']>>();
  const records = new WeakMap<Uint8Array, ReturnType<NonNullable<ConformanceSdk['seal']>['verifyRecord']>>();
  return {
    ...sdk,
    ...(pdf === undefined
      ? {}
      : {
          pdf: {
            ...pdf,
            verifyBordereauPdf: (bytes, options) =>
              options.contentHash === undefined ? once(pdfs, bytes, () => pdf.verifyBordereauPdf(bytes, {})) : pdf.verifyBordereauPdf(bytes, options),
          },
        }),
    ...(seal === undefined
      ? {}
      : {
          seal: {
            ...seal,
            // The trust anchors and time are the run's, the same for every call; with `expect`, asked as it is.
            verifyRecord: (bytes, options) =>
              options.expect === undefined ? once(records, bytes, () => seal.verifyRecord(bytes, options)) : seal.verifyRecord(bytes, options),
          },
        }),
  };
}

/** A file of the folder, by path. */
interface Named {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/** A bordereau PDF of the folder, as the SDK's `verifyBordereauPdf` read it. */
interface ReadPdf {
  readonly path: string;
  readonly bordereauId: string | undefined;
  readonly contentHash: string | undefined;
  readonly recordIds: ReadonlySet<string>;
}

/** A sealed record of the folder drawn on some of its bordereaux, with the checks it gets. */
export interface RecordUse {
  readonly path: string;
  readonly check: ArtifactCheck;
  /** The bordereau PDFs that name it. */
  readonly pdfs: readonly string[];
}

/** Runs a verifier that may throw or answer anything: its answer, or undefined. */
async function quietly<R>(run: () => Promise<R>): Promise<R | undefined> {
  try {
    return await run();
  } catch {
    return undefined;
  }
}

/**
 * Sealed records of the folder that a bordereau PDF of the folder names in
 * one of its signature revisions (SIG-4, SIG-6), with the check each gets.
 * Such a record was used: its sealed file (with the signature image) should
 * have been deleted with its use (SIG-6); and it must have been drawn only on
 * the bordereau and content it was signed for (SIG-4). Only what the SDK
 * under test tells is matched (the record's id and scope, the PDF's
 * identifier, content hash and signature revisions): a vendor's SDK that
 * answers `{ ok, issues }` alone gets no such check, nor does a folder
 * without trust anchors (a record's content is read only once its seal
 * verifies). Never throws.
 */
export async function recordUses(records: readonly Named[], pdfs: readonly Named[], context: CheckContext): Promise<RecordUse[]> {
  const { sdk, trustAnchors, at } = context;
  const seal = sdk.seal;
  const pdf = sdk.pdf;
  if (seal === undefined || pdf === undefined || trustAnchors.length === 0 || records.length === 0 || pdfs.length === 0) return [];
  const read: ReadPdf[] = [];
  for (const p of pdfs) {
    const v = await quietly(() => pdf.verifyBordereauPdf(p.bytes, {}));
    const ids = (Array.isArray(v?.signatures) ? v.signatures : []).map((s) => s?.recordId).filter((id): id is string => typeof id === 'string');
    if (ids.length > 0) read.push({ path: p.path, bordereauId: v?.bordereauId, contentHash: v?.contentHash, recordIds: new Set(ids) });
  }
  if (read.length === 0) return [];
  const uses: RecordUse[] = [];
  for (const r of records) {
    const v = await quietly(() => seal.verifyRecord(r.bytes, { trustAnchors, at }));
    const recordId = v?.ok === true && typeof v.recordId === 'string' ? v.recordId : undefined;
    if (recordId === undefined) continue;
    const drawnOn = read.filter((p) => p.recordIds.has(recordId));
    if (drawnOn.length === 0) continue;
    const scope = v?.scope;
    uses.push({
      path: r.path,
      pdfs: drawnOn.map((p) => p.path),
      check: {
        type: 'record-use',
        requirements: ['SIG-4', 'SIG-6'],
        comment: 'a record a bordereau of the folder names was drawn on the bordereau and content it was signed for, and its sealed file deleted with its use',
        run: async () => {
          // A bordereau or line record binds one bordereau and its content hash (an accounting day binds a set by digest).
          if (scope !== undefined && (scope.kind === 'bordereau' || scope.kind === 'line')) {
            const wrong = drawnOn.find((p) => p.bordereauId !== scope.bordereauId || p.contentHash !== scope.contentHash);
            if (wrong !== undefined) {
              return {
                outcome: 'failed',
                code: 'ERR_RECORD_WRONG_CONTENT',
                requirements: ['SIG-4'],
                detail: `record ${recordId} signed for ${scope.bordereauId} (content ${String(scope.contentHash).slice(0, 12)}…) is drawn on ${wrong.path} (${wrong.bordereauId}, content ${String(wrong.contentHash).slice(0, 12)}…)`,
              };
            }
          }
          return {
            outcome: 'failed',
            code: 'ERR_RECORD_NOT_DELETED',
            requirements: ['SIG-6'],
            detail:
              `record ${recordId} was used (drawn on ${drawnOn.map((p) => p.path).join(', ')}), yet its sealed file, with the signature image, is still among the outputs`.slice(
                0,
                300,
              ),
          };
        },
      },
    });
  }
  return uses;
}
