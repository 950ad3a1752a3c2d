import { createAuditLog, type AuditLog } from '/work/main/packages/audit/src/index.js';
import { MemoryAuditStore } from '/work/main/packages/audit/src/memory/index.js';
import { nodeSha256 } from '@s3404/core/node';
import { draft } from '/work/main/packages/audit/test/helpers.js';
const drafts = Array.from({ length: 1024 }, (_, i) => draft(i));
const batchOf = (size: number, from: number) => Array.from({ length: size }, (_, k) => drafts[(from + k) % 1024]!);
async function rate(log: AuditLog, n: number) { const t = performance.now(); for (let f = 0; f < n; f += 1024) await log.appendMany(batchOf(Math.min(1024, n - f), f)); return n / ((performance.now() - t) / 1000); }
const mk = () => createAuditLog({ store: new MemoryAuditStore({ sha256: nodeSha256 }), sha256: nodeSha256 });
await rate(mk(), 20000);
for (let r = 0; r < 5; r++) console.log(Math.round(await rate(mk(), 200000)));
