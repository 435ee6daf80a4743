import pg from "pg";

/**
 * One decision for both drivers (PGlite runs through pg's own parser too):
 *  - date → 'YYYY-MM-DD' string (a JS Date would shift a day under Asia/Ho_Chi_Minh);
 *  - int8 (count(*), rank(), bigserial) → number (our counts stay far below 2^53);
 *  - numeric → string, exact; repos turn points (≤ 2 decimals) into numbers and
 *    the scoring core sums them in integer hundredths.
 */
pg.types.setTypeParser(pg.types.builtins.DATE, (v: string) => v);
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
