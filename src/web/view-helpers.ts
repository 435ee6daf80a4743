import { formatDate, formatDateTime, formatDocumentDate } from "../lib/dates.js";

/** Formatting only: templates present data, they do not compute it. */
export const viewHelpers = {
  date: formatDate,
  dateTime: formatDateTime,
  documentDate: formatDocumentDate,
  number: (n: number | string | null | undefined, decimals = 2): string =>
    n === null || n === undefined || n === ""
      ? ""
      : Number(n).toLocaleString("vi-VN", { minimumFractionDigits: decimals, maximumFractionDigits: decimals }),
};

export type ViewHelpers = typeof viewHelpers;
