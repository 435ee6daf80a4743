// The demo bloc's criteria tree (domain/scoring-rules.md), for seeds and tests. Ids are local to this
// list: groups 1–6, items numbered after them.
import type { CriterionDef, CriterionKind } from "./types.js";

type Row = [code: string, title: string, maxPoints: number, autoSource?: "late_reports"];

const GROUPS: { code: string; title: string; kind: CriterionKind; maxPoints: number; items: Row[] }[] = [
  {
    code: "I",
    title: "Thực hiện nhiệm vụ chính trị, chuyên môn được giao",
    kind: "standard",
    maxPoints: 60,
    items: [
      ["1.1", "Hoàn thành các chỉ tiêu, nhiệm vụ trọng tâm năm được giao", 40],
      ["1.2", "Cải cách hành chính, ứng dụng công nghệ thông tin trong chỉ đạo, điều hành", 10],
      ["1.3", "Phòng, chống tham nhũng, lãng phí, tiêu cực trong thi hành công vụ", 10],
    ],
  },
  {
    code: "II",
    title: "Xây dựng tổ chức, kỷ luật, kỷ cương",
    kind: "standard",
    maxPoints: 15,
    items: [
      ["2.1", "Tổ chức Đảng, đoàn thể đạt hoàn thành tốt nhiệm vụ trở lên", 5],
      ["2.2", "Chấp hành kỷ luật, kỷ cương hành chính; thực hiện văn hóa công sở", 5],
      ["2.3", "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", 5],
    ],
  },
  {
    code: "III",
    title: "Thực hiện các phong trào thi đua",
    kind: "standard",
    maxPoints: 15,
    items: [
      [
        "3.1",
        "“Tuyên Quang chung sức xây dựng nông thôn mới”; “Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau”",
        5,
      ],
      ["3.2", "“Doanh nghiệp Việt Nam hội nhập và phát triển”", 3],
      ["3.3", "“Cán bộ, công chức, viên chức tỉnh Tuyên Quang thi đua thực hiện văn hóa công sở”", 3],
      ["3.4", "Phong trào thi đua đặc biệt phòng, chống và chiến thắng đại dịch Covid-19", 4],
    ],
  },
  {
    code: "IV",
    title: "Công tác thi đua, khen thưởng và tham gia hoạt động của Khối",
    kind: "standard",
    maxPoints: 10,
    items: [
      ["4.1", "Ban hành kế hoạch phát động, tổ chức đăng ký thi đua", 3],
      ["4.2", "Gửi báo cáo sơ kết, tổng kết đầy đủ, đúng thời hạn", 4],
      ["4.3", "Tham gia các hoạt động chung của Khối", 3],
    ],
  },
  {
    code: "V",
    title: "Điểm thưởng",
    kind: "bonus",
    maxPoints: 5,
    items: [
      ["5.1", "Có mô hình mới, cách làm hay được cấp có thẩm quyền công nhận", 3],
      ["5.2", "Được cấp trên khen thưởng đột xuất trong năm", 2],
    ],
  },
  {
    code: "VI",
    title: "Điểm trừ",
    kind: "deduction",
    maxPoints: 0,
    items: [
      ["6.1", "Mỗi báo cáo gửi chậm so với thời hạn (tính tự động theo ngày gửi)", 1, "late_reports"],
      ["6.2", "Không tham gia hoạt động chung của Khối, mỗi lần", 1],
      ["6.3", "Có cán bộ, chiến sĩ, công chức, viên chức, người lao động bị xử lý kỷ luật, mỗi trường hợp", 2],
    ],
  },
];

function buildDemoCriteria(): CriterionDef[] {
  const criteria: CriterionDef[] = GROUPS.map((g, index) => ({
    id: index + 1,
    code: g.code,
    title: g.title,
    parentId: null,
    kind: g.kind,
    maxPoints: g.maxPoints,
    autoSource: null,
    sortOrder: index + 1,
  }));
  GROUPS.forEach((g, groupIndex) => {
    g.items.forEach(([code, title, maxPoints, autoSource], itemIndex) => {
      criteria.push({
        id: criteria.length + 1,
        code,
        title,
        parentId: groupIndex + 1,
        kind: g.kind,
        maxPoints,
        autoSource: autoSource ?? null,
        sortOrder: itemIndex + 1,
      });
    });
  });
  return criteria;
}

export const DEMO_CRITERIA: readonly CriterionDef[] = buildDemoCriteria();
