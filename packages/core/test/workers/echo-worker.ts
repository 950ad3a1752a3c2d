import { parentPort, workerData } from 'node:worker_threads';
import { resolveLocale } from '@s3404/core';

// Answers what it was started with, through a package of the SDK resolved from its sources.
parentPort!.postMessage({ data: workerData as unknown, locale: resolveLocale('en-GB') });
