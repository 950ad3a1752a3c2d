import manifest from '../package.json' with { type: 'json' };

/** The version of `@s3404/cli`, printed by `s3404 --version` (CLI contract). */
export const VERSION: string = manifest.version;
