import { isIsoInstant, type LocalizedText } from '@s3404/core';
import { MAX_IMAGE_BYTES, MAX_IMAGE_SIDE, MIN_IMAGE_SIDE } from './constants.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const text = (v: unknown, max = 1000): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const int = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const problem = (fr: string, en: string): LocalizedText => ({ fr, en });

/**
 * What the pad needs of a context message to show it and to produce a
 * capture the server accepts (SIG-1): the type and version, the image size
 * within the limits it carries (and within the SDK's widest limits), the
 * limits themselves, the token's instants, and the display — timestamp,
 * role, signer, the bordereau identifier or the accounting day, the lines.
 * The rest of the context travels back unchanged and is the server's to
 * judge. Returns the first problem, in both languages, or null.
 */
export function contextProblem(message: unknown): LocalizedText | null {
  if (!isObject(message)) return problem('un objet est attendu', 'an object is expected');
  if (message['type'] !== 's3404.capture-context') return problem('type', 'type');
  if (message['version'] !== '1') return problem('version', 'version');
  const limits = message['limits'];
  if (!isObject(limits)) return problem('limits', 'limits');
  if (!int(limits['maxImageBytes'], 1, MAX_IMAGE_BYTES)) return problem('limits.maxImageBytes', 'limits.maxImageBytes');
  if (!int(limits['minImageSide'], MIN_IMAGE_SIDE, MAX_IMAGE_SIDE)) return problem('limits.minImageSide', 'limits.minImageSide');
  if (!int(limits['maxImageSide'], limits['minImageSide'] as number, MAX_IMAGE_SIDE)) return problem('limits.maxImageSide', 'limits.maxImageSide');
  if (!int(limits['maxPoints'], 1, Number.MAX_SAFE_INTEGER)) return problem('limits.maxPoints', 'limits.maxPoints');
  if (!int(limits['maxCaptureMs'], 1, Number.MAX_SAFE_INTEGER)) return problem('limits.maxCaptureMs', 'limits.maxCaptureMs');
  const image = message['image'];
  const min = limits['minImageSide'] as number;
  const max = limits['maxImageSide'] as number;
  if (!isObject(image) || !int(image['width'], min, max) || !int(image['height'], min, max)) {
    return problem(`image : ${min}…${max} pixels de côté`, `image: ${min}…${max} pixels a side`);
  }
  const context = message['context'];
  if (!isObject(context)) return problem('context', 'context');
  const token = context['token'];
  if (!isObject(token) || !isIsoInstant(token['issuedAt']) || !isIsoInstant(token['expiresAt'])) return problem('context.token', 'context.token');
  const display = context['display'];
  if (!isObject(display)) return problem('context.display', 'context.display');
  for (const k of ['timestamp', 'role', 'signerName'] as const) {
    if (!text(display[k], 200)) return problem(`context.display.${k}`, `context.display.${k}`);
  }
  if (!text(display['bordereauId'], 64) && !text(display['accountingDay'], 64)) {
    return problem('context.display : identifiant du bordereau ou journée comptable', 'context.display: bordereau identifier or accounting day');
  }
  for (const k of ['contentHash', 'mandate'] as const) {
    if (display[k] !== undefined && !text(display[k], 200)) return problem(`context.display.${k}`, `context.display.${k}`);
  }
  if (display['line'] !== undefined && !int(display['line'], 1, 9999)) return problem('context.display.line', 'context.display.line');
  const lines = display['lines'];
  if (!Array.isArray(lines) || lines.length > 32 || !lines.every((l) => typeof l === 'string' && l.length <= 500)) {
    return problem('context.display.lines', 'context.display.lines');
  }
  const mandate = context['mandate'];
  if (mandate !== undefined && (!isObject(mandate) || !text(mandate['reference'], 64))) return problem('context.mandate', 'context.mandate');
  return null;
}
