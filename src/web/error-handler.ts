import type { NextFunction, Request, Response } from "express";
import { ZodError } from "zod";
import { ConflictError, ForbiddenError, NotFoundError, RuleViolationError } from "../errors.js";
import type { Logger } from "../logger.js";
import { viewHelpers } from "./view-helpers.js";
import { SITE_TITLE } from "./middleware/locals.js";
import { UploadRejectedError } from "./middleware/multipart.js";

const DB_DOWN_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENOTFOUND", "57P01", "57P02", "57P03", "08006", "08001"]);

/** A database that cannot be reached, as opposed to a query that failed. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && DB_DOWN_CODES.has(e.code)) return true;
  return e.name === "KnexTimeoutError" || /Connection terminated|Timeout acquiring a connection/i.test(e.message ?? "");
}

interface Mapped {
  status: number;
  view: string;
  message?: string;
}

function mapError(err: unknown): Mapped {
  const code = (err as { code?: string }).code;
  if (code === "EBADCSRFTOKEN") return { status: 403, view: "errors/csrf" };
  if (err instanceof NotFoundError) return { status: 404, view: "errors/404" };
  if (err instanceof ForbiddenError) return { status: 403, view: "errors/403", message: err.message };
  if (err instanceof ConflictError) return { status: 409, view: "errors/409", message: err.message };
  if (err instanceof RuleViolationError) return { status: 409, view: "errors/409", message: err.message };
  if (err instanceof ZodError) return { status: 400, view: "errors/400" };
  if (err instanceof UploadRejectedError) return { status: err.status, view: "errors/400", message: err.userMessage };
  const status = (err as { status?: number; statusCode?: number }).status ?? (err as { statusCode?: number }).statusCode;
  if (status === 413) return { status: 413, view: "errors/400", message: "Dữ liệu gửi lên quá lớn." };
  if (status && status >= 400 && status < 500) return { status, view: "errors/400" };
  if (isDatabaseUnavailable(err)) return { status: 503, view: "errors/503" };
  // The disk of the database (or of the embedded data folder) is full: nothing was saved.
  if (code === "53100" || code === "ENOSPC") {
    return { status: 503, view: "errors/503", message: "Máy chủ hết dung lượng lưu trữ nên chưa lưu được dữ liệu. Dữ liệu đã lưu trước đó không bị mất; vui lòng báo quản trị hệ thống và thử lại sau." };
  }
  return { status: 500, view: "errors/500" };
}

export function notFound(_req: Request, _res: Response, next: NextFunction): void {
  next(new NotFoundError());
}

export function errorHandler(opts: { showErrorDetail: boolean; logger: Logger }) {
  // Express recognises an error handler by its four parameters.
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const mapped = mapError(err);
    if (mapped.status >= 500) {
      opts.logger.error({ err, url: req.originalUrl, reqId: res.locals.requestId, userId: req.user?.id }, "request failed");
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    // The error may come before the locals middleware ran (e.g. the session store is down).
    res.locals.user ??= req.user ?? null;
    res.locals.may ??= () => false;
    res.locals.h ??= viewHelpers;
    res.locals.nav ??= [];
    res.locals.flash ??= null;
    res.locals.csrfToken ??= "";
    res.locals.siteTitle ??= SITE_TITLE;
    res.status(mapped.status);
    if (mapped.status === 503) res.setHeader("Retry-After", "30");
    // Stacks and SQL only for a developer who asked for them (NODE_ENV=development); the log has them anyway.
    const stack = opts.showErrorDetail && mapped.status >= 500 && err instanceof Error ? err.stack : undefined;
    res.render(mapped.view, { title: titleFor(mapped.status), status: mapped.status, message: mapped.message, stack }, (renderErr, html) => {
      if (renderErr) {
        opts.logger.error({ err: renderErr }, "error page failed to render");
        res.type("text/plain; charset=utf-8").send(`Lỗi ${mapped.status}`);
        return;
      }
      res.send(html);
    });
  };
}

function titleFor(status: number): string {
  switch (status) {
    case 400:
      return "Dữ liệu không hợp lệ";
    case 403:
      return "Không có quyền truy cập";
    case 404:
      return "Không tìm thấy trang";
    case 413:
      return "Dữ liệu gửi lên quá lớn";
    case 409:
      return "Không thể thực hiện";
    case 503:
      return "Hệ thống tạm thời gián đoạn";
    default:
      return "Đã có lỗi xảy ra";
  }
}
