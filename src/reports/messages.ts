import { formatFileSize, MAX_ATTACHMENT_TOTAL_BYTES, MAX_ATTACHMENTS_PER_REPORT } from "./attachments.js";

export const messages = {
  locked: (headName: string) =>
    `Đợt báo cáo này đã khóa sổ: không thể gửi hoặc sửa báo cáo. Nếu cần bổ sung, vui lòng liên hệ Thường trực Khối (${headName}) để được mở khóa hoặc gia hạn.`,
  notEditable: "Báo cáo đã được gửi hoặc đã được tiếp nhận nên không thể sửa. Nếu cần sửa, đề nghị Thường trực Khối trả lại báo cáo.",
  conflict:
    "Báo cáo vừa được thay đổi ở nơi khác (một cửa sổ khác hoặc một người khác) sau khi bạn mở trang. Nội dung bạn vừa nhập vẫn được giữ dưới đây; hãy xem lại bản mới nhất rồi lưu lại.",
  alreadySubmitted: "Báo cáo đã được gửi trước đó; không tạo thêm bản gửi mới.",
  cannotReview: "Chỉ có thể trả lại hoặc tiếp nhận báo cáo đang chờ xem xét.",
  commentRequired: "Vui lòng ghi rõ nội dung cần bổ sung, chỉnh sửa.",
  generalRequired: "Vui lòng nhập kết quả chung trước khi gửi báo cáo.",
  saved: "Đã lưu bản nháp.",
  submitted: (late: number) => (late > 0 ? `Đã gửi báo cáo (nộp chậm ${late} ngày so với hạn).` : "Đã gửi báo cáo đúng hạn."),
  returned: "Đã trả lại báo cáo kèm ý kiến.",
  accepted: "Đã tiếp nhận báo cáo.",
  rescued: "Phiên đăng nhập đã hết hạn. Nội dung bạn vừa nhập đã được lưu thành bản nháp; vui lòng đăng nhập lại để tiếp tục.",
  fileTooLarge: "Tệp vượt quá dung lượng cho phép (tối đa 10 MB). Báo cáo không thay đổi.",
  fileType: "Định dạng tệp không được chấp nhận. Bản scan có chữ ký: PDF, JPG hoặc PNG; tài liệu khác: PDF, ảnh, Word, Excel. Báo cáo không thay đổi.",
  fileMissing: "Vui lòng chọn tệp cần đính kèm.",
  attached: "Đã đính kèm tệp.",
  savedAndAttached: "Đã lưu bản nháp và đính kèm tệp.",
  quotaCount: `Mỗi báo cáo đính kèm tối đa ${MAX_ATTACHMENTS_PER_REPORT} tệp. Vui lòng xóa bớt tệp không cần thiết. Báo cáo không thay đổi.`,
  quotaBytes: (usedBytes: number) =>
    `Tổng dung lượng tệp đính kèm của một báo cáo tối đa ${MAX_ATTACHMENT_TOTAL_BYTES / 1024 / 1024} MB (đã dùng ${formatFileSize(usedBytes)}). Vui lòng xóa bớt tệp hoặc giảm dung lượng tệp. Báo cáo không thay đổi.`,
  detached: "Đã xóa tệp đính kèm.",
} as const;
