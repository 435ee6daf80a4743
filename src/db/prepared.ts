import { createHash } from "node:crypto";
import type { Knex } from "knex";

interface Statement {
  name: string;
  /** The text with knex's `?` placeholders numbered as PostgreSQL's `$1`, `$2`… (knex's own rule). */
  text: string;
}
interface PgResult<Row> {
  rows: Row[];
}
interface PgConnection {
  query<Row>(config: { name: string; text: string; values: readonly Knex.RawBinding[] }): Promise<PgResult<Row>>;
}
/** The parts of knex's pg client used here: its pool, its placeholder rule and its query events. */
interface PooledClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
  positionBindings(sql: string): string;
  emit(event: string, ...args: unknown[]): boolean;
}

const statements = new Map<string, Statement>();

/** A statement name per SQL text (PostgreSQL needs one text per name on a connection). */
function statementOf(client: PooledClient, sql: string): Statement {
  let statement = statements.get(sql);
  if (!statement) {
    statement = { name: `thidua_${createHash("sha1").update(sql).digest("hex").slice(0, 20)}`, text: client.positionBindings(sql) };
    statements.set(sql, statement);
  }
  return statement;
}

/**
 * A raw query run as a named prepared statement: each pooled connection plans it once and reuses the
 * plan. For the few statements every request runs (the session read with its user, header and year):
 * planning them took ~1.2 ms of PostgreSQL's CPU a request, executing them ~0.2 ms (issue 16). Their
 * text must not vary per request except through the bindings (one statement per text and connection),
 * and a binding is one value (an array is one PostgreSQL array, as knex's raw passes it).
 *
 * Outside a transaction the statement goes to a pooled connection of knex's own pool directly: there is
 * nothing for knex to build, and its query runner was about a tenth of the CPU of a page whose only
 * query this is (the session read of a kept page). knex's `query`, `query-response` and `query-error`
 * events are emitted as for any query, so whatever counts or logs queries still sees it.
 */
export async function preparedRaw<Row = Record<string, unknown>>(db: Knex, sql: string, bindings: readonly Knex.RawBinding[]): Promise<PgResult<Row>> {
  const client = db.client as unknown as PooledClient;
  const statement = statementOf(client, sql);
  // A transaction holds its own connection: its queries go through it.
  if (db.isTransaction) return (await db.raw(sql, bindings as Knex.RawBinding[]).options({ name: statement.name })) as PgResult<Row>;
  const connection = await client.acquireConnection();
  const query = { method: "raw", sql, bindings, options: { name: statement.name }, __knexUid: (connection as { __knexUid?: string }).__knexUid };
  try {
    client.emit("query", query);
    const result = await connection.query<Row>({ name: statement.name, text: statement.text, values: bindings });
    client.emit("query-response", result, query);
    return result;
  } catch (err) {
    client.emit("query-error", err, query);
    throw err;
  } finally {
    await client.releaseConnection(connection);
  }
}
