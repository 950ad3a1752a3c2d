import type { AuditEventDraft } from '@s3404/audit';
import { uuidV7Of } from '@s3404/core';

/** The random part of id `n`: its number, over two bytes repeated (unique for a pool of up to 65,536). */
const idBytes = (n: number): Uint8Array => Uint8Array.from({ length: 16 }, (_, k) => (n >>> (8 * (k % 2))) & 0xff);

/**
 * Delivery `n` of the id pool the processes of the multi-process id test
 * share (AUD-2): its id is made at `base` ms + `n` (recent, so looked up
 * through each store's index), and every process delivers the same draft
 * under it.
 */
export function poolDelivery(base: number, n: number): AuditEventDraft {
  return {
    id: uuidV7Of(base + n, idBytes(n)),
    action: 'signature.consumed',
    actor: { personId: `prat-${n % 7}`, role: 'practitioner', terminalId: `tablette-${n % 3}` },
    subject: { bordereauId: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0', line: (n % 5) + 1 },
    outcome: 'success',
  };
}
