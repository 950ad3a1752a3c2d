import { AUDIT_ACTIONS, AUDIT_ROLES, AuditEventSchema, type AuditAction, type AuditEvent, type AuditSubject } from '../event-schema.js';

/**
 * The OCSF schema version the export follows (AUD-4).
 *
 * `import { OCSF_VERSION } from '@s3404/audit'`
 *
 * @public
 */
export const OCSF_VERSION = '1.3.0';

const ACTIVITY_NAMES: Readonly<Record<1 | 2 | 3 | 4 | 99, string>> = { 1: 'Create', 2: 'Read', 3: 'Update', 4: 'Delete', 99: 'Other' };

/**
 * OCSF `activity_id` of each action (AUD-4): the SDK's own mapping onto the
 * CRUD activities of the API Activity class.
 *
 * | activity | actions |
 * | --- | --- |
 * | 1 Create | `bordereau.generated`, `signature.captured`, `signature.sealed`, `terminal.enrolled`, `lot.built`, `audit.checkpoint` |
 * | 2 Read | `signature.context-shown`, `audit.export` |
 * | 3 Update | `signature.consumed`, `signature.applied`, `accounting-day.validated`, `lot.sent`, `lot.arl-received`, `lot.retried` |
 * | 4 Delete | `signature.expired`, `terminal.revoked`, `lot.purged`, `audit.retention-purge` |
 * | 99 Other | `signature.refused`, `authorization.denied`, `lot.paper-fallback`, `audit.recovered`, `maintenance.started`, `maintenance.ended`, `maintenance.failed`, `maintenance.lease-lost` (then `activity_name` is the action) |
 *
 * `import { OCSF_ACTIVITY } from '@s3404/audit'`
 *
 * @public
 */
export const OCSF_ACTIVITY: Readonly<Record<AuditAction, 1 | 2 | 3 | 4 | 99>> = {
  'bordereau.generated': 1,
  'signature.context-shown': 2,
  'signature.captured': 1,
  'signature.sealed': 1,
  'signature.consumed': 3,
  'signature.applied': 3,
  'signature.refused': 99,
  'signature.expired': 4,
  'authorization.denied': 99,
  'terminal.enrolled': 1,
  'terminal.revoked': 4,
  'accounting-day.validated': 3,
  'lot.built': 1,
  'lot.sent': 3,
  'lot.arl-received': 3,
  'lot.retried': 3,
  'lot.paper-fallback': 99,
  'lot.purged': 4,
  'audit.checkpoint': 1,
  'audit.retention-purge': 4,
  'audit.export': 2,
  'audit.recovered': 99,
  'maintenance.started': 99,
  'maintenance.ended': 99,
  'maintenance.failed': 99,
  'maintenance.lease-lost': 99,
};

const OUTCOME = {
  success: { severity_id: 1, severity: 'Informational', status_id: 1, status: 'Success' },
  refused: { severity_id: 3, severity: 'Medium', status_id: 2, status: 'Failure' },
  failure: { severity_id: 4, severity: 'High', status_id: 2, status: 'Failure' },
} as const;

/** Subject members carried as OCSF resources, in this order, with their resource `type`. */
const RESOURCES = [
  ['bordereauId', 'bordereau'],
  ['recordId', 'record'],
  ['lotId', 'lot'],
  ['invoiceNumber', 'invoice'],
  ['finess', 'establishment'],
  ['day', 'accounting-day'],
  ['exportId', 'audit-export'],
] as const satisfies readonly (readonly [keyof AuditSubject, string])[];

/** Subject members with no OCSF home, carried in `unmapped`. */
const UNMAPPED_SUBJECT = ['line', 'contextNonce', 'firstSeq', 'lastSeq'] as const;

/**
 * One event as an OCSF 1.3 API Activity (class 6003, category 6
 * Application Activity) (AUD-4); see {@link toOcsfApiActivity}.
 *
 * `import type { OcsfApiActivity } from '@s3404/audit'`
 *
 * @public
 */
export interface OcsfApiActivity {
  readonly class_uid: 6003;
  readonly class_name: 'API Activity';
  readonly category_uid: 6;
  readonly category_name: 'Application Activity';
  readonly activity_id: 1 | 2 | 3 | 4 | 99;
  readonly activity_name: string;
  readonly type_uid: number;
  readonly type_name: string;
  /** Epoch milliseconds. */
  readonly time: number;
  readonly timezone_offset: 0;
  readonly severity_id: 1 | 3 | 4;
  readonly severity: string;
  readonly status_id: 1 | 2;
  readonly status: string;
  readonly status_code?: string;
  readonly status_detail?: string;
  readonly actor: { readonly user: { readonly uid: string; readonly type_id: 3 | 99; readonly type: string } };
  readonly src_endpoint: { readonly uid: string; readonly name: string };
  readonly api: { readonly operation: string; readonly service: { readonly name: 's3404-audit' } };
  readonly resources?: readonly { readonly type: string; readonly uid: string }[];
  readonly metadata: {
    readonly version: string;
    readonly product: { readonly name: 's3404'; readonly vendor_name: 's3404' };
    readonly uid: string;
    readonly sequence: number;
    readonly original_time: string;
    readonly log_name: string;
  };
  readonly unmapped: {
    readonly v: number;
    readonly prev: string;
    readonly hash: string;
    readonly count?: number;
    readonly line?: number;
    readonly contextNonce?: string;
    readonly firstSeq?: number;
    readonly lastSeq?: number;
    readonly checkpoint?: { readonly body: string; readonly signature: string; readonly timestamp?: string };
  };
}

/**
 * Maps one event to an OCSF 1.3 API Activity (AUD-4). The mapping is the
 * SDK's own (OCSF has no class for signature workflows); it loses nothing,
 * so the event, its hash and the chain can be rebuilt from it:
 *
 * | OCSF | event |
 * | --- | --- |
 * | `class_uid` 6003, `category_uid` 6 | — |
 * | `activity_id` / `activity_name` | `action`, see {@link OCSF_ACTIVITY} |
 * | `type_uid` | `class_uid × 100 + activity_id` |
 * | `time` (epoch ms), `metadata.original_time` | `time` |
 * | `severity_id` | `outcome`: success 1 Informational, refused 3 Medium, failure 4 High |
 * | `status_id` / `status` | `outcome`: success 1 Success, else 2 Failure |
 * | `status_code` | `code` |
 * | `status_detail` | `reason` (NIRs already pseudonymised) |
 * | `actor.user.uid` | `actor.personId` |
 * | `actor.user.type_id` / `type` | `actor.role`: `service` → 3 System, else 99 Other and the role |
 * | `src_endpoint.uid`, `.name` | `actor.terminalId` |
 * | `api.operation` | `action` |
 * | `resources[]` `{type, uid}` | `subject`: bordereau, record, lot, invoice, establishment (FINESS), accounting-day, audit-export |
 * | `metadata.uid` | `id` |
 * | `metadata.sequence` | `seq` |
 * | `metadata.log_name` | the log's origin (`finess:…`) |
 * | `metadata.version` | `1.3.0` |
 * | `unmapped` | `v`, `prev`, `hash`, `count`, `subject.line`, `contextNonce`, `firstSeq`, `lastSeq`, `checkpoint` |
 *
 * Not emitted: `cloud`, `device`, `http_request` (no meaning here).
 *
 * `import { toOcsfApiActivity } from '@s3404/audit'`
 *
 * @example
 * ```ts
 * const record = toOcsfApiActivity(event, 'finess:750300360') // { class_uid: 6003, activity_id: 1, metadata: { sequence: event.seq, … }, … }
 * ```
 *
 * @public
 */
export function toOcsfApiActivity(e: AuditEvent, origin: string): OcsfApiActivity {
  const activity = OCSF_ACTIVITY[e.action];
  const o = OUTCOME[e.outcome];
  const resources: { type: string; uid: string }[] = [];
  for (const [key, type] of RESOURCES) {
    const v = e.subject[key];
    if (v !== undefined) resources.push({ type, uid: v });
  }
  const unmapped: Record<string, unknown> = { v: e.v, prev: e.prev, hash: e.hash };
  if (e.count !== undefined) unmapped.count = e.count;
  for (const k of UNMAPPED_SUBJECT) if (e.subject[k] !== undefined) unmapped[k] = e.subject[k];
  if (e.checkpoint !== undefined)
    unmapped.checkpoint = {
      body: e.checkpoint.body,
      signature: e.checkpoint.signature,
      ...(e.checkpoint.timestamp === undefined ? {} : { timestamp: e.checkpoint.timestamp }),
    };
  const service = e.actor.role === 'service';
  return {
    class_uid: 6003,
    class_name: 'API Activity',
    category_uid: 6,
    category_name: 'Application Activity',
    activity_id: activity,
    activity_name: activity === 99 ? e.action : ACTIVITY_NAMES[activity],
    type_uid: 6003 * 100 + activity,
    type_name: `API Activity: ${ACTIVITY_NAMES[activity]}`,
    time: Date.parse(e.time),
    timezone_offset: 0,
    ...o,
    ...(e.code === undefined ? {} : { status_code: e.code }),
    ...(e.reason === undefined ? {} : { status_detail: e.reason }),
    actor: { user: { uid: e.actor.personId, type_id: service ? 3 : 99, type: service ? 'System' : e.actor.role } },
    src_endpoint: { uid: e.actor.terminalId, name: e.actor.terminalId },
    api: { operation: e.action, service: { name: 's3404-audit' } },
    ...(resources.length === 0 ? {} : { resources }),
    metadata: {
      version: OCSF_VERSION,
      product: { name: 's3404', vendor_name: 's3404' },
      uid: e.id,
      sequence: e.seq,
      original_time: e.time,
      log_name: origin,
    },
    unmapped: unmapped as OcsfApiActivity['unmapped'],
  };
}

const ACTIONS: ReadonlySet<string> = new Set(AUDIT_ACTIONS);
const ROLES: ReadonlySet<string> = new Set(AUDIT_ROLES);
const RESOURCE_KEY: ReadonlyMap<string, string> = new Map(RESOURCES.map(([k, t]) => [t, k]));

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Rebuilds the event an OCSF record was made from, or null when it cannot
 * be (the caller then compares `toOcsfApiActivity(event)` with the record,
 * and the event's hash with its content).
 */
export function fromOcsfApiActivity(r: unknown): AuditEvent | null {
  if (
    !isObject(r) ||
    !isObject(r.metadata) ||
    !isObject(r.unmapped) ||
    !isObject(r.actor) ||
    !isObject(r.actor.user) ||
    !isObject(r.src_endpoint) ||
    !isObject(r.api)
  )
    return null;
  const m = r.metadata;
  const u = r.unmapped;
  const user = r.actor.user;
  const action = r.api.operation;
  if (typeof action !== 'string' || !ACTIONS.has(action)) return null;
  const outcome =
    r.status_id === 1 ? 'success' : r.status_id === 2 && r.severity_id === 3 ? 'refused' : r.status_id === 2 && r.severity_id === 4 ? 'failure' : null;
  if (outcome === null) return null;
  const role =
    user.type_id === 3 ? 'service' : user.type_id === 99 && typeof user.type === 'string' && ROLES.has(user.type) && user.type !== 'service' ? user.type : null;
  if (role === null) return null;
  const subject: Record<string, unknown> = {};
  if (r.resources !== undefined) {
    if (!Array.isArray(r.resources)) return null;
    for (const res of r.resources as unknown[]) {
      if (!isObject(res) || typeof res.type !== 'string') return null;
      const key = RESOURCE_KEY.get(res.type);
      if (key === undefined || key in subject) return null;
      subject[key] = res.uid;
    }
  }
  for (const k of UNMAPPED_SUBJECT) if (u[k] !== undefined) subject[k] = u[k];
  const event: Record<string, unknown> = {
    v: u.v,
    id: m.uid,
    seq: m.sequence,
    time: m.original_time,
    action,
    actor: { personId: user.uid, role, terminalId: r.src_endpoint.uid },
    subject,
    outcome,
    prev: u.prev,
    hash: u.hash,
  };
  if (r.status_code !== undefined) event.code = r.status_code;
  if (r.status_detail !== undefined) event.reason = r.status_detail;
  if (u.count !== undefined) event.count = u.count;
  if (u.checkpoint !== undefined) event.checkpoint = u.checkpoint;
  const parsed = AuditEventSchema.safeParse(event);
  return parsed.success ? parsed.data : null;
}
