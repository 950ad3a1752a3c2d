import { z } from 'zod';

/**
 * A lot's identifier (SCOR-2, SCOR-3): 1 to 64 letters, digits, `-` or `_`,
 * starting with a letter or a digit. The same rule for the lot description,
 * the manifest, the lot record and the ARL: an identifier names a folder of
 * the drop transport and reaches logs and terminals, so no path separator,
 * dot, space or control character ever gets in.
 */
export const LOT_ID_PATTERN = /^[0-9A-Za-z][0-9A-Za-z_-]{0,63}$/;

/** A {@link LOT_ID_PATTERN} string, for the schemas. */
export const lotIdSchema = z.string().regex(LOT_ID_PATTERN);
