import { cpSync } from 'node:fs';
import { build } from 'tsup';
import { packageConfig } from '@s3404/tooling/tsup';

// Node-only package: the CLI. The example bordereaux ship inside it for `s3404 demo`.
export default packageConfig(
  { index: 'src/index.ts', bin: 'src/bin.ts', 'serve/index': 'src/serve/index.ts', 'demo-worker': 'src/commands/demo-worker.ts' },
  {
    platform: 'node',
    onSuccess: async () => {
      cpSync('../../examples/data', 'dist/examples', { recursive: true });
      // The tablet page's script (`s3404 serve` answers it at /tablet.js): one browser bundle with
      // @s3404/capture and core, built after the Node build so that its `clean` cannot remove it.
      await build({
        entry: { 'serve/tablet': 'src/serve/tablet/main.ts' },
        format: ['iife'],
        platform: 'browser',
        target: 'es2022',
        outDir: 'dist',
        outExtension: () => ({ js: '.js' }),
        noExternal: [/.*/],
        minify: true,
        sourcemap: false,
        dts: false,
        clean: false,
        splitting: false,
        silent: true,
        config: false,
      });
    },
  },
);
