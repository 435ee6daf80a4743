import type { Knex } from "knex";

export function loginAttemptsRepo(db: Knex) {
  return {
    async record(username: string, ip: string, succeeded: boolean, at: Date): Promise<void> {
      await db("login_attempts").insert({ username, ip, succeeded, at });
    },
    /** Failures since `since`, oldest first (only their times are needed). */
    async failuresForUsername(username: string, since: Date): Promise<Date[]> {
      const rows: { at: Date }[] = await db("login_attempts")
        .where({ username, succeeded: false })
        .andWhere("at", ">", since)
        .orderBy("at")
        .select("at");
      return rows.map((r) => r.at);
    },
    async failuresForIp(ip: string, since: Date): Promise<Date[]> {
      const rows: { at: Date }[] = await db("login_attempts")
        .where({ ip, succeeded: false })
        .andWhere("at", ">", since)
        .orderBy("at")
        .select("at");
      return rows.map((r) => r.at);
    },
  };
}

export type LoginAttemptsRepo = ReturnType<typeof loginAttemptsRepo>;
