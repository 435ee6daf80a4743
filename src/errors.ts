/** Domain errors: they carry no HTTP; web/error-handler.ts maps them to statuses. */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
export class NotFoundError extends DomainError {
  constructor(message = "Không tìm thấy trang hoặc dữ liệu được yêu cầu.") {
    super(message);
  }
}
export class ForbiddenError extends DomainError {
  constructor(message = "Bạn không có quyền thực hiện thao tác này.") {
    super(message);
  }
}
export class ConflictError extends DomainError {}
/** A rule of the domain refuses the change (e.g. the period is locked); the message says why. */
export class RuleViolationError extends DomainError {}
