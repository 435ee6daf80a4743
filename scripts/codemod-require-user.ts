/**
 * Codemod: `router.get(path, requireUser, handler)` → `router.get(path, requireUser(handler))`,
 * and `req.user!` → `req.user` inside such handlers (requireUser(handler) narrows the type).
 * Idempotent; run on route files after a merge: `node --import tsx scripts/codemod-require-user.ts src/x/routes.ts …`
 */
import fs from "node:fs";
import ts from "typescript";

function convert(file: string): number {
  const text = fs.readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits: { start: number; end: number; replacement: string }[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && ["get", "post", "put", "delete", "all"].includes(node.expression.name.text)) {
      const args = node.arguments;
      const i = args.findIndex((a) => ts.isIdentifier(a) && a.text === "requireUser");
      if (i >= 0 && i === args.length - 2) {
        const handler = args[i + 1]!;
        const body = text.slice(handler.getStart(source), handler.getEnd()).replace(/req\.user!/g, "req.user");
        edits.push({ start: args[i]!.getStart(source), end: handler.getEnd(), replacement: `requireUser(${body})` });
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.replacement + out.slice(e.end);
  if (edits.length) fs.writeFileSync(file, out);
  return edits.length;
}

for (const file of process.argv.slice(2)) process.stdout.write(`${file}: ${convert(file)} route(s) converted\n`);
