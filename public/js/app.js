// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move keyboard and screen-reader focus to the error summary after a refused form.
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
})();
