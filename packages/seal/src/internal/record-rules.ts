import type { LocalizedText } from '@s3404/core';
import type { SealErrorCode } from '../errors/seal-errors.js';

/** The parts of a record the role/scope rules look at. */
interface RuleInput {
  readonly scope: { readonly kind: string; readonly practitionerRpps?: string };
  readonly role: string;
  readonly signer: { readonly rpps?: string | undefined };
  readonly mandate?: { readonly reference: string } | undefined;
}

const ROLES_BY_SCOPE: Readonly<Record<string, readonly string[]>> = {
  bordereau: ['insured', 'director', 'delegate'],
  line: ['practitioner', 'director', 'delegate'],
  'accounting-day': ['director', 'delegate'],
};

/**
 * Who may sign what (SIG-2, SIG-8, SIG-10, CSS R.161-43): the insured and the
 * director (or delegate) sign the bordereau; a practitioner signs their own
 * line, anyone else signs it only under a mandate; only the director (or
 * delegate) signs an accounting day.
 */
export function roleScopeProblem(r: RuleInput): { code: SealErrorCode; detail?: LocalizedText | string } | null {
  if (!(ROLES_BY_SCOPE[r.scope.kind] ?? []).includes(r.role))
    return {
      code: 'ERR_RECORD_INVALID',
      detail: { fr: `rôle ${r.role} non admis pour la portée ${r.scope.kind}`, en: `role ${r.role} not allowed for scope ${r.scope.kind}` },
    };
  if (r.role === 'practitioner' && r.signer.rpps === undefined) return { code: 'ERR_RECORD_INVALID', detail: 'signer.rpps' };
  if (r.scope.kind === 'line') {
    const own = r.role === 'practitioner' && r.signer.rpps === r.scope.practitionerRpps;
    if (!own && r.mandate === undefined) return { code: 'ERR_MANDATE_REQUIRED' };
    if (own && r.mandate !== undefined) return { code: 'ERR_RECORD_INVALID', detail: { fr: 'mandat sur sa propre ligne', en: 'mandate on own line' } };
  } else if (r.mandate !== undefined) {
    return { code: 'ERR_RECORD_INVALID', detail: { fr: 'mandat hors ligne', en: 'mandate outside a line' } };
  }
  return null;
}
