/**
 * The OpenTelemetry SDK for the tests of `@s3404/core/otel` and of the
 * CLI's instrumented flow, loaded as a vendor's Node process loads it.
 *
 * The tests run with Node's `--conditions module` (vitest.base.js),
 * under which `require('@opentelemetry/api')` — made by the SDK's CommonJS
 * builds — picks the API's `module` build, whose extension-less imports
 * Node cannot load. A plain Node process resolves the CommonJS build; so
 * does this, for that one request, before the SDK is loaded.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const Module = require('node:module') as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const original = Module._resolveFilename;
Module._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
  const resolved = original.call(this, request, ...rest);
  return request === '@opentelemetry/api' ? resolved.replace(/\/build\/esm\/index\.js$/, '/build/src/index.js') : resolved;
};

export const api = require('@opentelemetry/api') as typeof import('@opentelemetry/api');
export const metricsSdk = require('@opentelemetry/sdk-metrics') as typeof import('@opentelemetry/sdk-metrics');
export const traceSdk = require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
export const contextHooks = require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
