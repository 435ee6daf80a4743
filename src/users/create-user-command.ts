import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import type { Knex } from "knex";
import { NewUserForm } from "./schemas.js";
import { hashPassword } from "../auth/passwords.js";

async function firstLine(stream: NodeJS.ReadStream): Promise<string | null> {
  if (stream.isTTY) return null;
  let data = "";
  for await (const chunk of stream) {
    data += String(chunk);
    if (data.includes("\n")) break;
  }
  const line = data.split(/\r?\n/)[0]?.trim() ?? "";
  return line || null;
}

/**
 * `create-user`: the first admin of a new installation (or any account), without the web.
 * Errors are thrown with one clear line; the CLI prints it and exits non-zero.
 */
export async function createUserCommand(db: Knex, argv: string[], stdin: NodeJS.ReadStream): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: "string" }, name: { type: "string" }, agency: { type: "string" }, bloc: { type: "string", multiple: true } },
  });
  const username = positionals[0];
  if (!username) throw new Error("thiếu tên đăng nhập: create-user <tên đăng nhập> --role … --name …");
  const given = await firstLine(stdin);
  const password = given ?? randomBytes(12).toString("base64url");

  const agency = values.agency ? await db("agencies").where({ code: values.agency }).first("id") : null;
  if (values.agency && !agency) throw new Error(`không có cơ quan mã "${values.agency}"`);
  const blocIds: number[] = [];
  for (const code of values.bloc ?? []) {
    const bloc = await db("blocs").where({ code }).first("id");
    if (!bloc) throw new Error(`không có khối thi đua mã "${code}"`);
    blocIds.push(bloc.id);
  }
  const form = NewUserForm.safeParse({
    username,
    password,
    fullName: values.name ?? "",
    role: values.role ?? "",
    agencyId: agency ? String(agency.id) : "",
    blocIds: blocIds.map(String),
  });
  if (!form.success) {
    throw new Error(form.error.issues.map((i) => `${i.path.join(".") || "dữ liệu"}: ${i.message}`).join("; "));
  }
  if (await db("users").where({ username: form.data.username }).first("id")) {
    throw new Error(`tên đăng nhập "${form.data.username}" đã có`);
  }
  const hash = await hashPassword(form.data.password);
  await db.transaction(async (trx) => {
    const [{ id }] = await trx("users")
      .insert({ username: form.data.username, full_name: form.data.fullName, role: form.data.role, agency_id: form.data.agencyId, password_hash: hash, password_changed_at: trx.fn.now() })
      .returning("id");
    if (blocIds.length) await trx("user_blocs").insert(blocIds.map((bloc_id) => ({ user_id: id, bloc_id })));
    await trx("audit_log").insert({ action: "user.create", entity: "user", entity_id: String(id), username: "cli", after: JSON.stringify({ username: form.data.username, role: form.data.role }) });
  });
  console.log(`Đã tạo tài khoản "${form.data.username}" (${form.data.role}).`);
  if (!given) console.log(`Mật khẩu tạm thời: ${password} — hãy đổi ngay sau khi đăng nhập (Đổi mật khẩu).`);
}
