// Progressive enhancement: recomputes the self-scored group and overall totals as the clerk types.
// Without scripts the server's totals show after "Lưu nháp"; the server's totals are the ones that count.
(function () {
  "use strict";
  var form = document.querySelector("form.sheet-form");
  if (!form) return;
  var bonusCap = toHundredths(form.getAttribute("data-bonus-cap")) || 0;
  var latePoints = toHundredths(form.getAttribute("data-late-points")) || 0;

  function toHundredths(text) {
    var t = String(text || "").trim().replace(",", ".");
    if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
    return Math.round(Number(t) * 100);
  }
  function format(h) {
    var sign = h < 0 ? "-" : "";
    var abs = Math.abs(h);
    var whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    return sign + whole + "," + String(abs % 100).padStart(2, "0");
  }
  function recompute() {
    var totals = { standard: 0, bonus: 0, deduction: 0 };
    form.querySelectorAll("tbody[data-group]").forEach(function (group) {
      var kind = group.getAttribute("data-kind");
      var sum = 0;
      group.querySelectorAll("input[data-item-group]").forEach(function (input) {
        var max = toHundredths(input.getAttribute("data-max")) || 0;
        if (kind === "deduction") {
          var count = /^\d+$/.test(input.value.trim()) ? Number(input.value.trim()) : 0;
          sum -= count * max;
        } else {
          var v = toHundredths(input.value);
          sum += v === null ? 0 : Math.min(Math.max(v, 0), max);
        }
      });
      group.querySelectorAll("[data-auto-count]").forEach(function (auto) {
        sum -= Number(auto.getAttribute("data-auto-count")) * latePoints;
      });
      totals[kind] += sum;
      var cell = group.querySelector("[data-group-total]");
      if (cell) cell.textContent = format(sum);
    });
    var overall = document.querySelector("[data-self-total]");
    if (overall) overall.textContent = format(totals.standard + Math.min(totals.bonus, bonusCap) + totals.deduction);
  }
  form.addEventListener("input", recompute);
})();
