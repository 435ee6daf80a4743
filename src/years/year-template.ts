// The structure a bloc's year starts from when it chooses "the template": the demo's score sheet
// (Guidance 08/HD-HĐTĐKT shape, 100 points + bonus capped at 5), its rule set, the usual movements
// and the two usual periods, with every date set in the chosen year. Plain data, no I/O.
import { DEMO_CRITERIA, DEMO_RULES, type RuleSet } from "../scoring/index.js";
import type { CriterionDef } from "../scoring/index.js";

export interface TemplateCampaign {
  code: string;
  kind: "annual" | "covid19" | "new_rural" | "poverty" | "enterprise" | "office_culture" | "other";
  title: string;
  description: string | null;
  starts_on: string | null;
  ends_on: string | null;
}

export interface TemplatePeriod {
  kind: "six_month" | "annual";
  number: number;
  title: string;
  starts_on: string;
  ends_on: string;
  data_from: string;
  data_to: string;
  due_on: string;
  conference_month: string;
}

/** The two usual periods of a year (plan section IV): the 6-month review and the annual review. */
export function usualPeriods(year: number): [TemplatePeriod, TemplatePeriod] {
  return [
    {
      kind: "six_month",
      number: 1,
      title: `Đợt 1 — Sơ kết thi đua 6 tháng đầu năm ${year}`,
      starts_on: `${year}-01-01`,
      ends_on: `${year}-05-31`,
      data_from: `${year - 1}-12-01`,
      data_to: `${year}-05-31`,
      due_on: `${year}-06-15`,
      conference_month: `${year}-07`,
    },
    {
      kind: "annual",
      number: 2,
      title: `Đợt 2 — Tổng kết thi đua năm ${year}`,
      starts_on: `${year}-06-01`,
      ends_on: `${year}-11-30`,
      data_from: `${year - 1}-12-01`,
      data_to: `${year}-11-30`,
      due_on: `${year}-12-15`,
      conference_month: `${year + 1}-01`,
    },
  ];
}

/** The usual movements of a bloc's year, worded for any province. */
export function usualCampaigns(year: number): TemplateCampaign[] {
  return [
    { code: "PT1", kind: "annual", title: `Phong trào thi đua năm ${year}`, description: "Thi đua hoàn thành xuất sắc các chỉ tiêu, nhiệm vụ chính trị, chuyên môn được giao.", starts_on: `${year}-01-01`, ends_on: `${year}-11-30` },
    { code: "PT2", kind: "new_rural", title: "“Chung sức xây dựng nông thôn mới”", description: null, starts_on: null, ends_on: null },
    { code: "PT3", kind: "poverty", title: "“Cả nước chung tay vì người nghèo – Không để ai bị bỏ lại phía sau”", description: null, starts_on: null, ends_on: null },
    { code: "PT4", kind: "enterprise", title: "“Doanh nghiệp Việt Nam hội nhập và phát triển”", description: null, starts_on: null, ends_on: null },
    { code: "PT5", kind: "office_culture", title: "“Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở”", description: null, starts_on: null, ends_on: null },
    { code: "PT6", kind: "other", title: "Các phong trào thi đua khác", description: "Các phong trào thi đua chuyên đề, ngắn ngày do ngành, địa phương phát động.", starts_on: null, ends_on: null },
  ];
}

export interface YearTemplate {
  rules: RuleSet;
  registrationDueOn: string;
  campaigns: TemplateCampaign[];
  periods: TemplatePeriod[];
  /** The demo's criteria tree (one definition: scoring/demo-criteria.ts). */
  criteria: readonly CriterionDef[];
}

export function yearTemplate(year: number): YearTemplate {
  return {
    rules: DEMO_RULES,
    registrationDueOn: `${year}-02-28`,
    campaigns: usualCampaigns(year),
    periods: usualPeriods(year),
    criteria: DEMO_CRITERIA,
  };
}
