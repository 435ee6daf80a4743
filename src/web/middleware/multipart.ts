import type { NextFunction, Request, Response } from "express";
import multer from "multer";
import { ForbiddenError } from "../../errors.js";

/** The largest file any form takes (the year bundle); each route checks its own, smaller limit. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** A multipart request refused before any route sees it; the message is shown on a Vietnamese page. */
export class UploadRejectedError extends Error {
  constructor(
    readonly status: 400 | 413,
    readonly userMessage: string,
  ) {
    super(userMessage);
    this.name = "UploadRejectedError";
  }
}

const MESSAGES: Record<string, [400 | 413, string]> = {
  LIMIT_FILE_SIZE: [413, "Tệp vượt quá dung lượng tối đa cho phép (20 MB). Dữ liệu chưa được lưu."],
  LIMIT_FILE_COUNT: [400, "Mỗi lần chỉ gửi được một tệp. Dữ liệu chưa được lưu; vui lòng quay lại và chọn một tệp."],
  LIMIT_UNEXPECTED_FILE: [400, "Biểu mẫu có tệp ở vị trí không hợp lệ. Dữ liệu chưa được lưu."],
  LIMIT_FIELD_COUNT: [413, "Biểu mẫu gửi lên có quá nhiều trường. Dữ liệu chưa được lưu."],
  LIMIT_PART_COUNT: [413, "Biểu mẫu gửi lên có quá nhiều phần. Dữ liệu chưa được lưu."],
  LIMIT_FIELD_KEY: [400, "Biểu mẫu có tên trường quá dài. Dữ liệu chưa được lưu."],
  LIMIT_FIELD_VALUE: [413, "Một trường của biểu mẫu quá dài. Dữ liệu chưa được lưu."],
  MISSING_FIELD_NAME: [400, "Biểu mẫu có trường không có tên. Dữ liệu chưa được lưu."],
};
const MALFORMED = "Không đọc được biểu mẫu gửi lên (dữ liệu không đúng định dạng). Dữ liệu chưa được lưu.";

// Every field of the longest form (the report: three per movement plus the narrative) fits.
const parser = multer({
  storage: multer.memoryStorage(),
  // Browsers send UTF-8 file names without a charset: read them as UTF-8 (Vietnamese names).
  defParamCharset: "utf8",
  limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 200, parts: 201, fieldSize: 256 * 1024, headerPairs: 20 },
}).any();

/**
 * Parses every multipart form once, before the CSRF check, so the token travels in the body
 * like any other form's (never in the URL). Only signed-in users may send files; a malformed
 * or oversized form answers 400/413 with a Vietnamese page, never 500.
 */
export function multipartBody(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== "POST" || !req.is("multipart/form-data")) return next();
  if (!req.user) return next(new ForbiddenError("Phiên đăng nhập đã hết hạn hoặc bạn chưa đăng nhập. Vui lòng đăng nhập lại rồi gửi lại tệp."));
  parser(req, res, (err: unknown) => {
    if (!err) {
      // A NUL, CR or LF in a file name is never typed by a person: refuse the request.
      const files = (req.files as Express.Multer.File[] | undefined) ?? [];
      // eslint-disable-next-line no-control-regex
      if (files.some((f) => /[\u0000\r\n]/.test(f.originalname))) return next(new UploadRejectedError(400, "Tên tệp chứa ký tự không hợp lệ. Vui lòng đổi tên tệp rồi gửi lại."));
      return next();
    }
    const code = (err as { code?: string }).code ?? "";
    const [status, message] = MESSAGES[code] ?? [400, MALFORMED];
    next(new UploadRejectedError(status, message));
  });
}

/**
 * The one file a form sent under `field`, or undefined when none was chosen. A file under any
 * other name is refused (400): routes never guess which file was meant.
 */
export function uploadedFile(req: Request, field: string): Express.Multer.File | undefined {
  const files = (req.files as Express.Multer.File[] | undefined) ?? [];
  if (files.some((f) => f.fieldname !== field)) throw new UploadRejectedError(400, "Biểu mẫu có tệp ở vị trí không hợp lệ. Dữ liệu chưa được lưu.");
  const file = files[0];
  // An empty file input still sends a part with no name and no bytes.
  return file && (file.size > 0 || file.originalname) ? file : undefined;
}
