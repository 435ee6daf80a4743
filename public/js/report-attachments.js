// Progressive enhancement: attach a file without reloading the page, so the text being typed
// stays where it is. Without scripts the button saves the draft and the file in one step.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form || !window.fetch || !window.FormData || !window.DOMParser) return;

  function replaceFrom(doc, id) {
    var fresh = doc.getElementById(id);
    var old = document.getElementById(id);
    if (fresh && old) old.replaceWith(fresh);
    return Boolean(fresh && old);
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-upload-url]");
    if (!button) return;
    event.preventDefault();
    var data = new FormData();
    data.append("_csrf", form.querySelector('input[name="_csrf"]').value);
    data.append("kind", form.querySelector('select[name="kind"]').value);
    var input = form.querySelector('input[name="file"]');
    if (input.files && input.files[0]) data.append("file", input.files[0]);
    button.disabled = true;
    button.textContent = "Đang tải tệp lên…";
    fetch(button.getAttribute("data-upload-url"), { method: "POST", body: data, credentials: "same-origin" })
      .then(function (res) { return res.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        // The page answered is the report page (after the redirect, or with the file's error).
        if (!replaceFrom(doc, "attachments")) throw new Error("unexpected page");
        replaceFrom(doc, "attachment-delete-forms");
        var version = doc.querySelector('#report-form input[name="version"]');
        var mine = form.querySelector('input[name="version"]');
        // Attaching to a report not yet saved creates it: later saves need its version.
        if (version && mine && !mine.value) mine.value = version.value;
        var flash = doc.querySelector(".flash");
        var oldFlash = document.querySelector(".flash");
        if (flash && oldFlash) oldFlash.replaceWith(flash);
        else if (flash) document.querySelector("h1").insertAdjacentElement("beforebegin", flash);
        var error = document.getElementById("file-error");
        (error ? document.getElementById("file") : document.querySelector("#attachments h2")).focus();
      })
      .catch(function () {
        // Anything unexpected: fall back to the form's own submission (draft and file together).
        button.removeAttribute("data-upload-url");
        button.disabled = false;
        button.click();
      });
  });
})();
