import type { Knex } from "knex";

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable("users", (t) => {
    t.increments("id");
    t.string("username", 60).notNullable().unique(); // stored lower-case
    t.text("password_hash").notNullable();
    t.string("full_name", 120).notNullable();
    t.string("role", 12).notNullable().checkIn(["admin", "secretariat", "leader", "observer", "clerk"]);
    t.integer("agency_id").references("agencies.id");
    t.boolean("active").notNullable().defaultTo(true);
    t.timestamp("password_changed_at", { useTz: true });
    t.timestamp("last_login_at", { useTz: true });
    t.timestamps(true, true);
    t.check("role <> 'clerk' OR agency_id IS NOT NULL", [], "users_clerk_has_agency");
    t.check("username = lower(username)", [], "users_username_lower");
  });

  // The blocs a secretariat, leader or observer works on (a clerk's comes from its agency).
  await knex.schema.createTable("user_blocs", (t) => {
    t.integer("user_id").notNullable().references("users.id").onDelete("CASCADE");
    t.integer("bloc_id").notNullable().references("blocs.id").onDelete("CASCADE");
    t.primary(["user_id", "bloc_id"]);
  });

  // express-session store (connect-session-knex layout).
  await knex.schema.createTable("sessions", (t) => {
    t.string("sid", 255).primary();
    t.json("sess").notNullable();
    t.timestamp("expired", { useTz: true }).notNullable().index();
  });

  await knex.schema.createTable("login_attempts", (t) => {
    t.bigIncrements("id");
    t.string("username", 200).notNullable();
    t.string("ip", 64).notNullable();
    t.boolean("succeeded").notNullable();
    t.timestamp("at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(["username", "at"]);
    t.index(["ip", "at"]);
  });

  await knex.schema.createTable("audit_log", (t) => {
    t.bigIncrements("id");
    t.timestamp("at", { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.integer("user_id").references("users.id");
    t.string("username", 200);
    t.string("action", 60).notNullable();
    t.string("entity", 60);
    t.string("entity_id", 60);
    t.integer("bloc_id").references("blocs.id");
    t.integer("agency_id").references("agencies.id");
    t.jsonb("before");
    t.jsonb("after");
    t.string("ip", 64);
    t.index(["at"]);
    t.index(["user_id", "at"]);
    t.index(["agency_id", "at"]);
  });

  // Append-only: the database itself refuses to rewrite history.
  await knex.raw(`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$`);
  await knex.raw(`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw("DROP TRIGGER audit_log_no_change ON audit_log");
  await knex.raw("DROP FUNCTION audit_log_append_only()");
  for (const table of ["audit_log", "login_attempts", "sessions", "user_blocs", "users"]) {
    await knex.schema.dropTable(table);
  }
}
