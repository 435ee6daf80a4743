import type { Knex } from "knex";

export interface ColumnInfo {
  name: string;
  /** information_schema data_type: "bytea", "jsonb", "integer", … */
  type: string;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  /** Columns referencing this same table (e.g. criteria.parent_id). */
  selfRefs: string[];
  /** Columns backed by a sequence (serial / identity), reset after a restore. */
  serials: string[];
}

// Migration bookkeeping, and the blocs list's change counter (migration 270: a restore's writes bump it).
const INTERNAL = new Set(["knex_migrations", "knex_migrations_lock", "list_revisions"]);

/** Catalog reads and bulk row access for the logical backup; every query goes through `conn`. */
export function backupRepo() {
  return {
    /** The application's tables (schema public), parents before children (FK order). */
    async tables(conn: Knex): Promise<TableInfo[]> {
      const cols: { table_name: string; column_name: string; data_type: string; column_default: string | null; is_identity: string }[] = (
        await conn.raw(
          `SELECT c.table_name, c.column_name, c.data_type, c.column_default, c.is_identity
             FROM information_schema.columns c
             JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
            ORDER BY c.table_name, c.ordinal_position`,
        )
      ).rows;
      const fks: { child: string; parent: string; column: string }[] = (
        await conn.raw(
          `SELECT cl.relname AS child, pcl.relname AS parent, a.attname AS column
             FROM pg_constraint con
             JOIN pg_class cl ON cl.oid = con.conrelid
             JOIN pg_class pcl ON pcl.oid = con.confrelid
             JOIN pg_namespace n ON n.oid = cl.relnamespace
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
            WHERE con.contype = 'f' AND n.nspname = 'public'`,
        )
      ).rows;
      const pks: { table: string; column: string }[] = (
        await conn.raw(
          `SELECT cl.relname AS table, a.attname AS column
             FROM pg_constraint con
             JOIN pg_class cl ON cl.oid = con.conrelid
             JOIN pg_namespace n ON n.oid = cl.relnamespace
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
            WHERE con.contype = 'p' AND n.nspname = 'public'
            ORDER BY cl.relname, array_position(con.conkey, a.attnum)`,
        )
      ).rows;

      const byName = new Map<string, TableInfo>();
      for (const c of cols) {
        if (INTERNAL.has(c.table_name)) continue;
        let t = byName.get(c.table_name);
        if (!t) byName.set(c.table_name, (t = { name: c.table_name, columns: [], primaryKey: [], selfRefs: [], serials: [] }));
        t.columns.push({ name: c.column_name, type: c.data_type });
        if (c.is_identity === "YES" || (c.column_default ?? "").startsWith("nextval(")) t.serials.push(c.column_name);
      }
      for (const pk of pks) byName.get(pk.table)?.primaryKey.push(pk.column);
      const parents = new Map<string, Set<string>>([...byName.keys()].map((k) => [k, new Set<string>()]));
      for (const fk of fks) {
        if (!byName.has(fk.child) || !byName.has(fk.parent)) continue;
        if (fk.child === fk.parent) byName.get(fk.child)!.selfRefs.push(fk.column);
        else parents.get(fk.child)!.add(fk.parent);
      }
      // Topological order; names sorted for a stable file.
      const ordered: TableInfo[] = [];
      const done = new Set<string>();
      const visit = (name: string, path: Set<string>) => {
        if (done.has(name)) return;
        if (path.has(name)) throw new Error(`Vòng khóa ngoại giữa các bảng: ${[...path, name].join(" → ")}`);
        path.add(name);
        for (const p of [...parents.get(name)!].sort()) visit(p, path);
        path.delete(name);
        done.add(name);
        ordered.push(byName.get(name)!);
      };
      for (const name of [...byName.keys()].sort()) visit(name, new Set());
      return ordered;
    },

    async migrations(conn: Knex): Promise<string[]> {
      if (!(await conn.schema.hasTable("knex_migrations"))) return [];
      return (await conn("knex_migrations").orderBy("id").select("name")).map((r: { name: string }) => r.name);
    },

    /** One page of rows in primary-key order. */
    async page(conn: Knex, t: TableInfo, offset: number, limit: number): Promise<Record<string, unknown>[]> {
      const q = conn(t.name).select("*").offset(offset).limit(limit);
      return t.primaryKey.length ? q.orderBy(t.primaryKey) : q.orderByRaw("ctid");
    },

    async count(conn: Knex, table: string): Promise<number> {
      const rows = await conn(table).count<{ n: string | number }[]>("* as n");
      return Number(rows[0]?.n ?? 0);
    },

    /** Empties every given table (TRUNCATE: the audit log's append-only trigger guards UPDATE/DELETE only). */
    async truncateAll(trx: Knex, tables: string[]): Promise<void> {
      if (tables.length) await trx.raw(`TRUNCATE ${tables.map((t) => `"${t}"`).join(", ")} RESTART IDENTITY CASCADE`);
    },

    async insert(trx: Knex, table: string, rows: Record<string, unknown>[]): Promise<void> {
      if (rows.length) await trx(table).insert(rows);
    },

    /** After explicit ids were inserted: the sequence continues after max(column). */
    async resetSequence(trx: Knex, table: string, column: string): Promise<void> {
      await trx.raw(
        `SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX("${column}") FROM "${table}"), 1), (SELECT MAX("${column}") FROM "${table}") IS NOT NULL)`,
        [`"${table}"`, column],
      );
    },
  };
}

export type BackupRepo = ReturnType<typeof backupRepo>;
