import { formatPoints } from "../scoring/index.js";

export const STATUS_LABELS: Record<"none" | "draft" | "submitted" | "returned" | "reviewed", string> = {
  none: "Chưa lập",
  draft: "Đang soạn (nháp)",
  submitted: "Đã gửi, chờ thẩm định",
  returned: "Bị trả lại",
  reviewed: "Đã thẩm định",
};

export const messages = {
  pointsRequired: "Vui lòng nhập điểm tự chấm (nhập 0 nếu không đạt).",
  countRequired: "Vui lòng nhập số lần (nhập 0 nếu không có).",
  pointsInvalid: "Điểm phải là một số, tối đa hai chữ số thập phân (ví dụ 7,5).",
  pointsNegative: "Điểm không được nhỏ hơn 0.",
  pointsOverMax: (max: number) => `Điểm không được vượt quá điểm tối đa ${formatPoints(max)}.`,
  countInvalid: "Số lần phải là số nguyên từ 0 trở lên.",
  textTooLong: "Nội dung quá dài (tối đa 2.000 ký tự).",
  reasonRequired: "Điểm Khối chấm khác điểm tự chấm: vui lòng ghi lý do.",
  disciplineReasonRequired: "Vui lòng ghi lý do vi phạm kỷ luật.",
  returnCommentRequired: "Vui lòng ghi ý kiến khi trả lại bảng điểm.",
  notEditable: "Bảng điểm đã gửi, không thể sửa. Nếu cần sửa, đề nghị Thường trực Khối trả lại bảng điểm.",
  notReviewable: "Bảng điểm chưa được gửi, chưa thể thẩm định.",
  incompleteForm: "Biểu mẫu gửi lên thiếu một số ô điểm nên chưa lưu gì. Vui lòng tải lại trang và nhập lại.",
  published: "Kết quả xếp hạng năm này đã công bố: bảng điểm chỉ được xem.",
  headNotice: "Bảng điểm của đơn vị Trưởng khối do đơn vị Phó Trưởng khối thẩm định",
  conflict: (by: string, at: string, status: string) =>
    `Chưa lưu được: bảng điểm đã được ${by} thay đổi lúc ${at} sau khi bạn mở trang (trạng thái hiện tại: ${status}). ` +
    "Không có gì được lưu. Nội dung bạn vừa nhập vẫn được giữ dưới đây, bên cạnh giá trị hiện tại; hãy xem lại rồi lưu lại.",
  saved: "Đã lưu bản nháp bảng điểm.",
  imported: "Đã nhập bảng tính vào bản nháp bảng điểm. Hãy xem lại rồi gửi.",
  importTooLarge: "Tệp quá lớn (tối đa 2 MB): đây không phải bảng chấm điểm tải từ cổng.",
  importFileMissing: "Vui lòng chọn tệp bảng tính (.xlsx) đã điền.",
  importConflict: "Bảng điểm vừa được thay đổi trong lúc nhập: chưa lưu gì. Vui lòng tải lại trang rồi nhập lại.",
  importRefused: "Chưa nhập được bảng tính, không có gì được lưu:",
  contradictsLateness: (n: number) => `Tự chấm đủ điểm nhưng có ${n} báo cáo gửi chậm hoặc quá hạn: vui lòng đối chiếu ngày gửi.`,
  annualReportWaiting:
    "Báo cáo tổng kết năm của cơ quan, đơn vị này đang chờ xem xét: vui lòng tiếp nhận hoặc trả lại báo cáo trước khi hoàn tất thẩm định bảng điểm.",
  submitted: "Đã gửi bảng điểm tới Thường trực Khối.",
  reviewSaved: "Đã lưu điểm Khối chấm.",
  reviewed: "Đã đánh dấu bảng điểm là đã thẩm định.",
  returned: "Đã trả lại bảng điểm cho đơn vị.",
} as const;
