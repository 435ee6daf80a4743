import { describe, expect, it } from "vitest";
import { isEditableByAgency, lateness, nextStatus } from "./workflow.js";

describe("submission workflow", () => {
  it("draft → submitted → returned → submitted → accepted", () => {
    expect(nextStatus(null, "save")).toBe("draft");
    expect(nextStatus("draft", "submit")).toBe("submitted");
    expect(nextStatus("submitted", "return")).toBe("returned");
    expect(nextStatus("returned", "save")).toBe("returned");
    expect(nextStatus("returned", "submit")).toBe("submitted");
    expect(nextStatus("submitted", "accept")).toBe("accepted");
  });
  it("refuses what the workflow does not allow", () => {
    expect(nextStatus("submitted", "submit")).toBeNull(); // a double-clicked submit creates one submission
    expect(nextStatus("accepted", "save")).toBeNull();
    expect(nextStatus("draft", "accept")).toBeNull();
    expect(nextStatus("accepted", "return")).toBeNull();
    expect(isEditableByAgency("submitted")).toBe(false);
    expect(isEditableByAgency("returned")).toBe(true);
  });
  it("counts late days against the due date or the extension", () => {
    expect(lateness("2022-06-15", "2022-06-15", null)).toBe(0);
    expect(lateness("2022-06-20", "2022-06-15", null)).toBe(5);
    expect(lateness("2022-06-20", "2022-06-15", "2022-06-30")).toBe(0);
    expect(lateness("2022-07-02", "2022-06-15", "2022-06-30")).toBe(2);
  });
});
