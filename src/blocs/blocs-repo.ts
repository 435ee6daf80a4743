import type { Knex } from "knex";

export interface Bloc {
  id: number;
  code: string;
  name: string;
  issuingBody: string;
  shortName: string;
  placeName: string;
}

interface BlocRow {
  id: number;
  code: string;
  name: string;
  issuing_body: string;
  short_name: string;
  place_name: string;
}

const toBloc = (r: BlocRow): Bloc => ({
  id: r.id,
  code: r.code,
  name: r.name,
  issuingBody: r.issuing_body,
  shortName: r.short_name,
  placeName: r.place_name,
});

export function blocsRepo(db: Knex) {
  return {
    async list(): Promise<Bloc[]> {
      return (await db<BlocRow>("blocs").orderBy("id")).map(toBloc);
    },
    async findByCode(code: string): Promise<Bloc | undefined> {
      const row = await db<BlocRow>("blocs").where({ code }).first();
      return row && toBloc(row);
    },
  };
}

export type BlocsRepo = ReturnType<typeof blocsRepo>;
