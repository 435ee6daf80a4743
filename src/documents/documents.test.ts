import { describe, expect, it, vi } from "vitest";
import { getDocumentProxy } from "unpdf";
import { signerTitle } from "./documents-service.js";
import { renderPdf } from "./pdf.js";
import type { OfficialDocument } from "./document-model.js";

describe("signerTitle: the signer's own title as set up", () => {
  it("when the position names the head agency, then the title is the rest in capitals", () => {
    expect(signerTitle("Chính ủy Bộ CHQS tỉnh — Trưởng Khối thi đua", ["Bộ Chỉ huy Quân sự tỉnh Tuyên Quang", "Bộ CHQS tỉnh"])).toBe("CHÍNH ỦY");
  });
  it("when the position is a title alone, then it prints in capitals", () => {
    expect(signerTitle("Giám đốc", ["Công an tỉnh"])).toBe("GIÁM ĐỐC");
  });
  it("when nothing is set up, then there is no title line", () => {
    expect(signerTitle(null, [])).toBeNull();
    expect(signerTitle("Bộ CHQS tỉnh", ["Bộ CHQS tỉnh"])).toBeNull();
  });
});

function documentWith(paragraphs: number): OfficialDocument {
  return {
    title: "Thử",
    issuingBody: "UBND TỈNH TUYÊN QUANG",
    issuer: "KHỐI THI ĐUA NỘI CHÍNH",
    symbol: "Số:      /BC-KTĐNC",
    placeDate: "Tuyên Quang, ngày 10 tháng 01 năm 2023",
    draft: false,
    kind: "BÁO CÁO",
    summary: "Thử bố cục trang",
    addressee: null,
    sections: [{ paragraphs: Array.from({ length: paragraphs }, (_v, i) => `Đoạn văn số ${i + 1}: nội dung báo cáo kết quả thực hiện phong trào thi đua của các cơ quan, đơn vị trong Khối.`) }],
    recipients: ["Lưu: VT."],
    signers: [{ role: "TRƯỞNG KHỐI THI ĐUA", subtitle: "Bộ Chỉ huy Quân sự tỉnh Tuyên Quang", title: "CHÍNH ỦY", name: "Đại tá Hà Đình Khiêm" }],
  };
}

describe("renderPdf: the signature block never stands alone on a page", () => {
  it("whatever the length of the text, the page with the signer's name also holds the last paragraph", async () => {
    for (let n = 14; n <= 26; n++) {
      const pdf = await getDocumentProxy(new Uint8Array(await renderPdf(documentWith(n))));
      const pages: string[] = [];
      for (let i = 1; i <= pdf.numPages; i++) {
        pages.push((await (await pdf.getPage(i)).getTextContent()).items.map((t) => ("str" in t ? t.str + (t.hasEOL ? " " : "") : "")).join("").replace(/\s+/g, " "));
      }
      const signed = pages.findIndex((p) => p.includes("Hà Đình Khiêm"));
      expect([n, signed >= 0 && pages[signed]!.includes(`Đoạn văn số ${n}:`)]).toEqual([n, true]);
      expect(pages[signed]).toContain("CHÍNH ỦY");
    }
  }, 60_000);
});

describe("renderPdf: one document's text never changes another's", () => {
  const textOf = async (buffer: Buffer) => {
    const pdf = await getDocumentProxy(new Uint8Array(buffer));
    let text = "";
    for (let i = 1; i <= pdf.numPages; i++) text += (await (await pdf.getPage(i)).getTextContent()).items.map((t) => ("str" in t ? t.str : "")).join("");
    return text;
  };

  it("after a document drawn from no-break spaces and decomposed letters (which share glyphs with spaces and 'Á'), the next one's text extracts as typed", async () => {
    // A fresh copy of the module: what its first document draws must not decide the later ones' text.
    vi.resetModules();
    const { renderPdf: render } = await import("./pdf.js");
    await render({ ...documentWith(1), issuingBody: "UBND\u00a0TỈNH\u00a0TUYÊN\u00a0QUANG", kind: "BÁO CÁO".normalize("NFD"), summary: "Thử bố cục trang".normalize("NFD") });
    const text = await textOf(await render(documentWith(1)));
    expect(text).toContain("UBND TỈNH TUYÊN QUANG");
    expect(text).toContain("BÁO CÁO");
    expect(text).toContain("Thử bố cục trang");
  });
});
