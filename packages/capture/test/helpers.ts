import { createBordereauId } from '@s3404/core';
import type { ContextMessage } from '@s3404/core/wire';
import { prng } from '@s3404/tooling/test-kit';
import {
  createCaptureContext,
  createRoleAuthorizer,
  createSealer,
  MemoryContextRegistry,
  toContextMessage,
  type CaptureLimits,
  type CreateCaptureContextOptions,
} from '@s3404/seal';
import { createDevelopmentPki, type DevelopmentPki } from '@s3404/seal/pki';
import type { CapturedStroke, PointerKind } from '@s3404/capture';

/** A fixed instant in the validity of the development certificates. */
export const T0 = new Date('2026-03-20T10:00:00.000Z');
export const at = (seconds: number): Date => new Date(T0.getTime() + seconds * 1000);
/** The content hash a test bordereau is signed for (64 lowercase hex digits). */
export const CONTENT_HASH = `${'c0ffee'.repeat(10)}0a0b`;

/** A seeded random source for identifiers and nonces. */
export function seededRandom(seed: number): (b: Uint8Array) => Uint8Array {
  const r = prng(seed);
  return (b) => {
    for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
    return b;
  };
}

export const BORDEREAU_ID = createBordereauId({ random: seededRandom(1) });

/** A context message as the server sends it (`toContextMessage` of `@s3404/seal`), for the insured person, at T0. */
export function contextMessage(
  options: {
    limits?: Partial<CaptureLimits>;
    image?: { width: number; height: number };
    locale?: 'fr' | 'en';
    context?: Partial<CreateCaptureContextOptions>;
    seed?: number;
  } = {},
): ContextMessage {
  const ctx = createCaptureContext({
    scope: { kind: 'bordereau', bordereauId: BORDEREAU_ID, contentHash: CONTENT_HASH },
    role: 'insured',
    signer: { id: 'patient-1', name: 'Jeanne Martin' },
    terminalId: 'tablette-3',
    now: () => T0,
    random: seededRandom(options.seed ?? 7),
    ...options.context,
  });
  return toContextMessage(ctx, {
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.image === undefined ? {} : { image: options.image }),
    ...(options.locale === undefined ? {} : { locale: options.locale }),
  });
}

const pkiOnce: { p?: Promise<DevelopmentPki> } = {};
export function pki(): Promise<DevelopmentPki> {
  pkiOnce.p ??= createDevelopmentPki({ now: () => T0, random: seededRandom(3) });
  return pkiOnce.p;
}

/** A sealer on a movable clock, as a signing service runs it. */
export async function sealerFixture() {
  const p = await pki();
  const clock = { now: T0 };
  const now = (): Date => clock.now;
  const sealer = await createSealer({
    key: p.seal.privateKey,
    certificate: p.seal.certificate,
    contexts: new MemoryContextRegistry({ now }),
    authorizer: createRoleAuthorizer({ staff: [] }),
    now,
    random: seededRandom(42),
  });
  return { pki: p, clock, sealer };
}

/** Seeded raw strokes, as the pad records them (time from `start`, in image bounds unless `outside`). */
export function randomStrokes(
  seed: number,
  options: { strokes?: number; points?: number; image?: { width: number; height: number }; start?: number } = {},
): CapturedStroke[] {
  const r = prng(seed);
  const { width, height } = options.image ?? { width: 1000, height: 400 };
  let t = options.start ?? 1234.5;
  const kinds: PointerKind[] = ['pen', 'touch', 'mouse'];
  return Array.from({ length: options.strokes ?? 3 }, () => {
    const pointerType = kinds[Math.floor(r() * 3)]!;
    t += r() * 300;
    return {
      pointerType,
      points: Array.from({ length: options.points ?? 20 }, () => {
        t += r() * 8;
        return {
          x: r() * width,
          y: r() * height,
          t,
          pressure: r(),
          tiltX: Math.round(r() * 180 - 90),
          tiltY: Math.round(r() * 180 - 90),
          twist: Math.floor(r() * 360),
        };
      }),
    };
  });
}
