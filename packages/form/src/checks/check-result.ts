import type { MessageParams } from '../errors/messages.js';

/**
 * Outcome of one identifier check: `null` when the value is valid, otherwise
 * the stable code and the parameters of its message (FORM-2).
 *
 * @public
 */
export type CheckFailure = { readonly code: string; readonly params: MessageParams } | null;
