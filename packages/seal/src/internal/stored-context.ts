import { z } from 'zod';
import type { Locale } from '@s3404/core';
import type { CaptureContext } from '../capture-context.js';
import { ContextTokenSchema, RecordSignerSchema, RoleSchema, ScopeSchema } from '../record-schema.js';
import { storeCorrupt } from './store-failure.js';

const line = z.string().max(1000);

/** What a shared context registry holds for a context: exactly what `createCaptureContext` makes (SIG-1). */
const StoredContextSchema = z.strictObject({
  token: ContextTokenSchema,
  scope: ScopeSchema,
  role: RoleSchema,
  signer: RecordSignerSchema,
  terminal: z.strictObject({ id: z.string().min(1).max(128) }),
  mandate: z.strictObject({ reference: z.string().min(1).max(200) }).optional(),
  display: z.strictObject({
    timestamp: line,
    bordereauId: line.optional(),
    contentHash: line.optional(),
    line: z.number().int().optional(),
    accountingDay: line.optional(),
    role: line,
    signerName: line,
    mandate: line.optional(),
    lines: z.array(line).max(32),
  }),
});

/** A context as the text a shared registry stores (SIG-1): JSON, which round-trips it exactly. */
export function contextToText(context: CaptureContext): string {
  return JSON.stringify(context);
}

/**
 * A context read back from a shared registry, checked to be one (SIG-1): what
 * is not — an entry edited by hand, another program's key — is
 * `ERR_STORE_CORRUPT`, never handed to the sealer.
 */
export function contextFromText(text: string, nonce: string, locale: Locale): CaptureContext {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw storeCorrupt('capture context: not JSON', locale);
  }
  const parsed = StoredContextSchema.safeParse(value);
  if (!parsed.success) throw storeCorrupt('capture context: not a context', locale);
  if (parsed.data.token.nonce !== nonce) throw storeCorrupt('capture context: under another nonce', locale);
  return parsed.data as CaptureContext;
}

/** A context nonce as `createCaptureContext` draws them: anything else is no key of the registry. */
export const CONTEXT_NONCE = /^[A-Za-z0-9_-]{22,64}$/;
