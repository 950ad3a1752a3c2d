/**
 * Version of the wire format between the signing tablet and the server
 * (SIG-1, SIG-2): every message carries it as `version`. A server refuses a
 * message of another version; a change that an older tablet or server cannot
 * read gets a new version.
 *
 * `import { WIRE_VERSION } from '@s3404/core/wire'`
 *
 * @example
 * ```ts
 * if (message.version !== WIRE_VERSION) showError('Mettez à jour la tablette')
 * ```
 * @public
 */
export const WIRE_VERSION = '1' as const;

/**
 * The `type` of each wire message (SIG-1, SIG-2): the context the server
 * sends to the tablet, the capture the tablet sends back, an error.
 *
 * `import { WIRE_MESSAGE_TYPES } from '@s3404/core/wire'`
 *
 * @example
 * ```ts
 * WIRE_MESSAGE_TYPES.capture // 's3404.capture'
 * ```
 * @public
 */
export const WIRE_MESSAGE_TYPES = Object.freeze({
  context: 's3404.capture-context',
  capture: 's3404.capture',
  error: 's3404.error',
} as const);
