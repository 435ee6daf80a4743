import { requestMemo } from "../years/year-cache.js";
import type { BlocsRepo } from "./blocs-repo.js";

/**
 * The blocs and the user's unread count, read in one query once per GET request (issue 16): the page
 * header (brand, unread count) and the "current year" links share it.
 */
export const blocHeader = (blocs: BlocsRepo, userId: number | null) => requestMemo(`bloc-header:${userId ?? 0}`, () => blocs.header(userId));
