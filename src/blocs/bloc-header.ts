import { primeRequestMemo, requestMemo } from "../years/year-cache.js";
import type { BlocHeader, BlocsRepo } from "./blocs-repo.js";

const key = (userId: number | null) => `bloc-header:${userId ?? 0}`;

/**
 * The blocs and the user's unread count, read in one query once per GET request (issue 16): the page
 * header (brand, unread count) and the "current year" links share it.
 */
export const blocHeader = (blocs: BlocsRepo, userId: number | null) => requestMemo(key(userId), () => blocs.header(userId));

/** The header read with the session row (session-preload.ts): this GET request reads it no more. */
export const primeBlocHeader = (userId: number | null, header: BlocHeader) => primeRequestMemo(key(userId), header);
