/**
 * The SQL of the PostgreSQL trace store (AUD-2, AUD-3): the table, its
 * indexes, the append-only triggers and the statements the store runs.
 * Identifiers are built from a validated prefix only; values are always
 * bound parameters.
 */

/** SQLSTATE the append-only triggers raise (class `S3`, not used by PostgreSQL). */
export const APPEND_ONLY_SQLSTATE = 'S3A01';

/** The transaction-local setting that lets the retention purge delete `seq ≤` its value. */
export const PURGE_SETTING = 's3404.audit_purge_through';

/** Serialises schema creation between processes opening the store at once. */
export const SCHEMA_LOCK = '340400520001';

/** Rows per query when reading (keyset pagination on `seq`). */
export const PAGE_ROWS = 5000;

/** The names the store uses for a prefix. */
export interface SchemaNames {
  readonly table: string;
  readonly guard: string;
}

export function schemaNames(prefix: string): SchemaNames {
  return { table: `${prefix}audit_events`, guard: `${prefix}audit_events_append_only` };
}

/**
 * The trigger function: refuses UPDATE and TRUNCATE always, DELETE unless
 * the transaction set {@link PURGE_SETTING} to a sequence number ≥ the row's.
 */
export function guardFunctionSql(n: SchemaNames): string {
  return `CREATE OR REPLACE FUNCTION ${n.guard}() RETURNS trigger LANGUAGE plpgsql AS $guard$${guardBody()}$guard$;`;
}

/** The body of the trigger function, as PostgreSQL keeps it in `pg_proc.prosrc`. */
function guardBody(): string {
  return `
DECLARE
  through text;
BEGIN
  IF TG_OP = 'DELETE' AND TG_LEVEL = 'ROW' THEN
    through := current_setting('${PURGE_SETTING}', true);
    IF through ~ '^[0-9]{1,18}$' AND OLD.seq <= through::bigint THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 's3404 audit: % refused, % is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = '${APPEND_ONLY_SQLSTATE}',
          HINT = 'Only the retention purge (AuditStore.purge) deletes events.';
END
`;
}

const TRIGGERS = ['append_only_update', 'append_only_delete', 'append_only_truncate'] as const;

/** The table and its three indexes: the relations the store kit checks before running any DDL. */
export function schemaRelations(n: SchemaNames): string[] {
  return [n.table, `${n.table}_time`, `${n.table}_id`, `${n.table}_checkpoints`];
}

/**
 * A query that takes no lock and tells whether the whole schema is there:
 * the table, its three indexes, the trigger function with this version's
 * body, and the three triggers. When it is, opening runs no DDL: `CREATE
 * INDEX IF NOT EXISTS` locks its table in SHARE mode even when the index
 * exists, which would make an open wait for every append in flight.
 */
export function schemaProbe(n: SchemaNames): { readonly text: string; readonly values: unknown[] } {
  const relations = schemaRelations(n);
  return {
    text: `SELECT (SELECT count(*) FROM unnest($1::text[]) AS r WHERE to_regclass(r) IS NOT NULL) = cardinality($1::text[])
  AND EXISTS (SELECT 1 FROM pg_proc WHERE oid = to_regprocedure($2) AND prosrc = $3)
  AND (SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass($4) AND tgname = ANY($5::text[])) = cardinality($5::text[]) AS ready`,
    values: [relations, `${n.guard}()`, guardBody(), n.table, [...TRIGGERS]],
  };
}

/** The three triggers, created only when missing (no lock on a table in use). */
export function triggersSql(n: SchemaNames): string {
  const trigger = (
    name: string,
    definition: string,
  ): string => `  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = '${n.table}'::regclass AND tgname = '${name}') THEN
    CREATE TRIGGER ${name} ${definition} ON ${n.table} FOR EACH ${name === 'append_only_delete' ? 'ROW' : 'STATEMENT'} EXECUTE FUNCTION ${n.guard}();
  END IF;`;
  return `DO $triggers$
BEGIN
${trigger(TRIGGERS[0], 'BEFORE UPDATE')}
${trigger(TRIGGERS[1], 'BEFORE DELETE')}
${trigger(TRIGGERS[2], 'BEFORE TRUNCATE')}
END
$triggers$;`;
}

/**
 * The whole schema, idempotent; run under {@link SCHEMA_LOCK}. `id` is
 * indexed but not unique: ids come from each writer's UUIDv7 generator and
 * the chain (not the id) is what identifies an event; the memory and file
 * stores accept any id too.
 */
export function schemaSql(n: SchemaNames): string {
  return `
CREATE TABLE IF NOT EXISTS ${n.table} (
  seq bigint PRIMARY KEY,
  id uuid NOT NULL,
  time timestamptz NOT NULL,
  action text NOT NULL,
  line text NOT NULL,
  hash text NOT NULL,
  is_checkpoint boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS ${n.table}_time ON ${n.table} (time);
CREATE INDEX IF NOT EXISTS ${n.table}_id ON ${n.table} (id);
CREATE INDEX IF NOT EXISTS ${n.table}_checkpoints ON ${n.table} (seq) WHERE is_checkpoint;
${guardFunctionSql(n)}
${triggersSql(n)}
`;
}

/** The statements of the store. */
export interface Statements {
  /** The last row: `seq`, `hash`. */
  readonly top: string;
  /** The sequence number of the last checkpoint, 0 when none. */
  readonly lastCheckpoint: string;
  /** Rows `$1 < seq ≤ $2` (`seq`, `line`), in order, one page. */
  readonly page: string;
  readonly insert: string;
  /** The lines of the events whose id is among `$1` (uuid[]), in order. */
  readonly held: string;
  readonly allowPurge: string;
  readonly purge: string;
  readonly drop: string;
}

export function statements(n: SchemaNames): Statements {
  const t = n.table;
  return {
    top: `SELECT seq, hash FROM ${t} ORDER BY seq DESC LIMIT 1`,
    lastCheckpoint: `SELECT coalesce(max(seq), 0)::text AS seq FROM ${t} WHERE is_checkpoint`,
    page: `SELECT seq, line FROM ${t} WHERE seq > $1::bigint AND seq <= $2::bigint ORDER BY seq LIMIT ${PAGE_ROWS}`,
    insert: `INSERT INTO ${t} (seq, id, time, action, line, hash, is_checkpoint)
SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::boolean[])`,
    held: `SELECT seq, line FROM ${t} WHERE id = ANY($1::uuid[]) ORDER BY seq`,
    allowPurge: `SELECT set_config('${PURGE_SETTING}', $1::text, true)`,
    purge: `DELETE FROM ${t} WHERE seq <= $1::bigint`,
    drop: `DROP TABLE IF EXISTS ${t}; DROP FUNCTION IF EXISTS ${n.guard}();`,
  };
}
