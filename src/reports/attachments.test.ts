import { describe, expect, it } from "vitest";
import { formatFileSize, storedFilename } from "./attachments.js";

describe("storedFilename", () => {
  it("takes the extension from the detected type, whatever the typed name says", () => {
    expect(storedFilename("bao-cao.bat", "pdf")).toBe("bao-cao.pdf");
    expect(storedFilename("bao-cao.hta", "pdf")).toBe("bao-cao.pdf");
    expect(storedFilename("scan.pdf", "pdf")).toBe("scan.pdf");
    expect(storedFilename("ảnh chụp.JPEG", "jpg")).toBe("ảnh chụp.jpg");
    expect(storedFilename("khong-duoi", "png")).toBe("khong-duoi.png");
  });

  it("strips bidi overrides, zero-width and control characters, paths and quotes", () => {
    expect(storedFilename("bao-cao\u202Efdp.bat", "pdf")).toBe("bao-caofdp.pdf");
    expect(storedFilename("a\u2066b\u2069c\u200B.pdf", "pdf")).toBe("abc.pdf");
    expect(storedFilename("..\\..\\windows\\x\"y\u0007.pdf", "pdf")).toBe("xy.pdf");
    expect(storedFilename("\u202E.bat", "pdf")).toBe("tep.pdf");
  });
});

describe("formatFileSize", () => {
  it("shows sizes under 1 KB in bytes, then KB and MB", () => {
    expect(formatFileSize(512)).toBe("512 byte");
    expect(formatFileSize(2048)).toBe("2 KB");
    expect(formatFileSize(3 * 1024 * 1024 + 512 * 1024)).toBe("3,5 MB");
  });
});
