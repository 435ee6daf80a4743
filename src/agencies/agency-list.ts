// Pasted agency lists: parsing and code proposals. Pure functions, no I/O.

export interface PastedAgency {
  name: string;
  shortName: string;
  code: string;
}

/** "Công an tỉnh Tuyên Quang" → "cong-an-tinh-tuyen-quang": no diacritics, at most 40 characters. */
export function proposeCode(name: string): string {
  const plain = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[đĐ]/g, "d")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return plain.slice(0, 40).replace(/-+$/, "") || "co-quan";
}

/** Makes each code unique among `codes` and `taken` by adding -2, -3, … */
export function uniqueCodes(codes: string[], taken: ReadonlySet<string>): string[] {
  const used = new Set(taken);
  return codes.map((c) => {
    let code = c;
    for (let n = 2; used.has(code); n++) code = `${c.slice(0, 37)}-${n}`;
    used.add(code);
    return code;
  });
}

/**
 * One agency a line: the name, then optionally the short name and the code after a tab or ";".
 * Blank lines inside the list and repeated names are errors (with their line numbers); blank
 * lines at the very start or end are ignored.
 */
export function parseAgencyList(text: string): { rows: PastedAgency[]; errors: string[] } {
  const lines = text.replace(/\r\n?/g, "\n").replace(/^\s*\n|\n\s*$/g, "").split("\n");
  const errors: string[] = [];
  const rows: PastedAgency[] = [];
  const seen = new Map<string, number>();
  if (lines.length === 1 && lines[0]!.trim() === "") return { rows, errors: ["Danh sách trống: mỗi dòng ghi tên một cơ quan, đơn vị."] };
  lines.forEach((line, i) => {
    const [name = "", shortName = "", code = ""] = line.split(/\t|;/).map((p) => p.trim());
    if (name === "") {
      errors.push(`Dòng ${i + 1} trống: xóa dòng trống hoặc ghi tên cơ quan, đơn vị.`);
      return;
    }
    const key = name.toLocaleLowerCase("vi");
    const first = seen.get(key);
    if (first !== undefined) {
      errors.push(`Dòng ${i + 1} trùng với dòng ${first}: “${name}”.`);
      return;
    }
    seen.set(key, i + 1);
    rows.push({ name, shortName: shortName || name, code: code.toLowerCase() || proposeCode(name) });
  });
  return { rows, errors };
}
